'use client';
// A model's result as a statistician reads it (table with SEs, CIs, p and stars; fit statistics; AMEs; plots) and as a
// director reads it (one sentence), with downloads of the table and of R / Stata code that reproduces it.
// Its parts: fit-view.tsx (the table), table2-view.tsx (Table 2), result-parts.tsx (shared pieces).
import { rCode, stataCode } from '@/lib/models/code';
import { heterogeneitySentence, matchingSentence, mediationSentence } from '@/lib/models/interpret';
import type { ModelRunOutput } from '@/lib/models/run';
import { termLabel } from '@/lib/models/term-labels';
import { useId } from 'react';
import { FitView } from './fit-view';
import { ModelDownloads } from './model-downloads';
import type { WorkbenchCity } from './model-run';
import { type Coef, coefficientCsv, CoefficientPlot, download, engineText, type Fit, Interpretation, num, pValue, stars, type T } from './result-parts';

export { engineText } from './result-parts';
export { Table2View } from './table2-view';

export function ModelResultView({
  output,
  locale,
  t,
  labelOf,
  dataset,
  cityCodes,
  cities,
}: {
  output: ModelRunOutput;
  locale: 'zh' | 'en';
  t: T;
  labelOf: (id: string) => string;
  dataset: { label: string; synthetic: boolean };
  cityCodes: string[];
  cities: WorkbenchCity[];
}) {
  const request = output.request;
  const context = {
    datasetLabel: dataset.label,
    synthetic: dataset.synthetic,
    cityCodes,
    cityGroups: request.groupBy === 'region' || request.groupBy === 'tier' ? Object.fromEntries(cities.map((c) => [c.code, request.groupBy === 'region' ? c.region : c.tier])) : undefined,
  };
  const base = `model-${request.type}-${request.outcome}-${request.wave}`;
  const resultId = `model-result-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const resultTitle = `${t(`models.type.${request.type}`)} · ${labelOf(request.outcome)} · ${request.wave}`;
  const resultSpec = [`${output.subgroupRows.toLocaleString()} ${t('models.subgroupRows')} · ${resultTitle}`, ...(output.droppedControls?.length ? [`${t('models.droppedControls')}: ${output.droppedControls.map(labelOf).join(', ')}`] : [])];
  // The code reproduces the model as fitted: without the controls the subgroup held fixed.
  const dropped = output.droppedControls ?? [];
  const fittedRequest = { ...request, controls: request.controls.filter((id) => !dropped.includes(id)), interactions: request.interactions.filter(([a, b]) => !dropped.includes(a) && !dropped.includes(b)) };
  const result = output.result as Record<string, unknown>;
  const groupLabel = (level: string) => t(`region.${level}`) !== `region.${level}` ? t(`region.${level}`) : t(`tier.${level}`) !== `tier.${level}` ? t(`tier.${level}`) : t(`hukou.${level}`) !== `hukou.${level}` ? t(`hukou.${level}`) : t(`range.${level}`) !== `range.${level}` ? t(`range.${level}`) : t(`models.sex.${level}`) !== `models.sex.${level}` ? t(`models.sex.${level}`) : t(`models.gen.${level}`) !== `models.gen.${level}` ? t(`models.gen.${level}`) : level;

  let body: React.ReactNode = null;
  if (result.fits) {
    const fit = Object.values(result.fits as Record<string, Fit>)[0] as Fit;
    body = <FitView fit={fit} output={output} t={t} labelOf={labelOf} locale={locale} />;
  } else if (request.type === 'mediation') {
    type Interval = { estimate: number; ci_lower: number; ci_upper: number };
    const m = result as {
      baron_kenny: Record<string, Coef | number>;
      bootstrap: { estimate: number; ci_lower: number; ci_upper: number; B: number; effects?: Record<string, Interval> };
      plugin_effects: Record<string, number>;
      khb?: { total: { estimate: number; se: number }; direct: { estimate: number; se: number }; indirect: { estimate: number; se: number; p: number } };
      n: number;
      warnings: string[];
    };
    const paths = ['c_total', 'a', 'b', 'c_prime'] as const;
    // Baron–Kenny's a·b (and its share of c) is an effect on the outcome's scale only when both models are linear.
    const bothLinear = (m.baron_kenny.a as Coef & { family?: string }).family === 'gaussian' && (m.baron_kenny.c_total as Coef & { family?: string }).family === 'gaussian';
    const outcomeFamily = (m.baron_kenny.c_total as Coef & { family?: string }).family === 'binomial' ? 'binomial' : 'gaussian';
    // Results cached before the effects had bootstrap CIs carry the point estimates only.
    const effect = (key: string): Interval => m.bootstrap.effects?.[key] ?? { estimate: m.plugin_effects[key] as number, ci_lower: Number.NaN, ci_upper: Number.NaN };
    const ci = (row: Interval, digits = 4) => (Number.isFinite(row.ci_lower) ? `[${num(row.ci_lower, digits)}, ${num(row.ci_upper, digits)}]` : '—');
    const acme = effect('acme_avg');
    const proportion = effect('prop_mediated_avg');
    body = (
      <div className="space-y-4">
        <Interpretation title={t('models.interpretation')} text={mediationSentence({ locale, key: request.keys[0] as string, mediator: request.mediator as string, outcome: request.outcome, outcomeFamily, acme: acme.estimate, ciLower: acme.ci_lower, ciUpper: acme.ci_upper, total: effect('total').estimate, proportion: proportion.estimate, n: m.n })} />
        <table className="min-w-full text-sm" data-testid="mediation-effects">
          <caption className="text-left text-sm font-medium text-slate-700">{t('models.effects')} (n = {m.n.toLocaleString()}, {t('models.bootstrapCi')}, B = {m.bootstrap.B})</caption>
          <tbody>
            {(['acme_avg', 'ade_avg', 'total'] as const).map((key) => (
              <tr key={key} className={`border-b border-slate-100${key === 'acme_avg' ? ' bg-amber-50 font-medium' : ''}`}>
                <th scope="row" className="py-1 pr-3 text-left font-normal">{t(`models.effect.${key}`)}</th>
                <td className="py-1 pr-3 text-right tabular-nums">{num(effect(key).estimate, 4)}</td>
                <td className="py-1 text-right tabular-nums">{ci(effect(key))}</td>
              </tr>
            ))}
            <tr>
              <th scope="row" className="py-1 pr-3 text-left font-normal">{t('models.effect.prop_mediated_avg')}</th>
              <td className="py-1 pr-3 text-right tabular-nums">{Number.isFinite(proportion.estimate) ? `${(proportion.estimate * 100).toFixed(1)}%` : '—'}</td>
              <td className="py-1 text-right tabular-nums">{Number.isFinite(proportion.ci_lower) ? `[${(proportion.ci_lower * 100).toFixed(1)}%, ${(proportion.ci_upper * 100).toFixed(1)}%]` : '—'}</td>
            </tr>
          </tbody>
        </table>
        <p className="text-xs text-slate-600">{t(outcomeFamily === 'binomial' ? 'models.effectsNoteBinary' : 'models.effectsNote')}</p>
        <table className="min-w-full text-sm" data-testid="coefficient-table">
          <caption className="text-left text-sm font-medium text-slate-700">{bothLinear ? t('models.paths') : t('models.pathsLogit')}</caption>
          <tbody>
            {paths.map((path) => {
              const row = m.baron_kenny[path] as Coef;
              return (
                <tr key={path} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-3 text-left font-normal">{t(`models.path.${path}`)}</th>
                  <td className="py-1 pr-3 text-right tabular-nums">{num(row.estimate)}{stars(row.p)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">({num(row.se)})</td>
                  <td className="py-1 text-right tabular-nums">[{num(row.ci_lower)}, {num(row.ci_upper)}]</td>
                </tr>
              );
            })}
            {bothLinear && (
              <tr className="border-b border-slate-100">
                <th scope="row" className="py-1 pr-3 text-left font-normal">{t('models.indirect')}</th>
                <td className="py-1 pr-3 text-right tabular-nums">{num(m.bootstrap.estimate, 4)}</td>
                <td className="py-1 pr-3 text-right text-xs">{t('models.bootstrapCi')}</td>
                <td className="py-1 text-right tabular-nums">[{num(m.bootstrap.ci_lower, 4)}, {num(m.bootstrap.ci_upper, 4)}]</td>
              </tr>
            )}
          </tbody>
        </table>
        {m.khb && (
          <table className="min-w-full text-sm" data-testid="khb-table">
            <caption className="text-left text-sm font-medium text-slate-700">{t('models.khb')}</caption>
            <tbody>
              {(['total', 'direct', 'indirect'] as const).map((part) => (
                <tr key={part} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-3 text-left font-normal">{t(`models.khb.${part}`)}</th>
                  <td className="py-1 pr-3 text-right tabular-nums">{num(m.khb![part].estimate)}</td>
                  <td className="py-1 text-right tabular-nums">({num(m.khb![part].se)})</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {m.warnings.length > 0 && <p className="text-xs text-slate-600"><strong>{t('models.warnings')}:</strong> {m.warnings.map((w) => engineText(w, t, labelOf)).join(' ')}</p>}
      </div>
    );
  } else if (request.type === 'psm') {
    const m = result as { att: { estimate: number; se: number; p: number }; counts: { matched_treated: number; n: number }; balance: Array<{ term: string; smd_before: number | null; smd_after: number | null }>; warnings: string[] };
    body = (
      <div className="space-y-4">
        <Interpretation title={t('models.interpretation')} text={matchingSentence({ locale, key: request.keys[0] as string, outcome: request.outcome, att: m.att.estimate, se: m.att.se, pairs: m.counts.matched_treated })} />
        <dl className="grid grid-cols-3 gap-2 text-sm">
          <div><dt className="text-slate-500">{t('models.att')}</dt><dd className="font-medium" data-testid="psm-att">{num(m.att.estimate)}{stars(m.att.p)} ({num(m.att.se)})</dd></div>
          <div><dt className="text-slate-500">{t('models.pairs')}</dt><dd className="font-medium">{m.counts.matched_treated.toLocaleString()}</dd></div>
          <div><dt className="text-slate-500">{t('models.n')}</dt><dd className="font-medium">{m.counts.n.toLocaleString()}</dd></div>
        </dl>
        <table className="min-w-full text-sm" data-testid="coefficient-table">
          <caption className="text-left text-sm font-medium text-slate-700">{t('models.balance')}</caption>
          <thead className="text-xs uppercase text-slate-500"><tr><th className="text-left">{t('models.term')}</th><th className="text-right">{t('models.before')}</th><th className="text-right">{t('models.after')}</th></tr></thead>
          <tbody>
            {m.balance.map((row) => (
              <tr key={row.term} className="border-b border-slate-100">
                <th scope="row" className="py-1 text-left font-normal">{termLabel(row.term, labelOf, t)}</th>
                <td className="py-1 text-right tabular-nums">{row.smd_before === null ? '—' : num(row.smd_before)}</td>
                <td className={`py-1 text-right tabular-nums ${row.smd_after !== null && Math.abs(row.smd_after) > 0.1 ? 'text-red-700' : ''}`}>{row.smd_after === null ? '—' : num(row.smd_after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {m.warnings.length > 0 && <p className="text-xs text-slate-600" data-testid="model-warnings"><strong>{t('models.warnings')}:</strong> {m.warnings.map((w) => engineText(w, t, labelOf)).join(' ')}</p>}
      </div>
    );
  } else if (request.type === 'heterogeneity') {
    const m = result as { pooled: Coef & { n: number }; subgroups: Array<{ level: string; n: number | null; status: string; estimate: number | null; ci_lower: number | null; ci_upper: number | null; p: number | null; se: number | null }>; interaction_test: { statistic: number; df: number; p: number } | null; warnings: string[] };
    const estimated = m.subgroups.filter((g) => g.estimate !== null);
    body = (
      <div className="space-y-4">
        <Interpretation title={t('models.interpretation')} text={heterogeneitySentence({ locale, key: request.keys[0] as string, groups: m.subgroups, test: m.interaction_test, labels: Object.fromEntries(m.subgroups.map((g) => [g.level, groupLabel(g.level)])) })} />
        <CoefficientPlot
          title={t('models.forest')}
          testId="heterogeneity-plot"
          axisTitle={t((output.spec as { family?: string }).family === 'binomial' ? 'models.axis.groupLogOdds' : 'models.axis.group', { key: labelOf(request.keys[0] as string), outcome: labelOf(request.outcome) })}
          zeroLabel={t('models.axis.zero')}
          rows={[
            ...estimated.map((g) => ({ label: `${groupLabel(g.level)} (n=${(g.n ?? 0).toLocaleString()})`, estimate: g.estimate as number, lower: g.ci_lower as number, upper: g.ci_upper as number })),
            { label: `${t('models.pooled')} (n=${m.pooled.n.toLocaleString()})`, estimate: m.pooled.estimate, lower: m.pooled.ci_lower, upper: m.pooled.ci_upper },
          ]}
        />
        <table className="min-w-full text-sm" data-testid="coefficient-table">
          <thead className="text-xs uppercase text-slate-500"><tr><th className="text-left">{t('models.group')}</th><th className="text-right">{t('models.n')}</th><th className="text-right">{t('models.estimate')}</th><th className="text-right">{t('models.seShort')}</th><th className="text-right">{t('models.ci')}</th></tr></thead>
          <tbody>
            {m.subgroups.map((g) => (
              <tr key={g.level} className="border-b border-slate-100">
                <th scope="row" className="py-1 text-left font-normal">{groupLabel(g.level)}</th>
                <td className="py-1 text-right tabular-nums">{g.n === null ? '< 30' : g.n.toLocaleString()}</td>
                <td className="py-1 text-right tabular-nums">{g.estimate === null ? t('models.tooSmall') : `${num(g.estimate)}${stars(g.p ?? 1)}`}</td>
                <td className="py-1 text-right tabular-nums">{g.se === null ? '' : num(g.se)}</td>
                <td className="py-1 text-right tabular-nums">{g.ci_lower === null ? '' : `[${num(g.ci_lower)}, ${num(g.ci_upper as number)}]`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {m.warnings.length > 0 && <p className="text-xs text-slate-600" data-testid="model-warnings"><strong>{t('models.warnings')}:</strong> {m.warnings.map((w) => engineText(w, t, labelOf, groupLabel)).join(' ')}</p>}
        {m.interaction_test && <p className="text-sm">{t('models.equalTest')}: χ²({m.interaction_test.df}) = {num(m.interaction_test.statistic, 2)}, p {pValue(m.interaction_test.p)}</p>}
      </div>
    );
  }

  return (
    <article id={resultId} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="model-result" aria-labelledby="model-result-heading">
      <h2 id="model-result-heading" tabIndex={-1} className="scroll-mt-24 text-lg font-semibold text-slate-900 focus:outline-2 focus:outline-offset-2 focus:outline-sky-600">
        {t('models.resultHeading', { type: t(`models.type.${request.type}`), outcome: labelOf(request.outcome) })}
      </h2>
      {dataset.synthetic && <p className="rounded bg-amber-50 px-3 py-2 text-xs text-amber-900">{t('models.synthetic')}</p>}
      <p className="text-xs text-slate-500">
        {output.subgroupRows.toLocaleString()} {t('models.subgroupRows')} · {t(`models.type.${request.type}`)} · {labelOf(request.outcome)} · {request.wave}
      </p>
      {output.droppedControls?.length > 0 && (
        <p className="text-xs text-slate-600" data-testid="dropped-controls">
          {t('models.droppedControls')}: {output.droppedControls.map(labelOf).join(', ')}
        </p>
      )}
      {body}
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-3 text-sm">
        <button type="button" className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => download(`${base}.csv`, coefficientCsv(output), 'text/csv')}>{t('models.downloadCsv')}</button>
        <button type="button" data-testid="download-r" className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => download(`${base}.R`, rCode(fittedRequest, context), 'text/plain')}>{t('models.downloadR')}</button>
        <button type="button" className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => download(`${base}.do`, stataCode(fittedRequest, context), 'text/plain')}>{t('models.downloadStata')}</button>
        <span className="text-xs text-slate-500">{t('models.downloadNote')}</span>
      </div>
      <ModelDownloads target={resultId} testId="model-download" title={resultTitle} spec={resultSpec} fileBase={`${base}_results`} kinds={['csv', 'png', 'svg']} figureSelector="figure" wave={request.wave} />
    </article>
  );
}
