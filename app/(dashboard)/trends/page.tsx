import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { ComparisonFilters } from '@/components/filters/comparison-filters';
import { TrendChart, type TrendChartPoint, type TrendChartSeries } from '@/components/charts/trend-chart';
import { requirePagePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { CITY_TIERS, HUKOU_FILTERS, INDICATORS, MIGRATION_RANGE_FILTERS, findIndicator, questionVersion } from '@/lib/indicators/catalogue';
import { formatCount, formatInterval, formatValue } from '@/lib/indicators/format';
import { questionBreaks, trendSegments, waveChange, type WaveChange } from '@/lib/indicators/trend';
import { TREND_GEO_LEVELS, parseTrendFilters } from '@/lib/indicators/trend-filters';
import { findIgnoredParams } from '@/lib/url/ignored-params';
import { cityProfileHref } from '@/lib/url/profile-href';
import { IgnoredParamsNotice } from '@/components/ui/ignored-params-notice';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getActiveDataset } from '@/lib/queries/datasets';
import { listCities } from '@/lib/queries/geography';
import { listCityCellsInWaves, listIndicatorSeries, listTrendSources, type TrendCell } from '@/lib/queries/trends';
import { pageMetadata } from '@/lib/i18n/page-metadata';
import { Downloadable } from '@/components/ui/downloadable';
import { downloadFileBase, provenanceFor } from '@/lib/export/provenance';

export const generateMetadata = pageMetadata('page.trends');

