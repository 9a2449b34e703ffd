'use client';
// A long card table on a phone: below Tailwind's sm breakpoint only the rows not marked `data-phone-extra` show (the
// first cities of a ranking), with a button for the rest. Wider screens always show every row, and the rows stay in
// the page either way, so the CSV download and screen readers' table navigation get all of them.
import { useId, useState } from 'react';

export function PhoneRowLimit({
  extraRows,
  showAllLabel,
  showFewerLabel,
  children,
}: {
  /** How many rows are hidden on a phone while collapsed (no button when none). */
  extraRows: number;
  showAllLabel: string;
  showFewerLabel: string;
  children: React.ReactNode;
}) {
  const [collapsed, setCollapsed] = useState(true);
  const id = useId();
  return (
    <div data-rows-collapsed={extraRows > 0 && collapsed ? 'true' : 'false'}>
      <div id={id}>{children}</div>
      {extraRows > 0 && (
        <button
          type="button"
          className="mt-2 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-accent-strong hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent sm:hidden"
          aria-expanded={!collapsed}
          aria-controls={id}
          data-testid="phone-row-toggle"
          onClick={() => setCollapsed((c) => !c)}
        >
          {collapsed ? showAllLabel : showFewerLabel}
        </button>
      )}
    </div>
  );
}
