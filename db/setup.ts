// `npm run setup` (and the first step of `npm start`): migrate the database and, when no dataset is active yet, load
// the embedded synthetic demonstration data and compute its indicators. Idempotent: a second run only migrates.
// Demonstration accounts are created only while no real dataset exists, and disabled once one is active; they go into
// the configured database (PostgreSQL when DATABASE_URL is set, where every web instance reads accounts).
// With DATABASE_URL=postgres://… the active version is then published into PostgreSQL (db/publish.ts).
import { and, eq } from 'drizzle-orm';
import { env } from '../lib/env';
import { ensureAuthSecret } from '../lib/auth/secret';
import { ensureDemoUsers } from '../lib/auth/demo-users';
import { openDatabase } from './client';
import { openConfiguredDatabase } from './cli-database';
import { applyMigrations } from './migrate';
import { datasets } from './schema';
import { loadDemonstrationData } from './demo/load';
import { markInterruptedImports } from '../lib/import/dataset-import';
import { computeIndicators, describeSuppression } from '../lib/indicators/precompute';
import { publishActiveVersionToCluster } from './publish';

async function main(): Promise<void> {
  const started = Date.now();
  const db = openDatabase(env.DATABASE_PATH);
  applyMigrations(db);
  ensureAuthSecret();
  // An import whose process was killed left only its 'loading' row (its data rolled back): say so in the version list.
  const interrupted = markInterruptedImports(db);
  if (interrupted > 0) console.log(`Marked ${interrupted} interrupted import(s) as failed; the active dataset is unchanged.`);

  const active = db
    .select({ id: datasets.id, label: datasets.label })
    .from(datasets)
    .where(and(eq(datasets.active, true), eq(datasets.status, 'ready')))
    .get();
  if (active) {
    // Indicators are derived: a migration may drop them (0003 did, to add secondary suppression); recompute then.
    const cells = db.$client.prepare('SELECT COUNT(*) FROM indicators WHERE dataset_id = ?').pluck().get(active.id) as number;
    if (cells === 0) {
      const summary = computeIndicators(db, active.id);
      for (const line of describeSuppression(summary)) console.log(`  ${line}`);
    }
    console.log(`Database ${env.DATABASE_PATH} is ready (active dataset #${active.id}: ${active.label}).`);
  } else {
    console.log(`Creating the demonstration database at ${env.DATABASE_PATH} …`);
    const summary = loadDemonstrationData(db, (line) => console.log(`  ${line}`));
    console.log(
      `  Loaded dataset #${summary.datasetId}: ${Object.entries(summary.respondents)
        .map(([wave, n]) => `${wave}: ${n.toLocaleString('en')} respondents`)
        .join(', ')}; ${summary.indicatorCells.toLocaleString('en')} indicator cells ` +
        `(${summary.suppressedCells.toLocaleString('en')} suppressed) in ${(summary.ms / 1000).toFixed(1)} s.`,
    );
    for (const line of describeSuppression(summary.indicatorSummary)) console.log(`  ${line}`);
  }
  const state = await openConfiguredDatabase();
  // The dataset was loaded into this SQLite file: it decides whether demonstration accounts may exist, wherever they are.
  const demo = await ensureDemoUsers(state.db, db).finally(() => state.close());
  if (demo === 'disabled') console.log('A real dataset is active: the demonstration accounts are disabled.');
  if (demo === 'skipped') console.log('A real dataset exists: the demonstration accounts are not created.');
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  try {
    await publishActiveVersionToCluster(db);
  } finally {
    db.$client.close();
  }
  console.log(`Setup finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `setup: ${error.message}` : error);
  process.exitCode = 1;
});
