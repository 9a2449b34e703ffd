// Runs a survey spec in the oracle's format (tests/fixtures/oracle/README.md): the design, then proportions and means,
// overall or by group, with Wald and logit intervals, and the spec's svyglm logits.
import { byteOrder, labelColumn, numericColumn } from './columns';
import { createSurveyDesign, LONELY_PSU_OPTIONS, logitInterval, surveyMean, waldInterval, type LonelyPsu, type SurveyDesign } from './survey';
import { fitSurveyLogit, type SurveyGlmSpec } from './survey-glm';
import { ModelError, type DataTable } from './types';

export interface SurveySpec {
  ids: string;
  /** null: no strata (a one-stage cluster sample). */
  strata: string | null;
  weights: string;
  nest?: boolean;
  lonely_psu?: LonelyPsu;
  proportions?: Array<{ var: string; by: string | null }>;
  means?: Array<{ var: string; by: string | null }>;
  svyglm?: SurveyGlmSpec[];
}

interface EstimateRow {
  level: string;
  estimate: number;
  se: number;
  ci_wald_z: [number, number];
  ci_wald_t: [number, number];
  ci_logit?: [[number, number]];
  n_unweighted: number;
  sum_weights: number;
}

function estimateRows(design: SurveyDesign, table: DataTable, variable: string, kind: 'proportion' | 'mean', domain?: (i: number) => boolean): EstimateRow[] {
  const column = table.columns.get(variable);
  const categorical = kind === 'proportion' && column !== undefined && !(column instanceof Float64Array);
  const targets: Array<{ level: string; values: Float64Array }> = [];
  if (categorical) {
    const labels = labelColumn(table, variable);
    const levels = [...new Set(labels.filter((v): v is string => v !== null))].sort(byteOrder);
    for (const level of levels) {
      targets.push({ level, values: Float64Array.from(labels, (v) => (v === null ? NaN : v === level ? 1 : 0)) });
    }
  } else {
    targets.push({ level: variable, values: numericColumn(table, variable) });
  }
  return targets.map(({ level, values }) => {
    const result = surveyMean(design, values, domain);
    const z = waldInterval(result.estimate, result.se, null);
    const t = waldInterval(result.estimate, result.se, design.df);
    const row: EstimateRow = {
      level,
      estimate: result.estimate,
      se: result.se,
      ci_wald_z: [z.lower, z.upper],
      ci_wald_t: [t.lower, t.upper],
      n_unweighted: result.n_unweighted,
      sum_weights: result.sum_weights,
    };
    if (kind === 'proportion') {
      const logit = logitInterval(result.estimate, result.se, design.df);
      row.ci_logit = [[logit.lower, logit.upper]];
    }
    return row;
  });
}

/** Runs the proportions, means and svyglm logits of a survey spec. */
export function runSurveySpec(table: DataTable, spec: SurveySpec) {
  const lonelyPsu = spec.lonely_psu ?? 'adjust';
  if (!LONELY_PSU_OPTIONS.includes(lonelyPsu)) throw new ModelError('invalid_spec', `lonely_psu must be one of ${LONELY_PSU_OPTIONS.join(', ')}; got "${String(lonelyPsu)}".`);
  const design = createSurveyDesign(
    numericColumn(table, spec.weights),
    spec.strata ? labelColumn(table, spec.strata) : null,
    labelColumn(table, spec.ids),
    { lonelyPsu, names: { weights: spec.weights, strata: spec.strata ?? undefined, ids: spec.ids } },
  );
  if (spec.nest === false && spec.strata) {
    // Without nest, PSU labels must already be unique across strata (svydesign stops otherwise).
    const strataOf = new Map<string, string | null>();
    const strata = labelColumn(table, spec.strata);
    const ids = labelColumn(table, spec.ids);
    for (let i = 0; i < table.nrow; i++) {
      const seen = strataOf.get(String(ids[i]));
      if (seen === undefined) strataOf.set(String(ids[i]), strata[i] ?? null);
      else if (seen !== strata[i]) throw new ModelError('invalid_spec', `PSU ${ids[i]} of "${spec.ids}" occurs in more than one stratum: set "nest": true if PSU labels restart within each stratum.`);
    }
  }
  const run = (items: Array<{ var: string; by: string | null }> | undefined, kind: 'proportion' | 'mean') =>
    (items ?? []).map((item) => {
      if (!item.by) return { var: item.var, by: null, kind, overall: estimateRows(design, table, item.var, kind) };
      const groups = labelColumn(table, item.by);
      const levels = [...new Set(groups.filter((v): v is string => v !== null))].sort(byteOrder);
      return {
        var: item.var,
        by: item.by,
        kind,
        groups: levels.map((group) => ({ group, estimates: estimateRows(design, table, item.var, kind, (i) => groups[i] === group) })),
      };
    });
  return {
    design: { n_psu: design.nPsu, n_strata: design.nStrata, design_df: design.df },
    proportions: run(spec.proportions, 'proportion'),
    means: run(spec.means, 'mean'),
    svyglm: (spec.svyglm ?? []).map((model) => fitSurveyLogit(design, table, model)),
  };
}
