// The notice a page shows when its URL carried values it could not use (`/compare?hukou=martian`): which parameter,
// what it said, and what the page shows instead. Server component; the strings come from the message catalogues.
import { findIndicator } from '@/lib/indicators/catalogue';
import type { Locale, MessageKey, Translator } from '@/lib/i18n/messages';
import { PARAM_LABELS, type IgnoredParam } from '@/lib/url/ignored-params';

const VALUE_PREFIX: Record<string, string> = { hukou: 'hukou', range: 'range', region: 'region', tier: 'tier', view: 'equity.view', layer: 'map.layer', geo: 'geo' };

export function describeIgnoredValue(t: Translator, locale: Locale, name: string, value: string | null): string {
  if (value === null) return t('urlNotice.none');
  if (name === 'indicator') {
    const definition = findIndicator(value);
    if (definition) return locale === 'zh' ? definition.labelZh : definition.labelEn;
  }
  const prefix = VALUE_PREFIX[name];
  if (prefix) {
    const key = `${prefix}.${value}`;
    const text = t(key as MessageKey);
    if (text !== key) return text;
  }
  return value;
}

export function IgnoredParamsNotice({ ignored, t, locale }: { ignored: IgnoredParam[]; t: Translator; locale: Locale }) {
  if (ignored.length === 0) return null;
  return (
    <div role="status" data-testid="ignored-params" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <p className="font-medium">{t('urlNotice.title')}</p>
      <ul className="mt-1 list-disc pl-5">
        {ignored.map((item) => (
          <li key={item.name} data-param={item.name}>
            {item.reason === 'absent' ? t('urlNotice.waveMissing', { given: item.given, used: item.used ?? '' }) : t('urlNotice.item', {
              param: PARAM_LABELS[item.name] ? t(PARAM_LABELS[item.name]!) : item.name,
              given: item.given,
              used: describeIgnoredValue(t, locale, item.name, item.used),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}
