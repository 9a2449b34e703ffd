// Survey-file import for admins: `mode=dry-run` stages the upload and checks it against a mapping; `mode=import` loads
// the staged file (the bytes the admin saw checked) as a new dataset version. Session → permission → zod → work; the
// work runs as an import job in a worker thread (lib/jobs/imports.ts) so the server stays responsive. The body is read
// only after the session is checked, and the upload is streamed to the staging file, never held in memory whole.
import { z } from 'zod';
import { getSqliteDatabase } from '@/lib/queries/database';
import { checkRoutePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import type { DryRunResult, ImportResult } from '@/lib/jobs/import-job';
import { runImportJob } from '@/lib/jobs/imports';
import { QueueFullError } from '@/lib/jobs/pool';
import { MappingError, parseMapping } from '@/lib/import/mapping';
import { DEFAULT_MAPPING_NAMES, DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { isSameOriginRequest } from '@/lib/auth/request-origin';
import { declaredLengthExceeds, tooLargeResponse } from '@/lib/http/body-limit';
import { MultipartRefused, readMultipartToDisk, type MultipartResult } from '@/lib/http/multipart';
import { discardStaged, readStaged, reserveStagedFile, stagedPaths, stageStreamedUpload, stagingFolder } from '@/lib/import/staging';
import { TEXT_ENCODINGS } from '@/lib/import/text';
import { recordAudit } from '@/lib/queries/audit';

export const dynamic = 'force-dynamic';

const MAX_FILE_BYTES = 512 * 1024 * 1024;
const MAX_MAPPING_BYTES = 1024 * 1024;

// The file itself is streamed to the staging folder (lib/http/multipart.ts); these are the small fields beside it.
// Mapped optional variables the admin ticked after a refused dry run, as a JSON list of names: each named, never '*'.
const allowMissingField = z
  .string()
  .max(8 * 1024)
  .default('[]')
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'a JSON list of variable names' });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.string().trim().min(1).max(200).refine((name) => name !== '*', 'name each variable')).max(200));

const requestSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('dry-run'),
    encoding: z.enum(['auto', ...TEXT_ENCODINGS]).default('auto'),
    mapping: z.enum(DEFAULT_MAPPING_NAMES).default('cmds-2017'),
    allowMissing: allowMissingField,
  }),
  z.object({ mode: z.literal('import'), stagingId: z.uuid() }),
]);


