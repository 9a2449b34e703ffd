'use server';
// Server action behind the model page's Run button: session, permission and zod validation (authorizedAction), then
// the cache or the worker queue. Polling and cancelling go through /api/models/jobs/[id] (route handlers are not
// serialised the way server actions are, so a waiting fit never blocks them).
import { ActionFailure, authorizedAction } from '@/lib/auth/authorized-action';
import { getActiveDataset } from '@/lib/queries/datasets';
import { modelRequestSchema } from '@/lib/models/request';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { QueueFullError } from '@/lib/jobs/pool';
import { describeQueueRefusal } from '@/lib/models/queue-messages';
import { requestModel } from '@/lib/models/service';
import { requestVariables } from '@/lib/models/request';
import { listModelVariablesInWave } from '@/lib/queries/model-variables';

export const runModelAction = authorizedAction('models:run', modelRequestSchema, async (request, user) => {
  const dataset = await getActiveDataset();
  if (!dataset) throw new ActionFailure('No dataset is loaded.');
  if (!dataset.waves.some((w) => w.year === request.wave)) throw new ActionFailure(`The active dataset has no ${request.wave} wave.`);
  // The wave's data decide which variables exist (an imported wave may lack some its design asks).
  const held = new Set(await listModelVariablesInWave(dataset.id, request.wave));
  const missing = requestVariables(request).filter((id) => !held.has(id));
  if (missing.length > 0) throw new ActionFailure(`Not in the ${request.wave} data: ${missing.join(', ')}.`);
  try {
    return await requestModel(user, dataset.id, request);
  } catch (error) {
    if (error instanceof QueueFullError) throw new ActionFailure(describeQueueRefusal(error.refusal, await getTranslator(), await getLocale()));
    throw error;
  }
});
