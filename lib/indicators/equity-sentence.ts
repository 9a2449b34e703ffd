// The equity view's plain-language reading of one city's gap, in the interface language: which group is behind, by
// how much with its 95% CI, and the national gap; "no clear difference" when the CI includes no difference.
import type { Translator } from '@/lib/i18n/messages';

export interface SentenceFigure {
  estimate: number;
  low: number;
  high: number;
  clear: boolean;
  scale: { decimals: number };
}

export function equitySentence(
  t: Translator,
  input: {
    view: 'gap' | 'gradient';
    city: string;
    indicator: string;
    unit: string;
    figure: SentenceFigure;
    national: SentenceFigure | null;
    /** The 2014 wave is an eight-city module: its margin is the module's total, not the nation's. */
    moduleWave?: boolean;
    format: (value: number, decimals: number) => string;
  },
): string {
  const { figure, format } = input;
  const d = figure.scale.decimals;
  // A negative gap reads as "lower" with its CI written as positive magnitudes, from the nearer to the farther bound.
  const magnitude = Math.abs(figure.estimate);
  const [low, high] = figure.estimate < 0 ? [-figure.high, -figure.low] : [figure.low, figure.high];
  const national = input.national ? `${format(input.national.estimate, input.national.scale.decimals)} ${input.unit}` : '—';
  const vars = {
    city: input.city,
    indicator: input.indicator,
    unit: input.unit,
    value: format(magnitude, d),
    signed: format(figure.estimate, d),
    ci: `${format(low, d)} ${t('equity.to')} ${format(high, d)}`,
    signedCi: `${format(figure.low, d)} ${t('equity.to')} ${format(figure.high, d)}`,
    national,
    benchmark: t(`equity.benchmark.${input.view}.${input.moduleWave ? 'module' : 'national'}`),
  };
  if (input.view === 'gap') {
    if (!figure.clear) return t('equity.sentence.gapUnclear', vars);
    return t(figure.estimate < 0 ? 'equity.sentence.gapLower' : 'equity.sentence.gapHigher', vars);
  }
  if (!figure.clear) return t('equity.sentence.gradientUnclear', vars);
  return t(figure.estimate > 0 ? 'equity.sentence.gradientFavoursNear' : 'equity.sentence.gradientFavoursFar', vars);
}
