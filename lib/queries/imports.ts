// The dataset versions for the admin's import page: every loaded version, newest first, with its provenance and
// state. Loading and activating versions is lib/import/dataset-import.ts.
import 'server-only';
import { desc } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';

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

export async function listDatasetVersions(db: Database): Promise<DatasetVersion[]> {
  const { q, datasets } = storeOf(db);
  return q
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
    .orderBy(desc(datasets.id));
}
