// The model page: presets from the studies or a model of one's own, restricted to a subgroup, fitted in the
// background. The page passes the catalogue and the labels to the client workbench; fits go through runModelAction.
import { requirePagePermission } from '@/lib/auth/session';
import { getActiveDataset } from '@/lib/queries/datasets';
import { listCities } from '@/lib/queries/geography';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { MESSAGES } from '@/lib/i18n/messages';
import { MODEL_PRESETS } from '@/lib/models/presets';
import { MODEL_VARIABLES } from '@/lib/models/variables';
import { warmModelWorkers } from '@/lib/models/service';
import { ModelWorkbench } from '@/components/models/model-workbench';
import { EmptyState } from '@/components/ui/empty-state';

export default async function ModelsPage() {
  await requirePagePermission('models:run');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = getActiveDataset();
  if (!dataset) return <EmptyState title={t('models.title')} text={t('models.empty')} />;
  const cities = listCities();
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
      <ModelWorkbench
        locale={locale}
        text={text}
        waves={dataset.waves.map((w) => w.year).filter((year): year is 2014 | 2017 => year === 2014 || year === 2017)}
        presets={MODEL_PRESETS.map((preset) => ({ id: preset.id, label: preset[locale], source: preset.source, request: preset.request }))}
        variables={MODEL_VARIABLES.map((v) => ({ id: v.id, label: v[locale], kind: v.kind, waves: [...v.waves] }))}
        cities={cities.map((city) => ({ code: city.code, name: locale === 'zh' ? city.nameZh : city.nameEn, region: city.region, tier: city.tier, provinceCode: city.provinceCode, province: locale === 'zh' ? city.provinceZh : city.provinceEn }))}
        dataset={{ label: dataset.label, synthetic: dataset.kind !== 'imported' }}
      />
    </div>
  );
}
