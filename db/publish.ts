// Publishes a dataset version from the SQLite file where setup and import build it (fast, tested, byte-identical
// indicators) into PostgreSQL for the cluster back end: one transaction per version, COPY FROM STDIN per table, and the
// activation switch last, so that a publish that fails or is killed leaves PostgreSQL exactly as it was.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AppDatabase } from './client';
import { applyPgMigrations, isPostgresUrl, openPgDatabase } from './pg';

/** The geography every version shares (upserted), then the version's own tables (copied), in foreign-key order. */
const SHARED_TABLES = ['provinces', 'cities'] as const;
const VERSION_TABLES = ['waves', 'respondents', 'indicators', 'equity_measures'] as const;
export type PublishedTable = (typeof SHARED_TABLES)[number] | 'datasets' | (typeof VERSION_TABLES)[number];

/** One advisory lock key for every publisher, so that two setups or imports never publish at once. */
const PUBLISH_LOCK = 0x6d6864_17b;

export class PublishError extends Error {}

export interface PublishOptions {
  /** Make the version the active one in PostgreSQL (last, in the same transaction). Default true. */
  activate?: boolean;
  /** Called after each table is in (inside the transaction): progress lines, and the tests' faults. */
  onTable?: (table: PublishedTable, rows: number) => void | Promise<void>;
}

export interface PublishOutcome {
  datasetId: number;
  /** False when PostgreSQL already held this version (then only the activation was done). */
  copied: boolean;
  activated: boolean;
  rows: Partial<Record<PublishedTable, number>>;
  ms: number;
}

interface PgColumn {
  name: string;
  type: string;
  /** An identity column PostgreSQL generates ALWAYS: it cannot be given a value by COPY. */
  generatedAlways: boolean;
}

async function pgColumns(client: pg.PoolClient, table: string): Promise<Map<string, PgColumn>> {
  const { rows } = await client.query<{ column_name: string; data_type: string; identity_generation: string | null }>(
    'SELECT column_name, data_type, identity_generation FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  if (rows.length === 0) throw new PublishError(`PostgreSQL has no table ${table}: run \`npm run db:migrate\` with DATABASE_URL first`);
  return new Map(rows.map((r) => [r.column_name, { name: r.column_name, type: r.data_type, generatedAlways: r.identity_generation === 'ALWAYS' }]));
}

function sqliteColumns(sqlite: AppDatabase, table: string): string[] {
  return (sqlite.$client.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name);
}

/** The columns both sides have (a column SQLite has and PostgreSQL lacks means the schemas are out of step). */
function sharedColumns(sqlite: AppDatabase, table: string, target: Map<string, PgColumn>): PgColumn[] {
  const names = sqliteColumns(sqlite, table);
  const missing = names.filter((name) => !target.has(name));
  if (missing.length > 0) throw new PublishError(`PostgreSQL's ${table} lacks ${missing.join(', ')}: run \`npm run db:migrate\` with DATABASE_URL (the schemas are out of step)`);
  return names.map((name) => target.get(name) as PgColumn).filter((c) => !c.generatedAlways);
}

type SqliteValue = string | number | bigint | Buffer | null;

/** A SQLite value as PostgreSQL's column type takes it: timestamps are stored as epoch milliseconds, booleans as 0/1. */
function pgValue(value: SqliteValue, column: PgColumn): string | number | boolean | null {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) throw new PublishError(`unexpected binary value in column ${column.name}`);
  if (column.type === 'boolean') return Number(value) !== 0;
  if (column.type.startsWith('timestamp')) return typeof value === 'string' ? value : new Date(Number(value)).toISOString();
  return typeof value === 'bigint' ? value.toString() : value;
}

