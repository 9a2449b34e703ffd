import Link from 'next/link';
import { requirePagePermission } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getActiveDataset } from '@/lib/queries/datasets';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { SyntheticBanner } from '@/components/ui/synthetic-banner';
import { localizedDisplayName } from '@/lib/auth/demo-users';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = getActiveDataset();
  const links = [
    { href: '/', label: t('nav.overview') },
    { href: '/compare', label: t('nav.compare') },
    { href: '/equity', label: t('nav.equity') },
    { href: '/map', label: t('nav.map') },
    { href: '/trends', label: t('nav.trends') },
    { href: '/cities', label: t('nav.cities') },
    { href: '/models', label: t('nav.models') },
    { href: '/methodology', label: t('nav.methodology') },
    ...(can(user.role, 'data:import') ? [{ href: '/admin/import', label: t('nav.import') }] : []),
    ...(can(user.role, 'models:set-limits') ? [{ href: '/admin/models', label: t('nav.modelLimits') }] : []),
    ...(can(user.role, 'microdata:export') ? [{ href: '/export', label: t('nav.export') }] : []),
    ...(can(user.role, 'users:manage') ? [{ href: '/admin/users', label: t('nav.users') }] : []),
    ...(can(user.role, 'audit:view-own') ? [{ href: '/admin/audit', label: t('nav.audit') }] : []),
  ];
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
        {t('app.skip')}
      </a>
      <header className="bg-slate-800 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <div>
            <div className="text-lg font-semibold tracking-wide">{t('app.title')}</div>
            <div className="text-xs text-slate-300">{t('app.subtitle')}</div>
          </div>
          <nav aria-label="main" className="flex flex-wrap gap-1">
            {links.map((link) => (
              <Link key={link.href} href={link.href} className="rounded px-3 py-2 text-sm hover:bg-slate-700">
                {link.label}
              </Link>
            ))}
          </nav>
          <div className="flex items-center gap-3">
            <LanguageSwitch locale={locale} label={t('nav.language')} />
            <span className="flex flex-col text-right text-xs leading-tight text-slate-300" data-testid="signed-in-user">
              <span className="sr-only">{t('nav.signedInAs')}: </span>
              <span className="text-sm text-white">{localizedDisplayName(user.name, locale)}</span>
              <span>{t(`role.${user.role}`)}</span>
            </span>
            <SignOutButton label={t('auth.signOut')} />
          </div>
        </div>
      </header>
      {dataset?.kind !== 'imported' && <SyntheticBanner text={t('synthetic.banner')} />}
      <main id="main" className="mx-auto max-w-7xl px-6 py-6">
        {children}
      </main>
    </>
  );
}
