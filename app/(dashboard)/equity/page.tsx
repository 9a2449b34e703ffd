import { EmptyState } from '@/components/ui/empty-state';
import { ComparisonFilters } from '@/components/filters/comparison-filters';
import { DotWhiskerChart } from '@/components/charts/dot-whisker-chart';
import { Equiplot } from '@/components/equity/equiplot';
import { HukouRangeMatrix } from '@/components/equity/hukou-range-matrix';
import { env } from '@/lib/env';
import { HUKOU_TYPES } from '@/lib/domain';
import { HUKOU_FILTERS, MIGRATION_RANGE_FILTERS } from '@/lib/indicators/catalogue';
import { parseEquityFilters } from '@/lib/indicators/equity-filters';
import { cityProfileHref } from '@/lib/url/profile-href';
import { openIndicatorPage } from '@/lib/url/indicator-page';
import { IgnoredParamsNotice } from '@/components/ui/ignored-params-notice';
import { formatNumber, formatRange } from '@/lib/indicators/equity-format';
import { RANGE_ORDER } from '@/lib/indicators/equity-precompute';
import { formatCount } from '@/lib/indicators/format';
import { getEquityFigure, listCityEquity, listGroupCells, type EquityFigure } from '@/lib/queries/equity';
import { equitySentence } from '@/lib/indicators/equity-sentence';
import { pageMetadata } from '@/lib/i18n/page-metadata';
import { Downloadable } from '@/components/ui/downloadable';
import { PhoneRowLimit } from '@/components/ui/phone-row-limit';
import { downloadFileBase, provenanceFor } from '@/lib/export/provenance';

export const generateMetadata = pageMetadata('page.equity');

/** Cities a phone shows before its "show all" button (the widest gaps first; the table holds them all). */
const PHONE_CITY_ROWS = 10;

