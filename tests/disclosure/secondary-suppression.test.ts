// Secondary suppression on small hand-made tables with known answers: which complementary cells are chosen, and that
// the interval attacker can no longer bound any suppressed cell to within +-2.5 points.
import { describe, expect, test } from 'vitest';
import { auditSuppressedIntervals, suppressComplementaryCells, type AdditiveRelation, type SuppressionCell } from '@/lib/disclosure/secondary-suppression';
import { bandOf, indicatorRelations, isUnreliable, protectIndicatorCells, type CityPlace, type IndicatorCellInput } from '@/lib/disclosure/indicator-cells';

const proportion = (value: number, weight: number, primary = false): SuppressionCell => ({ value, weight, lower: 0, upper: 1, primary });

describe('auditSuppressedIntervals', () => {
  test('recovers a single suppressed member exactly from its total (the differencing attack)', () => {
    // all = rural + urban with W 100 = 80 + 20: x_all = 0.5, x_rural = 0.45, so x_urban = (50 - 36) / 20 = 0.7.
    const cells = [proportion(0.5, 100), proportion(0.45, 80), proportion(0.7, 20, true)];
    const [, , urban] = auditSuppressedIntervals(cells, [{ total: 0, members: [1, 2] }], [false, false, true]);
    expect(urban![0]).toBeCloseTo(0.7, 12);
    expect(urban![1]).toBeCloseTo(0.7, 12);
  });

  test('two suppressed members bound each other through the 0-1 range', () => {
    // W 100 = 90 + 10: with rural hidden too, urban = (50 - 90 x_rural) / 10, x_rural in [0,1], so urban in [0, 1]
    // clipped; rural = (50 - 10 x_urban) / 90 in [0.444, 0.556]: rural is pinned within +-5.6 points.
    const cells = [proportion(0.5, 100), proportion(0.5, 90), proportion(0.5, 10, true)];
    const [, rural, urban] = auditSuppressedIntervals(cells, [{ total: 0, members: [1, 2] }], [false, true, true]);
    expect(urban).toEqual([0, 1]);
    expect(rural![0]).toBeCloseTo(40 / 90, 12);
    expect(rural![1]).toBeCloseTo(50 / 90, 12);
  });

  test('chains relations: a hidden province total and a hidden city are bounded through the national relation', () => {
    // national(0) = provA(1) + provB(2); provA = city1(3) + city2(4). Hidden: provA, city2. Published: national, provB, city1.
    const cells = [proportion(0.4, 300), proportion(0.3, 100), proportion(0.45, 200), proportion(0.2, 60), proportion(0.45, 40, true)];
    const relations = [
      { total: 0, members: [1, 2] },
      { total: 1, members: [3, 4] },
    ];
    const intervals = auditSuppressedIntervals(cells, relations, [false, true, false, false, true]);
    // provA = (120 - 90) / 100 = 0.3 exactly, and then city2 = (30 - 12) / 40 = 0.45 exactly.
    expect(intervals[1]![1] - intervals[1]![0]).toBeLessThan(1e-9);
    expect(intervals[4]![0]).toBeCloseTo(0.45, 9);
  });
});

