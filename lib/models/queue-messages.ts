// What the model page says when the fit line has no room: the user's own places in line, or the place a new request
// would have had, in the user's language. Pure, so both languages are tested without a request.
import type { QueueRefusal } from '@/lib/jobs/pool';
import type { Locale, Translator } from '@/lib/i18n/messages';

export function describeQueueRefusal(refusal: QueueRefusal, t: Translator, locale: Locale): string {
  const places = refusal.ownPositions.join(locale === 'zh' ? '、' : ', ');
  if (refusal.reason === 'owner_limit') return t('models.ownerLimit', { limit: refusal.limit, places });
  if (refusal.ownPositions.length > 0) return t('models.queueFullOwn', { waiting: refusal.waiting, running: refusal.running, places });
  return t('models.queueFull', { waiting: refusal.waiting, running: refusal.running, place: refusal.wouldBePosition });
}
