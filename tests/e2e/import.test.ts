// The admin import page in Chromium: a broken file is refused with its problems named and nothing changes; a GB18030
// CSV passes the dry run, is imported on confirmation, the synthetic-data banner disappears and the new version is
// active with the file's sha256; reactivating the synthetic version brings the banner back. Viewers see no link and
// are refused the page.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { storeOf } from '@/db/store';
import { createUser, findUserByUsername } from '@/lib/queries/users';
import { newPage, openToolsMenu, screenshot, signIn, signInAs, startSuiteServer, useBrowser } from './support';

const { baseUrl, db } = await startSuiteServer();
const browser = useBrowser();
const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'import');

/** The active version on the server's back end (its SQLite copy, or its PostgreSQL with E2E_BACKEND=pg). */
async function activeDataset(): Promise<{ id: number; kind: string; checksum: string | null; rows: number } | undefined> {
  const { q, datasets } = storeOf(db());
  const [row] = await q
    .select({ id: datasets.id, kind: datasets.kind, checksum: datasets.checksum, rows: datasets.rowCount })
    .from(datasets)
    .where(and(eq(datasets.active, true), eq(datasets.status, 'ready')))
    .limit(1);
  return row;
}

// Demo accounts are refused while an imported dataset is active, so the import is done by a real admin account.
const IMPORTER = { username: 'e2e-importer', password: 'Importer-Real-Account-2026' };
beforeAll(async () => {
  if (!(await findUserByUsername(db(), IMPORTER.username))) await createUser(db(), { ...IMPORTER, displayName: 'E2E importer', role: 'admin' });
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
    const synthetic = (await activeDataset())!;
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
    expect(await activeDataset()).toEqual(synthetic);
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
    const imported = (await activeDataset())!;
    expect(imported).toMatchObject({ kind: 'imported', checksum, rows: 8 });
    await page.locator(`tr[data-dataset="${imported.id}"][data-active=true]`).waitFor();
    await screenshot(page, 'admin-import-done');

    // Back to the synthetic version: the banner returns on every page.
    await page.getByTestId(`activate-${synthetic.id}`).click();
    await page.getByTestId('synthetic-banner').waitFor();
    expect(await activeDataset()).toEqual(synthetic);
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('synthetic-banner').waitFor();

    const { q, auditLog } = storeOf(db());
    const actions = (await q.select({ action: auditLog.action }).from(auditLog).where(inArray(auditLog.action, ['import_dry_run', 'import', 'dataset_activate']))).map((r) => r.action);
    const [importEntry] = await q.select({ detail: auditLog.detail }).from(auditLog).where(eq(auditLog.action, 'import')).orderBy(desc(auditLog.id)).limit(1);
    expect(actions).toEqual(expect.arrayContaining(['import_dry_run', 'import', 'dataset_activate']));
    expect(importEntry?.detail?.allowMissing).toContain('q101e1');
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
