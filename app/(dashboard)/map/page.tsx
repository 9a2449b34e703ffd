import { EmptyState } from '@/components/ui/empty-state';
import { ComparisonFilters } from '@/components/filters/comparison-filters';
import { MapLegend, ProvinceTileMap, type MapDot, type MapTile } from '@/components/map/province-tile-map';
import { MapTable, type MapTableRow } from '@/components/map/map-table';
import { requirePagePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { CITY_TIERS, HUKOU_FILTERS, INDICATORS, MIGRATION_RANGE_FILTERS, REGIONS, findIndicator } from '@/lib/indicators/catalogue';
import { formatBand, formatCount, formatInterval, formatValue } from '@/lib/indicators/format';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { colourScale } from '@/lib/map/colour-classes';
import { MAP_LAYERS, mapQuery, parseMapFilters } from '@/lib/map/filters';
import { cityProfileHref } from '@/lib/url/profile-href';
import { findIgnoredParams, resolveWave } from '@/lib/url/ignored-params';
import { IgnoredParamsNotice } from '@/components/ui/ignored-params-notice';
import { PROVINCE_TILES, UNSURVEYED_NAMES_EN } from '@/lib/map/province-tiles';
import { getActiveDataset } from '@/lib/queries/datasets';
import { listWavesWithIndicator } from '@/lib/queries/indicators';
import { listCityMapCells, listProvinceMapCells, type MapCell } from '@/lib/queries/map';
import { pageMetadata } from '@/lib/i18n/page-metadata';
import { Downloadable } from '@/components/ui/downloadable';
import { downloadFileBase, provenanceFor } from '@/lib/export/provenance';

export const generateMetadata = pageMetadata('page.map');

export default async function MapPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePagePermission('dashboard:view');
  const search = await searchParams;
  const parsedFilters = parseMapFilters(search);
  const ignored = findIgnoredParams(search, parsedFilters, ['indicator', 'wave', 'hukou', 'range', 'region', 'tier', 'layer', 'province']);
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDataset();
  if (!dataset) return <EmptyState text={t('common.noDataset')} />;
  const filters = { ...parsedFilters, wave: resolveWave(parsedFilters.wave, dataset.waves.map((w) => w.year), ignored) };
  const definition = findIndicator(filters.indicator) ?? INDICATORS[0]!;
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const indicatorLabel = label(definition.labelZh, definition.labelEn);
  const query = { datasetId: dataset.id, wave: filters.wave, indicator: definition.key, hukou: filters.hukou, migrationRange: filters.range, tier: filters.tier };
  const provinceCells = await listProvinceMapCells(query);
  const cityCells = await listCityMapCells(query);
  // Provinces are published where they reveal no suppressed city (lib/disclosure: a province with exactly one hidden city
  // is hidden itself). A database computed before provinces were published has none: the cities then carry the map.
  // Some hidden provinces are shown as a range instead (partial suppression): the range's midpoint places it on the scale.
  const provincesPublished = provinceCells.some((c) => !c.suppressed || c.band !== null);
  const midpoint = (c: MapCell) => (c.band ? (c.band[0] + c.band[1]) / 2 : null);
  const shownValues = (filters.layer === 'city' || !provincesPublished ? cityCells : provinceCells).flatMap((c) => (!c.suppressed && c.estimate !== null ? [c.estimate] : c.band ? [midpoint(c) as number] : []));
  const scale = colourScale(shownValues);
  const value = (v: number | null) => formatValue(v, definition.kind, locale);
  const suppressedText = t('table.suppressed', { min: env.SUPPRESSION_MIN_N });
  const describe = (name: string, cell: MapCell | undefined) =>
    !cell
      ? `${name}: ${t('map.noData')}`
      : cell.code.length === 2 && !provincesPublished
        ? `${name}: ${t('map.provinceNotPublished')}`
        : cell.band
          ? `${name}: ${formatBand(cell.band, definition.kind, locale)} (${t('map.provinceRange')})`
          : cell.suppressed
          ? `${name}: ${cell.hiddenBecause === 'small' ? suppressedText : cell.code.length === 2 ? t('map.provinceProtects') : t('disclosure.secondary')}`
          : `${name}: ${value(cell.estimate)} (${formatInterval(cell.ciLow, cell.ciHigh, definition.kind, locale)}), n=${formatCount(cell.n ?? 0, locale)}`;
  const maxN = Math.max(1, ...cityCells.map((c) => c.n ?? 0));

  const tiles: MapTile[] = PROVINCE_TILES.map((tile) => {
    const cell = provinceCells.find((c) => c.code === tile.code);
    const name = cell ? label(cell.nameZh, cell.nameEn) : label(tile.shortZh, UNSURVEYED_NAMES_EN[tile.code] ?? tile.iso);
    if (!tile.surveyed) {
      return { code: tile.code, column: tile.column, row: tile.row, label: label(tile.shortZh, tile.iso), valueText: null, description: `${name}: ${t('map.notSurveyed')}`, href: null, classIndex: null, state: 'not_surveyed', selected: false, dimmed: false, dots: null };
    }
    const selected = filters.province === tile.code;
    const dots: MapDot[] = cityCells
      .filter((c) => c.provinceCode === tile.code)
      .map((c) => ({
        code: c.code,
        href: cityProfileHref(c.code, filters),
        description: describe(label(c.nameZh, c.nameEn), c),
        classIndex: c.suppressed || c.estimate === null || !scale ? null : scale.classOf(c.estimate),
        suppressed: c.suppressed,
        // Area proportional to n (8–30% of the tile across); suppressed dots all take the smallest size.
        size: c.suppressed || c.n === null ? 8 : Math.round(8 + 22 * Math.sqrt(c.n / maxN)),
      }));
    return {
      code: tile.code,
      column: tile.column,
      row: tile.row,
      label: label(tile.shortZh, tile.iso),
      valueText: cell && !cell.suppressed ? value(cell.estimate) : cell?.band ? formatBand(cell.band, definition.kind, locale) : null,
      description: describe(name, cell),
      href: `/map?${mapQuery(filters, { province: selected ? null : tile.code })}`,
      classIndex: cell && !cell.suppressed && cell.estimate !== null && scale ? scale.classOf(cell.estimate) : null,
      // The classes a range spans (a range may straddle a class break; the tile then shows both colours).
      classRange: cell?.band && scale ? [scale.classOf(cell.band[0] + 1e-9), scale.classOf(cell.band[1] - 1e-9)] : null,
      state: !cell || !provincesPublished ? 'no_data' : cell.band ? 'range' : cell.suppressed ? 'suppressed' : 'shown',
      selected,
      dimmed: filters.region !== null && cell !== undefined && cell.region !== filters.region,
      // The open province shows its cities as dots in the province layer too.
      dots: filters.layer === 'city' || !provincesPublished || selected ? dots : null,
    };
  });

  const legendItems = scale ? scale.breaks.slice(0, -1).map((low, i) => `${value(low)}–${value(scale.breaks[i + 1]!)}`) : [];
  const openProvince = filters.province ? provinceCells.find((c) => c.code === filters.province) : undefined;
  const rowOf = (cell: MapCell, href: string | null, selected = false): MapTableRow => ({
    key: cell.code,
    name: label(cell.nameZh, cell.nameEn),
    href,
    estimateText: cell.suppressed ? null : value(cell.estimate),
    rangeText: cell.band ? formatBand(cell.band, definition.kind, locale) : null,
    ciText: cell.suppressed ? null : formatInterval(cell.ciLow, cell.ciHigh, definition.kind, locale),
    nText: cell.n === null ? null : formatCount(cell.n, locale),
    suppressed: cell.suppressed,
    hiddenText: cell.band ? t('map.rangeShort') : cell.hiddenBecause === 'small' ? suppressedText : cell.code.length === 2 ? t('map.provinceProtects') : t('disclosure.secondary'),
    selected,
  });
  const tableRows = openProvince || !provincesPublished
    ? cityCells
        .filter((c) => (openProvince ? c.provinceCode === openProvince.code : !filters.region || c.region === filters.region))
        .sort((a, b) => (b.estimate ?? -Infinity) - (a.estimate ?? -Infinity) || a.code.localeCompare(b.code))
        .map((c) => rowOf(c, cityProfileHref(c.code, filters)))
    : provinceCells
        .filter((c) => !filters.region || c.region === filters.region)
        .sort((a, b) => (b.estimate ?? midpoint(b) ?? -Infinity) - (a.estimate ?? midpoint(a) ?? -Infinity) || a.code.localeCompare(b.code))
        .map((c) => rowOf(c, `/map?${mapQuery(filters, { province: c.code })}`));

  const waves = dataset.waves.map((w) => w.year);
  const fields = [
    { name: 'indicator', label: t('filters.indicator'), value: definition.key, options: INDICATORS.map((i) => ({ value: i.key, label: label(i.labelZh, i.labelEn) })) },
    { name: 'wave', label: t('filters.wave'), value: String(filters.wave), options: (waves.includes(filters.wave) ? waves : [...waves, filters.wave]).map((w) => ({ value: String(w), label: String(w) })) },
    { name: 'hukou', label: t('filters.hukou'), value: filters.hukou, options: HUKOU_FILTERS.map((h) => ({ value: h, label: t(`hukou.${h}`) })) },
    { name: 'range', label: t('filters.range'), value: filters.range, options: MIGRATION_RANGE_FILTERS.map((r) => ({ value: r, label: t(`range.${r}`) })) },
    { name: 'region', label: t('filters.region'), value: filters.region ?? '', options: [{ value: '', label: t('filters.all') }, ...REGIONS.map((r) => ({ value: r, label: t(`region.${r}`) }))] },
    { name: 'tier', label: t('filters.tier'), value: filters.tier ?? '', options: [{ value: '', label: t('filters.all') }, ...CITY_TIERS.map((x) => ({ value: x, label: t(`tier.${x}`) }))] },
    { name: 'layer', label: t('map.layer'), value: filters.layer, options: MAP_LAYERS.map((l) => ({ value: l, label: t(`map.layer.${l}`) })) },
  ];
  const filterText = [t('compare.waveLabel', { wave: filters.wave }), t(`hukou.${filters.hukou}`), t(`range.${filters.range}`), filters.region ? t(`region.${filters.region}`) : null, filters.tier ? t(`tier.${filters.tier}`) : null]
    .filter(Boolean)
    .join(locale === 'zh' ? '、' : ', ');
  const provenance = provenanceFor(
    {
      dataset,
      wave: filters.wave,
      filters: [indicatorLabel, t(`hukou.${filters.hukou}`), t(`range.${filters.range}`), ...(filters.region ? [t(`region.${filters.region}`)] : []), ...(filters.tier ? [t(`tier.${filters.tier}`)] : []), t(`map.layer.${filters.layer}`), ...(openProvince ? [label(openProvince.nameZh, openProvince.nameEn)] : [])],
      minN: env.SUPPRESSION_MIN_N,
      page: `/map?${mapQuery(filters, {})}`,
    },
    t,
    locale,
  );
  const fileBase = downloadFileBase(['map', definition.key, filters.wave, filters.hukou, filters.range, filters.region, filters.tier, filters.layer, openProvince?.code]);
  const mapTitle = t('map.mapLabel', { indicator: indicatorLabel });
  const mapTableCaption = openProvince
    ? t('map.cityTable', { province: label(openProvince.nameZh, openProvince.nameEn), indicator: indicatorLabel })
    : provincesPublished
      ? t('map.provinceTable', { indicator: indicatorLabel })
      : t('map.allCitiesTable', { indicator: indicatorLabel });
  const tableLabels = { name: openProvince || !provincesPublished ? t('table.city') : t('table.province'), estimate: t('table.estimate'), ci: t('table.ci'), n: t('table.n'), suppressed: suppressedText };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('map.title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('map.lead')}</p>
      </div>
      <IgnoredParamsNotice ignored={ignored} t={t} locale={locale} />
      <ComparisonFilters fields={fields} loadingLabel={t('common.loading')} />
      {!provincesPublished && provinceCells.length > 0 ? (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="map-provinces-unpublished">
          {t('map.provincesNotPublished')}
        </p>
      ) : null}
      <p className="text-sm" data-testid="map-heading">
        <span className="font-medium">{indicatorLabel}</span> · {filterText}
      </p>
      {provinceCells.length === 0 ? (
        <EmptyState text={t('compare.emptyWave', { indicator: indicatorLabel, wave: filters.wave, waves: (await listWavesWithIndicator(dataset.id, definition.key)).join(', ') })} />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,640px)_minmax(0,1fr)]">
          <div className="space-y-3">
            <Downloadable id="map-figure" kind="chart" testId="chart-download" title={`${mapTitle} · ${filterText}`} fileBase={fileBase} provenance={provenance} t={t}>
            <ProvinceTileMap tiles={tiles} title={mapTitle} />
            <MapLegend
              title={t('map.legend', { indicator: indicatorLabel })}
              items={legendItems}
              suppressedLabel={t('map.legendHidden', { min: env.SUPPRESSION_MIN_N })}
              rangeLabel={tiles.some((tile) => tile.state === 'range') ? t('map.legendRange') : null}
              noDataLabel={t('map.noData')}
              notSurveyedLabel={t('map.notSurveyed')}
              dotNote={filters.layer === 'city' ? t('map.dotNote') : filters.tier ? t('map.tierNote') : null}
            />
            </Downloadable>
            <p className="text-xs text-slate-500">{t('map.layoutNote')}</p>
          </div>
          <div className="space-y-2">
            {openProvince && (
              <a href={`/map?${mapQuery(filters, { province: null })}`} className="text-sm text-accent underline" data-testid="map-close-province">
                {t('map.allProvinces')}
              </a>
            )}
            <Downloadable id="map-table" kind="table" testId="table-download" title={mapTableCaption} fileBase={fileBase} provenance={provenance} t={t}>
            <MapTable caption={mapTableCaption} rows={tableRows} labels={tableLabels} />
            </Downloadable>
            {openProvince && tableRows.length === 0 && <p className="text-sm text-slate-600">{t('map.noCities')}</p>}
          </div>
        </div>
      )}
    </div>
  );
}