describe('suppressComplementaryCells', () => {
  test('leaves a table without primary suppressions alone', () => {
    const cells = [proportion(0.5, 100), proportion(0.45, 80), proportion(0.7, 20)];
    const result = suppressComplementaryCells(cells, [{ total: 0, members: [1, 2] }], { protection: 0.025 });
    expect(result.status).toEqual(['published', 'published', 'published']);
  });

  test('hides the smallest member that gives enough protection, not the total', () => {
    // all = a + b + c + d. d is primary (W 10). c (W 15) can move d by 15/10 = 1.5 >= 0.05: enough and smallest.
    const cells = [proportion(0.5, 225), proportion(0.5, 100), proportion(0.5, 100), proportion(0.4, 15), proportion(0.6, 10, true)];
    const result = suppressComplementaryCells(cells, [{ total: 0, members: [1, 2, 3, 4] }], { protection: 0.025 });
    expect(result.status).toEqual(['published', 'published', 'published', 'secondary', 'primary']);
    expect(result.unprotected).toEqual([]);
    for (const i of [3, 4]) expect(result.intervals[i]![1] - result.intervals[i]![0]).toBeGreaterThanOrEqual(0.05);
  });

  test('a tiny complement does not protect a large hidden cell: a bigger one is chosen', () => {
    // The primary cell has W 40 (n < 30 with large weights). A member of W 1 could move it by only 1/40 = 0.025 < 0.05,
    // so the routine takes the member of W 5 (5/40 = 0.125) although W 1 is smaller.
    const cells = [proportion(0.5, 146), proportion(0.5, 100), proportion(0.5, 1), proportion(0.5, 5), proportion(0.5, 40, true)];
    const result = suppressComplementaryCells(cells, [{ total: 0, members: [1, 2, 3, 4] }], { protection: 0.025 });
    expect(result.status).toEqual(['published', 'published', 'published', 'secondary', 'primary']);
    const width = (i: number) => result.intervals[i]![1] - result.intervals[i]![0];
    expect(width(4)).toBeGreaterThanOrEqual(0.05);
    expect(width(3)).toBeGreaterThanOrEqual(0.05);
  });

  test('protects a 2 x 2 linked table (hukou x range) where one hidden cell sits in two relations', () => {
    // Cells: index = 3 * h + r with h in {all, rural, urban}, r in {all, r1, r2}. Weights: rural 80/40/40, urban 20/12/8.
    // Urban x r2 (index 8) is primary. Relations: hukou (all = rural + urban) per range, range (all = r1 + r2) per hukou.
    // Interior cells, then the margins computed from them so that every relation holds exactly.
    const inner: Record<number, [number, number]> = { 4: [40, 0.44], 5: [40, 0.46], 7: [12, 0.68], 8: [8, 0.73] };
    const w: number[] = [];
    const x: number[] = [];
    for (const [i, [weight, value]] of Object.entries(inner)) [w[Number(i)], x[Number(i)]] = [weight, value];
    const margin = (i: number, parts: number[]) => {
      w[i] = parts.reduce((s, k) => s + w[k]!, 0);
      x[i] = parts.reduce((s, k) => s + w[k]! * x[k]!, 0) / w[i];
    };
    margin(3, [4, 5]);
    margin(6, [7, 8]);
    margin(1, [4, 7]);
    margin(2, [5, 8]);
    margin(0, [3, 6]);
    const cells = w.map((weight, i) => proportion(x[i]!, weight, i === 8));
    const relations: AdditiveRelation[] = [];
    for (let r = 0; r < 3; r++) relations.push({ total: r, members: [3 + r, 6 + r] });
    for (let h = 0; h < 3; h++) relations.push({ total: 3 * h, members: [3 * h + 1, 3 * h + 2] });
    const result = suppressComplementaryCells(cells, relations, { protection: 0.025 });
    const hidden = result.status.map((s, i) => (s === 'published' ? -1 : i)).filter((i) => i >= 0);
    // Known answer: the rectangle urban x {r1, r2} and rural x {r1, r2} hides 4 cells; no total is touched.
    expect(hidden).toEqual([4, 5, 7, 8]);
    expect(result.unprotected).toEqual([]);
    const audit = auditSuppressedIntervals(cells, relations, result.status.map((s) => s !== 'published'));
    for (const i of hidden) expect(audit[i]![1] - audit[i]![0]).toBeGreaterThanOrEqual(0.05);
  });

  test('reports a cell it cannot protect instead of looping (every other cell already hidden)', () => {
    const cells = [proportion(0.5, 100, true), proportion(0.45, 99, true), proportion(0.7, 1, true)];
    const result = suppressComplementaryCells(cells, [{ total: 0, members: [1, 2] }], { protection: 0.025 });
    // all and rural move together (W 100 vs 99): each is pinned to within 1/99 of the other, but not absolutely.
    expect(result.status).toEqual(['primary', 'primary', 'primary']);
    expect(result.unprotected).toEqual([]);
  });

  test('means on a 0-100 scale use their own bounds and protection', () => {
    const score = (value: number, weight: number, primary = false): SuppressionCell => ({ value, weight, lower: 0, upper: 100, primary });
    const cells = [score(60, 100), score(58, 70), score(70, 25), score(50, 5, true)];
    const result = suppressComplementaryCells(cells, [{ total: 0, members: [1, 2, 3] }], { protection: 2.5 });
    expect(result.status).toEqual(['published', 'published', 'secondary', 'primary']);
    expect(result.intervals[3]![1] - result.intervals[3]![0]).toBeGreaterThanOrEqual(5);
  });
});

