// Where the analysts' microdata export reads respondents. Embedded: this machine's SQLite file. Cluster
// (DATABASE_URL): the published version in PostgreSQL, through the same local copy a cluster worker makes for its fits
// (lib/queries/cluster-dataset.ts), so the CSV is written by the same code, byte for byte, on either back end and on a
// web instance that never ran the import. The first export of a version on an instance pays for the copy.
import 'server-only';
import { getSqliteDatabase, openDatabase, type AppDatabase } from '@/db/client';
import type { PgDatabase } from '@/db/pg';
import { dialectOf } from '@/db/store';
import { ClusterDatasetCache } from './cluster-dataset';
import { getDatabase } from './database';

let clusterCopies: ClusterDatasetCache | undefined;

/** Runs `read` over a SQLite handle that holds the version's respondents and cities; null when the version is absent. */
export async function readRespondentsOf<T>(datasetId: number, read: (db: AppDatabase) => T): Promise<T | null> {
  const db = getDatabase();
  if (dialectOf(db) === 'sqlite') return read(getSqliteDatabase());
  clusterCopies ??= new ClusterDatasetCache((db as PgDatabase).$client, 1);
  const copy = await clusterCopies.get(datasetId);
  if (!copy) return null;
  const local = openDatabase(copy.databasePath, { readonly: true });
  try {
    return read(local);
  } finally {
    local.$client.close();
  }
}
