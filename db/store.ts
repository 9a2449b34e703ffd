// The store convention: one set of query functions for both back ends (issue 17).
//
// - A handle is a `Database`: the SQLite file (db/client.ts, the embedded back end and every CLI tool) or PostgreSQL
//   (db/pg.ts, when DATABASE_URL=postgres://…). `getDatabase()` in lib/queries/database.ts gives the configured one;
//   CLI tools pass their own SQLite handle. Query functions are `async` and take the handle as their first parameter.
// - Inside a query function, `const { q, users } = storeOf(db)` gives the builder (`q`) and the dialect's own table
//   objects under the same names (db/schema.ts and db/schema-pg.ts mirror each other column for column, and
//   tests/db/schema-mirror.test.ts keeps them so). Both are typed as PostgreSQL's; at run time they are the handle's
//   own dialect, so each column maps its values (Date ↔ integer ms, boolean ↔ 0/1, JSON ↔ text) the way its database
//   needs.
// - Only the builder API both dialects share: `await q.select()…` (`.limit(1)` and `[0]` for one row, never `.get()`),
//   `await` instead of `.all()` / `.run()`, `insert…onConflictDoUpdate({ target, set })` / `onConflictDoNothing()`,
//   `.returning(…)` (also to count changed rows: the result of an update without it differs between drivers),
//   drizzle's `count()` (a raw `count(*)` is a bigint string in PostgreSQL), explicit `orderBy` wherever order
//   matters. No `$client`, `execute`, `.get(`, `.all(`, `.run(` in lib/queries (tests/architecture.test.ts), except in
//   modules listed there as SQLite-only. A raw `sql` fragment must be valid in both, or branch on `dialectOf(db)`.
// - Several statements that must succeed or fail together go through `inTransaction(db, async (tx) => …)`; `tx` is
//   a Database too, so other query functions can be called with it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { is } from 'drizzle-orm';
import { PgDatabase as PgDatabaseBase } from 'drizzle-orm/pg-core';
import { env } from '../lib/env';
import { getSqliteDatabase, type AppDatabase } from './client';
import { openPgDatabase, type PgDatabase } from './pg';
import * as sqliteSchema from './schema';
import * as pgSchema from './schema-pg';

/** A database handle of either back end: what every query function takes first. */
export type Database = AppDatabase | PgDatabase;
export type Dialect = 'sqlite' | 'pg';

/** The part of the builder API that both dialects share (typed as PostgreSQL's; see the header). */
export type Query = Pick<PgDatabase, 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete' | '$count'>;

type Tables = typeof pgSchema;
export type Store = Tables & { q: Query; dialect: Dialect };

export function dialectOf(db: Database): Dialect {
  // A pg transaction is a PgDatabase too.
  return is(db, PgDatabaseBase) ? 'pg' : 'sqlite';
}

/** The builder and the table objects of the handle's dialect. */
export function storeOf(db: Database): Store {
  const dialect = dialectOf(db);
  // The SQLite tables stand in for the pg ones at run time: same names, same columns, same JavaScript row types.
  const tables = dialect === 'pg' ? pgSchema : (sqliteSchema as unknown as Tables);
  return { ...tables, q: db as unknown as Query, dialect };
}

let configured: Database | undefined;

/**
 * The process-wide handle of the configured back end: PostgreSQL when DATABASE_URL is set (a pool of up to
 * DATABASE_POOL_MAX connections), else the SQLite file of DATABASE_PATH. Opened on first use.
 */
export function getConfiguredDatabase(): Database {
  configured ??= env.DATABASE_URL ? openPgDatabase(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX }) : getSqliteDatabase();
  return configured;
}

// ── Transactions ────────────────────────────────────────────────────────────────────────────────────────────────
//
// PostgreSQL: drizzle's db.transaction over a pooled connection of its own; concurrent requests use other connections.
//
// SQLite: the app has ONE better-sqlite3 connection, shared by every request in the process. A transaction on it is
// the connection's state, so whatever else runs on the connection between BEGIN and COMMIT is part of it. Options:
// - better-sqlite3's db.transaction(fn) needs a synchronous fn, and query functions are async (they await the builder).
// - A second connection for transactions deadlocks: a write on the shared connection waits for the lock in
//   busy_timeout, synchronously, on the same thread that must finish the transaction.
// - So: BEGIN IMMEDIATE on the shared connection, transactions one at a time per connection (a promise chain), and
//   the body must await nothing but this database. The sqlite driver is synchronous, so such a body runs to COMMIT
//   in one turn of the event loop (microtasks only): no timer, I/O callback or new request can start a query in
//   between. Only a promise chain already queued in the same turn could interleave a statement, which then simply
//   commits with ours. A body that yields to the event loop (a fetch, a file read, a timer) is caught by a
//   setImmediate sentinel and rolled back with an error, instead of letting other requests' writes leak into it.
//   A nested inTransaction (a query function called with `tx`) joins the outer transaction.
const sqliteTurns = new WeakMap<object, Promise<void>>();
const insideSqliteTransaction = new AsyncLocalStorage<object>();

export async function inTransaction<T>(db: Database, body: (tx: Database) => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'pg') return (db as PgDatabase).transaction((tx) => body(tx as unknown as Database));
  const sqlite = db as AppDatabase;
  if (insideSqliteTransaction.getStore() === sqlite) return body(db);

  const previous = sqliteTurns.get(sqlite) ?? Promise.resolve();
  let release!: () => void;
  const turn = new Promise<void>((resolve) => (release = resolve));
  sqliteTurns.set(sqlite, previous.then(() => turn));
  await previous;
  let yielded = false;
  const sentinel = setImmediate(() => (yielded = true));
  try {
    sqlite.$client.exec('BEGIN IMMEDIATE');
    try {
      const result = await insideSqliteTransaction.run(sqlite, () => body(db));
      if (yielded) throw new Error('A SQLite transaction body awaited something other than the database (db/store.ts): rolled back.');
      sqlite.$client.exec('COMMIT');
      return result;
    } catch (error) {
      if (sqlite.$client.inTransaction) sqlite.$client.exec('ROLLBACK');
      throw error;
    }
  } finally {
    clearImmediate(sentinel);
    release();
  }
}
