// What a briefing PDF says, as plain data with every string already translated and formatted: built on the request
// thread from query results, then handed (structured-cloned) to the render worker, which only lays it out.
// Numbers go through lib/indicators/format.ts, so the PDF prints exactly what the dashboard pages print.
import { HUKOU_TYPES, MIGRATION_RANGES, isModuleWave } from '@/lib/domain';
import { INDICATORS, type IndicatorDefinition } from '@/lib/indicators/catalogue';
import { formatCount, formatValue } from '@/lib/indicators/format';
import { benchmarkSentence, comparisonSentence, filterWords, readAgainstBenchmark } from '@/lib/indicators/interpretation';
import { benchmarkNoun, benchmarkPhrase } from '@/lib/indicators/profile-summary';
import { translator, type MessageKey } from '@/lib/i18n/messages';
import { headlineIndicators, cellText, label, disclosureNotes, toDisplay, formatDate, isoDate, filterFacts, provenanceFacts, niceTicks, methodsSection, findingsSection, footer } from './briefing-sections';
import type { CellText, TableModel, ChartRow, ChartModel, BriefingModel, BriefingCell, SuppressionTexts, CityBriefingInput, BriefingGapFigure, ComparisonBriefingInput } from './briefing-types';

export type { BriefingModel } from './briefing-types';
export { headlineIndicators } from './briefing-sections';

export function buildCityBriefing(input: CityBriefingInput): BriefingModel {
  const { locale, city, filters, dataset, minN } = input;
  const t = translator(locale);
  const cityName = label(locale, city.nameZh, city.nameEn);
  const tierName = t(`tier.${city.tier}` as MessageKey);
  const suppressedText = t('table.suppressed', { min: minN });
  const suppressedTexts: SuppressionTexts = { primary: suppressedText, secondary: t('disclosure.secondary'), minN };
  const indicators = headlineIndicators(input.cells);
  const moduleWave = isModuleWave(dataset, filters.wave);
  // The benchmark column and sentences name what it is: the nation, or in the 2014 module the eight cities' total.
  const benchmark = moduleWave ? ('module' as const) : ('national' as const);
  const nationalLabel = moduleWave ? t('city.column.module') : t('city.column.national');
  const benchmarkShort = t(moduleWave ? 'city.benchmark.moduleShort' : 'city.benchmark.nationalShort');
  const find = (level: string, indicator: string, hukou: string = filters.hukou, range: string = filters.range) =>
    input.cells.find((c) => c.geoLevel === level && c.indicator === indicator && c.hukou === hukou && c.migrationRange === range);

  // The same reading as the city page (lib/indicators/interpretation.ts): a difference counts only when the two 95% CIs
  // do not overlap.
  const reading = readAgainstBenchmark(indicators.map((d) => ({ item: d, cell: find('city', d.key), benchmark: find('national', d.key) })));
  const listText = (items: typeof reading.above) =>
    items
      .map((p) => `${label(locale, p.item.labelZh, p.item.labelEn)} ${formatValue(p.cell.estimate, p.item.kind, locale)}${locale === 'zh' ? `（${benchmarkShort}` : ` (${benchmarkShort} `}${formatValue(p.benchmark.estimate, p.item.kind, locale)}${locale === 'zh' ? '）' : ')'}`)
      .join(locale === 'zh' ? '；' : '; ');
  const filterText = [t(`hukou.${filters.hukou}`), t(`range.${filters.range}`)].join(locale === 'zh' ? '、' : ', ');
  const summary = [reading.comparable.length > 0 ? benchmarkSentence(t, reading, { city: cityName, wave: filters.wave, benchmark }) : t('city.noData')];
  if (reading.above.length > 0) summary.push(t('briefing.clearlyAbove', { list: listText(reading.above), benchmark: benchmarkPhrase(t, benchmark) }));
  if (reading.below.length > 0) summary.push(t('briefing.clearlyBelow', { list: listText(reading.below), benchmark: benchmarkPhrase(t, benchmark) }));
  // The size of the described group, from the largest headline cell of the city (indicators differ in item non-response).
  const groupN = Math.max(0, ...indicators.map((d) => find('city', d.key)?.n ?? 0));
  if (groupN > 0) summary.push(t('briefing.groupSample', { filters: filterText, city: cityName, n: formatCount(groupN, locale) }));

  const headline: TableModel = {
    caption: t('briefing.headline', { benchmark: benchmarkNoun(t, benchmark) }),
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
    title: t('briefing.chartTitle', { city: cityName, benchmark: benchmarkNoun(t, benchmark) }),
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
        caption: t('city.gaps', { benchmark: benchmarkNoun(t, benchmark) }),
        lead: t('briefing.equityLead', { range: t(`range.${filters.range}`), benchmark: benchmarkNoun(t, benchmark) }),
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
  const summary: string[] = [];
  // The same sentence as the comparison page (lib/indicators/interpretation.ts).
  const sentence = comparisonSentence(t, locale, {
    filters: filterWords(t, locale, filters),
    indicator: indicatorLabel,
    kind: definition.kind,
    ranked: input.cities.map((c) => ({ name: label(locale, c.nameZh, c.nameEn), cell: find('city', c.code, definition.key) })),
    benchmarkLabel,
    benchmark: national,
    minN,
  });
  if (sentence) summary.push(sentence);
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
