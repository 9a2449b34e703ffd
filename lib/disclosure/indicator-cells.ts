// Disclosure control of the precomputed indicator table: primary suppression, DHS's reliability flag and secondary
// suppression over every additive relation the app publishes. Pure; lib/indicators/precompute.ts calls it once.
import { suppressComplementaryCells, type AdditiveRelation, type CellStatus, type SuppressionCell } from './secondary-suppression';
import { HUKOU_FILTERS, HUKOU_TYPES, MIGRATION_RANGE_FILTERS, MIGRATION_RANGES, type HukouFilter, type MigrationRangeFilter } from '@/lib/domain';

/** Half-width no attacker may narrow a hidden cell to: 2.5 points of a percentage, or 2.5% of a mean's scale. */
export const PROTECTION_POINTS = 2.5;
/** DHS: an estimate from 25-49 unweighted cases is shown in parentheses; ours starts at the suppression threshold. */
export const RELIABLE_MIN_N = 50;
/** Complementary (secondary) cells get the same +-2.5-point protection as primary ones, so that no hidden cell a
 * page shows can be worked out. Costs hidden cells (2017 demo: 15.1% hidden instead of 9.6%; 2014 module: 59.7%
 * instead of about 28%); tests/disclosure/browser-attack.e2e.test.ts attacks every hidden cell and relies on it. */
export const PROTECT_COMPLEMENTARY_CELLS = true;
/** Geographic levels some page, CSV or PDF shows. Provinces and regions are computed but never shown: they enter the
 * relations as unknowns (status 'unpublished'); publishing them needs them added here and a new precompute. */
export const PUBLISHED_LEVELS = ['national', 'tier', 'city'] as const;
/** Coefficient of variation above which an estimate is flagged as unreliable (Eurostat/ONS practice: 30%). */
export const UNRELIABLE_CV = 0.3;

export interface IndicatorCellInput {
  indicator: string;
  geoLevel: 'national' | 'region' | 'tier' | 'province' | 'city';
  geoCode: string;
  hukou: HukouFilter;
  migrationRange: MigrationRangeFilter;
  n: number;
  /** Design degrees of freedom of the domain. */
  df: number;
  estimate: number | null;
  se: number | null;
  /** Sum of the weights of the respondents behind the estimate. */
  weight: number;
}

export interface CityPlace {
  code: string;
  provinceCode: string;
  region: string;
  tier: string;
}

export interface DisclosureOutcome {
  status: CellStatus;
  unreliable: boolean;
}

export function isPrimarySuppressed(n: number, df: number, minN: number): boolean {
  return n < minN || df < 1;
}

/** DHS-style flag: shown, but marked, when n is 30-49 or the CV exceeds 30% (a zero estimate has an infinite CV). */
export function isUnreliable(n: number, estimate: number | null, se: number | null): boolean {
  if (n < RELIABLE_MIN_N) return true;
  if (estimate === null || se === null) return false;
  if (estimate === 0) return se > 0;
  return se / Math.abs(estimate) > UNRELIABLE_CV;
}

const HUKOU_MEMBERS = HUKOU_TYPES;
const RANGE_MEMBERS = MIGRATION_RANGES;
const HUKOU_ALL = HUKOU_FILTERS;
const RANGE_ALL = MIGRATION_RANGE_FILTERS;

/**
 * The additive relations among the cells of one indicator in one wave: hukou and migration range within every
 * geography, and the geographic hierarchy (city -> province -> region -> national, city -> tier -> national) within
 * every hukou x range slice. `index` finds a cell by geography, hukou and range; absent cells are left out of a sum
 * (they hold no respondents).
 */
