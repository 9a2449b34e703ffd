// The prologue the indicator pages share (comparison and equity): the viewer's permission, the URL's filters parsed and
// the ignored ones named, the wave resolved against the active dataset, the indicator found, and the indicator and
// wave selects (a wave offered only where the indicator has data). Written once so the pages cannot drift apart.
import 'server-only';
import { notFound } from 'next/navigation';
import { requirePagePermission } from '@/lib/auth/session';
import { isModuleWave } from '@/lib/domain';
import { INDICATORS, findIndicator, type IndicatorDefinition } from '@/lib/indicators/catalogue';
import type { Locale, Translator } from '@/lib/i18n/messages';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getActiveDataset, type ActiveDataset } from '@/lib/queries/datasets';
import { listWavesWithIndicator } from '@/lib/queries/indicators';
import { findIgnoredParams, resolveWave, type IgnoredParam } from './ignored-params';

type SearchParams = Record<string, string | string[] | undefined>;

interface PageBasics {
  t: Translator;
  locale: Locale;
  /** URL parameters the page did not accept, for IgnoredParamsNotice. */
  ignored: IgnoredParam[];
  label: (zh: string, en: string) => string;
}

export type IndicatorPage<F extends { wave: number; indicator: string }> =
  | (PageBasics & { dataset: null })
  | (PageBasics & {
      dataset: ActiveDataset;
      /** The parsed filters, the wave resolved to one the dataset holds. */
      filters: F;
      definition: IndicatorDefinition;
      indicatorLabel: string;
      /** The 2014 eight-city module: the benchmark is the eight cities' total, not the nation. */
      moduleWave: boolean;
      /** Waves of the dataset that hold the indicator. */
      availableWaves: number[];
      /** The indicator and wave selects of the filter bar. */
      indicatorFields: Array<{ name: string; label: string; value: string; options: Array<{ value: string; label: string }> }>;
    });

/**
 * Checks the viewer may see the dashboard, then reads the page's filters from the URL with `parse` (the page's zod
 * schema) and names the parameters it ignored. No active dataset: `dataset` is null. An unknown indicator: 404.
 */
export async function openIndicatorPage<F extends { wave: number; indicator: string }>(
  searchParams: Promise<SearchParams>,
  parse: (search: SearchParams) => F,
  paramNames: readonly string[],
): Promise<IndicatorPage<F>> {
  await requirePagePermission('dashboard:view');
  const search = await searchParams;
  const parsed = parse(search);
  const ignored = findIgnoredParams(search, parsed, paramNames);
  const [t, locale] = [await getTranslator(), await getLocale()];
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const dataset = await getActiveDataset();
  if (!dataset) return { t, locale, ignored, label, dataset: null };
  const filters: F = { ...parsed, wave: resolveWave(parsed.wave, dataset.waves.map((w) => w.year), ignored) };
  const definition = findIndicator(filters.indicator);
  if (!definition) notFound();
  const availableWaves = await listWavesWithIndicator(dataset.id, definition.key);
  const waves = dataset.waves.map((w) => w.year).filter((year) => availableWaves.includes(year) || year === filters.wave);
  const indicatorFields = [
    { name: 'indicator', label: t('filters.indicator'), value: filters.indicator, options: INDICATORS.map((i) => ({ value: i.key, label: label(i.labelZh, i.labelEn) })) },
    { name: 'wave', label: t('filters.wave'), value: String(filters.wave), options: (waves.length ? waves : [filters.wave]).map((w) => ({ value: String(w), label: String(w) })) },
  ];
  return {
    t,
    locale,
    ignored,
    label,
    dataset,
    filters,
    definition,
    indicatorLabel: label(definition.labelZh, definition.labelEn),
    moduleWave: isModuleWave(dataset, filters.wave),
    availableWaves,
    indicatorFields,
  };
}
