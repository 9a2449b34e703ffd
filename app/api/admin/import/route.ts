// Survey-file import for admins: `mode=dry-run` checks an uploaded file against a mapping and stages it; `mode=import`
// loads the staged file (the bytes the admin saw checked) as a new dataset version. Session → permission → zod → work.
import { z } from 'zod';
import { getDatabase } from '@/db/client';
import { checkRoutePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { MappingError, parseMapping, type ImportMapping } from '@/lib/import/mapping';
import { DEFAULT_MAPPING_NAMES, DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { discardStaged, readStaged, stageUpload, stagingFolder } from '@/lib/import/staging';
import { TEXT_ENCODINGS } from '@/lib/import/text';
import { recordAudit } from '@/lib/queries/audit';
import { dryRunImport, ImportRefused, importSurveyFile } from '@/lib/queries/imports';

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
  const fields = Object.fromEntries([...form.entries()].filter(([, value]) => !(value instanceof File && value.size === 0 && value.name === '')));
  const parsed = requestSchema.safeParse(fields);
  if (!parsed.success) {
    return Response.json(
      { ok: false, error: 'invalid_input', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') },
      { status: 400 },
    );
  }
  const db = getDatabase();
  const folder = stagingFolder(env.DATABASE_PATH);
  const importer = { id: user.id, name: user.name };

  if (parsed.data.mode === 'dry-run') {
    const { file, encoding } = parsed.data;
    let mapping: ImportMapping;
    let mappingText: string;
    let mappingName: string;
    try {
      if (parsed.data.mappingFile) {
        mappingText = await parsed.data.mappingFile.text();
        mapping = parseMapping(mappingText);
        mappingName = parsed.data.mappingFile.name;
      } else {
        mapping = DEFAULT_MAPPINGS[parsed.data.mapping];
        mappingText = JSON.stringify(mapping);
        mappingName = `${parsed.data.mapping}.json`;
      }
    } catch (error) {
      if (error instanceof MappingError) return Response.json({ ok: false, error: 'invalid_mapping', message: error.message }, { status: 400 });
      throw error;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const started = Date.now();
    const outcome = dryRunImport(db, { fileName: file.name, bytes, mapping, encoding });
    recordAudit(db, {
      userId: user.id,
      username: user.name,
      action: 'import_dry_run',
      target: file.name,
      detail: { checksum: outcome.checksum, ok: outcome.ok && outcome.report.canImport, mapping: mappingName },
      durationMs: Date.now() - started,
    });
    if (!outcome.ok) return Response.json({ ok: false, error: 'unreadable', checksum: outcome.checksum, problems: outcome.problems });
    const stagingId = outcome.report.canImport
      ? stageUpload(folder, bytes, { fileName: file.name, mappingName, mappingText, encoding, userId: user.id, checksum: outcome.checksum })
      : null;
    return Response.json({ ok: true, checksum: outcome.checksum, mappingName, stagingId, report: outcome.report });
  }

  const staged = readStaged(folder, parsed.data.stagingId, user.id);
  if (!staged) return Response.json({ ok: false, error: 'not_found', message: 'The checked file is no longer staged; run the dry run again.' }, { status: 404 });
  try {
    const outcome = importSurveyFile(db, {
      fileName: staged.meta.fileName,
      bytes: staged.bytes,
      mapping: parseMapping(staged.meta.mappingText),
      mappingName: staged.meta.mappingName,
      encoding: staged.meta.encoding,
      importer,
    });
    discardStaged(folder, parsed.data.stagingId);
    return Response.json({ ok: true, datasetId: outcome.datasetId, rows: outcome.report.validRows, checksum: outcome.checksum, ms: outcome.ms });
  } catch (error) {
    if (error instanceof ImportRefused) return Response.json({ ok: false, error: 'refused', problems: error.problems }, { status: 422 });
    console.error('Import failed:', error);
    return Response.json({ ok: false, error: 'failed', message: 'The import failed; the active dataset is unchanged and the error has been logged.' }, { status: 500 });
  }
}
