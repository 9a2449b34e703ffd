// A killed import loses nothing: the CLI is SIGKILLed while it checks and while it loads a 60,000-row file into a copy
// of a database, and the previous version is still the active one, with the same checksum, row count and data; a
// half-loaded version is never active, and the next import marks it interrupted and removes its rows.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { generateNational2017 } from '@/db/demo/national-2017';
import { DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { markInterruptedImports } from '@/lib/import/dataset-import';
import { listDatasetVersions } from '@/lib/queries/imports';
import { cmdsCsvLines } from '../bench/cmds-csv';
import { activeFingerprint, createDatabase, temporaryFolder } from './database';

const root = path.resolve(import.meta.dirname, '..', '..');
const folder = temporaryFolder('import-kill-');
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('an import killed mid-load', () => {
  const original = path.join(folder, 'original.db');
  const file = path.join(folder, 'cmds-2017.csv');
  beforeAll(async () => {
    const { db: seed } = await createDatabase(original, 1500);
    seed.$client.pragma('wal_checkpoint(TRUNCATE)');
    seed.$client.close();
    fs.writeFileSync(file, [...cmdsCsvLines(generateNational2017({ n: 60_000 }), DEFAULT_MAPPINGS['cmds-2017'])].join(''));
  });

  /** Runs the CLI on a copy of the database and SIGKILLs it when its output matches `moment`. */
  async function killWhen(copyName: string, moment: RegExp) {
    // The test works on a copy, as an operator would rehearse on one.
    const copy = path.join(folder, copyName);
    fs.copyFileSync(original, copy);
    const before = (() => {
      const db = openDatabase(copy);
      const fingerprint = activeFingerprint(db);
      db.$client.close();
      return fingerprint;
    })();
    // node with tsx's loader, not the tsx wrapper, so that the signal reaches the process doing the import.
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'db/import.ts', file, '--db', copy, '--mapping', 'cmds-2017'], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: copy },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (moment.test(output) && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', () => reject(new Error(`the import ended before it could be killed:\n${output}`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(child.signalCode).toBe('SIGKILL');
    return { copy, before };
  }

  test('while it reads and checks the file: the database is untouched', async () => {
    // Progress lines come every tenth of the rows; the second is well inside the checked pass.
    const { copy, before } = await killWhen('copy-read.db', /rows: [\d,]+ \/ 60,000\n[\s\S]*rows: [\d,]+ \/ 60,000/);
    const db = openDatabase(copy);
    expect(activeFingerprint(db)).toEqual(before);
    expect((await listDatasetVersions(db)).filter((v) => v.kind === 'imported')).toHaveLength(0);
    db.$client.close();
  });

  test('while it loads the checked rows: the half-loaded version is never active and is removed by the next import', async () => {
    const { copy, before } = await killWhen('copy-load.db', /loaded 60,000 rows into the new version/);
    const db = openDatabase(copy);
    expect(activeFingerprint(db)).toEqual(before);
    const interrupted = (await listDatasetVersions(db)).filter((v) => v.kind === 'imported');
    expect(interrupted).toHaveLength(1);
    expect(interrupted[0]).toMatchObject({ status: 'loading', active: false, sourceFile: 'cmds-2017.csv' });
    expect(markInterruptedImports(db)).toBe(1);
    expect((await listDatasetVersions(db)).find((v) => v.id === interrupted[0]?.id)?.status).toBe('failed');
    expect(db.$client.prepare('SELECT COUNT(*) FROM respondents WHERE dataset_id = ?').pluck().get(interrupted[0]?.id)).toBe(0);
    expect(db.$client.prepare('SELECT COUNT(*) FROM indicators WHERE dataset_id = ?').pluck().get(interrupted[0]?.id)).toBe(0);
    expect(activeFingerprint(db)).toEqual(before);
    db.$client.close();
  });
});
