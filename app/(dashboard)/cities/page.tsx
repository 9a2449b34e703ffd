import Link from 'next/link';
import { requirePagePermission } from '@/lib/auth/session';
import { CITY_TIERS } from '@/lib/indicators/catalogue';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { env } from '@/lib/env';
import { findIndicator } from '@/lib/indicators/catalogue';
import { getActiveDataset } from '@/lib/queries/datasets';
import { listCities } from '@/lib/queries/geography';
import { listCityRanking, type CityRankingRow } from '@/lib/queries/indicators';
import { EstimateCell } from '@/components/ui/estimate-cell';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.cities');

// Each card carries one figure, so the list is already a first look at coverage.
const CARD_INDICATOR = 'health_record';
const CARD_WAVE = 2017;

export default async function CitiesPage() {
  await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const cities = await listCities();
  const dataset = await getActiveDataset();
  const definition = findIndicator(CARD_INDICATOR);
  const cells = new Map<string, CityRankingRow>(
    dataset ? (await listCityRanking({ datasetId: dataset.id, wave: CARD_WAVE, indicator: CARD_INDICATOR, hukou: 'all', migrationRange: 'all' })).map((r) => [r.cityCode, r]) : [],
  );
  const texts = { primary: t('table.suppressed', { min: env.SUPPRESSION_MIN_N }), secondary: t('disclosure.secondary') };
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('cities.title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('cities.lead')}</p>
        {definition && (
          <p className="mt-1 text-xs text-slate-500">
            {t('cities.cardFigure', { indicator: locale === 'zh' ? definition.labelZh : definition.labelEn, wave: CARD_WAVE })}
          </p>
        )}
      </div>
      {CITY_TIERS.map((tier) => (
        <section key={tier} aria-labelledby={`tier-${tier}`}>
          <h2 id={`tier-${tier}`} className="mb-2 text-lg font-medium">
            {t(`tier.${tier}`)}
          </h2>
          <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 md:grid-cols-3 xl:grid-cols-4">
            {cities
              .filter((c) => c.tier === tier)
              .map((c) => (
                <li key={c.code}>
                  <Link href={`/cities/${c.code}`} className="block rounded border border-slate-200 bg-white px-3 py-2 text-sm hover:border-accent">
                    <span className="font-medium">{locale === 'zh' ? c.nameZh : c.nameEn}</span>
                    <span className="block text-xs text-slate-500">{locale === 'zh' ? c.provinceZh : c.provinceEn}</span>
                    {definition && (
                      <span className="mt-1 block text-xs">
                        <EstimateCell cell={cells.get(c.code)} kind={definition.kind} locale={locale} texts={texts} minN={env.SUPPRESSION_MIN_N} />
                      </span>
                    )}
                  </Link>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
