// Revocable sessions: the signed token only names a row here, and each request checks that row and its user, so a
// sign-out, a disabled account, a password reset or a role change takes effect on the very next request.
import 'server-only';
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { datasets, sessions, users } from '@/db/schema';
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

export function createSession(db: AppDatabase, userId: number, limits: SessionLimits, now = Date.now()): string {
  const id = crypto.randomBytes(24).toString('base64url');
  db.insert(sessions).values({ id, userId, createdAt: new Date(now), lastSeenAt: new Date(now), expiresAt: new Date(now + limits.maxAgeMs) }).run();
  return id;
}

/** Whether demonstration accounts may be used: only while the synthetic dataset (or none) is the active one. */
export function demoAccountsAllowed(db: AppDatabase): boolean {
  const active = db.select({ kind: datasets.kind }).from(datasets).where(and(eq(datasets.active, true), eq(datasets.status, 'ready'))).get();
  return !active || active.kind === 'synthetic';
}

/**
 * The session and its user as the database has them now, or null (and the row revoked when it ran out) for anything
 * that is not a live session of an active user with a known role: unknown ids fail closed.
 */
export function checkSession(db: AppDatabase, sessionId: unknown, limits: SessionLimits, now = Date.now()): LiveSession | null {
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 64) return null;
  const row = db
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
    .get();
  if (!row || row.revokedAt) return null;
  const expired = row.expiresAt.getTime() <= now ? 'expired' : now - row.lastSeenAt.getTime() > limits.idleMs ? 'idle' : null;
  if (expired) {
    revokeSession(db, sessionId, expired, now);
    return null;
  }
  if (!row.active || !isRole(row.role) || (row.demo && !demoAccountsAllowed(db))) return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) db.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, sessionId)).run();
  return { sessionId: row.sessionId, userId: row.userId, username: row.username, displayName: row.displayName, role: row.role, mustChangePassword: row.mustChangePassword };
}

export function revokeSession(db: AppDatabase, sessionId: string, reason: string, now = Date.now()): void {
  db.update(sessions)
    .set({ revokedAt: new Date(now), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .run();
}

/** Ends every live session of a user (disabled, password reset, role changed). Returns how many were ended. */
export function revokeUserSessions(db: AppDatabase, userId: number, reason: string, now = Date.now()): number {
  return db
    .update(sessions)
    .set({ revokedAt: new Date(now), revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .run().changes;
}
