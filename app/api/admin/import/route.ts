// Survey-file import for admins: `mode=dry-run` stages the upload and checks it against a mapping; `mode=import` loads
// the staged file (the bytes the admin saw checked) as a new dataset version. Session → permission → zod → work; the
// work runs as an import job in a worker thread (lib/jobs/imports.ts) so the server stays responsive.
import { z } from 'zod';
import { getDatabase } from '@/db/client';
import { checkRoutePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import type { DryRunResult, ImportResult } from '@/lib/jobs/import-job';
import { runImportJob } from '@/lib/jobs/imports';
import { QueueFullError } from '@/lib/jobs/pool';
import { MappingError, parseMapping } from '@/lib/import/mapping';
import { DEFAULT_MAPPING_NAMES, DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { sha256 } from '@/lib/import/read';
import { discardStaged, readStaged, stagedPaths, stageUpload, stagingFolder } from '@/lib/import/staging';
import { TEXT_ENCODINGS } from '@/lib/import/text';
import { recordAudit } from '@/lib/queries/audit';

export const dynamic = 'force-dynamic';

const MAX_FILE_BYTES = 512 * 1024 * 1024;
const MAX_MAPPING_BYTES = 1024 * 1024;

const fileField = z.instanceof(File, { message: 'choose a file' });
const requestSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('dry-run'),
    file: fileField.refine((f) => f.size > 0, 'the file is empty').refine((f) => f.size <= MAX_FILE_BYTES, 'the file is larger than 512 MB'),
    encoding: z.enum(['auto', ...TEXT_ENCODINGS]).default('auto'),
    mapping: z.enum(DEFAULT_MAPPING_NAMES).default('cmds-2017'),
    mappingFile: fileField.refine((f) => f.size <= MAX_MAPPING_BYTES, 'the mapping is larger than 1 MB').optional(),
  }),
  z.object({ mode: z.literal('import'), stagingId: z.uuid() }),
]);

function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return true;
  return origin === new URL(request.url).origin || origin === `${request.headers.get('x-forwarded-proto') ?? 'http'}://${request.headers.get('host')}`;
}

export async function POST(request: Request) {
  const check = await checkRoutePermission('data:import');
  if (!check.ok) return check.response;
  const { user } = check;
  if (!sameOrigin(request)) return Response.json({ ok: false, error: 'forbidden', message: 'Cross-site request refused.' }, { status: 403 });

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ ok: false, error: 'invalid_input', message: 'Send the file as multipart/form-data.' }, { status: 400 });
  }
  // An empty optional file input arrives as a nameless empty File: treat it as absent.
  const fields = Object.fromEntries([...form.entries()].filter(([, value]) => !(value instanceof File && value.size === 0 && value.name === '')));
  const parsed = requestSchema.safeParse(fields);
  if (!parsed.success) {
    return Response.json(
      { ok: false, error: 'invalid_input', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') },
      { status: 400 },
    );
  }
  const folder = stagingFolder(env.DATABASE_PATH);
  const job = { databasePath: env.DATABASE_PATH, user: { id: user.id, name: user.name } };

  if (parsed.data.mode === 'dry-run') {
    const { file, encoding } = parsed.data;
    let mappingText: string;
    let mappingName: string;
    try {
      if (parsed.data.mappingFile) {
        mappingText = await parsed.data.mappingFile.text();
        parseMapping(mappingText);
        mappingName = parsed.data.mappingFile.name;
      } else {
        mappingText = JSON.stringify(DEFAULT_MAPPINGS[parsed.data.mapping]);
        mappingName = `${parsed.data.mapping}.json`;
      }
    } catch (error) {
      if (error instanceof MappingError) return Response.json({ ok: false, error: 'invalid_mapping', message: error.message }, { status: 400 });
      throw error;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const started = Date.now();
    const stagingId = stageUpload(folder, bytes, { fileName: file.name, mappingName, mappingText, encoding, userId: user.id, checksum: sha256(bytes) });
    const paths = stagedPaths(folder, stagingId);
    try {
      const outcome = await runImportJob<DryRunResult>({ ...job, filePath: paths.file, fileName: file.name, mappingPath: paths.mapping, mappingName, encoding, dryRun: true });
      const canImport = outcome.ok && outcome.report.canImport;
      if (!canImport) discardStaged(folder, stagingId);
      recordAudit(getDatabase(), {
        userId: user.id,
        username: user.name,
        action: 'import_dry_run',
        target: file.name,
        detail: { checksum: outcome.checksum, ok: canImport, mapping: mappingName },
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
