// Every city's briefing and the comparison, in both languages, rendered one after another in one process (as the
// warm render worker does): every city name, indicator label and filter label comes back from pdftotext intact, and
// pdffonts lists only embedded fonts. Guards against glyphs dropped by font state shared between documents.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';
import type { BriefingModel } from '@/lib/pdf/briefing-model';

// lib/env reads DATABASE_PATH at first import: set it before any project module loads.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'every-briefing-'));
process.env.DATABASE_PATH = path.join(folder, 'briefing.db');

const DATE = new Date('2026-03-02T09:30:00+08:00');
const HUKOU = ['rural', 'urban', 'all'] as const;
const RANGES = ['inter_province', 'inter_city', 'inter_county', 'all'] as const;

let db: AppDatabase;
let prepare: typeof import('@/lib/pdf/prepare-briefing');
let render: typeof import('@/lib/pdf/render-briefing');
let cities: typeof import('@/db/geography').CITIES;

beforeAll(async () => {
  const { openDatabase } = await import('@/db/client');
  const { applyMigrations } = await import('@/db/migrate');
  const { loadDemonstrationData } = await import('@/db/demo/load');
  db = openDatabase(process.env.DATABASE_PATH!);
  applyMigrations(db);
  loadDemonstrationData(db);
  prepare = await import('@/lib/pdf/prepare-briefing');
  render = await import('@/lib/pdf/render-briefing');
  cities = (await import('@/db/geography')).CITIES;
});

afterAll(() => {
  db?.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The strings a reader must find intact: the title, the filter facts, the table's and the chart's row labels. */
function expectedStrings(model: BriefingModel): string[] {
  return [
    model.cover.title,
    ...model.cover.facts.map((f) => f.value),
    ...model.headline.rows.map((r) => r.label),
    ...model.chart.groups.flatMap((g) => g.rows.map((r) => r.label)),
  ].filter((s) => s.trim() !== '');
}

async function renderAndRead(model: BriefingModel, name: string): Promise<{ text: string; fonts: string }> {
  const file = path.join(folder, `${name}.pdf`);
  fs.writeFileSync(file, await render.renderBriefingPdf(model));
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  fs.rmSync(file);
  return { text, fonts };
}

/** Font rows of pdffonts whose "emb" column is not "yes". */
function notEmbedded(pdffonts: string): string[] {
  return pdffonts
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .filter((line) => line.trim().split(/\s+/).at(-5) !== 'yes');
}

describe('every briefing in sequence, in one process', () => {
  test('keeps every city name, indicator label and filter label, with every font embedded', async () => {
    const problems: string[] = [];
    let rendered = 0;
    const check = async (model: BriefingModel, name: string) => {
      const { text, fonts } = await renderAndRead(model, name);
      rendered++;
      const haystack = squeeze(text);
      for (const wanted of expectedStrings(model)) {
        if (!haystack.includes(squeeze(wanted))) problems.push(`${name}: "${wanted}" not found`);
      }
      for (const row of notEmbedded(fonts)) problems.push(`${name}: font not embedded: ${row}`);
    };
    for (const locale of ['zh', 'en'] as const) {
      for (const [index, city] of cities.entries()) {
        const hukou = HUKOU[index % HUKOU.length]!;
        const range = RANGES[index % RANGES.length]!;
        const prepared = await prepare.prepareCityBriefing({ cityCode: city.code, wave: 2017, hukou, range, locale, date: DATE });
        if (!prepared.ok) {
          problems.push(`${city.code} ${locale}: not prepared (${prepared.reason})`);
          continue;
        }
        await check(prepared.model, `${city.code}-${hukou}-${range}-${locale}`);
      }
      for (const [hukou, range] of [['rural', 'inter_province'], ['all', 'all'], ['urban', 'inter_county']] as const) {
        const prepared = await prepare.prepareComparisonBriefing({ indicator: 'health_record', wave: 2017, hukou, range, region: null, tier: null, cityCodes: null, locale, date: DATE });
        if (!prepared.ok) throw new Error(prepared.reason);
        await check(prepared.model, `compare-${hukou}-${range}-${locale}`);
      }
    }
    expect(rendered).toBe(2 * (cities.length + 3));
    expect(problems).toEqual([]);
  }, 900_000);
});
