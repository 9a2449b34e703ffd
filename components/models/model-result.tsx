'use client';
// A model's result as a statistician reads it (table with SEs, CIs, p and stars; fit statistics; AMEs; plots) and as a
// director reads it (one sentence), with downloads of the table and of R / Stata code that reproduces it.
import { rCode, stataCode } from '@/lib/models/code';
import { useId } from 'react';
import { ModelDownloads } from './model-downloads';
import { coefficientSentence, heterogeneitySentence, matchingSentence, mediationSentence } from '@/lib/models/interpret';
import type { ModelRunOutput } from '@/lib/models/run';
import type { CoefficientRow } from '@/lib/stats/types';
import type { WorkbenchCity } from './model-workbench';
import { niceScale } from '@/lib/charts/nice-scale';
import { describeEngineMessage, engineMessageCode } from '@/lib/models/engine-messages';
import { levelLabel, termLabel } from '@/lib/models/term-labels';

type T = (key: string, vars?: Record<string, string | number>) => string;

type Coef = CoefficientRow;

interface Fit {
  terms: string[];
  coef: Record<string, Coef>;
  loglik: number;
  aic: number;
  bic: number;
  n: number;
  warnings: string[];
  random_intercept?: { n_groups: number; variance: number; icc: number };
  lr_test?: { statistic: number; p: number };
  average_marginal_effects?: Array<{ variable: string; level: string | null; estimate: number; se: number; p: number; ci_lower: number; ci_upper: number }>;
}

export const stars = (p: number) => (p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : p < 0.1 ? '†' : '');
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

