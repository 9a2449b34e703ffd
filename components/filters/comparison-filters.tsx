'use client';
// Filters of the comparison view. Each change rewrites the URL (router.replace), so the view is shareable and the
// server renders the new numbers; labelled selects keep it usable by keyboard and screen reader.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTransition } from 'react';

export interface FilterOption {
  value: string;
  label: string;
}

export interface FilterField {
  name: string;
  label: string;
  value: string;
  options: FilterOption[];
}

export function ComparisonFilters({ fields, loadingLabel }: { fields: FilterField[]; loadingLabel: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();

  function update(name: string, value: string) {
    const next = new URLSearchParams(searchParams.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    startTransition(() => router.replace(`${pathname}?${next.toString()}`, { scroll: false }));
  }

  return (
    <div className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4" aria-busy={pending}>
      {fields.map((field) => (
        <div key={field.name} className="flex flex-col">
          <label htmlFor={`filter-${field.name}`} className="text-xs font-medium text-slate-600">
            {field.label}
          </label>
          <select
            id={`filter-${field.name}`}
            name={field.name}
            value={field.value}
            onChange={(event) => update(field.name, event.target.value)}
            className="mt-1 min-w-40 rounded border border-slate-300 bg-white px-2 py-1.5 text-sm"
          >
            {field.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      {pending && (
        <span role="status" className="text-sm text-slate-500">
          {loadingLabel}
        </span>
      )}
    </div>
  );
}
