// The shapes of a briefing: what the builders (briefing-model.ts) are given, and the plain, translated data they hand
// to the render worker (briefing-document.tsx lays it out).
import type { HukouFilter, MigrationRangeFilter } from '@/lib/domain';
import type { Locale } from '@/lib/i18n/messages';
import type { IndicatorCell } from '@/lib/queries/indicators';

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
