// The dashboard's geography: 31 provinces in their NBS regions and the prefecture-level cities with their 2017 tiers,
// as listed in db/calibration-targets.json, including the eight cities of the 2014 module with their fixed codes.
import { describe, expect, test } from 'vitest';
import targets from '@/db/calibration-targets.json';
import { openDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { CITIES, cityByCode, insertGeography, MODULE_2014_CITY_CODES, PROVINCES, provinceOf } from '@/db/geography';
import { cities, provinces } from '@/db/schema';

const TIERS = ['tier1', 'new_tier1', 'tier2', 'tier3', 'tier4plus'] as const;
const REGIONS = ['east', 'central', 'west', 'northeast'] as const;
const tierLists = targets.geography.city_tiers_2017;

describe('provinces', () => {
  test('are the 31 mainland provinces with unique two-digit GB/T 2260 codes', () => {
    expect(PROVINCES).toHaveLength(31);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(31);
    for (const p of PROVINCES) expect(p.code).toMatch(/^[1-6]\d$/);
  });

  test('sit in the NBS region that the calibration file lists them under', () => {
    for (const region of REGIONS) {
      const listed = [...targets.geography.regions[region]].sort();
      const ours = PROVINCES.filter((p) => p.region === region).map((p) => p.nameEn).sort();
      expect(ours, region).toEqual(listed);
    }
  });
});

describe('cities', () => {
  test('are at least 70, with unique six-digit codes inside their province', () => {
    expect(CITIES.length).toBeGreaterThanOrEqual(70);
    expect(new Set(CITIES.map((c) => c.code)).size).toBe(CITIES.length);
    expect(new Set(CITIES.map((c) => c.nameEn)).size).toBe(CITIES.length);
    for (const c of CITIES) {
      expect(c.code).toMatch(/^\d{6}$/);
      expect(c.code.slice(0, 2)).toBe(c.provinceCode);
      expect(PROVINCES.some((p) => p.code === c.provinceCode), c.code).toBe(true);
    }
  });

  test('represent every province at least once', () => {
    for (const p of PROVINCES) expect(CITIES.some((c) => c.provinceCode === p.code), p.nameEn).toBe(true);
  });

  test('cover every region with several cities and every tier with several cities', () => {
    for (const region of REGIONS) expect(CITIES.filter((c) => provinceOf(c).region === region).length, region).toBeGreaterThanOrEqual(6);
    for (const tier of TIERS) expect(CITIES.filter((c) => c.tier === tier).length, tier).toBeGreaterThanOrEqual(4);
  });

  test('give the four municipalities the codes 110100, 120100, 310100, 500100', () => {
    expect(['110100', '120100', '310100', '500100'].map((code) => cityByCode(code).nameEn)).toEqual(['Beijing', 'Tianjin', 'Shanghai', 'Chongqing']);
  });

  test('include the eight cities of the 2014 module with exactly their codes', () => {
    const expected = [
      ['110100', '北京', 'Beijing'],
      ['510100', '成都', 'Chengdu'],
      ['330400', '嘉兴', 'Jiaxing'],
      ['370200', '青岛', 'Qingdao'],
      ['350200', '厦门', 'Xiamen'],
      ['440300', '深圳', 'Shenzhen'],
      ['410100', '郑州', 'Zhengzhou'],
      ['442000', '中山', 'Zhongshan'],
    ];
    for (const [code, nameZh, nameEn] of expected) expect(cityByCode(code!)).toMatchObject({ nameZh, nameEn });
    expect([...MODULE_2014_CITY_CODES].sort()).toEqual(expected.map(([code]) => code).sort());
    expect(targets.module_2014_eight_cities.cities.map((name) => CITIES.find((c) => c.nameEn === name)?.code)).toEqual(
      [...MODULE_2014_CITY_CODES],
    );
  });

  test('carry the 2017 Yicai tiers of the calibration file (compared by Chinese name)', () => {
    const listed: Record<string, readonly string[]> = {
      tier1: tierLists.tier1,
      new_tier1: tierLists.new_tier1,
      tier2: tierLists.tier2,
      tier3: tierLists.tier3_first_entries,
    };
    const allListed = new Set(Object.values(listed).flat());
    for (const c of CITIES) {
      if (c.tier === 'tier4plus') expect(allListed.has(c.nameZh), `${c.nameZh} is listed in a higher tier`).toBe(false);
      else expect(listed[c.tier], `${c.nameZh} as ${c.tier}`).toContain(c.nameZh);
    }
    // The first- and new-first-tier lists are complete in our geography.
    for (const name of [...tierLists.tier1, ...tierLists.new_tier1]) expect(CITIES.some((c) => c.nameZh === name), name).toBe(true);
  });
});

describe('insertGeography', () => {
  test('upserts provinces and cities, twice without duplicates', () => {
    const db = openDatabase(':memory:');
    applyMigrations(db);
    insertGeography(db);
    insertGeography(db);
    expect(db.select().from(provinces).all()).toHaveLength(PROVINCES.length);
    const stored = db.select().from(cities).all();
    expect(stored).toHaveLength(CITIES.length);
    expect(stored.find((c) => c.code === '442000')).toEqual({ code: '442000', nameZh: '中山', nameEn: 'Zhongshan', provinceCode: '44', tier: 'tier2' });
    db.$client.close();
  });
});
