// Admin page for importing survey files: upload, dry-run report, confirmation, and the dataset versions.
import { requirePagePermission } from '@/lib/auth/session';
import { MESSAGES } from '@/lib/i18n/messages';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { DEFAULT_MAPPING_NAMES } from '@/lib/import/mappings';
import { listDatasetVersionsForAdmin } from '@/lib/queries/datasets';
import { ImportPanel } from '@/components/import/import-panel';
import { VersionTable } from '@/components/import/version-table';
import { activateDatasetVersionAction } from './actions';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.import');

export const dynamic = 'force-dynamic';

export default async function ImportPage() {
  await requirePagePermission('data:import');
  const [t, locale] = [await getTranslator(), await getLocale()];
  // The client component fills in its own {placeholders}, so it gets the raw import.* messages of this language.
  const labels = Object.fromEntries(Object.entries(MESSAGES[locale]).filter(([key]) => key.startsWith('import.')));
  const versions = await listDatasetVersionsForAdmin();
  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">{t('import.title')}</h1>
        <p className="max-w-3xl text-sm text-slate-600">{t('import.lead')}</p>
      </header>
      <ImportPanel labels={labels} mappings={[...DEFAULT_MAPPING_NAMES]} />
      <section aria-labelledby="versions-heading" className="space-y-2">
        <h2 id="versions-heading" className="text-lg font-semibold">
          {t('import.versions')}
        </h2>
        <VersionTable versions={versions} labels={labels} locale={locale} activate={activateDatasetVersionAction} />
      </section>
    </div>
  );
}
