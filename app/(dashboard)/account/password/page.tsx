// Change one's own password; after an admin's reset every other page leads here (proxy.ts) until it is done.
import { PasswordForm } from '@/components/auth/password-form';
import { requireSession } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { changePasswordFormAction } from './actions';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.password');

export default async function ChangePasswordPage() {
  const user = await requireSession();
  const t = await getTranslator();
  return (
    <div className="max-w-md space-y-4">
      <h1 className="text-2xl font-semibold text-slate-900">{t('account.passwordTitle')}</h1>
      {user.mustChangePassword && <p className="text-sm text-slate-700" data-testid="must-change">{t('account.mustChange')}</p>}
      <p className="text-xs text-slate-600">{t('password.policy')}</p>
      <PasswordForm
        action={changePasswordFormAction}
        labels={{ current: t('account.current'), next: t('account.next'), repeat: t('account.repeat'), submit: t('account.submit') }}
        errors={{ invalid: t('account.error.invalid'), mismatch: t('account.error.mismatch'), policy: t('account.error.policy'), current: t('account.error.current') }}
      />
    </div>
  );
}
