// The one wrapper for server actions: session, then permission, then zod validation, then the work. Errors come back
// as typed values, never as thrown exceptions the client cannot read.
import 'server-only';
import type { z } from 'zod';
import { can, type Permission } from './permissions';
import { auditRefusal, currentUser, type SignedInUser } from './session';

export type ActionError = {
  code: 'unauthenticated' | 'forbidden' | 'invalid_input' | 'failed';
  message: string;
  fieldErrors?: Record<string, string[]>;
};
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** Thrown inside an action's work to refuse with a message meant for the user; any other error stays on the server. */
export class ActionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionFailure';
  }
}

export function authorizedAction<Schema extends z.ZodType, Result>(
  permission: Permission,
  schema: Schema,
  work: (input: z.infer<Schema>, user: SignedInUser) => Promise<Result>,
): (input: unknown) => Promise<ActionResult<Result>> {
  return async (input: unknown) => {
    const user = await currentUser();
    if (!user) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } };
    if (user.mustChangePassword) return { ok: false, error: { code: 'forbidden', message: 'Choose a new password first.' } };
    if (!can(user.role, permission)) {
      await auditRefusal(user, permission, `action needing ${permission}`);
      return { ok: false, error: { code: 'forbidden', message: `Your role (${user.role}) may not do this.` } };
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      // Messages are zod's own, cut short: the input itself is never echoed back.
      for (const issue of parsed.error.issues.slice(0, 20)) (fieldErrors[issue.path.join('.').slice(0, 60) || '_'] ??= []).push(issue.message.slice(0, 200));
      return { ok: false, error: { code: 'invalid_input', message: 'The request is not valid.', fieldErrors } };
    }
    try {
      return { ok: true, data: await work(parsed.data, user) };
    } catch (error) {
      if (error instanceof ActionFailure) return { ok: false, error: { code: 'failed', message: error.message } };
      console.error(`Action needing ${permission} failed for user ${user.id}:`, error);
      return { ok: false, error: { code: 'failed', message: 'The action failed; the error has been logged.' } };
    }
  };
}
