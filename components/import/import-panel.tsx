'use client';
// The admin's import flow: upload with a progress bar (XMLHttpRequest reports upload progress, fetch does not), the
// dry-run report, then confirmation of the staged file. Strings come from the server in the page's language.
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { ImportProblem, ImportReport } from '@/lib/import/process';

type Labels = Record<string, string>;

type DryRunResponse =
  | { ok: true; checksum: string; mappingName: string; stagingId: string | null; report: ImportReport }
  | { ok: false; error: string; message?: string; checksum?: string; problems?: ImportProblem[] };
type ImportResponse = { ok: true; datasetId: number; rows: number; checksum: string; ms: number } | { ok: false; error: string; message?: string; problems?: ImportProblem[] };

type Phase = { kind: 'idle' } | { kind: 'uploading'; percent: number } | { kind: 'checking' } | { kind: 'importing' };

function fill(template: string | undefined, vars: Record<string, string | number> = {}): string {
  let text = template ?? '';
  for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

function post<T>(body: FormData, onUpload: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/admin/import');
    request.responseType = 'json';
    request.upload.onprogress = (event) => event.lengthComputable && onUpload(Math.round((event.loaded / event.total) * 100));
    request.onload = () => (request.response ? resolve(request.response as T) : reject(new Error(`HTTP ${request.status}`)));
    request.onerror = () => reject(new Error('network error'));
    request.send(body);
  });
}

export function ProblemList({ problems, labels, testId }: { problems: ImportProblem[]; labels: Labels; testId: string }) {
  if (problems.length === 0) return <p className="text-sm text-emerald-700">{labels['import.noProblems']}</p>;
  return (
    <ul data-testid={testId} className="space-y-1 text-sm">
      {problems.map((problem, i) => (
        <li
          key={`${problem.code}-${problem.variable ?? ''}-${i}`}
          data-severity={problem.severity}
          className={problem.severity === 'error' ? 'rounded bg-red-50 px-2 py-1 text-red-800' : 'rounded bg-amber-50 px-2 py-1 text-amber-900'}
        >
          <span className="mr-2 font-semibold">{labels[`import.severity.${problem.severity}`]}</span>
          {problemText(problem, labels)}
        </li>
      ))}
    </ul>
  );
}

// Problems whose values are descriptions ("A2" in rows 2 and 5), not values of the file, are listed as they are.
const DESCRIBED_VALUES = new Set(['source_absent', 'duplicate_id', 'duplicate_row', 'label_mismatch', 'mapping_value']);

/** The problem in the page's language; the server's English message when the catalogue has no text for its code. */
function problemText(problem: ImportProblem, labels: Labels): string {
  const key = problem.code === 'source_not_found' && problem.values.length === 0 ? 'import.problem.source_not_found_none' : `import.problem.${problem.code}`;
  const template = labels[key];
  if (!template) return problem.message;
  return fill(template, {
            file: problem.file,
            variable: problem.variable ?? '',
            source: problem.source ?? '',
            count: problem.count,
            rows: problem.rows.slice(0, 3).join(', '),
    values: DESCRIBED_VALUES.has(problem.code) ? problem.values.join('; ') : problem.values.map((v) => `“${v}”`).join(', '),
    detail: problem.values[0] ?? '',
  });
}

/**
 * After a dry run refused because mapped optional variables are not in the file: one box per variable, which the
 * admin ticks to check the file again without them (the route validates the names and audits what was allowed).
 */
