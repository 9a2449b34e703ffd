// A cluster worker's copy of a published dataset version (db/publish.ts): the version's respondents, with the cities
// and provinces they name, streamed out of PostgreSQL once per version (COPY TO STDOUT) into a SQLite file private to
// the worker process, which the fit threads then read exactly as the embedded back end reads its dataset file
// (lib/models/data.ts). Worker machines need only DATABASE_URL; the copy is dropped with the process.
import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { cities, provinces, respondents } from '@/db/schema';

/** The tables a fit reads (alias r, c, p in lib/models/data.ts), in the app's SQLite column types. */
const CACHED_TABLES: ReadonlyArray<{ table: SQLiteTable; where: string; order: string }> = [
  { table: provinces, where: '', order: 'code' },
  { table: cities, where: '', order: 'code' },
  { table: respondents, where: 'WHERE dataset_id = $1', order: 'id' },
];

interface ColumnShape {
  name: string;
  sqlType: string;
}

function shapeOf(table: SQLiteTable): { name: string; columns: ColumnShape[] } {
  const config = getTableConfig(table);
  return { name: config.name, columns: config.columns.map((c) => ({ name: c.name, sqlType: c.getSQLType().toUpperCase() })) };
}

/** Reverses COPY's text escapes (\\, \t, \n, \r) of one field. */
function unescapeField(field: string): string {
  return field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c)) : field;
}

function parser(column: ColumnShape): (field: string) => string | number | null {
  if (column.sqlType === 'TEXT') return (field) => (field === '\\N' ? null : unescapeField(field));
  // Integers and doubles print in COPY as their exact decimal form (shortest round trip for float8).
  return (field) => (field === '\\N' ? null : Number(field));
}

async function copyInto(client: pg.PoolClient, cache: Database.Database, table: SQLiteTable, where: string, order: string, datasetId: number): Promise<number> {
  const { name, columns } = shapeOf(table);
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  cache.exec(`CREATE TABLE "${name}" (${columns.map((c) => `"${c.name}" ${c.sqlType}`).join(', ')})`);
  const insert = cache.prepare(`INSERT INTO "${name}" (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  const parsers = columns.map(parser);
  const query = where ? `SELECT ${list} FROM "${name}" ${where.replace('$1', String(Math.trunc(datasetId)))} ORDER BY ${order}` : `SELECT ${list} FROM "${name}" ORDER BY ${order}`;
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  let rows = 0;
  cache.exec('BEGIN');
  try {
    for await (const line of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      const fields = line.split('\t');
      insert.run(fields.map((field, j) => (parsers[j] as (f: string) => string | number | null)(field)));
      rows += 1;
    }
    cache.exec('COMMIT');
  } catch (error) {
    cache.exec('ROLLBACK');
    throw error;
  }
  return rows;
}

export interface CachedVersion {
  datasetId: number;
  /** The SQLite file the fit threads open read-only. */
  databasePath: string;
  respondents: number;
  ms: number;
}

/**
 * Copies of published versions, one SQLite file each in a folder of this process, made on first use and shared by
 * the fits that ask at the same time. Keeps the `keep` most recently used versions (an activation moves the fits on).
 */
export class ClusterDatasetCache {
  private readonly folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mhd-worker-'));
  private readonly versions = new Map<number, Promise<CachedVersion | null>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly keep = 2,
  ) {}

  /** The version's local copy, or null when PostgreSQL holds no such ready version. */
  get(datasetId: number): Promise<CachedVersion | null> {
    let entry = this.versions.get(datasetId);
    if (entry) {
      // Most recently used last.
      this.versions.delete(datasetId);
      this.versions.set(datasetId, entry);
      return entry;
    }
    entry = this.load(datasetId);
    // A failed load (PostgreSQL unreachable) is tried again by the next fit.
    entry.then((version) => version ?? this.versions.delete(datasetId), () => this.versions.delete(datasetId));
    this.versions.set(datasetId, entry);
    while (this.versions.size > this.keep) {
      const oldest = this.versions.keys().next().value as number;
      this.versions.delete(oldest);
      // Open read-only connections in fit threads keep the unlinked file's data until they close.
      fs.rmSync(this.fileOf(oldest), { force: true });
    }
    return entry;
  }

  private fileOf(datasetId: number): string {
    return path.join(this.folder, `dataset-${datasetId}.db`);
  }

  private async load(datasetId: number): Promise<CachedVersion | null> {
    const started = Date.now();
    const client = await this.pool.connect();
    const file = this.fileOf(datasetId);
    const partial = `${file}.partial`;
    fs.rmSync(partial, { force: true });
    try {
      // One snapshot for the three tables.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const held = await client.query("SELECT 1 FROM datasets WHERE id = $1 AND status = 'ready'", [datasetId]);
      if (held.rowCount === 0) return null;
      const cache = new Database(partial);
      let count = 0;
      try {
        cache.pragma('journal_mode = OFF');
        cache.pragma('synchronous = OFF');
        for (const { table, where, order } of CACHED_TABLES) {
          const rows = await copyInto(client, cache, table, where, order, datasetId);
          if (table === respondents) count = rows;
        }
        cache.exec('CREATE INDEX respondents_dataset_wave_city ON respondents (dataset_id, wave, city_code)');
      } finally {
        cache.close();
      }
      fs.renameSync(partial, file);
      return { datasetId, databasePath: file, respondents: count, ms: Date.now() - started };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /** Removes the copies (the worker is stopping). */
  close(): void {
    this.versions.clear();
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}
