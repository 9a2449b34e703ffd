// Failed sign-ins slow down guessing without letting a stranger lock anyone out. Per username: after a few failures
// since the last success, each next attempt must wait a delay that doubles with every failure (capped), so a guesser
// gets a handful of tries a minute while the owner waits seconds at most. Per client address (the socket's, see
// client-address.ts): a hard limit over a sliding window. Attempts are recorded in sign_in_attempts, in the configured
// database (db/store.ts): with DATABASE_URL, PostgreSQL, so the limits count attempts on every web instance together.
import 'server-only';
import { and, count, desc, eq, gt, gte } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_CLIENT = 20;
/** Failures of one username (since its last success) answered without delay. */
export const FREE_FAILURES_PER_USERNAME = 3;
export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 30_000;

export type SignInGate = { allowed: true } | { allowed: false; reason: 'username_delay' | 'client_limit'; retryAfterMs: number };

/** The delay owed after `failures` consecutive failures of one username: 0, 0, 0, 1 s, 2 s, 4 s … up to 30 s. */
export function usernameDelayMs(failures: number): number {
  if (failures < FREE_FAILURES_PER_USERNAME) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES_PER_USERNAME));
}

export async function checkSignInGate(db: Database, username: string, clientKey: string, now = Date.now()): Promise<SignInGate> {
  const { q, signInAttempts } = storeOf(db);
  const since = new Date(now - SIGN_IN_WINDOW_MS);
  const [client] = await q
    .select({ n: count() })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.clientKey, clientKey), eq(signInAttempts.success, false), gte(signInAttempts.at, since)));
  const clientFailures = client?.n ?? 0;
  if (clientFailures >= MAX_FAILURES_PER_CLIENT) {
    const [oldest] = await q
      .select({ at: signInAttempts.at })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.clientKey, clientKey), eq(signInAttempts.success, false), gte(signInAttempts.at, since)))
      .orderBy(signInAttempts.at)
      .limit(1);
    return { allowed: false, reason: 'client_limit', retryAfterMs: Math.max(1000, (oldest?.at.getTime() ?? now) + SIGN_IN_WINDOW_MS - now) };
  }
  const [lastSuccess] = await q
    .select({ at: signInAttempts.at })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.username, username), eq(signInAttempts.success, true)))
    .orderBy(desc(signInAttempts.at))
    .limit(1);
  const countFrom = new Date(Math.max(since.getTime(), lastSuccess?.at.getTime() ?? 0));
  const failures = await q
    .select({ at: signInAttempts.at })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.username, username), eq(signInAttempts.success, false), gt(signInAttempts.at, countFrom)))
    .orderBy(desc(signInAttempts.at));
  const delay = usernameDelayMs(failures.length);
  const last = failures[0]?.at.getTime();
  if (delay > 0 && last !== undefined && now < last + delay) return { allowed: false, reason: 'username_delay', retryAfterMs: last + delay - now };
  return { allowed: true };
}

/** Kept for callers that only need yes or no. */
export async function isSignInBlocked(db: Database, username: string, clientKey: string, now = Date.now()): Promise<boolean> {
  return !(await checkSignInGate(db, username, clientKey, now)).allowed;
}

export async function recordSignInAttempt(db: Database, username: string, clientKey: string, success: boolean, now = Date.now()): Promise<void> {
  const { q, signInAttempts } = storeOf(db);
  await q.insert(signInAttempts).values({ at: new Date(now), username, clientKey, success });
}
