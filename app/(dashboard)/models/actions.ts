'use server';
// Server action behind the model page's Run button: session, permission and zod validation (authorizedAction), then
// the cache or the worker queue. Polling and cancelling go through /api/models/jobs/[id] (route handlers are not
// serialised the way server actions are, so a waiting fit never blocks them).
import { ActionFailure, authorizedAction } from '@/lib/auth/authorized-action';
import { getActiveDataset } from '@/lib/queries/datasets';
import { modelRequestSchema } from '@/lib/models/request';
import { getTranslator } from '@/lib/i18n/server';
import { QueueFullError, type QueueRefusal } from '@/lib/jobs/pool';
import { requestModel } from '@/lib/models/service';

export const runModelAction = authorizedAction('models:run', modelRequestSchema, async (request, user) => {
  const dataset = getActiveDataset();
  if (!dataset) throw new ActionFailure('No dataset is loaded.');
  if (!dataset.waves.some((w) => w.year === request.wave)) throw new ActionFailure(`The active dataset has no ${request.wave} wave.`);
  try {
    return requestModel(user, dataset.id, request);
  } catch (error) {
    if (error instanceof QueueFullError) throw new ActionFailure(await describeRefusal(error.refusal));
    throw error;
  }
});

/** A full line in the user's language, with where their own fits stand (or would stand). */
async function describeRefusal(refusal: QueueRefusal): Promise<string> {
  const t = await getTranslator();
  const places = refusal.ownPositions.join(', ');
  if (refusal.reason === 'owner_limit') return t('models.ownerLimit', { limit: refusal.limit, places });
  if (refusal.ownPositions.length > 0) return t('models.queueFullOwn', { waiting: refusal.waiting, running: refusal.running, places });
  return t('models.queueFull', { waiting: refusal.waiting, running: refusal.running, place: refusal.wouldBePosition });
}
