// The model queue with real worker threads (a scripted worker): at most maxConcurrent jobs run at once, the rest wait
// with their position, a full line is refused, and crashed, timed-out or cancelled workers are replaced so the queue
// keeps going.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, test } from 'vitest';
import { ModelQueue, QueueFullError } from '@/lib/models/queue';

type Payload = { action?: 'crash' | 'hang' | 'throw'; delayMs?: number; value?: number };
type Output = { value: number; thread: number };

const script = path.join(__dirname, '..', 'fixtures', 'workers', 'scripted.cjs');
const queues: ModelQueue<Payload, Output>[] = [];
function makeQueue(options: { maxConcurrent?: number; queueLimit?: number; timeoutMs?: number } = {}) {
  const settled: string[] = [];
  const queue = new ModelQueue<Payload, Output>({
    maxConcurrent: options.maxConcurrent ?? 2,
    queueLimit: options.queueLimit ?? 4,
    timeoutMs: options.timeoutMs ?? 5_000,
    createWorker: () => new Worker(script),
    onSettled: (job) => settled.push(`${job.payload.value}:${job.state}`),
  });
  queues.push(queue);
  return { queue, settled };
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

test('at most two fits run at once; the others wait with their position and then run', async () => {
  const { queue } = makeQueue();
  const jobs = [0, 1, 2, 3].map((value) => queue.submit({ delayMs: 150, value }, 1));
  expect(queue.load()).toEqual({ running: 2, waiting: 2 });
  expect(queue.status(jobs[2]!.id)).toEqual({ state: 'queued', position: 1 });
  expect(queue.status(jobs[3]!.id)).toEqual({ state: 'queued', position: 2 });
  let maxRunning = 0;
  await until(() => {
    maxRunning = Math.max(maxRunning, queue.load().running);
    return jobs.every((job) => queue.status(job.id)?.state === 'done');
  });
  expect(maxRunning).toBe(2);
  expect(jobs.map((job) => (queue.status(job.id) as { output: Output }).output.value)).toEqual([0, 1, 2, 3]);
});

test('a full line is refused with a clear message', () => {
  const { queue } = makeQueue({ maxConcurrent: 1, queueLimit: 2 });
  for (let i = 0; i < 3; i++) queue.submit({ action: 'hang', value: i }, 1);
  expect(() => queue.submit({ value: 9 }, 1)).toThrow(QueueFullError);
  expect(() => queue.submit({ value: 9 }, 1)).toThrow(/queue is full/);
});

test('a crashed worker fails its job with a message and the next job runs on a new worker', async () => {
  const { queue, settled } = makeQueue({ maxConcurrent: 1 });
  const crash = queue.submit({ action: 'crash', value: 1 }, 1);
  const next = queue.submit({ value: 2 }, 1);
  await until(() => queue.status(next.id)?.state === 'done');
  expect(queue.status(crash.id)).toMatchObject({ state: 'failed', error: { code: 'worker_crashed' } });
  expect(settled).toEqual(['1:failed', '2:done']);
});

test('an uncaught exception in the worker is reported as a crash, not a hang', async () => {
  const { queue } = makeQueue({ maxConcurrent: 1 });
  const job = queue.submit({ action: 'throw', value: 1 }, 1);
  await until(() => queue.status(job.id)?.state === 'failed' || queue.status(job.id)?.state === 'done');
  // The reply may win the race against the exception; either way the queue goes on.
  const next = queue.submit({ value: 2 }, 1);
  await until(() => queue.status(next.id)?.state === 'done');
});

test('a fit over the time limit is stopped, its worker replaced, and the queue goes on', async () => {
  const { queue } = makeQueue({ maxConcurrent: 1, timeoutMs: 1500 });
  const slow = queue.submit({ action: 'hang', value: 1 }, 1);
  const next = queue.submit({ value: 2 }, 1);
  await until(() => queue.status(next.id)?.state === 'done');
  expect(queue.status(slow.id)).toMatchObject({ state: 'failed', error: { code: 'timeout' } });
  expect((queue.status(slow.id) as { error: { message: string } }).error.message).toMatch(/longer than 2 s/);
});

test('cancelling a running or waiting job frees its place', async () => {
  const { queue, settled } = makeQueue({ maxConcurrent: 1 });
  const running = queue.submit({ action: 'hang', value: 1 }, 1);
  const waiting = queue.submit({ action: 'hang', value: 2 }, 1);
  const last = queue.submit({ value: 3 }, 1);
  expect(queue.cancel(waiting.id)).toBe(true);
  expect(queue.status(last.id)).toEqual({ state: 'queued', position: 1 });
  expect(queue.cancel(running.id)).toBe(true);
  await until(() => queue.status(last.id)?.state === 'done');
  expect(queue.cancel(last.id)).toBe(false);
  expect(settled).toEqual(['2:cancelled', '1:cancelled', '3:done']);
});

test('new limits apply at once: a second slot starts a waiting fit; fewer slots retire as fits finish', async () => {
  const { queue } = makeQueue({ maxConcurrent: 1, queueLimit: 1 });
  const first = queue.submit({ delayMs: 300, value: 1 }, 1);
  const second = queue.submit({ delayMs: 300, value: 2 }, 1);
  expect(() => queue.submit({ value: 3 }, 1)).toThrow(QueueFullError);
  expect(queue.load()).toEqual({ running: 1, waiting: 1 });
  queue.setLimits({ maxConcurrent: 2, queueLimit: 5, timeoutMs: 5_000 });
  expect(queue.load()).toEqual({ running: 2, waiting: 0 });
  queue.setLimits({ maxConcurrent: 1, queueLimit: 5, timeoutMs: 5_000 });
  const third = queue.submit({ delayMs: 150, value: 3 }, 1);
  const fourth = queue.submit({ delayMs: 150, value: 4 }, 1);
  let bothRan = false;
  await until(() => {
    if (queue.status(third.id)?.state === 'running' && queue.status(fourth.id)?.state === 'running') bothRan = true;
    return [first, second, third, fourth].every((job) => queue.status(job.id)?.state === 'done');
  });
  expect(bothRan).toBe(false);
  expect(queue.limits()).toEqual({ maxConcurrent: 1, queueLimit: 5, timeoutMs: 5_000 });
});
