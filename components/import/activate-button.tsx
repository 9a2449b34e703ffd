'use client';
// Makes an earlier dataset version active again through the server action, then re-renders the page (banner included).
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { activateDatasetVersionAction } from '@/app/(dashboard)/admin/import/actions';

export function ActivateButton({ datasetId, label }: { datasetId: number; label: string }) {
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
            const result = await activateDatasetVersionAction({ datasetId });
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
        <span role="alert" className="text-xs text-red-800">
          {error}
        </span>
      )}
    </span>
  );
}
