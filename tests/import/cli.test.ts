// The import CLI: a dry run changes nothing and exits 0, --json gives one parseable result line, a refused file
// exits 1 naming the problem with the active version unchanged, and usage mistakes exit 2.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { activeFingerprint, createDatabase, temporaryFolder, type Fingerprint } from './database';
import { FIXTURES } from './fixtures';

const root = path.resolve(import.meta.dirname, '..', '..');
const folder = temporaryFolder('import-cli-');
const database = path.join(folder, 'dashboard.db');
let before: Fingerprint;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'db/import.ts', ...args, '--db', database], { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fingerprint(): Fingerprint {
  const db = openDatabase(database);
  const value = activeFingerprint(db);
  db.$client.close();
  return value;
}

beforeAll(async () => {
  const { db } = await createDatabase(database, 800);
  before = activeFingerprint(db);
  db.$client.close();
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('npm run import', () => {
  test('--dry-run prints the per-variable report and writes nothing', () => {
    const run = cli(path.join(FIXTURES, 'cmds-115.dta'), '--mapping', 'lib/import/mappings/cmds-2017.json', '--allow-missing', '*', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/cmds-115\.dta: dta, utf-8, 8 rows, 8 loadable/);
    expect(run.stdout).toMatch(/ruralHukou\s+q101f1\s+7\s+1\s+0\s+0\s+0\s+\.a 拒绝回答: 1/);
    expect(run.stdout).toMatch(/Dry run passed: nothing was written/);
    expect(fingerprint()).toEqual(before);
  });

  test('--dry-run works while the web server holds the write lock, and leaves the file byte-identical', () => {
    const bytes = () => createHash('sha256').update(fs.readFileSync(database)).update(fs.existsSync(`${database}-wal`) ? fs.readFileSync(`${database}-wal`) : '').digest('hex');
    const server = new Database(database);
    server.pragma('wal_checkpoint(TRUNCATE)');
    const original = bytes();
    server.exec('BEGIN IMMEDIATE');
    try {
      const run = cli(path.join(FIXTURES, 'cmds-118.dta'), '--allow-missing', '*', '--dry-run');
      expect(run.stderr).not.toMatch(/database is locked/);
      expect(run.code).toBe(0);
    } finally {
      server.exec('ROLLBACK');
      server.close();
    }
    expect(bytes()).toBe(original);
  });

  test('--json gives one result line', () => {
    const run = cli(path.join(FIXTURES, 'cmds-uncompressed.sav'), '--dry-run', '--json');
    const result = JSON.parse(run.stdout.trim()) as { ok: boolean; report: { validRows: number } };
    expect(result).toMatchObject({ ok: true, report: { validRows: 8 } });
  });

  test('a refused file exits 1 with the problem named; the active version is unchanged', () => {
    const file = path.join(folder, 'bad-range.csv');
    fs.writeFileSync(file, 'id,cityid,strata,psu,weight,q101j1\nA1,440300,44,p1,1,跨省\nA2,440300,44,p1,1,跨国\n');
    const run = cli(file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/import refused; the active dataset is unchanged/);
    expect(run.stderr).toMatch(/bad-range\.csv: variable "q101j1" \(→ migrationRange\): code "跨国" not in the mapping in 1 row \(first: row 2\)/);
    expect(fingerprint()).toEqual(before);
  });

  test('an import makes the file the active version', () => {
    const run = cli(path.join(FIXTURES, 'cmds-utf8.csv'), '--mapping', 'cmds-2017', '--allow-missing', '*', '--user', 'ops');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Imported 8 respondents from cmds-utf8\.csv as dataset #\d+ \(now active\)/);
    expect(fingerprint()).toMatchObject({ rowCount: 8, respondents: 8 });
  });

  test('usage mistakes exit 2', () => {
    expect(cli().code).toBe(2);
    expect(cli('missing.csv').stderr).toMatch(/File not found: missing\.csv/);
    expect(cli(path.join(FIXTURES, 'cmds-utf8.csv'), '--mapping', 'no-such-mapping').stderr).toMatch(/Mapping not found/);
    expect(cli(path.join(FIXTURES, 'cmds-utf8.csv'), '--encoding', 'latin9').code).toBe(2);
  });
});
