// One validated view of the environment, read once. Fails fast with a readable message when a variable is malformed.
import path from 'node:path';
import { z } from 'zod';
import { MODEL_LIMIT_BOUNDS as LIMITS } from './domain';

const envSchema = z.object({
  DATABASE_PATH: z.string().min(1).default(path.join(process.cwd(), 'data', 'dashboard.db')),
  // Set to postgres://… to run model fits on the cluster back end (pg-boss, `npm run worker`; README "Scaling out").
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL is a postgres:// URL (the embedded back end needs none).')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Connections each process keeps to PostgreSQL (cluster back end) for the app's own queries.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  AUTH_SECRET: z.string().min(16).optional(),
  SUPPRESSION_MIN_N: z.coerce.number().int().min(1).max(10_000).default(30),
  // The model queue's defaults, within the bounds an admin may set (lib/domain.ts).
  MODEL_MAX_CONCURRENT: z.coerce.number().int().min(LIMITS.maxConcurrent.min).max(LIMITS.maxConcurrent.max).default(2),
  MODEL_QUEUE_LIMIT: z.coerce.number().int().min(LIMITS.queueLimit.min).max(LIMITS.queueLimit.max).default(8),
  // Fits one user may have waiting at once, so that one person cannot fill the line.
  MODEL_USER_QUEUE_LIMIT: z.coerce.number().int().min(LIMITS.perUserQueueLimit.min).max(LIMITS.perUserQueueLimit.max).default(2),
  MODEL_TIMEOUT_MS: z.coerce.number().int().min(LIMITS.timeoutSeconds.min * 1000).max(LIMITS.timeoutSeconds.max * 1000).default(120_000),
  // Deployment (README "Deploying"): the public origin, how many proxy hops to trust, session lifetimes.
  AUTH_URL: z.url().optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
  SESSION_MAX_HOURS: z.coerce.number().min(0.01).max(24 * 7).default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(60),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type Env = z.infer<typeof envSchema>;

function readEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

export const env: Env = readEnv();

/** Cookies carry Secure when configured so, or by default when the public origin is https. */
export function secureCookies(): boolean {
  if (env.COOKIE_SECURE !== 'auto') return env.COOKIE_SECURE === 'true';
  return env.AUTH_URL?.startsWith('https:') ?? false;
}
