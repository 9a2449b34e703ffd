'use client';
// Downloads of a model result with provenance: the result's tables as one CSV and its plot as PNG / SVG
// (DownloadButtons), and for analysts the respondent data the R / Stata code reads, under the file name the code
// expects. The server passes the dataset's provenance lines and the analyst's right through ModelDownloadsProvider.
import { createContext, useContext } from 'react';
import { DownloadButtons, type DownloadLabels } from '@/components/ui/download-buttons';

export interface ModelDownloadsValue {
  /** dataset version, disclosure rule, source, citation and synthetic notice, from the server */
  provenance: string[];
  /** with {what} where the download's title goes */
  labels: DownloadLabels;
  /** "Title: {title}" in the interface language, {title} left in */
  titleLine: string;
  /** set when the user's role may export microdata (the route checks it again and audits the download) */
  data: { label: string; note: string } | null;
}

const ModelDownloadsContext = createContext<ModelDownloadsValue | null>(null);

export function ModelDownloadsProvider({ value, children }: { value: ModelDownloadsValue; children: React.ReactNode }) {
  return <ModelDownloadsContext.Provider value={value}>{children}</ModelDownloadsContext.Provider>;
}

export function ModelDownloads({
  target,
  title,
  spec,
  fileBase,
  kinds,
  testId,
  figureSelector,
  wave,
}: {
  target: string;
  title: string;
  /** what was fitted, in words: model type, outcome, wave, subgroup */
  spec: string[];
  fileBase: string;
  kinds: ReadonlyArray<'csv' | 'png' | 'svg'>;
  testId: string;
  figureSelector?: string;
  /** with a wave, an analyst also gets the data the code reads */
  wave?: number;
}) {
  const value = useContext(ModelDownloadsContext);
  if (!value) return null;
  const provenance = [value.titleLine.replace('{title}', title), ...spec, ...value.provenance];
  const labels = Object.fromEntries(Object.entries(value.labels).map(([key, text]) => [key, text.replaceAll('{what}', title)])) as DownloadLabels;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <DownloadButtons
        target={target}
        testId={testId}
        kinds={kinds}
        fileBase={fileBase}
        title={title}
        provenance={provenance}
        figureSelector={figureSelector}
        labels={labels}
      />
      {wave !== undefined && value.data && (
        <span className="inline-flex flex-wrap items-center gap-2 text-xs">
          <a
            href={`/api/export/microdata?${new URLSearchParams({ wave: String(wave), accept: '1', for: 'model-code' })}`}
            data-testid="download-model-data"
            className="rounded border border-slate-300 bg-white px-2 py-1 text-slate-800 hover:bg-slate-50"
          >
            {value.data.label}
          </a>
          <span className="text-slate-600">{value.data.note.replace('{file}', `cmds-${wave}.csv`)}</span>
        </span>
      )}
    </div>
  );
}
