// Briefings rendered from the demonstration database: the PDF parses; its text has the city's name and the same
// headline figures the query layer gives, formatted by the dashboard's own functions; suppressed cells show the
// notice, never a number; every page has ink; the same inputs give the same bytes; model findings appear only for
// checked preset runs on exactly the briefing's filters; the worker renders what the in-process renderer renders.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';
import type { BriefingModel } from '@/lib/pdf/briefing-model';

// lib/env reads DATABASE_PATH at first import: set it before any project module loads.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'briefing-'));
process.env.DATABASE_PATH = path.join(folder, 'briefing.db');

let db: AppDatabase;
let datasetId: number;
let prepare: typeof import('@/lib/pdf/prepare-briefing');
let render: typeof import('@/lib/pdf/render-briefing');
let queries: typeof import('@/lib/queries/indicators');
let format: typeof import('@/lib/indicators/format');
const DATE = new Date('2026-03-02T09:30:00+08:00');

beforeAll(async () => {
  const { openDatabase } = await import('@/db/client');
  const { applyMigrations } = await import('@/db/migrate');
  const { loadDemonstrationData } = await import('@/db/demo/load');
  db = openDatabase(process.env.DATABASE_PATH!);
  applyMigrations(db);
  datasetId = loadDemonstrationData(db).datasetId;
  prepare = await import('@/lib/pdf/prepare-briefing');
  render = await import('@/lib/pdf/render-briefing');
  queries = await import('@/lib/queries/indicators');
  format = await import('@/lib/indicators/format');
});

afterAll(async () => {
  const { closeSharedPools } = await import('@/lib/jobs/threads');
  await closeSharedPools();
  db?.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function cityModel(locale: 'zh' | 'en', hukou: 'all' | 'rural' | 'urban' = 'rural', range: 'all' | 'inter_county' = 'all', cityCode = '440300'): Promise<BriefingModel> {
  const prepared = await prepare.prepareCityBriefing({ cityCode, wave: 2017, hukou, range, locale, date: DATE });
  if (!prepared.ok) throw new Error(prepared.reason);
  return prepared.model;
}

function save(pdf: Buffer, name: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, pdf);
  return file;
}

const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);

/** Non-white pixels of each page rasterised at 50 dpi (greyscale PGM). */
function inkPerPage(file: string): number[] {
  const prefix = path.join(folder, `${path.basename(file, '.pdf')}-page`);
  execFileSync('pdftoppm', ['-r', '50', '-gray', file, prefix]);
  return fs
    .readdirSync(folder)
    .filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.pgm'))
    .sort()
    .map((f) => {
      const bytes = fs.readFileSync(path.join(folder, f));
      // P5 header: magic, width, height, maxval, each followed by whitespace; pixels follow.
      const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 50).toString('latin1'))!;
      const pixels = bytes.subarray(header[0].length);
      let ink = 0;
      for (const value of pixels) if (value < 230) ink++;
      return ink;
    });
}

/** The headline figures as the city page prints them: the query layer's cells through lib/indicators/format. */
async function expectedHeadline(locale: 'zh' | 'en', hukou: 'all' | 'rural') {
  const keys = ['integration_index', 'local_identity', 'health_record', 'health_education_any', 'insurance_any'];
  const kinds: Record<string, 'mean' | 'proportion'> = { integration_index: 'mean' };
  const levels = [
    ['city', '440300'],
    ['tier', 'tier1'],
    ['national', 'CN'],
  ] as const;
  const pairs = keys.flatMap((key) => levels.map(([level, code]) => ({ key, level, code })));
  return Promise.all(
    pairs.map(async ({ key, level, code }) => {
      const cell = await queries.getIndicatorCell(datasetId, 2017, level, code, key, hukou, 'all');
      if (!cell || cell.suppressed) throw new Error(`expected a published cell for ${key} ${level}`);
      const kind = kinds[key] ?? 'proportion';
      return {
        estimate: format.formatValue(cell.estimate, kind, locale),
        ci: format.formatInterval(cell.ciLow, cell.ciHigh, kind, locale),
        n: format.formatCount(cell.n as number, locale),
      };
    }),
  );
}

