// A queued model fit: GET its status (position in line, running, the result, or the error); DELETE cancels it.
// Only the person who asked (or an admin) sees a job.
import { z } from 'zod';
import { checkRoutePermission, type SignedInUser } from '@/lib/auth/session';
import { cancelModelJob, modelJobStatus } from '@/lib/models/service';

const params = z.object({ id: z.uuid('A job id is a UUID.') });

type Context = { params: Promise<{ id: string }> };

/** Permission first, then the id: the signed-in user and job id, or the response that refuses the request. */
async function authorizedJob(context: Context): Promise<{ ok: true; user: SignedInUser; id: string } | { ok: false; response: Response }> {
  const check = await checkRoutePermission('models:run');
  if (!check.ok) return check;
  const parsed = params.safeParse(await context.params);
  if (!parsed.success) return { ok: false, response: Response.json({ error: 'invalid_input', message: 'A job id is a UUID.' }, { status: 400 }) };
  return { ok: true, user: check.user, id: parsed.data.id };
}

export async function GET(_request: Request, context: Context) {
  const job = await authorizedJob(context);
  if (!job.ok) return job.response;
  const status = await modelJobStatus(job.user, job.id);
  if (!status) return Response.json({ error: 'not_found', message: 'No such model job (finished jobs are kept for ten minutes).' }, { status: 404 });
  return Response.json(status, { headers: { 'Cache-Control': 'no-store' } });
}

export async function DELETE(_request: Request, context: Context) {
  const job = await authorizedJob(context);
  if (!job.ok) return job.response;
  const cancelled = await cancelModelJob(job.user, job.id);
  if (!cancelled) return Response.json({ error: 'not_found', message: 'No running or waiting job with this id.' }, { status: 404 });
  return Response.json({ state: 'cancelled' });
}
