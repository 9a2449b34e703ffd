// Dataset versions from imported survey files: dry run, import, reactivation. The import checks the whole file into a
// temporary staging database, then copies it into a new version in short transactions and activates it last; a
// refused, failed or killed import leaves the previous version active and untouched. Used by the import job, the admin
// page's actions and the CLI (which runs with the react-server condition, so server-only lets it in). The version
// list is a query: lib/queries/imports.ts.
import 'server-only';
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { and, eq, getTableColumns } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { CITIES, insertGeography, PROVINCES } from '@/db/geography';
import { datasets, respondents, waves } from '@/db/schema';
import { lookupDivision } from '@/lib/geography/divisions';
import { computeIndicators } from '@/lib/indicators/precompute';
import { recordAuditInSqliteTransaction as recordAudit } from '@/lib/queries/audit-sqlite';
import { isPostgresUrl } from '@/db/pg';
import { activateVersionInCluster, PublishError } from '@/db/publish';
import { mappingChecksum, type ImportMapping } from './mapping';
import { problemFromFileError, processSurveyRows, type ImportProblem, type ImportReport } from './process';
import { readSurveyFile, sha256, type ReadOptions } from './read';
import { SourceFileError, type SourceTable } from './types';

interface SurveyFileOptions {
  fileName: string;
  mapping: ImportMapping;
  encoding?: ReadOptions['encoding'];
  /** Mapped optional variables the file may lack (see ProcessContext.allowMissing). */
  allowMissing?: readonly string[];
}

/**
 * The file as bytes, or as a path that the import reads itself: then the import holds the only reference to the
 * bytes and lets them go once the rows are staged, before the indicators run (a full wave is 60-90 MB).
 */
export type SurveyFileInput = SurveyFileOptions & ({ bytes: Uint8Array; filePath?: undefined } | { filePath: string; bytes?: undefined });

function fileBytes(input: SurveyFileInput): Uint8Array {
  return input.bytes ?? fs.readFileSync(input.filePath);
}

export interface Importer {
  id: number | null;
  name: string;
}

export type DryRunOutcome =
  | { ok: true; checksum: string; report: ImportReport }
  | { ok: false; checksum: string; problems: ImportProblem[] };

/** Thrown when the file cannot be imported; `problems` say why, each naming the file and the row or variable. */
export class ImportRefused extends Error {
  constructor(
    readonly problems: ImportProblem[],
    readonly datasetId: number | null = null,
  ) {
    super(problems.filter((p) => p.severity === 'error').map((p) => p.message).join('\n') || 'the import was refused');
    this.name = 'ImportRefused';
  }
}

/** City codes of the geography: the database's, or the embedded ones on a database set up without them yet. */
function knownCities(db: AppDatabase): Set<string> {
  const codes = db.$client.prepare('SELECT code FROM cities').pluck().all() as string[];
  return new Set(codes.length > 0 ? codes : CITIES.map((c) => c.code));
}

function knownProvinces(db: AppDatabase): Set<string> {
  const codes = db.$client.prepare('SELECT code FROM provinces').pluck().all() as string[];
  return new Set(codes.length > 0 ? codes : PROVINCES.map((p) => p.code));
}

function openTable(input: SurveyFileInput, bytes: Uint8Array): SourceTable {
  try {
    return readSurveyFile(input.fileName, bytes, input.encoding ? { encoding: input.encoding } : {});
  } catch (error) {
    if (error instanceof SourceFileError) throw new ImportRefused([problemFromFileError(input.fileName, error)]);
    throw error;
  }
}

/** Reads and checks the whole file against the mapping. Writes nothing and takes no write lock. */
export function dryRunImport(db: AppDatabase, input: SurveyFileInput): DryRunOutcome {
  const bytes = fileBytes(input);
  const checksum = sha256(bytes);
  try {
    const table = openTable(input, bytes);
    return {
      ok: true,
      checksum,
      report: processSurveyRows(table, input.mapping, {
        fileName: input.fileName,
        knownCities: knownCities(db),
        knownProvinces: knownProvinces(db),
        ...(input.allowMissing ? { allowMissing: input.allowMissing } : {}),
      }),
    };
  } catch (error) {
    if (error instanceof ImportRefused) return { ok: false, checksum, problems: error.problems };
    if (error instanceof SourceFileError) return { ok: false, checksum, problems: [problemFromFileError(input.fileName, error)] };
    throw error;
  }
}

