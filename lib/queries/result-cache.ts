// Keeps the results of the page queries for the active dataset version in memory, keyed by query and filter. A
// version's indicator cells never change once it is active, so entries stay valid until another version is activated;
// getActiveDataset() (read on every page) notices the switch and empties the cache.
import 'server-only';

/** Enough for every filter combination of the pages several times over; the oldest entry goes first beyond it. */
const MAX_ENTRIES = 20_000;

const state = globalThis as unknown as { queryResultCache?: { version: string | null; entries: Map<string, Promise<unknown>> } };
const cache = (state.queryResultCache ??= { version: null, entries: new Map() });

/** Called with the active version's identity (id and activation time); a new identity empties the cache. */
export function noteActiveVersion(version: string): void {
  if (cache.version === version) return;
  cache.version = version;
  cache.entries.clear();
}

/**
 * The cached result of `query` for this key, computed on the first call; concurrent callers share the one query in
 * flight, and a query that fails is not kept. Callers must not mutate the result.
 */
export function cachedQuery<T>(key: string, query: () => Promise<T>): Promise<T> {
  const hit = cache.entries.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const result = query();
  result.catch(() => {
    if (cache.entries.get(key) === result) cache.entries.delete(key);
  });
  if (cache.entries.size >= MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value as string);
  cache.entries.set(key, result);
  return result;
}