/** COPY's text format: tab-separated, \N for NULL, backslash escapes. Numbers print as JS's shortest round trip. */
function copyField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Lines of COPY text for a query's rows, in chunks of about 1,000 rows (one string per chunk keeps the stream cheap). */
function* copyLines(rows: IterableIterator<SqliteValue[]>, columns: PgColumn[], count: { rows: number }): Generator<string> {
  let chunk: string[] = [];
  for (const row of rows) {
    chunk.push(row.map((value, j) => copyField(pgValue(value, columns[j] as PgColumn))).join('\t'));
    count.rows += 1;
    if (chunk.length === 1000) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
}

async function copyTable(client: pg.PoolClient, sqlite: AppDatabase, table: string, where: string, params: unknown[]): Promise<number> {
  const columns = sharedColumns(sqlite, table, await pgColumns(client, table));
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  const rows = sqlite.$client.prepare(`SELECT ${list} FROM "${table}" ${where} ORDER BY rowid`).raw(true).iterate(...params) as IterableIterator<SqliteValue[]>;
  const count = { rows: 0 };
  await pipeline(Readable.from(copyLines(rows, columns, count)), client.query(copyFrom(`COPY "${table}" (${list}) FROM STDIN`)));
  // Ids were copied from SQLite: move a serial id's sequence past them.
  if (columns.some((c) => c.name === 'id')) {
    await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT MAX(id) FROM "${table}"), 1)) WHERE pg_get_serial_sequence('"${table}"', 'id') IS NOT NULL`);
  }
  return count.rows;
}

/** Shared rows (the geography) are upserted: every version names its cities from the same GB/T 2260 list. */
async function upsertTable(client: pg.PoolClient, sqlite: AppDatabase, table: string, key: string): Promise<number> {
  const columns = sharedColumns(sqlite, table, await pgColumns(client, table));
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  const rows = sqlite.$client.prepare(`SELECT ${list} FROM "${table}" ORDER BY rowid`).raw(true).all() as SqliteValue[][];
  const updates = columns.filter((c) => c.name !== key).map((c) => `"${c.name}" = EXCLUDED."${c.name}"`).join(', ');
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value, j) => (params.push(pgValue(value, columns[j] as PgColumn)), `$${params.length}`)).join(', ')})`);
    await client.query(`INSERT INTO "${table}" (${list}) VALUES ${tuples.join(', ')} ON CONFLICT ("${key}") DO UPDATE SET ${updates}`, params);
  }
  return rows.length;
}

interface VersionRow {
  label: string;
  checksum: string | null;
  row_count: number;
  status: string;
  created_at: number | string;
  activated_at: number | string | null;
}

const instant = (value: number | string | Date | null): number | null => (value === null ? null : value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Number.isNaN(Number(value)) ? Date.parse(value) : Number(value));

/** Makes a published version the active one: every other version off first, then this one on. */
async function switchActive(client: pg.PoolClient, datasetId: number, activatedAt: number | null): Promise<void> {
  const column = (await pgColumns(client, 'datasets')).get('activated_at');
  const at = column ? pgValue(activatedAt ?? Date.now(), column) : null;
  await client.query('UPDATE datasets SET active = false WHERE active AND id <> $1', [datasetId]);
  await client.query(`UPDATE datasets SET active = true${column ? ', activated_at = $2' : ''} WHERE id = $1`, column ? [datasetId, at] : [datasetId]);
}

/**
 * The import's own audit entry (written in the SQLite transaction that made the version ready) goes with the version,
 * in the same PostgreSQL transaction, so that the cluster's audit page shows every import, whichever machine ran it.
 */
async function copyImportAudit(client: pg.PoolClient, sqlite: AppDatabase, datasetId: number): Promise<void> {
  const importer = sqlite.$client.prepare('SELECT imported_by_user_id FROM datasets WHERE id = ?').pluck().get(datasetId) as number | null | undefined;
  const entries = sqlite.$client
    .prepare("SELECT at, user_id, username, action, target, detail, duration_ms FROM audit_log WHERE action = 'import' AND target = ? ORDER BY id")
    .all(`dataset:${datasetId}`) as Array<{ at: number; user_id: number | null; username: string | null; action: string; target: string; detail: string | null; duration_ms: number | null }>;
  for (const entry of entries) {
    await client.query('INSERT INTO audit_log (at, user_id, username, action, target, detail, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      new Date(entry.at),
      entry.user_id ?? importer ?? null,
      entry.username,
      entry.action,
      entry.target,
      entry.detail,
      entry.duration_ms,
    ]);
  }
}

