// Cached model results, keyed by the canonical request and the dataset version (lib/models/request.ts). Rows of an
// earlier dataset are never read for the active one, and are deleted with their dataset (ON DELETE CASCADE).
import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { modelCache } from '@/db/schema';

export interface CachedModel {
  key: string;
  datasetId: number;
  spec: string;
  result: string;
  durationMs: number;
  createdAt: Date;
}

export function findCachedModel(db: AppDatabase, key: string, datasetId: number): CachedModel | null {
  return db.select().from(modelCache).where(and(eq(modelCache.key, key), eq(modelCache.datasetId, datasetId))).get() ?? null;
}

export function storeCachedModel(db: AppDatabase, entry: { key: string; datasetId: number; spec: string; result: string; durationMs: number }): void {
  db.insert(modelCache)
    .values(entry)
    .onConflictDoUpdate({ target: modelCache.key, set: { result: entry.result, spec: entry.spec, durationMs: entry.durationMs, createdAt: new Date() } })
    .run();
}

