// Run-time settings an admin changes from the dashboard: the model queue's limits. Stored as JSON by key; the
// environment's values are the defaults until an admin saves others.
import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { storeOf, type Database } from '@/db/store';
import { MODEL_LIMIT_BOUNDS } from '@/lib/domain';
import { env } from '@/lib/env';

const { maxConcurrent, queueLimit, perUserQueueLimit, timeoutSeconds } = MODEL_LIMIT_BOUNDS;
export const modelLimitsSchema = z.object({
  maxConcurrent: z
    .number()
    .int()
    .min(maxConcurrent.min, 'At least one fit must be able to run.')
    .max(maxConcurrent.max, `At most ${maxConcurrent.max} fits at once on this server.`),
  queueLimit: z.number().int().min(queueLimit.min).max(queueLimit.max),
  perUserQueueLimit: z.number().int().min(perUserQueueLimit.min, 'Each user must be able to queue one fit.').max(perUserQueueLimit.max),
  timeoutSeconds: z.number().int().min(timeoutSeconds.min, `Allow at least ${timeoutSeconds.min} s per fit.`).max(timeoutSeconds.max),
});
export type ModelLimits = z.infer<typeof modelLimitsSchema>;

const MODEL_LIMITS_KEY = 'model_limits';

export function defaultModelLimits(): ModelLimits {
  return { maxConcurrent: env.MODEL_MAX_CONCURRENT, queueLimit: env.MODEL_QUEUE_LIMIT, perUserQueueLimit: env.MODEL_USER_QUEUE_LIMIT, timeoutSeconds: Math.round(env.MODEL_TIMEOUT_MS / 1000) };
}

export async function getModelLimits(db: Database): Promise<ModelLimits> {
  const { q, appSettings } = storeOf(db);
  const [row] = await q.select().from(appSettings).where(eq(appSettings.key, MODEL_LIMITS_KEY)).limit(1);
  if (!row) return defaultModelLimits();
  // Limits saved before a field existed keep their values and take the default for the new one.
  const parsed = modelLimitsSchema.safeParse({ ...defaultModelLimits(), ...JSON.parse(row.value) });
  return parsed.success ? parsed.data : defaultModelLimits();
}

export async function saveModelLimits(db: Database, limits: ModelLimits, userId: number): Promise<void> {
  const { q, appSettings } = storeOf(db);
  await q
    .insert(appSettings)
    .values({ key: MODEL_LIMITS_KEY, value: JSON.stringify(limits), updatedBy: userId })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: JSON.stringify(limits), updatedBy: userId, updatedAt: new Date() } });
}
