// Cached model results, keyed by the canonical request and the dataset version (lib/models/request.ts), in the
// configured back end: the SQLite file, or PostgreSQL on the cluster, where the workers write them with their fit's
// outcome (lib/queries/cluster-jobs.ts). Rows of an earlier dataset are never read for the active one.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';

export interface CachedModel {
  key: string;
  datasetId: number;
  spec: string;
  result: string;
  durationMs: number;
  createdAt: Date;
}

export async function findCachedModel(db: Database, key: string, datasetId: number): Promise<CachedModel | null> {
  const { q, modelCache } = storeOf(db);
  const [row] = await q.select().from(modelCache).where(and(eq(modelCache.key, key), eq(modelCache.datasetId, datasetId))).limit(1);
  return row ?? null;
}

export async function storeCachedModel(db: Database, entry: { key: string; datasetId: number; spec: string; result: string; durationMs: number }): Promise<void> {
  const { q, modelCache } = storeOf(db);
  await q
    .insert(modelCache)
    .values(entry)
    .onConflictDoUpdate({ target: modelCache.key, set: { result: entry.result, spec: entry.spec, durationMs: entry.durationMs, createdAt: new Date() } });
}
