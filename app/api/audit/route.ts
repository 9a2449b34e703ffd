// The audit log as CSV, with the audit page's filter (user, action, dates). Session → permission → zod → work.
import { getSqliteDatabase } from '@/lib/queries/database';
import { auditFilterFor, auditSearchSchema } from '@/lib/auth/audit-filter';
import { checkRoutePermission } from '@/lib/auth/session';
import { formatCsvRow } from '@/lib/export/respondents-csv';
import { recordAudit, searchAuditEntries } from '@/lib/queries/audit';

export const dynamic = 'force-dynamic';

// A cell starting with = + - @ would be a formula in a spreadsheet: quote it as text.
const safeCell = (value: string | null) => (value && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export async function GET(request: Request) {
  const check = await checkRoutePermission('audit:view-own', '/api/audit');
  if (!check.ok) return check.response;
  const search = auditSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getSqliteDatabase();
  const filter = auditFilterFor(check.user, search);
  const entries = searchAuditEntries(db, filter, 100_000);
  let csv = '\uFEFF' + formatCsvRow(['at_utc', 'user_id', 'username', 'action', 'target', 'detail', 'duration_ms']);
  for (const e of entries) csv += formatCsvRow([e.at.toISOString(), e.userId, safeCell(e.username), e.action, safeCell(e.target), safeCell(e.detail ? JSON.stringify(e.detail) : null), e.durationMs]);
  recordAudit(db, { userId: check.user.id, username: check.user.name, action: 'audit_export', detail: { ...search, rows: entries.length } });
  const name = ['audit', search.user, search.action, search.from, search.to].filter(Boolean).join('_');
  return new Response(csv, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"`, 'Cache-Control': 'no-store' },
  });
}
