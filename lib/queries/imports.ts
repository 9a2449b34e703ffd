// Dataset versions from imported survey files: dry run, import, reactivation, the version list. The import writes a
// new dataset row and loads it in one transaction; only a load that commits becomes active, so a failed or killed
// import leaves the previous version active and untouched. Used by the admin page and by the CLI (so no server-only).
import { desc, eq } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { respondentInserter } from '@/db/demo/load';
import { insertGeography } from '@/db/demo/geography';
import { datasets, waves } from '@/db/schema';
import { lookupDivision } from '@/lib/geography/divisions';
import { computeIndicators } from '@/lib/indicators/precompute';
import { mappingChecksum, type ImportMapping } from '@/lib/import/mapping';
import { problemFromFileError, processSurveyRows, type ImportProblem, type ImportReport } from '@/lib/import/process';
import { readSurveyFile, sha256, type ReadOptions } from '@/lib/import/read';
import { SourceFileError, type SourceTable } from '@/lib/import/types';
import { recordAudit } from './audit';

export interface SurveyFileInput {
  fileName: string;
  bytes: Uint8Array;
  mapping: ImportMapping;
  encoding?: ReadOptions['encoding'];
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

function knownCities(db: AppDatabase): Set<string> {
  return new Set(db.$client.prepare('SELECT code FROM cities').pluck().all() as string[]);
}

function knownProvinces(db: AppDatabase): Set<string> {
  return new Set(db.$client.prepare('SELECT code FROM provinces').pluck().all() as string[]);
}

/** Adds a city the geography lacks (its province known), named from GB/T 2260, before its first respondent row. */
function cityAdder(db: AppDatabase, known: Set<string>): (code: string) => void {
  const insert = db.$client.prepare('INSERT OR IGNORE INTO cities (code, name_zh, name_en, province_code, tier) VALUES (?, ?, ?, ?, ?)');
  return (code) => {
    if (known.has(code)) return;
    const division = lookupDivision(code);
    insert.run(code, division?.nameZh ?? `城市 ${code}`, division?.nameEn ?? `City ${code}`, code.slice(0, 2), division?.tier ?? 'tier4plus');
    known.add(code);
  };
}

function openTable(input: SurveyFileInput): SourceTable {
  try {
    return readSurveyFile(input.fileName, input.bytes, input.encoding ? { encoding: input.encoding } : {});
  } catch (error) {
    if (error instanceof SourceFileError) throw new ImportRefused([problemFromFileError(input.fileName, error)]);
    throw error;
  }
}

/** Reads and checks the whole file against the mapping without writing anything. */
export function dryRunImport(db: AppDatabase, input: SurveyFileInput): DryRunOutcome {
  const checksum = sha256(input.bytes);
  try {
    insertGeography(db);
    const table = openTable(input);
    return { ok: true, checksum, report: processSurveyRows(table, input.mapping, { fileName: input.fileName, knownCities: knownCities(db), knownProvinces: knownProvinces(db) }) };
  } catch (error) {
    if (error instanceof ImportRefused) return { ok: false, checksum, problems: error.problems };
    if (error instanceof SourceFileError) return { ok: false, checksum, problems: [problemFromFileError(input.fileName, error)] };
    throw error;
  }
}

/** Imports not finished by a process that is gone (killed, crashed): recorded as failed so the list says so. */
export function markInterruptedImports(db: AppDatabase): number {
  return db
    .update(datasets)
    .set({ status: 'failed', error: 'interrupted: the import process stopped before it finished' })
    .where(eq(datasets.status, 'loading'))
    .run().changes;
}

export interface ImportOutcome {
  datasetId: number;
  checksum: string;
  report: ImportReport;
  indicatorCells: number;
  ms: number;
}

/**
 * Loads a survey file as a new dataset version and makes it the active one, recomputing indicators. Throws
 * ImportRefused (nothing written but the failed version's row) when the file or any of its values does not pass.
 */
export function importSurveyFile(
  db: AppDatabase,
  input: SurveyFileInput & { mappingName?: string; importer: Importer; onProgress?: (stage: 'rows' | 'indicators', done: number, total: number) => void },
): ImportOutcome {
  const started = Date.now();
  const checksum = sha256(input.bytes);
  insertGeography(db);
  markInterruptedImports(db);
  const table = (() => {
    try {
      return openTable(input);
    } catch (error) {
      if (error instanceof ImportRefused) recordFailure(db, input, checksum, null, error.problems, started);
      throw error;
    }
  })();

  // The version's row is committed first, as 'loading', so the list shows an import in progress; a process killed
  // from here on leaves only this row (marked interrupted by the next import or setup), never respondents.
  const [created] = db
    .insert(datasets)
    .values({
      label: `${input.fileName} (${new Date().toISOString().slice(0, 10)})`,
      kind: 'imported',
      status: 'loading',
      active: false,
      sourceFile: input.fileName,
      sourceFormat: table.format,
      sourceEncoding: table.encoding,
      checksum,
      sourceRows: table.rowCount,
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
    const result = db.$client.transaction(() => {
      const insert = respondentInserter(db, datasetId);
      const cities = knownCities(db);
      const addCity = cityAdder(db, new Set(cities));
      const report = processSurveyRows(table, input.mapping, {
        fileName: input.fileName,
        knownCities: cities,
        knownProvinces: knownProvinces(db),
        onRecord: (record) => {
          addCity(record.cityCode);
          insert(record);
        },
        onProgress: (done, total) => input.onProgress?.('rows', done, total),
      });
      if (!report.canImport) throw new ImportRefused(report.problems, datasetId);
      for (const [year, count] of Object.entries(report.waves)) {
        db.insert(waves)
          .values({ datasetId, year: Number(year), label: `${year} CMDS (${input.fileName})`, design: input.mapping.design, respondentCount: count })
          .run();
      }
      input.onProgress?.('indicators', 0, 1);
      const indicatorSummary = computeIndicators(db, datasetId);
      input.onProgress?.('indicators', 1, 1);
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
        detail: { file: input.fileName, checksum, rows: report.validRows, waves: report.waves, mapping: input.mappingName ?? input.mapping.name },
        durationMs: Date.now() - started,
      });
      return { report, indicatorCells: indicatorSummary.cells };
    })();
    return { datasetId, checksum, report: result.report, indicatorCells: result.indicatorCells, ms: Date.now() - started };
  } catch (error) {
    const problems =
      error instanceof ImportRefused
        ? error.problems
        : error instanceof SourceFileError
          ? [problemFromFileError(input.fileName, error)]
          : null;
    recordFailure(db, input, checksum, datasetId, problems, started, problems ? undefined : (error as Error).message);
    if (problems && !(error instanceof ImportRefused)) throw new ImportRefused(problems, datasetId);
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

export interface DatasetVersion {
  id: number;
  label: string;
  kind: 'synthetic' | 'imported';
  status: 'loading' | 'ready' | 'failed';
  active: boolean;
  sourceFile: string | null;
  sourceFormat: string | null;
  checksum: string | null;
  rowCount: number;
  sourceRows: number | null;
  mappingName: string | null;
  importedBy: string | null;
  createdAt: Date;
  activatedAt: Date | null;
  error: string | null;
}

export function listDatasetVersions(db: AppDatabase): DatasetVersion[] {
  return db
    .select({
      id: datasets.id,
      label: datasets.label,
      kind: datasets.kind,
      status: datasets.status,
      active: datasets.active,
      sourceFile: datasets.sourceFile,
      sourceFormat: datasets.sourceFormat,
      checksum: datasets.checksum,
      rowCount: datasets.rowCount,
      sourceRows: datasets.sourceRows,
      mappingName: datasets.mappingName,
      importedBy: datasets.importedBy,
      createdAt: datasets.createdAt,
      activatedAt: datasets.activatedAt,
      error: datasets.error,
    })
    .from(datasets)
    .orderBy(desc(datasets.id))
    .all();
}

/** Makes an earlier ready version the active one again (its indicators are kept with it; recomputed if absent). */
export function activateDatasetVersion(db: AppDatabase, datasetId: number, importer: Importer): DatasetVersion {
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
  })();
  recordAudit(db, { userId: importer.id, username: importer.name, action: 'dataset_activate', target: `dataset:${datasetId}`, detail: { label: target.label } });
  return listDatasetVersions(db).find((v) => v.id === datasetId) as DatasetVersion;
}
