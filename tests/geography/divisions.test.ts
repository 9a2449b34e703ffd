import { describe, expect, test } from 'vitest';
import { CITIES, PROVINCES } from '@/db/geography';
import { namesOf } from '@/lib/geography/build-divisions';
import { listDivisions, lookupDivision } from '@/lib/geography/divisions';

describe('GB/T 2260 prefecture-level divisions', () => {
  test('every city of the demo geography is in the list, with its names, province and tier', () => {
    for (const city of CITIES) {
      const division = lookupDivision(city.code);
      expect(division, city.code).toBeDefined();
      expect(division).toMatchObject({ nameZh: city.nameZh, nameEn: city.nameEn, provinceCode: city.provinceCode, tier: city.tier });
    }
  });

  test('names cities the demo lacks in Chinese and English, with no tier', () => {
    expect(lookupDivision('445200')).toMatchObject({ nameZh: '揭阳', nameEn: 'Jieyang', officialNameZh: '揭阳市', provinceCode: '44', tier: null });
    expect(lookupDivision('530800')).toMatchObject({ nameZh: '普洱', nameEn: "Pu'er" });
    expect(lookupDivision('653100')).toMatchObject({ nameZh: '喀什', nameEn: 'Kashgar' });
    expect(lookupDivision('532900')).toMatchObject({ nameZh: '大理白族自治州', nameEn: 'Dali Autonomous Prefecture' });
  });

  test('keeps historic codes CMDS waves used (Laiwu, Chaohu, Tibetan prefectures before they became cities)', () => {
    expect(lookupDivision('371200')).toMatchObject({ nameZh: '莱芜', nameEn: 'Laiwu', provinceCode: '37' });
    expect(lookupDivision('341400')).toMatchObject({ nameZh: '巢湖', nameEn: 'Chaohu', provinceCode: '34' });
    expect(lookupDivision('542300')?.nameEn).toBe('Shigatse Prefecture');
    expect(lookupDivision('540200')?.nameEn).toBe('Shigatse');
  });

  test('refuses codes that are not prefecture-level divisions', () => {
    for (const code of ['999999', '440000', '440301', '4403', '']) expect(lookupDivision(code), code).toBeUndefined();
  });

  test('covers every province of the mainland with six-digit codes, once each', () => {
    const divisions = listDivisions();
    expect(new Set(divisions.map((d) => d.code)).size).toBe(divisions.length);
    for (const division of divisions) expect(division.code).toMatch(/^\d{4}00$/);
    for (const province of PROVINCES) expect(divisions.some((d) => d.provinceCode === province.code), province.code).toBe(true);
    expect(divisions.length).toBeGreaterThan(340);
  });

  test('strips 市/地区/盟 and names municipalities after their province', () => {
    expect(namesOf('阿里地区', '西藏', 'Tibet', '西藏自治区')).toEqual({ nameZh: '阿里', nameEn: 'Ngari' });
    expect(namesOf('锡林郭勒盟', '内蒙古', 'Inner Mongolia', '内蒙古自治区')).toEqual({ nameZh: '锡林郭勒', nameEn: 'Xilingol' });
    expect(namesOf('市辖区', '天津', 'Tianjin', '天津市')).toEqual({ nameZh: '天津', nameEn: 'Tianjin' });
    expect(namesOf('恩施土家族苗族自治州', '湖北', 'Hubei', '湖北省')).toEqual({ nameZh: '恩施土家族苗族自治州', nameEn: 'Enshi Autonomous Prefecture' });
  });
});
