// Accessibility and layout in Chromium: axe-core (WCAG 2.1 A and AA rules) finds no violation on any page, at 1440 px
// and on a 390 px phone, in Chinese and English, for an admin (who sees every page) and on a model result; every page
// has its own <title>; the phone header is compact with a keyboard-operable menu; the English desktop header is one
// row; the phone comparison shows estimate, CI and n without horizontal scrolling. axe-core is the npm package
// (a devDependency), injected into the page: nothing is downloaded at run time.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { screenshot, signIn, useBrowser } from './support';

const baseUrl = inject('baseUrl');
const browser = useBrowser();
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PAGES = [
  '/',
  '/compare',
  '/compare?hukou=rural&range=inter_province',
  '/equity',
  '/map',
  '/trends',
  '/cities',
  '/cities/440300',
  '/models',
  '/methodology',
  '/admin/import',
  '/admin/users',
  '/admin/audit',
  '/admin/models',
  '/export',
  '/account/password',
];

interface AxeViolation {
  id: string;
  impact: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

const describeViolations = (violations: AxeViolation[]) =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');

/** Opens a page and waits for its content: the route's loading skeleton streams first and has no h1. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
}

async function signedInPage(b: Browser, locale: 'zh-CN' | 'en-GB', width: number, role: 'viewer' | 'admin' = 'admin'): Promise<Page> {
  const context = await b.newContext({ locale, viewport: { width, height: width < 500 ? 844 : 900 } });
  const page = await context.newPage();
  await signIn(page, baseUrl, role);
  await page.getByTestId('signed-in-user').waitFor({ state: 'attached' });
  return page;
}

describe('accessibility (axe-core, WCAG 2.1 A/AA)', () => {
  for (const [locale, width] of [
    ['zh-CN', 1440],
    ['en-GB', 1440],
    ['zh-CN', 390],
    ['en-GB', 390],
  ] as const) {
    test(`every page has no axe violation and its own title (${locale}, ${width} px)`, async () => {
      const page = await signedInPage(browser(), locale, width);
      const titles = new Map<string, string>();
      const failures: string[] = [];
      for (const path of PAGES) {
        await open(page, path);
        const violations = await axeViolations(page);
        if (violations.length) failures.push(`${path}:\n${describeViolations(violations)}`);
        if (!path.includes('?')) titles.set(path, await page.title());
      }
      expect(failures.join('\n\n')).toBe('');
      // Each page's own title, in the interface language.
      expect(new Set(titles.values()).size).toBe(titles.size);
      expect(titles.get('/compare')).toBe(locale === 'zh-CN' ? '城市比较 · 流动人口健康监测' : 'City comparison · Migrant Health Monitor');
      expect(titles.get('/cities/440300')).toContain(locale === 'zh-CN' ? '深圳' : 'Shenzhen');
      await page.context().close();
    });
  }

  test('the sign-in page has no axe violation, on a desktop and on a phone, in both languages', async () => {
    for (const [locale, width] of [
      ['zh-CN', 1440],
      ['en-GB', 390],
    ] as const) {
      const context = await browser().newContext({ locale, viewport: { width, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/sign-in`);
      await page.locator('#username').waitFor();
      expect(describeViolations(await axeViolations(page))).toBe('');
      expect(await page.title()).toBe(locale === 'zh-CN' ? '登录 · 流动人口健康监测' : 'Sign in · Migrant Health Monitor');
      await context.close();
    }
  });

  test('a model result has no axe violation, on a desktop and on a phone, in both languages', async () => {
    for (const [locale, width] of [
      ['zh-CN', 1440],
      ['en-GB', 390],
    ] as const) {
      const page = await signedInPage(browser(), locale, width, 'viewer');
      await open(page, '/models');
      await page.selectOption('[data-testid=model-preset]', 'bphs_ols');
      await page.getByTestId('run-model').click();
      await page.getByTestId('model-result').waitFor({ timeout: 90_000 });
      await screenshot(page, `a11y-model-result-${locale}-${width}`);
      const violations = await axeViolations(page);
      expect(describeViolations(violations)).toBe('');
      await page.context().close();
    }
  });
});

describe('layout', () => {
  test('phone: a compact header whose menu opens and closes by keyboard (aria-expanded), and no horizontal scrolling', async () => {
    const page = await signedInPage(browser(), 'zh-CN', 390, 'viewer');
    await open(page, '/compare');
    await page.getByTestId('indicator-cards').waitFor();
    const header = page.locator('header').first();
    expect((await header.boundingBox())!.height).toBeLessThan(80);
    const menu = page.getByTestId('nav-menu-button');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('link', { name: '公平性' }).isVisible()).toBe(false);
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('link', { name: '公平性' }).isVisible()).toBe(true);
    await screenshot(page, 'layout-phone-menu-open');
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    // The comparison: cards with estimate, CI and n; the page never scrolls sideways; the chart fills the width.
    const cards = page.getByTestId('indicator-cards');
    expect(await cards.isVisible()).toBe(true);
    expect(await page.getByTestId('indicator-table').isVisible()).toBe(false);
    const firstCard = await cards.locator('li').first().textContent();
    expect(firstCard).toMatch(/\d+\.\d%.*\(\d+\.\d%–\d+\.\d%\).*\d/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const chart = (await page.getByTestId('dot-whisker-chart').boundingBox())!;
    expect(chart.width).toBeGreaterThan(340);
    // No word broken one character per line: every button and link in the header is one line high.
    await menu.click();
    const tallest = await page.$$eval('header a, header button', (elements) => Math.max(...elements.filter((e) => (e as HTMLElement).offsetParent).map((e) => e.getBoundingClientRect().height)));
    expect(tallest).toBeLessThan(45);
    await screenshot(page, 'layout-phone-compare');

    // The city profile's tables scroll sideways inside their focusable box, and their row headers are not one
    // character wide (a Chinese indicator name wrapped one character per line before).
    await open(page, '/cities/440300');
    const rowHeaders = await page.$$eval('[data-testid=profile-table] tbody th[scope=row]', (cells) => cells.map((c) => c.getBoundingClientRect().width));
    expect(rowHeaders.length).toBeGreaterThan(5);
    expect(Math.min(...rowHeaders)).toBeGreaterThan(90);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'layout-phone-profile');
    await page.context().close();
  });

  test('desktop 1440 px: the English header is one row for every role; the 72-city chart has its axis at the top too', async () => {
    for (const role of ['viewer', 'admin'] as const) {
      const page = await signedInPage(browser(), 'en-GB', 1440, role);
      await open(page, '/compare');
      const header = (await page.locator('header').first().boundingBox())!;
      expect(header.height).toBeLessThan(70);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
      // Everything in the header sits inside the window and on one row.
      const boxes = await page.$$eval('header a, header button', (elements) => elements.filter((e) => (e as HTMLElement).offsetParent).map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
      for (const box of boxes) expect(box.right).toBeLessThanOrEqual(1440);
      expect(Math.max(...boxes.map((b) => b.top)) - Math.min(...boxes.map((b) => b.top))).toBeLessThan(20);
      if (role === 'admin') {
        await page.getByTestId('nav-tools-button').click();
        expect(await page.getByTestId('nav-tools-button').getAttribute('aria-expanded')).toBe('true');
        await page.getByRole('link', { name: 'Users', exact: true }).click();
        await page.waitForURL(/\/admin\/users$/);
      }
      await screenshot(page, `layout-desktop-en-${role}`);
      await page.context().close();
    }
    const page = await signedInPage(browser(), 'en-GB', 1440, 'viewer');
    await open(page, '/compare');
    await page.locator('[data-testid=dot-whisker-chart] .recharts-xAxis').first().waitFor();
    const axes = await page.$$eval('[data-testid=dot-whisker-chart] .recharts-xAxis', (elements) => elements.map((e) => e.getBoundingClientRect().top));
    expect(axes.length).toBe(2);
    const chart = (await page.getByTestId('dot-whisker-chart').boundingBox())!;
    expect(Math.min(...axes) - chart.y).toBeLessThan(100);
    await page.context().close();
  });

  test('overview: small multiples of the five headline indicators by city tier, from published cells with their CIs', async () => {
    const page = await signedInPage(browser(), 'en-GB', 1440, 'viewer');
    await open(page, '/');
    const panel = page.getByTestId('tier-small-multiples');
    await panel.waitFor();
    expect(await panel.locator('[data-indicator]').count()).toBe(5);
    expect(await panel.locator('[data-indicator] g[data-tier]').count()).toBe(25);
    const rows = await page.$$eval('[data-testid=tier-table] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.length).toBe(5);
    for (const row of rows) for (const cell of row) expect(cell).toMatch(/\(.+–.+\), n=|suppressed|hidden/);
    await screenshot(page, 'overview-small-multiples');
    await page.context().close();
  });
});
