// What a briefing PDF says, as plain data with every string already translated and formatted: built on the request
// thread from query results, then handed (structured-cloned) to the render worker, which only lays it out.
// Numbers go through lib/indicators/format.ts, so the PDF prints exactly what the dashboard pages print.
import { variableLabel } from '@/lib/models/variables';
import type { IndicatorCell } from '@/lib/queries/indicators';
import { HUKOU_TYPES, MIGRATION_RANGES, type HukouFilter, type MigrationRangeFilter } from '@/lib/domain';
import { INDICATORS, type IndicatorDefinition } from '@/lib/indicators/catalogue';
import { formatCount, formatEstimate, formatInterval, formatSampleSize, formatValue } from '@/lib/indicators/format';
import { translator, type Locale, type MessageKey, type Translator } from '@/lib/i18n/messages';

/** The indicators a briefing leads with, in this order, where the wave has them. */
export const HEADLINE_INDICATOR_KEYS = ['integration_index', 'local_identity', 'health_record', 'health_education_any', 'insurance_any'] as const;

export interface CellText {
  estimate: string;
  ci: string;
  n: string;
  suppressed: boolean;
}

export interface TableModel {
  caption: string;
  lead?: string;
  header: string[];
  rows: Array<{ label: string; sublabel?: string; cells: CellText[] }>;
  notes: string[];
}

export interface ChartRow {
  label: string;
  /** Display units (percent or index points), null when suppressed or missing. */
  estimate: number | null;
  low: number | null;
  high: number | null;
  valueText: string;
  tone: 'primary' | 'secondary' | 'muted';
}

export interface ChartModel {
  title: string;
  axisLabel: string;
  domain: [number, number];
  ticks: Array<{ value: number; label: string }>;
  groups: Array<{ label: string | null; rows: ChartRow[] }>;
  benchmark: { value: number; label: string } | null;
  legend: Array<{ label: string; tone: ChartRow['tone'] }>;
  note: string;
}

export interface FindingsModel {
  title: string;
  lead: string;
  header: string[];
  models: Array<{ heading: string; rows: string[][]; sentence: string | null }>;
}

export interface BriefingModel {
  locale: Locale;
  /** ISO date of the briefing (the cover's date and the PDF's creation date, so the same inputs give the same bytes). */
  date: string;
  meta: { title: string; subject: string; author: string; keywords: string };
  cover: {
    eyebrow: string;
    title: string;
    subtitle: string;
    facts: Array<{ label: string; value: string }>;
    summaryTitle: string;
    summary: string[];
  };
  headline: TableModel;
  chart: ChartModel;
  breakdown: TableModel | null;
  /** City briefings: the hukou gaps against tier and nation (issue 14). */
  equity?: TableModel | null;
  findings: FindingsModel | null;
  methods: { title: string; indicatorsTitle: string; sections: Array<{ title: string; body: string }>; indicators: Array<{ label: string; text: string }> };
  footer: { notice: string; synthetic: boolean; pageTemplate: string };
}

/** The query results a city briefing is made from (see lib/pdf/prepare-briefing.ts). */
export type BriefingCell = Pick<IndicatorCell, 'indicator' | 'geoLevel' | 'geoCode' | 'hukou' | 'migrationRange' | 'n' | 'nBand' | 'estimate' | 'ciLow' | 'ciHigh' | 'suppressed' | 'status' | 'unreliable'>;

/** What a hidden cell says: too few respondents (with the threshold), or protecting another cell. */
export interface SuppressionTexts {
  primary: string;
  secondary: string;
  minN: number;
}

export interface BriefingDataset {
  label: string;
  kind: 'synthetic' | 'imported';
  createdAt: Date;
  waves: Array<{ year: number; label: string; design: string; respondentCount: number }>;
}

export interface BriefingCity {
  code: string;
  nameZh: string;
  nameEn: string;
  provinceZh: string;
  provinceEn: string;
  tier: string;
}

export interface BriefingFinding {
  createdAt: Date;
  outcome: string;
  family: string;
  n: number | null;
  terms: Array<{ term: string; estimate: number; ciLow: number | null; ciHigh: number | null; p: number | null }>;
  /** The model page's plain-language sentence, when the finding came from it. */
  sentence?: { zh: string; en: string } | null;
}

