// The model service with DATABASE_URL=postgres://… selects the cluster back end: a fit is queued in pg-boss, a worker
// process runs it, the owner (and only the owner, or an admin) sees its status; the second identical request is
// answered from the model cache in PostgreSQL, where briefings on every instance find it as a model finding; both runs
// are audited in PostgreSQL.
import { afterAll, describe, expect, test, vi } from 'vitest';
import { setUpCluster, startWorkerProcess, olsRequest, TEST_ENV, type ClusterSetup, type WorkerProcess } from './harness';

const cluster = await setUpCluster(2000);
if (!cluster.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${cluster.reason}`);

describe.skipIf(!cluster.ok)('the model service on the cluster back end', () => {
  const setup = cluster.ok ? cluster.setup : (null as unknown as ClusterSetup);
  let worker: WorkerProcess | undefined;
  let closeJobs: (() => Promise<void>) | undefined;
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await worker?.exited;
    await closeJobs?.();
    await setup?.close();
  });

  test('DATABASE_URL selects pg-boss; the result, the cache and the audit are in PostgreSQL', async () => {
    Object.assign(process.env, TEST_ENV, { DATABASE_URL: setup.url, DATABASE_PATH: setup.databasePath });
    // lib/env reads the environment once: load the service (and its env) afresh with the cluster's variables.
    vi.resetModules();
    const service = await import('@/lib/models/service');
    const jobs = await service.getModelJobs();
    closeJobs = () => jobs.close();
    expect(jobs.name).toBe('cluster');
    const owner = { id: 21, name: 'analyst-21', role: 'analyst' as const, mustChangePassword: false };
    const other = { ...owner, id: 22, name: 'analyst-22' };
    const admin = { ...owner, id: 23, name: 'admin-23', role: 'admin' as const };

    const first = await service.requestModel(owner, setup.datasetId, olsRequest());
    expect(first).toMatchObject({ state: 'queued', position: 1 });
    const jobId = (first as { jobId: string }).jobId;
    expect(await service.modelJobStatus(other, jobId)).toBeNull();
    expect(await service.cancelModelJob(other, jobId)).toBe(false);
    expect(await service.modelJobStatus(admin, jobId)).toEqual({ state: 'queued', position: 1 });
    expect(await service.modelQueueLoad()).toEqual({ running: 0, waiting: 1 });

    worker = startWorkerProcess(setup, 'service-worker');
    let status = await service.modelJobStatus(owner, jobId);
    for (let i = 0; i < 240 && status?.state !== 'done' && status?.state !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await service.modelJobStatus(owner, jobId);
    }
    expect(status?.state).toBe('done');

    const second = await service.requestModel(owner, setup.datasetId, olsRequest());
    expect(second).toMatchObject({ state: 'done', cached: true, jobId: null });
    if (second.state === 'done' && status?.state === 'done') expect(second.output).toEqual(status.output);

    const { rows } = await setup.db.$client.query<{ job_id: string | null; cached: boolean }>("SELECT job_id, (detail->>'cached')::boolean AS cached FROM audit_log WHERE action = 'model_run' ORDER BY id");
    expect(rows).toEqual([
      { job_id: jobId, cached: false },
      { job_id: null, cached: true },
    ]);
    // Briefings on any instance quote model findings from PostgreSQL's cache; nothing is copied into this machine's
    // SQLite file.
    const { rows: [pgEntry] } = await setup.db.$client.query<{ key: string }>('SELECT key FROM model_cache');
    const { listModelFindings } = await import('@/lib/queries/model-findings');
    const findings = await listModelFindings(setup.datasetId, { wave: 2017, hukou: 'all', range: 'all' });
    expect(findings.map((f) => f.key)).toEqual([pgEntry!.key]);
    const { openDatabase } = await import('@/db/client');
    const sqlite = openDatabase(setup.databasePath, { readonly: true });
    expect(sqlite.$client.prepare('SELECT count(*) FROM model_cache').pluck().get()).toBe(0);
    sqlite.$client.close();
  });
});
