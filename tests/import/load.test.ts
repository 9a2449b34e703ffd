// Importing survey files into dataset versions: every format maps to the same respondents; the derived variables are
// the generator's own; a version records where it came from; the dry run writes nothing; earlier versions can be
// reactivated; and each of a dozen malformed files is refused with a message naming the file, the row or variable and
// the problem, the active data unchanged (by a checksum over its respondents, indicators and waves).
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';
import { generateNational2017 } from '@/db/demo/national-2017';
import { deriveRespondentVariables } from '@/lib/indicators/derive';
import { DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { sha256 } from '@/lib/import/read';
import { listAuditEntries } from '@/lib/queries/audit';
import { activateDatasetVersion, dryRunImport, ImportRefused, importSurveyFile, markInterruptedImports } from '@/lib/import/dataset-import';
import { listDatasetVersions } from '@/lib/queries/imports';
import { cmdsCsv } from '../bench/cmds-csv';
import { activeFingerprint, createDatabase, temporaryFolder, type Fingerprint } from './database';
import { EXTRACT, fixture } from './fixtures';

const mapping = DEFAULT_MAPPINGS['cmds-2017'];
const folder = temporaryFolder('import-load-');
let db: AppDatabase;
let syntheticId: number;
let admin: { id: number; name: string };

beforeAll(async () => {
  ({ db, datasetId: syntheticId, admin } = await createDatabase(path.join(folder, 'dashboard.db')));
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

const FIXTURES = ['cmds-114.dta', 'cmds-115.dta', 'cmds-117.dta', 'cmds-118.dta', 'cmds-119.dta', 'cmds-bytecode.sav', 'cmds-uncompressed.sav', 'cmds-utf8.csv', 'cmds-gb18030.csv'];

describe('dry run', () => {
  test('every format and encoding maps the same eight respondents', async () => {
    const previews = FIXTURES.map((name) => {
      const outcome = dryRunImport(db, { fileName: name, bytes: fixture(name), mapping, ...EXTRACT });
      if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
      expect(outcome.report.canImport, name).toBe(true);
      expect(outcome.report.validRows, name).toBe(8);
      return { name, rows: outcome.report.preview.rows };
    });
    const reference = previews[0]?.rows ?? [];
    expect(reference[0]).toMatchObject({ cityCode: '440300', stratum: '44', psu: '440300-001', weight: 1.5, male: 1, ruralHukou: 1, migrationRange: 'inter_province', age: 32 });
    // The reverse-coded item: 完全不同意 (1) that one is looked down on is 4 on the integration scale.
    expect(reference[0]).toMatchObject({ integLookedDownRev: 4, healthRecord: 1 });
    for (const { name, rows } of previews) {
      // CSV carries the numbers as text: the same values once parsed; its note column is not mapped.
      expect(rows, name).toEqual(reference);
    }
  });

  test('reports missing values by their code and label, per variable', async () => {
    const count = (name: string, variable: string) => {
      const outcome = dryRunImport(db, { fileName: name, bytes: fixture(name), mapping, ...EXTRACT });
      if (!outcome.ok) throw new Error('unreadable');
      return outcome.report.variables.find((v) => v.variable === variable);
    };
    expect(count('cmds-118.dta', 'ruralHukou')).toMatchObject({ mapped: 7, missing: 1, missingCodes: { '.a 拒绝回答': 1 } });
    expect(count('cmds-118.dta', 'logHouseholdIncome')?.missingCodes).toEqual({ '.': 1, '.b 不知道': 1 });
    expect(count('cmds-bytecode.sav', 'ruralHukou')?.missingCodes).toEqual({ '9 拒绝回答': 1 });
    expect(count('cmds-bytecode.sav', 'logHouseholdIncome')?.missingCodes).toEqual({ sysmis: 1, '-8 不知道': 1 });
    expect(count('cmds-gb18030.csv', 'ruralHukou')?.missingCodes).toEqual({ '-9': 1 });
    expect(count('cmds-gb18030.csv', 'logHouseholdIncome')?.missingCodes).toEqual({ empty: 1, '-8': 1 });
  });

  test('says which mapped variables the file lacks and which file variables the mapping ignores', async () => {
    const outcome = dryRunImport(db, { fileName: 'cmds-117.dta', bytes: fixture('cmds-117.dta'), mapping, ...EXTRACT });
    if (!outcome.ok) throw new Error('unreadable');
    expect(outcome.report.unmappedFileVariables).toEqual(['note']);
    const absent = outcome.report.problems.filter((p) => p.code === 'source_absent');
    expect(absent).toHaveLength(1);
    expect(absent[0]).toMatchObject({ severity: 'warning', count: 29 });
    expect(absent[0]?.values).toContain('q101e1 → educationLevel');
    expect(absent[0]?.message).toMatch(/^cmds-117\.dta: 29 mapped variables are not in the file and will be empty: q101d1 → han, q101e1 → educationLevel/);
    expect(outcome.report.derived).toEqual(['age', 'healthEducationTopics', 'bphsIndex', 'integrationIndex']);
  });

  test('writes nothing', async () => {
    const before = activeFingerprint(db);
    const versions = (await listDatasetVersions(db)).length;
    dryRunImport(db, { fileName: 'cmds-118.dta', bytes: fixture('cmds-118.dta'), mapping, ...EXTRACT });
    expect(activeFingerprint(db)).toEqual(before);
    expect(await listDatasetVersions(db)).toHaveLength(versions);
  });
});

describe('import', () => {
  test('loads a CMDS file as a new active version with provenance, indicators and an audit entry; the old one is kept', async () => {
    const before = activeFingerprint(db);
    const bytes = fixture('cmds-bytecode.sav');
    const outcome = importSurveyFile(db, { fileName: 'cmds-bytecode.sav', bytes, mapping, ...EXTRACT, mappingName: 'cmds-2017.json', importer: admin });
    const version = (await listDatasetVersions(db)).find((v) => v.id === outcome.datasetId);
    expect(version).toMatchObject({
      kind: 'imported',
      status: 'ready',
      active: true,
      sourceFile: 'cmds-bytecode.sav',
      sourceFormat: 'sav',
      checksum: sha256(bytes),
      rowCount: 8,
      sourceRows: 8,
      mappingName: 'cmds-2017.json',
      importedBy: admin.name,
      error: null,
    });
    expect(version?.activatedAt).toBeInstanceOf(Date);
    const row = db.$client.prepare('SELECT imported_by_user_id AS userId, finished_at AS finishedAt, mapping_checksum AS mappingChecksum FROM datasets WHERE id = ?').get(outcome.datasetId) as Record<string, unknown>;
    expect(row).toMatchObject({ userId: admin.id, finishedAt: expect.any(Number), mappingChecksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const cells = db.$client.prepare("SELECT COUNT(*) FROM indicators WHERE dataset_id = ? AND geo_level = 'national'").pluck().get(outcome.datasetId);
    expect(cells).toBeGreaterThan(0);
    expect((await listAuditEntries(db, { action: 'import' }))[0]).toMatchObject({ username: admin.name, target: `dataset:${outcome.datasetId}` });
    // The previous version is inactive but intact.
    activateDatasetVersion(db, before.datasetId, admin);
    expect(activeFingerprint(db)).toEqual(before);
  });

  test('stores exactly the generator’s respondents, derived variables included, from a CMDS-style CSV', async () => {
    const records = generateNational2017({ n: 1500 });
    const csv = cmdsCsv(records, mapping);
    const outcome = importSurveyFile(db, { fileName: 'cmds-2017-sample.csv', bytes: Buffer.from(csv), mapping, ...EXTRACT, importer: admin });
    const stored = db.$client.prepare('SELECT * FROM respondents WHERE dataset_id = ? ORDER BY id').all(outcome.datasetId) as Array<Record<string, unknown>>;
    expect(stored).toHaveLength(records.length);
    const columns = db.$client.prepare('PRAGMA table_info(respondents)').all() as Array<{ name: string }>;
    const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    records.forEach((record, i) => {
      const expected = deriveRespondentVariables({ ...record });
      for (const { name } of columns) {
        if (name === 'id' || name === 'dataset_id') continue;
        const want = (expected as Record<string, unknown>)[camel(name)] ?? null;
        const got = stored[i]?.[name] ?? null;
        if (typeof want === 'number') expect(got, `${name} of row ${i + 1}`).toBeCloseTo(want, 9);
        else expect(got, `${name} of row ${i + 1}`).toBe(want);
      }
    });
    activateDatasetVersion(db, syntheticId, admin);
  });

  test('reactivates an earlier version and refuses to activate one that failed', async () => {
    const failed = db.$client.prepare("INSERT INTO datasets (label, kind, status, error) VALUES ('broken', 'imported', 'failed', 'internal error') RETURNING id").pluck().get() as number;
    expect(() => activateDatasetVersion(db, failed, admin)).toThrow(/did not finish loading/);
    const imported = (await listDatasetVersions(db)).find((v) => v.kind === 'imported' && v.status === 'ready');
    activateDatasetVersion(db, imported?.id as number, admin);
    expect(activeFingerprint(db).datasetId).toBe(imported?.id);
    activateDatasetVersion(db, syntheticId, admin);
    expect(activeFingerprint(db).datasetId).toBe(syntheticId);
    expect((await listAuditEntries(db, { action: 'dataset_activate' })).length).toBeGreaterThanOrEqual(2);
  });

  test('a version whose rows another import removed while it loaded is never activated', async () => {
    const before = activeFingerprint(db);
    const bytes = fixture('cmds-utf8.csv');
    expect(() =>
      importSurveyFile(db, {
        fileName: 'raced.csv',
        bytes,
        mapping, ...EXTRACT,
        importer: admin,
        // What a second import started meanwhile does first: it takes this 'loading' version for an interrupted one.
        onProgress: (stage, done, total) => stage === 'load' && done === total && markInterruptedImports(db),
      }),
    ).toThrow();
    expect(activeFingerprint(db)).toEqual(before);
    expect((await listDatasetVersions(db)).find((v) => v.sourceFile === 'raced.csv')).toMatchObject({ status: 'failed', active: false });
  });

  test('an import left loading by a vanished process is marked interrupted, never active', async () => {
    db.$client.prepare("INSERT INTO datasets (label, kind, status) VALUES ('stale', 'imported', 'loading')").run();
    expect(markInterruptedImports(db)).toBe(1);
    expect((await listDatasetVersions(db)).find((v) => v.label === 'stale')).toMatchObject({ status: 'failed', active: false, error: expect.stringMatching(/interrupted/) });
  });
});

// Good rows in the CMDS CSV conventions of the fixtures, to be broken one way at a time.
const HEADER = 'id,cityid,strata,psu,weight,q101b1,q101c1y,q101f1,q101j1,q501,q701a,q701e,q213';
const GOOD = ['A1,440300,44,440300-001,1.5,男,1985,农业,跨省,1,4,1,8000', 'A2,110100,11,110100-001,2,女,1990,非农业,省内跨市,2,3,2,6000', 'A3,510100,51,510100-001,1,男,1978,农业,市内跨县,1,2,1,9000'];
const csv = (rows: string[], header = HEADER) => Buffer.from(`${header}\n${rows.join('\n')}\n`);
const replace = (row: number, from: string, to: string) => GOOD.map((line, i) => (i === row - 1 ? line.replace(from, to) : line));

const MALFORMED: Array<{ name: string; bytes: () => Buffer; expect: RegExp }> = [
  { name: 'short-row.csv', bytes: () => csv([GOOD[0] as string, 'A2,110100,11']), expect: /short-row\.csv: row 2 \(line 3\) has 3 fields but the header has 13/ },
  { name: 'no-weight.csv', bytes: () => csv(GOOD.map((l) => l.replace(/,(1\.5|2|1),(男|女)/, ',$2')), HEADER.replace(',weight', '')), expect: /no-weight\.csv: required variable weight \(file variable "weight"\) is not in the file/ },
  { name: 'text-weight.csv', bytes: () => csv(replace(3, ',1,男', ',abc,男')), expect: /text-weight\.csv: variable "weight": value "abc" is not a number in 1 row \(first: row 3\)/ },
  { name: 'empty-weight.csv', bytes: () => csv(replace(2, ',2,女', ',,女')), expect: /empty-weight\.csv: variable "weight" is missing in 1 row \(first: row 2\); a row cannot be loaded without it/ },
  { name: 'unknown-code.csv', bytes: () => csv(replace(2, '省内跨市', '跨国')), expect: /unknown-code\.csv: variable "q101j1" \(→ migrationRange\): code "跨国" not in the mapping in 1 row \(first: row 2\)/ },
  { name: 'unknown-city.csv', bytes: () => csv(replace(1, '440300,44', '999999,44')), expect: /unknown-city\.csv: variable "cityid" \(→ cityCode\): city code "999999" not in the dashboard's geography in 1 row \(first: row 1\)/ },
  { name: 'not-a-prefecture.csv', bytes: () => csv(replace(1, '440300,44', '449900,44')), expect: /not-a-prefecture\.csv: variable "cityid" \(→ cityCode\): city code "449900" not in the dashboard's geography in 1 row \(first: row 1\)/ },
  { name: 'birth-year.csv', bytes: () => csv(replace(3, '1978', '1788')), expect: /birth-year\.csv: variable "q101c1y" \(→ birthYear\): value "1788" out of range in 1 row \(first: row 3\)/ },
  { name: 'header-only.csv', bytes: () => csv([]), expect: /header-only\.csv: the file has no data rows/ },
  { name: 'wrong-encoding.csv', bytes: () => iconv.encode(`${HEADER}\n${GOOD.join('\n')}\n`, 'gb18030'), expect: /wrong-encoding\.csv: line 2 is not valid UTF-8.*choose GB18030/ },
  { name: 'truncated.dta', bytes: () => fixture('cmds-114.dta').subarray(0, 3300), expect: /truncated\.dta: the file is truncated: .* stop inside row \d+/ },
  { name: 'release-120.dta', bytes: () => Buffer.from(fixture('cmds-118.dta')).fill('120', 28, 31), expect: /release-120\.dta: this is a Stata file of format 120/ },
  { name: 'cut.sav', bytes: () => fixture('cmds-uncompressed.sav').subarray(0, fixture('cmds-uncompressed.sav').length - 20), expect: /cut\.sav: row 8 is cut off/ },
  { name: 'not-spss.sav', bytes: () => Buffer.from('this is a spreadsheet, not SPSS'), expect: /not-spss\.sav: this is not an SPSS \.sav file/ },
];

test('a city code the demo geography lacks, under a known province, is added (named from GB/T 2260) with a warning', async () => {
  const bytes = csv(replace(1, '440300,44,440300-001', '445200,44,445200-001'));
  const dry = dryRunImport(db, { fileName: 'new-city.csv', bytes, mapping, ...EXTRACT });
  expect(dry.ok && dry.report.canImport).toBe(true);
  const warning = dry.ok ? dry.report.problems.find((p) => p.code === 'new_city') : undefined;
  expect(warning?.message).toMatch(/new-city\.csv: variable "cityid" \(→ cityCode\): city code "445200" not yet in the dashboard's geography in 1 row/);
  expect(db.$client.prepare("SELECT count(*) FROM cities WHERE code = '445200'").pluck().get()).toBe(0);
  const outcome = importSurveyFile(db, { fileName: 'new-city.csv', bytes, mapping, ...EXTRACT, importer: admin });
  expect(db.$client.prepare("SELECT name_zh, name_en, province_code, tier FROM cities WHERE code = '445200'").get()).toEqual({ name_zh: '揭阳', name_en: 'Jieyang', province_code: '44', tier: 'tier4plus' });
  expect(db.$client.prepare('SELECT count(*) FROM respondents WHERE dataset_id = ? AND city_code = ?').pluck().get(outcome.datasetId, '445200')).toBe(1);
});

describe('malformed files', () => {
  let before: Fingerprint;
  beforeAll(() => {
    before = activeFingerprint(db);
  });

  test.each(MALFORMED)('$name is refused with a message naming the file and where, the active data unchanged', ({ name, bytes, expect: message }) => {
    const encoding = name === 'wrong-encoding.csv' ? ('utf-8' as const) : undefined;
    const dry = dryRunImport(db, { fileName: name, bytes: bytes(), mapping, ...EXTRACT, ...(encoding ? { encoding } : {}) });
    const dryMessages = dry.ok ? dry.report.problems.filter((p) => p.severity === 'error').map((p) => p.message) : dry.problems.map((p) => p.message);
    expect(dry.ok && dry.report.canImport).toBe(false);
    expect(dryMessages.join('\n')).toMatch(message);

    let refused: unknown = null;
    try {
      importSurveyFile(db, { fileName: name, bytes: bytes(), mapping, ...EXTRACT, importer: admin, ...(encoding ? { encoding } : {}) });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ImportRefused);
    expect((refused as ImportRefused).message).toMatch(message);
    expect(activeFingerprint(db)).toEqual(before);
  });

  test('a refused import writes nothing: the database file stays byte-identical', async () => {
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const file = db.$client.name;
    const bytes = () => sha256(Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]));
    const original = bytes();
    for (const { name, bytes: content } of MALFORMED) {
      const encoding = name === 'wrong-encoding.csv' ? { encoding: 'utf-8' as const } : {};
      expect(() => importSurveyFile(db, { fileName: name, bytes: content(), mapping, ...EXTRACT, importer: admin, ...encoding })).toThrow(ImportRefused);
      expect(bytes(), name).toBe(original);
    }
  });
});