export default async function EquityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const page = await openIndicatorPage(searchParams, parseEquityFilters, ['indicator', 'wave', 'view', 'range', 'hukou', 'city']);
  const { t, locale, ignored, label } = page;
  if (!page.dataset) return <EmptyState text={t('common.noDataset')} />;
  const { dataset, filters, definition, indicatorLabel, availableWaves } = page;
  const gapView = filters.view === 'gap';
  // The 2014 wave is an eight-city module: its "national" margin is the module's total, not the nation.
  const isModuleWave = page.moduleWave;
  const selection = {
    datasetId: dataset.id,
    wave: filters.wave,
    indicator: definition.key,
    kind: definition.kind,
    family: gapView ? ('hukou_gap' as const) : ('range_gradient' as const),
    measure: gapView ? ('D' as const) : ('SII' as const),
    hukou: gapView ? ('all' as const) : filters.hukou,
    migrationRange: gapView ? filters.range : ('all' as const),
  };
  // Widest disadvantage first: the most negative rural − urban gap, or the steepest range gradient.
  const rows = await listCityEquity(selection);
  const ranked = gapView === definition.higherIsBetter ? [...rows.filter((r) => r.figure)].reverse().concat(rows.filter((r) => !r.figure)) : rows;
  const shown = ranked.filter((r) => r.figure !== null);
  const national = await getEquityFigure(selection, 'national', 'CN');
  // Default: the widest gap whose CI excludes no difference, else the widest.
  const chosen = shown.find((r) => r.cityCode === filters.city) ?? shown.find((r) => r.figure!.clear) ?? shown[0] ?? null;
  const unit = definition.kind === 'proportion' ? t('equity.unit.points') : label(definition.unitZh, definition.unitEn).replace(/\s*[（(].*[)）]\s*$/, '');
  const number = (v: number, decimals = 1) => formatNumber(v, decimals, locale);
  const figureText = (f: EquityFigure) => `${number(f.estimate, f.scale.decimals)} (95% CI ${formatRange(f.low, f.high, f.scale.decimals, locale)})`;
  const sentence =
    chosen?.figure != null
      ? equitySentence(t, {
          view: filters.view,
          city: label(chosen.nameZh, chosen.nameEn),
          indicator: indicatorLabel,
          unit,
          figure: chosen.figure,
          national: national,
          moduleWave: isModuleWave,
          format: number,
        })
      : null;

  const fields = [
    ...page.indicatorFields,
    { name: 'view', label: t('equity.view'), value: filters.view, options: [{ value: 'gap', label: t('equity.view.gap') }, { value: 'gradient', label: t('equity.view.gradient') }] },
    gapView
      ? { name: 'range', label: t('filters.range'), value: filters.range, options: MIGRATION_RANGE_FILTERS.map((r) => ({ value: r, label: t(`range.${r}`) })) }
      : { name: 'hukou', label: t('filters.hukou'), value: filters.hukou, options: HUKOU_FILTERS.map((h) => ({ value: h, label: t(`hukou.${h}`) })) },
    { name: 'city', label: t('equity.city'), value: chosen?.cityCode ?? '', options: shown.map((r) => ({ value: r.cityCode, label: label(r.nameZh, r.nameEn) })) },
  ];

  // Equiplot and matrix: the subgroup cells the gap compares, from the indicators table (rounded on the server).
  const groups = gapView
    ? [
        { key: 'rural', label: t('hukou.rural'), colour: '#b91c1c' },
        { key: 'urban', label: t('hukou.urban'), colour: '#1e3a8a' },
      ]
    : [
        { key: 'inter_province', label: t('range.inter_province'), colour: '#b91c1c' },
        { key: 'inter_city', label: t('range.inter_city'), colour: '#d97706' },
        { key: 'inter_county', label: t('range.inter_county'), colour: '#1e3a8a' },
      ];
  const cells = await listGroupCells(dataset.id, filters.wave, definition.key, definition.kind, gapView ? { hukou: [...HUKOU_TYPES], ranges: [filters.range] } : { hukou: [filters.hukou], ranges: [...RANGE_ORDER] });
  const cellText = (v: number) => (definition.kind === 'proportion' ? `${number(v)}%` : number(v));
  const equiplotRows = shown.map((r) => ({
    key: r.cityCode,
    label: label(r.nameZh, r.nameEn),
    // The active filter only: the gap view compares hukou groups within a range, the gradient ranges within a hukou.
    href: cityProfileHref(r.cityCode, gapView ? { wave: filters.wave, range: filters.range } : { wave: filters.wave, hukou: filters.hukou }),
    dots: groups.map((g) => {
      const cell = cells.find((c) => c.geoCode === r.cityCode && (gapView ? c.hukou === g.key : c.migrationRange === g.key));
      return { group: g.key, value: cell?.estimate ?? null, title: cell?.estimate != null ? `${label(r.nameZh, r.nameEn)} · ${g.label}: ${cellText(cell.estimate)} (95% CI ${cellText(cell.low!)}–${cellText(cell.high!)}), n=${formatCount(cell.n!, locale)}` : '' };
    }),
  }));
  const matrixCells = chosen
    ? (await listGroupCells(dataset.id, filters.wave, definition.key, definition.kind, { hukou: [...HUKOU_FILTERS], ranges: [...MIGRATION_RANGE_FILTERS] }, chosen.cityCode)).map((c) => ({
        row: c.hukou,
        column: c.migrationRange,
        value: c.estimate,
        text: c.estimate !== null ? cellText(c.estimate) : '',
        ciText: c.low !== null && c.high !== null ? `${cellText(c.low)}–${cellText(c.high)}` : '',
        nText: c.n !== null ? formatCount(c.n, locale) : '',
      }))
    : [];
  const suppressedText = t('equity.notShown');
  const measureName = gapView ? t('equity.measure.D') : t('equity.measure.SII');
  const pageQuery = new URLSearchParams({ indicator: filters.indicator, wave: String(filters.wave), view: filters.view, range: filters.range, hukou: filters.hukou, ...(chosen ? { city: chosen.cityCode } : {}) });
  const provenance = provenanceFor(
    { dataset, wave: filters.wave, filters: [indicatorLabel, gapView ? t('equity.view.gap') : t('equity.view.gradient'), gapView ? t(`range.${filters.range}`) : t(`hukou.${filters.hukou}`)], minN: env.SUPPRESSION_MIN_N, page: `/equity?${pageQuery}` },
    t,
    locale,
  );
  const fileBase = downloadFileBase(['equity', filters.view, filters.indicator, filters.wave, gapView ? filters.range : filters.hukou]);
  const chartTitle = t(gapView ? 'equity.chartTitle.gap' : 'equity.chartTitle.gradient', { indicator: indicatorLabel, unit, group: gapView ? t(`range.${filters.range}`) : t(`hukou.${filters.hukou}`) });
  const equiplotTitle = t(gapView ? 'equity.equiplotTitle.gap' : 'equity.equiplotTitle.gradient', { indicator: indicatorLabel });
  const matrixTitle = chosen ? t('equity.matrixTitle', { city: label(chosen.nameZh, chosen.nameEn), indicator: indicatorLabel }) : '';

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('equity.title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('equity.lead')}</p>
      </div>
      <IgnoredParamsNotice ignored={ignored} t={t} locale={locale} />
      <ComparisonFilters fields={fields} loadingLabel={t('common.loading')} />
      {rows.length === 0 ? (
        <EmptyState text={availableWaves.includes(filters.wave) ? t('compare.empty') : t('compare.emptyWave', { indicator: indicatorLabel, wave: filters.wave, waves: availableWaves.join(', ') })} />
      ) : (
        <>
          {sentence && (
            <p data-testid="equity-sentence" className="rounded-lg border-l-4 border-accent bg-white p-4 text-sm leading-relaxed">
              {sentence}
            </p>
          )}
          <Downloadable id="equity-chart" kind="chart" testId="chart-download" title={chartTitle} fileBase={fileBase} provenance={provenance} t={t}>
          <DotWhiskerChart
            title={chartTitle}
            percent={false}
            benchmark={national?.estimate ?? null}
            benchmarkLabel={isModuleWave ? t('compare.moduleBenchmark') : t(gapView ? 'equity.nationalLine' : 'equity.nationalLineGradient')}
            points={shown.map((r) => ({
              label: label(r.nameZh, r.nameEn),
              estimate: r.figure!.estimate,
              low: r.figure!.low,
              high: r.figure!.high,
              n: r.figure!.n,
              display: `${measureName} ${figureText(r.figure!)}, n=${formatCount(r.figure!.n, locale)}${r.figure!.clear ? '' : ` · ${t('equity.noClearDifference')}`}`,
            }))}
          />
          </Downloadable>
          <Downloadable id="equity-table" kind="table" testId="table-download" title={t('equity.tableCaption', { measure: measureName, unit })} fileBase={fileBase} provenance={provenance} t={t}>
          <PhoneRowLimit
            extraRows={Math.max(0, ranked.length - PHONE_CITY_ROWS)}
            showAllLabel={t('equity.phone.showAll', { count: ranked.length })}
            showFewerLabel={t('equity.phone.showFewer', { count: PHONE_CITY_ROWS })}
          >
          <div tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="stack-table w-full text-sm" data-testid="equity-table">
              <caption className="px-3 py-2 text-left text-sm font-medium text-slate-700">{t('equity.tableCaption', { measure: measureName, unit })}</caption>
              <thead className="bg-slate-100 text-slate-700">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{t('table.rank')}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{t('table.city')}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{t('table.province')}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{measureName}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{t('table.ci')}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{t('equity.se')}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{t('table.n')}</th>
                  <th scope="col" className="px-3 py-2 text-left font-medium">{t('equity.reading')}</th>
                </tr>
              </thead>
              <tbody>
                {national && (
                  <tr className="border-t border-slate-200 bg-accent-soft" data-geo="national">
                    <td className="px-3 py-1.5" />
                    <th scope="row" className="px-3 py-1.5 text-left font-medium">{isModuleWave ? t('compare.moduleBenchmark') : t('geo.national')}</th>
                    <td className="px-3 py-1.5" />
                    <td className="px-3 py-1.5 tabular-nums" data-label={measureName}>{number(national.estimate, national.scale.decimals)}</td>
                    <td className="px-3 py-1.5 tabular-nums text-slate-600" data-label={t('table.ci')}>{formatRange(national.low, national.high, national.scale.decimals, locale)}</td>
                    <td className="px-3 py-1.5 tabular-nums text-slate-600" data-label={t('equity.se')}>{number(national.se, national.scale.decimals + 2)}</td>
                    <td className="px-3 py-1.5 tabular-nums" data-label={t('table.n')}>{formatCount(national.n, locale)}</td>
                    <td className="px-3 py-1.5 text-slate-600" data-label={t('equity.reading')}>{national.clear ? t('equity.clearDifference') : t('equity.noClearDifference')}</td>
                  </tr>
                )}
                {ranked.map((r, index) => (
                  <tr key={r.cityCode} data-city={r.cityCode} data-phone-extra={index >= PHONE_CITY_ROWS ? '' : undefined} className="border-t border-slate-100">
                    <td className="px-3 py-1.5 text-slate-600" data-label={t('table.rank')}>{r.figure ? index + 1 : '—'}</td>
                    <th scope="row" className="px-3 py-1.5 text-left font-medium">
                      <a href={`/equity?${new URLSearchParams({ indicator: filters.indicator, wave: String(filters.wave), view: filters.view, range: filters.range, hukou: filters.hukou, city: r.cityCode })}`} className="text-accent-strong hover:underline">
                        {label(r.nameZh, r.nameEn)}
                      </a>
                    </th>
                    <td className="px-3 py-1.5 text-slate-600" data-label={t('table.province')}>{label(r.provinceZh, r.provinceEn)}</td>
                    {r.figure ? (
                      <>
                        <td className="px-3 py-1.5 tabular-nums" data-testid="gap" data-label={measureName}>{number(r.figure.estimate, r.figure.scale.decimals)}</td>
                        <td className="px-3 py-1.5 tabular-nums text-slate-600" data-testid="gap-ci" data-label={t('table.ci')}>{formatRange(r.figure.low, r.figure.high, r.figure.scale.decimals, locale)}</td>
                        <td className="px-3 py-1.5 tabular-nums text-slate-600" data-testid="gap-se" data-label={t('equity.se')}>{number(r.figure.se, r.figure.scale.decimals + 2)}</td>
                        <td className="px-3 py-1.5 tabular-nums" data-testid="gap-n" data-label={t('table.n')}>{formatCount(r.figure.n, locale)}</td>
                        <td className="px-3 py-1.5 text-slate-600" data-label={t('equity.reading')}>{r.figure.clear ? t('equity.clearDifference') : t('equity.noClearDifference')}</td>
                      </>
                    ) : (
                      <td colSpan={5} className="px-3 py-1.5 italic text-slate-600" data-testid="gap-suppressed" data-label={measureName}>
                        {t('equity.gapNotShown', { min: env.SUPPRESSION_MIN_N })}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          </PhoneRowLimit>
          </Downloadable>
          <Downloadable id="equity-equiplot" kind="chart" testId="equiplot-download" title={equiplotTitle} fileBase={`${fileBase}_equiplot`} provenance={provenance} t={t}>
          <Equiplot
            title={equiplotTitle}
            rows={equiplotRows}
            groups={groups}
            unit={definition.kind === 'proportion' ? '%' : ''}
            note={t('equity.equiplotNote')}
          />
          </Downloadable>
          {chosen && (
            <Downloadable id="equity-matrix" kind="both" testId="matrix-download" title={matrixTitle} fileBase={`${fileBase}_matrix_${chosen.cityCode}`} provenance={provenance} t={t}>
            <HukouRangeMatrix
              title={matrixTitle}
              rows={HUKOU_FILTERS.map((h) => ({ key: h, label: t(`hukou.${h}`) }))}
              columns={MIGRATION_RANGE_FILTERS.map((r) => ({ key: r, label: t(`range.${r}`) }))}
              cells={matrixCells}
              suppressedText={suppressedText}
              labels={{ group: t('equity.group'), estimate: t('table.estimate'), ci: t('table.ci'), n: t('table.n') }}
            />
            </Downloadable>
          )}
          <p className="text-xs text-slate-500">{t('equity.method')}</p>
        </>
      )}
    </div>
  );
}
