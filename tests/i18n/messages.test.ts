// The interface speaks both languages completely: the two message files have the same keys and placeholders, and the
// language falls back to Chinese unless the browser prefers English.
import { describe, expect, test } from 'vitest';
import en from '@/lib/i18n/messages/en.json';
import zh from '@/lib/i18n/messages/zh.json';
import { localeFromAcceptLanguage, translator } from '@/lib/i18n/messages';
import { CITY_TIERS, HUKOU_FILTERS, INDICATORS, MIGRATION_RANGE_FILTERS, REGIONS } from '@/lib/indicators/catalogue';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('interface messages', () => {
  test('Chinese and English have the same keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, text] of [...Object.entries(zh), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
  });

  test('each message uses the same placeholders in both languages', () => {
    for (const key of Object.keys(zh) as Array<keyof typeof zh>) {
      expect(new Set(placeholders(en[key])), key).toEqual(new Set(placeholders(zh[key])));
    }
  });

  test('every filter value of the catalogue has a label', () => {
    const keys = new Set(Object.keys(zh));
    for (const h of HUKOU_FILTERS) expect(keys.has(`hukou.${h}`)).toBe(true);
    for (const r of MIGRATION_RANGE_FILTERS) expect(keys.has(`range.${r}`)).toBe(true);
    for (const r of REGIONS) expect(keys.has(`region.${r}`)).toBe(true);
    for (const t of CITY_TIERS) expect(keys.has(`tier.${t}`)).toBe(true);
    for (const i of INDICATORS) expect(keys.has(`methodology.kind.${i.kind}`)).toBe(true);
  });

  test('fills in variables and says suppressed cells in words', () => {
    expect(translator('en')('table.suppressed', { min: 30 })).toBe('suppressed (n < 30)');
    expect(translator('zh')('table.suppressed', { min: 30 })).toContain('数据不足，已隐藏');
  });

  test('chooses Chinese unless the browser prefers English', () => {
    expect(localeFromAcceptLanguage(undefined)).toBe('zh');
    expect(localeFromAcceptLanguage('fr-FR,fr;q=0.9')).toBe('zh');
    expect(localeFromAcceptLanguage('en-GB,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(localeFromAcceptLanguage('de;q=0.9,en;q=0.5')).toBe('en');
  });
});
