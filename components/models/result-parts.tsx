'use client';
// The pieces of a model result shared by its views: number formats, stars, the coefficient plot, the
// plain-language box, the CSV of the coefficients and the file download.
import { useLayoutEffect, useRef, useState } from 'react';
import { niceScale } from '@/lib/charts/nice-scale';
import { describeEngineMessage } from '@/lib/models/engine-messages';
import type { ModelRunOutput } from '@/lib/models/run';
import { termLabel } from '@/lib/models/term-labels';
import type { CoefficientRow } from '@/lib/stats/types';

export type T = (key: string, vars?: Record<string, string | number>) => string;

export type Coef = CoefficientRow;

export interface Fit {
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

export const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

export const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

export function download(name: string, content: string, type: string) {
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
 * lines, a labelled zero line (no association) and an axis title saying what the numbers are. It takes the width it is
 * given up to 640 px; below 520 px (a phone) each term's label sits on its own line above its whisker, so the plot
 * keeps a usable scale and never scrolls sideways.
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
  const [available, setAvailable] = useState(640);
  const figure = useRef<HTMLElement>(null);
  const empty = rows.length === 0;
  // Measured before the first paint, so a phone never sees the wide layout flash first.
  useLayoutEffect(() => {
    const element = figure.current;
    if (!element) return;
    setAvailable(Math.floor(element.getBoundingClientRect().width));
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setAvailable(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [empty]);
  if (empty) return null;
  const scale = niceScale(Math.min(0, ...rows.map((r) => r.lower)), Math.max(0, ...rows.map((r) => r.upper)), 6);
  const width = Math.max(260, Math.min(640, available));
  const narrow = width < 520;
  const left = narrow ? 16 : 230;
  const right = narrow ? 16 : 24;
  const top = 22;
  // Narrow: a label line (14 px) above each whisker.
  const rowHeight = narrow ? 36 : 20;
  const plotBottom = top + rows.length * rowHeight;
  const height = plotBottom + 44;
  const x = (v: number) => left + ((v - scale.lower) / (scale.upper - scale.lower || 1)) * (width - left - right);
  const tick = (v: number) => (v === 0 ? '0' : v.toFixed(scale.decimals));
  // About 6.5 px a Latin character at 11 px; a CJK character counts double.
  const maxChars = narrow ? Math.floor((width - left - 4) / 6.5) : 34;
  const fit = (label: string) => {
    let used = 0;
    for (let i = 0; i < label.length; i++) {
      used += /[\u3000-\u9fff\uff00-\uffef]/.test(label[i]!) ? 2 : 1;
      if (used > maxChars) return `${label.slice(0, Math.max(1, i - 1))}…`;
    }
    return label;
  };
  return (
    <figure ref={figure} className="min-w-0" data-testid={testId} data-layout={narrow ? 'narrow' : 'wide'}>
      <figcaption className="mb-1 text-sm font-medium text-slate-700">{title}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${axisTitle}`} className="max-w-full text-slate-700">
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
          const y = narrow ? top + i * rowHeight + 25 : top + i * rowHeight + rowHeight / 2;
          return (
            <g key={row.label}>
              {row.label !== fit(row.label) && <title>{row.label}</title>}
              {narrow ? (
                <text x={left} y={y - 11} textAnchor="start" fontSize="11" fill="#334155">
                  {fit(row.label)}
                </text>
              ) : (
                <text x={left - 8} y={y + 4} textAnchor="end" fontSize="11" fill="#334155">
                  {fit(row.label)}
                </text>
              )}
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

export function Interpretation({ text, title }: { text: string; title: string }) {
  return (
    <div className="rounded border-l-4 border-sky-600 bg-sky-50 p-3 text-sm text-slate-800" data-testid="model-interpretation">
      <div className="mb-1 text-xs font-semibold uppercase tracking-wide text-sky-800">{title}</div>
      {text}
    </div>
  );
}

export function coefficientCsv(output: ModelRunOutput): string {
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
