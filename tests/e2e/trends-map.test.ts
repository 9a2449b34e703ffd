// Trends and the map in Chromium: the national health-record trend shows 2015–2018 with CI bands and n; the map of
// health records for rural-hukou inter-provincial migrants by province opens Guangdong's cities on a click and the URL
// reproduces the view; a 2018-style file imported with the cmds-2018 mapping has 2018 indicators, and a 2017-style
// file imported next joins it in the trend chart.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser, findUserByUsername } from '@/lib/queries/users';
import { newPage, screenshot, signIn, signInAs, startSuiteServer, useBrowser } from './support';

const { baseUrl, databasePath, cliEnv, db: accounts } = await startSuiteServer();
const browser = useBrowser();
const root = path.resolve(import.meta.dirname, '..', '..');

function activeDatasetId(): number {
  const db = new Database(databasePath, { readonly: true });
  const id = db.prepare("SELECT id FROM datasets WHERE active = 1 AND status = 'ready'").pluck().get() as number;
  db.close();
  return id;
}

const syntheticId = activeDatasetId();
afterAll(() => {
  // Later test files expect the synthetic version active again.
  const db = new Database(databasePath);
  db.prepare('UPDATE datasets SET active = (id = ?)').run(syntheticId);
  db.close();
});

describe('trends', () => {
  test('the national health-record trend shows 2015–2018 with CI bands and n per point', async () => {
    const page = await newPage(browser(), 'en-GB');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/trends?indicator=health_record`);
    await page.getByTestId('trend-chart').waitFor();
    for (const wave of [2015, 2016, 2017, 2018]) {
      await expect(page.getByTestId(`trend-point-${wave}`).count()).resolves.toBe(1);
      const row = await page.getByTestId(`trend-row-${wave}`).textContent();
      expect(row).toMatch(new RegExp(`${wave}\\s*\\d+\\.\\d%\\s*\\d+\\.\\d%–\\d+\\.\\d%\\s*[\\d,]+`));
    }
    await expect(page.getByTestId('trend-band').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId('trend-change').textContent()).resolves.toMatch(/from 35\.\d% in 2015 to 28\.\d% in 2018.*95% CI/);
    await screenshot(page, 'trends-1440');
    await page.setViewportSize({ width: 390, height: 900 });
    await screenshot(page, 'trends-390');

    // A changed question breaks the line: long-term residence 2017 → 2018 settlement intention.
    await page.goto(`${baseUrl}/trends?indicator=long_term_residence&geo=city&code=440300&from=2017&to=2018`);
    await page.getByTestId('trend-break-2018').waitFor();
    await expect(page.getByTestId('trend-change').textContent()).resolves.toMatch(/asked different questions/);
    await page.context().close();
  });
});

describe('map', () => {
  test('health records of rural-hukou inter-provincial migrants by province: 30 of 31 provinces with a figure or a range; a click opens Guangdong’s cities; the URL reproduces it', async () => {
    const page = await newPage(browser(), 'zh-CN');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/map?indicator=health_record&hukou=rural&range=inter_province`);
    await page.getByTestId('tile-map').waitFor();
    // Provinces are the default layer: Guangdong carries its figure. A province whose exact figure would reveal its one
    // hidden city is shown as a 10-point range (partial suppression) where that reveals nothing: its tile and row
    // print the range and say why. Taiwan was not surveyed.
    await expect(page.getByTestId('map-tile-44').getAttribute('data-state')).resolves.toBe('shown');
    await expect(page.getByTestId('map-tile-44').textContent()).resolves.toMatch(/\d+\.\d%/);
    const ranged = page.locator('[data-testid^="map-tile-"][data-state="range"]');
    const rangedCode = ((await ranged.first().getAttribute('data-testid')) ?? '').replace('map-tile-', '');
    await expect(page.getByTestId(`map-tile-${rangedCode}`).textContent()).resolves.toMatch(/\d+–\d+%/);
    await expect(page.getByTestId(`map-row-${rangedCode}`).textContent()).resolves.toMatch(/\d+–\d+%.*仅区间/);
    await expect(page.getByTestId('map-legend-range').textContent()).resolves.toContain('仅显示区间');
    await expect(page.getByTestId('map-provinces-unpublished').count()).resolves.toBe(0);
    await expect(page.getByTestId('map-tile-71').getAttribute('data-state')).resolves.toBe('not_surveyed');
    await expect(page.getByTestId('map-legend').textContent()).resolves.toContain('%');
    // Before ranges, 9 of the 31 provinces showed anything; now every province but one gives a figure or a range.
    const shown = await page.locator('[data-testid^="map-tile-"][data-state="shown"]').count();
    expect(shown).toBeGreaterThanOrEqual(9);
    await expect(ranged.count()).resolves.toBeGreaterThanOrEqual(30 - shown);
    await expect(page.getByTestId('map-row-44').textContent()).resolves.toMatch(/\d+\.\d%/);
    await screenshot(page, 'map-1440');
    // A click on Guangdong's square opens its cities (table and dots), in the URL.
    await page.getByTestId('map-tile-44').click();
    await page.waitForURL(/province=44/);
    await page.getByTestId('map-row-440300').waitFor();
    await page.getByTestId('map-dot-440300').waitFor();
    const url = page.url();
    expect(url).toMatch(/indicator=health_record/);
    expect(url).toMatch(/hukou=rural/);
    expect(url).toMatch(/range=inter_province/);
    expect(url).not.toMatch(/layer=/);
    const cities = await page.getByTestId('map-table').locator('tbody tr').count();
    expect(cities).toBe(6);
    const fresh = await newPage(browser(), 'zh-CN');
    await signIn(fresh, baseUrl, 'viewer');
    await fresh.getByTestId('signed-in-user').waitFor();
    await fresh.goto(url);
    await fresh.getByTestId('map-row-440300').waitFor();
    await expect(fresh.getByTestId('map-table').locator('tbody tr').count()).resolves.toBe(cities);
    await screenshot(fresh, 'map-1440-guangdong');
    await fresh.setViewportSize({ width: 390, height: 900 });
    await fresh.goto(`${baseUrl}/map?indicator=health_record&hukou=rural&range=inter_province`);
    await fresh.getByTestId('map-tile-44').waitFor();
    await screenshot(fresh, 'map-390');
    await fresh.setViewportSize({ width: 1440, height: 900 });
    await fresh.goto(`${baseUrl}/map?indicator=health_record&hukou=rural&range=inter_province`);
    await fresh.getByTestId('map-tile-44').waitFor();
    await screenshot(fresh, 'map-1440-zh');
    await fresh.setViewportSize({ width: 390, height: 900 });
    await fresh.goto(url);
    await fresh.getByTestId('map-dot-440300').waitFor();
    await screenshot(fresh, 'map-390-guangdong');
    await page.context().close();
    await fresh.context().close();
  });
});

