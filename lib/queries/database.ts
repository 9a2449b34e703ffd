// The database handle for the request path: pages, server actions and route handlers take it from here (not from
// db/) to call the query functions they share with the command-line tools, which pass their own handle.
//
// The store convention (db/store.ts has it in full): `getDatabase()` is the configured back end — PostgreSQL when
// DATABASE_URL is set, else the SQLite file. Query functions are async, take a `Database` first, reach their tables
// through `const { q, users } = storeOf(db)`, use only the builder API both dialects share (no `.get(`, `.all(`,
// `.run(`, `$client` here: tests/architecture.test.ts), and group writes with `inTransaction(db, async (tx) => …)`.
// `getSqliteDatabase()` is this machine's SQLite file whatever the configuration: for the query modules not yet
// converted, which still take a SQLite handle. The dataset's tables are read from the configured back end too:
// setup and imports publish them into PostgreSQL (db/publish.ts).
import 'server-only';

import { getSqliteDatabase } from '@/db/client';
import { getConfiguredDatabase, type Database } from '@/db/store';

/** @public The configured back end's handle: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function getDatabase(): Database {
  return getConfiguredDatabase();
}

/** @public */
export type { Database };
export { getSqliteDatabase };
