// The HTTP side of a briefing download, shared by the city and comparison route handlers: render in the worker,
// audit the download, and answer with the PDF under an ASCII-safe file name (plus its UTF-8 filename* variant).
import 'server-only';
import { getDatabase } from '@/db/client';
import type { SignedInUser } from '@/lib/auth/session';
import { recordAudit } from '@/lib/queries/audit';
import type { PreparedBriefing } from './prepare-briefing';
import { renderBriefingJob } from '@/lib/jobs/briefings';
import { QueueFullError } from '@/lib/jobs/pool';

export function contentDisposition(fileStem: { ascii: string; unicode: string }): string {
  const ascii = fileStem.ascii.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `attachment; filename="${ascii}.pdf"; filename*=UTF-8''${encodeURIComponent(`${fileStem.unicode}.pdf`)}`;
}

const json = (status: number, error: string, message: string) => Response.json({ error, message }, { status });

export async function briefingResponse(prepared: PreparedBriefing, user: SignedInUser, audit: { target: string; detail: Record<string, unknown> }): Promise<Response> {
  if (!prepared.ok) {
    if (prepared.reason === 'unknown-city') return json(404, 'not_found', 'No such city.');
    if (prepared.reason === 'no-dataset') return json(503, 'no_dataset', 'No dataset is loaded yet.');
    return json(404, 'no_data', 'There are no estimates for these filters.');
  }
  const started = performance.now();
  let pdf: Buffer;
  try {
    pdf = await renderBriefingJob(prepared.model, user.id);
  } catch (error) {
    if (error instanceof QueueFullError) return Response.json({ error: 'busy', message: error.message }, { status: 503, headers: { 'Retry-After': '5' } });
    console.error('briefing rendering failed', error);
    return json(500, 'render_failed', 'The briefing could not be rendered.');
  }
  const durationMs = Math.round(performance.now() - started);
  recordAudit(getDatabase(), {
    userId: user.id,
    username: user.name,
    action: 'pdf_download',
    target: audit.target,
    detail: { ...audit.detail, locale: prepared.model.locale, bytes: pdf.length },
    durationMs,
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': contentDisposition(prepared.fileStem),
      'Content-Length': String(pdf.length),
      'Cache-Control': 'private, no-store',
    },
  });
}

/** zod issues as one readable sentence for a 400 answer. */
export function describeIssues(issues: Array<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((i) => `${i.path.map(String).join('.') || 'query'}: ${i.message}`).join('; ');
}
