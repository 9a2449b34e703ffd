// What a page shows when it has nothing to show, and why: no active dataset, or no rows under the chosen filters.
export function EmptyState({ title, text }: { title?: string; text: string }) {
  return (
    <div role="status" data-testid="empty-state" className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
      {title && <p className="mb-1 font-medium text-slate-800">{title}</p>}
      <p>{text}</p>
    </div>
  );
}
