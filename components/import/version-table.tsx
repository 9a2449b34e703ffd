// The dataset versions: which is active, where each came from (file, sha256, mapping, who, when) and how many rows.
import type { DatasetVersion } from '@/lib/queries/imports';
import { ActivateButton, type ActivateAction } from './activate-button';

export function VersionTable({
  versions,
  labels,
  locale,
  activate,
}: {
  versions: DatasetVersion[];
  labels: Record<string, string>;
  locale: 'zh' | 'en';
  activate: ActivateAction;
}) {
  const format = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table data-testid="dataset-versions" className="min-w-full text-sm">
        <thead className="bg-slate-100 text-left">
          <tr>
            {['id', 'dataset', 'status', 'rows', 'mappingName', 'importedBy', 'createdAt', 'action'].map((column) => (
              <th key={column} scope="col" className="px-3 py-2 font-medium">
                {labels[`import.col.${column}`]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-dataset={v.id} data-active={v.active} data-status={v.status} className={`border-t border-slate-100 ${v.active ? 'bg-emerald-50' : ''}`}>
              <td className="px-3 py-2 tabular-nums">#{v.id}</td>
              <td className="px-3 py-2">
                <div>{v.kind === 'synthetic' ? labels['import.syntheticSource'] : (v.sourceFile ?? v.label)}</div>
                <div className="text-xs text-slate-600">
                  {labels[`import.kind.${v.kind}`]}
                  {v.sourceFormat ? ` · ${v.sourceFormat.toUpperCase()}` : ''}
                </div>
                {v.checksum && (
                  <div className="font-mono text-xs text-slate-500" title={v.checksum}>
                    sha256 {v.checksum.slice(0, 12)}…
                  </div>
                )}
                {v.error && <div className="max-w-md text-xs whitespace-pre-line text-red-800">{v.error}</div>}
              </td>
              <td className="px-3 py-2">
                {v.active ? <span className="rounded bg-emerald-700 px-2 py-0.5 text-xs text-white">{labels['import.active']}</span> : labels[`import.status.${v.status}`]}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {v.rowCount.toLocaleString()}
                {v.sourceRows !== null && v.sourceRows !== v.rowCount ? ` / ${v.sourceRows.toLocaleString()}` : ''}
              </td>
              <td className="px-3 py-2 text-xs">{v.mappingName ?? '—'}</td>
              <td className="px-3 py-2">{v.importedBy ?? '—'}</td>
              <td className="px-3 py-2 text-xs">{format.format(v.createdAt)}</td>
              <td className="px-3 py-2">{v.status === 'ready' && !v.active && <ActivateButton datasetId={v.id} label={labels['import.activate'] ?? ''} action={activate} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
