// The statistics engine and the model checks speak English with variable ids ("Dropped as constant or collinear (R
// reports NA): marital_statusfirst_married."). This maps each of their messages, by its fixed wording (the message's
// code), to a catalogue message in the interface language, with variables and terms by their labels. Pure: the
// model page runs it in the browser with the catalogue strings it was given.

/** A translator over the catalogue (models.* keys) and a labeller for variable ids and model terms. */
export interface EngineMessageContext {
  t: (key: string, vars?: Record<string, string | number>) => string;
  term: (term: string) => string;
  group?: (level: string) => string;
  join: string;
}

type Rule = { code: string; pattern: RegExp; vars?: (match: RegExpMatchArray, context: EngineMessageContext) => Record<string, string | number> };

const terms = (list: string, context: EngineMessageContext) =>
  list
    .split(/,\s*/)
    .map((term) => context.term(term.trim()))
    .join(context.join);

/** Ids inside parentheses, as the model checks write them: "Marital status (marital_status)". */
const ids = (text: string) => [...text.matchAll(/\(([a-z][a-z0-9_]*)\)/g)].map((m) => m[1] as string);

const RULES: readonly Rule[] = [
  // The request checks (lib/models/request.ts)
  { code: 'logitOutcome', pattern: /^A logit model needs a yes\/no outcome/ },
  { code: 'outcomeKind', pattern: /^The outcome must be numeric or yes\/no\.$/ },
  { code: 'needMediator', pattern: /^Mediation needs a mediator\.$/ },
  { code: 'mediatorKind', pattern: /^The mediator must be numeric or yes\/no\.$/ },
  { code: 'mediatorDiffers', pattern: /^The mediator must differ from the outcome and the treatment\.$/ },
  { code: 'psmTreatment', pattern: /^Matching needs a yes\/no treatment/ },
  { code: 'needGroupBy', pattern: /^Heterogeneity needs a grouping variable\.$/ },
  { code: 'keyKind', pattern: /^The first key variable must be numeric or yes\/no/ },
  { code: 'needKey', pattern: /^Choose at least one key explanatory variable\.$/ },
  { code: 'interactionSame', pattern: /^An interaction needs two different variables\.$/ },
  { code: 'outcomePredictor', pattern: /^The outcome cannot also be a predictor\.$/ },
  { code: 'notInWave', pattern: /^"([a-z0-9_]+)" was not asked in the (\d{4}) wave\.$/, vars: (m, c) => ({ variable: c.term(m[1]!), wave: m[2]! }) },
  { code: 'unknownVariable', pattern: /^Unknown variable "(.+)"\.$/, vars: (m) => ({ variable: m[1]! }) },
  // The fit line (lib/jobs/pool.ts)
  { code: 'timeout', pattern: /^The model took longer than (\d+) s and was stopped\.$/, vars: (m) => ({ seconds: m[1]! }) },
  { code: 'workerCrashed', pattern: /^The model worker stopped unexpectedly/ },
  // The cluster back end (lib/jobs/pg/fit-jobs.ts): the retries ran out
  { code: 'datasetMissing', pattern: /^Dataset version \d+ is not published in PostgreSQL/ },
  { code: 'workerLost', pattern: /^The model worker stopped while fitting this request (\d+) times?/, vars: (m) => ({ attempts: m[1]! }) },
  // Refusals (errors)
  { code: 'twoClusters', pattern: /^Cluster-robust standard errors need at least two clusters\.$/ },
  { code: 'twoGroups', pattern: /^A random intercept needs at least two groups\.$/ },
  { code: 'tooFewCases', pattern: /^Too few complete cases for the coefficients of this model/ },
  { code: 'separation', pattern: /separates the outcome/ },
  { code: 'subgroupSmall', pattern: /^The subgroup has fewer than (\d+) respondents/, vars: (m) => ({ min: m[1]! }) },
  { code: 'constantVariable', pattern: /takes a single value in this subgroup/, vars: (m, c) => ({ variable: c.term(ids(m.input ?? '')[0] ?? '') }) },
  { code: 'analysisSmall', pattern: /^After leaving out respondents with a missing answer, fewer than (\d+) respondents remain/, vars: (m) => ({ min: m[1]! }) },
  { code: 'categorySmall', pattern: /^(?:One of the two values of|A category of) .* has fewer than (\d+) respondents/, vars: (m, c) => ({ variable: c.term(ids(m.input ?? '')[0] ?? ''), min: m[1]! }) },
  { code: 'interactionSmall', pattern: /^A combination of .* has fewer than (\d+) respondents/, vars: (m, c) => ({ a: c.term(ids(m.input ?? '')[0] ?? ''), b: c.term(ids(m.input ?? '')[1] ?? ''), min: m[1]! }) },
  { code: 'treatmentSmall', pattern: /^The (?:treated or the control|treatment) group has fewer than (\d+) respondents/, vars: (m) => ({ min: m[1]! }) },
  { code: 'groupSmall', pattern: /^A group of the heterogeneity analysis has fewer than (\d+) respondents/, vars: (m) => ({ min: m[1]! }) },
  { code: 'residualDf', pattern: /^The model has too many coefficients for this subgroup: fewer than (\d+) residual/, vars: (m) => ({ min: m[1]! }) },
  { code: 'constantOutcome', pattern: /takes only one value in these data/ },
  { code: 'mediatorDropped', pattern: /^The mediator .* was dropped from the outcome model/ },
  { code: 'fewPairs', pattern: /treated units found a control within the caliper\.$/ },
  { code: 'matchingGroups', pattern: /^Matching needs treated and control units/ },
  { code: 'notConverged', pattern: /did not converge|not positive definite|diverged/ },
  { code: 'singular', pattern: /singular|Singular/ },
  // Warnings
  { code: 'listwise', pattern: /^(\d+) rows with missing values were left out \(listwise deletion\)\.$/, vars: (m) => ({ count: Number(m[1]).toLocaleString() }) },
  { code: 'aliased', pattern: /^Dropped as constant or collinear \(R reports NA\): (.+)\.$/, vars: (m, c) => ({ terms: terms(m[1]!, c) }) },
  { code: 'fewClusters', pattern: /^Only (\d+) clusters: cluster-robust SEs may be unreliable\.$/, vars: (m) => ({ count: m[1]! }) },
  { code: 'boundary', pattern: /^boundary \(singular\) fit/ },
  { code: 'fewGroups', pattern: /^Only (\d+) groups: the random-intercept variance is poorly determined\.$/, vars: (m) => ({ count: m[1]! }) },
  {
    code: 'groupsSkipped',
    pattern: /^Not estimated separately: (.+)\. They are left out of the tests of equal effects\.$/,
    // "east (Fewer than 30 complete cases (12).)": the group's name only; its size is not repeated (disclosure).
    vars: (m, c) => ({ groups: m[1]!.split('; ').map((part) => (c.group ?? ((level: string) => level))(part.replace(/\s*\(.*$/, ''))).join(c.join) }),
  },
  { code: 'heterogeneityClustered', pattern: /^The test of equal effects uses the single-level model with SEs clustered on/ },
  { code: 'interactionsAliased', pattern: /^Only (\d+) of (\d+) interaction terms could be estimated/, vars: (m) => ({ estimated: m[1]!, total: m[2]! }) },
  { code: 'bootstrapFailed', pattern: /^(\d+) of (\d+) bootstrap resamples could not be fitted/, vars: (m) => ({ failed: m[1]!, total: m[2]! }) },
  { code: 'treatmentCoding', pattern: /^The treatment is not coded 0\/1/ },
  { code: 'unmatched', pattern: /^(\d+) of (\d+) treated units had no control within the caliper/, vars: (m) => ({ unmatched: m[1]!, treated: m[2]! }) },
  { code: 'balance', pattern: /^Balance is incomplete: the largest standardised mean difference after matching is ([\d.]+)/, vars: (m) => ({ smd: m[1]! }) },
  { code: 'psmAliased', pattern: /^Dropped from the propensity model as constant or collinear: (.+)\.$/, vars: (m, c) => ({ terms: terms(m[1]!, c) }) },
];

/** The code of an engine message (its rule), or null when the wording is not known. */
export function engineMessageCode(text: string): string | null {
  return RULES.find((rule) => rule.pattern.test(text.trim()))?.code ?? null;
}

/** An engine message in the interface language; an unknown one is said to be the engine's, not passed off as ours. */
export function describeEngineMessage(text: string, context: EngineMessageContext): string {
  const trimmed = text.trim();
  for (const rule of RULES) {
    const match = trimmed.match(rule.pattern);
    if (match) return context.t(`models.engine.${rule.code}`, rule.vars?.(match, context));
  }
  return context.t('models.engine.unknown', { text: trimmed });
}

/** Every rule's code: the catalogue must have a models.engine.<code> message for each (tests/models). */
export const ENGINE_MESSAGE_CODES: readonly string[] = [...RULES.map((rule) => rule.code), 'unknown'];
