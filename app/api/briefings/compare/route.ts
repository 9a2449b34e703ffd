// GET /api/briefings/compare?indicator=health_record&wave=2017&hukou=rural&range=all[&region=][&tier=][&cities=440300,110100]:
// the comparison page's view (or the listed cities) as a briefing PDF, in the interface language.
import { z } from 'zod';
import { checkRoutePermission } from '@/lib/auth/session';
import { CITY_TIERS, HUKOU_FILTERS, INDICATOR_KEYS, MIGRATION_RANGE_FILTERS, REGIONS } from '@/lib/indicators/catalogue';
import { getLocale } from '@/lib/i18n/server';
import { briefingError, briefingResponse, describeIssues } from '@/lib/pdf/briefing-response';
import { prepareComparisonBriefing } from '@/lib/pdf/prepare-briefing';

export const dynamic = 'force-dynamic';

// An empty select on the comparison page sends region= / tier=; those mean "all".
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const querySchema = z.object({
  indicator: z.enum(INDICATOR_KEYS as [string, ...string[]]).default('health_record'),
  wave: z.coerce.number().int().min(2000).max(2100).default(2017),
  hukou: z.enum(HUKOU_FILTERS).default('all'),
  range: z.enum(MIGRATION_RANGE_FILTERS).default('all'),
  region: optional(z.enum(REGIONS)),
  tier: optional(z.enum(CITY_TIERS)),
  cities: optional(
    z
      .string()
      .regex(/^\d{6}(,\d{6}){0,29}$/, 'cities is a comma-separated list of up to 30 six-digit city codes')
      .transform((s) => [...new Set(s.split(','))]),
  ),
});

export async function GET(request: Request) {
  const check = await checkRoutePermission('briefings:download');
  if (!check.ok) return check.response;
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const locale = await getLocale();
  if (!parsed.success) return briefingError(request, locale, 400, 'bad_request', describeIssues(parsed.error.issues), { params: parsed.error.issues.map((i) => String(i.path[0] ?? 'query')) });
  const q = parsed.data;
  const prepared = await prepareComparisonBriefing({
    indicator: q.indicator,
    wave: q.wave,
    hukou: q.hukou,
    range: q.range,
    region: q.region ?? null,
    tier: q.tier ?? null,
    cityCodes: q.cities ?? null,
    locale,
    date: new Date(),
  });
  return briefingResponse(prepared, check.user, { target: q.cities ? `cities:${q.cities.join(',')}` : 'comparison', detail: { ...q } }, { request, locale });
}