function AllowMissingControl({ problems, labels, busy, onRecheck }: { problems: ImportProblem[]; labels: Labels; busy: boolean; onRecheck: (names: string[]) => void }) {
  const [ticked, setTicked] = useState<string[]>([]);
  const names = problems.map((p) => p.source ?? p.variable ?? '').filter(Boolean);
  const toggle = (name: string, on: boolean) => setTicked((current) => (on ? [...current.filter((n) => n !== name), name] : current.filter((n) => n !== name)));
  return (
    <fieldset data-testid="allow-missing" className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
      <legend className="px-1 font-medium">{labels['import.allowMissing.title']}</legend>
      <p className="text-amber-900">{labels['import.allowMissing.hint']}</p>
      <ul className="space-y-1">
        {problems.map((problem) => {
          const name = problem.source ?? problem.variable ?? '';
          return (
            <li key={name}>
              <label className="inline-flex items-center gap-2">
                <input type="checkbox" name="allowMissing" value={name} checked={ticked.includes(name)} onChange={(event) => toggle(name, event.currentTarget.checked)} />
                <span>{fill(labels['import.allowMissing.option'], { source: name, variable: problem.variable ?? '' })}</span>
              </label>
            </li>
          );
        })}
      </ul>
      <div className="flex flex-wrap gap-3">
        {names.length > 1 && (
          <button type="button" onClick={() => setTicked(names)} className="rounded border border-slate-300 bg-white px-3 py-1.5">
            {labels['import.allowMissing.all']}
          </button>
        )}
        <button
          type="button"
          data-testid="allow-missing-recheck"
          disabled={busy || ticked.length === 0}
          onClick={() => onRecheck(ticked)}
          className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50"
        >
          {labels['import.allowMissing.recheck']}
        </button>
      </div>
    </fieldset>
  );
}

