// Admin: the model queue's limits and its load right now.
import { getSqliteDatabase } from '@/lib/queries/database';
import { requirePagePermission } from '@/lib/auth/session';
import { getTranslator } from '@/lib/i18n/server';
import { modelQueueLoad } from '@/lib/models/service';
import { getModelLimits } from '@/lib/queries/settings';
import { ModelLimitsForm } from '@/components/admin/model-limits-form';
import { saveModelLimitsFormAction } from './actions';
import { pageMetadata } from '@/lib/i18n/page-metadata';

export const generateMetadata = pageMetadata('page.modelLimits');

export default async function ModelLimitsPage() {
  await requirePagePermission('models:set-limits');
  const t = await getTranslator();
  const limits = getModelLimits(getSqliteDatabase());
  const load = await modelQueueLoad();
  const keys = ['limits.maxConcurrent', 'limits.queueLimit', 'limits.perUserQueueLimit', 'limits.timeoutSeconds', 'limits.save', 'limits.saved', 'limits.help.maxConcurrent', 'limits.help.queueLimit', 'limits.help.perUserQueueLimit', 'limits.help.timeoutSeconds'] as const;
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold text-slate-900">{t('limits.title')}</h1>
      <p className="text-sm text-slate-600">{t('limits.intro')}</p>
      <p className="text-sm text-slate-700" data-testid="queue-load">{t('limits.load', { running: load.running, waiting: load.waiting })}</p>
      <ModelLimitsForm initial={limits} text={Object.fromEntries(keys.map((key) => [key, t(key)]))} action={saveModelLimitsFormAction} />
    </div>
  );
}
