import { describe, expect, test } from 'vitest';
import { PROVINCES } from '@/db/demo/geography';
import { colourScale } from '@/lib/map/colour-classes';
import { mapQuery, parseMapFilters } from '@/lib/map/filters';
import { PROVINCE_TILES, TILE_COLUMNS, TILE_ROWS } from '@/lib/map/province-tiles';

describe('province tile grid', () => {
  test('has one tile per province of the dashboard, plus Taiwan, Hong Kong and Macau marked not surveyed', () => {
    for (const province of PROVINCES) expect(PROVINCE_TILES.filter((t) => t.code === province.code && t.surveyed), province.code).toHaveLength(1);
    expect(PROVINCE_TILES.filter((t) => !t.surveyed).map((t) => t.code).sort()).toEqual(['71', '81', '82']);
    expect(PROVINCE_TILES).toHaveLength(PROVINCES.length + 3);
  });

  test('places every tile on its own square inside the grid', () => {
    const squares = new Set(PROVINCE_TILES.map((t) => `${t.column},${t.row}`));
    expect(squares.size).toBe(PROVINCE_TILES.length);
    for (const t of PROVINCE_TILES) {
      expect(t.column).toBeGreaterThanOrEqual(0);
      expect(t.column).toBeLessThan(TILE_COLUMNS);
      expect(t.row).toBeGreaterThanOrEqual(0);
      expect(t.row).toBeLessThan(TILE_ROWS);
    }
  });

  test('keeps the broad geography: west to east and north to south', () => {
    const at = (iso: string) => PROVINCE_TILES.find((t) => t.iso === iso)!;
    expect(at('XJ').column).toBeLessThan(at('GS').column);
    expect(at('SH').column).toBeGreaterThan(at('SC').column);
    expect(at('HL').row).toBeLessThan(at('GD').row);
    expect(at('HI').row).toBeGreaterThan(at('GX').row);
  });
});

describe('colour classes', () => {
  test('cover every value with five classes of a round step', () => {
    const scale = colourScale([0.108, 0.2, 0.443, 0.31])!;
    expect(scale.breaks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(scale.classOf(0.108)).toBe(0);
    expect(scale.classOf(0.2)).toBe(1);
    expect(scale.classOf(0.443)).toBe(3);
  });

  test('work for means on a 0–100 scale and for a single value', () => {
    const scale = colourScale([48.2, 61.9, 55])!;
    expect(scale.breaks[0]).toBeLessThanOrEqual(48.2);
    expect(scale.breaks[5]).toBeGreaterThanOrEqual(61.9);
    expect(colourScale([0.3])!.classOf(0.3)).toBeGreaterThanOrEqual(0);
    expect(colourScale([])).toBeNull();
  });
});

describe('map view in the URL', () => {
  test('reads the comparison filters, the layer and the open province, and writes them back', () => {
    const filters = parseMapFilters({ indicator: 'health_record', hukou: 'rural', range: 'inter_province', province: '44', layer: 'city' });
    expect(filters).toMatchObject({ indicator: 'health_record', hukou: 'rural', range: 'inter_province', province: '44', layer: 'city', wave: 2017 });
    expect(parseMapFilters(Object.fromEntries(new URLSearchParams(mapQuery(filters))))).toEqual(filters);
  });

  test('falls back on malformed values', () => {
    expect(parseMapFilters({ province: 'x1', layer: 'globe' })).toMatchObject({ province: null, layer: 'province' });
  });
});
