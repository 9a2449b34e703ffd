// What a URL names that may not exist: a city code (/cities/NNNNNN), or a survey wave (?wave=YYYY) of the active
// dataset on a page without wave filters. Checked by proxy.ts before the page starts streaming, so an unknown one gets
// a real 404 status. Pages whose wave is a filter (FILTER_PAGES) show themselves with a notice that names the wave
// and the one used instead (components/ui/ignored-params-notice.tsx), like any other filter they cannot use.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';

export type UnknownTarget = { kind: 'city'; code: string } | { kind: 'wave'; wave: string } | null;

const CITY_PATH = /^\/cities\/([^/]+)\/?$/;
const FILTER_PAGES = /^\/(compare|equity|map|trends|cities\/[^/]+)\/?$/;

export async function findUnknownTarget(db: Database, pathname: string, search: URLSearchParams): Promise<UnknownTarget> {
  const { q, cities, datasets, waves } = storeOf(db);
  const city = CITY_PATH.exec(pathname)?.[1];
  if (city !== undefined) {
    const code = decodeURIComponent(city);
    if (!/^\d{6}$/.test(code) || (await q.select({ code: cities.code }).from(cities).where(eq(cities.code, code)).limit(1)).length === 0) return { kind: 'city', code };
  }
  const wave = search.get('wave');
  if (wave !== null && /^\d{4}$/.test(wave) && !FILTER_PAGES.test(pathname)) {
    const [active] = await q.select({ id: datasets.id }).from(datasets).where(and(eq(datasets.active, true), eq(datasets.status, 'ready'))).limit(1);
    if (active && (await q.select({ year: waves.year }).from(waves).where(and(eq(waves.datasetId, active.id), eq(waves.year, Number(wave)))).limit(1)).length === 0) {
      return { kind: 'wave', wave };
    }
  }
  return null;
}
