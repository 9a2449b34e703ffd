// Uploaded files waiting between the dry run and the admin's confirmation, kept beside the database so that the
// confirmed import loads exactly the bytes that were checked (the sha256 shown in the report) without a second upload.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface StagedUpload {
  fileName: string;
  mappingName: string;
  mappingText: string;
  encoding: 'auto' | 'utf-8' | 'gb18030';
  userId: number;
  checksum: string;
  /** Mapped variables the admin allowed the file to lack in the dry run: the import allows exactly these. */
  allowMissing?: string[];
}

const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function stagingFolder(databasePath: string): string {
  return path.join(path.dirname(path.resolve(databasePath)), 'import-staging');
}

/**
 * A new staging id and the path its upload is streamed to (the request body is never held in memory whole); call
 * stageStreamedUpload once the file is complete, or discardStaged when the upload fails.
 */
export function reserveStagedFile(folder: string): { id: string; file: string } {
  fs.mkdirSync(folder, { recursive: true });
  removeStale(folder);
  const id = crypto.randomUUID();
  return { id, file: stagedPaths(folder, id).file };
}

/** Records the mapping and description of an upload already streamed to reserveStagedFile's path. */
export function stageStreamedUpload(folder: string, id: string, meta: StagedUpload): void {
  const paths = stagedPaths(folder, id);
  fs.writeFileSync(paths.mapping, meta.mappingText);
  fs.writeFileSync(paths.meta, JSON.stringify(meta));
}

export function stagedPaths(folder: string, id: string): { file: string; mapping: string; meta: string } {
  return { file: path.join(folder, `${id}.bin`), mapping: path.join(folder, `${id}.mapping.json`), meta: path.join(folder, `${id}.json`) };
}

/** The staged upload's description, only for the user who staged it. */
export function readStaged(folder: string, id: string, userId: number): StagedUpload | null {
  const metaPath = stagedPaths(folder, id).meta;
  if (!/^[0-9a-f-]{36}$/.test(id) || !fs.existsSync(metaPath)) return null;
  const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as StagedUpload;
  return meta.userId === userId ? meta : null;
}

export function discardStaged(folder: string, id: string): void {
  for (const file of Object.values(stagedPaths(folder, id))) fs.rmSync(file, { force: true });
}

function removeStale(folder: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(folder)) {
    const file = path.join(folder, name);
    if (now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
  }
}
