// The equity view in Chromium: a viewer opens it for health records, filters to inter-provincial migrants and sees the
// cities ranked by hukou gap with 95% CIs; one city's figures equal `npm run fit` on the exported respondents (the
// city and range as the domain, the whole wave as the design, as the survey requires). Screenshots at 1440 and 390 px.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { newPage, screenshot, signIn, startSuiteServer, useBrowser } from './support';

const { baseUrl, databasePath } = await startSuiteServer();
const browser = useBrowser();
const root = path.resolve(__dirname, '..', '..');
const toNumber = (text: string) => Number(text.replace('−', '-').replace(/[,，]/g, ''));

describe('equity view', () => {
  test('inter-provincial hukou gaps in health records, ranked with CIs; one city equals npm run fit on the export', async () => {
    const page = await newPage(browser(), 'en-GB');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/equity?indicator=health_record`);
    await page.getByTestId('equity-table').waitFor();
    await page.selectOption('#filter-range', 'inter_province');
    await page.waitForURL(/range=inter_province/);
    await page.waitForFunction(() => document.querySelector('#filter-range') && (document.querySelector('#filter-range') as HTMLSelectElement).value === 'inter_province' && !document.querySelector('[aria-busy=true]'));
    await page.getByTestId('dot-whisker-chart').waitFor();

    const rows = await page.$$eval('[data-testid=equity-table] tbody tr[data-city]', (trs) =>
      trs.map((tr) => ({
        city: tr.getAttribute('data-city') ?? '',
        gap: tr.querySelector('[data-testid=gap]')?.textContent ?? null,
        ci: tr.querySelector('[data-testid=gap-ci]')?.textContent ?? null,
        se: tr.querySelector('[data-testid=gap-se]')?.textContent ?? null,
        n: tr.querySelector('[data-testid=gap-n]')?.textContent ?? null,
      })),
    );
    const shown = rows.filter((r) => r.gap !== null);
    expect(shown.length).toBeGreaterThan(20);
    // Ranked: the widest shortfall of rural-hukou migrants first; every shown gap has its CI around it.
    const gaps = shown.map((r) => toNumber(r.gap!));
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    for (const r of shown) {
      const [low, high] = r.ci!.split(' to ').map(toNumber);
      expect(low!).toBeLessThanOrEqual(toNumber(r.gap!));
      expect(high!).toBeGreaterThanOrEqual(toNumber(r.gap!));
    }
    // The national gap is drawn as the reference line and stated in the sentence.
    expect(await page.getByTestId('dot-whisker-chart').textContent()).toContain('National gap');
    const sentence = (await page.getByTestId('equity-sentence').textContent()) ?? '';
    expect(sentence).toMatch(/rural-hukou|no clear difference/);
    expect(sentence).toContain('the national gap is');

    // The first-ranked city, recomputed from the exported respondents with `npm run fit`.
    const city = shown[0]!;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'equity-e2e-'));
    const csv = path.join(folder, 'wave2017.csv');
    const exported = spawnSync('npx', ['tsx', '--conditions=react-server', 'db/export.ts', '--wave', '2017', '--out', csv, '--db', databasePath], { cwd: root, encoding: 'utf8' });
    expect(exported.status, exported.stderr).toBe(0);
    const specFile = path.join(folder, 'spec.json');
    fs.writeFileSync(
      specFile,
      JSON.stringify({
        ids: 'psu',
        strata: 'stratum',
        weights: 'weight',
        nest: true,
        outcome: 'health_record',
        dimension: 'rural_hukou',
        subset: [
          { var: 'city_code', value: city.city },
          { var: 'migration_range', value: 'inter_province' },
        ],
        favourable: true,
        order: null,
        pair: ['1', '0'],
        reference: null,
      }),
    );
    const fitted = spawnSync('npx', ['tsx', 'lib/stats/cli/fit.ts', '--data', csv, '--spec', specFile], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(fitted.status, fitted.stderr).toBe(0);
    const result = JSON.parse(fitted.stdout) as { subgroups: Array<{ n: number }>; measures: { D: { estimate: number; se: number; ci: [number, number] } } };
    const points = (v: number, decimals = 1) => Number((v * 100).toFixed(decimals));
    expect(toNumber(city.gap!)).toBe(points(result.measures.D.estimate));
    expect(city.ci!.split(' to ').map(toNumber)).toEqual(result.measures.D.ci.map((v) => points(v)));
    expect(toNumber(city.se!)).toBe(points(result.measures.D.se, 3));
    expect(toNumber(city.n!)).toBe(result.subgroups.reduce((a, s) => a + s.n, 0));
    fs.rmSync(folder, { recursive: true, force: true });

    // The equiplot has a line per shown city and the matrix shows the chosen city.
    expect(await page.locator('[data-equiplot-row]').count()).toBe(shown.length);
    expect(await page.locator('[data-matrix-cell]').count()).toBe(12);

    await page.setViewportSize({ width: 1440, height: 1000 });
    await screenshot(page, 'equity-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'equity-390');
    await page.getByTestId('hukou-range-matrix').screenshot({ path: path.join(root, 'test-results', 'equity-matrix-390.png') });
  }, 240_000);

  test('the migration-range gradient view ranks cities by SII with CIs, in Chinese, with filters in the URL', async () => {
    const page = await newPage(browser(), 'zh-CN');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/equity?indicator=health_record&view=gradient&hukou=rural`);
    await page.getByTestId('equity-table').waitFor();
    expect(await page.locator('#filter-view').inputValue()).toBe('gradient');
    expect(await page.locator('#filter-hukou').inputValue()).toBe('rural');
    const cis = await page.$$eval('[data-testid=equity-table] [data-testid=gap-ci]', (cells) => cells.map((c) => c.textContent ?? ''));
    expect(cis.length).toBeGreaterThan(20);
    for (const ci of cis) expect(ci).toMatch(/^−?\d+\.\d 至 −?\d+\.\d$/);
    expect((await page.getByTestId('equity-sentence').textContent()) ?? '').toMatch(/跨省流动者|无明确差异/);
    expect(await page.locator('[data-equiplot-row]').count()).toBe(cis.length);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'equity-gradient-zh-390');
  });

  test('the city profile shows the city’s hukou gaps against its tier and the nation', async () => {
    const page = await newPage(browser(), 'zh-CN');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/cities/440300?wave=2017`);
    const section = page.getByTestId('city-gaps');
    await section.waitFor();
    const text = (await section.textContent()) ?? '';
    expect(text).toContain('户籍差距');
    expect(await section.locator('tbody tr').count()).toBeGreaterThan(5);
    // The 2014 module has no gap measures: neither the table nor its download button is left on the page.
    await page.goto(`${baseUrl}/cities/440300?wave=2014`);
    await page.getByTestId('profile-table').waitFor();
    expect(await page.getByTestId('city-gaps').count()).toBe(0);
    expect(await page.locator('[data-testid^=gaps-download]').count()).toBe(0);
  });
});