// Writes of the load are cut into short transactions so that sign-ins, audit rows and other writers of the web
// server get the lock between them (SQLite has one writer at a time; its busy handler polls every few ms).
const COPY_BATCH_ROWS = 2000;
const PAUSE_BETWEEN_BATCHES_MS = 4;
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

function pause(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
}

/** Deletes a version's respondents, indicators and waves in short transactions (a half-loaded version). */
function purgeDatasetRows(db: AppDatabase, datasetId: number): void {
  for (const table of ['respondents', 'indicators']) {
    const remove = db.$client.prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE dataset_id = ? LIMIT ${COPY_BATCH_ROWS})`);
    while (remove.run(datasetId).changes > 0) pause(PAUSE_BETWEEN_BATCHES_MS);
  }
  db.$client.prepare('DELETE FROM waves WHERE dataset_id = ?').run(datasetId);
}

/** Imports not finished by a process that is gone (killed, crashed): recorded as failed, their rows removed. */
export function markInterruptedImports(db: AppDatabase): number {
  const stale = db.$client.prepare("SELECT id FROM datasets WHERE status = 'loading'").pluck().all() as number[];
  for (const id of stale) {
    db.update(datasets).set({ status: 'failed', error: 'interrupted: the import process stopped before it finished' }).where(eq(datasets.id, id)).run();
    purgeDatasetRows(db, id);
  }
  return stale.length;
}

export interface ImportOutcome {
  datasetId: number;
  checksum: string;
  report: ImportReport;
  indicatorCells: number;
  ms: number;
  /** Milliseconds of each step: read and check into the staging database, copy into the version, indicators. */
  steps: { check: number; copy: number; indicators: number };
}

const STAGE = 'import_stage';

/**
 * The checked pass of an import, written to a private temporary database attached to the connection (deleted when it
 * is detached): the main database is only read, so a refused file leaves it byte-identical and holds no lock on it.
 */
function stageRows(db: AppDatabase, table: SourceTable, input: SurveyFileInput & { onProgress?: ImportProgress }) {
  const columns = Object.values(getTableColumns(respondents))
    .map((c) => c.name)
    .filter((name) => name !== 'id');
  const keys = Object.entries(getTableColumns(respondents))
    .filter(([, c]) => c.name !== 'id')
    .map(([key]) => key);
  db.$client.exec(`CREATE TABLE ${STAGE}.respondents AS SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM main.respondents WHERE 0`);
  const insert = db.$client.prepare(`INSERT INTO ${STAGE}.respondents VALUES (${columns.map(() => '?').join(', ')})`);
  const cities = knownCities(db);
  const newCities = new Set<string>();
  const report = db.$client.transaction(() =>
    processSurveyRows(table, input.mapping, {
      fileName: input.fileName,
      knownCities: cities,
      knownProvinces: knownProvinces(db),
      ...(input.allowMissing ? { allowMissing: input.allowMissing } : {}),
      onRecord: (record) => {
        if (!cities.has(record.cityCode)) newCities.add(record.cityCode);
        insert.run(keys.map((key) => (key === 'datasetId' ? 0 : (((record as Record<string, unknown>)[key] ?? null) as string | number | null))));
      },
      onProgress: (done, total) => input.onProgress?.('rows', done, total),
    }),
  )();
  return { report, newCities, columns };
}

let fullCollection: (() => void) | null = null;

/**
 * One full garbage collection, between reading the file and computing the indicators. By then the file's bytes, a
 * CSV's decoded text and the reader's garbage (100-200 MB for a full wave) are unreachable, but V8 would grow the heap
 * rather than collect them, and the indicator step would add its own memory on top: the process then peaks above
 * 400 MB instead of about 300 MB (tests/bench/import.ts).
 */
function collectGarbage(): void {
  if (!fullCollection) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) fullCollection = exposed;
    else {
      // --expose-gc set at run time takes effect for contexts created afterwards; the function collects the whole heap.
      v8.setFlagsFromString('--expose-gc');
      fullCollection = vm.runInNewContext('gc') as () => void;
    }
  }
  fullCollection();
}

export type ImportProgress = (stage: 'rows' | 'load' | 'indicators', done: number, total: number) => void;

/**
 * Loads a survey file as a new dataset version and makes it the active one, recomputing indicators. The file is read
 * and checked into a temporary staging database first; a file that does not pass is refused (ImportRefused) with
 * nothing written to the main database. A file that passes is copied in short transactions into a version that is
 * invisible until it is activated, so the web server's writes are never held up for long.
 */
export function importSurveyFile(
  db: AppDatabase,
  input: SurveyFileInput & { mappingName?: string; importer: Importer; onProgress?: ImportProgress; idFloors?: Record<string, number> },
): ImportOutcome {
  const started = Date.now();
  let bytes: Uint8Array | null = fileBytes(input);
  const checksum = sha256(bytes);
  let table: SourceTable | null = openTable(input, bytes);
  db.$client.exec(`ATTACH DATABASE '' AS ${STAGE}`);
  let attached = true;
  // The staging copy (and its page cache) is dropped as soon as its rows are copied, before the indicators run.
  const detachStage = () => {
    if (!attached) return;
    db.$client.exec(`DETACH DATABASE ${STAGE}`);
    attached = false;
  };
  // The staging copy is thrown away on any failure: no journal, no syncs, and room to stay in memory.
  db.$client.exec(`PRAGMA ${STAGE}.journal_mode = OFF; PRAGMA ${STAGE}.synchronous = OFF; PRAGMA ${STAGE}.cache_size = -32768`);
  try {
    const { report, newCities, columns } = (() => {
      try {
        return stageRows(db, table, input);
      } catch (error) {
        if (error instanceof SourceFileError) throw new ImportRefused([problemFromFileError(input.fileName, error)]);
        throw error;
      }
    })();
    if (!report.canImport) throw new ImportRefused(report.problems);
    // The reader (a CSV's decoded text, a file's row index) is not needed once the rows are staged.
    const source = { format: table.format, encoding: table.encoding, rowCount: table.rowCount };
    table = null;
    bytes = null;
    return loadStaged(db, input, { source, report, newCities, columns, checksum, started, checked: Date.now(), detachStage });
  } finally {
    detachStage();
  }
}

function loadStaged(
  db: AppDatabase,
  input: SurveyFileInput & { mappingName?: string; importer: Importer; onProgress?: ImportProgress; idFloors?: Record<string, number> },
  staged: {
    source: Pick<SourceTable, 'format' | 'encoding' | 'rowCount'>;
    report: ImportReport;
    newCities: Set<string>;
    columns: string[];
    checksum: string;
    started: number;
    checked: number;
    detachStage: () => void;
  },
): ImportOutcome {
  const { source, report, newCities, columns, checksum, started, checked, detachStage } = staged;
  markInterruptedImports(db);
  if ((db.$client.prepare('SELECT COUNT(*) FROM cities').pluck().get() as number) === 0) db.$client.transaction(() => insertGeography(db))();

  // The version's row is committed first, as 'loading', so the list shows an import in progress; a process killed
  // from here on leaves this row and some of its rows, never active, cleaned up by the next import or setup.
  // On the cluster the version's rows must take ids PostgreSQL has not used (another machine may have published under
  // the next ids of this file): the caller passes PostgreSQL's highest id per table, and this file's sequences move
  // above them.
  if (input.idFloors) advanceIdSequences(db, input.idFloors);
  const [created] = db
    .insert(datasets)
    .values({
      label: `${input.fileName} (${new Date().toISOString().slice(0, 10)})`,
      kind: 'imported',
      status: 'loading',
      active: false,
      sourceFile: input.fileName,
      sourceFormat: source.format,
      sourceEncoding: source.encoding,
      checksum,
      sourceRows: source.rowCount,
      mappingName: input.mappingName ?? input.mapping.name,
      mappingChecksum: mappingChecksum(input.mapping),
      importedBy: input.importer.name,
      importedByUserId: input.importer.id,
    })
    .returning({ id: datasets.id })
    .all();
  if (!created) throw new Error('Could not create the dataset row.');
  const datasetId = created.id;

  try {
    // Cities the geography lacks are named from GB/T 2260 (the dry run refused codes not in the list).
    const addCity = db.$client.prepare('INSERT OR IGNORE INTO cities (code, name_zh, name_en, province_code, tier) VALUES (?, ?, ?, ?, ?)');
    db.$client.transaction(() => {
      for (const code of newCities) {
        const division = lookupDivision(code);
        addCity.run(code, division?.nameZh ?? `城市 ${code}`, division?.nameEn ?? `City ${code}`, code.slice(0, 2), division?.tier ?? 'tier4plus');
      }
    })();
    const list = columns.map((c) => `"${c}"`).join(', ');
    const copy = db.$client.prepare(
      `INSERT INTO main.respondents (${list}) SELECT ${columns.map((c) => (c === 'dataset_id' ? '?' : `"${c}"`)).join(', ')} FROM ${STAGE}.respondents WHERE rowid > ? AND rowid <= ?`,
    );
    const staged = db.$client.prepare(`SELECT COUNT(*) FROM ${STAGE}.respondents`).pluck().get() as number;
    if (staged !== report.validRows) throw new Error(`staged ${staged} rows for ${report.validRows} valid rows`);
    for (let from = 0; from < staged; from += COPY_BATCH_ROWS) {
      copy.run(datasetId, from, from + COPY_BATCH_ROWS);
      input.onProgress?.('load', Math.min(from + COPY_BATCH_ROWS, staged), staged);
      pause(PAUSE_BETWEEN_BATCHES_MS);
    }
    detachStage();
    for (const [year, count] of Object.entries(report.waves)) {
      db.insert(waves)
        .values({ datasetId, year: Number(year), label: `${year} CMDS (${input.fileName})`, design: input.mapping.design, respondentCount: count })
        .run();
    }
    collectGarbage();
    input.onProgress?.('indicators', 0, 1);
    const copied = Date.now();
    const indicatorSummary = computeIndicators(db, datasetId);
    const computed = Date.now();
    input.onProgress?.('indicators', 1, 1);
    if (indicatorSummary.cells === 0) {
      throw new ImportRefused(
        [{ file: input.fileName, severity: 'error', code: 'no_indicators', count: 1, rows: [], values: [], message: `${input.fileName}: the indicators came out empty; the version would show no indicator cells, so it is not activated` }],
        datasetId,
      );
    }
    // IMMEDIATE: it reads before it writes, and a read snapshot cannot be upgraded once another process has written.
    db.$client.transaction(() => {
      // Another import started meanwhile may have taken this version for an interrupted one and removed its rows:
      // activate only a version that is still loading and holds every checked row.
      const status = db.$client.prepare('SELECT status FROM datasets WHERE id = ?').pluck().get(datasetId);
      const stored = db.$client.prepare('SELECT COUNT(*) FROM respondents WHERE dataset_id = ?').pluck().get(datasetId) as number;
      if (status !== 'loading' || stored !== report.validRows) {
        throw new Error(`the version was changed while it loaded (status ${String(status)}, ${stored} of ${report.validRows} rows); was another import started at the same time?`);
      }
      const now = new Date();
      db.update(datasets).set({ active: false }).where(eq(datasets.active, true)).run();
      db.update(datasets)
        .set({ active: true, status: 'ready', rowCount: report.validRows, skippedRows: report.rowCount - report.validRows, finishedAt: now, activatedAt: now })
        .where(eq(datasets.id, datasetId))
        .run();
      // In the same transaction: an import is never active without its audit entry, nor audited without loading.
      recordAudit(db, {
        userId: input.importer.id,
        username: input.importer.name,
        action: 'import',
        target: `dataset:${datasetId}`,
        detail: {
          file: input.fileName,
          checksum,
          rows: report.validRows,
          waves: report.waves,
          mapping: input.mappingName ?? input.mapping.name,
          // Mapped variables the importer allowed the file to lack (they are empty in this version).
          ...(input.allowMissing?.length ? { allowMissing: [...input.allowMissing] } : {}),
        },
        durationMs: Date.now() - started,
      });
    }).immediate();
    return {
      datasetId,
      checksum,
      report,
      indicatorCells: indicatorSummary.cells,
      ms: Date.now() - started,
      steps: { check: checked - started, copy: copied - checked, indicators: computed - copied },
    };
  } catch (error) {
    const problems = error instanceof ImportRefused ? error.problems : null;
    recordFailure(db, input, checksum, datasetId, problems, started, problems ? undefined : (error as Error).message);
    try {
      purgeDatasetRows(db, datasetId);
    } catch (cleanup) {
      console.error('Could not remove the rows of the failed import:', cleanup);
    }
    throw error;
  }
}

function recordFailure(
  db: AppDatabase,
  input: SurveyFileInput & { importer: Importer },
  checksum: string,
  datasetId: number | null,
  problems: ImportProblem[] | null,
  started: number,
  internal?: string,
): void {
  const reason = problems ? problems.filter((p) => p.severity === 'error').map((p) => p.message).slice(0, 5).join('\n') : `internal error: ${internal}`;
  // Recording the failure must not hide the failure itself: a problem here is logged, the original error rethrown.
  try {
    if (datasetId !== null) db.update(datasets).set({ status: 'failed', error: reason, finishedAt: new Date() }).where(eq(datasets.id, datasetId)).run();
    recordAudit(db, {
      userId: input.importer.id,
      username: input.importer.name,
      action: 'import_failed',
      target: datasetId !== null ? `dataset:${datasetId}` : input.fileName,
      detail: { file: input.fileName, checksum, reason },
      durationMs: Date.now() - started,
    });
  } catch (error) {
    console.error('Could not record the failed import:', error);
  }
}

/** Moves SQLite's AUTOINCREMENT counters up to at least the given ids (never down). */
function advanceIdSequences(db: AppDatabase, floors: Record<string, number>): void {
  const insert = db.$client.prepare('INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)');
  const raise = db.$client.prepare('UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?');
  db.$client.transaction(() => {
    for (const [table, floor] of Object.entries(floors)) {
      insert.run(table, table);
      raise.run(floor, table);
    }
  })();
}

/** Makes an earlier ready version the active one again (its indicators are kept with it; recomputed if absent). */
export function activateDatasetVersion(db: AppDatabase, datasetId: number, importer: Importer): void {
  const target = db.select().from(datasets).where(eq(datasets.id, datasetId)).get();
  if (!target) throw new ImportRefused([{ file: '', severity: 'error', code: 'file_unreadable', count: 1, rows: [], values: [], message: `dataset version ${datasetId} does not exist` }]);
  if (target.status !== 'ready') {
    throw new ImportRefused([{ file: '', severity: 'error', code: 'file_unreadable', count: 1, rows: [], values: [], message: `dataset version ${datasetId} did not finish loading and cannot be activated` }]);
  }
  db.$client.transaction(() => {
    const cells = db.$client.prepare('SELECT COUNT(*) FROM indicators WHERE dataset_id = ?').pluck().get(datasetId) as number;
    if (cells === 0) computeIndicators(db, datasetId);
    db.update(datasets).set({ active: false }).where(eq(datasets.active, true)).run();
    db.update(datasets).set({ active: true, activatedAt: new Date() }).where(eq(datasets.id, datasetId)).run();
  }).immediate();
  recordAudit(db, { userId: importer.id, username: importer.name, action: 'dataset_activate', target: `dataset:${datasetId}`, detail: { label: target.label } });
}

/**
 * The admin page's reactivation on the configured back end. Embedded: the SQLite file. Cluster (DATABASE_URL): the
 * version becomes the active one in PostgreSQL, where the pages read it (db/publish.ts), and also in this machine's
 * file when the file holds it. A publishing failure is refused with its reason; PostgreSQL then keeps its version.
 */
export async function activateDatasetVersionOnBackEnd(db: AppDatabase, datasetId: number, importer: Importer): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!isPostgresUrl(url)) return activateDatasetVersion(db, datasetId, importer);
  const inFile = db.select({ id: datasets.id }).from(datasets).where(and(eq(datasets.id, datasetId), eq(datasets.status, 'ready'))).get() !== undefined;
  if (inFile) activateDatasetVersion(db, datasetId, importer);
  try {
    await activateVersionInCluster(url, db, datasetId, inFile, importer);
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    throw new ImportRefused([{ file: '', severity: 'error', code: 'not_published', count: 1, rows: [], values: [error.message], message: error.message }]);
  }
}
