// Issue 11, item 11: every permission in the table is checked somewhere, and the analyst's microdata export exists:
// audited, with the dataset's licence notice and the filters in the file name; a viewer is refused (and audited).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PERMISSIONS } from '@/lib/auth/permissions';
import { addUser, auditCount, get, signInOverHttp, startServer, type TestServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const root = path.resolve(import.meta.dirname, '..', '..');
function sources(folder: string): string {
  return (fs.readdirSync(path.join(root, folder), { recursive: true }) as string[])
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => fs.readFileSync(path.join(root, folder, f), 'utf8'))
    .join('\n');
}

describe('permissions', () => {
  test('every permission of the table is checked in app/ or lib/ outside the table itself', () => {
    const code = sources('app') + sources('lib');
    for (const permission of PERMISSIONS) expect(code, permission).toMatch(new RegExp(`(Permission|authorizedAction|can)\\([^)]*'${permission}'`));
  });

  test('an analyst exports one wave of one city: CSV, filters in the file name, licence header, audit row', async () => {
    const analyst = await addUser(server, 'analyst');
    const { jar } = await signInOverHttp(server.baseUrl, analyst.username, analyst.password);
    const page = await get(server.baseUrl, '/export', jar);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('licence-notice');
    expect((await get(server.baseUrl, '/api/export/microdata?wave=2017&city=440300', jar)).status).toBe(400); // licence not accepted
    const response = await get(server.baseUrl, '/api/export/microdata?wave=2017&city=440300&accept=1', jar);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('microdata_synthetic_wave2017_city440300.csv');
    expect(decodeURIComponent(response.headers.get('x-data-licence') ?? '')).toContain('Synthetic');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^wave,city_code,/);
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.slice(1).every((l) => l.startsWith('2017,440300,'))).toBe(true);
    expect(await auditCount(server, { action: 'microdata_export', userId: analyst.id })).toBe(1);
    expect((await get(server.baseUrl, '/api/export/microdata?wave=2030&accept=1', jar)).status).toBe(404);
  });

  test('a viewer may not export microdata or read the audit log; each refusal is audited', async () => {
    const viewer = await addUser(server, 'viewer');
    const { jar } = await signInOverHttp(server.baseUrl, viewer.username, viewer.password);
    expect((await get(server.baseUrl, '/api/export/microdata?wave=2017&accept=1', jar)).status).toBe(403);
    expect((await get(server.baseUrl, '/api/audit', jar)).status).toBe(403);
    expect(await auditCount(server, { action: 'forbidden', userId: viewer.id })).toBe(2);
  });

  test("the audit page filters by user, action and date, and an analyst sees only their own entries", async () => {
    const admin = await addUser(server, 'admin');
    const analyst = await addUser(server, 'analyst');
    await signInOverHttp(server.baseUrl, analyst.username, 'wrong-password');
    const { jar: adminJar } = await signInOverHttp(server.baseUrl, admin.username, admin.password);
    const today = new Date().toISOString().slice(0, 10);
    const csv = await (await get(server.baseUrl, `/api/audit?user=${analyst.username}&action=sign_in_failed&from=${today}&to=${today}`, adminJar)).text();
    const rows = csv.trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(analyst.username);
    expect((await get(server.baseUrl, `/admin/audit?action=sign_in_failed`, adminJar)).status).toBe(200);
    const { jar: analystJar } = await signInOverHttp(server.baseUrl, analyst.username, analyst.password);
    const own = await (await get(server.baseUrl, '/api/audit', analystJar)).text();
    expect(own).not.toContain(admin.username);
    expect(own).toContain(analyst.username);
  });
});
