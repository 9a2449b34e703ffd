// The generated migrations build the schema on an empty file, with WAL and foreign keys on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('database migrations', () => {
  test('create every table on an empty database and can be applied twice', () => {
    const db = openDatabase(path.join(folder, 'a.db'));
    applyMigrations(db);
    applyMigrations(db);
    const tables = db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'")
      .pluck()
      .all() as string[];
    expect(tables.sort()).toEqual(
      ['app_settings', 'audit_log', 'cities', 'datasets', 'equity_measures', 'indicators', 'model_cache', 'provinces', 'respondents', 'sessions', 'sign_in_attempts', 'users', 'waves'].sort(),
    );
    db.$client.close();
  });

  test('open the file in WAL mode with foreign keys enforced', () => {
    const db = openDatabase(path.join(folder, 'b.db'));
    applyMigrations(db);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() =>
      db.$client
        .prepare("INSERT INTO cities (code, name_zh, name_en, province_code, tier) VALUES ('999999', '无', 'None', '99', 'tier2')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.$client.close();
  });
});
