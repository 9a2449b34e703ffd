// Runs the import CLI (db/import.ts) as a child process for the admin page: the dry run and the load of a large file
// take seconds of CPU that must not block the web server, and a crash or kill of the child cannot leave the server's
// database handle inside a half-done transaction. The child answers with one JSON line.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface ImportJob {
  filePath: string;
  fileName: string;
  mappingPath: string;
  mappingName: string;
  encoding: 'auto' | 'utf-8' | 'gb18030';
  databasePath: string;
  dryRun: boolean;
  user: { id: number; name: string };
}

export class ImportProcessError extends Error {}

const TIMEOUT_MS = 15 * 60 * 1000;

export function runImportProcess<T>(job: ImportJob, root = process.cwd()): Promise<T> {
  const args = [
    '--import',
    'tsx',
    path.join(root, 'db', 'import.ts'),
    job.filePath,
    '--json',
    '--name',
    job.fileName,
    '--mapping',
    job.mappingPath,
    '--mapping-name',
    job.mappingName,
    '--encoding',
    job.encoding,
    '--db',
    job.databasePath,
    '--user',
    job.user.name,
    '--user-id',
    String(job.user.id),
    ...(job.dryRun ? ['--dry-run'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, DATABASE_PATH: job.databasePath }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop();
      try {
        if (last) return resolve(JSON.parse(last) as T);
      } catch {
        // not JSON: fall through to the error below
      }
      reject(new ImportProcessError(`the import process ended (${signal ?? `exit ${code}`}) without a result: ${stderr.trim().slice(-2000)}`));
    });
  });
}
