// The audit log: sign-ins (failed ones too), refusals, imports, model runs and downloads, filtered by user, action and
// date, with a CSV download of the same filter. Admins see everyone's entries; analysts their own.
import { getSqliteDatabase } from '@/lib/queries/database';
import { auditFilterFor, auditSearchSchema } from '@/lib/auth/audit-filter';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import type { MessageKey } from '@/lib/i18n/messages';
import { listAuditActions, searchAuditEntries } from '@/lib/queries/audit';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.audit');

const input = 'rounded border border-slate-300 px-2 py-1 text-sm';

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('audit:view-own');
  const search = auditSearchSchema.parse(await searchParams);
  const t = await getTranslator();
  const db = getSqliteDatabase();
  const entries = searchAuditEntries(db, auditFilterFor(user, search), 500);
  const all = can(user.role, 'audit:view-all');
  // Actions by their catalogue label (the stored code in a tooltip); an action without a label shows its code.
  const actionLabel = (action: string) => {
    const key = `audit.action.${action}` as MessageKey;
    return t(key) === key ? action : t(key);
  };
  const query = new URLSearchParams(Object.entries(search).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold text-slate-900">{t('audit.title')}</h1>
      <p className="text-sm text-slate-600">{all ? t('audit.introAll') : t('audit.introOwn')}</p>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        {all && (
          <label className="flex flex-col">{t('audit.user')}<input name="user" defaultValue={search.user ?? ''} className={input} /></label>
        )}
        <label className="flex flex-col">
          {t('audit.action')}
          <select name="action" defaultValue={search.action ?? ''} className={input}>
            <option value="">{t('filters.all')}</option>
            {listAuditActions(db).map((action) => <option key={action} value={action}>{actionLabel(action)}</option>)}
          </select>
        </label>
        <label className="flex flex-col">{t('audit.from')}<input type="date" name="from" defaultValue={search.from ?? ''} className={input} /></label>
        <label className="flex flex-col">{t('audit.to')}<input type="date" name="to" defaultValue={search.to ?? ''} className={input} /></label>
        <button type="submit" className="rounded border border-slate-400 px-3 py-1 hover:bg-slate-100">{t('audit.filter')}</button>
        <a href={`/api/audit?${query.toString()}`} data-testid="audit-csv" className="rounded border border-slate-400 px-3 py-1 hover:bg-slate-100">{t('audit.csv')}</a>
      </form>
      <table className="w-full text-left text-xs" data-testid="audit-table">
        <thead>
          <tr className="border-b border-slate-300">
            <th className="py-1">{t('audit.at')}</th>
            <th>{t('audit.user')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.target')}</th>
            <th>{t('audit.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-b border-slate-100 align-top">
              <td className="whitespace-nowrap py-1 font-mono">{entry.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td>{entry.username ?? '—'}</td>
              <td title={entry.action}>{actionLabel(entry.action)}</td>
              {/* The stored record, verbatim (as in the CSV): not interface text, so not translated. */}
              <td translate="no" data-identifier="audit-record">{entry.target?.slice(0, 80) ?? ''}</td>
              <td translate="no" data-identifier="audit-record" className="max-w-md truncate font-mono">{entry.detail ? JSON.stringify(entry.detail).slice(0, 160) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-600">{t('audit.verbatimNote')}</p>
      {entries.length === 500 && <p className="text-xs text-slate-600">{t('audit.limited')}</p>}
    </div>
  );
}
