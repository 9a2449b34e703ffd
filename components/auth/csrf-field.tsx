'use client';
// Auth.js protects its sign-in and sign-out endpoints with a double-submit CSRF token: fetch it once the form is on
// screen and post it with the form.
import { useEffect, useState } from 'react';

export function useCsrfToken(): string {
  const [token, setToken] = useState('');
  useEffect(() => {
    let cancelled = false;
    fetch('/api/auth/csrf', { credentials: 'same-origin' })
      .then((response) => response.json() as Promise<{ csrfToken: string }>)
      .then((body) => !cancelled && setToken(body.csrfToken))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);
  return token;
}
