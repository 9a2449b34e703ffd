// The HTTP side of a briefing download, shared by the city and comparison route handlers: render in the worker (a
// thread here, or a cluster worker process with DATABASE_URL), audit the download, and answer with the PDF under an
// ASCII-safe file name (plus its UTF-8 filename* variant). On the cluster the answer names the stored file
// (X-Briefing-Id), which /api/briefings/files/<id> serves to its owner from any web instance until it expires.
import 'server-only';
import { getDatabase } from '@/lib/queries/database';
import type { SignedInUser } from '@/lib/auth/session';
import { translator, type Locale, type MessageKey } from '@/lib/i18n/messages';
import { PARAM_LABELS } from '@/lib/url/ignored-params';
import { recordAudit } from '@/lib/queries/audit';
import type { PreparedBriefing } from './prepare-briefing';
import { env } from '@/lib/env';
import { BriefingNotReadyError, renderBriefing, storedBriefing } from '@/lib/jobs/briefings';
import { QueueFullError } from '@/lib/jobs/pool';

export function contentDisposition(fileStem: { ascii: string; unicode: string }): string {
  const ascii = fileStem.ascii.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `attachment; filename="${ascii}.pdf"; filename*=UTF-8''${encodeURIComponent(`${fileStem.unicode}.pdf`)}`;
}

const ERROR_MESSAGES: Record<string, MessageKey> = {
  bad_request: 'briefing.error.badRequest',
  not_found: 'briefing.error.unknownCity',
  no_dataset: 'briefing.error.noDataset',
  no_data: 'briefing.error.noData',
  busy: 'briefing.error.busy',
  render_failed: 'briefing.error.renderFailed',
  not_ready: 'briefing.error.notReady',
  expired: 'briefing.error.expired',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A refused or failed briefing. A browser following the download link (Accept: text/html) gets a page in the
 * interface language that says what went wrong and links back; scripts and tests get JSON as before.
 */
export function briefingError(
  request: Request | null,
  locale: Locale,
  status: number,
  error: keyof typeof ERROR_MESSAGES,
  message: string,
  options: { params?: string[]; headers?: Record<string, string> } = {},
): Response {
  const wantsPage = request?.headers.get('accept')?.includes('text/html') ?? false;
  if (!wantsPage) return Response.json({ error, message }, { status, headers: options.headers });
  const t = translator(locale);
  const params = [...new Set(options.params ?? [])].map((p) => (PARAM_LABELS[p] ? t(PARAM_LABELS[p]) : p)).join(locale === 'zh' ? '、' : ', ');
  const text = t(ERROR_MESSAGES[error]!, { params: params || '—' });
  const html = `<!doctype html><html lang="${locale === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="robots" content="noindex"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t('briefing.error.title'))}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a;line-height:1.6">
<h1 data-testid="briefing-error-title" style="font-size:1.5rem">${escapeHtml(t('briefing.error.title'))}</h1>
<p data-testid="briefing-error-text" data-error="${escapeHtml(error)}">${escapeHtml(text)}</p>
<p><a href="/" style="color:#991b1b">${escapeHtml(t('briefing.error.home'))}</a></p></body></html>`;
  return new Response(html, { status, headers: { ...options.headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}

export async function briefingResponse(prepared: PreparedBriefing, user: SignedInUser, audit: { target: string; detail: Record<string, unknown> }, page: { request: Request; locale: Locale }): Promise<Response> {
  const { request, locale } = page;
  if (!prepared.ok) {
    if (prepared.reason === 'unknown-city') return briefingError(request, locale, 404, 'not_found', 'No such city.');
    if (prepared.reason === 'no-dataset') return briefingError(request, locale, 503, 'no_dataset', 'No dataset is loaded yet.');
    return briefingError(request, locale, 404, 'no_data', 'There are no estimates for these filters.');
  }
  const started = performance.now();
  let pdf: Buffer;
  let jobId: string | null;
  try {
    ({ pdf, jobId } = await renderBriefing(prepared.model, prepared.fileStem, user.id, env.DATABASE_URL));
  } catch (error) {
    if (error instanceof QueueFullError) return briefingError(request, prepared.model.locale, 503, 'busy', error.message, { headers: { 'Retry-After': '5' } });
    if (error instanceof BriefingNotReadyError) return briefingError(request, prepared.model.locale, 503, 'not_ready', error.message, { headers: { 'Retry-After': '10', 'X-Briefing-Id': error.jobId } });
    console.error('briefing rendering failed', error);
    return briefingError(request, prepared.model.locale, 500, 'render_failed', 'The briefing could not be rendered.');
  }
  const durationMs = Math.round(performance.now() - started);
  await recordAudit(getDatabase(), {
    userId: user.id,
    username: user.name,
    action: 'pdf_download',
    target: audit.target,
    detail: { ...audit.detail, locale: prepared.model.locale, bytes: pdf.length },
    durationMs,
  });
  return pdfResponse(pdf, prepared.fileStem, jobId);
}

/** A briefing a cluster worker stored, for its owner (anyone else's id, an expired one or embedded: 404). */
export async function storedBriefingResponse(request: Request, locale: Locale, user: SignedInUser, id: string): Promise<Response> {
  // Another user's file answers exactly as a missing one: an id says nothing about whose it is.
  const file = await storedBriefing(id, user.id, env.DATABASE_URL);
  if (!file) return briefingError(request, locale, 404, 'expired', 'No such briefing (briefings are kept for 15 minutes).');
  await recordAudit(getDatabase(), { userId: user.id, username: user.name, action: 'pdf_download', target: `briefing:${id}`, detail: { bytes: file.pdf.length, stored: true } });
  return pdfResponse(file.pdf, file.fileStem, id);
}

function pdfResponse(pdf: Buffer, fileStem: { ascii: string; unicode: string }, jobId: string | null = null): Response {
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': contentDisposition(fileStem),
      'Content-Length': String(pdf.length),
      'Cache-Control': 'private, no-store',
      ...(jobId ? { 'X-Briefing-Id': jobId } : {}),
    },
  });
}

/** zod issues as one readable sentence for a 400 answer. */
export function describeIssues(issues: Array<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((i) => `${i.path.map(String).join('.') || 'query'}: ${i.message}`).join('; ');
}
