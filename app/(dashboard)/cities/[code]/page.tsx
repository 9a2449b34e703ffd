import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requirePagePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { HUKOU_FILTERS, INDICATORS, MIGRATION_RANGE_FILTERS } from '@/lib/indicators/catalogue';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getActiveDataset } from '@/lib/queries/datasets';
import { getCity } from '@/lib/queries/geography';
import { listGeographyCells, type IndicatorCell } from '@/lib/queries/indicators';
import { parseComparisonFilters } from '@/lib/indicators/filters';
import { benchmarkSentence, readAgainstBenchmark } from '@/lib/indicators/interpretation';
import { BriefingDownloadLink } from '@/components/ui/briefing-download-link';
import { EstimateCell } from '@/components/ui/estimate-cell';
import { CityGapTable } from '@/components/equity/city-gap-table';
import { DisclosureLegend } from '@/components/ui/disclosure-legend';

const paramsSchema = z.object({ code: z.string().regex(/^\d{6}$/) });
export async function generateMetadata({ params }: { params: Promise<{ code: string }> }): Promise<Metadata> {
  const parsed = paramsSchema.safeParse(await params);
  const city = parsed.success ? getCity(parsed.data.code) : undefined;
  if (!city) return {};
  return { title: (await getLocale()) === 'zh' ? city.nameZh : city.nameEn };
}

const searchSchema = z.object({ wave: z.coerce.number().int().min(2000).max(2100).catch(2017).default(2017) });

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
  const { wave } = searchSchema.parse(search);
  // The briefing carries the dashboard's hukou and migration-range filters when the link to this page had them.
  const { hukou, range } = parseComparisonFilters(search);
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = getActiveDataset();
  const city = getCity(parsed.data.code);
  if (!dataset || !city) notFound();
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const cells = listGeographyCells(dataset.id, wave, [
    { level: 'city', code: city.code },
    { level: 'tier', code: city.tier },
    { level: 'national', code: 'CN' },
  ]);
  const find = (level: string, indicator: string, hukou = 'all', range = 'all') =>
    cells.find((c) => c.geoLevel === level && c.indicator === indicator && c.hukou === hukou && c.migrationRange === range);
  const indicators = INDICATORS.filter((i) => cells.some((c) => c.indicator === i.key));
  // Plain-language reading: a difference counts only when the city's and the nation's 95% CIs do not overlap.
  const reading = readAgainstBenchmark(indicators.map((definition) => ({ item: definition, cell: find('city', definition.key), benchmark: find('national', definition.key) })));
  const texts = { primary: t('table.suppressed', { min: env.SUPPRESSION_MIN_N }), secondary: t('disclosure.secondary') };
  const cellText = (cell: IndicatorCell | undefined, kind: 'proportion' | 'mean') => (
    <EstimateCell cell={cell} kind={kind} locale={locale} texts={texts} minN={env.SUPPRESSION_MIN_N} />
  );
  const waves = dataset.waves.map((w) => w.year);
  return (
    <div className="space-y-8">
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
        <nav aria-label={t('filters.wave')} className="flex gap-2 text-sm">
          {waves.map((w) => (
            <a key={w} href={`/cities/${city.code}?${new URLSearchParams({ wave: String(w), ...(hukou !== 'all' ? { hukou } : {}), ...(range !== 'all' ? { range } : {}) })}`} aria-current={w === wave ? 'page' : undefined} className={`rounded border px-3 py-1 ${w === wave ? 'border-accent bg-accent text-white' : 'border-slate-300 bg-white'}`}>
              {w}
            </a>
          ))}
        </nav>
        </div>
      </div>
      {cells.filter((c) => c.geoLevel === 'city').length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">{t('city.noData')}</p>
      ) : (
        <>
          {reading.comparable.length > 0 && (
            <p data-testid="interpretation" className="rounded-lg border-l-4 border-accent bg-white p-4 text-sm leading-relaxed">
              {benchmarkSentence(t, reading, { city: label(city.nameZh, city.nameEn), wave })}
            </p>
          )}
          <section aria-labelledby="peers" className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="profile-table">
              <caption id="peers" className="px-3 py-2 text-left text-lg font-medium">
                {t('city.vsPeers')}
              </caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left">{t('filters.indicator')}</th>
                  <th scope="col" className="px-3 py-2 text-left">{t('city.column.city')}</th>
                  <th scope="col" className="px-3 py-2 text-left">{t('city.column.tier')}</th>
                  <th scope="col" className="px-3 py-2 text-left">{t('city.column.national')}</th>
                </tr>
              </thead>
              <tbody>
                {indicators.map((definition) => (
                  <tr key={definition.key} className="border-t border-slate-100" data-indicator={definition.key}>
                    <th scope="row" className="px-3 py-2 text-left font-normal">
                      {label(definition.labelZh, definition.labelEn)}{' '}
                      <a href={`/trends?${new URLSearchParams({ indicator: definition.key, geo: 'city', code: city.code, hukou, range })}`} title={t('city.trends')} className="text-xs text-accent underline" data-testid={`trend-link-${definition.key}`}>
                        {t('city.trendLink')}
                      </a>
                    </th>
                    <td className="px-3 py-2">{cellText(find('city', definition.key), definition.kind)}</td>
                    <td className="px-3 py-2">{cellText(find('tier', definition.key), definition.kind)}</td>
                    <td className="px-3 py-2">{cellText(find('national', definition.key), definition.kind)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <CityGapTable datasetId={dataset.id} wave={wave} city={city} />
          <section aria-labelledby="groups" className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <caption id="groups" className="px-3 py-2 text-left text-lg font-medium">
                {t('city.byGroup')}
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
                      <td key={h} className="px-3 py-2">{cellText(find('city', definition.key, h, 'all'), definition.kind)}</td>
                    ))}
                    {MIGRATION_RANGE_FILTERS.filter((r) => r !== 'all').map((r) => (
                      <td key={r} className="px-3 py-2">{cellText(find('city', definition.key, 'all', r), definition.kind)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
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
