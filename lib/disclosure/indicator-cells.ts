// Disclosure control of the precomputed indicator table: primary suppression, DHS's reliability flag and secondary
// suppression over every additive relation the app publishes. Pure; lib/indicators/precompute.ts calls it once.
import { auditSuppressedIntervals, suppressComplementaryCells, underProtected, type AdditiveRelation, type CellStatus, type SuppressionCell } from './secondary-suppression';
import { HUKOU_FILTERS, HUKOU_TYPES, MIGRATION_RANGE_FILTERS, MIGRATION_RANGES, type HukouFilter, type MigrationRangeFilter } from '@/lib/domain';

/** Half-width no attacker may narrow a hidden cell to: 2.5 points of a percentage, or 2.5% of a mean's scale. */
export const PROTECTION_POINTS = 2.5;
/** DHS: an estimate from 25-49 unweighted cases is shown in parentheses; ours starts at the suppression threshold. */
export const RELIABLE_MIN_N = 50;
/** Complementary (secondary) cells get the same +-2.5-point protection as primary ones, so that no hidden cell a
 * page shows can be worked out. Costs hidden cells (2017 demo: 15.1% hidden instead of 9.6%; 2014 module: 59.7%
 * instead of about 28%); tests/disclosure/browser-attack.e2e.test.ts attacks every hidden cell and relies on it. */
export const PROTECT_COMPLEMENTARY_CELLS = true;
/** Geographic levels some page, CSV or PDF shows (provinces: the map; publishTotalsOfCities decides them after the
 * tier hierarchy). Regions are computed but never shown: they enter the relations as unknowns (status 'unpublished').
 * Publishing them the same way hid about half of the 2017 region cells (each region total pins the weighted sum of
 * its hidden cities, which with the tier totals narrows them), so they stay unpublished. */
export const PUBLISHED_LEVELS = ['national', 'tier', 'province', 'city'] as const;
/** Levels that total the cities a second way (city -> province -> region -> national, beside city -> tier ->
 * national). When published, they are decided by their own pass after the tier hierarchy (publishTotalsOfCities). */
export const CITY_TOTAL_LEVELS: ReadonlySet<string> = new Set(['province', 'region']);
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
  /** For a hidden province cell that may be shown as a range (partial suppression): the range's bounds, else null. */
  band: [number, number] | null;
}

/** Width of the range a hidden province cell may be shown as: 10 points of a percentage, 10% of a score's scale. */
export const BAND_POINTS = 10;

