// Downloads in Chromium: every table's CSV and every chart's PNG and SVG on the comparison, overview, profile,
// equity, trends, map and model pages (and Table 2). Each file opens (the CSV parses, the PNG decodes, the SVG parses),
// carries the provenance block (dataset version, wave, filters, disclosure rule, source, citation, synthetic notice),
// has a name that says what it is, and its numbers are the page's. A CSV opens with its notes as "# " comment lines,
// so R's read.csv(file, comment.char = "#", fileEncoding = "UTF-8-BOM") reads it with no skip count (checked in R
// when Rscript is installed). The analyst's data for the model code is the
// microdata export under the name the code reads, refused to a viewer.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { parseTableCsv } from '@/lib/export/provenance';
import { readCsvInR } from '../support/read-csv-in-r';
import { screenshot, signIn, startSuiteServer, useBrowser } from './support';

const { baseUrl, databasePath } = await startSuiteServer();
const browser = useBrowser();

function activeDataset(): { id: number; label: string } {
  const db = new Database(databasePath, { readonly: true });
  const row = db.prepare('SELECT id, label FROM datasets WHERE active = 1').get() as { id: number; label: string };
  db.close();
  return row;
}

async function download(page: Page, testId: string, nth = 0): Promise<{ name: string; bytes: Buffer }> {
  const event = page.waitForEvent('download');
  await page.getByTestId(testId).nth(nth).click();
  const file = await event;
  return { name: file.suggestedFilename(), bytes: fs.readFileSync((await file.path())) };
}

/** The provenance every file must carry, in English. */
function expectProvenance(lines: string[], wave: string | null) {
  const dataset = activeDataset();
  const text = lines.join('\n');
  expect(text).toContain(`Dataset: ${dataset.label} (version ${dataset.id})`);
  if (wave) expect(text).toContain(`Survey wave: ${wave}`);
  expect(text).toMatch(/Disclosure control: cells with fewer than 30 respondents are suppressed/);
  expect(text).toMatch(/Source: /);
  expect(text).toMatch(/Cite as: /);
  expect(text).toContain('Demonstration data: the system holds synthetic data');
}

/**
 * A CSV download as statisticians read it: a byte-order mark (Excel), then the notes as unquoted "# " comment lines (the
 * first says how R and pandas read the file), then the header at once; no note after it.
 */
function expectReadableCsv(text: string) {
  expect(text.startsWith('\uFEFF# ')).toBe(true);
  const lines = text.replace(/^\uFEFF/, '').split('\r\n');
  expect(lines[0]).toContain('read.csv(file, comment.char = "#", fileEncoding = "UTF-8-BOM")');
  const header = lines.findIndex((line) => !line.startsWith('#'));
  expect(header).toBeGreaterThan(3);
  expect(lines[header]).not.toBe('');
  expect(lines.slice(header).filter((line) => line.startsWith('#'))).toEqual([]);
}

