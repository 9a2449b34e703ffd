// City comparison in Chromium: a viewer filters to rural hukou + inter-provincial migrants and the chart and table
// change; the table's figures equal the precomputed indicators rows (estimate, CI, n, suppression) and a direct SQL
// computation on the respondents table.
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { newPage, screenshot, signIn, startSuiteServer, useBrowser } from './support';

const { baseUrl, databasePath } = await startSuiteServer();
const browser = useBrowser();

async function readTable(page: Page) {
  return page.$$eval('[data-testid=indicator-table] tbody tr', (rows) =>
    rows.map((row) => ({
      city: row.getAttribute('data-city') ?? '',
      estimate: row.querySelector('[data-testid=estimate]')?.textContent ?? null,
      ci: row.querySelector('[data-testid=ci]')?.textContent ?? null,
      n: row.querySelector('[data-testid=n]')?.textContent ?? '',
      suppressed: row.querySelector('[data-testid=suppressed-cell]') !== null,
    })),
  );
}

describe('city comparison', () => {
  test('filtering to rural hukou + inter-provincial changes chart and table, and matches SQL on respondents', async () => {
    const page = await newPage(browser());
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/compare`);
    await page.getByTestId('dot-whisker-chart').waitFor();
    const before = await readTable(page);
    const chartBefore = await page.getByTestId('dot-whisker-chart').innerHTML();

    await page.selectOption('#filter-hukou', 'rural');
    await page.waitForURL(/hukou=rural/);
    await page.selectOption('#filter-range', 'inter_province');
    await page.waitForURL(/range=inter_province/);
    await page.waitForFunction(
      (previous) => {
        const first = document.querySelector('[data-testid=indicator-table] tbody tr [data-testid=n]');
        return first !== null && first.textContent !== previous;
      },
      before[0]?.n ?? '',
    );
    const after = await readTable(page);
    expect(after.length).toBeGreaterThan(60);
    expect(after).not.toEqual(before);
    expect(await page.getByTestId('dot-whisker-chart').innerHTML()).not.toEqual(chartBefore);
    await screenshot(page, 'compare-rural-interprovincial');

    const db = new Database(databasePath, { readonly: true });
    const direct = db
      .prepare(
        `SELECT city_code AS city, SUM(weight * health_record) / SUM(weight) AS p, COUNT(*) AS n FROM respondents r
         JOIN datasets d ON d.id = r.dataset_id AND d.active = 1
         WHERE wave = 2017 AND rural_hukou = 1 AND migration_range = 'inter_province' AND health_record IS NOT NULL GROUP BY city_code`,
      )
      .all() as Array<{ city: string; p: number; n: number }>;
    const cells = db
      .prepare(
        `SELECT geo_code AS city, estimate, ci_low AS low, ci_high AS high, n, suppressed, i.status AS status FROM indicators i
         JOIN datasets d ON d.id = i.dataset_id AND d.active = 1
         WHERE wave = 2017 AND geo_level = 'city' AND indicator = 'health_record' AND hukou = 'rural' AND migration_range = 'inter_province'`,
      )
      .all() as Array<{ city: string; estimate: number | null; low: number | null; high: number | null; n: number; suppressed: number; status: string }>;
    db.close();
    expect(after.length).toBe(cells.length);
    const cellByCity = new Map(cells.map((c) => [c.city, c]));
    const percent = (v: number | null) => `${((v ?? NaN) * 100).toFixed(1)}%`;
    for (const row of after) {
      const cell = cellByCity.get(row.city);
      expect(cell, `indicator row for ${row.city}`).toBeDefined();
      expect(row.suppressed).toBe(cell!.suppressed === 1);
      // Hidden cells show no exact n: "< 30" when too small, nothing when hidden to protect another cell.
      if (row.suppressed) expect(row.n).toBe(cell!.status === 'primary' ? '< 30' : '—');
      else expect(Number(row.n.replace(/[,，]/g, ''))).toBe(cell!.n);
      if (!row.suppressed) {
        expect(row.estimate).toBe(percent(cell!.estimate));
        expect(row.ci).toBe(`${percent(cell!.low)}–${percent(cell!.high)}`);
      }
    }
    const byCity = new Map(direct.map((d) => [d.city, d]));
    for (const row of after) {
      const sql = byCity.get(row.city);
      expect(sql, `city ${row.city}`).toBeDefined();
      if (row.suppressed) {
        if (row.n === '< 30') expect(sql!.n).toBeLessThan(30);
      } else {
        expect(Number(row.n.replace(/[,，]/g, ''))).toBe(sql!.n);
        expect(row.estimate).toBe(`${(sql!.p * 100).toFixed(1)}%`);
        expect(row.ci).toMatch(/^\d+\.\d%–\d+\.\d%$/);
      }
    }
    await page.context().close();
  });

  test('a shared link opens the same filtered view, in English when the browser asks for it', async () => {
    const page = await newPage(browser(), 'en-GB');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/compare?indicator=integration_index&hukou=urban&range=inter_city&region=west`);
    await page.getByTestId('indicator-table').waitFor();
    expect(await page.inputValue('#filter-hukou')).toBe('urban');
    expect(await page.inputValue('#filter-region')).toBe('west');
    expect(await page.textContent('h1')).toBe('City comparison');
    await screenshot(page, 'compare-en-west');
    await page.context().close();
  });
});
