// The parts every briefing shares: the headline indicators, one table cell's text (suppression included), the facts
// of the filters and the provenance, chart ticks, the methods and findings sections and the footer.
import type { IndicatorDefinition } from '@/lib/indicators/catalogue';
import { INDICATORS } from '@/lib/indicators/catalogue';
import { formatCount, formatEstimate, formatInterval, formatSampleSize } from '@/lib/indicators/format';
import type { Locale, Translator } from '@/lib/i18n/messages';
import { termLabel } from '@/lib/models/term-labels';
import { variableLabel } from '@/lib/models/variables';
import type { BriefingCell, BriefingDataset, BriefingFilters, BriefingFinding, BriefingModel, CellText, FindingsModel, SuppressionTexts } from './briefing-types';

/** The indicators a briefing leads with, in this order, where the wave has them. */
export const HEADLINE_INDICATOR_KEYS = ['integration_index', 'local_identity', 'health_record', 'health_education_any', 'insurance_any'] as const;

/** The headline indicators, limited to those the given cells have (an indicator exists where its wave's data do). */
export function headlineIndicators(cells?: ReadonlyArray<{ indicator: string }>): IndicatorDefinition[] {
  return HEADLINE_INDICATOR_KEYS.map((key) => INDICATORS.find((i) => i.key === key)).filter((i): i is IndicatorDefinition => !!i && (!cells || cells.some((c) => c.indicator === i.key)));
}

/** The three strings of one table cell, or the suppression notice — never a number for a hidden cell: a small one
 * says "n < 30", one hidden to protect another says so and gives no n. Unreliable estimates are in parentheses. */
export function cellText(cell: BriefingCell | undefined, kind: IndicatorDefinition['kind'], locale: Locale, texts: SuppressionTexts): CellText {
  if (!cell) return { estimate: '—', ci: '', n: '', suppressed: false };
  if (cell.suppressed || cell.estimate === null) {
    return cell.status === 'primary' ? { estimate: '—', ci: texts.primary, n: '', suppressed: true } : { estimate: '—', ci: texts.secondary, n: '', suppressed: true };
  }
  const n = `n=${formatSampleSize(cell, locale, texts.minN)}`;
  return { estimate: formatEstimate(cell.estimate, kind, locale, cell.unreliable), ci: `(${formatInterval(cell.ciLow, cell.ciHigh, kind, locale)})`, n, suppressed: false };
}

export const label = (locale: Locale, zh: string, en: string) => (locale === 'zh' ? zh : en);

/** The legend of hidden and flagged cells, under every table of estimates. */
export function disclosureNotes(t: Translator, minN: number): string[] {
  return [t('disclosure.legendPrimary', { min: minN }), t('disclosure.legendSecondary'), t('disclosure.legendUnreliable')];
}
export const toDisplay = (value: number | null, kind: IndicatorDefinition['kind']) => (value === null ? null : kind === 'proportion' ? value * 100 : value);

export function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(date);
}

export function isoDate(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(date);
}

export function filterFacts(t: Translator, filters: BriefingFilters): Array<{ label: string; value: string }> {
  return [
    { label: t('filters.wave'), value: String(filters.wave) },
    { label: t('filters.hukou'), value: t(`hukou.${filters.hukou}`) },
    { label: t('filters.range'), value: t(`range.${filters.range}`) },
  ];
}

export function provenanceFacts(t: Translator, locale: Locale, dataset: BriefingDataset, wave: number, minN: number): Array<{ label: string; value: string }> {
  const waveRow = dataset.waves.find((w) => w.year === wave);
  return [
    // The demonstration data's stored labels are English; say what they are in the reader's language instead.
    { label: t('briefing.dataset'), value: t('briefing.datasetValue', { label: dataset.kind === 'synthetic' ? t('synthetic.short') : dataset.label, date: formatDate(dataset.createdAt, locale) }) },
    ...(waveRow
      ? [{ label: t('briefing.sample'), value: t('briefing.waveSample', { label: waveRow.design === 'national' ? t('wave.national', { year: waveRow.year }) : waveRow.label, n: formatCount(waveRow.respondentCount, locale) }) }]
      : []),
    { label: t('briefing.estimation'), value: t('briefing.estimationText', { min: minN }) },
    { label: t('briefing.preparedWith'), value: t('app.title') },
  ];
}