/** The page's table cells as text, read the way the CSV is built (sort arrows and decoration left out). */
async function pageTable(page: Page, selector: string): Promise<string[][]> {
  return page.$eval(selector, (table) =>
    [...(table as HTMLTableElement).tBodies].flatMap((body) =>
      [...body.rows].map((row) =>
        [...row.cells].flatMap((cell) => {
          const copy = cell.cloneNode(true) as Element;
          copy.querySelectorAll('[aria-hidden="true"], [data-download-skip]').forEach((e) => e.remove());
          const text = (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
          return [text, ...Array.from({ length: cell.colSpan - 1 }, () => '')];
        }),
      ),
    ),
  );
}

async function checkCsv(page: Page, testId: string, tableSelector: string, wave: string | null, namePattern: RegExp) {
  const file = await download(page, testId);
  expect(file.name).toMatch(namePattern);
  const text = file.bytes.toString('utf8');
  expectReadableCsv(text);
  const csv = parseTableCsv(text);
  expectProvenance(csv.provenance, wave);
  expect(csv.header.length).toBeGreaterThan(1);
  const shown = await pageTable(page, tableSelector);
  expect(shown.length).toBeGreaterThan(0);
  expect(csv.rows.slice(0, shown.length)).toEqual(shown);
  // R reads the file as its first note says, with no skip count: the same header and rows.
  const inR = readCsvInR(file.bytes);
  if (inR) {
    expect(inR.header).toEqual(csv.header);
    expect(inR.rows).toEqual(csv.rows);
  }
  return csv;
}

/** Opens the image in the browser: an SVG must parse as XML, be pure SVG and carry the provenance; a PNG must decode. */
async function checkImages(page: Page, testId: string, wave: string | null, namePattern: RegExp, mustContain: string[]) {
  const svg = await download(page, `${testId}-svg`);
  expect(svg.name).toMatch(new RegExp(`${namePattern.source}\\.svg$`));
  const parsed = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const elements = [...doc.getElementsByTagName('*')];
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.nodeName,
      text: doc.documentElement.textContent ?? '',
      provenance: [...doc.querySelectorAll('[data-provenance] text')].map((t) => t.textContent ?? ''),
      // Pure SVG: no embedded HTML, no stylesheet (office tools and Inkscape ignore or choke on them).
      foreign: elements.filter((e) => e.localName === 'foreignObject' || e.namespaceURI !== 'http://www.w3.org/2000/svg').map((e) => e.localName),
      styles: elements.filter((e) => e.localName === 'style' || e.hasAttribute('class') || e.hasAttribute('style')).length,
      shapes: elements.filter((e) => ['rect', 'line', 'circle', 'path', 'text'].includes(e.localName)).length,
    };
  }, svg.bytes.toString('utf8'));
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.foreign).toEqual([]);
  expect(parsed.styles).toBe(0);
  expect(parsed.shapes).toBeGreaterThan(20);
  expectProvenance([parsed.provenance.join(' ')], wave);
  for (const text of mustContain) expect(parsed.text).toContain(text);

  const png = await download(page, `${testId}-png`);
  expect(png.name).toMatch(new RegExp(`${namePattern.source}\\.png$`));
  expect(png.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const size = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    // A blank image would be one colour: count distinct pixels in a sample.
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4 * 97) if (data[i]! < 128) dark++;
    return { width: image.naturalWidth, height: image.naturalHeight, dark };
  }, png.bytes.toString('base64'));
  expect(size.width).toBeGreaterThan(400);
  expect(size.height).toBeGreaterThan(200);
  expect(size.dark).toBeGreaterThan(20);
}

async function viewerPage(role: 'viewer' | 'analyst' = 'viewer'): Promise<Page> {
  const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, baseUrl, role);
  await page.getByTestId('signed-in-user').waitFor();
  return page;
}

