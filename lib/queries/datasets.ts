// The active dataset and its waves: what the pages show, and whether it is synthetic (the banner depends on it).
import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { storeOf } from '@/db/store';
import { getDatabase } from './database';
import { listDatasetVersions, type DatasetVersion } from './imports';
import { noteActiveVersion } from './result-cache';

export interface ActiveDataset {
  id: number;
  label: string;
  kind: 'synthetic' | 'imported';
  createdAt: Date;
  waves: Array<{ year: number; label: string; design: string; respondentCount: number }>;
}

export async function getActiveDataset(): Promise<ActiveDataset | null> {
  const { q, datasets, waves } = storeOf(getDatabase());
  const [dataset] = await q
    .select({ id: datasets.id, label: datasets.label, kind: datasets.kind, createdAt: datasets.createdAt, activatedAt: datasets.activatedAt })
    .from(datasets)
    .where(and(eq(datasets.active, true), eq(datasets.status, 'ready')))
    .limit(1);
  if (!dataset) return null;
  // Cached page queries belong to one activation of one version (lib/queries/result-cache.ts).
  noteActiveVersion(`${dataset.id}@${dataset.activatedAt?.getTime() ?? 0}`);
  const waveRows = await q
    .select({ year: waves.year, label: waves.label, design: waves.design, respondentCount: waves.respondentCount })
    .from(waves)
    .where(eq(waves.datasetId, dataset.id))
    .orderBy(asc(waves.year));
  const { activatedAt: _activatedAt, ...shown } = dataset;
  return { ...shown, waves: waveRows };
}

/** Every dataset version, newest first, for the admin import page. */
export function listDatasetVersionsForAdmin(): Promise<DatasetVersion[]> {
  return listDatasetVersions(getDatabase());
}

/** The active dataset's id, kind and notes, for the licence notice of a microdata export. */
export async function getActiveDatasetForExport(): Promise<{ id: number; kind: 'synthetic' | 'imported'; label: string; notes: string | null } | null> {
  const { q, datasets } = storeOf(getDatabase());
  const [row] = await q
    .select({ id: datasets.id, kind: datasets.kind, label: datasets.label, notes: datasets.notes })
    .from(datasets)
    .where(and(eq(datasets.active, true), eq(datasets.status, 'ready')))
    .limit(1);
  return row ?? null;
}