export default async function TrendsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePagePermission('dashboard:view');
  const search = await searchParams;
  const filters = parseTrendFilters(search);
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDataset();
  if (!dataset) return <EmptyState text={t('common.noDataset')} />;
  const definition = findIndicator(filters.indicator) ?? INDICATORS[0]!;
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const indicatorLabel = label(definition.labelZh, definition.labelEn);
  const value = (v: number | null) => formatValue(v, definition.kind, locale);

  // The areas of each level; a code that does not belong to the level falls back to the level's first area.
  const cities = await listCities();
  const provinces = [...new Map(cities.map((c) => [c.provinceCode, { code: c.provinceCode, name: label(c.provinceZh, c.provinceEn) }])).values()].sort((a, b) => a.code.localeCompare(b.code));
  const areas: Record<(typeof TREND_GEO_LEVELS)[number], Array<{ code: string; name: string }>> = {
    national: [{ code: 'CN', name: t('trends.level.national') }],
    // Regions are not a published level (lib/disclosure), so the trend offers none.
    region: [],
    tier: CITY_TIERS.map((x) => ({ code: x, name: t(`tier.${x}`) })),
    province: provinces,
    city: cities.map((c) => ({ code: c.code, name: label(c.nameZh, c.nameEn) })),
  };
  const area = areas[filters.geo].find((a) => a.code === filters.code) ?? areas[filters.geo][0]!;
  const city = filters.geo === 'city' ? cities.find((c) => c.code === area.code) : undefined;

  // Trends join national-design waves only (the 2014 module's eight cities are a different sample); with imported
  // data, each wave from the latest version that holds it (lib/queries/trends.ts).
  const sources = await listTrendSources(dataset);
  const joinsVersions = new Set(sources.map((s) => s.datasetId)).size > 1;
  const base = { sources, indicator: definition.key, hukou: filters.hukou, migrationRange: filters.range };
  const onNationalWaves = (cells: TrendCell[]) => cells;
  const main = onNationalWaves(await listIndicatorSeries({ ...base, geoLevel: filters.geo, geoCode: area.code }));
  const waves = main.map((c) => c.wave);
  const toPoint = (c: TrendCell): TrendChartPoint => ({
    wave: c.wave,
    estimate: c.estimate as number,
    low: c.ciLow ?? (c.estimate as number),
    high: c.ciHigh ?? (c.estimate as number),
    nText: formatCount(c.n ?? 0, locale),
    description: `${c.wave}: ${value(c.estimate)} (${formatInterval(c.ciLow, c.ciHigh, definition.kind, locale)}), n=${formatCount(c.n ?? 0, locale)}`,
  });
  const shown = (cells: TrendCell[]) => cells.filter((c) => !c.suppressed && c.estimate !== null);
  const series: TrendChartSeries[] = [{ key: 'main', label: area.name, segments: trendSegments(definition, shown(main)).map((s) => s.map(toPoint)), reference: false }];
  if (city) {
    const tier = onNationalWaves(await listIndicatorSeries({ ...base, geoLevel: 'tier', geoCode: city.tier }));
    const nation = onNationalWaves(await listIndicatorSeries({ ...base, geoLevel: 'national', geoCode: 'CN' }));
    series.push({ key: 'tier', label: t('trends.tierSeries', { tier: t(`tier.${city.tier}`) }), segments: trendSegments(definition, shown(tier)).map((s) => s.map(toPoint)), reference: true });
    series.push({ key: 'nation', label: t('trends.nationSeries'), segments: trendSegments(definition, shown(nation)).map((s) => s.map(toPoint)), reference: true });
  }
  const breaks = questionBreaks(definition, waves);
  const filterText = [t(`hukou.${filters.hukou}`), t(`range.${filters.range}`)].join(locale === 'zh' ? '、' : ', ');

  // Change between two waves: by default the ends of the latest stretch asked the same way (else first and last).
  const stretch = trendSegments(definition, waves.map((wave) => ({ wave }))).filter((segment) => segment.length > 1).pop();
  const from = filters.from !== null && waves.includes(filters.from) ? filters.from : (stretch?.[0]?.wave ?? waves[0]);
  const to = filters.to !== null && waves.includes(filters.to) ? filters.to : (stretch?.[stretch.length - 1]?.wave ?? waves[waves.length - 1]);
  const cellOf = (wave: number | undefined) => main.find((c) => c.wave === wave);
  const difference = (d: number) => {
    const signed = `${d >= 0 ? '+' : '−'}${Math.abs(definition.kind === 'proportion' ? d * 100 : d).toFixed(1)}`;
    return definition.kind === 'proportion' ? t('trends.pp', { value: signed }) : signed;
  };
  const signedShort = (d: number) => `${d >= 0 ? '+' : '−'}${Math.abs(definition.kind === 'proportion' ? d * 100 : d).toFixed(1)}`;
  let changeText: string | null = null;
  if (from !== undefined && to !== undefined && from !== to) {
    const a = cellOf(from);
    const b = cellOf(to);
    const change = waveChange(definition, a && { ...a }, b && { ...b });
    if (questionVersion(definition, from)?.id !== questionVersion(definition, to)?.id) changeText = t('trends.change.notComparable', { from, to });
    else if (!change || !a || !b) changeText = t('trends.change.missing');
    else
      changeText = t('trends.change.sentence', {
        geo: area.name,
        indicator: indicatorLabel,
        from,
        to,
        fromValue: value(a.estimate),
        toValue: value(b.estimate),
        difference: difference(change.difference),
        low: signedShort(change.ciLow),
        high: signedShort(change.ciHigh),
        verdict: change.clear ? t('trends.change.clear') : t('trends.change.unclear'),
      });
  }

  // Improvers and decliners among cities between the two waves: only changes whose CI excludes 0.
  const movers =
    from !== undefined && to !== undefined && from !== to
      ? (await listCityCellsInWaves({ ...base, waves: [from, to] })).flatMap((entry) => {
          const a = entry.cells.find((c) => c.wave === from);
          const b = entry.cells.find((c) => c.wave === to);
          const change = waveChange(definition, a, b);
          return change?.clear ? [{ code: entry.cityCode, name: label(entry.nameZh, entry.nameEn), change }] : [];
        })
      : [];
  const better = (c: WaveChange) => (definition.higherIsBetter ? c.difference > 0 : c.difference < 0);
  const improvers = movers.filter((m) => better(m.change)).sort((x, y) => Math.abs(y.change.difference) - Math.abs(x.change.difference)).slice(0, 10);
  const decliners = movers.filter((m) => !better(m.change)).sort((x, y) => Math.abs(y.change.difference) - Math.abs(x.change.difference)).slice(0, 10);
  const trendHref = (code: string) => `/trends?${new URLSearchParams({ indicator: definition.key, geo: 'city', code, hukou: filters.hukou, range: filters.range, ...(from ? { from: String(from) } : {}), ...(to ? { to: String(to) } : {}) })}`;

  // Parameters the page could not use: malformed ones (the schema's fallbacks), an area not of the level, a wave
  // without data for this series.
  const ignored = findIgnoredParams(search, { ...filters, code: filters.code === null ? null : area.code, from: filters.from === null ? null : from ?? null, to: filters.to === null ? null : to ?? null }, ['indicator', 'geo', 'code', 'hukou', 'range', 'from', 'to']);
  const fields = [
    { name: 'indicator', label: t('filters.indicator'), value: definition.key, options: INDICATORS.map((i) => ({ value: i.key, label: label(i.labelZh, i.labelEn) })) },
    { name: 'geo', label: t('trends.geo'), value: filters.geo, options: TREND_GEO_LEVELS.map((g) => ({ value: g, label: t(`trends.level.${g}`) })) },
    { name: 'code', label: t('trends.code'), value: area.code, options: areas[filters.geo].map((a) => ({ value: a.code, label: a.name })) },
    { name: 'hukou', label: t('filters.hukou'), value: filters.hukou, options: HUKOU_FILTERS.map((h) => ({ value: h, label: t(`hukou.${h}`) })) },
    { name: 'range', label: t('filters.range'), value: filters.range, options: MIGRATION_RANGE_FILTERS.map((r) => ({ value: r, label: t(`range.${r}`) })) },
    { name: 'from', label: t('trends.from'), value: String(from ?? ''), options: waves.map((w) => ({ value: String(w), label: String(w) })) },
    { name: 'to', label: t('trends.to'), value: String(to ?? ''), options: waves.map((w) => ({ value: String(w), label: String(w) })) },
  ];
  const suppressedText = t('table.suppressed', { min: env.SUPPRESSION_MIN_N });
  const pageQuery = new URLSearchParams({ indicator: definition.key, geo: filters.geo, code: area.code, hukou: filters.hukou, range: filters.range, ...(from ? { from: String(from) } : {}), ...(to ? { to: String(to) } : {}) });
  const provenance = provenanceFor(
    { dataset, wave: waves.join(', '), filters: [indicatorLabel, area.name, t(`hukou.${filters.hukou}`), t(`range.${filters.range}`)], minN: env.SUPPRESSION_MIN_N, page: `/trends?${pageQuery}` },
    t,
    locale,
  );
  const fileBase = downloadFileBase(['trend', definition.key, filters.geo, area.code, filters.hukou, filters.range]);
  const chartTitle = t('trends.chartTitle', { indicator: indicatorLabel, geo: area.name, filters: filterText });
  const moverList = (title: string, rows: typeof movers, testId: string) => (
    <div data-testid={testId}>
      <h3 className="text-sm font-medium">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t('trends.movers.none')}</p>
      ) : (
        <table className="mt-1 w-full text-sm">
          <thead>
            <tr className="border-b border-slate-300 text-left text-xs text-slate-600">
              <th className="py-1 font-medium">{t('table.city')}</th>
              <th className="py-1 text-right font-medium">{t('trends.movers.change')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.code} className="border-b border-slate-100">
                <td className="py-1">
                  <Link href={trendHref(m.code)} className="text-accent hover:underline">
                    {m.name}
                  </Link>{' '}
                  <Link href={cityProfileHref(m.code, { wave: to ?? from ?? 2017, hukou: filters.hukou, range: filters.range })} className="text-xs text-slate-600 underline" data-testid={`profile-link-${m.code}`}>
                    {t('city.profileLink')}
                  </Link>
                </td>
                <td className="py-1 text-right tabular-nums">
                  {signedShort(m.change.difference)} <span className="text-xs text-slate-500">({signedShort(m.change.ciLow)} – {signedShort(m.change.ciHigh)})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('trends.title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('trends.lead')}</p>
      </div>
      <IgnoredParamsNotice ignored={ignored} t={t} locale={locale} />
      {city && (
        <p className="text-sm">
          <Link href={cityProfileHref(city.code, { wave: to ?? waves[waves.length - 1] ?? 2017, hukou: filters.hukou, range: filters.range })} className="text-accent underline" data-testid="city-profile-link">
            {t('city.title', { city: area.name })}
          </Link>
        </p>
      )}
      <ComparisonFilters fields={fields} loadingLabel={t('common.loading')} />
      {main.length === 0 ? (
        <EmptyState text={t('trends.empty')} />
      ) : (
        <>
          <Downloadable id="trend-chart" kind="chart" testId="chart-download" title={chartTitle} fileBase={fileBase} provenance={provenance} t={t}>
          <TrendChart
            title={chartTitle}
            series={series}
            waves={waves}
            breaks={breaks.map((b) => b.wave)}
            percent={definition.kind === 'proportion'}
            breakLabel={t('trends.breakLabel')}
          />
          </Downloadable>
          {breaks.map((b) => (
            <p key={b.wave} className="text-sm text-amber-800" data-testid="trend-break-note">
              {t('trends.breakNote', { wave: b.wave, question: label(b.zh, b.en) })}
            </p>
          ))}
          <section className="space-y-2">
            <h2 className="text-lg font-medium">{t('trends.change.title')}</h2>
            {changeText && (
              <p data-testid="trend-change" className="rounded-lg border-l-4 border-accent bg-white p-4 text-sm leading-relaxed">
                {changeText}
              </p>
            )}
          </section>
          <Downloadable id="trend-table" kind="table" testId="table-download" title={`${t('trends.tableCaption')}: ${indicatorLabel}, ${area.name}`} fileBase={fileBase} provenance={provenance} t={t} className="max-w-2xl">
          <table className="w-full max-w-2xl text-sm" data-testid="trend-table">
            <caption className="mb-1 text-left font-medium">{t('trends.tableCaption')}</caption>
            <thead>
              <tr className="border-b border-slate-300 text-left text-xs text-slate-600">
                <th className="py-1 font-medium">{t('trends.wave')}</th>
                <th className="py-1 text-right font-medium">{t('table.estimate')}</th>
                <th className="py-1 text-right font-medium">{t('table.ci')}</th>
                <th className="py-1 text-right font-medium">{t('table.n')}</th>
              </tr>
            </thead>
            <tbody>
              {main.map((c) => (
                <tr key={c.wave} className="border-b border-slate-100" data-testid={`trend-row-${c.wave}`}>
                  <td className="py-1">{c.wave}</td>
                  {c.suppressed ? (
                    <td colSpan={3} className="py-1 text-right italic text-slate-500">
                      {suppressedText}
                    </td>
                  ) : (
                    <>
                      <td className="py-1 text-right tabular-nums">{value(c.estimate)}</td>
                      <td className="py-1 text-right text-xs tabular-nums text-slate-600">{formatInterval(c.ciLow, c.ciHigh, definition.kind, locale)}</td>
                      <td className="py-1 text-right text-xs tabular-nums text-slate-600">{formatCount(c.n ?? 0, locale)}</td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          </Downloadable>
          {joinsVersions && (
            <p className="text-xs text-slate-600" data-testid="trend-sources">
              {t('trends.sources', { list: sources.map((s) => `${s.wave}: ${s.label}`).join(locale === 'zh' ? '；' : '; ') })}
            </p>
          )}
          {from !== undefined && to !== undefined && from !== to && (
            <section className="space-y-2">
              <h2 className="text-lg font-medium">{t('trends.movers.title', { from, to })}</h2>
              <p className="text-sm text-slate-600">{t('trends.movers.lead')}</p>
              {questionVersion(definition, from)?.id !== questionVersion(definition, to)?.id ? (
                <p className="text-sm">{t('trends.change.notComparable', { from, to })}</p>
              ) : (
                <div className="grid gap-6 md:grid-cols-2">
                  {moverList(t('trends.movers.improvers'), improvers, 'trend-improvers')}
                  {moverList(t('trends.movers.decliners'), decliners, 'trend-decliners')}
                </div>
              )}
            </section>
          )}
        </>
      )}
    </div>
  );
}
