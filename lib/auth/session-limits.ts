// A session's absolute lifetime and idle timeout, from the environment: shared by Auth.js's callbacks (lib/auth) and
// the proxy's page-view check (lib/auth/page-session.ts), which must agree.
import { env } from '@/lib/env';
import type { SessionLimits } from '@/lib/queries/sessions';

export function sessionLimits(): SessionLimits {
  return { maxAgeMs: env.SESSION_MAX_HOURS * 60 * 60 * 1000, idleMs: env.SESSION_IDLE_MINUTES * 60 * 1000 };
}
