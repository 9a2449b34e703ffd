import { requirePagePermission } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getActiveDataset } from '@/lib/queries/datasets';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { SyntheticBanner } from '@/components/ui/synthetic-banner';
import { localizedDisplayName } from '@/lib/auth/demo-users';
import { SiteNav } from '@/components/ui/site-nav';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDataset();
  const links = [
    { href: '/', label: t('nav.overview') },
    { href: '/compare', label: t('nav.compare') },
    { href: '/equity', label: t('nav.equity') },
    { href: '/map', label: t('nav.map') },
    { href: '/trends', label: t('nav.trends') },
    { href: '/cities', label: t('nav.cities') },
    { href: '/models', label: t('nav.models') },
    { href: '/methodology', label: t('nav.methodology') },
    ...(can(user.role, 'data:import') ? [{ href: '/admin/import', label: t('nav.import'), tools: true }] : []),
    ...(can(user.role, 'models:set-limits') ? [{ href: '/admin/models', label: t('nav.modelLimits'), tools: true }] : []),
    ...(can(user.role, 'microdata:export') ? [{ href: '/export', label: t('nav.export'), tools: true }] : []),
    ...(can(user.role, 'users:manage') ? [{ href: '/admin/users', label: t('nav.users'), tools: true }] : []),
    ...(can(user.role, 'audit:view-own') ? [{ href: '/admin/audit', label: t('nav.audit'), tools: true }] : []),
  ];
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
        {t('app.skip')}
      </a>
      <header className="bg-slate-800 text-white">
        <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 xl:flex-nowrap xl:gap-x-3 xl:px-6">
          <div className="min-w-0 xl:max-w-[15rem] xl:shrink-0 2xl:max-w-none">
            <div className="text-base font-semibold leading-tight tracking-wide">{t('app.title')}</div>
            <div className="hidden text-xs text-slate-300 2xl:block">{t('app.subtitle')}</div>
          </div>
          <SiteNav links={links} labels={{ menu: t('nav.menu'), main: t('nav.mainLabel'), tools: t('nav.tools') }}>
            <LanguageSwitch locale={locale} label={t('nav.language')} />
            <span className="flex flex-col text-xs leading-tight text-slate-300 xl:max-w-[9rem] xl:text-right" data-testid="signed-in-user">
              <span className="sr-only">{t('nav.signedInAs')}: </span>
              <span className="truncate text-sm text-white" title={localizedDisplayName(user.name, locale)}>{localizedDisplayName(user.name, locale)}</span>
              <span className="whitespace-nowrap">{t(`role.${user.role}`)}</span>
            </span>
            <SignOutButton label={t('auth.signOut')} />
          </SiteNav>
        </div>
      </header>
      {dataset?.kind !== 'imported' && <SyntheticBanner text={t('synthetic.banner')} />}
      <main id="main" className="mx-auto max-w-7xl px-3 py-6 sm:px-6">
        {children}
      </main>
    </>
  );
}
