'use client';
// The sign-in form posts to Auth.js's credentials endpoint; a failed attempt comes back to /sign-in with an error code
// that the page turns into a message.
import { useState } from 'react';
import { useCsrfToken } from './csrf-field';

export interface SignInLabels {
  username: string;
  password: string;
  submit: string;
  submitting: string;
}

export function SignInForm({ labels, callbackUrl, error }: { labels: SignInLabels; callbackUrl: string; error: string | null }) {
  const csrfToken = useCsrfToken();
  const [pending, setPending] = useState(false);
  return (
    <form method="post" action="/api/auth/callback/credentials" className="space-y-4" onSubmit={() => setPending(true)}>
      <input type="hidden" name="csrfToken" value={csrfToken} />
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
      {error && (
        <p role="alert" data-testid="sign-in-error" className="rounded bg-danger-soft px-3 py-2 text-sm text-danger">
          {error}
        </p>
      )}
      <button
        type="submit"
        data-testid="sign-in-submit"
        disabled={pending || !csrfToken}
        className="w-full rounded bg-accent px-4 py-2 font-medium text-white hover:bg-accent-strong disabled:opacity-60"
      >
        {pending ? labels.submitting : labels.submit}
      </button>
    </form>
  );
}