// Demo accounts are refused while an imported dataset is active: the imported wave is read by a real viewer account.
const READER = { username: 'e2e-trend-reader', password: 'Trend-Reader-Real-Account-2026' };
beforeAll(async () => {
  // In the server's accounts: its SQLite copy, or its PostgreSQL with E2E_BACKEND=pg.
  if (!(await findUserByUsername(accounts(), READER.username))) await createUser(accounts(), { ...READER, displayName: 'E2E trend reader', role: 'viewer' });
});

describe('imported waves', () => {
  test('a 2018-style file imported with the cmds-2018 mapping has 2018 indicators; a 2017-style file imported next joins it in the trend chart', async () => {
    const file = path.join(root, 'tests', 'fixtures', 'import', 'cmds-2018-style.csv');
    const result = spawnSync('npx', ['tsx', '--conditions=react-server', 'db/import.ts', file, '--mapping', 'cmds-2018', '--db', databasePath], { cwd: root, encoding: 'utf8', env: { ...process.env, ...cliEnv } });
    expect(result.status, result.stderr).toBe(0);
    const importedId = activeDatasetId();
    expect(importedId).not.toBe(syntheticId);
    const db = new Database(databasePath, { readonly: true });
    const indicators = db.prepare("SELECT COUNT(DISTINCT indicator) FROM indicators WHERE dataset_id = ? AND wave = 2018 AND geo_level = 'national'").pluck().get(importedId) as number;
    db.close();
    expect(indicators).toBeGreaterThanOrEqual(10);

    const page = await newPage(browser(), 'en-GB');
    await signInAs(page, baseUrl, READER.username, READER.password);
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/trends?indicator=health_record`);
    await page.getByTestId('trend-chart').waitFor();
    await expect(page.getByTestId('trend-point-2018').count()).resolves.toBe(1);
    await expect(page.getByTestId('trend-row-2018').textContent()).resolves.toMatch(/2018\s*\d+\.\d%\s*\d+\.\d%–\d+\.\d%\s*2,232/);

    // A second wave's file (2017-style, cmds-2017 mapping) becomes the active version; the 2018 version stays the
    // source of 2018, and the chart joins both points in one line with its CI band.
    const second = path.join(root, 'tests', 'fixtures', 'import', 'cmds-2017-style.csv');
    const again = spawnSync('npx', ['tsx', '--conditions=react-server', 'db/import.ts', second, '--mapping', 'cmds-2017', '--db', databasePath], { cwd: root, encoding: 'utf8', env: { ...process.env, ...cliEnv } });
    expect(again.status, again.stderr).toBe(0);
    expect(activeDatasetId()).not.toBe(importedId);
    await page.goto(`${baseUrl}/trends?indicator=health_record`);
    await page.getByTestId('trend-chart').waitFor();
    await expect(page.getByTestId('trend-row-2017').textContent()).resolves.toMatch(/2017\s*\d+\.\d%\s*\d+\.\d%–\d+\.\d%\s*[\d,]+/);
    await expect(page.getByTestId('trend-row-2018').textContent()).resolves.toMatch(/2,232/);
    const joined = page.getByTestId('trend-segment').filter({ has: page.getByTestId('trend-point-2017') }).filter({ has: page.getByTestId('trend-point-2018') });
    await expect(joined.count()).resolves.toBe(1);
    await expect(joined.getByTestId('trend-band').count()).resolves.toBe(1);
    await expect(page.getByTestId('trend-sources').textContent()).resolves.toMatch(/2017: .*cmds-2017-style\.csv.*2018: .*cmds-2018-style\.csv/);
    await screenshot(page, 'trends-imported-joined');
    await page.context().close();
  });
});