export function indicatorRelations(index: (level: string, code: string, hukou: string, range: string) => number | undefined, places: readonly CityPlace[]): AdditiveRelation[] {
  const relations: AdditiveRelation[] = [];
  const add = (total: number | undefined, members: Array<number | undefined>) => {
    const present = members.filter((m): m is number => m !== undefined);
    if (total !== undefined && present.length > 0) relations.push({ total, members: present });
  };
  const provinces = new Map<string, string>();
  const geos: Array<[string, string]> = [['national', 'CN']];
  for (const place of places) provinces.set(place.provinceCode, place.region);
  for (const region of new Set(places.map((p) => p.region))) geos.push(['region', region]);
  for (const tier of new Set(places.map((p) => p.tier))) geos.push(['tier', tier]);
  for (const province of provinces.keys()) geos.push(['province', province]);
  for (const place of places) geos.push(['city', place.code]);

  for (const [level, code] of geos) {
    for (const range of RANGE_ALL) add(index(level, code, 'all', range), HUKOU_MEMBERS.map((h) => index(level, code, h, range)));
    for (const hukou of HUKOU_ALL) add(index(level, code, hukou, 'all'), RANGE_MEMBERS.map((r) => index(level, code, hukou, r)));
  }
  for (const hukou of HUKOU_ALL) {
    for (const range of RANGE_ALL) {
      const at = (level: string, code: string) => index(level, code, hukou, range);
      for (const province of provinces.keys()) add(at('province', province), places.filter((p) => p.provinceCode === province).map((p) => at('city', p.code)));
      for (const tier of new Set(places.map((p) => p.tier))) add(at('tier', tier), places.filter((p) => p.tier === tier).map((p) => at('city', p.code)));
      for (const region of new Set(places.map((p) => p.region))) {
        add(at('region', region), [...provinces].filter(([, r]) => r === region).map(([province]) => at('province', province)));
      }
      add(at('national', 'CN'), [...new Set(places.map((p) => p.region))].map((region) => at('region', region)));
      add(at('national', 'CN'), [...new Set(places.map((p) => p.tier))].map((tier) => at('tier', tier)));
    }
  }
  return relations;
}

/**
 * Status and reliability of every cell. Cells of different indicators share no relation, so each indicator is
 * protected on its own. `scale` gives an indicator's value range (0-1 for proportions).
 */
export function protectIndicatorCells(
  cells: readonly IndicatorCellInput[],
  places: readonly CityPlace[],
  options: { minN: number; scale: (indicator: string) => [number, number]; protectionPoints?: number; publishedLevels?: readonly string[] },
): { outcomes: DisclosureOutcome[]; unprotected: number[] } {
  const outcomes: DisclosureOutcome[] = cells.map(() => ({ status: 'published', unreliable: false }));
  const byIndicator = new Map<string, number[]>();
  cells.forEach((cell, i) => {
    const list = byIndicator.get(cell.indicator);
    if (list) list.push(i);
    else byIndicator.set(cell.indicator, [i]);
  });
  const points = options.protectionPoints ?? PROTECTION_POINTS;
  const publishedLevels = new Set(options.publishedLevels ?? PUBLISHED_LEVELS);
  const unprotected: number[] = [];
  for (const [indicator, members] of byIndicator) {
    const [lower, upper] = options.scale(indicator);
    // A proportion is protected by 2.5 points of its 0-100 percentage; a mean by 2.5% of its scale.
    const protection = (points / 100) * (upper - lower);
    const local = new Map<string, number>();
    members.forEach((cellIndex, j) => {
      const c = cells[cellIndex] as IndicatorCellInput;
      local.set(`${c.geoLevel}|${c.geoCode}|${c.hukou}|${c.migrationRange}`, j);
    });
    const table: SuppressionCell[] = members.map((cellIndex) => {
      const c = cells[cellIndex] as IndicatorCellInput;
      const primary = isPrimarySuppressed(c.n, c.df, options.minN) || c.estimate === null;
      return { value: c.estimate, weight: c.n > 0 ? c.weight : 0, lower, upper, primary, unpublished: !primary && !publishedLevels.has(c.geoLevel) };
    });
    const relations = indicatorRelations((level, code, hukou, range) => local.get(`${level}|${code}|${hukou}|${range}`), places);
    const at = (level: string, code: string, hukou: string, range: string) => local.get(`${level}|${code}|${hukou}|${range}`);
    const cubes = hypercubeComplements(members.map((i) => cells[i] as IndicatorCellInput), table, at, places);
    const result = suppressComplementaryCells(table, relations, { protection, initialSecondary: cubes, protectSecondary: PROTECT_COMPLEMENTARY_CELLS });
    for (const j of result.unprotected) unprotected.push(members[j] as number);
    members.forEach((cellIndex, j) => {
      const c = cells[cellIndex] as IndicatorCellInput;
      outcomes[cellIndex] = { status: result.status[j] as CellStatus, unreliable: isUnreliable(c.n, c.estimate, c.se) };
    });
  }
  return { outcomes, unprotected };
}