export async function POST(request: Request) {
  const check = await checkRoutePermission('data:import');
  if (!check.ok) return check.response;
  const { user } = check;
  if (!isSameOriginRequest(request)) {
    recordAudit(getSqliteDatabase(), { userId: user.id, username: user.name, action: 'refused_cross_origin', target: '/api/admin/import' });
    return Response.json({ ok: false, error: 'forbidden', message: 'Cross-site request refused.' }, { status: 403 });
  }
  if (declaredLengthExceeds(request, MAX_FILE_BYTES + MAX_MAPPING_BYTES + 64 * 1024)) return tooLargeResponse(MAX_FILE_BYTES);

  // Only now, with the admin's session checked, is a large body read: streamed part by part, the file to disk.
  const folder = stagingFolder(env.DATABASE_PATH);
  const reserved = reserveStagedFile(folder);
  let form: MultipartResult;
  try {
    form = await readMultipartToDisk(request, {
      fileField: 'file',
      filePath: reserved.file,
      maxFileBytes: MAX_FILE_BYTES,
      smallFileFields: { mappingFile: MAX_MAPPING_BYTES },
      maxFieldBytes: 8 * 1024,
      maxFields: 10,
    });
  } catch (error) {
    discardStaged(folder, reserved.id);
    if (error instanceof MultipartRefused) return Response.json({ ok: false, error: error.status === 413 ? 'too_large' : 'invalid_input', message: error.message }, { status: error.status });
    throw error;
  }
  const parsed = requestSchema.safeParse(form.fields);
  if (!parsed.success) {
    discardStaged(folder, reserved.id);
    return Response.json(
      { ok: false, error: 'invalid_input', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message.slice(0, 200)}`).join('; ') },
      { status: 400 },
    );
  }
  const job = { databasePath: env.DATABASE_PATH, user: { id: user.id, name: user.name } };

  if (parsed.data.mode === 'dry-run') {
    const { encoding, allowMissing } = parsed.data;
    const file = form.file;
    if (!file || file.size === 0) {
      discardStaged(folder, reserved.id);
      return Response.json({ ok: false, error: 'invalid_input', message: file ? 'file: the file is empty' : 'file: choose a file' }, { status: 400 });
    }
    let mappingText: string;
    let mappingName: string;
    try {
      const mappingFile = form.smallFiles.mappingFile;
      if (mappingFile) {
        mappingText = mappingFile.text;
        parseMapping(mappingText);
        mappingName = mappingFile.name;
      } else {
        mappingText = JSON.stringify(DEFAULT_MAPPINGS[parsed.data.mapping]);
        mappingName = `${parsed.data.mapping}.json`;
      }
    } catch (error) {
      discardStaged(folder, reserved.id);
      if (error instanceof MappingError) return Response.json({ ok: false, error: 'invalid_mapping', message: error.message }, { status: 400 });
      throw error;
    }
    const started = Date.now();
    const stagingId = reserved.id;
    stageStreamedUpload(folder, stagingId, { fileName: file.name, mappingName, mappingText, encoding, userId: user.id, checksum: file.sha256, allowMissing });
    const paths = stagedPaths(folder, stagingId);
    try {
      const outcome = await runImportJob<DryRunResult>({ ...job, filePath: paths.file, fileName: file.name, mappingPath: paths.mapping, mappingName, encoding, dryRun: true, allowMissing });
      const canImport = outcome.ok && outcome.report.canImport;
      if (!canImport) discardStaged(folder, stagingId);
      recordAudit(getSqliteDatabase(), {
        userId: user.id,
        username: user.name,
        action: 'import_dry_run',
        target: file.name,
        detail: { checksum: outcome.checksum, ok: canImport, mapping: mappingName, ...(allowMissing.length ? { allowMissing } : {}) },
        durationMs: Date.now() - started,
      });
      if (!outcome.ok) return Response.json({ ok: false, error: 'unreadable', checksum: outcome.checksum, problems: outcome.problems });
      return Response.json({ ok: true, checksum: outcome.checksum, mappingName, stagingId: canImport ? stagingId : null, report: outcome.report });
    } catch (error) {
      discardStaged(folder, stagingId);
      if (error instanceof QueueFullError) return Response.json({ ok: false, error: 'busy', message: error.message }, { status: 503 });
      console.error('Dry run failed:', error);
      return Response.json({ ok: false, error: 'failed', message: 'The check failed; the error has been logged.' }, { status: 500 });
    }
  }

  discardStaged(folder, reserved.id); // an import names a staged file; nothing was uploaded with it
  const staged = readStaged(folder, parsed.data.stagingId, user.id);
  if (!staged) return Response.json({ ok: false, error: 'not_found', message: 'The checked file is no longer staged; run the dry run again.' }, { status: 404 });
  const paths = stagedPaths(folder, parsed.data.stagingId);
  try {
    const outcome = await runImportJob<ImportResult>({
      ...job,
      filePath: paths.file,
      fileName: staged.fileName,
      mappingPath: paths.mapping,
      mappingName: staged.mappingName,
      encoding: staged.encoding,
      dryRun: false,
      // Exactly what the admin allowed in the dry run that checked these bytes.
      allowMissing: staged.allowMissing ?? [],
    });
    if (!outcome.ok) return Response.json({ ok: false, error: 'refused', problems: outcome.problems }, { status: 422 });
    return Response.json(outcome);
  } catch (error) {
    if (error instanceof QueueFullError) return Response.json({ ok: false, error: 'busy', message: error.message }, { status: 503 });
    console.error('Import failed:', error);
    return Response.json({ ok: false, error: 'failed', message: 'The import failed; the active dataset is unchanged and the error has been logged.' }, { status: 500 });
  } finally {
    discardStaged(folder, parsed.data.stagingId);
  }
}
