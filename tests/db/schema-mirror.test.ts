// db/schema-pg.ts mirrors db/schema.ts: every SQLite table exists in PostgreSQL with the same columns, each with the
// same JavaScript type, nullability and enum values, so one query module serves both dialects (db/store.ts). A column
// added to one schema and not the other fails here. The only tables of one dialect alone are the cluster's fit_results and briefing_files.
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, test } from 'vitest';
import * as pgSchema from '@/db/schema-pg';
import * as sqliteSchema from '@/db/schema';
import { storeOf } from '@/db/store';

const PG_ONLY_TABLES = ['fit_results', 'briefing_files'];
// model_cache has no foreign key to datasets in PostgreSQL (no cascade): its rows of an old version go by this index.
const PG_ONLY_INDEXES = ['model_cache_dataset_idx'];

const sqliteTables = Object.entries(sqliteSchema).filter(([, v]) => is(v, SQLiteTable)) as Array<[string, SQLiteTable]>;
const pgTables = Object.entries(pgSchema).filter(([, v]) => is(v, PgTable)) as Array<[string, PgTable]>;

interface ColumnShape {
  name: string;
  jsType: string;
  notNull: boolean;
  primaryKey: boolean;
  hasDefault: boolean;
  enumValues: string[] | undefined;
}

function shape(table: SQLiteTable | PgTable): Record<string, ColumnShape> {
  const config = is(table, PgTable) ? pgTableConfig(table) : sqliteTableConfig(table);
  const compositeKey = new Set(config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)));
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([key, c]) => [
      key,
      { name: c.name, jsType: c.dataType, notNull: c.notNull, primaryKey: c.primary || compositeKey.has(c.name), hasDefault: c.hasDefault, enumValues: c.enumValues },
    ]),
  );
}

describe('the PostgreSQL schema mirrors the SQLite one', () => {
  test('found the tables', () => {
    expect(sqliteTables.length).toBeGreaterThanOrEqual(13);
  });

  test('the same tables, exported under the same names (storeOf gives each under one name)', () => {
    const pgByName = pgTables.filter(([, t]) => !PG_ONLY_TABLES.includes(getTableName(t)));
    expect(pgByName.map(([key, t]) => `${key}:${getTableName(t)}`).sort()).toEqual(sqliteTables.map(([key, t]) => `${key}:${getTableName(t)}`).sort());
  });

  test.each(sqliteTables.map(([key, table]) => [key, table] as const))('%s: same columns, JavaScript types, nullability, keys and enums', (key, table) => {
    const mirror = (pgSchema as Record<string, unknown>)[key] as PgTable;
    expect(shape(mirror)).toEqual(shape(table));
  });

  test('the same index names', () => {
    for (const [key, table] of sqliteTables) {
      const mirror = (pgSchema as Record<string, unknown>)[key] as PgTable;
      expect(pgTableConfig(mirror).indexes.map((i) => i.config.name).filter((n) => !PG_ONLY_INDEXES.includes(n ?? '')).sort(), key).toEqual(sqliteTableConfig(table).indexes.map((i) => i.config.name).sort());
    }
  });

  test('storeOf gives the SQLite tables for a SQLite handle', async () => {
    const { openDatabase } = await import('@/db/client');
    const db = openDatabase(':memory:');
    const store = storeOf(db);
    expect(store.dialect).toBe('sqlite');
    expect(store.users).toBe(sqliteSchema.users);
    db.$client.close();
  });
});
