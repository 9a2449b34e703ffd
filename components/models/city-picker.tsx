'use client';
// The model page's city choice: 72 cities made findable. A search box filters by city, province or code; the cities
// are grouped by province as labelled checkbox groups (Tab and Space work everywhere); chosen cities show as chips
// that remove themselves; a live line says how many are chosen.
import { useId, useMemo, useState } from 'react';

export interface PickerCity {
  code: string;
  name: string;
  provinceCode: string;
  province: string;
}

export function CityPicker({
  cities,
  selected,
  onChange,
  labels,
}: {
  cities: PickerCity[];
  selected: string[];
  onChange: (codes: string[]) => void;
  labels: { title: string; search: string; none: string; selected: string; clear: string; remove: string };
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const groups = useMemo(() => {
    const matches = cities.filter((c) => !needle || c.name.toLowerCase().includes(needle) || c.province.toLowerCase().includes(needle) || c.code.startsWith(needle));
    const byProvince = new Map<string, { province: string; cities: PickerCity[] }>();
    for (const city of [...matches].sort((a, b) => a.code.localeCompare(b.code))) {
      const group = byProvince.get(city.provinceCode) ?? { province: city.province, cities: [] };
      group.cities.push(city);
      byProvince.set(city.provinceCode, group);
    }
    return [...byProvince.entries()];
  }, [cities, needle]);
  const toggle = (code: string) => onChange(selected.includes(code) ? selected.filter((c) => c !== code) : [...selected, code]);
  const chosen = cities.filter((c) => selected.includes(c.code));

  return (
    <div role="group" aria-labelledby={`${id}-title`} data-testid="city-picker">
      <span id={`${id}-title`} className="block text-xs font-medium uppercase tracking-wide text-slate-600">
        {labels.title}
      </span>
      <input
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder={labels.search}
        aria-label={labels.search}
        aria-controls={`${id}-list`}
        data-testid="city-search"
        className="mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm focus:outline-2 focus:outline-sky-600"
      />
      {chosen.length > 0 && (
        <ul className="mt-1 flex flex-wrap gap-1" aria-label={labels.selected.replace('{count}', String(chosen.length))}>
          {chosen.map((city) => (
            <li key={city.code}>
              <button
                type="button"
                onClick={() => toggle(city.code)}
                aria-label={labels.remove.replace('{city}', city.name)}
                className="rounded-full border border-sky-700 bg-sky-50 px-2 py-0.5 text-xs text-sky-900 hover:bg-sky-100 focus:outline-2 focus:outline-sky-600"
              >
                {city.name} <span aria-hidden>×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div id={`${id}-list`} className="mt-1 max-h-52 overflow-y-auto rounded border border-slate-300 bg-white p-1" data-testid="city-list">
        {groups.length === 0 && <p className="p-2 text-sm text-slate-600">{labels.none}</p>}
        {groups.map(([provinceCode, group]) => (
          <fieldset key={provinceCode} className="mb-1">
            <legend className="px-1 text-xs font-semibold text-slate-600">{group.province}</legend>
            <div className="grid grid-cols-2 gap-x-2">
              {group.cities.map((city) => (
                <label key={city.code} className="flex items-center gap-1.5 px-1 py-0.5 text-sm">
                  <input type="checkbox" value={city.code} checked={selected.includes(city.code)} onChange={() => toggle(city.code)} data-city={city.code} />
                  {city.name}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <div className="mt-1 flex items-center justify-between text-xs text-slate-600">
        <span aria-live="polite" data-testid="city-count">{labels.selected.replace('{count}', String(chosen.length))}</span>
        {chosen.length > 0 && (
          <button type="button" onClick={() => onChange([])} className="text-sky-800 underline">
            {labels.clear}
          </button>
        )}
      </div>
    </div>
  );
}
