// Small bilingual error answers written by proxy.ts before any page renders: a 404 page that names the unknown city
// or wave (cut short and escaped, never echoing input at length), and JSON refusals for server actions.
import type { UnknownTarget } from '@/lib/queries/route-targets';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** At most 24 characters of what the user sent, escaped for HTML. */
export function shortQuote(value: string): string {
  const cut = value.length > 24 ? `${value.slice(0, 24)}…` : value;
  return escapeHtml(cut);
}

export function notFoundPage(target: Exclude<UnknownTarget, null>): Response {
  const what =
    target.kind === 'city'
      ? { zh: `没有代码为 “${shortQuote(target.code)}” 的城市。`, en: `There is no city with the code “${shortQuote(target.code)}”.`, back: '/cities' }
      : { zh: `当前数据集中没有 ${shortQuote(target.wave)} 年的调查轮次。`, en: `The active dataset has no survey wave ${shortQuote(target.wave)}.`, back: '/' };
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>未找到 · Not found</title></head>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1 data-testid="not-found-title">未找到 · Not found</h1>
<p data-testid="not-found-what">${what.zh}<br>${what.en}</p>
<p><a href="${what.back}">返回 · Back</a></p></body></html>`;
  return new Response(html, { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}

export function refusal(status: 400 | 403 | 413, message: string): Response {
  return Response.json({ error: status === 400 ? 'invalid_input' : status === 403 ? 'forbidden' : 'too_large', message }, { status });
}