describe('city briefing', () => {
  for (const locale of ['zh', 'en'] as const) {
    test(`Shenzhen, rural hukou, ${locale}: parses, names the city, prints the query layer's figures, has ink on every page`, async () => {
      const file = save(await render.renderBriefingPdf(await cityModel(locale)), `shenzhen-rural-${locale}.pdf`);
      const pages = pageCount(file);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(4);
      const content = text(file);
      expect(content).toContain(locale === 'zh' ? '深圳' : 'Shenzhen');
      expect(content).toContain(locale === 'zh' ? '农业户籍' : 'Rural (agricultural) hukou');
      for (const figure of await expectedHeadline(locale, 'rural')) {
        expect(content).toContain(figure.estimate);
        expect(content).toContain(`(${figure.ci})`);
        expect(content).toContain(`n=${figure.n}`);
      }
      // The synthetic-data notice on every page (footer), and page numbers.
      const notice = locale === 'zh' ? '合成演示数据，非真实调查结果' : 'Synthetic demonstration data, not survey results';
      expect(content.split(notice).length - 1).toBe(pages);
      expect(content).toContain(locale === 'zh' ? `第${pages}页，共${pages}页` : `Page ${pages} of ${pages}`);
      const ink = inkPerPage(file);
      expect(ink).toHaveLength(pages);
      for (const count of ink) expect(count).toBeGreaterThan(2000);
    });
  }

  test('the chart is vector graphics: no raster image in the file', async () => {
    const file = save(await render.renderBriefingPdf(await cityModel('en')), 'vector.pdf');
    expect(fs.readFileSync(file).includes('/Subtype /Image')).toBe(false);
    expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  test('suppressed cells print the notice and "n < 30", never an estimate or their exact n', async () => {
    // A small city's urban inter-county migrants: the query layer suppresses (some of) these cells.
    const suppressed = (await queries.listCityRanking({ datasetId, wave: 2017, indicator: 'health_record', hukou: 'urban', migrationRange: 'inter_county' })).find((r) => r.status === 'primary');
    expect(suppressed).toBeDefined();
    expect(suppressed!.n).toBeNull();
    expect(suppressed!.nBand).toBe('under_min');
    const model = await cityModel('en', 'urban', 'inter_county', suppressed!.cityCode);
    const row = model.headline.rows.find((r) => r.label === 'Health record established')!;
    expect(row.cells[0]).toEqual({ estimate: '—', ci: 'suppressed (n < 30)', n: '', suppressed: true });
    const content = text(save(await render.renderBriefingPdf(model), 'suppressed.pdf'));
    expect(content).toContain('suppressed (n < 30)');
    expect(content).toContain('fewer than 30 respondents');
    // The legend explains secondary suppression and the parentheses too.
    expect(content).toContain('hidden to protect another cell');
    expect(content).toContain('in parentheses');
  });

  test('the same inputs give the same bytes', async () => {
    const first = await render.renderBriefingPdf(await cityModel('zh'));
    const second = await render.renderBriefingPdf(await cityModel('zh'));
    expect(second.equals(first)).toBe(true);
  });

  test('the render worker gives the same PDF as rendering in process', async () => {
    const { renderBriefingJob } = await import('@/lib/jobs/briefings');
    const model = await cityModel('en');
    const [inWorker, inProcess] = [await renderBriefingJob(model, 1), await render.renderBriefingPdf(model)];
    expect(inWorker.equals(inProcess)).toBe(true);
  });

  test('model findings from rows that are not checked model-page runs never appear (legacy or hand-written specs)', async () => {
    expect((await cityModel('en')).findings).toBeNull();
    const { modelCache } = await import('@/db/schema');
    const coef = (estimate: number, se: number) => ({ estimate, se, stat: estimate / se, p: 0.0004, ci_lower: estimate - 1.96 * se, ci_upper: estimate + 1.96 * se });
    db.insert(modelCache)
      .values({
        key: 'test-rural',
        datasetId,
        spec: JSON.stringify({ family: 'binomial', outcome: 'local_identity', predictors: ['health_record'], wave: 2017, hukou: 'rural' }),
        result: JSON.stringify({ fits: { glm: { n: 1234, coef: { '(Intercept)': coef(-0.5, 0.1), health_record: coef(0.321, 0.05) } } } }),
        durationMs: 10,
      })
      .run();
    try {
      expect((await cityModel('en')).findings).toBeNull();
    } finally {
      db.$client.prepare("DELETE FROM model_cache WHERE key = 'test-rural'").run();
    }
  });
});

test('a briefing quotes only a checked preset run on exactly its filters, never an ad-hoc or narrower run', async () => {
  const { modelCache } = await import('@/db/schema');
  const { modelRequestSchema } = await import('@/lib/models/request');
  const { PRESETS_BY_ID } = await import('@/lib/models/presets');
  const preset = PRESETS_BY_ID.get('bphs_ols')!.request;
  const coef = (estimate: number, se: number) => ({ estimate, se, stat: estimate / se, p: 0.0001, ci_lower: estimate - 1.96 * se, ci_upper: estimate + 1.96 * se });
  const result = { fits: { glm: { n: 1000, coef: { '(Intercept)': coef(60, 1), health_record: coef(2.5, 0.4), male: coef(0.1, 0.3) } } } };
  const store = (key: string, request: unknown, checked: boolean) => {
    const output = { datasetId, request, spec: {}, subgroupRows: 1000, droppedControls: [], durationMs: 10, result, ...(checked ? { disclosureChecked: 1 } : {}) };
    db.insert(modelCache).values({ key, datasetId, spec: JSON.stringify(request), result: JSON.stringify(output), durationMs: 10 }).run();
  };
  const exact = modelRequestSchema.parse({ ...preset, subgroup: { hukou: 'rural', cities: ['440300'] } });
  try {
    // Another user's ad-hoc run on the same subgroup, the preset on a narrower subgroup, and an unchecked preset run.
    store('adhoc', modelRequestSchema.parse({ wave: 2017, type: 'ols', outcome: 'integration_index', keys: ['health_record'], controls: ['male'], subgroup: { hukou: 'rural', cities: ['440300'] } }), true);
    store('narrower', modelRequestSchema.parse({ ...preset, subgroup: { hukou: 'rural', cities: ['440300'], sex: 'female' } }), true);
    store('unchecked', exact, false);
    expect((await cityModel('en')).findings).toBeNull();
    store('exact', exact, true);
    const model = await cityModel('en');
    expect(model.findings?.models).toHaveLength(1);
    expect(model.findings?.models[0]?.sentence).toMatch(/^Among 1,000 respondents, having a health record \(compared with not having one\) goes with a 2\.50-point higher social integration index/);
    expect((await cityModel('en', 'urban')).findings).toBeNull();
    const content = text(save(await render.renderBriefingPdf(model), 'findings-model-page.pdf')).replace(/\s+/g, ' ');
    expect(content).toContain('Among 1,000 respondents');
    expect(content).toContain('Social integration index (0–100)');
    // Terms and the model family by label, never as codes (issue 16, defect 5).
    expect(content).toContain('linear model');
    expect(content).not.toMatch(/\b[a-z]+_[a-z_]+\b|gaussian/);
  } finally {
    db.$client.prepare("DELETE FROM model_cache WHERE key IN ('adhoc', 'narrower', 'unchecked', 'exact')").run();
  }
});

describe('comparison briefing', () => {
  test('lists the chosen cities with the query layer figures and a benchmark', async () => {
    const prepared = await prepare.prepareComparisonBriefing({ indicator: 'health_record', wave: 2017, hukou: 'rural', range: 'all', region: null, tier: null, cityCodes: ['440300', '110100', '510100'], locale: 'en', date: DATE });
    if (!prepared.ok) throw new Error(prepared.reason);
    const file = save(await render.renderBriefingPdf(prepared.model), 'compare.pdf');
    const content = text(file);
    for (const [code, name] of [['440300', 'Shenzhen'], ['110100', 'Beijing'], ['510100', 'Chengdu']] as const) {
      const cell = (await queries.getIndicatorCell(datasetId, 2017, 'city', code, 'health_record', 'rural', 'all'))!;
      expect(content).toContain(name);
      expect(content).toContain(format.formatValue(cell.estimate, 'proportion', 'en'));
    }
    expect(content).toContain('City comparison: Health record established');
    expect(pageCount(file)).toBeLessThanOrEqual(4);
  });

  test('unknown cities are reported, not rendered', async () => {
    expect(await prepare.prepareComparisonBriefing({ indicator: 'health_record', wave: 2017, hukou: 'all', range: 'all', region: null, tier: null, cityCodes: ['999999'], locale: 'en', date: DATE })).toEqual({ ok: false, reason: 'unknown-city' });
    expect(await prepare.prepareCityBriefing({ cityCode: '999999', wave: 2017, hukou: 'all', range: 'all', locale: 'en', date: DATE })).toEqual({ ok: false, reason: 'unknown-city' });
  });
});

describe('download file name', () => {
  test('is ASCII-safe with a UTF-8 filename* variant', async () => {
    const { contentDisposition } = await import('@/lib/pdf/briefing-response');
    const header = contentDisposition({ ascii: 'briefing-shenzhen-440300-2017-rural-all-zh-2026-03-02', unicode: '深圳简报-440300-2017-rural-all-zh-2026-03-02' });
    expect(header).toBe(`attachment; filename="briefing-shenzhen-440300-2017-rural-all-zh-2026-03-02.pdf"; filename*=UTF-8''${encodeURIComponent('深圳简报-440300-2017-rural-all-zh-2026-03-02.pdf')}`);
    expect(/^[\x20-\x7e]*$/.test(header)).toBe(true);
  });
});

describe('equity section of the city briefing', () => {
  test("prints the city's hukou gaps with 95% CIs against its tier and the nation, as the query layer rounds them", async () => {
    const { getEquityFigure } = await import('@/lib/queries/equity');
    const model = await cityModel('en', 'all', 'all');
    expect(model.equity).toBeTruthy();
    const file = save(await render.renderBriefingPdf(model), 'shenzhen-equity-en.pdf');
    const content = text(file);
    expect(content).toContain('Gaps: rural minus urban hukou');
    const selection = { datasetId, wave: 2017, indicator: 'health_record', kind: 'proportion' as const, family: 'hukou_gap' as const, measure: 'D' as const, hukou: 'all' as const, migrationRange: 'all' as const };
    for (const [level, code] of [['city', '440300'], ['national', 'CN']] as const) {
      const figure = await getEquityFigure(selection, level, code);
      expect(figure, `${level} gap`).not.toBeNull();
      expect(content).toContain(`(${figure!.low.toFixed(1)} to ${figure!.high.toFixed(1)})`);
    }
    expect(pageCount(file)).toBeLessThanOrEqual(4);
  }, 60_000);
});
