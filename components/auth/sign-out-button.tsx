'use client';
// Sign-out posts to Auth.js's sign-out endpoint with the CSRF token, then lands on the sign-in page.
import { useCsrfToken } from './csrf-field';

export function SignOutButton({ label }: { label: string }) {
  const csrfToken = useCsrfToken();
  return (
    <form method="post" action="/api/auth/signout">
      <input type="hidden" name="csrfToken" value={csrfToken} />
      <input type="hidden" name="callbackUrl" value="/sign-in" />
      <button type="submit" disabled={!csrfToken} className="rounded border border-slate-500 px-3 py-1 text-sm hover:bg-slate-700 disabled:opacity-60">
        {label}
      </button>
    </form>
  );
}
