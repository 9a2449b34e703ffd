// Two instances of the built app (`next start` on .next-e2e, each on its own copy of the database, as two web
// machines would have) with DATABASE_URL=postgres://… and two compiled worker processes: a fit's status route answers
// the same on both instances (queued with its place, then the result), only for its owner or an admin; a fit
// cancelled on one instance is cancelled on the other; a briefing downloaded on one instance is laid out by a worker
// and served again by the other, to its owner only. Skips with the reason printed where PostgreSQL cannot start.
import { afterAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '@/db/client';
import { applyPgMigrations, openPgDatabase } from '@/db/pg';
import { publishDatasetVersion } from '@/db/publish';
import { storeOf } from '@/db/store';
import { ensureDemoUsers } from '@/lib/auth/demo-users';
import type { ClusterFitJobs } from '@/lib/jobs/pg/fit-jobs';
import { startPostgres } from '../support/postgres';
import { get, signInOverHttp, startServer, type CookieJar, type TestServer } from '../security/support';
import { fitPayload, olsRequest, startWorkerProcess, TEST_ENV, testTiming, webInstance, type WorkerProcess } from './harness';

const started = await startPostgres();
if (!started.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${started.reason}`);

describe.skipIf(!started.ok)('two web instances of the built app on the cluster back end', () => {
  const pg = started.ok ? started.pg : null!;
  const servers: TestServer[] = [];
  const workers: WorkerProcess[] = [];
  let jobs: ClusterFitJobs | undefined;
  afterAll(async () => {
    for (const w of workers) {
      w.kill('SIGKILL');
      await w.exited;
    }
    await jobs?.close();
    await Promise.all(servers.map((server) => server.stop()));
    pg?.stop();
  });

  test('the job routes of both instances read the same jobs from PostgreSQL', async () => {
    const db = openPgDatabase(pg.url);
    await applyPgMigrations(db);
    // The accounts are in PostgreSQL with the cluster back end, as `npm run setup` with DATABASE_URL puts them.
    await ensureDemoUsers(db);
    const { q, users } = storeOf(db);
    const [analyst] = await q.select({ id: users.id }).from(users).where(eq(users.username, 'analyst')).limit(1);
    const env = { ...TEST_ENV, DATABASE_URL: pg.url };
    servers.push(await startServer(env), await startServer(env));
    const [a, b] = servers as [TestServer, TestServer];
    // The workers read the dataset from PostgreSQL, where setup publishes it.
    const pristine = openDatabase(a.databasePath, { readonly: true });
    await publishDatasetVersion(pristine, db.$client, pristine.$client.prepare('SELECT id FROM datasets WHERE active = 1').pluck().get() as number);
    pristine.$client.close();
    await db.$client.end();
    const signIn = async (server: TestServer, username: string) => (await signInOverHttp(server.baseUrl, username, `${username}-demo`)).jar;
    const [analystA, analystB, viewerB, adminB] = await Promise.all([signIn(a, 'analyst'), signIn(b, 'analyst'), signIn(b, 'viewer'), signIn(b, 'admin')]);
    const status = async (server: TestServer, jar: CookieJar, id: string) => {
      const response = await get(server.baseUrl, `/api/models/jobs/${id}`, jar);
      return { code: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    // The fits are queued as the model page's action queues them (the action's own path is covered by the browser
    // tests on the embedded back end), for the analyst of the instances' shared accounts.
    const analystId = analyst!.id;
    const datasetId = a.sqlite().$client.prepare('SELECT id FROM datasets WHERE active = 1').pluck().get() as number;
    // Not a test of lost jobs (fault-tolerance.test.ts is): an expiry long enough for a first fit on a loaded machine.
    jobs = await webInstance(pg.url, undefined, { ...testTiming(), expireSeconds: 120 });
    const setup = { url: pg.url, databasePath: a.databasePath, datasetId };
    const first = (await jobs.submit(fitPayload(setup, 'analyst', olsRequest()), analystId)).id;
    const second = (await jobs.submit(fitPayload(setup, 'analyst', olsRequest()), analystId)).id;

    expect(await status(a, analystA, first)).toEqual({ code: 200, body: { state: 'queued', position: 1 } });
    expect(await status(b, analystB, second)).toEqual({ code: 200, body: { state: 'queued', position: 2 } });
    expect((await status(b, viewerB, first)).code).toBe(404);
    expect((await status(b, adminB, first)).body).toEqual({ state: 'queued', position: 1 });

    const cancel = await fetch(`${a.baseUrl}/api/models/jobs/${second}`, { method: 'DELETE', headers: { cookie: analystA.header(), origin: a.baseUrl } });
    expect(cancel.status).toBe(200);
    expect((await status(b, analystB, second)).body).toEqual({ state: 'cancelled' });

    workers.push(startWorkerProcess(setup, 'web-worker-1'), startWorkerProcess(setup, 'web-worker-2'));
    let onB = await status(b, analystB, first);
    for (let i = 0; i < 240 && onB.body.state !== 'done' && onB.body.state !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      onB = await status(b, analystB, first);
    }
    expect(onB.body, JSON.stringify({ status: onB.body, workers: workers.map((w) => w.lines.slice(-6)) })).toMatchObject({ state: 'done' });
    expect(await status(a, analystA, first)).toEqual(onB);
    expect((await status(a, analystA, second)).body).toEqual({ state: 'cancelled' });
  });

  test("a briefing downloaded on one instance is laid out by a worker and fetched again on the other, by its owner only", async () => {
    const [a, b] = servers as [TestServer, TestServer];
    expect(workers.length).toBeGreaterThan(0); // the worker processes of the test above also take briefings
    const signIn = async (server: TestServer, username: string) => (await signInOverHttp(server.baseUrl, username, `${username}-demo`)).jar;
    const [analystA, analystB, viewerB] = await Promise.all([signIn(a, 'analyst'), signIn(b, 'analyst'), signIn(b, 'viewer')]);
    const asked = await get(a.baseUrl, '/api/briefings/cities/440300?wave=2017&hukou=rural', analystA, { 'accept-language': 'en' });
    expect(asked.status).toBe(200);
    expect(asked.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await asked.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const id = asked.headers.get('x-briefing-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // Laid out by a worker process, not by instance A.
    const db = openPgDatabase(pg.url);
    const { rows } = await db.$client.query<{ worker: string }>('SELECT worker FROM briefing_files WHERE job_id = $1', [id]);
    await db.$client.end();
    expect(workers.map((w) => w.name)).toContain(rows[0]?.worker);

    const again = await get(b.baseUrl, `/api/briefings/files/${id}`, analystB);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-disposition')).toBe(asked.headers.get('content-disposition'));
    expect(Buffer.compare(Buffer.from(await again.arrayBuffer()), pdf)).toBe(0);
    // Another user's id answers as a missing one; a malformed id is refused.
    expect((await get(b.baseUrl, `/api/briefings/files/${id}`, viewerB)).status).toBe(404);
    expect((await get(b.baseUrl, `/api/briefings/files/${crypto.randomUUID()}`, analystB)).status).toBe(404);
    expect((await get(b.baseUrl, '/api/briefings/files/not-an-id', analystB)).status).toBe(400);
  });
});