export function ImportPanel({ labels, mappings }: { labels: Labels; mappings: string[] }) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [dryRun, setDryRun] = useState<DryRunResponse | null>(null);
  const [result, setResult] = useState<ImportResponse | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Mapped variables the admin allowed the file to lack in the last check (sent again with a re-check).
  const [allowed, setAllowed] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const busy = phase.kind !== 'idle';

  function check(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void runDryRun([]);
  }

  async function runDryRun(allowMissing: string[]) {
    if (!formRef.current) return;
    const form = new FormData(formRef.current);
    form.set('mode', 'dry-run');
    form.set('allowMissing', JSON.stringify(allowMissing));
    setAllowed(allowMissing);
    setDryRun(null);
    setResult(null);
    setFailure(null);
    setPhase({ kind: 'uploading', percent: 0 });
    try {
      const response = await post<DryRunResponse>(form, (percent) => setPhase(percent < 100 ? { kind: 'uploading', percent } : { kind: 'checking' }));
      setDryRun(response);
    } catch (error) {
      setFailure(fill(labels['import.requestFailed'], { message: (error as Error).message }));
    } finally {
      setPhase({ kind: 'idle' });
    }
  }

  async function confirm() {
    if (!dryRun?.ok || !dryRun.stagingId) return;
    const form = new FormData();
    form.set('mode', 'import');
    form.set('stagingId', dryRun.stagingId);
    setPhase({ kind: 'importing' });
    try {
      const response = await post<ImportResponse>(form, () => undefined);
      setResult(response);
      if (response.ok) {
        setDryRun(null);
        router.refresh();
      }
    } catch (error) {
      setFailure(fill(labels['import.requestFailed'], { message: (error as Error).message }));
    } finally {
      setPhase({ kind: 'idle' });
    }
  }

  const report = dryRun?.ok ? dryRun.report : null;
  const errors = report?.problems.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = report?.problems.filter((p) => p.severity === 'warning').length ?? 0;
  const missing = report?.problems.filter((p) => p.code === 'source_not_found') ?? [];
  return (
    <section className="space-y-4">
      <form ref={formRef} onSubmit={check} className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2" aria-busy={busy}>
        <div className="flex flex-col">
          <label htmlFor="import-file" className="text-xs font-medium text-slate-600">
            {labels['import.file']}
          </label>
          <input id="import-file" name="file" type="file" required accept=".csv,.dta,.sav,.txt,.tsv" className="mt-1 text-sm" />
        </div>
        <div className="flex flex-col">
          <label htmlFor="import-encoding" className="text-xs font-medium text-slate-600">
            {labels['import.encoding']}
          </label>
          <select id="import-encoding" name="encoding" defaultValue="auto" className="mt-1 rounded border border-slate-300 bg-white px-2 py-1.5 text-sm">
            <option value="auto">{labels['import.encoding.auto']}</option>
            <option value="utf-8">{labels['import.encoding.utf8']}</option>
            <option value="gb18030">{labels['import.encoding.gb18030']}</option>
          </select>
        </div>
        <div className="flex flex-col">
          <label htmlFor="import-mapping" className="text-xs font-medium text-slate-600">
            {labels['import.mapping']}
          </label>
          <select id="import-mapping" name="mapping" defaultValue={mappings[0]} className="mt-1 rounded border border-slate-300 bg-white px-2 py-1.5 text-sm">
            {mappings.map((name) => (
              <option key={name} value={name}>
                {labels[`import.mapping.${name}`] ?? name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col">
          <label htmlFor="import-mapping-file" className="text-xs font-medium text-slate-600">
            {labels['import.mappingFile']}
          </label>
          <input id="import-mapping-file" name="mappingFile" type="file" accept=".json,application/json" className="mt-1 text-sm" />
        </div>
        <div className="flex items-center gap-4 md:col-span-2">
          <button
            type="submit"
            disabled={busy}
            data-testid="dry-run-submit"
            className="rounded bg-slate-800 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
          >
            {labels['import.check']}
          </button>
          {phase.kind === 'uploading' && (
            <span className="flex items-center gap-2 text-sm text-slate-600" role="status">
              <progress data-testid="upload-progress" max={100} value={phase.percent} className="w-48" />
              {fill(labels['import.uploading'], { percent: phase.percent })}
            </span>
          )}
          {phase.kind === 'checking' && (
            <span role="status" className="text-sm text-slate-600">
              {labels['import.checking']}
            </span>
          )}
          {phase.kind === 'importing' && (
            <span role="status" className="text-sm text-slate-600">
              {labels['import.importing']}
            </span>
          )}
        </div>
      </form>

      {failure && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {failure}
        </p>
      )}

      {dryRun && !dryRun.ok && (
        <div role="alert" data-testid="dry-run-failed" className="space-y-2 rounded-lg border border-red-300 bg-white p-4">
          <p className="text-sm font-medium text-red-800">{labels['import.failed']}</p>
          {dryRun.problems ? <ProblemList problems={dryRun.problems} labels={labels} testId="import-problems" /> : <p className="text-sm">{dryRun.message}</p>}
        </div>
      )}

      {report && dryRun?.ok && (
        <div data-testid="dry-run-report" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="text-lg font-semibold">{labels['import.report']}</h2>
          <p className="text-sm" data-testid="dry-run-summary">
            {fill(labels['import.summary'], {
              file: report.fileName,
              format: report.format.toUpperCase(),
              encoding: report.encoding,
              rows: report.rowCount.toLocaleString(),
              valid: report.validRows.toLocaleString(),
            })}
          </p>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">{labels['import.checksum']}</dt>
            <dd className="font-mono text-xs break-all" data-testid="dry-run-checksum">
              {dryRun.checksum}
            </dd>
            <dt className="text-slate-600">{labels['import.mapping']}</dt>
            <dd>{dryRun.mappingName}</dd>
            <dt className="text-slate-600">{labels['import.waves']}</dt>
            <dd>
              {Object.entries(report.waves)
                .map(([wave, n]) => `${wave} (${n.toLocaleString()})`)
                .join(', ') || '—'}
            </dd>
          </dl>
          <div className="space-y-2">
            <h3 className="font-medium">{labels['import.problems']}</h3>
            {errors > 0 && <p className="text-sm font-medium text-red-800">{fill(labels['import.errors'], { count: errors })}</p>}
            {warnings > 0 && <p className="text-sm text-amber-900">{fill(labels['import.warnings'], { count: warnings })}</p>}
            <ProblemList problems={report.problems} labels={labels} testId="import-problems" />
            {allowed.length > 0 && (
              <p data-testid="allowed-missing" className="text-xs text-slate-600">
                {fill(labels['import.allowMissing.allowed'], { names: allowed.join(', ') })}
              </p>
            )}
            {missing.length > 0 && (
              <AllowMissingControl
                key={`${dryRun.checksum}-${allowed.join(',')}`}
                problems={missing}
                labels={labels}
                busy={busy}
                onRecheck={(names) => void runDryRun([...allowed, ...names])}
              />
            )}
          </div>
          <details open={errors > 0}>
            <summary className="cursor-pointer font-medium">{labels['import.variables']}</summary>
            <div tabIndex={0} className="mt-2 overflow-x-auto">
              <table data-testid="variable-report" className="min-w-full text-sm">
                <thead className="bg-slate-100 text-left">
                  <tr>
                    {['variable', 'source', 'mapped', 'missing', 'missingCodes', 'unknown', 'outOfRange', 'invalid'].map((column) => (
                      <th key={column} scope="col" className={`px-2 py-1 font-medium ${['mapped', 'missing', 'outOfRange', 'invalid'].includes(column) ? 'text-right' : ''}`}>
                        {labels[`import.col.${column}`]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.variables.map((v) => {
                    const unknown = Object.entries(v.unknownCodes);
                    return (
                      <tr key={v.variable} data-variable={v.variable} className="border-t border-slate-100">
                        <td className="px-2 py-1 font-mono text-xs">{v.variable}</td>
                        <td className="px-2 py-1 font-mono text-xs">{v.source ?? labels['import.constant']}</td>
                        <td className="px-2 py-1 text-right tabular-nums">{v.inFile ? v.mapped : labels['import.notInFile']}</td>
                        <td className="px-2 py-1 text-right tabular-nums">{v.missing}</td>
                        <td className="px-2 py-1 text-xs">
                          {Object.entries(v.missingCodes)
                            .map(([code, n]) => `${labels[`import.code.${code}`] ?? code}: ${n}`)
                            .join('; ')}
                        </td>
                        <td className={`px-2 py-1 text-xs ${unknown.length ? 'text-red-800' : ''}`}>{unknown.map(([code, n]) => `${code}: ${n}`).join('; ')}</td>
                        <td className={`px-2 py-1 text-right tabular-nums ${v.outOfRange ? 'text-red-800' : ''}`}>{v.outOfRange}</td>
                        <td className={`px-2 py-1 text-right tabular-nums ${v.invalid ? 'text-red-800' : ''}`}>{v.invalid}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {report.derived.length > 0 && <p className="mt-2 text-xs text-slate-600">{fill(labels['import.derived'], { names: report.derived.join(', ') })}</p>}
            {report.unmappedFileVariables.length > 0 && (
              <p className="mt-1 text-xs text-slate-600">{fill(labels['import.unmapped'], { names: report.unmappedFileVariables.join(', ') })}</p>
            )}
          </details>
          {report.preview.rows.length > 0 && (
            <details>
              <summary className="cursor-pointer font-medium">{fill(labels['import.preview'], { count: report.preview.rows.length })}</summary>
              <div tabIndex={0} className="mt-2 overflow-x-auto">
                <table data-testid="import-preview" className="min-w-full text-xs">
                  <thead className="bg-slate-100 text-left">
                    <tr>
                      {report.preview.columns.map((column) => (
                        <th key={column} scope="col" className="px-2 py-1 font-mono font-medium">
                          {column}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {report.preview.rows.map((row, i) => (
                      <tr key={i} className="border-t border-slate-100">
                        {report.preview.columns.map((column) => {
                          const value = row[column];
                          return (
                            <td key={column} className="px-2 py-1 tabular-nums">
                              {value === null || value === undefined ? '·' : typeof value === 'number' ? Number(value.toFixed(3)) : value}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          )}
          {report.canImport && dryRun.stagingId && (
            <div className="flex flex-wrap items-center gap-4 border-t border-slate-200 pt-4">
              <button
                type="button"
                onClick={confirm}
                disabled={busy}
                data-testid="confirm-import"
                className="rounded bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-600 disabled:opacity-50"
              >
                {labels['import.confirm']}
              </button>
              <span className="text-sm text-slate-600">{labels['import.confirmHint']}</span>
            </div>
          )}
        </div>
      )}

      {result && (
        <div role="status" data-testid="import-result" className={`rounded-lg border p-4 text-sm ${result.ok ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-red-300 bg-red-50'}`}>
          {result.ok ? (
            fill(labels['import.done'], { id: result.datasetId, rows: result.rows.toLocaleString(), seconds: (result.ms / 1000).toFixed(1) })
          ) : (
            <>
              <p className="font-medium text-red-800">{labels['import.failed']}</p>
              {result.problems ? <ProblemList problems={result.problems} labels={labels} testId="import-result-problems" /> : <p>{result.message}</p>}
            </>
          )}
        </div>
      )}
    </section>
  );
}
