// The city profile's equity section: each indicator's hukou gap (rural − urban, all migration ranges) in the city,
// its tier and the nation, with 95% CIs. A server component: the figures come rounded from the query layer.
import { INDICATORS, type IndicatorDefinition, type MigrationRangeFilter } from '@/lib/indicators/catalogue';
import { formatNumber, formatRange } from '@/lib/indicators/equity-format';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { benchmarkNoun } from '@/lib/indicators/profile-summary';
import { getEquityFigure, type EquityFigure } from '@/lib/queries/equity';
import { listWavesWithIndicator } from '@/lib/queries/indicators';
import type { CityInfo } from '@/lib/queries/geography';

export type CityGapRow = { definition: IndicatorDefinition; city: EquityFigure | null; tier: EquityFigure | null; national: EquityFigure | null };

/**
 * The rows of the table, or null when the city has no gap figure in this wave (the 2014 module's waves, a city too
 * small for every gap): the page then leaves the table and its download button out. The gap is rural − urban, so it
 * follows the profile's migration-range filter only (hukou is what it compares).
 */
export async function loadCityGapRows(datasetId: number, wave: number, city: CityInfo, range: MigrationRangeFilter = 'all'): Promise<CityGapRow[] | null> {
  const inWave = await Promise.all(INDICATORS.map(async (i) => (await listWavesWithIndicator(datasetId, i.key)).includes(wave)));
  const rows = await Promise.all(
    INDICATORS.filter((_, j) => inWave[j]).map(async (definition) => {
      const selection = { datasetId, wave, indicator: definition.key, kind: definition.kind, family: 'hukou_gap' as const, measure: 'D' as const, hukou: 'all' as const, migrationRange: range };
      return {
        definition,
        city: await getEquityFigure(selection, 'city', city.code),
        tier: await getEquityFigure(selection, 'tier', city.tier),
        national: await getEquityFigure(selection, 'national', 'CN'),
      };
    }),
  );
  return rows.some((r) => r.city !== null) ? rows : null;
}

export async function CityGapTable({
  rows,
  wave,
  city,
  range = 'all',
  moduleWave = false,
}: {
  rows: CityGapRow[];
  wave: number;
  city: CityInfo;
  range?: MigrationRangeFilter;
  /** The 2014 eight-city module: the benchmark is the eight cities' total, not the nation. */
  moduleWave?: boolean;
}) {
  const [t, locale] = [await getTranslator(), await getLocale()];
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const benchmarkColumn = t(moduleWave ? 'city.column.module' : 'city.column.national');
  const text = (f: EquityFigure | null) =>
    f ? (
      <span className="tabular-nums">
        {formatNumber(f.estimate, f.scale.decimals, locale)}{' '}
        <span className="text-slate-500">
          ({formatRange(f.low, f.high, f.scale.decimals, locale)})
        </span>
        {!f.clear && <span className="ml-1 text-xs text-slate-500">· {t('equity.noClearDifference')}</span>}
      </span>
    ) : (
      <span className="italic text-slate-500">{t('equity.notShown')}</span>
    );
  return (
    <section aria-labelledby="gaps" tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white" data-testid="city-gaps">
      <table className="stack-table w-full text-sm">
        <caption id="gaps" className="px-3 py-2 text-left text-lg font-medium">
          {t('city.gaps', { benchmark: benchmarkNoun(t, moduleWave ? 'module' : 'national') })}
          {range !== 'all' && <span className="ml-2 text-sm font-normal text-slate-600">({t(`range.${range}`)})</span>}
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
          {rows.map((r) => (
            <tr key={r.definition.key} className="border-t border-slate-100" data-indicator={r.definition.key}>
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <a href={`/equity?${new URLSearchParams({ indicator: r.definition.key, wave: String(wave), city: city.code, range })}`} className="hover:underline">
                  {label(r.definition.labelZh, r.definition.labelEn)}
                </a>
              </th>
              <td className="px-3 py-2" data-label={t('city.column.city')}>{text(r.city)}</td>
              <td className="px-3 py-2" data-label={t('city.column.tier')}>{text(r.tier)}</td>
              <td className="px-3 py-2" data-label={benchmarkColumn}>{text(r.national)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="px-3 pb-3 text-xs text-slate-500">{t('city.gaps.note')}</p>
    </section>
  );
}
