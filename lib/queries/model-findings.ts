// The latest cached model results for a subgroup (wave, hukou, migration range, optionally a city), for briefings.
// model_cache rows carry the spec and result as JSON; rows whose spec names no subgroup count as the whole wave.
import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDatabase } from '@/db/client';
import { modelCache } from '@/db/schema';
import { coefficientSentence } from '@/lib/models/interpret';

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
}

const specSchema = z
  .object({
    outcome: z.string(),
    family: z.string().default('model'),
    wave: z.coerce.number().optional(),
    hukou: z.string().optional(),
    range: z.string().optional(),
    migration_range: z.string().optional(),
    city: z.string().optional(),
    city_code: z.string().optional(),
    filters: z.record(z.string(), z.unknown()).optional(),
    // The model page's requests (lib/models/request.ts) keep their subgroup here.
    subgroup: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

const coefSchema = z.object({ estimate: z.number(), ci_lower: z.number().nullish(), ci_upper: z.number().nullish(), p: z.number().nullish() });
const fitSchema = z.object({ n: z.number().optional(), coef: z.record(z.string(), coefSchema) }).passthrough();
const resultSchema = z.object({ fits: z.record(z.string(), fitSchema) }).passthrough();

function subgroupOf(spec: z.infer<typeof specSchema>) {
  if (spec.subgroup) {
    const g = spec.subgroup as { hukou?: string; range?: string; cities?: string[]; region?: string; tier?: string; sex?: string; ageBand?: string; generation?: string };
    // Subgroups narrower than a briefing's filters (region, tier, sex, age, generation, several cities) never match.
    const narrower = [g.region, g.tier, g.sex, g.ageBand, g.generation].some((v) => v !== undefined && v !== 'all') || (g.cities?.length ?? 0) > 1;
    return { wave: spec.wave, hukou: narrower ? '(narrower)' : (g.hukou ?? 'all'), range: g.range ?? 'all', city: g.cities?.length === 1 ? (g.cities[0] as string) : null };
  }
  const filters = (spec.filters ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    wave: spec.wave ?? (typeof filters.wave === 'number' ? filters.wave : undefined),
    hukou: spec.hukou ?? text(filters.hukou) ?? 'all',
    range: spec.range ?? spec.migration_range ?? text(filters.range) ?? text(filters.migration_range) ?? 'all',
    city: spec.city_code ?? spec.city ?? text(filters.city_code) ?? text(filters.city) ?? null,
  };
}

/** The model page's sentence for a run's key variable (first of `keys`), when its fit has that term. */
function interpretationOf(spec: { type?: unknown; keys?: unknown; outcome: string }, fit: z.infer<typeof fitSchema>): { zh: string; en: string } | null {
  const key = Array.isArray(spec.keys) && typeof spec.keys[0] === 'string' ? spec.keys[0] : null;
  const row = key ? fit.coef[key] : undefined;
  if (!key || !row || row.ci_lower == null || row.ci_upper == null || row.p == null || fit.n === undefined) return null;
  const family = spec.type === 'logit' || spec.type === 'ri_logit' ? 'binomial' : 'gaussian';
  const cells = { estimate: row.estimate, ci_lower: row.ci_lower, ci_upper: row.ci_upper, p: row.p };
  const n = fit.n;
  return {
    zh: coefficientSentence({ locale: 'zh', key, outcome: spec.outcome, family, row: cells, n }),
    en: coefficientSentence({ locale: 'en', key, outcome: spec.outcome, family, row: cells, n }),
  };
}

/** Newest first; at most `limit` findings whose spec matches the subgroup. Unreadable rows are skipped, not fatal. */
export function listModelFindings(datasetId: number, subgroup: FindingSubgroup, limit = 2): ModelFinding[] {
  const rows = getDatabase().select().from(modelCache).where(eq(modelCache.datasetId, datasetId)).orderBy(desc(modelCache.createdAt), desc(modelCache.key)).all();
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
    const spec = specSchema.safeParse(specJson);
    // Model-page rows store the whole run (lib/models/run.ts) with the engine's result inside.
    const inner = typeof resultJson === 'object' && resultJson !== null && 'result' in resultJson ? (resultJson as { result: unknown }).result : resultJson;
    const result = resultSchema.safeParse(inner);
    if (!spec.success || !result.success) continue;
    const group = subgroupOf(spec.data);
    if (group.wave !== undefined && group.wave !== subgroup.wave) continue;
    if (group.hukou !== subgroup.hukou || group.range !== subgroup.range) continue;
    if (group.city !== null && group.city !== (subgroup.cityCode ?? null)) continue;
    // The single-level fit when there is one, else the first (e.g. glmer_laplace).
    const fit = result.data.fits.glm ?? Object.values(result.data.fits)[0];
    if (!fit) continue;
    findings.push({
      key: row.key,
      createdAt: row.createdAt,
      outcome: spec.data.outcome,
      family: spec.data.family,
      sentence: interpretationOf(spec.data as { type?: unknown; keys?: unknown; outcome: string }, fit),
      n: fit.n ?? null,
      terms: Object.entries(fit.coef)
        .filter(([term]) => term !== '(Intercept)')
        .map(([term, c]) => ({ term, estimate: c.estimate, ciLow: c.ci_lower ?? null, ciHigh: c.ci_upper ?? null, p: c.p ?? null })),
    });
    if (findings.length >= limit) break;
  }
  return findings;
}
