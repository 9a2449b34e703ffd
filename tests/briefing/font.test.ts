// The embedded Chinese font covers every character a briefing can print: every city and province name, every message
// of both catalogues and every indicator label. Characters the Latin subset draws (Latin, digits, WinAnsi
// punctuation) may come from it instead; everything else must be in the subset's cmap.
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, test } from 'vitest';
import { CITIES, PROVINCES } from '@/db/geography';
import { INDICATORS } from '@/lib/indicators/catalogue';
import { coefficientSentence } from '@/lib/models/interpret';
import { MODEL_VARIABLES } from '@/lib/models/variables';
import { MESSAGES } from '@/lib/i18n/messages';
import { isLatinFontCharacter, latinFontCharacters } from '@/lib/pdf/font-coverage';

const FONT_FILE = path.resolve(import.meta.dirname, '..', '..', 'lib', 'pdf', 'fonts', 'briefing-sc.ttf');
const font = fontkit.create(fs.readFileSync(FONT_FILE));
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u;

function uncovered(texts: string[]): string[] {
  const missing = new Set<string>();
  for (const text of texts) {
    for (const character of text) {
      if (character === '\n') continue;
      const inSubset = font.hasGlyphForCodePoint(character.codePointAt(0)!);
      // Chinese must come from the subset; anything else from the subset or the Latin subset.
      if (CJK.test(character) ? !inSubset : !inSubset && !isLatinFontCharacter(character)) missing.add(character);
    }
  }
  return [...missing];
}

describe('briefing font subset', () => {
  test('is a TrueType font well under 2 MB, with its licence beside it', () => {
    const bytes = fs.readFileSync(FONT_FILE);
    expect(bytes.readUInt32BE(0)).toBe(0x00010000);
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    expect(fs.readFileSync(path.join(path.dirname(FONT_FILE), 'LICENSE.txt'), 'utf8')).toContain('Apache License');
  });

  test('covers every city and province name', () => {
    const names = [...CITIES.flatMap((c) => [c.nameZh, c.nameEn]), ...PROVINCES.flatMap((p) => [p.nameZh, p.nameEn])];
    expect(names.length).toBeGreaterThan(200);
    expect(uncovered(names)).toEqual([]);
  });

  test('covers every message of the Chinese and English catalogues and every indicator label', () => {
    expect(uncovered(Object.values(MESSAGES.zh))).toEqual([]);
    expect(uncovered(Object.values(MESSAGES.en))).toEqual([]);
    expect(uncovered(INDICATORS.flatMap((i) => [i.labelZh, i.unitZh, i.labelEn, i.unitEn]))).toEqual([]);
  });

  test('covers the model variables and the Chinese interpretation sentences that briefings quote', () => {
    expect(uncovered(MODEL_VARIABLES.flatMap((v) => [v.zh, v.en]))).toEqual([]);
    const row = { estimate: 0.3, ci_lower: 0.1, ci_upper: 0.5, p: 0.01 };
    const sentences = ['binomial', 'gaussian'].flatMap((family) =>
      MODEL_VARIABLES.map((v) => coefficientSentence({ locale: 'zh', key: v.id, outcome: 'local_identity', family: family as 'binomial' | 'gaussian', row, n: 1234, ame: row })),
    );
    expect(uncovered(sentences)).toEqual([]);
  });

  test('the Latin subsets (regular and bold) draw every character the Chinese subset leaves to them', () => {
    for (const file of ['briefing-latin.ttf', 'briefing-latin-bold.ttf']) {
      const latin = fontkit.create(fs.readFileSync(path.join(path.dirname(FONT_FILE), file)));
      expect([...latinFontCharacters()].filter((c) => c !== ' ' && c !== '\u00a0' && !latin.hasGlyphForCodePoint(c.codePointAt(0)!))).toEqual([]);
    }
    expect(fs.readFileSync(path.join(path.dirname(FONT_FILE), 'LICENSE-latin.txt'), 'utf8')).toContain('SIL OPEN FONT LICENSE');
  });

  test('has the hanzi of the Chinese catalogue in its own cmap, not by accident of a fallback', () => {
    const hanzi = [...new Set([...Object.values(MESSAGES.zh).join('')].filter((c) => CJK.test(c)))];
    expect(hanzi.length).toBeGreaterThan(300);
    expect(hanzi.filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!))).toEqual([]);
  });
});
