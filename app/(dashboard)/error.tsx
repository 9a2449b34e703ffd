'use client';

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-900">出错了 · Something went wrong</h1>
      <p className="mt-2 text-sm text-red-800">{error.digest ? `Reference: ${error.digest}` : error.message}</p>
      <button type="button" onClick={reset} className="mt-4 rounded bg-red-800 px-4 py-2 text-sm text-white">
        重试 · Try again
      </button>
    </div>
  );
}
