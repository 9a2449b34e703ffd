// The admin import page in Chromium: a broken file is refused with its problems named and nothing changes; a GB18030
// CSV passes the dry run, is imported on confirmation, the synthetic-data banner disappears and the new version is
// active with the file's sha256; reactivating the synthetic version brings the banner back. Viewers see no link and
// are refused the page.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { createUser, findUserByUsername } from '@/lib/queries/users';
import { newPage, openToolsMenu, screenshot, signIn, signInAs, startSuiteServer, useBrowser } from './support';

const { baseUrl, databasePath } = await startSuiteServer();
const browser = useBrowser();
const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'import');

function activeDataset(): { id: number; kind: string; checksum: string | null; rows: number } {
  const db = new Database(databasePath, { readonly: true });
  const row = db.prepare("SELECT id, kind, checksum, row_count AS rows FROM datasets WHERE active = 1 AND status = 'ready'").get() as {
    id: number;
    kind: string;
    checksum: string | null;
    rows: number;
  };
  db.close();
  return row;
}

// Demo accounts are refused while an imported dataset is active, so the import is done by a real admin account.
const IMPORTER = { username: 'e2e-importer', password: 'Importer-Real-Account-2026' };
beforeAll(async () => {
  const db = openDatabase(databasePath);
  if (!(await findUserByUsername(db, IMPORTER.username))) await createUser(db, { ...IMPORTER, displayName: 'E2E importer', role: 'admin' });
  db.$client.close();
});

