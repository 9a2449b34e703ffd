// The audit log: who did what, when, and how long it took. Written by sign-in, model runs, downloads and imports.
// In the configured database (db/store.ts): PostgreSQL in the cluster back end, so every web instance reads every
// instance's entries. The import's own entries are written inside its SQLite transactions (audit-sqlite.ts).
import 'server-only';
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';

export interface AuditEntry {
  userId?: number | null;
  username?: string | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  durationMs?: number | null;
}

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  const { q, auditLog } = storeOf(db);
  await q.insert(auditLog).values({ userId: entry.userId ?? null, username: entry.username ?? null, action: entry.action, target: entry.target ?? null, detail: entry.detail ?? null, durationMs: entry.durationMs ?? null });
}

export async function listAuditEntries(db: Database, options: { action?: string; username?: string; limit?: number } = {}) {
  return searchAuditEntries(db, { action: options.action, username: options.username }, options.limit ?? 100);
}

export interface AuditFilter {
  username?: string;
  action?: string;
  from?: Date; // inclusive
  to?: Date; // exclusive
  userId?: number; // only this user's own entries (audit:view-own)
}

/** Audit rows for the audit page and its CSV, newest first, filtered by user, action and date. */
export async function searchAuditEntries(db: Database, filter: AuditFilter, limit = 500) {
  const { q, auditLog } = storeOf(db);
  const conditions = [
    filter.username ? eq(auditLog.username, filter.username) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lt(auditLog.at, filter.to) : undefined,
    filter.userId !== undefined ? eq(auditLog.userId, filter.userId) : undefined,
  ].filter((c) => c !== undefined);
  return q
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

export async function listAuditActions(db: Database): Promise<string[]> {
  const { q, auditLog } = storeOf(db);
  const rows = await q.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}
