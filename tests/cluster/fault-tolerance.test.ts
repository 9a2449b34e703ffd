// Fault tolerance of the cluster back end against a real PostgreSQL and real worker processes:
// - a worker process killed with SIGKILL in the middle of a fit: pg-boss retries the job on another worker once the
//   job's expiry has passed; the result is recorded once, by the second worker, and the run is audited once;
// - a poison job (its fit kills the worker process every time) ends failed after the retry limit, with a message
//   that says so, audited once;
// - a job queued while no worker runs, by a web instance that then stops, is not lost: the next worker runs it;
// - a worker whose dataset file lacks the version refuses the fit at once, with a message;
// - one owner's burst does not hold back a later owner; the per-owner and total limits of the line are counted in
//   PostgreSQL, over every web instance.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ClusterFitJobs } from '@/lib/jobs/pg/fit-jobs';
import { QueueFullError } from '@/lib/jobs/pool';
import { countRunAudits, findFitOutcome } from '@/lib/queries/cluster-jobs';
import { fitPayload, settled, setUpCluster, startWorkerProcess, webInstance, type ClusterSetup, type WorkerProcess } from './harness';

const cluster = await setUpCluster();
if (!cluster.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${cluster.reason}`);

describe.skipIf(!cluster.ok)('cluster back end: faults', () => {
  let setup: ClusterSetup;
  let web: ClusterFitJobs;
  const workers: WorkerProcess[] = [];
  const worker = (...args: Parameters<typeof startWorkerProcess> extends [unknown, ...infer Rest] ? Rest : never) => {
    const started = startWorkerProcess(setup, ...args);
    workers.push(started);
    return started;
  };
  beforeAll(async () => {
    setup = (cluster as { ok: true; setup: ClusterSetup }).setup;
    web = await webInstance(setup.url);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.kill('SIGKILL');
      await w.exited;
    }
  });
  afterAll(async () => {
    await web?.close();
    await setup?.close();
  });

  test('a worker killed in the middle of a fit: another worker runs it, the result and the audit come once', async () => {
    // The first worker holds each job for 4 s before fitting, so that it is surely killed while the job is active.
    const first = worker('held', { kind: 'test', env: { HOLD_MS: '4000' } });
    await first.waitFor(/taking fit jobs/);
    const { id } = await web.submit(fitPayload(setup, 'killed-mid-fit'), 11);
    await first.waitFor(new RegExp(`fit ${id} started \\(attempt 1\\)`));
    expect((await web.status(id))?.state).toBe('running');
    const second = worker('rescuer');
    await second.waitFor(/taking fit jobs/);
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed by the signal, no exit code
    const status = await settled(web, id);
    expect(status.state).toBe('done');
    const outcome = await findFitOutcome(setup.db, id);
    expect(outcome).toMatchObject({ state: 'done', worker: 'rescuer', attempts: 2 });
    expect(second.lines.filter((line) => line.includes(`fit ${id} started (attempt 2)`))).toHaveLength(1);
    expect((await countRunAudits(setup.db)).get(id)).toBe(1);
    console.log(`[cluster] killed worker's job ${id}: done by ${outcome?.worker} on attempt ${outcome?.attempts}`);
  });

  test('a poison job ends failed after the retry limit, with a clear message, audited once', async () => {
    const { id } = await web.submit(fitPayload(setup, 'poison'), 12);
    // Whenever the poisoned worker dies, a fresh one takes its place (as a process supervisor would).
    let attempts = 0;
    let stop = false;
    const keepOneRunning = async () => {
      while (!stop && attempts < 5) {
        const w = worker(`poisoned-${++attempts}`, { kind: 'test', env: { POISON_USER: 'poison' } });
        await w.exited;
      }
    };
    const supervisor = keepOneRunning();
    const status = await settled(web, id, 120_000);
    stop = true;
    for (const w of workers) w.kill('SIGKILL');
    await supervisor;
    expect(status.state).toBe('failed');
    if (status.state !== 'failed') return;
    expect(status.error.code).toBe('worker_lost');
    expect(status.error.message).toMatch(/stopped while fitting this request 3 times \(the retry limit is 2\); the request was given up/);
    // Three attempts, each one started and killed: the retry limit held.
    const starts = workers.flatMap((w) => w.lines).filter((line) => line.includes(`fit ${id} started`));
    expect(starts).toHaveLength(3);
    expect(await web.status(id)).toEqual(status);
    expect((await countRunAudits(setup.db)).get(id)).toBe(1);
  });

  test('a job queued while no worker runs, by a web instance that then stops, is run by the next worker', async () => {
    const leaving = await webInstance(setup.url);
    const { id, status } = await leaving.submit(fitPayload(setup, 'queued-alone'), 13);
    expect(status).toEqual({ state: 'queued', position: 1 });
    await leaving.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await web.status(id)).toEqual({ state: 'queued', position: 1 });
    expect(await web.ownerOf(id)).toBe(13);
    worker('late');
    const done = await settled(web, id);
    expect(done.state).toBe('done');
    expect((await findFitOutcome(setup.db, id))?.worker).toBe('late');
    expect((await countRunAudits(setup.db)).get(id)).toBe(1);
  });

  test('a fit of a version PostgreSQL does not hold is refused at once, with a clear message', async () => {
    const w = worker('stale');
    const { id } = await web.submit({ ...fitPayload(setup, 'stale-file'), datasetId: setup.datasetId + 1000 }, 14);
    const status = await settled(web, id);
    expect(status).toEqual({ state: 'failed', error: { code: 'dataset_missing', message: expect.stringMatching(/^Dataset version \d+ is not published in PostgreSQL; the request was not fitted/) } });
    // Not retried: one attempt, no path of the worker's machine in the message.
    expect(await findFitOutcome(setup.db, id)).toMatchObject({ attempts: 1, worker: 'stale' });
    expect(JSON.stringify(status)).not.toContain(setup.databasePath);
    expect(w.lines.filter((line) => line.includes(`fit ${id} started`))).toHaveLength(1);
  });

  test('one owner\'s burst does not hold back another owner who asks later', async () => {
    const burst = [];
    for (let i = 0; i < 3; i++) burst.push((await web.submit(fitPayload(setup, 'burst'), 41)).id);
    const later = (await web.submit(fitPayload(setup, 'later'), 42)).id;
    const positions = await Promise.all([...burst, later].map(async (id) => (await web.status(id)) as { state: string; position?: number }));
    expect(positions.map((p) => p.position)).toEqual([1, 3, 4, 2]);
    for (const id of [...burst, later]) await web.cancel(id);
  });

  test('the limits of the line hold over all web instances: per owner, then in all', async () => {
    const [one, two] = [await webInstance(setup.url, { queueLimit: 3, perOwnerQueueLimit: 2 }), await webInstance(setup.url, { queueLimit: 3, perOwnerQueueLimit: 2 })];
    try {
      const ids = [(await one.submit(fitPayload(setup, 'a'), 31)).id, (await two.submit(fitPayload(setup, 'a'), 31)).id];
      const refusal = await one.submit(fitPayload(setup, 'a'), 31).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(QueueFullError);
      expect((refusal as QueueFullError).refusal).toEqual({ reason: 'owner_limit', limit: 2, ownPositions: [1, 2] });
      ids.push((await two.submit(fitPayload(setup, 'b'), 32)).id);
      const full = await one.submit(fitPayload(setup, 'c'), 33).catch((error: unknown) => error);
      expect((full as QueueFullError).refusal).toEqual({ reason: 'queue_full', waiting: 3, running: 0, ownPositions: [], wouldBePosition: 4 });
      for (const id of ids) expect(await one.cancel(id)).toBe(true);
      expect(await two.load()).toEqual({ running: 0, waiting: 0 });
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
