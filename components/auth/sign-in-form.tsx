'use client';
// The sign-in form: a server action through useActionState, so errors come back without a page reload.
import { useActionState } from 'react';
import { signInAction, type SignInState } from '@/lib/auth/actions';

export interface SignInLabels {
  username: string;
  password: string;
  submit: string;
  submitting: string;
  invalid: string;
  rateLimited: string;
}

export function SignInForm({ labels, callbackUrl }: { labels: SignInLabels; callbackUrl: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, { error: null });
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div>
        <label htmlFor="username" className="block text-sm font-medium">
          {labels.username}
        </label>
        <input id="username" name="username" autoComplete="username" required className="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          {labels.password}
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
      </div>
      {state.error && (
        <p role="alert" data-testid="sign-in-error" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error === 'rate_limited' ? labels.rateLimited : labels.invalid}
        </p>
      )}
      <button type="submit" disabled={pending} className="w-full rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 disabled:opacity-60">
        {pending ? labels.submitting : labels.submit}
      </button>
    </form>
  );
}
