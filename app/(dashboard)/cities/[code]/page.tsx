import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requirePagePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { isModuleWave } from '@/lib/domain';
import { HUKOU_FILTERS, INDICATORS, MIGRATION_RANGE_FILTERS } from '@/lib/indicators/catalogue';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getActiveDataset } from '@/lib/queries/datasets';
import { getCity } from '@/lib/queries/geography';
import { listGeographyCells, type IndicatorCell } from '@/lib/queries/indicators';
import { comparisonFiltersSchema } from '@/lib/indicators/filters';
import { benchmarkSentence, readAgainstBenchmark } from '@/lib/indicators/interpretation';
import { benchmarkNoun } from '@/lib/indicators/profile-summary';
import { findIgnoredParams, resolveWave } from '@/lib/url/ignored-params';
import { ComparisonFilters } from '@/components/filters/comparison-filters';
import { IgnoredParamsNotice } from '@/components/ui/ignored-params-notice';
import { BriefingDownloadLink } from '@/components/ui/briefing-download-link';
import { EstimateCell } from '@/components/ui/estimate-cell';
import { CityGapTable, loadCityGapRows } from '@/components/equity/city-gap-table';
import { DisclosureLegend } from '@/components/ui/disclosure-legend';
import { titleFor } from '@/lib/i18n/page-metadata';
import { Downloadable } from '@/components/ui/downloadable';
import { downloadFileBase, provenanceFor } from '@/lib/export/provenance';

const paramsSchema = z.object({ code: z.string().regex(/^\d{6}$/) });
export async function generateMetadata({ params }: { params: Promise<{ code: string }> }) {
  const parsed = paramsSchema.safeParse(await params);
  const city = parsed.success ? await getCity(parsed.data.code) : null;
  if (!city) return titleFor('page.cities');
  const locale = await getLocale();
  return titleFor('page.city', { city: locale === 'zh' ? city.nameZh : city.nameEn });
}

// The profile takes the comparison's wave, hukou and migration range (the same schema, so the same fallbacks).
const searchSchema = comparisonFiltersSchema.pick({ wave: true, hukou: true, range: true });

