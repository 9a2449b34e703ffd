// Failed sign-ins are limited per username and per client address over a sliding window, so a password cannot be
// guessed by brute force; attempts are recorded in sign_in_attempts.
import { and, eq, gte, count } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { signInAttempts } from '@/db/schema';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_CLIENT = 20;

export function isSignInBlocked(db: AppDatabase, username: string, clientKey: string, now = Date.now()): boolean {
  const since = new Date(now - SIGN_IN_WINDOW_MS);
  const failuresFor = (condition: ReturnType<typeof eq>) =>
    db
      .select({ n: count() })
      .from(signInAttempts)
      .where(and(condition, eq(signInAttempts.success, false), gte(signInAttempts.at, since)))
      .get()?.n ?? 0;
  return (
    failuresFor(eq(signInAttempts.username, username)) >= MAX_FAILURES_PER_USERNAME ||
    failuresFor(eq(signInAttempts.clientKey, clientKey)) >= MAX_FAILURES_PER_CLIENT
  );
}

export function recordSignInAttempt(db: AppDatabase, username: string, clientKey: string, success: boolean, now = Date.now()): void {
  db.insert(signInAttempts).values({ at: new Date(now), username, clientKey, success }).run();
}
