// GET /api/exports/compare?indicator=health_record&wave=2017&hukou=rural&range=all[&region=][&tier=]: the comparison
// page's table as CSV, with the same disclosure control as the page (lib/disclosure) and its legend.
import { z } from 'zod';
import { checkRoutePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { comparisonCsv } from '@/lib/export/indicator-csv';
import { CITY_TIERS, HUKOU_FILTERS, INDICATOR_KEYS, MIGRATION_RANGE_FILTERS, REGIONS, findIndicator } from '@/lib/indicators/catalogue';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getDatabase } from '@/lib/queries/database';
import { recordAudit } from '@/lib/queries/audit';
import { getActiveDataset } from '@/lib/queries/datasets';
import { listCityRanking } from '@/lib/queries/indicators';
import { downloadDate, provenanceLines } from '@/lib/export/provenance';

export const dynamic = 'force-dynamic';

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const querySchema = z.object({
  indicator: z.enum(INDICATOR_KEYS as [string, ...string[]]).default('health_record'),
  wave: z.coerce.number().int().min(2000).max(2100).default(2017),
  hukou: z.enum(HUKOU_FILTERS).default('all'),
  range: z.enum(MIGRATION_RANGE_FILTERS).default('all'),
  region: optional(z.enum(REGIONS)),
  tier: optional(z.enum(CITY_TIERS)),
});

export async function GET(request: Request) {
  const check = await checkRoutePermission('indicators:export');
  if (!check.ok) return check.response;
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: 'bad_request', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, { status: 400 });
  const q = parsed.data;
  const dataset = await getActiveDataset();
  const definition = findIndicator(q.indicator);
  if (!dataset || !definition) return Response.json({ error: 'no_data', message: 'No active dataset.' }, { status: 404 });
  const [t, locale] = [await getTranslator(), await getLocale()];
  const label = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  const rows = await listCityRanking({ datasetId: dataset.id, wave: q.wave, indicator: q.indicator, hukou: q.hukou, migrationRange: q.range, region: q.region ?? null, tier: q.tier ?? null });
  const title = [label(definition.labelZh, definition.labelEn), String(q.wave), t(`hukou.${q.hukou}`), t(`range.${q.range}`)].join(', ');
  const csv = comparisonCsv({
    rows: rows.map((r) => ({ ...r, name: label(r.nameZh, r.nameEn), province: label(r.provinceZh, r.provinceEn) })),
    definition,
    locale,
    t,
    minN: env.SUPPRESSION_MIN_N,
    title,
    synthetic: dataset.kind === 'synthetic',
    provenance: provenanceLines(
      {
        title: t('compare.tableCaption', { indicator: label(definition.labelZh, definition.labelEn) }),
        dataset,
        wave: q.wave,
        filters: [label(definition.labelZh, definition.labelEn), t(`hukou.${q.hukou}`), t(`range.${q.range}`), ...(q.region ? [t(`region.${q.region}`)] : []), ...(q.tier ? [t(`tier.${q.tier}`)] : [])],
        minN: env.SUPPRESSION_MIN_N,
        page: `/compare?${new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))}`,
        date: downloadDate(),
      },
      t,
      locale,
    ),
  });
  await recordAudit(getDatabase(), { userId: check.user.id, username: check.user.name, action: 'indicators_export', target: 'comparison', detail: { ...q } });
  const file = `comparison-${q.indicator}-${q.wave}-${q.hukou}-${q.range}${q.region ? `-${q.region}` : ''}${q.tier ? `-${q.tier}` : ''}.csv`;
  return new Response(csv, { headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file}"`, 'Cache-Control': 'no-store' } });
}
