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
}

const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function stagingFolder(databasePath: string): string {
  return path.join(path.dirname(path.resolve(databasePath)), 'import-staging');
}

export function stageUpload(folder: string, bytes: Uint8Array, meta: StagedUpload): string {
  fs.mkdirSync(folder, { recursive: true });
  removeStale(folder);
  const id = crypto.randomUUID();
  fs.writeFileSync(path.join(folder, `${id}.bin`), bytes);
  fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(meta));
  return id;
}

/** The staged upload, only for the user who staged it. */
export function readStaged(folder: string, id: string, userId: number): { meta: StagedUpload; bytes: Buffer } | null {
  const metaPath = path.join(folder, `${id}.json`);
  if (!/^[0-9a-f-]{36}$/.test(id) || !fs.existsSync(metaPath)) return null;
  const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as StagedUpload;
  if (meta.userId !== userId) return null;
  return { meta, bytes: fs.readFileSync(path.join(folder, `${id}.bin`)) };
}

export function discardStaged(folder: string, id: string): void {
  for (const extension of ['.bin', '.json']) fs.rmSync(path.join(folder, `${id}${extension}`), { force: true });
}

function removeStale(folder: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(folder)) {
    const file = path.join(folder, name);
    if (now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
  }
}
