// The model page: presets from the studies or a model of one's own, restricted to a subgroup, fitted in the
// background. The page passes the catalogue and the labels to the client workbench; fits go through runModelAction.
import { requirePagePermission } from '@/lib/auth/session';
import { getActiveDataset } from '@/lib/queries/datasets';
import { listCities } from '@/lib/queries/geography';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { MESSAGES } from '@/lib/i18n/messages';
import { MODEL_PRESETS } from '@/lib/models/presets';
import { MODEL_VARIABLES } from '@/lib/models/variables';
import { listModelVariablesInWave } from '@/lib/queries/model-variables';
import { warmModelWorkers } from '@/lib/models/service';
import { ModelWorkbench } from '@/components/models/model-workbench';
import { runModelAction } from './actions';
import { EmptyState } from '@/components/ui/empty-state';
import { pageMetadata } from '@/lib/i18n/page-metadata';
import { can } from '@/lib/auth/permissions';
import { env } from '@/lib/env';
import { downloadDate, downloadLabels, provenanceLines } from '@/lib/export/provenance';
import { ModelDownloadsProvider } from '@/components/models/model-downloads';

export const generateMetadata = pageMetadata('page.models');

export default async function ModelsPage() {
  const user = await requirePagePermission('models:run');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDataset();
  if (!dataset) return <EmptyState title={t('models.title')} text={t('models.empty')} />;
  const cities = await listCities();
  // Every wave the active data have, and in each the variables its data hold.
  const waves = dataset.waves.map((w) => w.year).sort((a, b) => a - b);
  const inWave = new Map(await Promise.all(waves.map(async (wave) => [wave, new Set(await listModelVariablesInWave(dataset.id, wave))] as const)));
  // Opening the page starts the model workers, so the first Run does not wait for them to load.
  warmModelWorkers();
  // Only the labels the workbench uses travel to the browser.
  const text = Object.fromEntries(Object.entries(MESSAGES[locale]).filter(([key]) => /^(models\.|hukou\.|range\.|region\.|tier\.)/.test(key)));
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">{t('models.title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('models.intro')}</p>
      </header>
      <ModelDownloadsProvider
        value={{
          provenance: provenanceLines({ title: '', dataset, wave: null, filters: null, minN: env.SUPPRESSION_MIN_N, page: '/models', date: downloadDate() }, t, locale),
          titleLine: t('provenance.title', { title: '{title}' }),
          labels: downloadLabels(t, '{what}'),
          data: can(user.role, 'microdata:export') ? { label: t('download.modelData'), note: t('download.modelDataNote', { file: '{file}' }) } : null,
        }}
      >
      <ModelWorkbench
        runModel={runModelAction}
        locale={locale}
        text={text}
        waves={waves}
        presets={MODEL_PRESETS.map((preset) => ({ id: preset.id, label: preset[locale], source: preset.source, request: preset.request }))}
        variables={MODEL_VARIABLES.map((v) => ({ id: v.id, label: v[locale], kind: v.kind, waves: waves.filter((wave) => inWave.get(wave)?.has(v.id)) }))}
        cities={cities.map((city) => ({ code: city.code, name: locale === 'zh' ? city.nameZh : city.nameEn, region: city.region, tier: city.tier, provinceCode: city.provinceCode, province: locale === 'zh' ? city.provinceZh : city.provinceEn }))}
        dataset={{ label: dataset.label, synthetic: dataset.kind !== 'imported' }}
      />
      </ModelDownloadsProvider>
    </div>
  );
}