/**
 * The hypercube method (Giessing & Repsilber; tau-ARGUS, sdcTable's "HITAS"-like heuristics) for a primary city cell
 * (c, h, r): hide the corners of a cube {c, c'} x {h, h'} x {r, r'}, so that each of the cube's relations (hukou,
 * range, tier) holds two hidden cells. c' is a city of the same tier (the tier total is published; provinces are
 * not), h' the other hukou, r' another range. Partners already hidden are preferred (cubes then share corners), then
 * the smallest one at least as large as the primary cell (so the partner does not pin it), else the largest.
 */
function hypercubeComplements(
  cells: readonly IndicatorCellInput[],
  table: readonly SuppressionCell[],
  at: (level: string, code: string, hukou: string, range: string) => number | undefined,
  places: readonly CityPlace[],
): number[] {
  const hidden = new Set<number>();
  table.forEach((c, i) => {
    if (c.primary) hidden.add(i);
  });
  const choose = (options: Array<number | undefined>, primaryWeight: number): number | undefined => {
    const present = options.filter((i): i is number => i !== undefined && (table[i] as SuppressionCell).weight > 0);
    const already = present.filter((i) => hidden.has(i));
    if (already.length > 0) return already[0];
    const bigEnough = present.filter((i) => (table[i] as SuppressionCell).weight >= primaryWeight).sort((a, b) => (table[a] as SuppressionCell).weight - (table[b] as SuppressionCell).weight);
    if (bigEnough.length > 0) return bigEnough[0];
    return present.sort((a, b) => (table[b] as SuppressionCell).weight - (table[a] as SuppressionCell).weight)[0];
  };
  const tierOf = new Map(places.map((p) => [p.code, p.tier]));
  const added: number[] = [];
  cells.forEach((cell, i) => {
    const own = table[i] as SuppressionCell;
    if (!own.primary || own.weight <= 0 || cell.geoLevel !== 'city') return;
    const h = cell.hukou;
    const r = cell.migrationRange;
    const c = cell.geoCode;
    const hukouOptions = h === 'all' ? (['rural', 'urban'] as const) : (['all', h === 'rural' ? 'urban' : 'rural'] as const).slice(1);
    const rangeOptions = r === 'all' ? RANGE_MEMBERS : RANGE_MEMBERS.filter((x) => x !== r);
    const hIndex = choose(hukouOptions.map((x) => at('city', c, x, r)), own.weight);
    const rIndex = choose(rangeOptions.map((x) => at('city', c, h, x)), own.weight);
    const cityOptions = places.filter((p) => p.code !== c && p.tier === tierOf.get(c)).map((p) => at('city', p.code, h, r));
    const cIndex = choose(cityOptions, own.weight);
    if (hIndex === undefined || rIndex === undefined || cIndex === undefined) return;
    const h2 = (cells[hIndex] as IndicatorCellInput).hukou;
    const r2 = (cells[rIndex] as IndicatorCellInput).migrationRange;
    const c2 = (cells[cIndex] as IndicatorCellInput).geoCode;
    for (const city of [c, c2]) {
      for (const hukou of [h, h2]) {
        for (const range of [r, r2]) {
          const corner = at('city', city, hukou, range);
          if (corner === undefined || hidden.has(corner)) continue;
          hidden.add(corner);
          added.push(corner);
        }
      }
    }
  });
  return added;
}
