// Temporary databases for the import tests: migrated, with the geography and a small synthetic version active, and a
// fingerprint of the active data (its dataset row, respondents and indicators) to prove that nothing changed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type AppDatabase } from '@/db/client';
import { insertGeography } from '@/db/geography';
import { insertRespondents } from '@/db/respondents';
import { generateNational2017 } from '@/db/demo/national-2017';
import { applyMigrations } from '@/db/migrate';
import { datasets, waves } from '@/db/schema';
import { computeIndicators } from '@/lib/indicators/precompute';
import { ensureDemoUsers } from '@/lib/auth/demo-users';

export function temporaryFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A migrated database with the demonstration accounts, whose active version is a synthetic 2017 wave of `n`. */
export async function createDatabase(file: string, n = 2000): Promise<{ db: AppDatabase; datasetId: number; admin: { id: number; name: string } }> {
  const db = openDatabase(file);
  applyMigrations(db);
  insertGeography(db);
  await ensureDemoUsers(db);
  const admin = db.$client.prepare("SELECT id, display_name AS name FROM users WHERE role = 'admin'").get() as { id: number; name: string };
  const datasetId = db.$client.transaction(() => {
    const [row] = db.insert(datasets).values({ label: 'Synthetic test version', kind: 'synthetic', status: 'ready', active: true }).returning({ id: datasets.id }).all();
    const id = (row as { id: number }).id;
    const count = insertRespondents(db, id, generateNational2017({ n }));
    db.insert(waves).values({ datasetId: id, year: 2017, label: '2017', design: 'national', respondentCount: count }).run();
    db.update(datasets).set({ rowCount: count }).where(eq(datasets.id, id)).run();
    computeIndicators(db, id);
    return id;
  })();
  return { db, datasetId, admin };
}

export interface Fingerprint {
  datasetId: number;
  checksum: string | null;
  rowCount: number;
  respondents: number;
  data: string;
}

/** sha256 of everything the dashboard shows from the active version. */
export function activeFingerprint(db: AppDatabase): Fingerprint {
  const active = db.$client.prepare("SELECT id, checksum, row_count AS rowCount FROM datasets WHERE active = 1 AND status = 'ready'").all() as Array<{
    id: number;
    checksum: string | null;
    rowCount: number;
  }>;
  if (active.length !== 1) throw new Error(`expected one active dataset, found ${active.length}`);
  const { id, checksum, rowCount } = active[0] as { id: number; checksum: string | null; rowCount: number };
  const hash = createHash('sha256');
  let respondents = 0;
  for (const row of db.$client.prepare('SELECT * FROM respondents WHERE dataset_id = ? ORDER BY id').raw().iterate(id) as Iterable<unknown[]>) {
    hash.update(JSON.stringify(row));
    respondents++;
  }
  for (const row of db.$client.prepare('SELECT * FROM indicators WHERE dataset_id = ? ORDER BY id').raw().iterate(id) as Iterable<unknown[]>) hash.update(JSON.stringify(row));
  for (const row of db.$client.prepare('SELECT * FROM waves WHERE dataset_id = ? ORDER BY year').raw().iterate(id) as Iterable<unknown[]>) hash.update(JSON.stringify(row));
  return { datasetId: id, checksum, rowCount, respondents, data: hash.digest('hex') };
}