export interface BriefingFilters {
  wave: number;
  hukou: HukouFilter;
  range: MigrationRangeFilter;
}

export interface CityBriefingInput {
  locale: Locale;
  date: Date;
  minN: number;
  dataset: BriefingDataset;
  city: BriefingCity;
  filters: BriefingFilters;
  /** The city's, its tier's and the nation's cells of the wave (every hukou × range split). */
  cells: BriefingCell[];
  findings: BriefingFinding[];
  /** Hukou gaps (rural − urban) of the headline indicators in the city, its tier and the nation, rounded for display. */
  gaps?: BriefingGap[];
}

/** A gap on its display scale (percentage points for proportions), rounded on the server; null when not shown. */
export interface BriefingGapFigure {
  estimate: number;
  low: number;
  high: number;
  clear: boolean;
  n: number;
  scale: { decimals: number };
}

export interface BriefingGap {
  indicator: string;
  city: BriefingGapFigure | null;
  tier: BriefingGapFigure | null;
  national: BriefingGapFigure | null;
}

export interface ComparisonBriefingInput {
  locale: Locale;
  date: Date;
  minN: number;
  dataset: BriefingDataset;
  filters: BriefingFilters & { indicator: string; region: string | null; tier: string | null };
  /** The compared cities in ranking order of the chosen indicator. */
  cities: BriefingCity[];
  /** City cells of every headline indicator and the chosen one, plus the national cells, under the filters. */
  cells: BriefingCell[];
  findings: BriefingFinding[];
}

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

const label = (locale: Locale, zh: string, en: string) => (locale === 'zh' ? zh : en);

/** The legend of hidden and flagged cells, under every table of estimates. */
function disclosureNotes(t: Translator, minN: number): string[] {
  return [t('disclosure.legendPrimary', { min: minN }), t('disclosure.legendSecondary'), t('disclosure.legendUnreliable')];
}
const toDisplay = (value: number | null, kind: IndicatorDefinition['kind']) => (value === null ? null : kind === 'proportion' ? value * 100 : value);

function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(date);
}

export function isoDate(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(date);
}

function isModuleWave(dataset: BriefingDataset, wave: number): boolean {
  return dataset.waves.find((w) => w.year === wave)?.design !== 'national';
}

function filterFacts(t: Translator, filters: BriefingFilters): Array<{ label: string; value: string }> {
  return [
    { label: t('filters.wave'), value: String(filters.wave) },
    { label: t('filters.hukou'), value: t(`hukou.${filters.hukou}`) },
    { label: t('filters.range'), value: t(`range.${filters.range}`) },
  ];
}

