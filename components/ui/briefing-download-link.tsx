// The "download briefing (PDF)" link of the city and comparison pages: a plain link (focusable, works without
// JavaScript) to the briefing route handler, carrying the page's current filters in its URL. No `download`
// attribute: the PDF comes as an attachment anyway, and a refusal (bad filters, no data, busy) then opens as a page
// that says why instead of a failed download.
export function BriefingDownloadLink({ href, label, description, testId }: { href: string; label: string; description?: string; testId: string }) {
  return (
    <div className="flex flex-col items-start gap-1">
      <a
        href={href}
        data-testid={testId}
        className="inline-flex items-center gap-2 rounded border border-accent bg-white px-3 py-1.5 text-sm font-medium text-accent hover:bg-accent-soft focus:outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-2"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.5">
          <path d="M8 2v8m0 0L5 7m3 3 3-3M3 13h10" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {label}
      </a>
      {description ? <span className="text-xs text-slate-500">{description}</span> : null}
    </div>
  );
}
