// Only admins import: the upload route handler answers 401 without a session and 403 to viewers and analysts before
// reading the body, and the reactivation action refuses them; an admin's dry run and import go through, and the
// route validates its input with zod. Auth.js is replaced by a stub session; the database is a temporary one.
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Role } from '@/lib/auth/permissions';
import { createDatabase } from './database';
import { fixture } from './fixtures';

const state = vi.hoisted(() => {
  // vi.hoisted runs before the imports: require is the only synchronous way to reach node's modules here.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const folder = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'import-permissions-')) as string;
  process.env.DATABASE_PATH = require('node:path').join(folder, 'dashboard.db');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { folder, session: null as null | { user: { id: string; name: string; role: Role } } };
});
vi.mock('@/lib/auth', () => ({ auth: async () => state.session }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const { POST } = await import('@/app/api/admin/import/route');
const { activateDatasetVersionAction } = await import('@/app/(dashboard)/admin/import/actions');
const { getSqliteDatabase } = await import('@/db/client');

let syntheticId = 0;
const users: Record<Role, { id: string; name: string; role: Role }> = {
  viewer: { id: '1', name: 'Demo viewer', role: 'viewer' },
  analyst: { id: '2', name: 'Demo analyst', role: 'analyst' },
  admin: { id: '3', name: 'Demo admin', role: 'admin' },
};

beforeAll(() => {
  const { db, datasetId } = createDatabase(process.env.DATABASE_PATH as string, 500);
  syntheticId = datasetId;
  db.$client.close();
});
afterAll(() => fs.rmSync(state.folder, { recursive: true, force: true }));
beforeEach(() => {
  state.session = null;
});

function upload(fields: Record<string, string | File>): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return new Request('http://localhost/api/admin/import', { method: 'POST', body: form });
}
const sav = () => new File([new Uint8Array(fixture('cmds-bytecode.sav'))], 'cmds-bytecode.sav');

describe('import route handler', () => {
  test('401 without a session', async () => {
    const response = await POST(upload({ mode: 'dry-run', file: sav() }));
    expect(response.status).toBe(401);
  });

  test.each(['viewer', 'analyst'] as const)('403 for the %s role', async (role) => {
    state.session = { user: users[role] };
    const response = await POST(upload({ mode: 'dry-run', file: sav() }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'forbidden' });
  });

  test('400 for invalid input: no file, an unknown mode, a mapping that is not JSON', async () => {
    state.session = { user: users.admin };
    expect((await POST(upload({ mode: 'dry-run' }))).status).toBe(400);
    expect((await POST(upload({ mode: 'delete-everything', file: sav() }))).status).toBe(400);
    const badMapping = await POST(upload({ mode: 'dry-run', file: sav(), mappingFile: new File(['{ nope'], 'map.json') }));
    expect(badMapping.status).toBe(400);
    expect(await badMapping.json()).toMatchObject({ error: 'invalid_mapping', message: expect.stringMatching(/not valid JSON/) });
    expect((await POST(upload({ mode: 'import', stagingId: '../../etc/passwd' }))).status).toBe(400);
  });

  test('an admin dry-runs, ticks the mapped variables the file lacks, checks again, then imports the staged file', async () => {
    state.session = { user: users.admin };
    type Dry = { ok: boolean; stagingId: string | null; report: { canImport: boolean; validRows: number; problems: Array<{ code: string; source: string; severity: string }> } };
    // The fixture is an extract: the default mapping's other variables are refused until allowed by name.
    const refused = (await (await POST(upload({ mode: 'dry-run', file: sav(), mapping: 'cmds-2017' }))).json()) as Dry;
    expect(refused).toMatchObject({ ok: true, stagingId: null, report: { canImport: false } });
    const missing = refused.report.problems.filter((p) => p.code === 'source_not_found').map((p) => p.source);
    expect(missing).toContain('q101e1');
    expect(refused.report.problems.filter((p) => p.severity === 'error').every((p) => p.code === 'source_not_found')).toBe(true);
    // Allowing all but one still refuses that one.
    const partly = (await (await POST(upload({ mode: 'dry-run', file: sav(), mapping: 'cmds-2017', allowMissing: JSON.stringify(missing.slice(1)) }))).json()) as Dry;
    expect(partly.report.problems.filter((p) => p.code === 'source_not_found').map((p) => p.source)).toEqual([missing[0]]);
    const dry = (await (await POST(upload({ mode: 'dry-run', file: sav(), mapping: 'cmds-2017', allowMissing: JSON.stringify(missing) }))).json()) as Dry & { stagingId: string };
    expect(dry).toMatchObject({ ok: true, report: { canImport: true, validRows: 8 } });
    expect(dry.report.problems.find((p) => p.code === 'source_absent')).toMatchObject({ severity: 'warning' });
    // A viewer cannot use the admin's staged file.
    state.session = { user: users.viewer };
    expect((await POST(upload({ mode: 'import', stagingId: dry.stagingId }))).status).toBe(403);
    state.session = { user: users.admin };
    const imported = (await (await POST(upload({ mode: 'import', stagingId: dry.stagingId }))).json()) as { ok: boolean; datasetId: number; rows: number };
    expect(imported).toMatchObject({ ok: true, rows: 8 });
    const active = getSqliteDatabase().$client.prepare('SELECT id, kind FROM datasets WHERE active = 1').get();
    expect(active).toEqual({ id: imported.datasetId, kind: 'imported' });
    // The staged file is used once.
    expect((await POST(upload({ mode: 'import', stagingId: dry.stagingId }))).status).toBe(404);
    const entries = getSqliteDatabase().$client.prepare("SELECT action, detail FROM audit_log WHERE username = 'Demo admin' ORDER BY id").all() as Array<{ action: string; detail: string }>;
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['import_dry_run', 'import']));
    // What was allowed is audited with the dry run that allowed it and with the import.
    expect(JSON.parse(entries.filter((e) => e.action === 'import_dry_run').at(-1)?.detail ?? '{}')).toMatchObject({ ok: true, allowMissing: missing });
    expect(JSON.parse(entries.find((e) => e.action === 'import')?.detail ?? '{}')).toMatchObject({ allowMissing: missing });
  });

  test('the allowed variables are validated: a JSON list of names, never "*"', async () => {
    state.session = { user: users.admin };
    for (const allowMissing of ['["*"]', 'q101e1', '[""]', JSON.stringify([1, 2])]) {
      const response = await POST(upload({ mode: 'dry-run', file: sav(), mapping: 'cmds-2017', allowMissing }));
      expect(response.status, allowMissing).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_input', message: expect.stringMatching(/^allowMissing/) });
    }
  });
});

describe('reactivation action', () => {
  test.each(['viewer', 'analyst'] as const)('refuses the %s role', async (role) => {
    state.session = { user: users[role] };
    expect(await activateDatasetVersionAction({ datasetId: syntheticId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  test('refuses without a session and validates the id', async () => {
    expect(await activateDatasetVersionAction({ datasetId: syntheticId })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    state.session = { user: users.admin };
    expect(await activateDatasetVersionAction({ datasetId: 'all' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  test('an admin reactivates the synthetic version', async () => {
    state.session = { user: users.admin };
    expect(await activateDatasetVersionAction({ datasetId: syntheticId })).toEqual({ ok: true, data: { datasetId: syntheticId } });
    expect(getSqliteDatabase().$client.prepare('SELECT id FROM datasets WHERE active = 1').pluck().get()).toBe(syntheticId);
    expect(await activateDatasetVersionAction({ datasetId: 9999 })).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/does not exist/) } });
  });
});
