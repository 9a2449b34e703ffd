// Change one's own password; after an admin's reset every other page leads here (proxy.ts) until it is done.
import { z } from 'zod';
import { requireSession } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { changePasswordFormAction } from './actions';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.password');

const searchSchema = z.object({ error: z.enum(['invalid', 'mismatch', 'policy', 'current']).optional().catch(undefined) });
const input = 'mt-1 w-full rounded border border-slate-300 px-3 py-2';

export default async function ChangePasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSession();
  const { error } = searchSchema.parse(await searchParams);
  const t = await getTranslator();
  return (
    <div className="max-w-md space-y-4">
      <h1 className="text-2xl font-semibold text-slate-900">{t('account.passwordTitle')}</h1>
      {user.mustChangePassword && <p className="text-sm text-slate-700" data-testid="must-change">{t('account.mustChange')}</p>}
      <p className="text-xs text-slate-600">{t('password.policy')}</p>
      {error && <p role="alert" data-testid="password-error" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">{t(`account.error.${error}`)}</p>}
      <form action={changePasswordFormAction} className="space-y-3">
        <label className="block text-sm" htmlFor="current">{t('account.current')}<input id="current" name="current" type="password" autoComplete="current-password" required className={input} /></label>
        <label className="block text-sm" htmlFor="next">{t('account.next')}<input id="next" name="next" type="password" autoComplete="new-password" required className={input} /></label>
        <label className="block text-sm" htmlFor="repeat">{t('account.repeat')}<input id="repeat" name="repeat" type="password" autoComplete="new-password" required className={input} /></label>
        <button type="submit" data-testid="change-password" className="rounded bg-red-800 px-4 py-2 text-white hover:bg-red-900">{t('account.submit')}</button>
      </form>
    </div>
  );
}
