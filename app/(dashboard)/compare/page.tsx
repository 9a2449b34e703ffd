import { EmptyState } from '@/components/ui/empty-state';
import { env } from '@/lib/env';
import { CITY_TIERS, HUKOU_FILTERS, MIGRATION_RANGE_FILTERS, REGIONS } from '@/lib/indicators/catalogue';
import { parseComparisonFilters } from '@/lib/indicators/filters';
import { cellPhrase, comparisonSentence, filterWords } from '@/lib/indicators/interpretation';
import { formatEstimate, formatInterval, formatSampleSize, formatShare } from '@/lib/indicators/format';
import { getTranslator } from '@/lib/i18n/server';
import { getIndicatorCell, listCityRanking, type IndicatorCell } from '@/lib/queries/indicators';
import { ComparisonFilters } from '@/components/filters/comparison-filters';
import { DotWhiskerChart } from '@/components/charts/dot-whisker-chart';
import { IndicatorTable } from '@/components/tables/indicator-table';
import { IgnoredParamsNotice } from '@/components/ui/ignored-params-notice';
import { openIndicatorPage } from '@/lib/url/indicator-page';
import { cityProfileHref } from '@/lib/url/profile-href';
import { BriefingDownloadLink } from '@/components/ui/briefing-download-link';
import { DisclosureLegend } from '@/components/ui/disclosure-legend';
import { DownloadButtons } from '@/components/ui/download-buttons';
import { IndicatorCards } from '@/components/tables/indicator-cards';
import { downloadDate, downloadFileBase, downloadLabels, provenanceLines } from '@/lib/export/provenance';
import type { Metadata } from 'next';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator();
  return { title: t('page.titleTemplate', { page: t('page.compare') }) };
}

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const page = await openIndicatorPage(searchParams, parseComparisonFilters, ['indicator', 'wave', 'hukou', 'range', 'region', 'tier']);
  const { t, locale, ignored, label } = page;
  if (!page.dataset) return <EmptyState text={t('common.noDataset')} />;
  const { dataset, filters, definition, indicatorLabel, availableWaves } = page;
  const rows = await listCityRanking({ datasetId: dataset.id, wave: filters.wave, indicator: filters.indicator, hukou: filters.hukou, migrationRange: filters.range, region: filters.region, tier: filters.tier });
  const national = await getIndicatorCell(dataset.id, filters.wave, 'national', 'CN', filters.indicator, filters.hukou, filters.range);
  const shown = rows.filter((r) => !r.suppressed && r.estimate !== null && r.ciLow !== null && r.ciHigh !== null);
  // The indicator's rank: position among the published cells in the ranking order (estimate, highest first).
  const rankOf = new Map(shown.map((r, index) => [r.cityCode, index + 1]));
  const primaryCount = rows.filter((r) => r.status === 'primary').length;
  const secondaryCount = rows.filter((r) => r.suppressed && r.status !== 'primary').length;
  const unreliableCount = shown.filter((r) => r.unreliable).length;
  const display = (cell: IndicatorCell) => cellPhrase(cell, definition.kind, locale, env.SUPPRESSION_MIN_N);

  const filterText = filterWords(t, locale, filters);
  // The 2014 wave is an eight-city module: its "national" margin is the module's total, not the nation.
  const benchmarkLabel = page.moduleWave ? t('compare.moduleBenchmark') : t('compare.national');
  const interpretation = comparisonSentence(t, locale, {
    filters: filterText,
    indicator: indicatorLabel,
    kind: definition.kind,
    ranked: rows.map((r) => ({ name: label(r.nameZh, r.nameEn), cell: r })),
    benchmarkLabel,
    benchmark: national ?? undefined,
    minN: env.SUPPRESSION_MIN_N,
  });

  const fields = [
    ...page.indicatorFields,
    { name: 'hukou', label: t('filters.hukou'), value: filters.hukou, options: HUKOU_FILTERS.map((h) => ({ value: h, label: t(`hukou.${h}`) })) },
    { name: 'range', label: t('filters.range'), value: filters.range, options: MIGRATION_RANGE_FILTERS.map((r) => ({ value: r, label: t(`range.${r}`) })) },
    { name: 'region', label: t('filters.region'), value: filters.region ?? '', options: [{ value: '', label: t('filters.all') }, ...REGIONS.map((r) => ({ value: r, label: t(`region.${r}`) }))] },
    { name: 'tier', label: t('filters.tier'), value: filters.tier ?? '', options: [{ value: '', label: t('filters.all') }, ...CITY_TIERS.map((x) => ({ value: x, label: t(`tier.${x}`) }))] },
  ];

  const briefingQuery = new URLSearchParams({
    indicator: filters.indicator,
    wave: String(filters.wave),
    hukou: filters.hukou,
    range: filters.range,
    ...(filters.region ? { region: filters.region } : {}),
    ...(filters.tier ? { tier: filters.tier } : {}),
  });

  // Provenance of every download on this page: the same filters, the same published cells.
  const chartTitle = t('compare.chartTitle', { indicator: indicatorLabel });
  const tableTitle = t('compare.tableCaption', { indicator: indicatorLabel });
  const provenance = (title: string) =>
    provenanceLines({ title, dataset, wave: filters.wave, filters: [indicatorLabel, t(`hukou.${filters.hukou}`), t(`range.${filters.range}`), ...(filters.region ? [t(`region.${filters.region}`)] : []), ...(filters.tier ? [t(`tier.${filters.tier}`)] : [])], minN: env.SUPPRESSION_MIN_N, page: `/compare?${briefingQuery}`, date: downloadDate() }, t, locale);
  const fileBase = downloadFileBase(['comparison', filters.indicator, filters.wave, filters.hukou, filters.range, filters.region, filters.tier]);
  const tableRows = rows.map((r) => ({
    key: r.cityCode,
    rank: rankOf.get(r.cityCode) ?? null,
    href: cityProfileHref(r.cityCode, filters),
    name: label(r.nameZh, r.nameEn),
    province: label(r.provinceZh, r.provinceEn),
    estimate: r.estimate,
    estimateText: formatEstimate(r.estimate, definition.kind, locale, r.unreliable),
    ciText: formatInterval(r.ciLow, r.ciHigh, definition.kind, locale),
    n: r.n,
    nText: formatSampleSize(r, locale, env.SUPPRESSION_MIN_N),
    share: r.weightedShare,
    shareText: formatShare(r.weightedShare),
    status: r.status,
    unreliable: r.unreliable,
  }));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('compare.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('compare.lead')}</p>
        </div>
        {rows.length > 0 && (
          <div className="flex flex-wrap items-start gap-3">
            <BriefingDownloadLink testId="briefing-download" href={`/api/briefings/compare?${briefingQuery}`} label={t('briefing.downloadCompare')} description={t('briefing.downloadFilters', { filters: [indicatorLabel, filterText].join(locale === 'zh' ? '、' : ', ') })} />
            <BriefingDownloadLink testId="csv-download" href={`/api/exports/compare?${briefingQuery}`} label={t('compare.downloadCsv')} />
          </div>
        )}
      </div>
      <IgnoredParamsNotice ignored={ignored} t={t} locale={locale} />
      <ComparisonFilters fields={fields} loadingLabel={t('common.loading')} />
      {rows.length === 0 ? (
        <EmptyState text={availableWaves.includes(filters.wave) ? t('compare.empty') : t('compare.emptyWave', { indicator: indicatorLabel, wave: filters.wave, waves: availableWaves.join(', ') })} />
      ) : (
        <>
          {interpretation && (
            <p data-testid="interpretation" className="rounded-lg border-l-4 border-accent bg-white p-4 text-sm leading-relaxed">
              {interpretation}
            </p>
          )}
          <div className="flex justify-end"><DownloadButtons target="compare-chart" testId="chart-download" kinds={['png', 'svg']} fileBase={`${fileBase}_chart`} title={chartTitle} provenance={provenance(chartTitle)} labels={downloadLabels(t, chartTitle)} /></div>
          <div id="compare-chart">
          <DotWhiskerChart
            title={chartTitle}
            percent={definition.kind === 'proportion'}
            benchmark={national?.estimate ?? null}
            benchmarkLabel={benchmarkLabel}
            points={shown.map((r) => ({
              label: label(r.nameZh, r.nameEn),
              estimate: r.estimate as number,
              low: r.ciLow as number,
              high: r.ciHigh as number,
              n: r.n ?? 0,
              display: display(r),
            }))}
          />
          </div>
          {primaryCount > 0 && <p className="text-sm text-slate-600">{t('compare.suppressedCount', { count: primaryCount, min: env.SUPPRESSION_MIN_N })}</p>}
          {secondaryCount > 0 && <p className="text-sm text-slate-600">{t('compare.secondaryCount', { count: secondaryCount })}</p>}
          {unreliableCount > 0 && <p className="text-sm text-slate-600">{t('compare.unreliableCount', { count: unreliableCount })}</p>}
          <DownloadButtons target="compare-table" testId="table-download" kinds={['csv']} fileBase={`${fileBase}_table`} title={tableTitle} provenance={provenance(tableTitle)} labels={downloadLabels(t, tableTitle)} />
          {/* A phone gets cards (estimate, CI and n on two lines); the table from 640 px up. */}
          <IndicatorCards
            className="sm:hidden"
            rows={tableRows}
            label={t('table.cardsLabel', { caption: tableTitle })}
            labels={{ rank: t('table.rank'), ci: t('table.ci'), n: t('table.n'), suppressed: t('table.suppressed', { min: env.SUPPRESSION_MIN_N }), secondary: t('disclosure.secondary') }}
          />
          <div id="compare-table" className="max-sm:hidden">
          <IndicatorTable
            caption={t('compare.tableCaption', { indicator: indicatorLabel })}
            labels={{
              rank: t('table.rank'),
              city: t('table.city'),
              province: t('table.province'),
              estimate: t('table.estimate'),
              ci: t('table.ci'),
              n: t('table.n'),
              share: t('table.share'),
              suppressed: t('table.suppressed', { min: env.SUPPRESSION_MIN_N }),
              secondary: t('disclosure.secondary'),
              sortBy: t('table.sortBy'),
            }}
            rows={tableRows}
          />
          </div>
          <p className="text-xs text-slate-500">{t('table.shareNote')}</p>
          <DisclosureLegend
            title={t('disclosure.legendTitle')}
            primary={t('disclosure.legendPrimary', { min: env.SUPPRESSION_MIN_N })}
            secondary={t('disclosure.legendSecondary')}
            unreliable={t('disclosure.legendUnreliable')}
          />
        </>
      )}
    </div>
  );
}
