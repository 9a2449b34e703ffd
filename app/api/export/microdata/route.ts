// Analysts' microdata export: one wave (optionally one city) of the active dataset's respondents as CSV, after the
// licence notice was accepted. Session → permission → zod → work; every export is audited with its filters and rows,
// the file name carries the filters, and the licence travels with the file (X-Data-Licence header, UTF-8 encoded).
import { z } from 'zod';
import { getDatabase } from '@/lib/queries/database';
import { readRespondentsOf } from '@/lib/queries/microdata-source';
import { checkRoutePermission } from '@/lib/auth/session';
import { licenceNotice } from '@/lib/export/licence';
import { ExportError, writeRespondentsCsv } from '@/lib/export/respondents-csv';
import { recordAudit } from '@/lib/queries/audit';
import { getActiveDatasetForExport } from '@/lib/queries/datasets';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  wave: z.coerce.number().int().min(2000).max(2100),
  city: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\d{6}$/).optional()),
  accept: z.literal('1', { message: 'accept the licence first (accept=1)' }),
  /** model-code: the file is named as the model page's R / Stata code reads it (cmds-<wave>.csv) */
  for: z.enum(['model-code']).optional(),
});

export async function GET(request: Request) {
  const check = await checkRoutePermission('microdata:export', '/api/export/microdata');
  if (!check.ok) return check.response;
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return Response.json({ error: 'invalid_input', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message.slice(0, 120)}`).join('; ') }, { status: 400 });
  }
  const { wave, city, for: purpose } = parsed.data;
  const dataset = await getActiveDatasetForExport();
  if (!dataset) return Response.json({ error: 'not_found', message: 'No active dataset.' }, { status: 404 });
  const chunks: string[] = [];
  const started = Date.now();
  let rows: number;
  try {
    const written = await readRespondentsOf(dataset.id, (db) => writeRespondentsCsv(db, { wave, datasetId: dataset.id, cityCode: city }, (chunk) => chunks.push(chunk)).rows);
    if (written === null) return Response.json({ error: 'not_found', message: 'No active dataset.' }, { status: 404 });
    rows = written;
  } catch (error) {
    if (error instanceof ExportError) return Response.json({ error: 'not_found', message: `未找到 ${wave} 年的调查轮次 · No survey wave ${wave} in the active dataset.` }, { status: 404 });
    throw error;
  }
  const licence = licenceNotice(dataset);
  await recordAudit(getDatabase(), {
    userId: check.user.id,
    username: check.user.name,
    action: 'microdata_export',
    target: `dataset ${dataset.id}`,
    detail: { wave, city: city ?? null, rows, licenceAccepted: true, ...(purpose ? { for: purpose } : {}) },
    durationMs: Date.now() - started,
  });
  const fileName = purpose === 'model-code' ? `cmds-${wave}.csv` : ['microdata', dataset.kind === 'synthetic' ? 'synthetic' : `dataset${dataset.id}`, `wave${wave}`, city ? `city${city}` : 'allcities'].join('_') + '.csv';
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'X-Data-Licence': encodeURIComponent(licence.text),
      'Cache-Control': 'no-store',
    },
  });
}
