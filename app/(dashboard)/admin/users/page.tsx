// Admin: the accounts, with forms to create one, disable or enable it, reset its password and change its role.
import { z } from 'zod';
import { CreateUserForm } from '@/components/admin/create-user-form';
import { getSqliteDatabase } from '@/lib/queries/database';
import { ROLES } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { localizedDisplayName } from '@/lib/auth/demo-users';
import { listUsers } from '@/lib/queries/users';
import { createUserFormAction, resetUserPasswordFormAction, setUserActiveFormAction, setUserRoleFormAction } from './actions';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.users');

const searchSchema = z.object({
  done: z.enum(['created', 'enabled', 'disabled', 'role', 'reset']).optional().catch(undefined),
  error: z.string().max(400).optional().catch(undefined),
});

const input = 'rounded border border-slate-300 px-2 py-1 text-sm';
const button = 'rounded border border-slate-400 px-2 py-1 text-sm hover:bg-slate-100';

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requirePagePermission('users:manage');
  const { done, error } = searchSchema.parse(await searchParams);
  const [t, locale] = [await getTranslator(), await getLocale()];
  const users = listUsers(getSqliteDatabase());
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold text-slate-900">{t('users.title')}</h1>
      {done && <p role="status" data-testid="users-done" className="rounded bg-green-50 px-3 py-2 text-sm text-green-900">{t(`users.done.${done}`)}</p>}
      {error && <p role="alert" data-testid="users-error" className="rounded bg-danger-soft px-3 py-2 text-sm text-danger">{error}</p>}
      <table className="w-full text-left text-sm" data-testid="users-table">
        <thead>
          <tr className="border-b border-slate-300">
            <th className="py-2">{t('users.username')}</th>
            <th>{t('users.displayName')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.status')}</th>
            <th>{t('users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className="border-b border-slate-200 align-top" data-testid={`user-${user.username}`}>
              <td className="py-2 font-mono">{user.username}</td>
              <td>{localizedDisplayName(user.displayName, locale)}</td>
              <td>{t(`role.${user.role}`)}</td>
              <td>
                {user.active ? t('users.active') : t('users.disabled')}
                {user.demo && ` · ${t('users.demo')}`}
                {user.mustChangePassword && ` · ${t('users.mustChange')}`}
              </td>
              <td className="space-y-1 py-2">
                {user.id !== admin.id && (
                  <>
                    <form action={setUserActiveFormAction} className="inline">
                      <input type="hidden" name="id" value={user.id} />
                      <input type="hidden" name="active" value={user.active ? 'false' : 'true'} />
                      <button type="submit" className={button}>{user.active ? t('users.disable') : t('users.enable')}</button>
                    </form>{' '}
                    <form action={setUserRoleFormAction} className="inline">
                      <input type="hidden" name="id" value={user.id} />
                      <label className="sr-only" htmlFor={`role-${user.id}`}>{t('users.role')}</label>
                      <select id={`role-${user.id}`} name="role" defaultValue={user.role} className={input}>
                        {ROLES.map((role) => <option key={role} value={role}>{t(`role.${role}`)}</option>)}
                      </select>{' '}
                      <button type="submit" className={button}>{t('users.changeRole')}</button>
                    </form>
                    <form action={resetUserPasswordFormAction} className="flex gap-1">
                      <input type="hidden" name="id" value={user.id} />
                      <label className="sr-only" htmlFor={`reset-${user.id}`}>{t('users.temporaryPassword')}</label>
                      <input id={`reset-${user.id}`} name="password" type="password" autoComplete="new-password" placeholder={t('users.temporaryPassword')} className={input} required />
                      <button type="submit" className={button}>{t('users.reset')}</button>
                    </form>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="max-w-xl rounded border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">{t('users.create')}</h2>
        <p className="mb-3 text-xs text-slate-600" data-testid="password-policy">{t('password.policy')}</p>
        <CreateUserForm
          action={createUserFormAction}
          labels={{ username: t('users.username'), displayName: t('users.displayName'), role: t('users.role'), password: t('users.temporaryPassword'), submit: t('users.createSubmit') }}
          roles={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
        />
      </section>
    </div>
  );
}
