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
import { cityProfileHref } from '@/lib/url/profile-href';
import { TierSmallMultiples, type TierPanel } from '@/components/charts/tier-small-multiples';
import { DownloadButtons } from '@/components/ui/download-buttons';
import { CITY_TIERS } from '@/lib/indicators/catalogue';
import { formatSampleSize } from '@/lib/indicators/format';
import { downloadDate, downloadFileBase, downloadLabels, provenanceLines } from '@/lib/export/provenance';
import type { Metadata } from 'next';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator();
  return { title: t('page.titleTemplate', { page: t('page.overview') }) };
}

const HEADLINE = ['integration_index', 'local_identity', 'health_record', 'health_education_any', 'insurance_any'] as const;

export default async function OverviewPage() {
  await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDataset();
  if (!dataset) return <EmptyState text={t('common.noDataset')} />;
  const wave = 2017;
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const ranking = (await listCityRanking({ datasetId: dataset.id, wave, indicator: 'health_record', hukou: 'all', migrationRange: 'all' })).filter((r) => !r.suppressed);
  const recordDefinition = findIndicator('health_record')!;
  const rankingList = (rows: typeof ranking) => (
    <ol className="space-y-1 text-sm">
      {rows.map((r) => (
        <li key={r.cityCode} className="flex justify-between gap-4">
          <Link href={cityProfileHref(r.cityCode, { wave })} className="text-accent-strong hover:underline">
            {label(r.nameZh, r.nameEn)}
          </Link>
          <span className="tabular-nums text-slate-700">
            {formatEstimate(r.estimate, 'proportion', locale, r.unreliable)} ({formatInterval(r.ciLow, r.ciHigh, recordDefinition.kind, locale)}), n={formatCount(r.n ?? 0, locale)}
          </span>
        </li>
      ))}
    </ol>
  );
  // Small multiples: the five headline indicators by city tier, published cells only (hidden ones say why).
  const hiddenText = (cell: { status: string } | null) =>
    !cell ? '—' : cell.status === 'primary' ? t('table.suppressed', { min: env.SUPPRESSION_MIN_N }) : t('disclosure.secondary');
  const nationalCells = new Map(await Promise.all(HEADLINE.map(async (key) => [key, await getIndicatorCell(dataset.id, wave, 'national', 'CN', key)] as const)));
  const tierCells = await Promise.all(
    HEADLINE.map(async (key) => ({ definition: findIndicator(key)!, cells: await Promise.all(CITY_TIERS.map(async (tier) => ({ tier, cell: await getIndicatorCell(dataset.id, wave, 'tier', tier, key) }))) })),
  );
  const panels: TierPanel[] = tierCells.map(({ definition, cells }) => ({
    key: definition.key,
    title: label(definition.labelZh, definition.labelEn),
    percent: definition.kind === 'proportion',
    points: cells.map(({ tier, cell }) => {
      const shown = cell && !cell.suppressed && cell.estimate !== null;
      return {
        tier: t(`tier.${tier}`),
        estimate: shown ? cell.estimate : null,
        low: shown ? cell.ciLow : null,
        high: shown ? cell.ciHigh : null,
        text: shown ? formatEstimate(cell.estimate, definition.kind, locale, cell.unreliable) : '',
        display: shown ? `${formatEstimate(cell.estimate, definition.kind, locale, cell.unreliable)} (${formatInterval(cell.ciLow, cell.ciHigh, definition.kind, locale)}), n=${formatSampleSize(cell, locale, env.SUPPRESSION_MIN_N)}` : '',
        hidden: shown ? null : hiddenText(cell),
      };
    }),
  }));
  const tiersTitle = t('overview.tiers');
  const tiersTableTitle = t('overview.tiersTable');
  const provenance = (title: string) => provenanceLines({ title, dataset, wave, filters: [t('hukou.all'), t('range.all')], minN: env.SUPPRESSION_MIN_N, page: '/', date: downloadDate() }, t, locale);
  const fileBase = downloadFileBase(['overview', 'headline-indicators-by-tier', wave]);
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
            const cell = nationalCells.get(key) ?? null;
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
      <section aria-labelledby="tiers" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h2 id="tiers" className="text-lg font-medium">
              {tiersTitle}
            </h2>
            <p className="text-sm text-slate-600">{t('overview.tiersLead', { wave })}</p>
          </div>
          <DownloadButtons target="overview-tiers" testId="chart-download" kinds={['png', 'svg']} fileBase={`${fileBase}_chart`} title={tiersTitle} provenance={provenance(tiersTitle)} labels={downloadLabels(t, tiersTitle)} />
        </div>
        <TierSmallMultiples id="overview-tiers" title={tiersTitle} panels={panels} />
        <div className="flex justify-end">
          <DownloadButtons target="overview-tiers-table" testId="table-download" kinds={['csv']} fileBase={`${fileBase}_table`} title={tiersTableTitle} provenance={provenance(tiersTableTitle)} labels={downloadLabels(t, tiersTableTitle)} />
        </div>
        <div id="overview-tiers-table" role="region" aria-labelledby="overview-tiers-caption" tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="tier-table">
            <caption id="overview-tiers-caption" className="px-3 py-2 text-left text-sm font-medium text-slate-700">
              {tiersTableTitle}
            </caption>
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-medium">{t('overview.tierColumn')}</th>
                {tierCells.map(({ definition }) => (
                  <th key={definition.key} scope="col" className="px-3 py-2 text-left font-medium">{label(definition.labelZh, definition.labelEn)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {CITY_TIERS.map((tier, index) => (
                <tr key={tier} className="border-t border-slate-100">
                  <th scope="row" className="px-3 py-1.5 text-left font-normal">{t(`tier.${tier}`)}</th>
                  {panels.map((panel) => {
                    const point = panel.points[index]!;
                    return (
                      <td key={panel.key} className="px-3 py-1.5 tabular-nums" data-indicator={panel.key}>
                        {point.hidden === null ? point.display : <span className="italic text-slate-600">{point.hidden}</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
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
