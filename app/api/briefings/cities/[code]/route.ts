// GET /api/briefings/cities/440300?wave=2017&hukou=rural&range=all: a city's briefing PDF under the dashboard's
// filters, in the interface language. Session and permission first, then zod; rendering happens in a worker.
import { z } from 'zod';
import { checkRoutePermission } from '@/lib/auth/session';
import { HUKOU_FILTERS, MIGRATION_RANGE_FILTERS } from '@/lib/indicators/catalogue';
import { getLocale } from '@/lib/i18n/server';
import { briefingError, briefingResponse, describeIssues } from '@/lib/pdf/briefing-response';
import { prepareCityBriefing } from '@/lib/pdf/prepare-briefing';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ code: z.string().regex(/^\d{6}$/, 'a city code has six digits') });
// Unlike the pages (which fall back to defaults), a download states exactly what it is: bad values are refused.
const querySchema = z.object({
  wave: z.coerce.number().int().min(2000).max(2100).default(2017),
  hukou: z.enum(HUKOU_FILTERS).default('all'),
  range: z.enum(MIGRATION_RANGE_FILTERS).default('all'),
});

export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const check = await checkRoutePermission('briefings:download');
  if (!check.ok) return check.response;
  const url = new URL(request.url);
  const parsedParams = paramsSchema.safeParse(await params);
  const parsedQuery = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsedParams.success || !parsedQuery.success) {
    const issues = [...(parsedParams.error?.issues ?? []), ...(parsedQuery.error?.issues ?? [])];
    return briefingError(request, await getLocale(), 400, 'bad_request', describeIssues(issues), { params: issues.map((i) => String(i.path[0] ?? 'query')) });
  }
  const { wave, hukou, range } = parsedQuery.data;
  const locale = await getLocale();
  const prepared = await prepareCityBriefing({ cityCode: parsedParams.data.code, wave, hukou, range, locale, date: new Date() });
  return briefingResponse(prepared, check.user, { target: `city:${parsedParams.data.code}`, detail: { wave, hukou, range } }, { request, locale });
}
