// The model limits an admin saves: checked with zod, and limits saved before the per-user limit existed keep their
// values and take the environment's per-user default.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { ensureDemoUsers } from '@/lib/auth/demo-users';
import { env } from '@/lib/env';
import { getModelLimits, modelLimitsSchema, saveModelLimits } from '@/lib/queries/settings';
import { temporaryFolder } from '../import/database';

const folder = temporaryFolder('settings-');
const db = openDatabase(path.join(folder, 'settings.db'));
applyMigrations(db);
await ensureDemoUsers(db);
const adminId = (db.$client.prepare("SELECT id FROM users WHERE role = 'admin'").get() as { id: number }).id;
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('an older saved row gains the per-user default; a saved per-user limit is read back', async () => {
  db.$client.prepare("INSERT INTO app_settings (key, value) VALUES ('model_limits', ?)").run(JSON.stringify({ maxConcurrent: 1, queueLimit: 5, timeoutSeconds: 60 }));
  expect(await getModelLimits(db)).toEqual({ maxConcurrent: 1, queueLimit: 5, perUserQueueLimit: env.MODEL_USER_QUEUE_LIMIT, timeoutSeconds: 60 });
  await saveModelLimits(db, { maxConcurrent: 2, queueLimit: 6, perUserQueueLimit: 3, timeoutSeconds: 120 }, adminId);
  expect((await getModelLimits(db)).perUserQueueLimit).toBe(3);
  expect(modelLimitsSchema.safeParse({ maxConcurrent: 2, queueLimit: 6, perUserQueueLimit: 0, timeoutSeconds: 120 }).success).toBe(false);
});