export default async function CityProfilePage({
  params,
  searchParams,
}: {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePagePermission('dashboard:view');
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const search = await searchParams;
  const filters = searchSchema.parse(search);
  const { hukou, range } = filters;
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDataset();
  const city = await getCity(parsed.data.code);
  if (!dataset || !city) notFound();
  const ignored = findIgnoredParams(search, filters, ['wave', 'hukou', 'range']);
  // A well-formed wave the dataset does not hold falls back too, and the notice says so.
  const datasetWaves = dataset.waves.map((w) => w.year);
  const wave = resolveWave(filters.wave, datasetWaves, ignored);
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const cells = await listGeographyCells(dataset.id, wave, [
    { level: 'city', code: city.code },
    { level: 'tier', code: city.tier },
    { level: 'national', code: 'CN' },
  ]);
  // Every figure follows the hukou and migration-range filters: the cells are precomputed per hukou × range.
  const find = (level: string, indicator: string, cellHukou: string = hukou, cellRange: string = range) =>
    cells.find((c) => c.geoLevel === level && c.indicator === indicator && c.hukou === cellHukou && c.migrationRange === cellRange);
  const indicators = INDICATORS.filter((i) => cells.some((c) => c.indicator === i.key));
  const filterText = [t(`hukou.${hukou}`), t(`range.${range}`)].join(locale === 'zh' ? '、' : ', ');
  const filterFields = [
    { name: 'wave', label: t('filters.wave'), value: String(wave), options: dataset.waves.map((w) => ({ value: String(w.year), label: String(w.year) })) },
    { name: 'hukou', label: t('filters.hukou'), value: hukou, options: HUKOU_FILTERS.map((h) => ({ value: h, label: t(`hukou.${h}`) })) },
    { name: 'range', label: t('filters.range'), value: range, options: MIGRATION_RANGE_FILTERS.map((r) => ({ value: r, label: t(`range.${r}`) })) },
  ];
  // The 2014 wave is an eight-city module: its "national" cells are the module's total, and the page says so.
  const moduleWave = isModuleWave(dataset, wave);
  const benchmark = moduleWave ? ('module' as const) : ('national' as const);
  const benchmarkColumn = t(moduleWave ? 'city.column.module' : 'city.column.national');
  // Plain-language reading: a difference counts only when the city's and the benchmark's 95% CIs do not overlap.
  const reading = readAgainstBenchmark(indicators.map((definition) => ({ item: definition, cell: find('city', definition.key), benchmark: find('national', definition.key) })));
  const texts = { primary: t('table.suppressed', { min: env.SUPPRESSION_MIN_N }), secondary: t('disclosure.secondary') };
  const cellText = (cell: IndicatorCell | undefined, kind: 'proportion' | 'mean') => (
    <EstimateCell cell={cell} kind={kind} locale={locale} texts={texts} minN={env.SUPPRESSION_MIN_N} />
  );
  const cityName = label(city.nameZh, city.nameEn);
  const provenance = provenanceFor(
    { dataset, wave, filters: [cityName, t(`hukou.${hukou}`), t(`range.${range}`)], minN: env.SUPPRESSION_MIN_N, page: `/cities/${city.code}?${new URLSearchParams({ wave: String(wave), hukou, range })}` },
    t,
    locale,
  );
  const fileBase = downloadFileBase(['city-profile', city.code, wave]);
  const gapRows = await loadCityGapRows(dataset.id, wave, city, range);
  return (
    <div className="space-y-8">
      <IgnoredParamsNotice ignored={ignored} t={t} locale={locale} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('city.title', { city: label(city.nameZh, city.nameEn) })}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('city.lead', { province: label(city.provinceZh, city.provinceEn), tier: t(`tier.${city.tier}`), wave })}</p>
        </div>
        <div className="flex flex-wrap items-start gap-4">
        <BriefingDownloadLink
          testId="briefing-download"
          href={`/api/briefings/cities/${city.code}?${new URLSearchParams({ wave: String(wave), hukou, range })}`}
          label={t('briefing.download')}
          description={t('briefing.downloadFilters', { filters: [String(wave), t(`hukou.${hukou}`), t(`range.${range}`)].join(locale === 'zh' ? '、' : ', ') })}
        />
        </div>
      </div>
      <ComparisonFilters fields={filterFields} loadingLabel={t('common.loading')} />
      <p className="text-sm text-slate-600" data-testid="profile-filters">{t('city.filtersNote', { filters: `${wave}${locale === 'zh' ? ' 年、' : ', '}${filterText}` })}</p>
      {cells.filter((c) => c.geoLevel === 'city').length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">{t('city.noData')}</p>
      ) : (
        <>
          {reading.comparable.length > 0 && (
            <p data-testid="interpretation" className="rounded-lg border-l-4 border-accent bg-white p-4 text-sm leading-relaxed">
              {benchmarkSentence(t, reading, { city: label(city.nameZh, city.nameEn), wave, benchmark })}
            </p>
          )}
          <Downloadable id="profile-peers" kind="table" testId="table-download" title={`${cityName}: ${t('city.vsPeers', { benchmark: benchmarkNoun(t, benchmark) })}`} fileBase={`${fileBase}_peers`} provenance={provenance} t={t}>
          <section aria-labelledby="peers" tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="stack-table w-full text-sm" data-testid="profile-table">
              <caption id="peers" className="px-3 py-2 text-left text-lg font-medium">
                {t('city.vsPeers', { benchmark: benchmarkNoun(t, benchmark) })}
              </caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left">{t('filters.indicator')}</th>
                  <th scope="col" className="px-3 py-2 text-left">{t('city.column.city')}</th>
                  <th scope="col" className="px-3 py-2 text-left">{t('city.column.tier')}</th>
                  <th scope="col" className="px-3 py-2 text-left">{benchmarkColumn}</th>
                </tr>
              </thead>
              <tbody>
                {indicators.map((definition) => (
                  <tr key={definition.key} className="border-t border-slate-100" data-indicator={definition.key}>
                    <th scope="row" className="px-3 py-2 text-left font-normal">
                      {label(definition.labelZh, definition.labelEn)}{' '}
                      <a href={`/trends?${new URLSearchParams({ indicator: definition.key, geo: 'city', code: city.code, hukou, range })}`} title={t('city.trends')} className="text-xs text-accent underline" data-testid={`trend-link-${definition.key}`} data-download-skip>
                        {t('city.trendLink')}
                      </a>
                    </th>
                    <td className="px-3 py-2" data-label={t('city.column.city')}>{cellText(find('city', definition.key), definition.kind)}</td>
                    <td className="px-3 py-2" data-label={t('city.column.tier')}>{cellText(find('tier', definition.key), definition.kind)}</td>
                    <td className="px-3 py-2" data-label={benchmarkColumn}>{cellText(find('national', definition.key), definition.kind)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          </Downloadable>
          {gapRows && (
            <Downloadable id="profile-gaps" kind="table" testId="gaps-download" title={`${cityName}: ${t('city.gaps', { benchmark: benchmarkNoun(t, benchmark) })}`} fileBase={`${fileBase}_gaps`} provenance={provenance} t={t}>
              <CityGapTable rows={gapRows} wave={wave} city={city} range={range} moduleWave={moduleWave} />
            </Downloadable>
          )}
          <Downloadable id="profile-groups" kind="table" testId="groups-download" title={`${cityName}: ${t('city.byGroup')}`} fileBase={`${fileBase}_groups`} provenance={provenance} t={t}>
          <section aria-labelledby="groups" tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="stack-table w-full text-sm">
              <caption id="groups" className="px-3 py-2 text-left text-lg font-medium">
                {hukou === 'all' && range === 'all' ? t('city.byGroup') : t('city.byGroupFiltered', { hukou: t(`hukou.${hukou}`), range: t(`range.${range}`) })}
              </caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left">{t('filters.indicator')}</th>
                  {HUKOU_FILTERS.filter((h) => h !== 'all').map((h) => (
                    <th key={h} scope="col" className="px-3 py-2 text-left">{t(`hukou.${h}`)}</th>
                  ))}
                  {MIGRATION_RANGE_FILTERS.filter((r) => r !== 'all').map((r) => (
                    <th key={r} scope="col" className="px-3 py-2 text-left">{t(`range.${r}`)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {indicators.map((definition) => (
                  <tr key={definition.key} className="border-t border-slate-100">
                    <th scope="row" className="px-3 py-2 text-left font-normal">{label(definition.labelZh, definition.labelEn)}</th>
                    {HUKOU_FILTERS.filter((h) => h !== 'all').map((h) => (
                      <td key={h} className="px-3 py-2" data-label={t(`hukou.${h}`)}>{cellText(find('city', definition.key, h, range), definition.kind)}</td>
                    ))}
                    {MIGRATION_RANGE_FILTERS.filter((r) => r !== 'all').map((r) => (
                      <td key={r} className="px-3 py-2" data-label={t(`range.${r}`)}>{cellText(find('city', definition.key, hukou, r), definition.kind)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          </Downloadable>
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
