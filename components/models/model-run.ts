// A model run seen from the browser: the run's states, submitting a request through the server action (passed in by
// the page) and following a queued fit through /api/models/jobs/[id] until it is done, failed or cancelled.
import type { ActionResult } from '@/lib/auth/authorized-action';
import type { ModelRequest } from '@/lib/models/request';
import type { ModelRunOutput } from '@/lib/models/run';
import type { ModelAnswer } from '@/lib/models/service';

export interface WorkbenchCity {
  code: string;
  name: string;
  region: string;
  tier: string;
  provinceCode: string;
  province: string;
}

/** The page's server action for a run (app/(dashboard)/models/actions.ts), handed to the workbench as a prop. */
export type RunModelAction = (input: unknown) => Promise<ActionResult<ModelAnswer>>;

export type RunState =
  | { phase: 'idle' }
  | { phase: 'waiting'; jobId: string; position: number; startedAt: number }
  | { phase: 'running'; jobId: string; startedAt: number }
  | { phase: 'done'; output: ModelRunOutput; cached: boolean }
  | { phase: 'failed'; message: string; /** The request checks' messages, one per problem, when the request was refused. */ problems?: string[] }
  | { phase: 'cancelled' };

/** What GET /api/models/jobs/[id] answers. */
type JobStatusBody =
  | { state: 'queued'; position: number }
  | { state: 'running' }
  | { state: 'done'; output: ModelRunOutput }
  | { state: 'failed'; error: { message: string } }
  | { state: 'cancelled' };

/** Seconds since a client-clock start, never negative (the server's clock is not the browser's). */
export function elapsedSeconds(now: number, startedAt: number): string {
  return (Math.max(0, now - startedAt) / 1000).toFixed(1);
}

async function waitForJob(jobId: string, onProgress: (state: RunState) => void, signal: { stopped: boolean }): Promise<RunState> {
  // Both times on the browser's clock: when we started waiting, and when we first saw the fit running.
  const startedAt = Date.now();
  let runningSince: number | null = null;
  for (;;) {
    if (signal.stopped) return { phase: 'cancelled' };
    const response = await fetch(`/api/models/jobs/${jobId}`, { cache: 'no-store' });
    const answer: unknown = await response.json();
    if (!response.ok) return { phase: 'failed', message: (answer as { message?: string }).message ?? `HTTP ${response.status}` };
    const body = answer as JobStatusBody;
    if (body.state === 'done') return { phase: 'done', output: body.output, cached: false };
    if (body.state === 'failed') return { phase: 'failed', message: body.error.message };
    if (body.state === 'cancelled') return { phase: 'cancelled' };
    if (body.state !== 'queued' && runningSince === null) runningSince = Date.now();
    onProgress(body.state === 'queued' ? { phase: 'waiting', jobId, position: body.position, startedAt } : { phase: 'running', jobId, startedAt: runningSince ?? startedAt });
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

/** Submits a request and follows it to the end. */
export async function runRequest(submit: RunModelAction, request: ModelRequest, onProgress: (state: RunState) => void, signal: { stopped: boolean }): Promise<RunState> {
  const answer = await submit(request);
  if (!answer.ok) {
    // Field names stay out of the message: each problem is a sentence the page translates (engine-messages.ts).
    const problems = answer.error.fieldErrors ? Object.values(answer.error.fieldErrors).flat() : [];
    return { phase: 'failed', message: answer.error.message, problems };
  }
  const data = answer.data;
  if (data.state === 'done') return { phase: 'done', output: data.output, cached: data.cached };
  onProgress({ phase: 'waiting', jobId: data.jobId, position: data.position, startedAt: Date.now() });
  return waitForJob(data.jobId, onProgress, signal);
}
