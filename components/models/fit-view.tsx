'use client';
// One fitted model as a statistician reads it: the coefficient table with SEs, CIs, p and stars, fit statistics, AMEs
// and the plot (model-result.tsx puts it together with the sentence and the downloads).
import { coefficientSentence } from '@/lib/models/interpret';
import type { ModelRunOutput } from '@/lib/models/run';
import { levelLabel, termLabel } from '@/lib/models/term-labels';
import { type Coef, CoefficientPlot, engineText, type Fit, Interpretation, num, pValue, stars, type T } from './result-parts';

export function FitView({ fit, output, t, labelOf, locale }: { fit: Fit; output: ModelRunOutput; t: T; labelOf: (id: string) => string; locale: 'zh' | 'en' }) {
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
        <table className="min-w-full text-[13px] sm:text-sm" data-testid="coefficient-table">
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
