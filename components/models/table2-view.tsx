'use client';
// The local-identity study's Table 2: Models 1-6 fitted side by side for one subgroup, as the paper prints them.
import { engineMessageCode } from '@/lib/models/engine-messages';
import type { ModelRunOutput } from '@/lib/models/run';
import { termLabel } from '@/lib/models/term-labels';
import { useId } from 'react';
import { ModelDownloads } from './model-downloads';
import { engineText, type Fit, num, stars, type T } from './result-parts';

/** Table 2 laid out as in the paper: one column per model, estimate with stars and SE below. */
export function Table2View({ runs, t, labelOf, subgroup }: { runs: Array<{ phase: string; output?: ModelRunOutput; message?: string; position?: number }>; t: T; labelOf: (id: string) => string; subgroup: string }) {
  const fits = runs.map((run) => (run.phase === 'done' && run.output ? (Object.values((run.output.result as { fits: Record<string, Fit> }).fits)[0] as Fit) : null));
  const terms: string[] = [];
  for (const fit of fits) for (const term of fit?.terms ?? []) if (!terms.includes(term)) terms.push(term);
  const ordered = [...terms.filter((term) => term !== '(Intercept)'), ...(terms.includes('(Intercept)') ? ['(Intercept)'] : [])];
  const table2Id = `model-table2-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  return (
    <section id={table2Id} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="table2">
      <h2 id="table2-heading" tabIndex={-1} className="scroll-mt-24 text-lg font-semibold focus:outline-2 focus:outline-offset-2 focus:outline-sky-600">
        {t('models.table2')} <span className="text-sm font-normal text-slate-600" data-testid="table2-subgroup">· {t('models.subgroup')}: {subgroup}</span>
      </h2>
      <p className="mb-2 text-xs text-slate-500">{t('models.table2Note')}</p>
      {fits.some((fit) => fit !== null) && (
        <div className="mb-2">
          <ModelDownloads target={table2Id} testId="table2-download" title={`${t('models.table2')} · ${subgroup}`} spec={[`${t('models.subgroup')}: ${subgroup}`]} fileBase="model-table2-side-by-side" kinds={['csv']} />
        </div>
      )}
      <table className="min-w-full text-xs">
        <thead>
          <tr className="border-b border-slate-300">
            <th />
            {runs.map((run, i) => (
              <th key={i} scope="col" className="px-2 text-right">
                ({i + 1})
                <div className="font-normal text-slate-500">{run.phase === 'done' ? '' : run.phase === 'failed' ? '!' : run.phase === 'waiting' && run.position ? t('models.queuedShort', { position: run.position }) : '…'}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ordered.map((term) => (
            <tr key={term} className="border-b border-slate-100">
              <th scope="row" className="py-0.5 pr-2 text-left font-normal">{termLabel(term, labelOf, t)}</th>
              {fits.map((fit, i) => {
                const row = fit?.coef[term];
                return (
                  <td key={i} className="px-2 text-right tabular-nums">
                    {row ? (
                      <>
                        {num(row.estimate)}{stars(row.p)}
                        <div className="text-slate-500">({num(row.se)})</div>
                      </>
                    ) : ''}
                  </td>
                );
              })}
            </tr>
          ))}
          {(['n', 'loglik', 'aic', 'bic'] as const).map((stat) => (
            <tr key={stat} className="border-t border-slate-300">
              <th scope="row" className="py-0.5 pr-2 text-left font-normal">{t(`models.${stat}`)}</th>
              {fits.map((fit, i) => (
                <td key={i} className="px-2 text-right tabular-nums">{fit ? (stat === 'n' ? fit.n.toLocaleString() : num(fit[stat], 3)) : ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-600" data-testid="table2-legend">{t('models.table2Legend')}</p>
      {runs.some((r) => r.phase === 'failed') && <p role="alert" className="mt-2 text-xs text-red-700">{runs.filter((r) => r.phase === 'failed').map((r) => (r.message && engineMessageCode(r.message) ? engineText(r.message, t, labelOf) : r.message)).join(' ')}</p>}
    </section>
  );
}
