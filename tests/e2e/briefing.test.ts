// Briefing PDFs in the built app: a signed-in viewer downloads Shenzhen's briefing for rural hukou from the city page
// (keyboard), in Chinese and in English; the file is a PDF named after city, wave, filters, language and date, its
// text has the city and the synthetic-data notice, and the download is audited. Signed-out and malformed requests
// are refused with 401 / 400 (and an unknown city with 404).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { searchAuditEntries } from '@/lib/queries/audit';
import { findUserByUsername } from '@/lib/queries/users';
import { newPage, screenshot, signIn, startSuiteServer, useBrowser } from './support';

const { baseUrl, db } = await startSuiteServer();
const browser = useBrowser();
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'briefing-e2e-'));

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('briefing downloads', () => {
  test('a viewer downloads Shenzhen for rural hukou in Chinese and English from the city page', async () => {
    const page = await newPage(browser());
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    const host = new URL(baseUrl).hostname;

    for (const locale of ['zh', 'en'] as const) {
      await page.context().addCookies([{ name: 'locale', value: locale, domain: host, path: '/' }]);
      await page.goto(`${baseUrl}/cities/440300?wave=2017&hukou=rural`);
      const link = page.getByTestId('briefing-download');
      await link.waitFor();
      expect(await link.textContent()).toContain(locale === 'zh' ? '下载简报' : 'Download briefing');
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toBe('/api/briefings/cities/440300?wave=2017&hukou=rural&range=all');
      if (locale === 'zh') await screenshot(page, 'city-briefing-link-zh');

      // Keyboard: the link takes focus and Enter starts the download.
      await link.focus();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('briefing-download');
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const suggested = download.suggestedFilename();
      // Chromium takes the UTF-8 filename* variant of Content-Disposition.
      expect(suggested).toMatch(new RegExp(`^${locale === 'zh' ? '深圳简报' : 'Shenzhen briefing'}-440300-2017-rural-all-${locale}-\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
      const file = path.join(folder, `shenzhen-rural-${locale}.pdf`);
      await download.saveAs(file);
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(file);
      if (locale === 'zh') {
        expect(text).toContain('深圳');
        expect(text).toContain('农业户籍');
        expect(text).toContain('合成演示数据');
      } else {
        expect(text).toContain('Shenzhen');
        expect(text).toContain('Rural (agricultural) hukou');
        expect(text).toContain('Synthetic demonstration data');
      }

      const response = await page.context().request.get(`${baseUrl}${href}`);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe('application/pdf');
      const disposition = response.headers()['content-disposition'] ?? '';
      expect(disposition).toMatch(new RegExp(`^attachment; filename="briefing-shenzhen-440300-2017-rural-all-${locale}-\\d{4}-\\d{2}-\\d{2}\\.pdf"; filename\\*=UTF-8''`));
      expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toContain(locale === 'zh' ? '深圳简报' : 'Shenzhen briefing');
    }

    const viewer = await findUserByUsername(db(), 'viewer');
    const audited = await searchAuditEntries(db(), { action: 'pdf_download', userId: viewer!.id });
    expect(audited.filter((a) => a.target === 'city:440300').length).toBeGreaterThanOrEqual(4);
    expect(audited.map((a) => a.detail?.locale)).toEqual(expect.arrayContaining(['zh', 'en']));
    await page.context().close();
  });

  test('the comparison page offers its current view as a briefing', async () => {
    const page = await newPage(browser(), 'en-GB');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    await page.context().addCookies([{ name: 'locale', value: 'en', domain: new URL(baseUrl).hostname, path: '/' }]);
    await page.goto(`${baseUrl}/compare?indicator=health_record&hukou=rural&range=inter_province&region=east`);
    const link = page.getByTestId('briefing-download');
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toBe('/api/briefings/compare?indicator=health_record&wave=2017&hukou=rural&range=inter_province&region=east');
    const response = await page.context().request.get(`${baseUrl}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const file = path.join(folder, 'compare.pdf');
    fs.writeFileSync(file, await response.body());
    expect(pdfText(file)).toContain('City comparison: Health record established');
    await page.context().close();
  });

  test('signed-out, malformed and unknown-city requests are refused', async () => {
    const signedOut = await fetch(`${baseUrl}/api/briefings/cities/440300?hukou=rural`, { redirect: 'manual' });
    expect(signedOut.status).toBe(401);
    const page = await newPage(browser());
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    const request = page.context().request;
    for (const [url, field] of [
      ['/api/briefings/cities/440300?hukou=martian', 'hukou'],
      ['/api/briefings/cities/440300?wave=abc', 'wave'],
      ['/api/briefings/cities/shenzhen', 'code'],
      ['/api/briefings/compare?cities=4403', 'cities'],
      ['/api/briefings/compare?indicator=drop%20table', 'indicator'],
    ] as const) {
      const response = await request.get(`${baseUrl}${url}`);
      expect(response.status(), url).toBe(400);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe('bad_request');
      expect(body.message).toContain(field);
    }
    const unknown = await request.get(`${baseUrl}/api/briefings/cities/999999`);
    expect(unknown.status()).toBe(404);
    await page.context().close();
  });
});
