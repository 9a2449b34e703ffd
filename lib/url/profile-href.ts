// The link to a city's profile under the filters of the page it is on: wave, hukou and migration range, so that a
// filtered comparison, map, equity or trend view opens the profile on the same population.

export function cityProfileHref(code: string, filters: { wave: number; hukou?: string; range?: string }): string {
  const params = new URLSearchParams({ wave: String(filters.wave) });
  if (filters.hukou && filters.hukou !== 'all') params.set('hukou', filters.hukou);
  if (filters.range && filters.range !== 'all') params.set('range', filters.range);
  return `/cities/${code}?${params.toString()}`;
}