describe('protectIndicatorCells (hukou x range x city -> tier -> national)', () => {
  // Two cities of one tier in two provinces of one region; every interior cell (city x rural/urban x range) has a
  // weight and a value; margins are computed from them so that every relation holds exactly.
  const twoProvinces: CityPlace[] = [
    { code: '110100', provinceCode: '11', region: 'east', tier: 'tier1' },
    { code: '310100', provinceCode: '31', region: 'east', tier: 'tier1' },
  ];
  const places = twoProvinces;
  const ranges = ['inter_province', 'inter_city', 'inter_county'] as const;
  function table(smallWeight: number, places: CityPlace[] = twoProvinces) {
    const interior: IndicatorCellInput[] = [];
    places.forEach((place, c) => {
      for (const hukou of ['rural', 'urban'] as const) {
        ranges.forEach((range, r) => {
          const small = c === 0 && hukou === 'urban' && range === 'inter_county';
          const weight = small ? smallWeight : hukou === 'rural' ? 400 + 50 * r + 30 * c : 120 + 10 * r + 20 * c;
          interior.push({ indicator: 'p', geoLevel: 'city', geoCode: place.code, hukou, migrationRange: range, n: small ? 12 : 200, df: 10, estimate: 0.3 + 0.05 * r + 0.1 * c + (hukou === 'urban' ? 0.1 : 0), se: 0.02, weight });
        });
      }
    });
    const margins: IndicatorCellInput[] = [];
    const geos: Array<[IndicatorCellInput['geoLevel'], string, (cell: IndicatorCellInput) => boolean]> = [
      ['national', 'CN', () => true],
      ['region', 'east', () => true],
      ['tier', 'tier1', () => true],
      ...places.map((p) => ['province', p.provinceCode, (cell: IndicatorCellInput) => cell.geoCode === p.code] as [IndicatorCellInput['geoLevel'], string, (cell: IndicatorCellInput) => boolean]),
      ...places.map((p) => ['city', p.code, (cell: IndicatorCellInput) => cell.geoCode === p.code] as [IndicatorCellInput['geoLevel'], string, (cell: IndicatorCellInput) => boolean]),
    ];
    for (const [geoLevel, geoCode, inGeo] of geos) {
      for (const hukou of ['all', 'rural', 'urban'] as const) {
        for (const range of ['all', ...ranges] as const) {
          if (geoLevel === 'city' && hukou !== 'all' && range !== 'all') continue; // interior, already there
          const parts = interior.filter((cell) => inGeo(cell) && (hukou === 'all' || cell.hukou === hukou) && (range === 'all' || cell.migrationRange === range));
          const weight = parts.reduce((s, cell) => s + cell.weight, 0);
          const estimate = parts.reduce((s, cell) => s + cell.weight * (cell.estimate as number), 0) / weight;
          margins.push({ indicator: 'p', geoLevel, geoCode, hukou, migrationRange: range, n: parts.reduce((s, cell) => s + cell.n, 0), df: 10, estimate, se: 0.01, weight });
        }
      }
    }
    return [...interior, ...margins];
  }
  const hidden = (cells: IndicatorCellInput[], outcomes: Array<{ status: string }>) =>
    cells.map((cell, i) => [cell, outcomes[i]!.status] as const).filter(([cell, status]) => status !== 'published' && status !== 'unpublished' && cell.geoLevel !== 'province').map(([cell, status]) => `${status} ${cell.geoCode} ${cell.hukou} ${cell.migrationRange}`);

  test('one small urban inter-county cell gets the cube {both cities} x {rural, urban} x {inter-county, one other range}', () => {
    const cells = table(30);
    const { outcomes, unprotected } = protectIndicatorCells(cells, places, { minN: 30, scale: () => [0, 1] });
    expect(unprotected).toEqual([]);
    expect(hidden(cells, outcomes).sort()).toEqual(
      [
        'primary 110100 urban inter_county',
        'secondary 110100 rural inter_county',
        'secondary 110100 urban inter_province',
        'secondary 110100 rural inter_province',
        'secondary 310100 urban inter_county',
        'secondary 310100 rural inter_county',
        'secondary 310100 urban inter_province',
        'secondary 310100 rural inter_province',
      ].sort(),
    );
    // Regions are never published. Each province here has one city, so its cell is that city's cell: hidden exactly
    // where the city is (primary where the city is primary), published elsewhere.
    expect(outcomes.filter((o, i) => cells[i]!.geoLevel === 'region').every((o) => o.status === 'unpublished' || o.status === 'primary')).toBe(true);
    const statusOf = (level: string, code: string, hukou: string, range: string) =>
      outcomes[cells.findIndex((c) => c.geoLevel === level && c.geoCode === code && c.hukou === hukou && c.migrationRange === range)]!.status;
    for (const place of places) {
      for (const hukou of ['all', 'rural', 'urban']) {
        for (const range of ['all', ...ranges]) {
          const city = statusOf('city', place.code, hukou, range);
          expect(statusOf('province', place.provinceCode, hukou, range), `${place.provinceCode} ${hukou} ${range}`).toBe(city === 'published' ? 'published' : city);
        }
      }
    }
  });

  test('a province with exactly one hidden city is hidden itself rather than a second city; no city is hidden for the provinces', () => {
    // Three cities of one tier, two of them in Guangdong: the cube around Beijing's small cell takes one Guangdong
    // city as its partner, so each of Guangdong's cube slices holds exactly one hidden city.
    const threeCities: CityPlace[] = [
      { code: '110100', provinceCode: '11', region: 'east', tier: 'tier1' },
      { code: '440100', provinceCode: '44', region: 'east', tier: 'tier1' },
      { code: '440300', provinceCode: '44', region: 'east', tier: 'tier1' },
    ];
    const cells = table(30, threeCities);
    const withProvinces = protectIndicatorCells(cells, threeCities, { minN: 30, scale: () => [0, 1] });
    const tierOnly = protectIndicatorCells(cells, threeCities, { minN: 30, scale: () => [0, 1], publishedLevels: ['national', 'tier', 'city'] });
    expect(withProvinces.unprotected).toEqual([]);
    // The city, tier and national cells are exactly those of the tier hierarchy alone.
    cells.forEach((cell, i) => {
      if (cell.geoLevel !== 'province' && cell.geoLevel !== 'region') expect(withProvinces.outcomes[i]!.status, JSON.stringify(cell)).toBe(tierOnly.outcomes[i]!.status);
    });
    const statusOf = (level: string, code: string, hukou: string, range: string) =>
      withProvinces.outcomes[cells.findIndex((c) => c.geoLevel === level && c.geoCode === code && c.hukou === hukou && c.migrationRange === range)]!.status;
    let hiddenProvinceCells = 0;
    for (const hukou of ['all', 'rural', 'urban']) {
      for (const range of ['all', ...ranges]) {
        const hiddenCities = ['440100', '440300'].filter((city) => statusOf('city', city, hukou, range) !== 'published').length;
        const province = statusOf('province', '44', hukou, range);
        if (hiddenCities === 0) expect(province, `${hukou} ${range}`).toBe('published');
        if (hiddenCities === 1) {
          expect(province, `${hukou} ${range}`).toBe('secondary');
          hiddenProvinceCells++;
        }
      }
    }
    expect(hiddenProvinceCells).toBeGreaterThan(0);
    // The attack over every relation (provinces and their margins included) narrows no primary cell and no hidden
    // city, tier or national cell; hidden province cells protect their cities and need no interval of their own.
    const index = new Map(cells.map((c, i) => [`${c.geoLevel}|${c.geoCode}|${c.hukou}|${c.migrationRange}`, i]));
    const relations = indicatorRelations((l, c, h, r) => index.get(`${l}|${c}|${h}|${r}`), threeCities);
    const outcomes = withProvinces.outcomes;
    const suppressionCells = cells.map((c, i) => ({ value: outcomes[i]!.status === 'published' ? c.estimate : null, weight: c.weight, lower: 0, upper: 1, primary: outcomes[i]!.status === 'primary' }));
    const intervals = auditSuppressedIntervals(suppressionCells, relations, outcomes.map((o) => o.status !== 'published'));
    let attacked = 0;
    outcomes.forEach((o, i) => {
      if (o.status === 'primary' || (o.status === 'secondary' && cells[i]!.geoLevel !== 'province')) {
        attacked++;
        expect(intervals[i]![1] - intervals[i]![0], JSON.stringify(cells[i])).toBeGreaterThanOrEqual(0.05);
      }
    });
    expect(attacked).toBeGreaterThan(8);
  });

  test('a province hidden to protect its one hidden city is shown as a 10-point range where the attack, knowing the range, narrows nothing', () => {
    // As above, with a smaller primary cell (weight 10): its cube's cells are then protected widely enough that some
    // of Guangdong's hidden province cells can be shown as ranges; with weight 30 none can (the attack would narrow).
    const threeCities: CityPlace[] = [
      { code: '110100', provinceCode: '11', region: 'east', tier: 'tier1' },
      { code: '440100', provinceCode: '44', region: 'east', tier: 'tier1' },
      { code: '440300', provinceCode: '44', region: 'east', tier: 'tier1' },
    ];
    const cells = table(10, threeCities);
    const { outcomes, unprotected } = protectIndicatorCells(cells, threeCities, { minN: 30, scale: () => [0, 1] });
    expect(unprotected).toEqual([]);
    expect(protectIndicatorCells(table(30, threeCities), threeCities, { minN: 30, scale: () => [0, 1] }).outcomes.filter((o) => o.band !== null)).toEqual([]);
    const ranged = outcomes.map((o, i) => [cells[i]!, o] as const).filter(([, o]) => o.band !== null);
    expect(ranged.length).toBeGreaterThan(0);
    for (const [cell, o] of ranged) {
      // Only hidden province cells, each range 10 points wide on the 0.1 grid and holding the true value.
      expect([cell.geoLevel, o.status]).toEqual(['province', 'secondary']);
      const [low, high] = o.band!;
      expect(high - low).toBeCloseTo(0.1, 9);
      expect(Math.abs(low * 10 - Math.round(low * 10))).toBeLessThan(1e-9);
      expect(cell.estimate!).toBeGreaterThanOrEqual(low);
      expect(cell.estimate!).toBeLessThanOrEqual(high);
    }
    // The attack with the ranges as bounds: no primary cell and no hidden city, tier or national cell within +-2.5 points.
    const index = new Map(cells.map((c, i) => [`${c.geoLevel}|${c.geoCode}|${c.hukou}|${c.migrationRange}`, i]));
    const relations = indicatorRelations((l, c, h, r) => index.get(`${l}|${c}|${h}|${r}`), threeCities);
    const attackCells = cells.map((c, i) => ({ value: outcomes[i]!.status === 'published' ? c.estimate : null, weight: c.weight, lower: outcomes[i]!.band?.[0] ?? 0, upper: outcomes[i]!.band?.[1] ?? 1, primary: outcomes[i]!.status === 'primary' }));
    const intervals = auditSuppressedIntervals(attackCells, relations, outcomes.map((o) => o.status !== 'published'));
    outcomes.forEach((o, i) => {
      if (o.status === 'primary' || (o.status === 'secondary' && cells[i]!.geoLevel !== 'province')) expect(intervals[i]![1] - intervals[i]![0], JSON.stringify(cells[i])).toBeGreaterThanOrEqual(0.05);
    });
    // Without provinces on the map there is nothing to show as a range.
    const tierOnly = protectIndicatorCells(cells, threeCities, { minN: 30, scale: () => [0, 1], publishedLevels: ['national', 'tier', 'city'] });
    expect(tierOnly.outcomes.every((o) => o.band === null)).toBe(true);
  });

  test('ranges sit on a grid of 10 points from the lower bound of the scale and stay inside it', () => {
    expect(bandOf(0.263, 0, 1)).toEqual([0.2, 0.3]);
    expect(bandOf(0.3, 0, 1)).toEqual([0.3, 0.4]);
    expect(bandOf(1, 0, 1)).toEqual([0.9, 1]);
    expect(bandOf(0, 0, 1)).toEqual([0, 0.1]);
    expect(bandOf(57.5, 0, 100)).toEqual([50, 60]);
  });

  test('every hidden cell of the result survives the interval attack with true weights', () => {
    const cells = table(30);
    const { outcomes } = protectIndicatorCells(cells, places, { minN: 30, scale: () => [0, 1] });
    const index = new Map(cells.map((c, i) => [`${c.geoLevel}|${c.geoCode}|${c.hukou}|${c.migrationRange}`, i]));
    const relations = indicatorRelations((l, c, h, r) => index.get(`${l}|${c}|${h}|${r}`), places);
    const suppressionCells = cells.map((c, i) => ({ value: outcomes[i]!.status === 'published' ? c.estimate : null, weight: c.weight, lower: 0, upper: 1, primary: outcomes[i]!.status === 'primary' }));
    const intervals = auditSuppressedIntervals(suppressionCells, relations, outcomes.map((o) => o.status !== 'published'));
    outcomes.forEach((o, i) => {
      if (o.status === 'primary' || o.status === 'secondary') expect(intervals[i]![1] - intervals[i]![0], JSON.stringify(cells[i])).toBeGreaterThanOrEqual(0.05);
    });
  });

  test('flags 30-49 respondents and a CV above 30% as unreliable, not hidden', () => {
    expect(isUnreliable(45, 0.5, 0.02)).toBe(true);
    expect(isUnreliable(50, 0.5, 0.02)).toBe(false);
    expect(isUnreliable(500, 0.05, 0.02)).toBe(true);
    expect(isUnreliable(500, 0.05, 0.01)).toBe(false);
  });
});
