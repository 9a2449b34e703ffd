// The legend under every table of estimates: what "suppressed", "hidden to protect another cell" and a figure in
// parentheses mean (lib/disclosure). Server component; the strings come translated.
export function DisclosureLegend({ title, primary, secondary, unreliable }: { title: string; primary: string; secondary: string; unreliable: string }) {
  return (
    <aside aria-label={title} data-testid="disclosure-legend" className="rounded-lg border border-slate-200 bg-white p-3 text-xs text-slate-600">
      <p className="font-medium text-slate-700">{title}</p>
      <ul className="mt-1 space-y-0.5">
        <li data-legend="primary">{primary}</li>
        <li data-legend="secondary">{secondary}</li>
        <li data-legend="unreliable">{unreliable}</li>
      </ul>
    </aside>
  );
}