function download(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The engine's warnings and refusals in the interface language (lib/models/engine-messages.ts). */
export function engineText(text: string, t: T, labelOf: (id: string) => string, group?: (level: string) => string): string {
  return describeEngineMessage(text, { t, term: (term) => termLabel(term, labelOf, t), group, join: t('models.listJoin') });
}

/**
 * Dot-and-whisker plot of coefficients (intercept left out), drawn as SVG: round ticks on a 1/2/5 step with grid
 * lines, a labelled zero line (no association) and an axis title saying what the numbers are.
 */
export function CoefficientPlot({
  rows,
  title,
  axisTitle,
  zeroLabel,
  testId,
}: {
  rows: Array<{ label: string; estimate: number; lower: number; upper: number }>;
  title: string;
  axisTitle: string;
  zeroLabel: string;
  testId?: string;
}) {
  if (rows.length === 0) return null;
  const scale = niceScale(Math.min(0, ...rows.map((r) => r.lower)), Math.max(0, ...rows.map((r) => r.upper)), 6);
  const width = 640;
  const left = 230;
  const right = 24;
  const top = 22;
  const rowHeight = 20;
  const plotBottom = top + rows.length * rowHeight;
  const height = plotBottom + 44;
  const x = (v: number) => left + ((v - scale.lower) / (scale.upper - scale.lower || 1)) * (width - left - right);
  const tick = (v: number) => (v === 0 ? '0' : v.toFixed(scale.decimals));
  return (
    <figure tabIndex={0} className="overflow-x-auto" data-testid={testId}>
      <figcaption className="mb-1 text-sm font-medium text-slate-700">{title}</figcaption>
      <svg width={width} height={height} role="img" aria-label={`${title}. ${axisTitle}`} className="text-slate-700">
        {scale.ticks.map((v) => (
          <g key={v} data-tick={v}>
            <line x1={x(v)} x2={x(v)} y1={top} y2={plotBottom} stroke={v === 0 ? '#334155' : '#e2e8f0'} strokeWidth={v === 0 ? 1.2 : 1} />
            <line x1={x(v)} x2={x(v)} y1={plotBottom} y2={plotBottom + 4} stroke="#475569" />
            <text x={x(v)} y={plotBottom + 16} fontSize="11" textAnchor="middle" fill="#334155">
              {tick(v)}
            </text>
          </g>
        ))}
        <line x1={left} x2={width - right} y1={plotBottom} y2={plotBottom} stroke="#475569" />
        <text x={x(0)} y={top - 8} fontSize="11" textAnchor="middle" fill="#334155" data-testid="zero-label">
          {zeroLabel}
        </text>
        {rows.map((row, i) => {
          const y = top + i * rowHeight + rowHeight / 2;
          return (
            <g key={row.label}>
              <text x={left - 8} y={y + 4} textAnchor="end" fontSize="11" fill="currentColor">
                {row.label.length > 34 ? `${row.label.slice(0, 33)}…` : row.label}
              </text>
              <line x1={x(row.lower)} x2={x(row.upper)} y1={y} y2={y} stroke="#0369a1" strokeWidth="1.5" />
              <circle cx={x(row.estimate)} cy={y} r="3.5" fill="#0369a1" />
            </g>
          );
        })}
        <text x={width / 2} y={height - 6} fontSize="11" textAnchor="middle" fill="#334155" data-testid="axis-title">
          {axisTitle}
        </text>
      </svg>
    </figure>
  );
}

function Interpretation({ text, title }: { text: string; title: string }) {
  return (
    <div className="rounded border-l-4 border-sky-600 bg-sky-50 p-3 text-sm text-slate-800" data-testid="model-interpretation">
      <div className="mb-1 text-xs font-semibold uppercase tracking-wide text-sky-800">{title}</div>
      {text}
    </div>
  );
}

function FitView({ fit, output, t, labelOf, locale }: { fit: Fit; output: ModelRunOutput; t: T; labelOf: (id: string) => string; locale: 'zh' | 'en' }) {
  const binomial = (output.spec as { family?: string }).family === 'binomial';
  const key = output.request.keys[0] as string;
  const keyRow = fit.coef[key];
  const keyAme = fit.average_marginal_effects?.find((a) => a.variable === key && a.level === null) ?? null;
  return (
    <div className="space-y-4">
      {keyRow && (
        <Interpretation
          title={t('models.interpretation')}
          text={coefficientSentence({ locale, key, outcome: output.request.outcome, family: binomial ? 'binomial' : 'gaussian', row: keyRow, n: fit.n, ame: keyAme })}
        />
      )}
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <div><dt className="text-slate-500">{t('models.n')}</dt><dd className="font-medium" data-testid="model-n">{fit.n.toLocaleString()}</dd></div>
        <div><dt className="text-slate-500">{t('models.loglik')}</dt><dd className="font-medium">{num(fit.loglik, 3)}</dd></div>
        <div><dt className="text-slate-500">{t('models.aic')}</dt><dd className="font-medium">{num(fit.aic, 2)}</dd></div>
        <div><dt className="text-slate-500">{t('models.bic')}</dt><dd className="font-medium">{num(fit.bic, 2)}</dd></div>
        {fit.random_intercept && (
          <>
            <div><dt className="text-slate-500">{t('models.variance')}</dt><dd className="font-medium">{num(fit.random_intercept.variance, 4)}</dd></div>
            <div><dt className="text-slate-500">{t('models.icc')}</dt><dd className="font-medium" data-testid="model-icc">{num(fit.random_intercept.icc, 4)}</dd></div>
            <div><dt className="text-slate-500">{t('models.groups')}</dt><dd className="font-medium">{fit.random_intercept.n_groups}</dd></div>
            {fit.lr_test && <div><dt className="text-slate-500">{t('models.lrTest')}</dt><dd className="font-medium">χ² = {num(fit.lr_test.statistic, 2)}, p {pValue(fit.lr_test.p)}</dd></div>}
          </>
        )}
      </dl>
      <div tabIndex={0} className="overflow-x-auto">
        <table className="min-w-full text-sm" data-testid="coefficient-table">
          <thead className="border-b border-slate-300 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3">{t('models.term')}</th>
              <th scope="col" className="py-1 pr-3 text-right">{t('models.estimate')}</th>
              {binomial && <th scope="col" className="py-1 pr-3 text-right">{t('models.oddsRatio')}</th>}
              <th scope="col" className="py-1 pr-3 text-right">{t('models.seShort')}</th>
              <th scope="col" className="py-1 pr-3 text-right">{t('models.ci')}</th>
              <th scope="col" className="py-1 text-right">{t('models.p')}</th>
            </tr>
          </thead>
          <tbody>
            {fit.terms.map((term) => {
              const row = fit.coef[term] as Coef;
              return (
                <tr key={term} data-term={term} className={`border-b border-slate-100 ${output.request.keys.includes(term) ? 'bg-amber-50 font-medium' : ''}`}>
                  <th scope="row" className="py-1 pr-3 text-left font-normal"><span title={term}>{termLabel(term, labelOf, t)}</span></th>
                  <td className="py-1 pr-3 text-right tabular-nums" data-cell="estimate">{num(row.estimate)}{stars(row.p)}</td>
                  {binomial && <td className="py-1 pr-3 text-right tabular-nums">{term === '(Intercept)' ? '' : num(Math.exp(row.estimate))}</td>}
                  <td className="py-1 pr-3 text-right tabular-nums" data-cell="se">{num(row.se)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">[{num(row.ci_lower)}, {num(row.ci_upper)}]</td>
                  <td className="py-1 text-right tabular-nums">{pValue(row.p)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="mt-1 text-xs text-slate-500">{t('models.stars')}</p>
      </div>
      <CoefficientPlot
        title={t('models.coefPlot')}
        testId="coefficient-plot"
        axisTitle={t(binomial ? 'models.axis.logOdds' : 'models.axis.linear', { outcome: labelOf(output.request.outcome) })}
        zeroLabel={t('models.axis.zero')}
        rows={fit.terms.filter((term) => term !== '(Intercept)').map((term) => ({ label: termLabel(term, labelOf, t), estimate: fit.coef[term]!.estimate, lower: fit.coef[term]!.ci_lower, upper: fit.coef[term]!.ci_upper }))}
      />
      {fit.average_marginal_effects && (
        <div tabIndex={0} className="overflow-x-auto">
          <h3 className="text-sm font-medium text-slate-700">{t('models.ame')}</h3>
          <p className="text-xs text-slate-500">{t('models.ameNote')}</p>
          <table className="mt-1 min-w-full text-sm" data-testid="ame-table">
            <tbody>
              {fit.average_marginal_effects.map((a) => (
                <tr key={`${a.variable}${a.level ?? ''}`} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-3 text-left font-normal">{labelOf(a.variable)}{a.level ? `: ${levelLabel(a.variable, a.level, t)}` : ''}</th>
                  <td className="py-1 pr-3 text-right tabular-nums">{num(a.estimate, 4)}{stars(a.p)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">({num(a.se, 4)})</td>
                  <td className="py-1 text-right tabular-nums">[{num(a.ci_lower, 4)}, {num(a.ci_upper, 4)}]</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {fit.warnings.length > 0 && (
        <div className="text-xs text-slate-600">
          <strong>{t('models.warnings')}:</strong> {fit.warnings.map((w) => engineText(w, t, labelOf)).join(' ')}
        </div>
      )}
    </div>
  );
}

function coefficientCsv(output: ModelRunOutput): string {
  const result = output.result as { fits?: Record<string, Fit> };
  const fit = result.fits ? Object.values(result.fits)[0] : undefined;
  if (!fit) return `${JSON.stringify(output.result, null, 2)}\n`;
  const lines = ['term,estimate,se,statistic,p,ci_lower,ci_upper,n'];
  for (const term of fit.terms) {
    const row = fit.coef[term] as Coef;
    lines.push([`"${term}"`, row.estimate, row.se, row.stat, row.p, row.ci_lower, row.ci_upper, fit.n].join(','));
  }
  return `${lines.join('\n')}\n`;
}

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