/**
 * Copies a ready dataset version from SQLite into PostgreSQL under the same id, in one transaction, and (by default)
 * makes it the active one last. A version PostgreSQL already holds is not copied again, only activated; a different
 * version under the same id (PostgreSQL published from another SQLite file) is refused.
 */
export async function publishDatasetVersion(sqlite: AppDatabase, pool: pg.Pool, datasetId: number, options: PublishOptions = {}): Promise<PublishOutcome> {
  const started = Date.now();
  const activate = options.activate ?? true;
  const version = sqlite.$client.prepare('SELECT label, checksum, row_count, status, created_at, activated_at FROM datasets WHERE id = ?').get(datasetId) as VersionRow | undefined;
  if (!version) throw new PublishError(`dataset version ${datasetId} is not in the SQLite file`);
  if (version.status !== 'ready') throw new PublishError(`dataset version ${datasetId} is ${version.status}, not ready: only a finished version is published`);
  const client = await pool.connect();
  const rows: PublishOutcome['rows'] = {};
  let copied = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
    const existing = await client.query<{ label: string; checksum: string | null; row_count: number; status: string; created_at: Date | number | string }>(
      'SELECT label, checksum, row_count, status, created_at FROM datasets WHERE id = $1',
      [datasetId],
    );
    const held = existing.rows[0];
    if (held && !(held.status === 'ready' && held.label === version.label && held.checksum === version.checksum && Number(held.row_count) === version.row_count && instant(held.created_at) === instant(version.created_at))) {
      throw new PublishError(
        `PostgreSQL already holds a different dataset version ${datasetId} ("${held.label}"): it was published from another SQLite file. Publish into an empty database, or from the file it came from.`,
      );
    }
    if (!held) {
      for (const table of SHARED_TABLES) {
        rows[table] = await upsertTable(client, sqlite, table, 'code');
        await options.onTable?.(table, rows[table]);
      }
      // The version row goes in inactive; only the switch at the end shows it.
      const datasetColumns = sharedColumns(sqlite, 'datasets', await pgColumns(client, 'datasets'));
      const values = sqlite.$client.prepare(`SELECT ${datasetColumns.map((c) => `"${c.name}"`).join(', ')} FROM datasets WHERE id = ?`).raw(true).get(datasetId) as SqliteValue[];
      const params = values.map((value, j) => ((datasetColumns[j] as PgColumn).name === 'active' ? false : pgValue(value, datasetColumns[j] as PgColumn)));
      await client.query(`INSERT INTO datasets (${datasetColumns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${params.map((_, j) => `$${j + 1}`).join(', ')})`, params);
      if (datasetColumns.some((c) => c.name === 'id')) {
        await client.query(`SELECT setval(pg_get_serial_sequence('datasets', 'id'), GREATEST((SELECT MAX(id) FROM datasets), 1)) WHERE pg_get_serial_sequence('datasets', 'id') IS NOT NULL`);
      }
      rows.datasets = 1;
      await options.onTable?.('datasets', 1);
      for (const table of VERSION_TABLES) {
        rows[table] = await copyTable(client, sqlite, table, 'WHERE dataset_id = ?', [datasetId]);
        await options.onTable?.(table, rows[table]);
      }
      await copyImportAudit(client, sqlite, datasetId);
      copied = true;
    }
    if (activate) await switchActive(client, datasetId, instant(version.activated_at));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return { datasetId, copied, activated: activate, rows, ms: Date.now() - started };
}