describe('admin import page', () => {
  test('refuses a broken file, imports a GB18030 CSV after the dry run, and reactivates the synthetic version', async () => {
    const page = await newPage(browser(), 'zh-CN');
    await signInAs(page, baseUrl, IMPORTER.username, IMPORTER.password);
    await page.getByTestId('signed-in-user').waitFor();
    await expect(page.getByTestId('synthetic-banner').isVisible()).resolves.toBe(true);
    // The admin pages sit behind the header's "数据与管理" menu at desktop width.
    await openToolsMenu(page);
    await page.getByRole('link', { name: '数据导入' }).click();
    await page.waitForURL(/\/admin\/import$/);
    await page.getByTestId('dataset-versions').waitFor();
    const synthetic = activeDataset();
    expect(synthetic.kind).toBe('synthetic');

    // A CSV whose migration range has a code the mapping does not know, and a row without a weight.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-import-'));
    const broken = path.join(folder, 'broken.csv');
    fs.writeFileSync(
      broken,
      'id,cityid,strata,psu,weight,q101j1\nA1,440300,44,440300-001,1.5,跨省\nA2,440300,44,440300-001,,跨国\n',
    );
    await page.setInputFiles('#import-file', broken);
    await page.getByTestId('dry-run-submit').click();
    await page.getByTestId('dry-run-report').waitFor();
    const problems = await page.getByTestId('import-problems').locator('[data-severity=error]').allTextContents();
    expect(problems.join('\n')).toContain('broken.csv');
    expect(problems.join('\n')).toContain('跨国');
    expect(problems.join('\n')).toMatch(/第 2 行/);
    expect(await page.getByTestId('confirm-import').count()).toBe(0);
    expect(activeDataset()).toEqual(synthetic);
    await screenshot(page, 'admin-import-refused');

    // The GB18030 fixture, encoding detected.
    const file = path.join(fixtures, 'cmds-gb18030.csv');
    await page.setInputFiles('#import-file', file);
    await page.selectOption('#import-encoding', 'auto');
    await page.getByTestId('dry-run-submit').click();
    // The fixture is an extract: the default mapping's other variables are refused, each named, until the admin
    // ticks them and checks again.
    await page.getByTestId('allow-missing').waitFor();
    expect(await page.getByTestId('confirm-import').count()).toBe(0);
    const missing = await page.getByTestId('import-problems').locator('[data-severity=error]').allTextContents();
    expect(missing.join('\n')).toMatch(/映射变量 q101e1（educationLevel）不在文件中/);
    expect(await page.getByTestId('allow-missing-recheck').isDisabled()).toBe(true);
    await screenshot(page, 'admin-import-missing-variables');
    await page.getByTestId('allow-missing').getByRole('button', { name: '全部勾选' }).click();
    await page.getByTestId('allow-missing-recheck').click();
    await page.getByTestId('confirm-import').waitFor();
    expect(await page.getByTestId('allowed-missing').textContent()).toContain('q101e1');
    expect(await page.getByTestId('import-problems').locator('[data-severity=error]').count()).toBe(0);
    const checksum = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(await page.getByTestId('dry-run-checksum').textContent()).toBe(checksum);
    expect(await page.getByTestId('dry-run-summary').textContent()).toContain('gb18030');
    expect(await page.locator('[data-testid=variable-report] tr[data-variable=migrationRange] td').nth(2).textContent()).toBe('8');
    await page.locator('summary', { hasText: '预览' }).click();
    expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBe(8);
    await screenshot(page, 'admin-import-dry-run');

    await page.getByTestId('confirm-import').click();
    await page.getByTestId('import-result').waitFor();
    expect(await page.getByTestId('import-result').textContent()).toMatch(/导入完成/);
    await page.waitForFunction(() => document.querySelector('[data-testid=synthetic-banner]') === null);
    const imported = activeDataset();
    expect(imported).toMatchObject({ kind: 'imported', checksum, rows: 8 });
    await page.locator(`tr[data-dataset="${imported.id}"][data-active=true]`).waitFor();
    await screenshot(page, 'admin-import-done');

    // Back to the synthetic version: the banner returns on every page.
    await page.getByTestId(`activate-${synthetic.id}`).click();
    await page.getByTestId('synthetic-banner').waitFor();
    expect(activeDataset()).toEqual(synthetic);
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('synthetic-banner').waitFor();

    const db = new Database(databasePath, { readonly: true });
    const actions = db.prepare("SELECT action FROM audit_log WHERE action IN ('import_dry_run', 'import', 'dataset_activate')").pluck().all();
    const importDetail = db.prepare("SELECT detail FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1").pluck().get() as string;
    db.close();
    expect(actions).toEqual(expect.arrayContaining(['import_dry_run', 'import', 'dataset_activate']));
    expect(JSON.parse(importDetail).allowMissing).toContain('q101e1');
    fs.rmSync(folder, { recursive: true, force: true });
    await page.context().close();
  });

  test('the page in English', async () => {
    const page = await newPage(browser(), 'en-GB');
    await signInAs(page, baseUrl, IMPORTER.username, IMPORTER.password);
    await page.getByTestId('signed-in-user').waitFor();
    await page.goto(`${baseUrl}/admin/import`);
    expect(await page.textContent('h1')).toBe('Import survey data');
    await page.setInputFiles('#import-file', path.join(fixtures, 'cmds-118.dta'));
    await page.getByTestId('dry-run-submit').click();
    await page.getByTestId('dry-run-report').waitFor();
    expect(await page.locator('[data-testid=variable-report] tr[data-variable=ruralHukou]').textContent()).toContain('.a 拒绝回答: 1');
    await screenshot(page, 'admin-import-en');
    await page.context().close();
  });

  test('viewers and analysts have no import link and are refused the page', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const page = await newPage(browser(), 'zh-CN');
      await signIn(page, baseUrl, role);
      await page.getByTestId('signed-in-user').waitFor();
      expect(await page.getByRole('link', { name: '数据导入' }).count()).toBe(0);
      await page.goto(`${baseUrl}/admin/import`);
      await page.waitForURL(/\/forbidden$/);
      const response = await page.request.post(`${baseUrl}/api/admin/import`, { multipart: { mode: 'dry-run' } });
      expect(response.status()).toBe(403);
      await page.context().close();
    }
  });
});
