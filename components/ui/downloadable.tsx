// A table or chart with its download buttons above it: CSV for a table, PNG and SVG for a chart (DownloadButtons),
// each file with the page's provenance. A server component: it wraps the page's own rendering without changing it.
import type { Translator } from '@/lib/i18n/messages';
import { downloadLabels } from '@/lib/export/provenance';
import { DownloadButtons } from './download-buttons';

export function Downloadable({
  id,
  kind,
  title,
  fileBase,
  provenance,
  t,
  testId,
  children,
  className = '',
}: {
  id: string;
  /** table: CSV; chart: PNG and SVG; both: a chart that holds its own table */
  kind: 'table' | 'chart' | 'both';
  title: string;
  fileBase: string;
  provenance: (title: string) => string[];
  t: Translator;
  testId?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={`space-y-1 ${className}`} data-downloadable={kind}>
      <div className="flex justify-end">
        <DownloadButtons
          target={id}
          testId={testId ?? `${id}-download`}
          kinds={kind === 'table' ? ['csv'] : kind === 'chart' ? ['png', 'svg'] : ['csv', 'png', 'svg']}
          fileBase={kind === 'both' ? fileBase : `${fileBase}_${kind}`}
          title={title}
          provenance={provenance(title)}
          labels={downloadLabels(t, title)}
        />
      </div>
      <div id={id}>{children}</div>
    </div>
  );
}