/** Makes an already published version the active one in PostgreSQL (the admin's reactivation of an older version). */
export async function activatePublishedVersion(pool: pg.Pool, datasetId: number, activatedAt: Date): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const held = await client.query("SELECT 1 FROM datasets WHERE id = $1 AND status = 'ready'", [datasetId]);
    if (held.rowCount === 0) throw new PublishError(`dataset version ${datasetId} is not published in PostgreSQL`);
    await switchActive(client, datasetId, activatedAt.getTime());
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The CLI tools' step after SQLite has the active version (`npm run setup`, `npm run import`): with
 * DATABASE_URL=postgres://… migrate PostgreSQL's tables and publish that version there. Does nothing without it.
 */
export async function publishActiveVersionToCluster(sqlite: AppDatabase, say: (line: string) => void = console.log, options: { migrate?: boolean } = {}): Promise<PublishOutcome | null> {
  const url = process.env.DATABASE_URL;
  if (!isPostgresUrl(url)) return null;
  const active = sqlite.$client.prepare("SELECT id FROM datasets WHERE active = 1 AND status = 'ready'").pluck().get() as number | undefined;
  if (active === undefined) return null;
  const db = openPgDatabase(url, { max: 1 });
  try {
    // The import worker publishes without migrating: its bundle has no migrations folder, and the web server that
    // started it has migrated PostgreSQL (npm run db:migrate, or its start).
    if (options.migrate ?? true) await applyPgMigrations(db);
    const outcome = await publishDatasetVersion(sqlite, db.$client, active);
    say(
      outcome.copied
        ? `Published dataset #${active} into PostgreSQL (${Object.entries(outcome.rows).map(([table, n]) => `${table} ${n.toLocaleString('en')}`).join(', ')}) and made it active, in ${(outcome.ms / 1000).toFixed(1)} s.`
        : `PostgreSQL already holds dataset #${active}: made it the active one.`,
    );
    return outcome;
  } finally {
    await db.$client.end();
  }
}

/** The published tables whose rows carry an autoincrement id that publishing copies as it is. */
const ID_TABLES = ['datasets', 'respondents', 'indicators', 'equity_measures'] as const;

/**
 * With DATABASE_URL=postgres://…: the highest id PostgreSQL holds in each published table, so that an import on any
 * machine numbers its version and rows above them (else publishing it would collide with a version another machine
 * published). Without it, undefined: the SQLite file numbers its rows alone. No migration here (this runs in the
 * import worker too, whose bundle has no migrations folder): a table that does not exist yet has used no id.
 */
export async function clusterIdFloors(): Promise<Record<string, number> | undefined> {
  const url = process.env.DATABASE_URL;
  if (!isPostgresUrl(url)) return undefined;
  const db = openPgDatabase(url, { max: 1 });
  try {
    const floors: Record<string, number> = {};
    for (const table of ID_TABLES) {
      const { rows } = await db.$client.query<{ max: string | null }>(`SELECT CASE WHEN to_regclass('${table}') IS NULL THEN 0 ELSE (SELECT COALESCE(MAX(id), 0) FROM ${table}) END AS max`);
      floors[table] = Number(rows[0]?.max ?? 0);
    }
    return floors;
  } finally {
    await db.$client.end();
  }
}

/**
 * The admin's reactivation of an earlier version on the cluster back end: a version this machine's SQLite file holds
 * is published if PostgreSQL lacks it, and made the active one there; one built on another machine only switches.
 */
export async function activateVersionInCluster(url: string, sqlite: AppDatabase, datasetId: number, inFile: boolean, by?: { id: number | null; name: string }): Promise<void> {
  const db = openPgDatabase(url, { max: 1 });
  try {
    if (inFile) await publishDatasetVersion(sqlite, db.$client, datasetId);
    else await activatePublishedVersion(db.$client, datasetId, new Date());
    // The audit of the switch goes where the cluster's audit page reads it (this machine's file has only its own).
    if (by) {
      await db.$client.query(
        "INSERT INTO audit_log (user_id, username, action, target, detail) SELECT $1, $2, 'dataset_activate', 'dataset:' || id, jsonb_build_object('label', label) FROM datasets WHERE id = $3",
        [by.id, by.name, datasetId],
      );
    }
  } finally {
    await db.$client.end();
  }
}
