// The city profile's summary sentence (page and briefing PDF alike): on how many comparable indicators the city is
// clearly above or below the nation (95% CIs do not overlap), with counts that read correctly for 0, 1 and many.
import type { Translator } from '@/lib/i18n/messages';

export function profileSummarySentence(t: Translator, options: { city: string; wave: number; total: number; above: number; below: number }): string {
  const { city, wave, total, above, below } = options;
  const count = (n: number) => t(n === 1 ? 'city.summary.count.one' : 'city.summary.count.other', { count: n });
  if (above === 0 && below === 0) {
    return total === 1 ? t('city.summary.noneOne', { city, wave }) : t('city.summary.none', { city, wave, indicators: count(total) });
  }
  const parts = [above > 0 ? t('city.summary.above', { count: count(above) }) : null, below > 0 ? t('city.summary.below', { count: count(below) }) : null]
    .filter((part): part is string => part !== null)
    .join(t('city.summary.join'));
  const others = total - above - below;
  const rest = others > 0 ? t('city.summary.rest', { count: count(others) }) : '';
  return t('city.summary.some', { city, wave, indicators: count(total), parts, rest });
}
