'use server';
// A user changes their own password (required after an admin's reset). The current session stays; the others end.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { PasswordFormState } from '@/components/auth/password-form';
import { getSqliteDatabase } from '@/lib/queries/database';
import { passwordProblems } from '@/lib/auth/password-policy';
import { currentUser } from '@/lib/auth/session';
import { recordAudit } from '@/lib/queries/audit';
import { changeOwnPassword, findUserById } from '@/lib/queries/users';

const schema = z.object({ current: z.string().min(1).max(256), next: z.string().max(128), repeat: z.string().max(128) });

export async function changePasswordFormAction(_previous: PasswordFormState, form: FormData): Promise<PasswordFormState> {
  // Not authorizedAction: a user who must change the password may do only this.
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  const parsed = schema.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return { error: 'invalid' };
  const { current, next, repeat } = parsed.data;
  const account = findUserById(getSqliteDatabase(), user.id);
  if (!account) redirect('/sign-in');
  if (next !== repeat) return { error: 'mismatch' };
  if (next === current || passwordProblems(next, account.username).length > 0) return { error: 'policy' };
  if (!changeOwnPassword(getSqliteDatabase(), user.id, current, next)) {
    recordAudit(getSqliteDatabase(), { userId: user.id, username: user.name, action: 'password_change_failed' });
    return { error: 'current' };
  }
  recordAudit(getSqliteDatabase(), { userId: user.id, username: user.name, action: 'password_changed' });
  redirect('/?password=changed');
}