function provenanceFacts(t: Translator, locale: Locale, dataset: BriefingDataset, wave: number, minN: number): Array<{ label: string; value: string }> {
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

function niceTicks(min: number, max: number, unit: string): { domain: [number, number]; ticks: Array<{ value: number; label: string }> } {
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

function methodsSection(t: Translator, locale: Locale, dataset: BriefingDataset, minN: number, indicators: IndicatorDefinition[]): BriefingModel['methods'] {
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

function findingsSection(t: Translator, locale: Locale, findings: BriefingFinding[]): FindingsModel | null {
  if (findings.length === 0) return null;
  const number = (v: number) => v.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const p = (v: number | null) => (v === null ? '—' : v < 0.001 ? '<0.001' : v.toFixed(3));
  return {
    title: t('briefing.findings'),
    lead: t('briefing.findingsLead', { date: formatDate(findings[0]!.createdAt, locale) }),
    header: [t('briefing.findings.term'), t('briefing.findings.estimate'), t('common.ci'), t('briefing.findings.p')],
    models: findings.map((f) => ({
      heading: t('briefing.findings.outcome', { outcome: variableLabel(f.outcome, locale), family: f.family, n: f.n === null ? '—' : formatCount(f.n, locale) }),
      // The ten terms with the strongest evidence, so a meeting sees what matters without the full table.
      rows: [...f.terms]
        .sort((a, b) => (a.p ?? 1) - (b.p ?? 1) || Math.abs(b.estimate) - Math.abs(a.estimate))
        .slice(0, 10)
        .map((term) => [term.term, number(term.estimate), term.ciLow === null || term.ciHigh === null ? '—' : `${number(term.ciLow)} – ${number(term.ciHigh)}`, p(term.p)]),
      sentence: f.sentence?.[locale] ?? null,
    })),
  };
}

function footer(t: Translator, dataset: BriefingDataset): BriefingModel['footer'] {
  return {
    notice: dataset.kind === 'synthetic' ? t('briefing.footerSynthetic') : t('briefing.footerSource', { dataset: dataset.label }),
    synthetic: dataset.kind === 'synthetic',
    pageTemplate: t('briefing.page'),
  };
}

export function buildCityBriefing(input: CityBriefingInput): BriefingModel {
  const { locale, city, filters, dataset, minN } = input;
  const t = translator(locale);
  const cityName = label(locale, city.nameZh, city.nameEn);
  const tierName = t(`tier.${city.tier}` as MessageKey);
  const suppressedText = t('table.suppressed', { min: minN });
  const suppressedTexts: SuppressionTexts = { primary: suppressedText, secondary: t('disclosure.secondary'), minN };
  const indicators = headlineIndicators(input.cells);
  const moduleWave = isModuleWave(dataset, filters.wave);
  const nationalLabel = moduleWave ? t('compare.moduleBenchmark') : t('city.column.national');
  const find = (level: string, indicator: string, hukou: string = filters.hukou, range: string = filters.range) =>
    input.cells.find((c) => c.geoLevel === level && c.indicator === indicator && c.hukou === hukou && c.migrationRange === range);

  // The same reading as the city page: a difference counts only when the two 95% CIs do not overlap.
  const comparable = indicators
    .map((d) => ({ definition: d, city: find('city', d.key), national: find('national', d.key) }))
    .filter((p) => p.city && p.national && !p.city.suppressed && !p.national.suppressed && p.city.ciLow !== null && p.city.ciHigh !== null && p.national.ciLow !== null && p.national.ciHigh !== null);
  const aboveList = comparable.filter((p) => (p.city!.ciLow as number) > (p.national!.ciHigh as number));
  const belowList = comparable.filter((p) => (p.city!.ciHigh as number) < (p.national!.ciLow as number));
  const [above, below] = [aboveList.length, belowList.length];
  const listText = (items: typeof comparable) =>
    items
      .map((p) => `${label(locale, p.definition.labelZh, p.definition.labelEn)} ${formatValue(p.city!.estimate, p.definition.kind, locale)}${locale === 'zh' ? '（全国' : ' (national '}${formatValue(p.national!.estimate, p.definition.kind, locale)}${locale === 'zh' ? '）' : ')'}`)
      .join(locale === 'zh' ? '；' : '; ');
  const filterText = [t(`hukou.${filters.hukou}`), t(`range.${filters.range}`)].join(locale === 'zh' ? '、' : ', ');
  const summary = [
    comparable.length > 0 ? t('city.interpretation', { city: cityName, total: comparable.length, above, below, wave: filters.wave }) : t('city.noData'),
  ];
  if (above > 0) summary.push(t('briefing.clearlyAbove', { list: listText(aboveList) }));
  if (below > 0) summary.push(t('briefing.clearlyBelow', { list: listText(belowList) }));
  // The size of the described group, from the largest headline cell of the city (indicators differ in item non-response).
  const groupN = Math.max(0, ...indicators.map((d) => find('city', d.key)?.n ?? 0));
  if (groupN > 0) summary.push(t('briefing.groupSample', { filters: filterText, city: cityName, n: formatCount(groupN, locale) }));

  const headline: TableModel = {
    caption: t('briefing.headline'),
    lead: filterText,
    header: [t('filters.indicator'), cityName, `${t('city.column.tier')} (${tierName})`, nationalLabel],
    rows: indicators.map((d) => ({
      label: label(locale, d.labelZh, d.labelEn),
      sublabel: label(locale, d.unitZh, d.unitEn),
      cells: [find('city', d.key), find('tier', d.key), find('national', d.key)].map((c) => cellText(c, d.kind, locale, suppressedTexts)),
    })),
    notes: [t('briefing.tableNote'), ...disclosureNotes(t, minN)],
  };

  const chartValue = (cell: BriefingCell | undefined, d: IndicatorDefinition, rowLabel: string, tone: ChartRow['tone']): ChartRow => {
    const text = cellText(cell, d.kind, locale, suppressedTexts);
    const usable = cell && !cell.suppressed && cell.estimate !== null;
    return {
      label: rowLabel,
      estimate: usable ? toDisplay(cell.estimate, d.kind) : null,
      low: usable ? toDisplay(cell.ciLow, d.kind) : null,
      high: usable ? toDisplay(cell.ciHigh, d.kind) : null,
      valueText: text.suppressed ? text.ci : `${text.estimate} ${text.ci}`,
      tone,
    };
  };
  // Every headline indicator is on a 0–100 scale (percentages, index points), so one honest full-range axis serves all.
  const chart: ChartModel = {
    title: t('briefing.chartTitle', { city: cityName }),
    axisLabel: t('briefing.chartAxis'),
    domain: [0, 100],
    ticks: [0, 20, 40, 60, 80, 100].map((v) => ({ value: v, label: String(v) })),
    groups: indicators.map((d) => ({
      label: label(locale, d.labelZh, d.labelEn),
      rows: [
        chartValue(find('city', d.key), d, cityName, 'primary'),
        chartValue(find('tier', d.key), d, t('city.column.tier'), 'secondary'),
        chartValue(find('national', d.key), d, nationalLabel, 'muted'),
      ],
    })),
    benchmark: null,
    legend: [
      { label: cityName, tone: 'primary' },
      { label: `${t('city.column.tier')} (${tierName})`, tone: 'secondary' },
      { label: nationalLabel, tone: 'muted' },
    ],
    note: t('briefing.chartNote'),
  };

  const hukouGroups = HUKOU_TYPES.map((h) => ({ header: t(`hukou.${h}`), hukou: h, range: filters.range }));
  const rangeGroups = MIGRATION_RANGES.map((r) => ({ header: t(`range.${r}`), hukou: filters.hukou, range: r }));
  const groups = [...hukouGroups, ...rangeGroups];
  const breakdown: TableModel = {
    caption: t('city.byGroup'),
    lead: t('briefing.breakdownLead', { range: t(`range.${filters.range}`), hukou: t(`hukou.${filters.hukou}`) }),
    header: [t('filters.indicator'), ...groups.map((g) => g.header)],
    rows: indicators.map((d) => ({
      label: label(locale, d.labelZh, d.labelEn),
      cells: groups.map((g) => cellText(find('city', d.key, g.hukou, g.range), d.kind, locale, suppressedTexts)),
    })),
    notes: [...disclosureNotes(t, minN)],
  };

  // Hyphen-minus, not U+2212: the PDF's Latin font (Helvetica, WinAnsi) has no minus sign.
  const gapNumber = (v: number, decimals: number) => v.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false }).replace('−', '-');
  const gapText = (f: BriefingGapFigure | null): CellText =>
    f
      ? {
          estimate: gapNumber(f.estimate, f.scale.decimals),
          ci: `(${gapNumber(f.low, f.scale.decimals)} ${t('equity.to')} ${gapNumber(f.high, f.scale.decimals)})`,
          n: f.clear ? `n=${formatCount(f.n, locale)}` : `n=${formatCount(f.n, locale)} · ${t('equity.noClearDifference')}`,
          suppressed: false,
        }
      : { estimate: '—', ci: t('equity.notShown'), n: '', suppressed: true };
  const gapRows = (input.gaps ?? []).filter((g) => indicators.some((d) => d.key === g.indicator));
  const equity: TableModel | null = gapRows.some((g) => g.city !== null)
    ? {
        caption: t('city.gaps'),
        lead: t('briefing.equityLead', { range: t(`range.${filters.range}`) }),
        header: [t('filters.indicator'), cityName, `${t('city.column.tier')} (${tierName})`, nationalLabel],
        rows: gapRows.map((g) => {
          const d = indicators.find((i) => i.key === g.indicator)!;
          return { label: label(locale, d.labelZh, d.labelEn), sublabel: d.kind === 'proportion' ? t('equity.unit.points') : label(locale, d.unitZh, d.unitEn), cells: [g.city, g.tier, g.national].map(gapText) };
        }),
        notes: [t('city.gaps.note')],
      }
    : null;

  const title = t('briefing.cityTitle', { city: cityName });
  return {
    locale,
    date: isoDate(input.date),
    meta: { title, subject: `${filterText} · ${filters.wave}`, author: t('app.subtitle'), keywords: [cityName, String(filters.wave), filterText].join(', ') },
    cover: {
      eyebrow: t('briefing.eyebrow'),
      title,
      subtitle: t('briefing.cityLead', { province: label(locale, city.provinceZh, city.provinceEn), tier: tierName, wave: filters.wave }),
      facts: [{ label: t('briefing.date'), value: formatDate(input.date, locale) }, ...filterFacts(t, filters), ...provenanceFacts(t, locale, dataset, filters.wave, minN)],
      summaryTitle: t('briefing.summary'),
      summary,
    },
    headline,
    chart,
    breakdown,
    equity,
    findings: findingsSection(t, locale, input.findings),
    methods: methodsSection(t, locale, dataset, minN, indicators),
    footer: footer(t, dataset),
  };
}

export function buildComparisonBriefing(input: ComparisonBriefingInput): BriefingModel {
  const { locale, filters, dataset, minN } = input;
  const t = translator(locale);
  const definition = INDICATORS.find((i) => i.key === filters.indicator);
  if (!definition) throw new Error(`Unknown indicator ${filters.indicator}`);
  const indicatorLabel = label(locale, definition.labelZh, definition.labelEn);
  const suppressedText = t('table.suppressed', { min: minN });
  const suppressedTexts: SuppressionTexts = { primary: suppressedText, secondary: t('disclosure.secondary'), minN };
  const moduleWave = isModuleWave(dataset, filters.wave);
  const benchmarkLabel = moduleWave ? t('compare.moduleBenchmark') : t('compare.national');
  const find = (level: string, code: string, indicator: string) =>
    input.cells.find((c) => c.geoLevel === level && c.geoCode === code && c.indicator === indicator && c.hukou === filters.hukou && c.migrationRange === filters.range);
  const national = find('national', 'CN', definition.key);
  const filterText = [t(`hukou.${filters.hukou}`), t(`range.${filters.range}`), filters.region ? t(`region.${filters.region}` as MessageKey) : null, filters.tier ? t(`tier.${filters.tier}` as MessageKey) : null]
    .filter(Boolean)
    .join(locale === 'zh' ? '、' : ', ');
  const display = (cell: BriefingCell | undefined) => {
    const text = cellText(cell, definition.kind, locale, suppressedTexts);
    return text.suppressed ? text.ci : `${text.estimate} ${text.ci}, ${text.n}`;
  };

  const shown = input.cities.map((c) => ({ city: c, cell: find('city', c.code, definition.key) })).filter((r) => r.cell && !r.cell.suppressed && r.cell.estimate !== null);
  const top = shown[0];
  const bottom = shown[shown.length - 1];
  const summary: string[] = [];
  if (top && bottom && top !== bottom) {
    summary.push(
      t('compare.interpretation', {
        filters: `${filters.wave}${locale === 'zh' ? '年、' : ', '}${filterText}`,
        indicator: indicatorLabel,
        top: label(locale, top.city.nameZh, top.city.nameEn),
        topValue: display(top.cell),
        bottom: label(locale, bottom.city.nameZh, bottom.city.nameEn),
        bottomValue: display(bottom.cell),
        benchmark: locale === 'zh' ? benchmarkLabel : benchmarkLabel.toLowerCase(),
        national: national?.estimate != null ? display(national) : '—',
        overlap: (bottom.cell!.ciHigh as number) < (top.cell!.ciLow as number) ? t('compare.interpretationOverlap') : t('compare.interpretationNoOverlap'),
      }),
    );
  }
  const suppressedCount = input.cities.length - shown.length;
  if (suppressedCount > 0) summary.push(t('compare.suppressedCount', { count: suppressedCount, min: minN }));

  const points = shown.map((r) => ({
    label: label(locale, r.city.nameZh, r.city.nameEn),
    estimate: toDisplay(r.cell!.estimate, definition.kind),
    low: toDisplay(r.cell!.ciLow, definition.kind),
    high: toDisplay(r.cell!.ciHigh, definition.kind),
    valueText: display(r.cell),
    tone: 'primary' as const,
  }));
  const nationalValue = national && !national.suppressed ? toDisplay(national.estimate, definition.kind) : null;
  const extent = [...points.flatMap((p) => [p.low ?? p.estimate, p.high ?? p.estimate]), nationalValue].filter((v): v is number => v !== null);
  const { domain, ticks } = niceTicks(Math.min(...extent, Infinity) === Infinity ? 0 : Math.min(...extent), extent.length ? Math.max(...extent) : 100, definition.kind === 'proportion' ? '%' : '');
  const chart: ChartModel = {
    title: t('compare.chartTitle', { indicator: indicatorLabel }),
    axisLabel: label(locale, definition.unitZh, definition.unitEn),
    domain,
    ticks,
    groups: [{ label: null, rows: points }],
    benchmark: nationalValue === null ? null : { value: nationalValue, label: `${benchmarkLabel} ${formatValue(national!.estimate, definition.kind, locale)}` },
    legend: [],
    note: t('briefing.compareChartNote', { benchmark: locale === 'zh' ? benchmarkLabel : benchmarkLabel.toLowerCase() }),
  };

  const indicators = headlineIndicators(input.cells);
  const tableIndicators = indicators.some((d) => d.key === definition.key) ? indicators : [definition, ...indicators];
  const headline: TableModel = {
    caption: t('briefing.headlineCompare'),
    lead: filterText,
    header: [t('table.city'), ...tableIndicators.map((d) => label(locale, d.labelZh, d.labelEn))],
    rows: [
      ...input.cities.map((c) => ({
        label: label(locale, c.nameZh, c.nameEn),
        sublabel: label(locale, c.provinceZh, c.provinceEn),
        cells: tableIndicators.map((d) => cellText(find('city', c.code, d.key), d.kind, locale, suppressedTexts)),
      })),
      { label: benchmarkLabel, cells: tableIndicators.map((d) => cellText(find('national', 'CN', d.key), d.kind, locale, suppressedTexts)) },
    ],
    notes: [t('briefing.tableNote'), ...disclosureNotes(t, minN)],
  };

  const title = t('briefing.compareTitle', { indicator: indicatorLabel });
  return {
    locale,
    date: isoDate(input.date),
    meta: { title, subject: `${filterText} · ${filters.wave}`, author: t('app.subtitle'), keywords: [indicatorLabel, String(filters.wave), filterText].join(', ') },
    cover: {
      eyebrow: t('briefing.eyebrow'),
      title,
      subtitle: t('briefing.compareLead', { count: input.cities.length, wave: filters.wave }),
      facts: [
        { label: t('briefing.date'), value: formatDate(input.date, locale) },
        { label: t('filters.indicator'), value: indicatorLabel },
        ...filterFacts(t, filters),
        ...(filters.region ? [{ label: t('filters.region'), value: t(`region.${filters.region}` as MessageKey) }] : []),
        ...(filters.tier ? [{ label: t('filters.tier'), value: t(`tier.${filters.tier}` as MessageKey) }] : []),
        ...provenanceFacts(t, locale, dataset, filters.wave, minN),
      ],
      summaryTitle: t('briefing.summary'),
      summary,
    },
    headline,
    chart,
    breakdown: null,
    findings: findingsSection(t, locale, input.findings),
    methods: methodsSection(t, locale, dataset, minN, tableIndicators),
    footer: footer(t, dataset),
  };
}
