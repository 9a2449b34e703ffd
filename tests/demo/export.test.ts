// Specification of the CSV export: canonical header, design columns first, all-NULL variables left out, RFC 4180
// quoting of commas, quotes, line breaks and Chinese text, and clear errors for an unknown wave.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { insertGeography } from '@/db/geography';
import { datasets } from '@/db/schema';
import { insertRespondents, type RespondentRecord } from '@/db/respondents';
import { csvField, ExportError, formatCsvRow, writeRespondentsCsv } from '@/lib/export/respondents-csv';
import { parseCsvRows } from '@/lib/stats/csv';

let directory: string;
let db: AppDatabase;
let datasetId: number;

const baseRecord: RespondentRecord = { wave: 2014, cityCode: '440300', stratum: '440300', psu: '440300-m01', weight: 1 };

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-test-'));
  db = openDatabase(path.join(directory, 'test.db'));
  applyMigrations(db);
  insertGeography(db);
  datasetId = db.insert(datasets).values({ label: 'test', kind: 'synthetic', active: true, status: 'ready' }).returning().get().id;
  insertRespondents(db, datasetId, [
    { ...baseRecord, sourceId: 'a,b', male: 1, age: 30.5, maritalStatus: 'first_married', localIdentity: 1 },
    { ...baseRecord, cityCode: '110100', stratum: '110100', psu: 'say "hi"', sourceId: '流动人口', male: 0, age: 41, localIdentity: 0 },
    { ...baseRecord, wave: 2017, male: 1, healthRecord: 1 },
  ]);
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

function exportWave(wave: number): { text: string; rows: string[][] } {
  let text = '';
  writeRespondentsCsv(db, { wave }, (chunk) => {
    text += chunk;
  });
  return { text, rows: parseCsvRows(text) };
}

describe('csvField', () => {
  test('quotes fields holding commas, quotes or line breaks and doubles inner quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('深圳市')).toBe('深圳市');
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
    expect(formatCsvRow([1, null, 'x'])).toBe('1,,x\r\n');
  });
});

describe('writeRespondentsCsv', () => {
  test('writes design columns first, then the variables the wave has, under canonical snake_case names', () => {
    const { rows } = exportWave(2014);
    const header = rows[0]!;
    expect(header.slice(0, 7)).toEqual(['wave', 'city_code', 'city_name_zh', 'city_name_en', 'stratum', 'psu', 'weight']);
    expect(header).toContain('source_id');
    expect(header).toContain('local_identity');
    expect(header).toContain('marital_status');
    // Only the 2017 row has a health record: the 2014 export leaves that column out.
    expect(header).not.toContain('health_record');
    expect(header).not.toContain('dataset_id');
    expect(header).not.toContain('id');
  });

  test('round-trips values, quoting commas, quotes and Chinese text', () => {
    const { rows, text } = exportWave(2014);
    const header = rows[0]!;
    const record = (row: string[]) => Object.fromEntries(header.map((name, i) => [name, row[i]]));
    expect(rows.length).toBe(3);
    const first = record(rows[1]!);
    expect(first).toMatchObject({ city_code: '440300', city_name_zh: '深圳', source_id: 'a,b', male: '1', age: '30.5', marital_status: 'first_married', local_identity: '1' });
    const second = record(rows[2]!);
    expect(second).toMatchObject({ city_code: '110100', city_name_zh: '北京', psu: 'say "hi"', source_id: '流动人口', age: '41', marital_status: '' });
    expect(text).toContain('"say ""hi"""');
    expect(text).toContain('"a,b"');
  });

  test('exports the 2017 wave on its own', () => {
    const { rows } = exportWave(2017);
    expect(rows.length).toBe(2);
    expect(rows[0]).toContain('health_record');
    expect(rows[0]).not.toContain('local_identity');
  });

  test('names the available waves when asked for one that is not there', () => {
    expect(() => exportWave(2015)).toThrow(ExportError);
    expect(() => exportWave(2015)).toThrow(/available waves: 2014, 2017/);
  });
});
