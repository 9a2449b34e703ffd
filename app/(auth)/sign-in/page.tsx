import { redirect } from 'next/navigation';
import { z } from 'zod';
import { safeCallbackPath } from '@/lib/auth/request-origin';
import { currentUser } from '@/lib/auth/session';
import { DEMO_ACCOUNTS } from '@/lib/auth/demo-users';
import { getActiveDataset } from '@/lib/queries/datasets';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { SignInForm } from '@/components/auth/sign-in-form';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { SyntheticBanner } from '@/components/ui/synthetic-banner';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.signIn');

const searchSchema = z.object({
  error: z.string().max(64).optional().catch(undefined),
  code: z.string().max(64).optional().catch(undefined),
});

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = await searchParams;
  const { error, code } = searchSchema.parse(search);
  const callbackUrl = safeCallbackPath(search.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const [t, locale] = [await getTranslator(), await getLocale()];
  const synthetic = (await getActiveDataset())?.kind !== 'imported';
  return (
    <>
      {synthetic && <SyntheticBanner text={t('synthetic.banner')} />}
      <main id="main" className="mx-auto mt-16 max-w-md px-6">
        <div className="mb-6 flex items-start justify-between gap-4">
          <div>
            <h1 className="text-xl font-semibold">{t('app.title')}</h1>
            <p className="text-sm text-slate-600">{t('app.subtitle')}</p>
          </div>
          <div className="rounded bg-slate-800 p-1">
            <LanguageSwitch locale={locale} label={t('nav.language')} />
          </div>
        </div>
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="mb-4 text-lg font-medium">{t('auth.title')}</h2>
          <SignInForm
            callbackUrl={callbackUrl}
            error={error ? t(code === 'rate_limited' ? 'auth.rateLimited' : 'auth.invalid') : null}
            labels={{
              username: t('auth.username'),
              password: t('auth.password'),
              submit: t('auth.submit'),
              submitting: t('auth.submitting'),
            }}
          />
        </section>
        {synthetic && (
          <section className="mt-6 rounded border border-slate-200 bg-white p-4 text-sm">
            <h2 className="font-medium">{t('auth.demoAccounts')}</h2>
            <table className="mt-2 w-full text-left">
              <tbody>
                {DEMO_ACCOUNTS.map((account) => (
                  <tr key={account.username}>
                    <td className="py-1 pr-4 text-slate-600">{t(`role.${account.role}`)}</td>
                    <td className="py-1 pr-4 font-mono">{account.username}</td>
                    <td className="py-1 font-mono">{account.password}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </main>
    </>
  );
}
