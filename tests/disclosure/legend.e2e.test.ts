// What a viewer sees of disclosure control: the comparison page, the city profile and the CSV tell primary,
// secondary and unreliable cells apart with a legend in Chinese and English; the methodology page states the rules.
import { describe, expect, test } from 'vitest';
import { newPage, signIn, startSuiteServer, useBrowser } from '../e2e/support';

const { baseUrl } = await startSuiteServer();
const browser = useBrowser();

describe('disclosure legend', () => {
  test('comparison page (zh): hidden cells say why without numbers, with a three-part legend', async () => {
    const page = await newPage(browser(), 'zh-CN');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/compare?indicator=health_record&wave=2017&hukou=urban&range=inter_county`);
    await page.getByTestId('indicator-table').waitFor();
    const primary = page.locator('[data-testid=suppressed-cell][data-status=primary]');
    const secondary = page.locator('[data-testid=suppressed-cell][data-status=secondary]');
    expect(await primary.count()).toBeGreaterThan(0);
    expect(await secondary.count()).toBeGreaterThan(0);
    expect(await primary.first().textContent()).toContain('数据不足，已隐藏');
    expect(await secondary.first().textContent()).toBe('为保护其他单元格而隐藏');
    // The n column of a small hidden row shows the band, never the count.
    const smallRow = primary.first().locator('xpath=ancestor::tr');
    expect(await smallRow.locator('[data-testid=n]').textContent()).toBe('< 30');
    const legend = page.getByTestId('disclosure-legend');
    expect(await legend.locator('li').count()).toBe(3);
    expect(await legend.textContent()).toContain('二次隐藏');
    expect(await legend.textContent()).toContain('变异系数超过30%');
    await page.context().close();
  });

  test('city profile (en) has the legend; methodology states the rules; the CSV carries the legend', async () => {
    const page = await newPage(browser(), 'en-GB');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/cities/440300?wave=2017`);
    const legend = page.getByTestId('disclosure-legend');
    await legend.waitFor();
    expect(await legend.textContent()).toContain('hidden to protect another cell');
    expect(await legend.textContent()).toContain('in parentheses');
    await page.goto(`${baseUrl}/methodology`);
    const method = await page.locator('#method-disclosure').locator('xpath=..').textContent();
    expect(method).toContain('Secondary suppression');
    expect(method).toContain('Brandt et al., 2010');
    expect(method).toContain('sdcTable');
    const csv = await (await page.context().request.get(`${baseUrl}/api/exports/compare?indicator=health_record&wave=2017&hukou=urban&range=inter_county`)).text();
    expect(csv).toContain(',primary,');
    expect(csv).toContain(',secondary,');
    // The CSV follows the interface language (a cookie, or Accept-Language): either language's legend.
    expect(csv).toMatch(/# (suppressed \(n < 30\)|数据不足，已隐藏（n < 30）)/);
    expect(csv).toMatch(/# (hidden to protect another cell|为保护其他单元格而隐藏)/);
    await page.context().close();
  });
});
