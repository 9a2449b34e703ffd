'use server';
// Admins manage accounts: create, disable / enable, reset a password (the user must change it at the next sign-in) and
// change a role. Each change that affects access ends the user's sessions at once (lib/queries/users.ts) and is audited.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { CreateUserFormState } from '@/components/admin/create-user-form';
import { getSqliteDatabase } from '@/lib/queries/database';
import { authorizedAction, ActionFailure } from '@/lib/auth/authorized-action';
import { passwordProblems } from '@/lib/auth/password-policy';
import { ROLES } from '@/lib/auth/permissions';
import { recordAudit } from '@/lib/queries/audit';
import { createUser, findUserById, resetUserPassword, setUserActive, setUserRole, UsernameTaken } from '@/lib/queries/users';

const username = z.string().trim().regex(/^[A-Za-z0-9._-]{2,64}$/, '2-64 letters, digits, dots, dashes or underscores');
const userId = z.coerce.number().int().positive();

function checkPolicy(password: string, name: string): void {
  const problems = passwordProblems(password, name);
  if (problems.length > 0) throw new ActionFailure(problems.join(' '));
}

export const createUserAction = authorizedAction(
  'users:manage',
  z.object({ username, displayName: z.string().trim().min(1).max(100), role: z.enum(ROLES), password: z.string().max(128) }),
  async (input, admin) => {
    checkPolicy(input.password, input.username);
    try {
      // A password an admin chose is temporary: the new user replaces it at the first sign-in.
      const id = createUser(getSqliteDatabase(), { ...input, mustChangePassword: true });
      recordAudit(getSqliteDatabase(), { userId: admin.id, username: admin.name, action: 'user_created', target: input.username, detail: { id, role: input.role } });
      return id;
    } catch (error) {
      if (error instanceof UsernameTaken) throw new ActionFailure(error.message);
      throw error;
    }
  },
);

function targetOf(id: number, admin: { id: number }) {
  const user = findUserById(getSqliteDatabase(), id);
  if (!user) throw new ActionFailure('没有此用户 · No such user.');
  if (user.id === admin.id) throw new ActionFailure('不能更改自己的账户 · You cannot change your own account here.');
  return user;
}

export const setUserActiveAction = authorizedAction('users:manage', z.object({ id: userId, active: z.enum(['true', 'false']) }), async (input, admin) => {
  const user = targetOf(input.id, admin);
  setUserActive(getSqliteDatabase(), user.id, input.active === 'true');
  recordAudit(getSqliteDatabase(), { userId: admin.id, username: admin.name, action: input.active === 'true' ? 'user_enabled' : 'user_disabled', target: user.username });
  return user.id;
});

export const setUserRoleAction = authorizedAction('users:manage', z.object({ id: userId, role: z.enum(ROLES) }), async (input, admin) => {
  const user = targetOf(input.id, admin);
  setUserRole(getSqliteDatabase(), user.id, input.role);
  recordAudit(getSqliteDatabase(), { userId: admin.id, username: admin.name, action: 'user_role_changed', target: user.username, detail: { from: user.role, to: input.role } });
  return user.id;
});

export const resetUserPasswordAction = authorizedAction('users:manage', z.object({ id: userId, password: z.string().max(128) }), async (input, admin) => {
  const user = targetOf(input.id, admin);
  checkPolicy(input.password, user.username);
  resetUserPassword(getSqliteDatabase(), user.id, input.password);
  recordAudit(getSqliteDatabase(), { userId: admin.id, username: admin.name, action: 'user_password_reset', target: user.username });
  return user.id;
});

type Action = (input: unknown) => Promise<{ ok: true } | { ok: false; error: { message: string; fieldErrors?: Record<string, string[]> } }>;

/** Form posts (they work without client JavaScript): run the action, then show its outcome on the page. */
async function submit(action: Action, form: FormData, done: string): Promise<never> {
  const result = await action(Object.fromEntries([...form.entries()].filter(([key]) => !key.startsWith('$'))));
  if (result.ok) redirect(`/admin/users?done=${done}`);
  const fields = result.error.fieldErrors ? Object.entries(result.error.fieldErrors).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ') : '';
  redirect(`/admin/users?error=${encodeURIComponent(`${result.error.message} ${fields}`.trim().slice(0, 400))}`);
}

/** The create form's action (useActionState): a refusal comes back as form state, success shows on the page. */
export async function createUserFormAction(_previous: CreateUserFormState, form: FormData): Promise<CreateUserFormState> {
  const result = await createUserAction(Object.fromEntries([...form.entries()].filter(([key]) => !key.startsWith('$'))));
  if (result.ok) redirect('/admin/users?done=created');
  return { message: result.error.message, fieldErrors: result.error.fieldErrors ?? {} };
}
export async function setUserActiveFormAction(form: FormData): Promise<void> {
  await submit(setUserActiveAction, form, form.get('active') === 'true' ? 'enabled' : 'disabled');
}
export async function setUserRoleFormAction(form: FormData): Promise<void> {
  await submit(setUserRoleAction, form, 'role');
}
export async function resetUserPasswordFormAction(form: FormData): Promise<void> {
  await submit(resetUserPasswordAction, form, 'reset');
}
