// Session and permission checks for pages, route handlers and server actions. Each checks the role itself: the proxy
// only redirects, it is not the line of defence.
import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getSqliteDatabase } from '@/db/client';
import { recordAudit } from '@/lib/queries/audit';
import { auth } from './index';
import { can, isRole, type Permission, type Role } from './permissions';

export interface SignedInUser {
  id: number;
  name: string;
  role: Role;
  mustChangePassword: boolean;
}

/**
 * The signed-in user as the database has it now (lib/auth/index.ts checks the session row on every call). Once per
 * request: the layout and the page of one render share the answer (React's cache lasts one server request).
 */
export const currentUser = cache(async function currentUser(): Promise<SignedInUser | null> {
  const session = await auth();
  if (!session?.user) return null;
  const id = Number(session.user.id);
  if (!Number.isInteger(id) || id <= 0 || !isRole(session.user.role)) return null; // fail closed
  return { id, name: session.user.name ?? '', role: session.user.role, mustChangePassword: session.user.mustChangePassword === true };
});

/** Writes a refused request to the audit log: who, which permission, where. */
export function auditRefusal(user: SignedInUser, permission: Permission, target: string): void {
  recordAudit(getSqliteDatabase(), { userId: user.id, username: user.name, action: 'forbidden', target, detail: { permission, role: user.role } });
}

/** For pages: the signed-in user, or a redirect to sign-in. */
export async function requireSession(): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  return user;
}

/** For pages: the signed-in user with the permission, or a redirect to sign-in / a 403 page. */
export async function requirePagePermission(permission: Permission): Promise<SignedInUser> {
  const user = await requireSession();
  if (!can(user.role, permission)) {
    auditRefusal(user, permission, `page needing ${permission}`);
    redirect('/forbidden');
  }
  return user;
}

export type RouteCheck = { ok: true; user: SignedInUser } | { ok: false; response: Response };

/** For route handlers: 401 without a session, 403 without the permission. */
export async function checkRoutePermission(permission: Permission, target = `route needing ${permission}`): Promise<RouteCheck> {
  const user = await currentUser();
  if (!user) return { ok: false, response: Response.json({ error: 'unauthenticated', message: 'Sign in first.' }, { status: 401 }) };
  if (user.mustChangePassword) {
    return { ok: false, response: Response.json({ error: 'password_change_required', message: 'Choose a new password first.' }, { status: 403 }) };
  }
  if (!can(user.role, permission)) {
    auditRefusal(user, permission, target);
    return { ok: false, response: Response.json({ error: 'forbidden', message: `Your role (${user.role}) may not do this.` }, { status: 403 }) };
  }
  return { ok: true, user };
}
