'use client';
// Makes an earlier dataset version active again through the server action, then re-renders the page (banner included).
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/auth/authorized-action';

export type ActivateAction = (input: { datasetId: number }) => Promise<ActionResult<{ datasetId: number }>>;

export function ActivateButton({ datasetId, label, action }: { datasetId: number; label: string; action: ActivateAction }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex flex-col items-start gap-1">
      <button
        type="button"
        disabled={pending}
        data-testid={`activate-${datasetId}`}
        onClick={() =>
          startTransition(async () => {
            const result = await action({ datasetId });
            if (result.ok) {
              setError(null);
              router.refresh();
            } else setError(result.error.message);
          })
        }
        className="rounded border border-slate-400 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
      >
        {label}
      </button>
      {error && (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      )}
    </span>
  );
}
