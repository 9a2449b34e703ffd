// Issue 13: the importer never loads wrong data quietly. Each case below used to load wrong or incomplete data with
// exit code 0; now each is refused with a message that names the cause, and the database file stays byte-identical.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';
import { decodeMappingBytes, parseMapping, type ImportMapping } from '@/lib/import/mapping';
import { DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { sha256 } from '@/lib/import/read';
import { activateDatasetVersion, dryRunImport, ImportRefused, importSurveyFile } from '@/lib/import/dataset-import';
import { activeFingerprint, createDatabase, temporaryFolder, type Fingerprint } from './database';
import { writeDta114 } from './dta-writer';
import { EXTRACT, fixture } from './fixtures';

const mapping = DEFAULT_MAPPINGS['cmds-2017'];
const folder = temporaryFolder('import-wrong-');
let db: AppDatabase;
let admin: { id: number; name: string };
let before: Fingerprint;

beforeAll(async () => {
  ({ db, admin } = await createDatabase(path.join(folder, 'dashboard.db'), 600));
  before = activeFingerprint(db);
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

/** sha256 of the database file and its WAL, after a checkpoint that empties the WAL. */
function fileBytes(): string {
  const file = db.$client.name;
  return sha256(Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]));
}

/** Imports and expects a refusal matching `message`, in the dry run too, with the database file byte-identical. */
function expectRefused(fileName: string, bytes: Uint8Array, message: RegExp, options: { mapping?: ImportMapping; allowMissing?: string[] } = {}) {
  const input = { fileName, bytes, mapping: options.mapping ?? mapping, ...(options.allowMissing ? { allowMissing: options.allowMissing } : {}) };
  const dry = dryRunImport(db, input);
  const dryMessages = dry.ok ? dry.report.problems.filter((p) => p.severity === 'error').map((p) => p.message) : dry.problems.map((p) => p.message);
  expect(dryMessages.join('\n')).toMatch(message);
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  const original = fileBytes();
  let refused: unknown = null;
  try {
    importSurveyFile(db, { ...input, importer: admin });
  } catch (error) {
    refused = error;
  }
  expect(refused).toBeInstanceOf(ImportRefused);
  expect((refused as ImportRefused).message).toMatch(message);
  expect(fileBytes()).toBe(original);
  expect(activeFingerprint(db)).toEqual(before);
}

const HEADER = 'id,cityid,strata,psu,weight,q101b1,q101c1y,q101f1,q101j1,q501,q701a,q701e,q213';
const GOOD = [
  'A1,440300,44,440300-001,1.5,男,1985,农业,跨省,1,4,1,8000',
  'A2,110100,11,110100-001,2,女,1990,非农业,省内跨市,2,3,2,6000',
  'A3,510100,51,510100-001,1,男,1978,农业,市内跨县,1,2,1,9000',
  'A4,510100,51,510100-002,1.25,女,1982,农业,跨省,2,3,1,7000',
];
const csv = (rows: string[], header = HEADER) => Buffer.from(`${header}\n${rows.join('\n')}\n`);

describe('item 2: a .dta whose header counts fewer or more rows than it holds', () => {
  test('format 118 with more rows than its header counts is refused', () => {
    const bytes = Buffer.from(fixture('cmds-118.dta'));
    const at = bytes.indexOf('<N>') + 3;
    bytes.writeUInt32LE(7, at);
    expectRefused('undercount-118.dta', bytes, /undercount-118\.dta: the data section holds \d+ bytes, room for 8 rows, but the header counts 7 rows/);
  });

  test('format 114 with more rows than its header counts is refused', () => {
    const bytes = Buffer.from(fixture('cmds-114.dta'));
    bytes.writeUInt32LE(6, 6);
    expectRefused('undercount-114.dta', bytes, /undercount-114\.dta: the bytes after the 6 rows the header counts are not value labels: the header may count fewer rows than the file holds/);
  });

  test('a truncated format 118 or 119 file names the row it stops in', () => {
    for (const name of ['cmds-118.dta', 'cmds-119.dta']) {
      const bytes = fixture(name);
      const at = bytes.indexOf('<data>') + 6;
      expectRefused(`cut-${name}`, bytes.subarray(0, at + 150), /the file is truncated: the header promises 8 rows of \d+ bytes but the data stop inside row \d/);
    }
  });
});

describe('item 3: an uncompressed .sav with fewer or more rows than its header says', () => {
  const original = fixture('cmds-uncompressed.sav');
  const caseBytes = original.readInt32LE(68) * 8;

  test('cut at a row boundary', () => {
    expectRefused('cut-row.sav', original.subarray(0, original.length - caseBytes), /cut-row\.sav: the file ends after 7 rows but its header promises 8/);
  });

  test('a header that promises more cases than the file holds', () => {
    const bytes = Buffer.from(original);
    bytes.writeInt32LE(9, 80);
    expectRefused('promises-9.sav', bytes, /promises-9\.sav: the file ends after 8 rows but its header promises 9/);
  });

  test('a header that counts fewer cases than the file holds', () => {
    const bytes = Buffer.from(original);
    bytes.writeInt32LE(6, 80);
    expectRefused('counts-6.sav', bytes, /counts-6\.sav: the file holds more rows than the 6 its header counts \(2 more\)/);
  });
});

describe('item 4: a very-long-string record with a damaged width', () => {
  test('a claimed width of 1e9 is refused instead of swallowing the variables after it', () => {
    const bytes = fixture('cmds-long-strings.sav');
    const at = bytes.indexOf('LONG_COM=960');
    // The extension record's header (type 7, subtype 14, size 1, count) is the 16 bytes before its text.
    const count = bytes.readInt32LE(at - 4);
    const text = Buffer.from('LONG_COM=1000000000');
    const patched = Buffer.concat([bytes.subarray(0, at), text, bytes.subarray(at + 'LONG_COM=960'.length)]);
    patched.writeInt32LE(count + text.length - 'LONG_COM=960'.length, at - 4);
    expectRefused('huge-width.sav', patched, /huge-width\.sav: .*the very-long-string record claims a width of 1000000000 bytes/);
  });
});

describe('item 5: value labels that contradict the mapping', () => {
  const stata = (labels: Array<[number, string]>) =>
    writeDta114(
      [
        { name: 'id', type: 'str', width: 4, values: ['A1', 'A2', 'A3', 'A4'].map((t) => Buffer.from(t)) },
        { name: 'cityid', type: 'long', values: [440300, 440300, 110100, 110100] },
        { name: 'strata', type: 'long', values: [44, 44, 11, 11] },
        { name: 'psu', type: 'str', width: 12, values: ['440300-001', '440300-001', '110100-001', '110100-001'].map((t) => Buffer.from(t)) },
        { name: 'weight', type: 'double', values: [1, 2, 1.5, 1] },
        { name: 'q101f1', type: 'byte', values: [1, 2, 2, 2], labels: 'hukou' },
        { name: 'q501', type: 'byte', values: [1, 2, 1, 2] },
      ],
      { hukou: labels.map(([code, label]) => [code, Buffer.from(label)]) },
    );

  test('hukou labelled the reverse way round is refused with the variable, the code and both labels', () => {
    expectRefused('reversed-hukou.dta', stata([[1, '非农业户口'], [2, '农业户口']]), /reversed-hukou\.dta: variable "q101f1" \(→ ruralHukou\): the file's value labels contradict the mapping in 4 rows .*code 1: file label "非农业户口", mapping "农业" → 1/);
  });

  test('labels the mapping knows load as before', () => {
    const dry = dryRunImport(db, { fileName: 'hukou.dta', bytes: stata([[1, '农业'], [2, '非农业']]), mapping, ...EXTRACT });
    expect(dry.ok && dry.report.canImport).toBe(true);
  });
});

describe('item 6: duplicate respondents', () => {
  test('duplicate IDs are refused, naming the IDs and their rows', () => {
    expectRefused('duplicate-ids.csv', csv([...GOOD, GOOD[1]!.replace(',2,女,1990', ',2,男,1991')]), /duplicate-ids\.csv: variable "id" \(→ sourceId\): 1 respondent ID occur more than once: "A2" in rows 2 and 5/);
  });

  test('wholly duplicated rows are refused, without an ID too', () => {
    const noId = GOOD.map((line) => line.replace(/^A\d,/, ''));
    const header = HEADER.replace(/^id,/, '');
    expectRefused('duplicate-rows.csv', csv([...noId, noId[2]!], header), /duplicate-rows\.csv: 1 row repeats an earlier row in every mapped variable: row 5 = row 3/);
  });
});

describe('item 7: a mapped optional variable missing from the file', () => {
  // The default mapping narrowed to the variables of HEADER, so that q213 is the only mapped variable a file may lack.
  const sources = new Set(HEADER.split(','));
  const narrow = {
    ...mapping,
    variables: Object.fromEntries(Object.entries(mapping.variables).filter(([, v]) => v.source === undefined || sources.has(v.source))),
  };
  const misspelled = () => csv(GOOD, HEADER.replace('q213', 'q2l3'));
  const renamed = () => csv(GOOD, HEADER.replace('q213', 'household_income'));

  test('is refused with the closest names in the file', () => {
    expectRefused('misspelled.csv', misspelled(), /misspelled\.csv: mapped variable "q213" \(→ logHouseholdIncome\) is not in the file; closest names in the file: "q2l3"\. .*--allow-missing q213/, { mapping: narrow });
  });

  test('is refused even when no name in the file is close', () => {
    expectRefused('renamed.csv', renamed(), /renamed\.csv: mapped variable "q213" \(→ logHouseholdIncome\) is not in the file; no similar name in the file\. .*--allow-missing q213/, { mapping: narrow });
  });

  test('is refused unless that variable is the one allowed', () => {
    expectRefused('renamed.csv', renamed(), /mapped variable "q213" \(→ logHouseholdIncome\) is not in the file/, { mapping: narrow, allowMissing: ['q501'] });
  });

  test('loads only with an explicit --allow-missing (file or canonical name), which leaves a warning and an audit entry', () => {
    for (const allowed of ['q213', 'logHouseholdIncome']) {
      const dry = dryRunImport(db, { fileName: 'misspelled.csv', bytes: misspelled(), mapping: narrow, allowMissing: [allowed] });
      expect(dry.ok && dry.report.canImport).toBe(true);
      expect(dry.ok && dry.report.problems.find((p) => p.code === 'source_absent')?.values).toEqual(['q213 → logHouseholdIncome']);
    }
    const outcome = importSurveyFile(db, { fileName: 'renamed.csv', bytes: renamed(), mapping: narrow, allowMissing: ['q213'], importer: admin });
    expect(db.$client.prepare('SELECT COUNT(*) FROM respondents WHERE dataset_id = ? AND log_household_income IS NOT NULL').pluck().get(outcome.datasetId)).toBe(0);
    const audit = db.$client.prepare("SELECT detail FROM audit_log WHERE action = 'import' AND target = ?").pluck().get(`dataset:${outcome.datasetId}`) as string;
    expect(JSON.parse(audit)).toMatchObject({ allowMissing: ['q213'] });
    activateDatasetVersion(db, before.datasetId, admin);
    expect(activeFingerprint(db)).toEqual(before);
  });
});

describe('item 8: a version whose indicators would be empty is not activated', () => {
  test('the cmds-2018 mapping passes now that the catalogue is wave-agnostic: its rows carry indicator variables', () => {
    const dry = dryRunImport(db, { fileName: 'wave-2018.csv', bytes: csv(GOOD), mapping: DEFAULT_MAPPINGS['cmds-2018'], allowMissing: ['*'] });
    expect(dry.ok && dry.report.problems.filter((p) => p.code === 'no_indicators')).toEqual([]);
  });

  test('a 2017 file without any indicator variable is refused too', () => {
    const header = 'id,cityid,strata,psu,weight,q101b1';
    expectRefused('no-indicators.csv', csv(GOOD.map((l) => l.split(',').slice(0, 6).join(',')), header), /no-indicators\.csv: no row of wave 2017 has a value for any indicator .*the version would show no indicator cells, so it is not activated/);
  });
});

describe('item 9: messages that say the cause', () => {
  test('a mapping saved by Notepad with a BOM is accepted; one in GB18030 or UTF-16 is named; invalid JSON names the file', () => {
    const text = JSON.stringify({ name: '映射', variables: { wave: { constant: 2017 } } });
    expect(parseMapping(decodeMappingBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'bom.json'), 'bom.json').name).toBe('映射');
    expect(() => decodeMappingBytes(iconv.encode(text, 'gb18030'), 'notepad.json')).toThrow(/notepad\.json is saved in GB18030 \(GBK\), not UTF-8/);
    expect(() => decodeMappingBytes(iconv.encode(`\ufeff${text}`, 'utf-16le'), 'unicode.json')).toThrow(/unicode\.json is saved as UTF-16/);
    expect(() => parseMapping('{"name": ', 'broken.json')).toThrow(/^broken\.json is not valid JSON/);
  });

  test('a mapping value that is not valid for the variable is reported as the mapping\'s error', () => {
    const yes = { ...mapping, variables: { ...mapping.variables, healthRecord: { source: 'q501', codes: { '1': 'yes', '2': 0 } } } } as ImportMapping;
    expectRefused('yes.csv', csv(GOOD), /yes\.csv: variable "q501" \(→ healthRecord\): the mapping gives a value that is not valid for healthRecord in 2 rows .*: 1 → "yes" \(correct the mapping's "codes"\)/, { mapping: yes });
  });

  test('an .xlsx renamed .csv and a UTF-16 text export are recognised by their bytes', () => {
    const xlsx = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('[Content_Types].xml'), Buffer.alloc(40), Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('xl/workbook.xml')]);
    expectRefused('survey.csv', xlsx, /survey\.csv: this is an Excel workbook \(\.xlsx, a zip archive with xl\/ entries\), not a CSV/);
    expectRefused('survey.xlsx', xlsx, /survey\.xlsx: this is an Excel workbook/);
    expectRefused('unicode.csv', iconv.encode(`\ufeff${HEADER}\n${GOOD.join('\n')}\n`, 'utf-16le'), /unicode\.csv: this is UTF-16 text/);
    expectRefused('unicode-no-bom.txt', iconv.encode(`${HEADER}\n${GOOD.join('\n')}\n`, 'utf-16le'), /unicode-no-bom\.txt: this is UTF-16 text/);
  });
});

describe('item 10 (and issue 11 item 8): the dry run writes nothing and needs no write lock', () => {
  test('a dry run succeeds while another connection holds the write lock', () => {
    const other = new Database(db.$client.name);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    other.prepare("INSERT INTO audit_log (action, at) VALUES ('sign_in', 0)").run();
    try {
      const started = Date.now();
      const dry = dryRunImport(db, { fileName: 'cmds-118.dta', bytes: fixture('cmds-118.dta'), mapping, ...EXTRACT });
      expect(dry.ok && dry.report.canImport).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});

describe('item 11: files real users have', () => {
  test('a zlib-compressed .zsav written by PSPP reads as the bytecode .sav it came from', () => {
    const preview = (name: string) => {
      const dry = dryRunImport(db, { fileName: name, bytes: fixture(name), mapping, ...EXTRACT });
      if (!dry.ok) throw new Error(dry.problems.map((p) => p.message).join('\n'));
      return dry.report;
    };
    const zsav = preview('cmds-pspp.zsav');
    expect(zsav).toMatchObject({ format: 'sav', rowCount: 8, validRows: 8, canImport: true });
    expect(zsav.preview.rows).toEqual(preview('cmds-bytecode.sav').preview.rows);
  });

  test('a damaged .zsav block is refused with its position', () => {
    const bytes = Buffer.from(fixture('cmds-pspp.zsav'));
    // Overwrite compressed data just before the trailer (the last 48 bytes: its header and one block entry).
    bytes.fill(0x55, bytes.length - 120, bytes.length - 80);
    expectRefused('damaged.zsav', bytes, /damaged\.zsav: (zlib block 1 .*cannot be inflated|the zlib)/);
  });

  test('Stata 117 with strL is still read', () => {
    const dry = dryRunImport(db, { fileName: 'cmds-strl-117.dta', bytes: fixture('cmds-strl-117.dta'), mapping });
    expect(dry.ok).toBe(true);
    expect(dry.ok && dry.report.rowCount).toBe(3);
  });
});
