import { requirePagePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { INDICATORS } from '@/lib/indicators/catalogue';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getActiveDataset } from '@/lib/queries/datasets';
import targets from '@/db/calibration-targets.json';
import type { MessageKey } from '@/lib/i18n/messages';
import { datasetDisplayLabel } from '@/lib/i18n/dataset-labels';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.methodology');

const SECTIONS = ['data', 'ci', 'suppression', 'disclosure', 'definitions', 'equity'] as const;

export default async function MethodologyPage() {
  await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDataset();
  const national = targets.national_wave_2017;
  const sources: Array<[string, string]> = [
    [t('methodology.source.module2014'), targets.module_2014_eight_cities.source],
    [t('methodology.source.healthRecords'), national.health_records_established.source_pooled],
    [t('methodology.source.healthRecordsProvince'), national.health_records_established.by_province_2016_2017_east.source],
    [t('methodology.source.healthEducation'), national.health_education.source],
    [t('methodology.source.insurance'), national.insurance.source_deck],
    [t('methodology.source.integration'), national.integration_items_1_to_4.source],
    [t('methodology.source.intentions'), national.intentions.source],
    [t('methodology.source.tiers'), targets.geography.city_tiers_2017.source],
  ];
  // The research team's seed files are cited by what they are, not by their file names.
  const sourceText = (source: string) => {
    const seed = /^seed (\d{3})_[0-9a-f]+\.txt/.exec(source)?.[1];
    if (!seed) return source;
    const key = `methodology.seed.${seed}` as MessageKey;
    return t(key) === key ? source : t(key);
  };
  return (
    <article className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">{t('methodology.title')}</h1>
      {dataset && (
        <p className="text-sm text-slate-600">
          {t('methodology.dataset')}: {datasetDisplayLabel(dataset, t)}
        </p>
      )}
      {dataset?.kind !== 'imported' && (
        <p role="note" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {t('synthetic.banner')}
        </p>
      )}
      {SECTIONS.map((section) => (
        <section key={section} aria-labelledby={`method-${section}`}>
          <h2 id={`method-${section}`} className="text-lg font-medium">
            {t(`methodology.${section}.title`)}
          </h2>
          <p className="mt-1 leading-relaxed text-slate-700">{t(`methodology.${section}.body`, { min: env.SUPPRESSION_MIN_N })}</p>
        </section>
      ))}
      <section>
        <h2 className="text-lg font-medium">{t('methodology.indicators')}</h2>
        <p className="mt-1 text-xs text-slate-600">{t('methodology.variableNote')}</p>
        <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
          {INDICATORS.map((i) => (
            <li key={i.key}>
              {locale === 'zh' ? i.labelZh : i.labelEn} — <code translate="no" data-identifier="column">{i.variable}</code>
              {i.value !== undefined ? ` = ${i.value}` : ''} ({t(`methodology.kind.${i.kind}`)}; {i.questions ? i.questions.map((q) => `${q.fromWave}–: ${locale === 'zh' ? q.zh : q.en}`).join('; ') : t('methodology.wavesAny')})
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2 className="text-lg font-medium">{t('methodology.sources')}</h2>
        <table className="mt-2 w-full text-sm">
          <tbody>
            {sources.map(([what, source]) => (
              <tr key={what} className="border-t border-slate-200">
                <td className="py-1 pr-4 align-top text-slate-600">{what}</td>
                <td className="py-1">{sourceText(source)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
