'use client';
// Changing one's own password: a form action with useActionState (the page passes the server action in); a refusal
// comes back as a message tied to the fields with aria-describedby, and the typed passwords are cleared.
import { useActionState } from 'react';

export type PasswordFormState = { error: 'invalid' | 'mismatch' | 'policy' | 'current' | null };

const input = 'mt-1 w-full rounded border border-slate-300 px-3 py-2';

export function PasswordForm({
  action,
  labels,
  errors,
}: {
  action: (previous: PasswordFormState, form: FormData) => Promise<PasswordFormState>;
  labels: { current: string; next: string; repeat: string; submit: string };
  errors: Record<NonNullable<PasswordFormState['error']>, string>;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  const described = state.error ? 'password-error' : undefined;
  return (
    <form action={formAction} className="space-y-3">
      {state.error && (
        <p id="password-error" role="alert" data-testid="password-error" className="rounded bg-danger-soft px-3 py-2 text-sm text-danger">
          {errors[state.error]}
        </p>
      )}
      <label className="block text-sm" htmlFor="current">
        {labels.current}
        <input id="current" name="current" type="password" autoComplete="current-password" required aria-invalid={state.error === 'current'} aria-describedby={described} className={input} />
      </label>
      <label className="block text-sm" htmlFor="next">
        {labels.next}
        <input id="next" name="next" type="password" autoComplete="new-password" required aria-invalid={state.error === 'policy' || state.error === 'mismatch'} aria-describedby={described} className={input} />
      </label>
      <label className="block text-sm" htmlFor="repeat">
        {labels.repeat}
        <input id="repeat" name="repeat" type="password" autoComplete="new-password" required aria-invalid={state.error === 'mismatch'} aria-describedby={described} className={input} />
      </label>
      <button type="submit" disabled={pending} data-testid="change-password" className="rounded bg-accent px-4 py-2 text-white hover:bg-accent-strong disabled:opacity-60">
        {labels.submit}
      </button>
    </form>
  );
}
