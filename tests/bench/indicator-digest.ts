// `tsx tests/bench/indicator-digest.ts DB [--recompute]`: a sha256 digest of every dataset's indicators and
// equity_measures tables, per table, with every value printed exactly (JSON numbers round-trip doubles). With
// --recompute, the tables are first recomputed by the current code (on the given file, so pass a copy). Used to show
// that a change to the precompute leaves its results byte-identical: digest before the change, recompute after, compare.
import { createHash } from 'node:crypto';
import { openDatabase } from '../../db/client';
import { computeIndicators } from '../../lib/indicators/precompute';

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx tests/bench/indicator-digest.ts DB [--recompute]');
  process.exit(2);
}
const db = openDatabase(file);
const datasetIds = db.$client.prepare('SELECT DISTINCT dataset_id FROM respondents ORDER BY dataset_id').pluck().all() as number[];
if (flag === '--recompute') {
  for (const id of datasetIds) {
    const started = Date.now();
    computeIndicators(db, id);
    console.log(`recomputed dataset ${id} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
for (const [table, order] of [
  ['indicators', 'dataset_id, wave, geo_level, geo_code, hukou, migration_range, indicator'],
  ['equity_measures', 'dataset_id, wave, indicator, family, geo_level, geo_code, hukou, migration_range, measure'],
] as const) {
  const hash = createHash('sha256');
  let rows = 0;
  // Every column but the row id (which a recompute renumbers), in a total order of the table's key.
  const columns = (db.$client.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name).filter((name) => name !== 'id');
  for (const row of db.$client.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`).raw().iterate() as Iterable<unknown[]>) {
    hash.update(JSON.stringify(row));
    hash.update('\n');
    rows++;
  }
  console.log(`${table}: ${rows} rows, sha256 ${hash.digest('hex')}`);
}
db.$client.close();
