// The plain-language readings a page and its briefing PDF share, written once so that they cannot drift apart: when
// a difference counts (two 95% CIs that do not overlap), how a city reads against the nation across indicators, and
// the comparison sentence (highest and lowest city, the benchmark, whether their intervals overlap).
import type { HukouFilter, MigrationRangeFilter } from '@/lib/domain';
import type { Locale, MessageKey, Translator } from '@/lib/i18n/messages';
import type { IndicatorDefinition } from './catalogue';
import { profileSummarySentence, type ProfileBenchmark } from './profile-summary';
import { formatEstimate, formatInterval, formatSampleSize } from './format';

/** The fields of a published cell (lib/disclosure/publish.ts) that a reading uses. */
export interface ReadableCell {
  suppressed: boolean;
  unreliable: boolean;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number | null;
  nBand: 'under_min' | null;
}

/** A cell shown with its estimate and interval: the only kind a reading may compare. */
export type ShownCell<C extends ReadableCell = ReadableCell> = C & { estimate: number; ciLow: number; ciHigh: number };

export function isShown<C extends ReadableCell>(cell: C | undefined | null): cell is ShownCell<C> {
  return !!cell && !cell.suppressed && cell.estimate !== null && cell.ciLow !== null && cell.ciHigh !== null;
}

/**
 * Where a's 95% CI lies against b's: 'above' when wholly above it, 'below' when wholly below, otherwise 'overlap' (the
 * difference may be sampling error). The dashboard calls a difference clear only when the intervals do not overlap.
 */
export function ciRelation(a: ShownCell, b: ShownCell): 'above' | 'below' | 'overlap' {
  if (a.ciLow > b.ciHigh) return 'above';
  if (a.ciHigh < b.ciLow) return 'below';
  return 'overlap';
}

export interface BenchmarkPair<T, C extends ReadableCell> {
  item: T;
  cell: ShownCell<C>;
  benchmark: ShownCell<C>;
}

export interface BenchmarkReading<T, C extends ReadableCell> {
  /** Items where both cells are shown with an interval. */
  comparable: BenchmarkPair<T, C>[];
  above: BenchmarkPair<T, C>[];
  below: BenchmarkPair<T, C>[];
}

/** Reads a geography's cells against a benchmark's (a city against the nation), item by item (indicators). */
export function readAgainstBenchmark<T, C extends ReadableCell>(items: ReadonlyArray<{ item: T; cell: C | undefined; benchmark: C | undefined }>): BenchmarkReading<T, C> {
  const comparable: BenchmarkPair<T, C>[] = [];
  for (const { item, cell, benchmark } of items) if (isShown(cell) && isShown(benchmark)) comparable.push({ item, cell, benchmark });
  return {
    comparable,
    above: comparable.filter((p) => ciRelation(p.cell, p.benchmark) === 'above'),
    below: comparable.filter((p) => ciRelation(p.cell, p.benchmark) === 'below'),
  };
}

/**
 * The city profile's summary of a reading (wording: profile-summary.ts): clearly above / below the benchmark (the
 * nation, or the eight cities' total in the 2014 module) on how many indicators.
 */
export function benchmarkSentence(t: Translator, reading: BenchmarkReading<unknown, ReadableCell>, args: { city: string; wave: number; benchmark: ProfileBenchmark }): string {
  return profileSummarySentence(t, { city: args.city, wave: args.wave, benchmark: args.benchmark, total: reading.comparable.length, above: reading.above.length, below: reading.below.length });
}

/** One cell as the sentences quote it: "estimate (low–high), n=…"; unreliable estimates in parentheses. */
export function cellPhrase(cell: ReadableCell, kind: IndicatorDefinition['kind'], locale: Locale, minN: number): string {
  return `${formatEstimate(cell.estimate, kind, locale, cell.unreliable)} (${formatInterval(cell.ciLow, cell.ciHigh, kind, locale)}), n=${formatSampleSize(cell, locale, minN)}`;
}

export interface ComparisonSentenceInput {
  /** The filters in words ("2017, rural hukou, inter-provincial"). */
  filters: string;
  indicator: string;
  kind: IndicatorDefinition['kind'];
  /** The cities in ranking order (highest first), each with its name in the reader's language. */
  ranked: ReadonlyArray<{ name: string; cell: ReadableCell | undefined }>;
  /** "National" or, for the eight-city module, the module's total. */
  benchmarkLabel: string;
  benchmark: ReadableCell | undefined;
  minN: number;
}

/**
 * The comparison sentence: the highest and the lowest shown city with their estimates, the benchmark's figure, and
 * whether the two cities' intervals overlap. Null with fewer than two shown cities.
 */
export function comparisonSentence(t: Translator, locale: Locale, input: ComparisonSentenceInput): string | null {
  const shown = input.ranked.flatMap((r) => (isShown(r.cell) ? [{ name: r.name, cell: r.cell }] : []));
  const top = shown[0];
  const bottom = shown[shown.length - 1];
  if (!top || !bottom || top === bottom) return null;
  const phrase = (cell: ReadableCell) => cellPhrase(cell, input.kind, locale, input.minN);
  return t('compare.interpretation', {
    filters: input.filters,
    indicator: input.indicator,
    top: top.name,
    topValue: phrase(top.cell),
    bottom: bottom.name,
    bottomValue: phrase(bottom.cell),
    benchmark: locale === 'zh' ? input.benchmarkLabel : input.benchmarkLabel.toLowerCase(),
    national: input.benchmark && input.benchmark.estimate !== null ? phrase(input.benchmark) : '—',
    overlap: ciRelation(bottom.cell, top.cell) === 'below' ? t('compare.interpretationOverlap') : t('compare.interpretationNoOverlap'),
  });
}

/** The comparison's filters in words, as the page and its briefing both say them: "2017, rural hukou, inter-provincial". */
export function filterWords(
  t: Translator,
  locale: Locale,
  filters: { wave: number; hukou: HukouFilter; range: MigrationRangeFilter; region?: string | null; tier?: string | null },
): string {
  return [
    t('compare.waveLabel', { wave: filters.wave }),
    t(`hukou.${filters.hukou}`),
    t(`range.${filters.range}`),
    filters.region ? t(`region.${filters.region}` as MessageKey) : null,
    filters.tier ? t(`tier.${filters.tier}` as MessageKey) : null,
  ]
    .filter(Boolean)
    .join(locale === 'zh' ? '、' : ', ');
}