/** The range of width BAND_POINTS (of the scale) that holds `value`, on a grid starting at the scale's lower bound. */
export function bandOf(value: number, lower: number, upper: number, points = BAND_POINTS): [number, number] {
  const width = (points / 100) * (upper - lower);
  const steps = Math.min(Math.floor((value - lower) / width + 1e-9), Math.round((upper - lower) / width) - 1);
  const low = lower + Math.max(steps, 0) * width;
  return [Number(low.toFixed(9)), Number(Math.min(low + width, upper).toFixed(9))];
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
  const outcomes: DisclosureOutcome[] = cells.map(() => ({ status: 'published', unreliable: false, band: null }));
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
    const inputs = members.map((i) => cells[i] as IndicatorCellInput);
    // First pass: the tier hierarchy (city -> tier -> national) with provinces and regions as unknowns, exactly as
    // when only those levels were published; the second pass then publishes what it safely can of the other one.
    const table: SuppressionCell[] = inputs.map((c) => {
      const primary = isPrimarySuppressed(c.n, c.df, options.minN) || c.estimate === null;
      return { value: c.estimate, weight: c.n > 0 ? c.weight : 0, lower, upper, primary, unpublished: !primary && (!publishedLevels.has(c.geoLevel) || CITY_TOTAL_LEVELS.has(c.geoLevel)) };
    });
    const at = (level: string, code: string, hukou: string, range: string) => local.get(`${level}|${code}|${hukou}|${range}`);
    const relations = indicatorRelations(at, places);
    const cubes = hypercubeComplements(inputs, table, at, places);
    const result = suppressComplementaryCells(table, relations, { protection, initialSecondary: cubes, protectSecondary: PROTECT_COMPLEMENTARY_CELLS });
    let status = result.status;
    let failing = result.unprotected;
    let bands = new Map<number, [number, number]>();
    if (result.unprotected.length === 0 && [...CITY_TOTAL_LEVELS].some((level) => publishedLevels.has(level))) {
      const second = publishTotalsOfCities(inputs, table, relations, result.status, at, places, { protection, publishedLevels });
      status = second.status;
      failing = second.unprotected;
      bands = second.bands;
    }
    for (const j of failing) unprotected.push(members[j] as number);
    members.forEach((cellIndex, j) => {
      const c = cells[cellIndex] as IndicatorCellInput;
      outcomes[cellIndex] = { status: status[j] as CellStatus, unreliable: isUnreliable(c.n, c.estimate, c.se), band: bands.get(j) ?? null };
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

/**
 * Second pass: which province and region cells can be published once the city, tier and national cells are decided.
 * A province (region) cell is the weighted sum of its cities' cells, so publishing it tells an attacker one thing
 * more: the weighted sum of its hidden cities. With none hidden that is nothing; with exactly one hidden it pins that
 * city, so the province (region) is hidden instead of a second city, which would cascade across hukou, range and tier
 * (sdcTable's preference for the cheapest complement: one province cell against a hypercube of city cells). With two
 * or more hidden it is published if the interval attack, now over every relation (provinces, regions and their hukou
 * and range margins too), still narrows no protected cell; cells it does narrow take their province and region back.
 *
 * Province and region cells hidden here protect their cities and carry no protection interval of their own, as
 * complementary cells in sdcTable and tau-ARGUS: with true weights an attacker may bound such a total closely from its
 * published cities, which tells nothing of any respondent. Every primary cell, and every hidden city, tier and
 * national cell, keeps the +-2.5-point interval (PROTECT_COMPLEMENTARY_CELLS).
 */
function publishTotalsOfCities(
  inputs: readonly IndicatorCellInput[],
  table: readonly SuppressionCell[],
  relations: readonly AdditiveRelation[],
  firstPass: readonly CellStatus[],
  at: (level: string, code: string, hukou: string, range: string) => number | undefined,
  places: readonly CityPlace[],
  options: { protection: number; publishedLevels: ReadonlySet<string> },
): { status: CellStatus[]; unprotected: number[]; bands: Map<number, [number, number]> } {
  const isTotal = (i: number) => CITY_TOTAL_LEVELS.has((inputs[i] as IndicatorCellInput).geoLevel) && options.publishedLevels.has((inputs[i] as IndicatorCellInput).geoLevel);
  const cells: SuppressionCell[] = table.map((c, i) => (isTotal(i) ? { ...c, unpublished: false } : c));
  const hidden = cells.map((c, i) => firstPass[i] !== 'published' && !(isTotal(i) && !c.primary));
  // The city cells of each province and region cell (same hukou x range slice), and the totals each city cell is in.
  const citiesOf = new Map<number, number[]>();
  const totalsOf = new Map<number, number[]>();
  inputs.forEach((cell, i) => {
    if (!isTotal(i)) return;
    const members = places
      .filter((p) => (cell.geoLevel === 'province' ? p.provinceCode === cell.geoCode : p.region === cell.geoCode))
      .map((p) => at('city', p.code, cell.hukou, cell.migrationRange))
      .filter((k): k is number => k !== undefined && (cells[k] as SuppressionCell).weight > 0);
    citiesOf.set(i, members);
    for (const k of members) totalsOf.set(k, [...(totalsOf.get(k) ?? []), i]);
  });
  // The province and region codes of each city cell.
  const cityHome = new Map<number, string[]>();
  const placeOf = new Map(places.map((p) => [p.code, p]));
  inputs.forEach((cell, i) => {
    const place = cell.geoLevel === 'city' ? placeOf.get(cell.geoCode) : undefined;
    if (place) cityHome.set(i, [place.provinceCode, place.region]);
  });
  // Start: publish every total with no hidden city or with two or more; hide those with exactly one.
  const trial = new Set<number>();
  for (const [i, members] of citiesOf) {
    if ((cells[i] as SuppressionCell).primary || (cells[i] as SuppressionCell).weight <= 0) continue;
    const hiddenCities = members.filter((k) => hidden[k]).length;
    if (hiddenCities === 1) hidden[i] = true;
    else if (hiddenCities >= 2) trial.add(i);
  }
  const secondary = cells.map((c, i) => hidden[i] === true && !c.primary && firstPass[i] !== 'unpublished');
  const guarded = (i: number) => !isTotal(i);
  const sliceOf = (i: number) => `${(inputs[i] as IndicatorCellInput).hukou}|${(inputs[i] as IndicatorCellInput).migrationRange}`;
  const withdraw = (i: number) => {
    trial.delete(i);
    hidden[i] = true;
    secondary[i] = true;
  };
  for (let round = 0; round < 100; round++) {
    const intervals = auditSuppressedIntervals(cells, relations, hidden);
    const failing = underProtected(cells, intervals, secondary, () => options.protection, guarded);
    if (failing.length === 0) return { status: statuses(cells, hidden), unprotected: [], bands: bandHiddenTotals() };
    if (trial.size === 0) break;
    const before = trial.size;
    for (const f of failing) {
      // A narrowed city cell takes back the trial totals of its own province and region, in its slice first, else in
      // every slice (the province's hukou and range margins reach across slices); any other cell those of its slice.
      const own = (totalsOf.get(f) ?? []).filter((i) => trial.has(i));
      const home = cityHome.get(f);
      const near = home ? [...trial].filter((i) => home.includes((inputs[i] as IndicatorCellInput).geoCode)) : [];
      const targets = own.length > 0 ? own : near.length > 0 ? near : [...trial].filter((i) => sliceOf(i) === sliceOf(f));
      for (const i of targets) withdraw(i);
    }
    if (trial.size === before) for (const i of [...trial]) withdraw(i);
  }
  // Propagating over the province and region margins as well narrowed a first-pass cell: close it the general way,
  // from the pattern reached (provinces and regions are then complements like any other cell).
  const fallback = suppressComplementaryCells(cells, relations, {
    protection: options.protection,
    initialSecondary: cells.flatMap((c, i) => (hidden[i] && !c.primary ? [i] : [])),
    protectSecondary: guarded,
  });
  return { status: fallback.status, unprotected: fallback.unprotected, bands: new Map() };

  /**
   * Partial suppression (Fischetti and Salazar-González 2003; BLS's fixed intervals, Cohen and Li 2006): a province
   * cell hidden to protect its cities may still be shown as a range of BAND_POINTS (e.g. "30-40%") when the interval
   * attack, which then knows each such province only to within its range, narrows no protected cell. Ranges are
   * tried one hukou x range subgroup at a time (rural and urban by range first, their totals last), all of the
   * subgroup's hidden provinces at once; a cell the attack narrows takes back the new ranges of its own province
   * (else of its subgroup) and the attack runs again. Ranges kept earlier stay. Never a primary (small) province
   * cell, nor any city, tier or national cell.
   */
  function bandHiddenTotals(): Map<number, [number, number]> {
    const bands = new Map<number, [number, number]>();
    const candidates = new Map<string, number[]>();
    cells.forEach((c, i) => {
      if (!(isTotal(i) && hidden[i] && !c.primary && c.weight > 0 && c.value !== null && (inputs[i] as IndicatorCellInput).geoLevel === 'province')) return;
      candidates.set(sliceOf(i), [...(candidates.get(sliceOf(i)) ?? []), i]);
    });
    const order = [...HUKOU_MEMBERS, 'all'].flatMap((hukou) => [...RANGE_MEMBERS, 'all'].map((range) => `${hukou}|${range}`));
    const known = cells.map((c) => ({ ...c }));
    const setBand = (i: number, band: [number, number] | null) => {
      const c = cells[i] as SuppressionCell;
      Object.assign(known[i] as SuppressionCell, band ? { lower: band[0], upper: band[1] } : { lower: c.lower, upper: c.upper });
    };
    for (const slice of order) {
      const trying = new Set(candidates.get(slice) ?? []);
      for (const i of trying) setBand(i, bandOf((cells[i] as SuppressionCell).value as number, (cells[i] as SuppressionCell).lower, (cells[i] as SuppressionCell).upper));
      while (trying.size > 0) {
        const intervals = auditSuppressedIntervals(known, relations, hidden);
        const failing = underProtected(cells, intervals, secondary, () => options.protection, guarded);
        if (failing.length === 0) break;
        const before = trying.size;
        for (const f of failing) {
          const home = cityHome.get(f);
          const own = home ? [...trying].filter((i) => home.includes((inputs[i] as IndicatorCellInput).geoCode)) : [];
          for (const i of own) {
            trying.delete(i);
            setBand(i, null);
          }
        }
        if (trying.size === before) {
          for (const i of trying) setBand(i, null);
          trying.clear();
        }
      }
      for (const i of trying) bands.set(i, [(known[i] as SuppressionCell).lower, (known[i] as SuppressionCell).upper]);
    }
    return bands;
  }
}

function statuses(cells: readonly SuppressionCell[], hidden: readonly boolean[]): CellStatus[] {
  return cells.map((c, i) => (c.primary ? 'primary' : c.unpublished ? 'unpublished' : hidden[i] ? 'secondary' : 'published'));
}
