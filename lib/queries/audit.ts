// The audit log: who did what, when, and how long it took. Written by sign-in, model runs, downloads and imports.
import 'server-only';
import { and, desc, eq, gte, lt } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { auditLog } from '@/db/schema';

export interface AuditEntry {
  userId?: number | null;
  username?: string | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  durationMs?: number | null;
}

export function recordAudit(db: AppDatabase, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      userId: entry.userId ?? null,
      username: entry.username ?? null,
      action: entry.action,
      target: entry.target ?? null,
      detail: entry.detail ?? null,
      durationMs: entry.durationMs ?? null,
    })
    .run();
}

export function listAuditEntries(db: AppDatabase, options: { action?: string; username?: string; limit?: number } = {}) {
  const conditions = [
    options.action ? eq(auditLog.action, options.action) : undefined,
    options.username ? eq(auditLog.username, options.username) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(options.limit ?? 100)
    .all();
}

export interface AuditFilter {
  username?: string;
  action?: string;
  from?: Date; // inclusive
  to?: Date; // exclusive
  userId?: number; // only this user's own entries (audit:view-own)
}

/** Audit rows for the audit page and its CSV, newest first, filtered by user, action and date. */
export function searchAuditEntries(db: AppDatabase, filter: AuditFilter, limit = 500) {
  const conditions = [
    filter.username ? eq(auditLog.username, filter.username) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lt(auditLog.at, filter.to) : undefined,
    filter.userId !== undefined ? eq(auditLog.userId, filter.userId) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all();
}

export function listAuditActions(db: AppDatabase): string[] {
  return db.$client.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').pluck().all() as string[];
}
