import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePagePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { findIndicator } from '@/lib/indicators/catalogue';
import { formatCount, formatEstimate, formatInterval } from '@/lib/indicators/format';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getActiveDataset } from '@/lib/queries/datasets';
import { getIndicatorCell, listCityRanking } from '@/lib/queries/indicators';
import { EstimateCard } from '@/components/ui/estimate-card';
import { pageTitle } from '@/lib/i18n/metadata';

export const generateMetadata = pageTitle('overview.title');

const HEADLINE = ['integration_index', 'local_identity', 'health_record', 'health_education_any', 'insurance_any'] as const;

export default async function OverviewPage() {
  await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = getActiveDataset();
  if (!dataset) return <EmptyState text={t('common.noDataset')} />;
  const wave = 2017;
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const ranking = listCityRanking({ datasetId: dataset.id, wave, indicator: 'health_record', hukou: 'all', migrationRange: 'all' }).filter((r) => !r.suppressed);
  const recordDefinition = findIndicator('health_record')!;
  const rankingList = (rows: typeof ranking) => (
    <ol className="space-y-1 text-sm">
      {rows.map((r) => (
        <li key={r.cityCode} className="flex justify-between gap-4">
          <Link href={`/cities/${r.cityCode}`} className="text-accent-strong hover:underline">
            {label(r.nameZh, r.nameEn)}
          </Link>
          <span className="tabular-nums text-slate-700">
            {formatEstimate(r.estimate, 'proportion', locale, r.unreliable)} ({formatInterval(r.ciLow, r.ciHigh, recordDefinition.kind, locale)}), n={formatCount(r.n ?? 0, locale)}
          </span>
        </li>
      ))}
    </ol>
  );
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">{t('overview.title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('overview.lead', { wave })}</p>
      </div>
      <section aria-labelledby="headline">
        <h2 id="headline" className="mb-3 text-lg font-medium">
          {t('overview.headline')}
        </h2>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-5">
          {HEADLINE.map((key) => {
            const definition = findIndicator(key)!;
            const cell = getIndicatorCell(dataset.id, wave, 'national', 'CN', key);
            return (
              <EstimateCard
                key={key}
                title={label(definition.labelZh, definition.labelEn)}
                value={formatEstimate(cell?.estimate, definition.kind, locale, cell?.unreliable ?? false)}
                interval={formatInterval(cell?.ciLow, cell?.ciHigh, definition.kind, locale)}
                n={formatCount(cell?.n ?? 0, locale)}
                ciLabel={t('common.ci')}
                suppressedText={!cell || cell.suppressed ? (cell?.status === 'secondary' ? t('disclosure.secondary') : t('table.suppressed', { min: env.SUPPRESSION_MIN_N })) : undefined}
              />
            );
          })}
        </div>
      </section>
      <section aria-labelledby="ranking" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="ranking" className="mb-3 text-lg font-medium">
          {t('overview.ranking')}
        </h2>
        <div className="grid gap-6 md:grid-cols-2">
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-600">{t('overview.top')}</h3>
            {rankingList(ranking.slice(0, 5))}
          </div>
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-600">{t('overview.bottom')}</h3>
            {rankingList(ranking.slice(-5).reverse())}
          </div>
        </div>
        <Link href="/compare" className="mt-4 inline-block rounded bg-accent px-4 py-2 text-sm text-white hover:bg-accent-strong">
          {t('overview.openCompare')}
        </Link>
      </section>
      <section aria-labelledby="about" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <h2 id="about" className="mb-2 text-lg font-medium">
          {t('overview.about')}
        </h2>
        <p className="text-slate-700">{t('overview.aboutText')}</p>
        <ul className="mt-2 list-disc pl-5 text-slate-600">
          {dataset.waves.map((w) => (
            <li key={w.year}>
              {w.design === 'module_2014_eight_cities' || w.design === 'national' ? t(`wave.${w.design}`, { year: w.year }) : w.label}: {formatCount(w.respondentCount, locale)} {t('overview.respondents')}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
