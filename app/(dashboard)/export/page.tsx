// Analysts: the licence notice of the active dataset and the form that downloads one wave's microdata as CSV.
import { getActiveDatasetForExport, getActiveDataset } from '@/lib/queries/datasets';
import { licenceNotice, localizedLicenceText } from '@/lib/export/licence';
import { waveDisplayLabel } from '@/lib/i18n/dataset-labels';
import { requirePagePermission } from '@/lib/auth/session';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.export');

const input = 'rounded border border-slate-300 px-2 py-1 text-sm';

export default async function ExportPage() {
  await requirePagePermission('microdata:export');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = await getActiveDatasetForExport();
  const waves = (await getActiveDataset())?.waves ?? [];
  const licence = dataset ? licenceNotice(dataset) : null;
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold text-slate-900">{t('export.title')}</h1>
      <p className="text-sm text-slate-700">{t('export.intro')}</p>
      {licence && (
        <section className="rounded border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="licence-notice">
          <h2 className="font-medium">{t('export.licence')}</h2>
          <p className="mt-1 whitespace-pre-line">{localizedLicenceText(licence, locale)}</p>
        </section>
      )}
      <form method="get" action="/api/export/microdata" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          {t('export.wave')}
          <select name="wave" className={input}>
            {waves.map((w) => <option key={w.year} value={w.year}>{waveDisplayLabel(w, t)}</option>)}
          </select>
        </label>
        <label className="flex flex-col">{t('export.city')}<input name="city" pattern="\d{6}" inputMode="numeric" className={input} /></label>
        <label className="flex items-center gap-2"><input type="checkbox" name="accept" value="1" required />{t('export.accept')}</label>
        <button type="submit" data-testid="export-submit" className="rounded bg-accent px-3 py-1 text-white hover:bg-accent-strong">{t('export.submit')}</button>
      </form>
    </div>
  );
}
