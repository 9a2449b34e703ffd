// A headline figure: estimate, 95% CI and n, or the reason it is not shown.
export function EstimateCard({ title, value, interval, n, ciLabel = '95% CI', suppressedText }: { title: string; value: string; interval: string; n: string; ciLabel?: string; suppressedText?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4" data-testid="estimate-card">
      <div className="text-sm text-slate-600">{title}</div>
      {suppressedText ? (
        <div className="mt-2 text-sm italic text-slate-500">{suppressedText}</div>
      ) : (
        <>
          <div className="mt-1 text-3xl font-semibold tabular-nums text-slate-900">{value}</div>
          <div className="mt-1 text-xs text-slate-500 tabular-nums">
            {ciLabel} {interval} · n={n}
          </div>
        </>
      )}
    </div>
  );
}
