// The acceptance's cluster test on one machine: one PostgreSQL, two web instances (the jobs API of the cluster back
// end twice in this process, each with its own pg-boss and connections), two worker processes (the compiled
// `npm run worker`). 20 fit requests are spread over both web instances; one worker is killed (SIGKILL) in the middle
// of the run, right after it starts a fit. All 20 results arrive exactly once: one outcome row and one audit row per
// job, one finished fit per job across the workers, and both web instances report the same result for every job.
import { afterAll, describe, expect, test } from 'vitest';
import type { ClusterFitJobs } from '@/lib/jobs/pg/fit-jobs';
import { MODEL_PRESETS } from '@/lib/models/presets';
import { countRunAudits } from '@/lib/queries/cluster-jobs';
import { fitPayload, settled, setUpCluster, startWorkerProcess, webInstance, type ClusterSetup, type WorkerProcess } from './harness';

const cluster = await setUpCluster();
if (!cluster.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${cluster.reason}`);

describe.skipIf(!cluster.ok)('cluster: 2 web instances, 2 workers, 20 fits, one worker killed', () => {
  const setup = cluster.ok ? cluster.setup : (null as unknown as ClusterSetup);
  const webs: ClusterFitJobs[] = [];
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    for (const w of workers) {
      w.kill('SIGKILL');
      await w.exited;
    }
    await Promise.all(webs.map((web) => web.close()));
    await setup?.close();
  });

  test('all 20 results arrive exactly once', async () => {
    webs.push(await webInstance(setup.url), await webInstance(setup.url));
    const [a, b] = [startWorkerProcess(setup, 'worker-a'), startWorkerProcess(setup, 'worker-b')];
    workers.push(a, b);
    await Promise.all([a.waitFor(/taking fit jobs/), b.waitFor(/taking fit jobs/)]);
    // A quick fit (a few hundred ms) so that 20 of them keep the shared machine's load modest.
    const request = MODEL_PRESETS.find((p) => p.request.type === 'heterogeneity' && p.request.wave === 2017)!.request;
    const started = performance.now();
    const submitted: Array<{ id: string; web: number }> = [];
    for (let i = 0; i < 20; i++) {
      const web = i % 2;
      const { id } = await webs[web]!.submit(fitPayload(setup, `analyst-${i % 5}`, request), 100 + (i % 5));
      submitted.push({ id, web });
    }
    // Kill worker A right after it starts its fifth fit (about half way through the 20).
    let startsOnA = 0;
    const killedJob = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker A never started 5 fits:\n${a.lines.join('\n')}`)), 90_000);
      const check = () => {
        const starts = a.lines.filter((line) => line.includes(' started (attempt'));
        if (starts.length >= 5 && starts.length > startsOnA) {
          clearTimeout(timer);
          a.kill('SIGKILL');
          resolve(/fit (\S+) started/.exec(starts.at(-1)!)![1]!);
          return;
        }
        startsOnA = starts.length;
        setTimeout(check, 5);
      };
      check();
    });
    await a.exited;
    const statuses = await Promise.all(submitted.map(({ id }, i) => settled(webs[(i + 1) % 2]!, id, 150_000)));
    const seconds = (performance.now() - started) / 1000;
    expect(statuses.map((s) => s.state)).toEqual(Array(20).fill('done'));
    // Both web instances answer the same result for every job.
    for (const { id } of submitted) expect(await webs[0]!.status(id)).toEqual(await webs[1]!.status(id));

    const ids = submitted.map((s) => s.id);
    const { rows } = await setup.db.$client.query<{ job_id: string; worker: string; attempts: number }>('SELECT job_id, worker, attempts FROM fit_results WHERE job_id = ANY($1)', [ids]);
    expect(rows).toHaveLength(20);
    const audits = await countRunAudits(setup.db);
    expect(ids.map((id) => audits.get(id))).toEqual(Array(20).fill(1));
    // One finished fit per job across the two workers (a killed worker's fit never finished).
    const finished = [...a.lines, ...b.lines].map((line) => / fit (\S+) done/.exec(line)?.[1]).filter((id): id is string => Boolean(id));
    expect(finished.sort()).toEqual([...ids].sort());

    const perWorker = Object.fromEntries(['worker-a', 'worker-b'].map((name) => [name, rows.filter((r) => r.worker === name).length]));
    const retried = rows.filter((r) => r.attempts > 1).map((r) => r.job_id);
    expect(perWorker['worker-a']).toBeGreaterThanOrEqual(4);
    expect(perWorker['worker-a']! + perWorker['worker-b']!).toBe(20);
    const killedMidFit = !a.lines.some((line) => line.includes(`fit ${killedJob} done`));
    if (killedMidFit) expect(retried).toEqual([killedJob]);
    console.log(
      `[cluster] 20 fits over 2 web instances in ${seconds.toFixed(1)} s; results per worker: ${JSON.stringify(perWorker)}; ` +
        `worker-a killed ${killedMidFit ? `in the middle of fit ${killedJob}, retried by worker-b` : 'just after a fit finished (nothing to retry)'}; retried jobs: ${retried.length}`,
    );
  });
});
