// Issue 11, item 1: demo accounts exist only while the synthetic dataset is active; `npm run user -- add` creates the
// first real account; setup never recreates demo accounts once a real dataset exists; admins manage users on a page.
import { and, eq, inArray, max } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { storeOf } from '@/db/store';
import { addUser, auditCount, get, runScript, signInOverHttp, startServer, type TestServer } from './support';
import { launchBrowser, newPage } from '../e2e/support';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const signsIn = async (username: string, password: string) => (await signInOverHttp(server.baseUrl, username, password)).response.headers.get('location') ?? '';

/** An imported version becomes the active one, in the dataset versions of the server's back end. */
async function activateImportedDataset(): Promise<void> {
  const { q, datasets } = storeOf(server.db());
  // An explicit id: PostgreSQL's sequence knows nothing of the published versions' ids.
  const [last] = await q.select({ id: max(datasets.id) }).from(datasets);
  await q.update(datasets).set({ active: false });
  await q.insert(datasets).values({ id: (last?.id ?? 0) + 1, label: 'CMDS 2017 (test import)', kind: 'imported', status: 'ready', active: true, rowCount: 0 });
}

describe('accounts', () => {
  test('`npm run user -- add NAME --role admin` refuses a weak password and creates an admin from a strong one', async () => {
    const weak = runScript(server, 'db/user.ts', ['add', 'chief', '--role', 'admin'], 'password123\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/common password|at least 12/);
    const made = runScript(server, 'db/user.ts', ['add', 'chief', '--role', 'admin', '--display-name', 'Chief Admin'], 'Lantern-Harbour-Quietly-58\n');
    expect(made.status, made.stderr).toBe(0);
    expect(await signsIn('chief', 'Lantern-Harbour-Quietly-58')).not.toContain('error');
  });

  test('the users page creates, disables, resets and changes a role; a reset user must choose a new password', async () => {
    const admin = await addUser(server, 'admin');
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser, 'en-GB');
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByTestId('sign-in-submit').and(page.locator(':enabled')).waitFor();
      await page.fill('#username', admin.username);
      await page.fill('#password', admin.password);
      await page.click('[data-testid=sign-in-submit]');
      await page.getByTestId('signed-in-user').waitFor();
      await page.goto(`${server.baseUrl}/admin/users`);
      expect(await page.getByTestId('password-policy').textContent()).toContain('12');
      // A common password is refused with the policy's reason.
      await page.fill('#new-username', 'nurse.li');
      await page.fill('#new-display-name', 'Li Na');
      await page.fill('#new-password', 'password2024!');
      await page.click('[data-testid=create-user]');
      // The refusal comes back as the form's state, on the same page.
      await expect(page.getByTestId('users-error').textContent()).resolves.toContain('common password');
      await page.fill('#new-username', 'nurse.li');
      await page.fill('#new-display-name', 'Li Na');
      await page.selectOption('#new-role', 'analyst');
      await page.fill('#new-password', 'Temporary-Orchid-Passage-31');
      await page.click('[data-testid=create-user]');
      await page.waitForURL(/done=created/);
      const row = page.getByTestId('user-nurse.li');
      expect(await row.textContent()).toContain('Analyst');

      // The new user signs in and is sent to choose a new password before anything else.
      const other = await newPage(browser, 'en-GB');
      await other.goto(`${server.baseUrl}/sign-in`);
      await other.getByTestId('sign-in-submit').and(other.locator(':enabled')).waitFor();
      await other.fill('#username', 'nurse.li');
      await other.fill('#password', 'Temporary-Orchid-Passage-31');
      await other.click('[data-testid=sign-in-submit]');
      await other.waitForURL(/\/account\/password/);
      await other.goto(`${server.baseUrl}/compare`);
      await other.waitForURL(/\/account\/password/);
      await other.fill('#current', 'Temporary-Orchid-Passage-31');
      await other.fill('#next', 'Her-Own-Chosen-Phrase-2026');
      await other.fill('#repeat', 'Her-Own-Chosen-Phrase-2026');
      await other.click('[data-testid=change-password]');
      await other.getByTestId('signed-in-user').waitFor();

      // Role change, then disable: each ends her session at once.
      await row.locator('select').selectOption('viewer');
      await row.getByRole('button', { name: 'Change role' }).click();
      await page.waitForURL(/done=role/);
      await other.goto(`${server.baseUrl}/compare`);
      await other.waitForURL(/\/sign-in/);
      await page.getByTestId('user-nurse.li').getByRole('button', { name: 'Disable' }).click();
      await page.waitForURL(/done=disabled/);
      expect(await signsIn('nurse.li', 'Her-Own-Chosen-Phrase-2026')).toContain('error');
      expect(await auditCount(server, { action: ['user_created', 'user_role_changed', 'user_disabled'], target: 'nurse.li' })).toBe(3);
    } finally {
      await browser.close();
    }
  });

  test('a viewer may not open the users page, and the refusal is audited', async () => {
    const viewer = await addUser(server, 'viewer');
    const { jar } = await signInOverHttp(server.baseUrl, viewer.username, viewer.password);
    const response = await get(server.baseUrl, '/admin/users', jar);
    expect(response.headers.get('location') ?? (await response.text())).toContain('forbidden');
    expect(await auditCount(server, { action: 'forbidden', userId: viewer.id })).toBeGreaterThanOrEqual(1);
  });

  test('demo accounts work on synthetic data; activating an imported dataset refuses them and ends their sessions', async () => {
    const demo = await signInOverHttp(server.baseUrl, 'viewer', 'viewer-demo');
    expect(demo.response.headers.get('location')).not.toContain('error');
    expect((await get(server.baseUrl, '/compare', demo.jar)).status).toBe(200);
    await activateImportedDataset();
    expect((await get(server.baseUrl, '/compare', demo.jar)).status).toBe(307);
    expect(await signsIn('admin', 'admin-demo')).toContain('error');
    expect(await signsIn('chief', 'Lantern-Harbour-Quietly-58')).not.toContain('error');
    const page = await (await get(server.baseUrl, '/sign-in')).text();
    expect(page).not.toContain('admin-demo');
  });

  test('setup never recreates deleted demo accounts once a real dataset exists, and disables remaining ones', async () => {
    const { q, users } = storeOf(server.db());
    await q.delete(users).where(inArray(users.username, ['viewer', 'analyst']));
    const setup = runScript(server, 'db/setup.ts', []);
    expect(setup.status, setup.stderr).toBe(0);
    const rows = await q.select({ username: users.username, active: users.active }).from(users).where(and(eq(users.demo, true)));
    expect(rows).toEqual([{ username: 'admin', active: false }]);
  });
});
