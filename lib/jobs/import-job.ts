// The import job's work, run in an import worker thread (lib/jobs/entries/import.ts) for the admin page: a dry run
// or a load of a staged survey file on the worker's own SQLite connection. The load is one transaction on that
// connection, so a worker that is stopped or crashes mid-load leaves the active dataset as it was. With
// DATABASE_URL=postgres://… the new version is then published into PostgreSQL (db/publish.ts), where the cluster reads it.
import 'server-only';
import fs from 'node:fs';
import { openDatabase } from '../../db/client';
import { clusterIdFloors, publishActiveVersionToCluster } from '../../db/publish';
import { parseMapping } from '../import/mapping';
import { notPublishedProblem, type ImportProblem, type ImportReport } from '../import/process';
import { dryRunImport, ImportRefused, importSurveyFile } from '../import/dataset-import';
import type { ImportPayload } from './payloads';
import type { JobProgress } from './types';

export type DryRunResult = { ok: true; checksum: string; report: ImportReport } | { ok: false; checksum: string; problems: ImportProblem[] };
export type ImportResult = { ok: true; datasetId: number; checksum: string; rows: number; indicatorCells: number; ms: number } | { ok: false; problems: ImportProblem[] };

export async function importStagedFile(payload: ImportPayload, reportProgress: (progress: JobProgress) => void): Promise<DryRunResult | ImportResult> {
  const mapping = parseMapping(fs.readFileSync(payload.mappingPath, 'utf8'));
  const db = openDatabase(payload.databasePath);
  const input = { fileName: payload.fileName, filePath: payload.filePath, mapping, encoding: payload.encoding, allowMissing: payload.allowMissing ?? [] };
  try {
    if (payload.dryRun) return dryRunImport(db, input);
    try {
      const idFloors = await clusterIdFloors();
      const outcome = importSurveyFile(db, {
        ...input,
        idFloors,
        mappingName: payload.mappingName,
        importer: { id: payload.user.id, name: payload.user.name },
        onProgress: (stage, done, total) => reportProgress({ stage, done, total }),
      });
      try {
        await publishActiveVersionToCluster(db, () => undefined, { migrate: false });
      } catch (error) {
        return { ok: false, problems: [notPublishedProblem(payload.fileName, error instanceof Error ? error.message : String(error))] };
      }
      return { ok: true, datasetId: outcome.datasetId, checksum: outcome.checksum, rows: outcome.report.validRows, indicatorCells: outcome.indicatorCells, ms: outcome.ms };
    } catch (error) {
      if (error instanceof ImportRefused) return { ok: false, problems: error.problems };
      throw error;
    }
  } finally {
    db.$client.pragma('wal_checkpoint(PASSIVE)');
    db.$client.close();
  }
}