describe('downloads with provenance', () => {
  test('comparison: the table CSV equals the table, the chart PNG and SVG carry the filters', async () => {
    const page = await viewerPage();
    await page.goto(`${baseUrl}/compare?hukou=rural&range=inter_province`);
    await page.getByTestId('dot-whisker-chart').waitFor();
    const csv = await checkCsv(page, 'table-download-csv', '[data-testid=indicator-table]', '2017', /^comparison_health-record_2017_rural_inter-province_table\.csv$/);
    expect(csv.provenance.join(' ')).toContain('Filters: Health record established, Rural (agricultural) hukou, Inter-provincial');
    // Hidden cells travel as words, never as figures.
    const hidden = csv.rows.filter((row) => row.some((cell) => /suppressed|hidden to protect/.test(cell)));
    for (const row of hidden) expect(row.join(' ')).not.toMatch(/\d+\.\d%/);
    const firstCity = await page.$eval('[data-testid=indicator-table] tbody tr a', (a) => a.textContent ?? '');
    await checkImages(page, 'chart-download', '2017', /comparison_health-record_2017_rural_inter-province_chart/, [firstCity, 'Health record established']);
    await page.context().close();
  });

  test('overview, city profile, equity, trends and map: every table as CSV, every chart as PNG and SVG', async () => {
    const page = await viewerPage();
    await page.goto(`${baseUrl}/`);
    await checkCsv(page, 'table-download-csv', '[data-testid=tier-table]', '2017', /^overview_headline-indicators-by-tier_2017_table\.csv$/);
    await checkImages(page, 'chart-download', '2017', /overview_headline-indicators-by-tier_2017_chart/, ['Tier 1', 'Social integration index']);

    await page.goto(`${baseUrl}/cities/440300?wave=2017&hukou=rural`);
    await checkCsv(page, 'table-download-csv', '[data-testid=profile-table]', '2017', /^city-profile_440300_2017_peers_table\.csv$/);
    await checkCsv(page, 'gaps-download-csv', '#profile-gaps table', '2017', /^city-profile_440300_2017_gaps_table\.csv$/);
    await checkCsv(page, 'groups-download-csv', '#profile-groups table', '2017', /^city-profile_440300_2017_groups_table\.csv$/);

    await page.goto(`${baseUrl}/equity`);
    await page.getByTestId('equity-table').waitFor();
    await checkCsv(page, 'table-download-csv', '[data-testid=equity-table]', '2017', /^equity_gap_.+_table\.csv$/);
    await checkImages(page, 'chart-download', '2017', /equity_gap_.+_chart/, []);
    await checkImages(page, 'equiplot-download', '2017', /equity_gap_.+_equiplot_chart/, []);
    await checkImages(page, 'matrix-download', '2017', /equity_gap_.+_matrix_\d{6}/, []);
    await checkCsv(page, 'matrix-download-csv', '[data-testid=matrix-table]', '2017', /_matrix_\d{6}\.csv$/);

    await page.goto(`${baseUrl}/trends?indicator=health_record&geo=national&code=CN`);
    await page.getByTestId('trend-table').waitFor();
    await checkCsv(page, 'table-download-csv', '[data-testid=trend-table]', null, /^trend_health-record_national_cn_all_all_table\.csv$/);
    await checkImages(page, 'chart-download', null, /trend_health-record_national_cn_all_all_chart/, ['2017']);

    await page.goto(`${baseUrl}/map`);
    await page.getByTestId('map-table').waitFor();
    await checkCsv(page, 'table-download-csv', '[data-testid=map-table]', '2017', /^map_health-record_2017_all_all_.*table\.csv$/);
    await checkImages(page, 'chart-download', '2017', /map_health-record_2017_all_all_.*chart/, []);
    await screenshot(page, 'downloads-map');
    await page.context().close();
  });

  test('models: the result tables as CSV, the plot as PNG and SVG, Table 2 side by side; the data for the code for analysts only', async () => {
    const page = await viewerPage('analyst');
    await page.goto(`${baseUrl}/models`);
    await page.selectOption('[data-testid=model-preset]', 'bphs_ols');
    await page.getByTestId('run-model').click();
    await page.getByTestId('model-result').waitFor({ timeout: 90_000 });
    const file = await download(page, 'model-download-csv');
    expect(file.name).toMatch(/^model-.+_results\.csv$/);
    expectReadableCsv(file.bytes.toString('utf8'));
    const csv = parseTableCsv(file.bytes.toString('utf8'));
    expectProvenance(csv.provenance, null);
    const shown = await pageTable(page, '[data-testid=model-result] table');
    expect(csv.rows.slice(0, shown.length)).toEqual(shown);
    await checkImages(page, 'model-download', null, /model-.+_results/, []);

    // The data the R / Stata code reads, under the name it reads.
    const wave = /wave=(\d+)/.exec(((await page.getByTestId('download-model-data').getAttribute('href'))!))![1];
    const data = await page.request.get(`${baseUrl}${await page.getByTestId('download-model-data').getAttribute('href')}`);
    expect(data.status()).toBe(200);
    expect(data.headers()['content-disposition']).toContain(`cmds-${wave}.csv`);
    const r = await download(page, 'download-r');
    expect(r.bytes.toString('utf8')).toContain(`cmds-${wave}.csv`);

    await page.getByTestId('run-table2').click();
    await page.getByTestId('table2-download-csv').waitFor({ timeout: 100_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=table2] tbody tr:first-child td')].every((td) => td.textContent !== ''), null, { timeout: 100_000 });
    const table2 = await download(page, 'table2-download-csv');
    expect(table2.name).toBe('model-table2-side-by-side.csv');
    expectReadableCsv(table2.bytes.toString('utf8'));
    const parsed = parseTableCsv(table2.bytes.toString('utf8'));
    expectProvenance(parsed.provenance, null);
    expect(parsed.rows).toEqual(await pageTable(page, '[data-testid=table2] table'));
    await page.context().close();

    // A viewer sees no data link, and the route refuses one.
    const viewer = await viewerPage('viewer');
    await viewer.goto(`${baseUrl}/models`);
    await viewer.selectOption('[data-testid=model-preset]', 'bphs_ols');
    await viewer.getByTestId('run-model').click();
    await viewer.getByTestId('model-result').waitFor({ timeout: 90_000 });
    expect(await viewer.getByTestId('download-model-data').count()).toBe(0);
    const refused = await viewer.request.get(`${baseUrl}/api/export/microdata?wave=2017&accept=1&for=model-code`, { maxRedirects: 0 });
    expect([401, 403]).toContain(refused.status());
    await viewer.context().close();
  });
});
