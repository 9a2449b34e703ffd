// The jobs layer's embedded back end with real worker threads (a scripted worker): at most maxConcurrent jobs run at
// once, the rest wait with their position, one owner cannot fill the line, a full line says where the asker stands,
// and crashed, timed-out or cancelled workers are replaced so the line keeps going.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, test } from 'vitest';
import { z } from 'zod';
import { JobFailedError, JobPayloadError, JobPool, QueueFullError } from '@/lib/jobs/pool';

const payloadSchema = z.object({ action: z.enum(['crash', 'hang', 'throw', 'progress']).optional(), delayMs: z.number().int().min(0).optional(), value: z.number() });
type Payload = z.infer<typeof payloadSchema>;
type Output = { value: number; thread: number };

const script = path.join(__dirname, '..', 'fixtures', 'workers', 'scripted.cjs');
const pools: JobPool<Payload, Output>[] = [];
function makePool(options: { maxConcurrent?: number; queueLimit?: number; perOwnerQueueLimit?: number; timeoutMs?: number } = {}) {
  const settled: string[] = [];
  const workers: Worker[] = [];
  const pool = new JobPool<Payload, Output>({
    kind: 'fit',
    noun: 'model',
    schema: payloadSchema,
    maxConcurrent: options.maxConcurrent ?? 2,
    queueLimit: options.queueLimit ?? 4,
    perOwnerQueueLimit: options.perOwnerQueueLimit ?? 10,
    timeoutMs: options.timeoutMs ?? 5_000,
    createWorker: () => {
      const worker = new Worker(script);
      workers.push(worker);
      return worker;
    },
    onSettled: (job) => settled.push(`${job.payload.value}:${job.state}`),
  });
  pools.push(pool);
  return { pool, settled, workers };
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function refusalOf(submit: () => unknown): QueueFullError {
  try {
    submit();
  } catch (error) {
    if (error instanceof QueueFullError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

test('at most two jobs run at once; the others wait with their position and then run', async () => {
  const { pool } = makePool();
  const jobs = [0, 1, 2, 3].map((value) => pool.submit({ delayMs: 150, value }, 1));
  expect(pool.load()).toEqual({ running: 2, waiting: 2 });
  expect(pool.status(jobs[2]!.id)).toEqual({ state: 'queued', position: 1 });
  expect(pool.status(jobs[3]!.id)).toEqual({ state: 'queued', position: 2 });
  let maxRunning = 0;
  await until(() => {
    maxRunning = Math.max(maxRunning, pool.load().running);
    return jobs.every((job) => pool.status(job.id)?.state === 'done');
  });
  expect(maxRunning).toBe(2);
  expect(jobs.map((job) => (pool.status(job.id) as { output: Output }).output.value)).toEqual([0, 1, 2, 3]);
});

test('one viewer cannot fill the line: 20 requests give 2 running, 2 waiting, 18 refused with their places; the next user goes first', () => {
  const { pool } = makePool({ maxConcurrent: 2, queueLimit: 8, perOwnerQueueLimit: 2 });
  const accepted = [];
  const refusals: QueueFullError[] = [];
  for (let value = 0; value < 20; value++) {
    try {
      accepted.push(pool.submit({ action: 'hang', value }, 7));
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      refusals.push(error);
    }
  }
  expect(accepted).toHaveLength(4);
  expect(pool.load()).toEqual({ running: 2, waiting: 2 });
  expect(refusals).toHaveLength(16);
  expect(refusals[0]!.refusal).toEqual({ reason: 'owner_limit', limit: 2, ownPositions: [1, 2] });
  expect(refusals[0]!.message).toBe('You already have 2 requests waiting (places 1, 2 in line). Wait for one to start, or cancel one, before adding another.');
  // The next user has nothing running, so their request starts before the viewer's third.
  const next = pool.submit({ action: 'hang', value: 100 }, 8);
  expect(pool.status(next.id)).toEqual({ state: 'queued', position: 1 });
  expect(pool.status(accepted[2]!.id)).toEqual({ state: 'queued', position: 2 });
  expect(pool.status(accepted[3]!.id)).toEqual({ state: 'queued', position: 3 });
});

test('places are shared round-robin by owner, and the line starts jobs in that order', async () => {
  const { pool } = makePool({ maxConcurrent: 1, queueLimit: 10 });
  const order: number[] = [];
  const first = pool.submit({ delayMs: 100, value: 0 }, 1);
  const a = [1, 2, 3].map((value) => pool.submit({ delayMs: 20, value }, 1));
  const b = [11, 12].map((value) => pool.submit({ delayMs: 20, value }, 2));
  // Owner 1 has a job running: owner 2's first request goes ahead, then they alternate.
  expect([...a, ...b].map((job) => (pool.status(job.id) as { position: number }).position)).toEqual([2, 4, 5, 1, 3]);
  const all = [first, ...a, ...b];
  await until(() => {
    for (const job of all) if (pool.status(job.id)?.state !== 'queued' && !order.includes(job.payload.value)) order.push(job.payload.value);
    return all.every((job) => pool.status(job.id)?.state === 'done');
  });
  expect(order).toEqual([0, 11, 1, 12, 2, 3]);
});

test('a full line is refused with the place a new request would have and the asker own places', () => {
  const { pool } = makePool({ maxConcurrent: 1, queueLimit: 2, perOwnerQueueLimit: 2 });
  pool.submit({ action: 'hang', value: 0 }, 1);
  pool.submit({ action: 'hang', value: 1 }, 1);
  pool.submit({ action: 'hang', value: 2 }, 2);
  const stranger = refusalOf(() => pool.submit({ value: 9 }, 3));
  expect(stranger.refusal).toEqual({ reason: 'queue_full', waiting: 2, running: 1, ownPositions: [], wouldBePosition: 2 });
  expect(stranger.message).toMatch(/queue is full: 2 requests are waiting and 1 running\. A new request of yours would be at place 2\./);
  const waiter = refusalOf(() => pool.submit({ value: 9 }, 1));
  expect(waiter.refusal).toMatchObject({ reason: 'queue_full', ownPositions: [2], wouldBePosition: 3 });
  expect(waiter.message).toMatch(/Your requests in line: place 2\./);
});

test('a malformed payload is refused before it is queued', () => {
  const { pool } = makePool();
  expect(() => pool.submit({ value: 'one' } as unknown as Payload, 1)).toThrow(JobPayloadError);
  expect(() => pool.submit({ value: 'one' } as unknown as Payload, 1)).toThrow(/Invalid fit job: value/);
  expect(pool.load()).toEqual({ running: 0, waiting: 0 });
});

test('a crashed worker fails its job with a message and the next job runs on a new worker', async () => {
  const { pool, settled } = makePool({ maxConcurrent: 1 });
  const crash = pool.submit({ action: 'crash', value: 1 }, 1);
  const next = pool.submit({ value: 2 }, 1);
  await until(() => pool.status(next.id)?.state === 'done');
  expect(pool.status(crash.id)).toMatchObject({ state: 'failed', error: { code: 'worker_crashed', message: expect.stringMatching(/exit code 3/) } });
  expect(settled).toEqual(['1:failed', '2:done']);
});

test('an uncaught exception in the worker is reported as a crash, not a hang', async () => {
  const { pool, settled, workers } = makePool({ maxConcurrent: 1, timeoutMs: 60_000 });
  const started = Date.now();
  const job = pool.submit({ action: 'throw', value: 1 }, 1);
  const first = workers[0]!;
  const exited = new Promise<number>((resolve) => first.once('exit', resolve));
  // Settled at all, whatever the state: a test that waited only for 'failed' would hang rather than fail on 'done'.
  await until(() => settled.length === 1);
  // Reported as it happens, long before the time limit would have stopped it.
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(settled).toEqual(['1:failed']);
  expect(pool.status(job.id)).toEqual({ state: 'failed', error: { code: 'worker_crashed', message: expect.stringMatching(/boom in the worker/) } });
  // The thread that threw is gone, and the next job runs on a new one.
  await expect(exited).resolves.toBe(1);
  const next = pool.submit({ value: 2 }, 1);
  await until(() => pool.status(next.id)?.state === 'done');
  expect(workers.length).toBe(2);
  expect(workers[1]).not.toBe(first);
});

test('a job over the time limit is stopped, its worker replaced, and the line goes on', async () => {
  const { pool } = makePool({ maxConcurrent: 1, timeoutMs: 1500 });
  const slow = pool.submit({ action: 'hang', value: 1 }, 1);
  const next = pool.submit({ value: 2 }, 1);
  await until(() => pool.status(next.id)?.state === 'done');
  expect(pool.status(slow.id)).toMatchObject({ state: 'failed', error: { code: 'timeout' } });
  expect((pool.status(slow.id) as { error: { message: string } }).error.message).toMatch(/model took longer than 2 s/);
});

test('cancelling a running or waiting job frees its place', async () => {
  const { pool, settled } = makePool({ maxConcurrent: 1 });
  const running = pool.submit({ action: 'hang', value: 1 }, 1);
  const waiting = pool.submit({ action: 'hang', value: 2 }, 1);
  const last = pool.submit({ value: 3 }, 1);
  expect(pool.cancel(waiting.id)).toBe(true);
  expect(pool.status(last.id)).toEqual({ state: 'queued', position: 1 });
  expect(pool.cancel(running.id)).toBe(true);
  await until(() => pool.status(last.id)?.state === 'done');
  expect(pool.cancel(last.id)).toBe(false);
  expect(settled).toEqual(['2:cancelled', '1:cancelled', '3:done']);
});

test('a running job reports its progress, and run() resolves with the output or rejects with the failure', async () => {
  const { pool } = makePool({ maxConcurrent: 1 });
  const job = pool.submit({ action: 'progress', delayMs: 400, value: 5 }, 1);
  await until(() => {
    const status = pool.status(job.id);
    return status?.state === 'running' && status.progress?.done === 3;
  });
  expect(pool.status(job.id)).toMatchObject({ state: 'running', progress: { stage: 'steps', done: 3, total: 3 } });
  expect((await pool.wait(job.id)).output?.value).toBe(5);
  await expect(pool.run({ value: 6 }, 1)).resolves.toMatchObject({ value: 6 });
  const failure = await pool.run({ action: 'crash', value: 7 }, 1).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(JobFailedError);
  expect((failure as JobFailedError).code).toBe('worker_crashed');
});

test('new limits apply at once: a second slot starts a waiting job; fewer slots retire as jobs finish', async () => {
  const { pool } = makePool({ maxConcurrent: 1, queueLimit: 1 });
  const first = pool.submit({ delayMs: 300, value: 1 }, 1);
  const second = pool.submit({ delayMs: 300, value: 2 }, 1);
  expect(() => pool.submit({ value: 3 }, 1)).toThrow(QueueFullError);
  expect(pool.load()).toEqual({ running: 1, waiting: 1 });
  pool.setLimits({ maxConcurrent: 2, queueLimit: 5, timeoutMs: 5_000 });
  expect(pool.load()).toEqual({ running: 2, waiting: 0 });
  pool.setLimits({ maxConcurrent: 1, queueLimit: 5, timeoutMs: 5_000 });
  const third = pool.submit({ delayMs: 150, value: 3 }, 1);
  const fourth = pool.submit({ delayMs: 150, value: 4 }, 1);
  let bothRan = false;
  await until(() => {
    if (pool.status(third.id)?.state === 'running' && pool.status(fourth.id)?.state === 'running') bothRan = true;
    return [first, second, third, fourth].every((job) => pool.status(job.id)?.state === 'done');
  });
  expect(bothRan).toBe(false);
  expect(pool.limits()).toEqual({ maxConcurrent: 1, queueLimit: 5, perOwnerQueueLimit: 10, timeoutMs: 5_000 });
});

test('a warm pool starts its workers before the first job, and starts a crashed one again at once', async () => {
  let started = 0;
  const pool = new JobPool<Payload, Output>({
    kind: 'fit',
    schema: payloadSchema,
    maxConcurrent: 2,
    queueLimit: 4,
    perOwnerQueueLimit: 10,
    timeoutMs: 5_000,
    createWorker: () => {
      started++;
      return new Worker(script);
    },
  });
  pools.push(pool);
  pool.warm();
  expect(started).toBe(2);
  const first = pool.submit({ value: 1 }, 1);
  await until(() => pool.status(first.id)?.state === 'done');
  expect(started).toBe(2); // the job ran on a worker started ahead of it
  const crash = pool.submit({ action: 'crash', value: 2 }, 1);
  await until(() => pool.status(crash.id)?.state === 'failed');
  await until(() => started === 3); // replaced with no job waiting
  pool.setLimits({ maxConcurrent: 3 });
  expect(started).toBe(4); // a new slot is warmed too
});

test('a worker that dies as it starts is not started again and again ahead of jobs', async () => {
  let started = 0;
  const pool = new JobPool<Payload, Output>({
    kind: 'fit',
    schema: payloadSchema,
    maxConcurrent: 1,
    queueLimit: 4,
    perOwnerQueueLimit: 10,
    timeoutMs: 5_000,
    createWorker: () => {
      started++;
      return new Worker('process.exit(3)', { eval: true });
    },
  });
  pools.push(pool);
  pool.warm();
  await until(() => started === 3);
  await new Promise((r) => setTimeout(r, 1000));
  expect(started).toBe(3);
});
