// Import jobs as the admin page runs them: in the compiled import worker on its own connection. A dry run reports the
// file, a load reports its progress and becomes active when it commits, and a load stopped mid-way (its worker
// terminated, as a cancel or a crash does) leaves the previous version active and intact.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { generateNational2017 } from '@/db/demo/national-2017';
import type { DryRunResult, ImportResult } from '@/lib/jobs/import-job';
import { IMPORT_LIMITS } from '@/lib/jobs/imports';
import { importPayloadSchema, type ImportPayload } from '@/lib/jobs/payloads';
import { JobPool } from '@/lib/jobs/pool';
import { startWorkerThread } from '@/lib/jobs/threads';
import { DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { listDatasetVersions } from '@/lib/queries/imports';
import { cmdsCsvLines } from '../bench/cmds-csv';
import { activeFingerprint, createDatabase, temporaryFolder } from '../import/database';

const folder = temporaryFolder('import-job-');
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const pools: JobPool<ImportPayload, DryRunResult | ImportResult>[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

function importPool() {
  const pool = new JobPool<ImportPayload, DryRunResult | ImportResult>({ kind: 'import', schema: importPayloadSchema, createWorker: () => startWorkerThread('import'), ...IMPORT_LIMITS });
  pools.push(pool);
  return pool;
}

async function setUp(name: string, rows: number) {
  const databasePath = path.join(folder, `${name}.db`);
  const { db, admin } = await createDatabase(databasePath, 1500);
  const before = activeFingerprint(db);
  db.$client.close();
  const filePath = path.join(folder, `${name}.csv`);
  fs.writeFileSync(filePath, [...cmdsCsvLines(generateNational2017({ n: rows }), DEFAULT_MAPPINGS['cmds-2017'])].join(''));
  const mappingPath = path.join(folder, `${name}-mapping.json`);
  fs.writeFileSync(mappingPath, JSON.stringify(DEFAULT_MAPPINGS['cmds-2017']));
  const payload = (dryRun: boolean): ImportPayload => ({ filePath, fileName: 'cmds-2017.csv', mappingPath, mappingName: 'cmds-2017.json', encoding: 'auto', databasePath, dryRun, user: admin });
  return { databasePath, before, payload, admin };
}

test('a dry run and then an import run in the worker; the import reports progress and becomes the active version', async () => {
  const { databasePath, before, payload, admin } = await setUp('happy', 6_000);
  const pool = importPool();
  const dryRun = (await pool.run(payload(true), admin.id)) as DryRunResult;
  expect(dryRun.ok && dryRun.report.canImport).toBe(true);
  expect(dryRun.ok && dryRun.report.rowCount).toBe(6_000);
  const job = pool.submit(payload(false), admin.id);
  const stages = new Set<string>();
  const poll = setInterval(() => {
    const status = pool.status(job.id);
    if (status?.state === 'running' && status.progress) stages.add(status.progress.stage);
  }, 5);
  const settled = await pool.wait(job.id);
  clearInterval(poll);
  expect(settled.state).toBe('done');
  const outcome = settled.output as ImportResult;
  expect(outcome).toMatchObject({ ok: true, rows: 6_000 });
  expect(stages.has('rows') || stages.has('indicators')).toBe(true);
  const db = openDatabase(databasePath);
  expect(activeFingerprint(db)).not.toEqual(before);
  expect((await listDatasetVersions(db)).find((v) => v.active)?.id).toBe(outcome.ok ? outcome.datasetId : -1);
  db.$client.close();
});

test('a load stopped mid-way leaves the previous version active and intact', async () => {
  const { databasePath, before, payload, admin } = await setUp('stopped', 60_000);
  const pool = importPool();
  const job = pool.submit(payload(false), admin.id);
  // Stop it once it has loaded some rows, inside the load's transaction.
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      const status = pool.status(job.id);
      if (status?.state === 'running' && status.progress?.stage === 'rows' && status.progress.done > 0 && status.progress.done < status.progress.total) {
        clearInterval(poll);
        resolve();
      } else if (status?.state !== 'running' && status?.state !== 'queued') {
        clearInterval(poll);
        reject(new Error(`the import ended before it could be stopped: ${JSON.stringify(status)}`));
      }
    }, 2);
  });
  expect(pool.cancel(job.id)).toBe(true);
  expect(pool.status(job.id)).toEqual({ state: 'cancelled' });
  // The terminated worker's connection is gone; a new one sees the old version active.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const db = openDatabase(databasePath);
  expect(activeFingerprint(db)).toEqual(before);
  const interrupted = (await listDatasetVersions(db)).filter((v) => v.kind === 'imported');
  expect(interrupted.every((v) => !v.active)).toBe(true);
  for (const version of interrupted) expect(db.$client.prepare('SELECT COUNT(*) FROM respondents WHERE dataset_id = ?').pluck().get(version.id)).toBe(0);
  db.$client.close();
});
