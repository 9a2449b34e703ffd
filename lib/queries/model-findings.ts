// The latest cached model results a briefing may quote: preset runs on exactly its subgroup (wave, hukou, migration
// range, its city or region/tier) that passed the output checks of lib/models/disclosure.ts.
import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { storeOf } from '@/db/store';
import { coefficientSentence } from '@/lib/models/interpret';
import { MODEL_DISCLOSURE_VERSION } from '@/lib/models/disclosure';
import { MODEL_PRESETS } from '@/lib/models/presets';
import { modelRequestSchema, subgroupSchema, type Subgroup } from '@/lib/models/request';
import { getDatabase } from './database';

export interface ModelFinding {
  key: string;
  createdAt: Date;
  outcome: string;
  family: string;
  n: number | null;
  terms: Array<{ term: string; estimate: number; ciLow: number | null; ciHigh: number | null; p: number | null }>;
  /** For the model page's runs: the interpretation sentence of the key variable, in both languages. */
  sentence: { zh: string; en: string } | null;
}

export interface FindingSubgroup {
  wave: number;
  hukou: string;
  range: string;
  cityCode?: string | null;
  region?: string | null;
  tier?: string | null;
}

const coefSchema = z.object({ estimate: z.number(), ci_lower: z.number().nullish(), ci_upper: z.number().nullish(), p: z.number().nullish() });
const fitSchema = z.object({ n: z.number().optional(), coef: z.record(z.string(), coefSchema) }).passthrough();
const resultSchema = z.object({ fits: z.record(z.string(), fitSchema) }).passthrough();
// Model-page runs store the whole output of lib/models/run.ts; only those that passed the current checks count.
const outputSchema = z.object({ result: z.unknown(), disclosureChecked: z.literal(MODEL_DISCLOSURE_VERSION) }).passthrough();

/** JSON with sorted keys, so two parses of the same request compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const PRESET_SHAPES = new Set(MODEL_PRESETS.map((p) => canonical({ ...p.request, subgroup: null })));

/** The subgroup a briefing describes, as the model page would have asked for it. */
function briefingSubgroup(subgroup: FindingSubgroup): Subgroup {
  return subgroupSchema.parse({
    hukou: subgroup.hukou,
    range: subgroup.range,
    region: subgroup.region ?? 'all',
    tier: subgroup.tier ?? 'all',
    cities: subgroup.cityCode ? [subgroup.cityCode] : [],
  });
}

/** The model page's sentence for a run's key variable (first of `keys`), when its fit has that term. */
function interpretationOf(spec: { type?: unknown; keys?: unknown; outcome: string }, fit: z.infer<typeof fitSchema>): { zh: string; en: string } | null {
  const key = Array.isArray(spec.keys) && typeof spec.keys[0] === 'string' ? spec.keys[0] : null;
  const row = key ? fit.coef[key] : undefined;
  if (!key || row?.ci_lower == null || row.ci_upper == null || row.p == null || fit.n === undefined) return null;
  const family = spec.type === 'logit' || spec.type === 'ri_logit' ? 'binomial' : 'gaussian';
  const cells = { estimate: row.estimate, ci_lower: row.ci_lower, ci_upper: row.ci_upper, p: row.p };
  const n = fit.n;
  return {
    zh: coefficientSentence({ locale: 'zh', key, outcome: spec.outcome, family, row: cells, n }),
    en: coefficientSentence({ locale: 'en', key, outcome: spec.outcome, family, row: cells, n }),
  };
}

/**
 * Newest first; at most `limit` findings for a briefing. Only a preset run (lib/models/presets.ts) on exactly the
 * briefing's subgroup that passed the current output checks counts: no one's ad-hoc subgroup run, no narrower or
 * wider subgroup, and no answer cached under older rules. Unreadable rows are skipped, not fatal.
 */
export async function listModelFindings(datasetId: number, subgroup: FindingSubgroup, limit = 2): Promise<ModelFinding[]> {
  // The configured back end's cache: on the cluster, PostgreSQL's, where every worker's fits are.
  const { q, modelCache } = storeOf(getDatabase());
  const rows = await q.select().from(modelCache).where(eq(modelCache.datasetId, datasetId)).orderBy(desc(modelCache.createdAt), desc(modelCache.key));
  const wanted = canonical(briefingSubgroup(subgroup));
  const findings: ModelFinding[] = [];
  for (const row of rows) {
    let specJson: unknown;
    let resultJson: unknown;
    try {
      specJson = JSON.parse(row.spec);
      resultJson = JSON.parse(row.result);
    } catch {
      continue;
    }
    const request = modelRequestSchema.safeParse(specJson);
    const output = outputSchema.safeParse(resultJson);
    if (!request.success || !output.success) continue;
    if (request.data.wave !== subgroup.wave) continue;
    if (!PRESET_SHAPES.has(canonical({ ...request.data, subgroup: null }))) continue;
    if (canonical(request.data.subgroup) !== wanted) continue;
    const result = resultSchema.safeParse(output.data.result);
    if (!result.success) continue;
    // The single-level fit when there is one, else the first (e.g. glmer_laplace).
    const fit = result.data.fits.glm ?? Object.values(result.data.fits)[0];
    if (!fit) continue;
    const family = request.data.type === 'logit' || request.data.type === 'ri_logit' ? 'binomial' : 'gaussian';
    findings.push({
      key: row.key,
      createdAt: row.createdAt,
      outcome: request.data.outcome,
      family,
      sentence: interpretationOf(request.data, fit),
      n: fit.n ?? null,
      terms: Object.entries(fit.coef)
        .filter(([term]) => term !== '(Intercept)')
        .map(([term, c]) => ({ term, estimate: c.estimate, ciLow: c.ci_lower ?? null, ciHigh: c.ci_upper ?? null, p: c.p ?? null })),
    });
    if (findings.length >= limit) break;
  }
  return findings;
}
