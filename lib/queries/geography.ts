// Cities and provinces with their names, region and tier.
import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { getSqliteDatabase } from '@/db/client';
import { cities, provinces } from '@/db/schema';
import type { CityTier, Region } from '@/lib/domain';

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

const cityColumns = {
  code: cities.code,
  nameZh: cities.nameZh,
  nameEn: cities.nameEn,
  provinceCode: cities.provinceCode,
  provinceZh: provinces.nameZh,
  provinceEn: provinces.nameEn,
  region: provinces.region,
  tier: cities.tier,
};

export function listCities(): CityInfo[] {
  return getSqliteDatabase().select(cityColumns).from(cities).innerJoin(provinces, eq(provinces.code, cities.provinceCode)).orderBy(asc(cities.code)).all();
}

export function getCity(code: string): CityInfo | null {
  return (
    getSqliteDatabase().select(cityColumns).from(cities).innerJoin(provinces, eq(provinces.code, cities.provinceCode)).where(eq(cities.code, code)).get() ?? null
  );
}
