// Cities and provinces with their names, region and tier.
import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { storeOf, type Store } from '@/db/store';
import type { CityTier, Region } from '@/lib/domain';
import { getDatabase } from './database';

export interface CityInfo {
  code: string;
  nameZh: string;
  nameEn: string;
  provinceCode: string;
  provinceZh: string;
  provinceEn: string;
  region: Region;
  tier: CityTier;
}

const cityColumnsOf = ({ cities, provinces }: Pick<Store, 'cities' | 'provinces'>) => ({
  code: cities.code,
  nameZh: cities.nameZh,
  nameEn: cities.nameEn,
  provinceCode: cities.provinceCode,
  provinceZh: provinces.nameZh,
  provinceEn: provinces.nameEn,
  region: provinces.region,
  tier: cities.tier,
});

export async function listCities(): Promise<CityInfo[]> {
  const { q, cities, provinces } = storeOf(getDatabase());
  return q.select(cityColumnsOf({ cities, provinces })).from(cities).innerJoin(provinces, eq(provinces.code, cities.provinceCode)).orderBy(asc(cities.code));
}

export async function getCity(code: string): Promise<CityInfo | null> {
  const { q, cities, provinces } = storeOf(getDatabase());
  const [row] = await q.select(cityColumnsOf({ cities, provinces })).from(cities).innerJoin(provinces, eq(provinces.code, cities.provinceCode)).where(eq(cities.code, code)).limit(1);
  return row ?? null;
}
