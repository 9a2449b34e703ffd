// A queued model fit: GET its status (position in line, running, the result, or the error); DELETE cancels it.
// Only the person who asked (or an admin) sees a job.
import { z } from 'zod';
import { checkRoutePermission } from '@/lib/auth/session';
import { cancelModelJob, modelJobStatus } from '@/lib/models/service';

const params = z.object({ id: z.uuid('A job id is a UUID.') });

async function parse(context: { params: Promise<{ id: string }> }) {
  const parsed = params.safeParse(await context.params);
  return parsed.success ? parsed.data.id : null;
}

export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  const check = await checkRoutePermission('models:run');
  if (!check.ok) return check.response;
  const id = await parse(context);
  if (!id) return Response.json({ error: 'invalid_input', message: 'A job id is a UUID.' }, { status: 400 });
  const status = modelJobStatus(check.user, id);
  if (!status) return Response.json({ error: 'not_found', message: 'No such model job (finished jobs are kept for ten minutes).' }, { status: 404 });
  return Response.json(status, { headers: { 'Cache-Control': 'no-store' } });
}

export async function DELETE(_request: Request, context: { params: Promise<{ id: string }> }) {
  const check = await checkRoutePermission('models:run');
  if (!check.ok) return check.response;
  const id = await parse(context);
  if (!id) return Response.json({ error: 'invalid_input', message: 'A job id is a UUID.' }, { status: 400 });
  const cancelled = cancelModelJob(check.user, id);
  if (!cancelled) return Response.json({ error: 'not_found', message: 'No running or waiting job with this id.' }, { status: 404 });
  return Response.json({ state: 'cancelled' });
}
