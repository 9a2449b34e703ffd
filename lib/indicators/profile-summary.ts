// The city profile's summary sentence (page and briefing PDF alike): on how many comparable indicators the city is
// clearly above or below the benchmark (95% CIs do not overlap), with counts that read correctly for 0, 1 and many.
// The benchmark is the nation in a national wave and the eight cities' total in the 2014 module.
import type { Translator } from '@/lib/i18n/messages';

/** What a city is read against: the nation, or (2014 eight-city module) the module's total. */
export type ProfileBenchmark = 'national' | 'module';

/** The benchmark's name in a sentence ("the national figure", "the eight-city total"). */
export function benchmarkPhrase(t: Translator, benchmark: ProfileBenchmark): string {
  return t(benchmark === 'module' ? 'city.benchmark.module' : 'city.benchmark.national');
}

/** The benchmark as a place in captions ("against same-tier cities and the nation" / "… and the eight-city total"). */
export function benchmarkNoun(t: Translator, benchmark: ProfileBenchmark): string {
  return t(benchmark === 'module' ? 'city.benchmark.module' : 'city.benchmark.nation');
}

export function profileSummarySentence(
  t: Translator,
  options: { city: string; wave: number; total: number; above: number; below: number; benchmark: ProfileBenchmark },
): string {
  const { city, wave, total, above, below } = options;
  const benchmark = benchmarkPhrase(t, options.benchmark);
  const count = (n: number) => t(n === 1 ? 'city.summary.count.one' : 'city.summary.count.other', { count: n });
  if (above === 0 && below === 0) {
    return total === 1 ? t('city.summary.noneOne', { city, wave, benchmark }) : t('city.summary.none', { city, wave, benchmark, indicators: count(total) });
  }
  const parts = [above > 0 ? t('city.summary.above', { count: count(above), benchmark }) : null, below > 0 ? t('city.summary.below', { count: count(below), benchmark }) : null]
    .filter((part): part is string => part !== null)
    .join(t('city.summary.join'));
  const others = total - above - below;
  const rest = others > 0 ? t('city.summary.rest', { count: count(others), benchmark }) : '';
  return t('city.summary.some', { city, wave, indicators: count(total), parts, rest });
}
