'use client';
// The dashboard segment's error boundary: a calm message in the page's language, a reference for support, and a retry.
// Raw error messages are not shown: they may carry internals (paths, SQL) that staff should not see.
import { useEffect, useState } from 'react';
import en from '@/lib/i18n/messages/en.json';
import zh from '@/lib/i18n/messages/zh.json';

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [messages, setMessages] = useState(zh);
  useEffect(() => {
    // The root layout sets <html lang> from the locale cookie, so the boundary follows the chosen language.
    if (document.documentElement.lang.startsWith('en')) setMessages(en);
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded border border-danger-line bg-danger-soft p-6">
      <h1 className="text-lg font-semibold text-danger-strong">{messages['common.error']}</h1>
      {error.digest && <p className="mt-2 text-sm text-danger">{messages['common.errorReference']}: {error.digest}</p>}
      <button type="button" onClick={reset} className="mt-4 rounded bg-accent px-4 py-2 text-sm text-white hover:bg-accent-strong">
        {messages['common.retry']}
      </button>
    </div>
  );
}
