// The embedded back end behind the jobs layer's one interface (lib/jobs/backend.ts), which the model service calls
// whichever back end is configured: queued jobs say their place, the owner is known, a cancel takes, a result comes.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, test } from 'vitest';
import { z } from 'zod';
import { embeddedBackend, type JobBackend } from '@/lib/jobs/backend';
import { JobPayloadError, JobPool } from '@/lib/jobs/pool';

const schema = z.object({ delayMs: z.number().int().min(0).optional(), value: z.number() });
type Payload = z.infer<typeof schema>;
const script = path.join(__dirname, '..', 'fixtures', 'workers', 'scripted.cjs');
const backends: JobBackend<Payload, { value: number }>[] = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.close()));
});

test('submit, place in line, owner, cancel and result through the interface', async () => {
  const backend = embeddedBackend(
    new JobPool<Payload, { value: number }>({ kind: 'fit', schema, maxConcurrent: 1, queueLimit: 4, perOwnerQueueLimit: 4, timeoutMs: 10_000, createWorker: () => new Worker(script) }),
  );
  backends.push(backend);
  expect(backend.name).toBe('embedded');
  const first = await backend.submit({ value: 1, delayMs: 300 }, 7);
  expect(first.status.state).toBe('running');
  const second = await backend.submit({ value: 2 }, 8);
  const third = await backend.submit({ value: 3 }, 9);
  expect(second.status).toEqual({ state: 'queued', position: 1 });
  expect(third.status).toEqual({ state: 'queued', position: 2 });
  expect(await backend.ownerOf(second.id)).toBe(8);
  expect(await backend.ownerOf('no-such-job')).toBeNull();
  expect(await backend.load()).toEqual({ running: 1, waiting: 2 });
  expect(await backend.cancel(third.id)).toBe(true);
  expect(await backend.status(third.id)).toEqual({ state: 'cancelled' });
  await expect(backend.submit({ value: 'x' } as unknown as Payload, 7)).rejects.toBeInstanceOf(JobPayloadError);
  for (let i = 0; i < 200 && (await backend.status(second.id))?.state !== 'done'; i++) await new Promise((r) => setTimeout(r, 25));
  expect(await backend.status(second.id)).toMatchObject({ state: 'done', output: { value: 2 } });
});