export function niceTicks(min: number, max: number, unit: string): { domain: [number, number]; ticks: Array<{ value: number; label: string }> } {
  const span = Math.max(max - min, 1e-9);
  const rough = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => span / s <= 6) ?? 10 * magnitude;
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const ticks: Array<{ value: number; label: string }> = [];
  for (let v = low; v <= high + step / 1e6; v += step) {
    const value = Math.round(v * 1e6) / 1e6;
    ticks.push({ value, label: `${Number.isInteger(value) ? value : value.toFixed(1)}${unit}` });
  }
  return { domain: [low, high], ticks };
}

export function methodsSection(t: Translator, locale: Locale, dataset: BriefingDataset, minN: number, indicators: IndicatorDefinition[]): BriefingModel['methods'] {
  return {
    title: t('methodology.title'),
    indicatorsTitle: t('briefing.methodsIndicators'),
    sections: [
      ...(dataset.kind === 'synthetic' ? [{ title: t('briefing.syntheticTitle'), body: `${t('synthetic.banner')} ${t('methodology.data.body')}` }] : [{ title: t('methodology.data.title'), body: t('methodology.data.body') }]),
      { title: t('methodology.definitions.title'), body: t('methodology.definitions.body') },
      { title: t('methodology.ci.title'), body: t('methodology.ci.body') },
      { title: t('methodology.suppression.title'), body: t('methodology.suppression.body', { min: minN }) },
    ],
    indicators: indicators.map((i) => ({
      label: label(locale, i.labelZh, i.labelEn),
      text: t('briefing.indicatorLine', { kind: t(`methodology.kind.${i.kind}`), unit: label(locale, i.unitZh, i.unitEn), waves: dataset.waves.map((w) => w.year).join(', ') }),
    })),
  };
}

export function findingsSection(t: Translator, locale: Locale, findings: BriefingFinding[]): FindingsModel | null {
  if (findings.length === 0) return null;
  const number = (v: number) => v.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const p = (v: number | null) => (v === null ? '—' : v < 0.001 ? '<0.001' : v.toFixed(3));
  return {
    title: t('briefing.findings'),
    lead: t('briefing.findingsLead', { date: formatDate(findings[0]!.createdAt, locale) }),
    header: [t('briefing.findings.term'), t('briefing.findings.estimate'), t('common.ci'), t('briefing.findings.p')],
    models: findings.map((f) => ({
      heading: t('briefing.findings.outcome', { outcome: variableLabel(f.outcome, locale), family: t(f.family === 'binomial' ? 'briefing.family.binomial' : 'briefing.family.gaussian'), n: f.n === null ? '—' : formatCount(f.n, locale) }),
      // The ten terms with the strongest evidence, so a meeting sees what matters without the full table.
      rows: [...f.terms]
        .sort((a, b) => (a.p ?? 1) - (b.p ?? 1) || Math.abs(b.estimate) - Math.abs(a.estimate))
        .slice(0, 10)
        .map((term) => [termLabel(term.term, (id) => variableLabel(id, locale), t as (key: string) => string), number(term.estimate), term.ciLow === null || term.ciHigh === null ? '—' : `${number(term.ciLow)} – ${number(term.ciHigh)}`, p(term.p)]),
      sentence: f.sentence?.[locale] ?? null,
    })),
  };
}

export function footer(t: Translator, dataset: BriefingDataset): BriefingModel['footer'] {
  return {
    notice: dataset.kind === 'synthetic' ? t('briefing.footerSynthetic') : t('briefing.footerSource', { dataset: dataset.label }),
    synthetic: dataset.kind === 'synthetic',
    pageTemplate: t('briefing.page'),
  };
}
