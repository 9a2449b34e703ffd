import Link from 'next/link';
import { requirePagePermission } from '@/lib/auth/session';
import { CITY_TIERS } from '@/lib/indicators/catalogue';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { listCities } from '@/lib/queries/geography';

export default async function CitiesPage() {
  await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const cities = listCities();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('cities.title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('cities.lead')}</p>
      </div>
      {CITY_TIERS.map((tier) => (
        <section key={tier} aria-labelledby={`tier-${tier}`}>
          <h2 id={`tier-${tier}`} className="mb-2 text-lg font-medium">
            {t(`tier.${tier}`)}
          </h2>
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-6">
            {cities
              .filter((c) => c.tier === tier)
              .map((c) => (
                <li key={c.code}>
                  <Link href={`/cities/${c.code}`} className="block rounded border border-slate-200 bg-white px-3 py-2 text-sm hover:border-red-800">
                    <span className="font-medium">{locale === 'zh' ? c.nameZh : c.nameEn}</span>
                    <span className="block text-xs text-slate-500">{locale === 'zh' ? c.provinceZh : c.provinceEn}</span>
                  </Link>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
