// Revocable sessions: the signed token only names a row here, and each request checks that row and its user, so a
// sign-out, a disabled account, a password reset or a role change takes effect on the very next request. In the
// configured database (db/store.ts): with DATABASE_URL, PostgreSQL, so a revocation on one web instance holds on all.
import 'server-only';
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';
import { isRole, type Role } from '@/lib/auth/permissions';

export interface SessionLimits {
  maxAgeMs: number; // absolute lifetime from sign-in
  idleMs: number; // ends after this long without a request
}

export interface LiveSession {
  sessionId: string;
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
}

// lastSeenAt is written at most this often, so reading pages does not turn every request into a write.
const TOUCH_INTERVAL_MS = 30_000;

export async function createSession(db: Database, userId: number, limits: SessionLimits, now = Date.now()): Promise<string> {
  const { q, sessions } = storeOf(db);
  const id = crypto.randomBytes(24).toString('base64url');
  await q.insert(sessions).values({ id, userId, createdAt: new Date(now), lastSeenAt: new Date(now), expiresAt: new Date(now + limits.maxAgeMs) });
  return id;
}

/** Whether demonstration accounts may be used: only while the synthetic dataset (or none) is the active one. */
export async function demoAccountsAllowed(db: Database): Promise<boolean> {
  const { q, datasets } = storeOf(db);
  const [active] = await q
    .select({ kind: datasets.kind })
    .from(datasets)
    .where(and(eq(datasets.active, true), eq(datasets.status, 'ready')))
    .limit(1);
  return !active || active.kind === 'synthetic';
}

/**
 * The session and its user as the database has them now, or null (and the row revoked when it ran out) for anything
 * that is not a live session of an active user with a known role: unknown ids fail closed. `datasets` is the handle
 * holding the dataset versions, which decide whether demonstration accounts may be used (the same back end in the app).
 */
export async function checkSession(db: Database, sessionId: unknown, limits: SessionLimits, now = Date.now(), datasets: Database = db): Promise<LiveSession | null> {
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 64) return null;
  const { q, sessions, users } = storeOf(db);
  const [row] = await q
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      demo: users.demo,
      mustChangePassword: users.mustChangePassword,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId))
    .limit(1);
  if (!row || row.revokedAt) return null;
  const expired = row.expiresAt.getTime() <= now ? 'expired' : now - row.lastSeenAt.getTime() > limits.idleMs ? 'idle' : null;
  if (expired) {
    await revokeSession(db, sessionId, expired, now);
    return null;
  }
  if (!row.active || !isRole(row.role) || (row.demo && !(await demoAccountsAllowed(datasets)))) return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await q.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, sessionId));
  return { sessionId: row.sessionId, userId: row.userId, username: row.username, displayName: row.displayName, role: row.role, mustChangePassword: row.mustChangePassword };
}

export async function revokeSession(db: Database, sessionId: string, reason: string, now = Date.now()): Promise<void> {
  const { q, sessions } = storeOf(db);
  await q
    .update(sessions)
    .set({ revokedAt: new Date(now), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Ends every live session of a user (disabled, password reset, role changed). Returns how many were ended. */
export async function revokeUserSessions(db: Database, userId: number, reason: string, now = Date.now()): Promise<number> {
  const { q, sessions } = storeOf(db);
  const ended = await q
    .update(sessions)
    .set({ revokedAt: new Date(now), revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}
