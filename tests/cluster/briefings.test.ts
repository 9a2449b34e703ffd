// Briefings on the cluster back end: web instance A queues a briefing (the layout model it built from its own query
// layer), a worker process (the compiled `npm run worker`) lays it out with no database of its own and stores the PDF
// in PostgreSQL, and web instance B hands the file to its owner: the same bytes as laying the model out in process.
// Nobody else gets it (a viewer's fetch answers as for a missing file), nor anyone once it has expired; expired files
// are deleted. Skips with the reason printed where PostgreSQL cannot start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import type { ClusterBriefingJobs } from '@/lib/jobs/pg/briefing-jobs';
import type { WorkerProcess } from './harness';

// lib/env reads DATABASE_PATH at its first import: the dataset (with its indicators) the web instances read.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-briefing-'));
process.env.DATABASE_PATH = path.join(folder, 'dataset.db');

const { startPostgres } = await import('../support/postgres');
const started = await startPostgres();
if (!started.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${started.reason}`);

describe.skipIf(!started.ok)('cluster briefings: asked on one web instance, laid out by a worker process, fetched on another', () => {
  const pg = started.ok ? started.pg : null!;
  const webs: ClusterBriefingJobs[] = [];
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    for (const w of workers) {
      w.kill('SIGKILL');
      await w.exited;
    }
    await Promise.all(webs.map((web) => web.close()));
    pg?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('the owner gets the PDF from the other instance; a viewer and a late owner get nothing', async () => {
    const { createDatabase } = await import('../import/database');
    const { db: sqlite } = await createDatabase(process.env.DATABASE_PATH!, 1500);
    const cityCode = sqlite.$client.prepare("SELECT geo_code FROM indicators WHERE geo_level = 'city' AND suppressed = 0 GROUP BY geo_code ORDER BY count(*) DESC LIMIT 1").pluck().get() as string;
    const userId = (name: string) => sqlite.$client.prepare('SELECT id FROM users WHERE username = ?').pluck().get(name) as number;
    const [analyst, viewer] = [userId('analyst'), userId('viewer')];
    sqlite.$client.pragma('wal_checkpoint(TRUNCATE)');

    const { applyPgMigrations, openPgDatabase } = await import('@/db/pg');
    const db = openPgDatabase(pg.url);
    await applyPgMigrations(db);
    const { startWorkerProcess, testTiming } = await import('./harness');
    const { startBoss } = await import('@/lib/jobs/pg/boss');
    const { ClusterBriefingJobs } = await import('@/lib/jobs/pg/briefing-jobs');
    const { BRIEFING_LIMITS } = await import('@/lib/jobs/briefings');
    const webInstance = async () => new ClusterBriefingJobs(await startBoss(pg.url, testTiming(), { supervise: false }), openPgDatabase(pg.url), testTiming(), BRIEFING_LIMITS);
    webs.push(await webInstance(), await webInstance());
    const [a, b] = webs as [ClusterBriefingJobs, ClusterBriefingJobs];
    const worker = startWorkerProcess({ url: pg.url }, 'worker-briefings');
    workers.push(worker);
    await worker.waitFor(/taking fit jobs .* and briefing jobs \(1 at once\)/);

    const { prepareCityBriefing } = await import('@/lib/pdf/prepare-briefing');
    const prepared = await prepareCityBriefing({ cityCode, wave: 2017, hukou: 'all', range: 'all', locale: 'zh', date: new Date('2026-11-30T00:00:00Z') });
    if (!prepared.ok) throw new Error(`no briefing for ${cityCode}: ${prepared.reason}`);

    const { id, status } = await a.submit({ model: prepared.model, fileStem: prepared.fileStem }, analyst);
    expect(status.state).toBe('queued');
    const fetched = await b.wait(id, analyst, 90_000);
    if (!fetched.ok) throw new Error(`briefing not rendered: ${JSON.stringify(fetched.error)}\n${worker.lines.join('\n')}`);
    expect(fetched.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(fetched.fileStem).toEqual(prepared.fileStem);
    await worker.waitFor(new RegExp(`briefing ${id} done`));

    // The worker lays out exactly what the in-process renderer lays out from the same model.
    const { workerDirectory } = await import('@/lib/jobs/worker-files');
    const render = (await import(pathToFileURL(path.join(workerDirectory(), 'render-briefing.mjs')).href)) as typeof import('@/lib/pdf/render-briefing');
    expect(Buffer.compare(fetched.pdf, await render.renderBriefingPdf(prepared.model))).toBe(0);

    // Both instances say it is done; only its owner gets the file, from either instance.
    expect((await a.status(id))?.state).toBe('done');
    expect((await b.status(id))?.state).toBe('done');
    expect(await a.ownerOf(id)).toBe(analyst);
    expect(Buffer.compare((await a.download(id, analyst))!.pdf, fetched.pdf)).toBe(0);
    expect(await b.download(id, viewer)).toBeNull();
    expect(await a.download(id, viewer)).toBeNull();

    // Once expired, nobody gets it, and the next worker write (or anyone) deletes it.
    await db.$client.query(`UPDATE briefing_files SET expires_at = now() - interval '1 second' WHERE job_id = $1`, [id]);
    expect(await b.download(id, analyst)).toBeNull();
    const { deleteExpiredBriefings } = await import('@/lib/queries/cluster-briefings');
    expect(await deleteExpiredBriefings(db)).toBe(1);
    const { rows } = await db.$client.query('SELECT 1 FROM briefing_files WHERE job_id = $1', [id]);
    expect(rows).toHaveLength(0);

    // The waiting instance wakes on the worker's announcement, not on its next look: with looks a minute apart, the
    // second briefing still arrives in seconds.
    const second = await a.submit({ model: prepared.model, fileStem: prepared.fileStem }, analyst);
    const waitStarted = Date.now();
    const announced = await b.wait(second.id, analyst, 90_000, 60_000);
    expect(announced.ok).toBe(true);
    expect(Date.now() - waitStarted).toBeLessThan(30_000);

    // A payload that is not a briefing model is refused before it is queued.
    await expect(a.submit({ model: null } as never, analyst)).rejects.toThrow(/Invalid briefing job/);
    sqlite.$client.close();
    await db.$client.end();
  });
});
