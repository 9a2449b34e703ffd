// Gathers what a briefing needs from the query layer and turns it into a BriefingModel (plain data, all strings
// formatted). Runs on the request thread: a handful of indexed SQLite reads; the layout happens in the render worker.
import 'server-only';
import { env } from '@/lib/env';
import { findIndicator, type HukouFilter, type MigrationRangeFilter } from '@/lib/indicators/catalogue';
import type { Locale } from '@/lib/i18n/messages';
import { getActiveDataset } from '@/lib/queries/datasets';
import { getCity } from '@/lib/queries/geography';
import { getIndicatorCell, listCityRanking, listGeographyCells, type CityRankingRow } from '@/lib/queries/indicators';
import { listModelFindings } from '@/lib/queries/model-findings';
import { getEquityFigure } from '@/lib/queries/equity';
import { buildCityBriefing, buildComparisonBriefing, headlineIndicators, type BriefingModel } from './briefing-model';

export interface CityBriefingRequest {
  cityCode: string;
  wave: number;
  hukou: HukouFilter;
  range: MigrationRangeFilter;
  locale: Locale;
  date: Date;
}

export type PreparedBriefing = { ok: true; model: BriefingModel; fileStem: { ascii: string; unicode: string } } | { ok: false; reason: 'no-dataset' | 'unknown-city' | 'no-data' };

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export async function prepareCityBriefing(request: CityBriefingRequest): Promise<PreparedBriefing> {
  const dataset = await getActiveDataset();
  if (!dataset) return { ok: false, reason: 'no-dataset' };
  const city = await getCity(request.cityCode);
  if (!city) return { ok: false, reason: 'unknown-city' };
  if (!dataset.waves.some((w) => w.year === request.wave)) return { ok: false, reason: 'no-data' };
  const cells = await listGeographyCells(dataset.id, request.wave, [
    { level: 'city', code: city.code },
    { level: 'tier', code: city.tier },
    { level: 'national', code: 'CN' },
  ]);
  if (!cells.some((c) => c.geoLevel === 'city')) return { ok: false, reason: 'no-data' };
  const findings = await listModelFindings(dataset.id, { wave: request.wave, hukou: request.hukou, range: request.range, cityCode: city.code });
  // The equity section: each headline indicator's hukou gap within the briefing's migration range.
  const gaps = await Promise.all(
    headlineIndicators(cells).map(async (definition) => {
      const selection = { datasetId: dataset.id, wave: request.wave, indicator: definition.key, kind: definition.kind, family: 'hukou_gap' as const, measure: 'D' as const, hukou: 'all' as const, migrationRange: request.range };
      return {
        indicator: definition.key,
        city: await getEquityFigure(selection, 'city', city.code),
        tier: await getEquityFigure(selection, 'tier', city.tier),
        national: await getEquityFigure(selection, 'national', 'CN'),
      };
    }),
  );
  const model = buildCityBriefing({
    locale: request.locale,
    date: request.date,
    minN: env.SUPPRESSION_MIN_N,
    dataset,
    city,
    filters: { wave: request.wave, hukou: request.hukou, range: request.range },
    cells,
    findings,
    gaps,
  });
  const parts = [request.wave, request.hukou, request.range, request.locale, model.date];
  return {
    ok: true,
    model,
    fileStem: {
      ascii: ['briefing', slug(city.nameEn), city.code, ...parts].join('-'),
      unicode: [request.locale === 'zh' ? `${city.nameZh}简报` : `${city.nameEn} briefing`, city.code, ...parts].join('-'),
    },
  };
}

export interface ComparisonBriefingRequest {
  indicator: string;
  wave: number;
  hukou: HukouFilter;
  range: MigrationRangeFilter;
  region: string | null;
  tier: string | null;
  cityCodes: string[] | null;
  locale: Locale;
  date: Date;
}

export async function prepareComparisonBriefing(request: ComparisonBriefingRequest): Promise<PreparedBriefing> {
  const dataset = await getActiveDataset();
  if (!dataset) return { ok: false, reason: 'no-dataset' };
  if (!findIndicator(request.indicator)) return { ok: false, reason: 'no-data' };
  const rankingOf = (indicator: string) =>
    listCityRanking({ datasetId: dataset.id, wave: request.wave, indicator, hukou: request.hukou, migrationRange: request.range, region: request.region, tier: request.tier });
  let ranking: CityRankingRow[] = await rankingOf(request.indicator);
  if (request.cityCodes) {
    const known = await Promise.all(request.cityCodes.map((code) => getCity(code)));
    const unknown = request.cityCodes.filter((_, j) => !known[j]);
    if (unknown.length) return { ok: false, reason: 'unknown-city' };
    ranking = ranking.filter((r) => request.cityCodes!.includes(r.cityCode));
  }
  if (ranking.length === 0) return { ok: false, reason: 'no-data' };
  const codes = new Set(ranking.map((r) => r.cityCode));
  const indicatorKeys = [...new Set([request.indicator, ...headlineIndicators().map((d) => d.key)])];
  const perIndicator = await Promise.all(
    indicatorKeys.map(async (key) => [
      ...(key === request.indicator ? ranking : (await rankingOf(key)).filter((r) => codes.has(r.cityCode))),
      ...[await getIndicatorCell(dataset.id, request.wave, 'national', 'CN', key, request.hukou, request.range)].filter((c) => c !== null),
    ]),
  );
  const cells = perIndicator.flat();
  const model = buildComparisonBriefing({
    locale: request.locale,
    date: request.date,
    minN: env.SUPPRESSION_MIN_N,
    dataset,
    filters: { indicator: request.indicator, wave: request.wave, hukou: request.hukou, range: request.range, region: request.region, tier: request.tier },
    cities: ranking.map((r) => ({ code: r.cityCode, nameZh: r.nameZh, nameEn: r.nameEn, provinceZh: r.provinceZh, provinceEn: r.provinceEn, tier: r.tier })),
    cells,
    // Only preset runs on exactly these filters; a hand-picked list of cities has no such run.
    findings: request.cityCodes ? [] : await listModelFindings(dataset.id, { wave: request.wave, hukou: request.hukou, range: request.range, region: request.region, tier: request.tier }),
  });
  const parts = [request.indicator, request.wave, request.hukou, request.range, request.locale, model.date];
  return {
    ok: true,
    model,
    fileStem: {
      ascii: ['briefing-comparison', ...parts].join('-'),
      unicode: [request.locale === 'zh' ? '城市比较简报' : 'city comparison briefing', ...parts].join('-'),
    },
  };
}
