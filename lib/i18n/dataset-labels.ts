// Dataset and wave names in the interface language. The embedded synthetic dataset and its waves have catalogue
// names; an imported dataset keeps the label its administrator gave it (it is theirs, in their language).
import type { Translator } from './messages';

export function datasetDisplayLabel(dataset: { kind: string; label: string }, t: Translator): string {
  return dataset.kind === 'synthetic' ? t('dataset.syntheticLabel') : dataset.label;
}


export function waveDisplayLabel(wave: { year: number; design: string; label: string }, t: Translator): string {
  if (wave.design === 'module_2014_eight_cities') return t('wave.module_2014_eight_cities', { year: wave.year });
  if (wave.design === 'national') return t('wave.national', { year: wave.year });
  return wave.label;
}
