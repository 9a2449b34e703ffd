'use client';
// The model builder's subgroup: hukou, migration range, region, tier, sex, age band and generation (one select each,
// the lists from lib/domain.ts and lib/models/request.ts, 'all' first) and the city picker.
import { CITY_TIER_FILTERS, HUKOU_FILTERS, MIGRATION_RANGE_FILTERS, REGION_FILTERS } from '@/lib/domain';
import { AGE_BANDS, type ModelRequest } from '@/lib/models/request';
import { CityPicker } from './city-picker';
import type { WorkbenchCity } from './model-run';

export const selectClass = 'mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm focus:outline-2 focus:outline-sky-600';
export const labelClass = 'block text-xs font-medium uppercase tracking-wide text-slate-500';

type Subgroup = ModelRequest['subgroup'];

export function SubgroupFieldset({
  t,
  subgroup,
  cities,
  onChange,
}: {
  t: (key: string, vars?: Record<string, string | number>) => string;
  subgroup: Subgroup;
  cities: WorkbenchCity[];
  onChange: (patch: Partial<Subgroup>) => void;
}) {
  // The subgroup filters: one select each, labelled from the catalogue ('all' first).
  const allOr = (prefix: string) => (v: string) => (v === 'all' ? t('models.all') : t(`${prefix}.${v}`));
  const subgroupFields: Array<{ key: Exclude<keyof ModelRequest['subgroup'], 'cities'>; label: string; values: readonly string[]; text: (v: string) => string }> = [
    { key: 'hukou', label: 'models.hukou', values: HUKOU_FILTERS, text: (v) => t(`hukou.${v}`) },
    { key: 'range', label: 'models.range', values: MIGRATION_RANGE_FILTERS, text: (v) => t(`range.${v}`) },
    { key: 'region', label: 'models.region', values: REGION_FILTERS, text: allOr('region') },
    { key: 'tier', label: 'models.tier', values: CITY_TIER_FILTERS, text: allOr('tier') },
    { key: 'sex', label: 'models.sex', values: ['all', 'male', 'female'], text: allOr('models.sex') },
    { key: 'ageBand', label: 'models.ageBand', values: ['all', ...AGE_BANDS], text: (v) => (v === 'all' ? t('models.all') : v) },
    { key: 'generation', label: 'models.generation', values: ['all', 'born_1980_plus', 'born_before_1980'], text: allOr('models.gen') },
  ];

  return (
        <fieldset className="space-y-2 rounded border border-slate-200 p-2">
          <legend className="px-1 text-sm font-medium text-slate-700">{t('models.subgroup')}</legend>
          <div className="grid grid-cols-2 gap-2">
            {subgroupFields.map((field) => (
              <label key={field.key} className={field.key === 'generation' ? 'col-span-2 block' : 'block'}>
                <span className={labelClass}>{t(field.label)}</span>
                <select
                  className={selectClass}
                  value={subgroup[field.key]}
                  data-testid={`subgroup-${field.key}`}
                  onChange={(event) => onChange({ [field.key]: event.target.value })}
                >
                  {field.values.map((v) => (
                    <option key={v} value={v}>
                      {field.text(v)}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <CityPicker
            cities={cities}
            selected={subgroup.cities}
            onChange={(codes) => onChange({ cities: codes })}
            labels={{ title: t('models.cities'), search: t('models.citySearch'), none: t('models.cityNone'), selected: t('models.citySelected'), clear: t('models.cityClear'), remove: t('models.cityRemove') }}
          />
        </fieldset>
  );
}
