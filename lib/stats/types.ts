// Shared types of the statistics engine: the model spec and result formats of shared/oracle/README.md (copied to
// tests/fixtures/oracle/README.md), used by the CLI, the tests and the app's server actions alike. No I/O here.

/** Columnar data: numeric columns as Float64Array (NaN = missing), string columns as arrays (null = missing). */
export interface DataTable {
  nrow: number;
  columns: Map<string, Float64Array | (string | null)[]>;
}

export type Family = 'binomial' | 'gaussian';
export type SeType = 'classical' | 'HC0' | 'HC1' | 'stata_robust' | 'CL0' | 'cluster' | 'CL_HC1';

export interface ModelSpec {
  /** Average marginal effects (logit and OLS fits): an extra field of the result. */
  margins?: boolean;
  /** false: compute only the requested SE type (se_variants then lists just it and the classical one). */
  all_se_variants?: boolean;
  family: Family;
  outcome: string;
  predictors: string[];
  interactions?: string[][];
  factors?: string[];
  reference?: Record<string, string>;
  cluster?: string | null;
  random_intercept?: string | null;
  weights?: string | null;
  se?: SeType;
  nAGQ?: number[];
  reml?: boolean[];
}

export interface MediationSpec {
  treatment: string;
  mediator: string;
  outcome: string;
  covariates: string[];
  outcome_family: Family;
  mediator_family: Family;
  boot_B: number;
  seed: number;
  rng?: 'mulberry32' | 'R' | (string & {});
  cluster?: string | null;
  weights?: string | null;
}

/** A design matrix built from a DataTable and a ModelSpec (see model-frame.ts). Row-major X, n x p. */
export interface ModelFrame {
  n: number;
  p: number;
  X: Float64Array;
  terms: string[];
  y: Float64Array;
  /** The outcome variable's name (for messages). */
  outcome?: string;
  /** Prior / probability weights, or null for unweighted. */
  weights: Float64Array | null;
  /** 0-based cluster index per row for cluster-robust SEs, or null. */
  cluster: Int32Array | null;
  clusterLevels: string[];
  /** The random-intercept grouping variable's name (for messages). */
  groupVariable?: string;
  /** 0-based random-intercept group index per row, or null. */
  group: Int32Array | null;
  groupLevels: string[];
  /** Row numbers (0-based, in the input table) that were used, after listwise deletion. */
  rowsUsed: Int32Array;
  /** Rows dropped for a missing value in any model variable. */
  nDroppedMissing: number;
  /** Terms dropped because they were constant or collinear (R reports them as NA). */
  aliased: string[];
  /** For each term (column of X), the variables it multiplies: numeric (level null) or a factor's indicator of a level. */
  termParts?: TermPart[][];
  /** Factor variables: their non-reference levels, and the reference level. */
  factorLevels?: Record<string, string[]>;
  factorReference?: Record<string, string>;
}

export interface TermPart {
  variable: string;
  level: string | null;
}

export interface CoefficientRow {
  estimate: number;
  se: number;
  stat: number;
  p: number;
  ci_lower: number;
  ci_upper: number;
}

export interface RandomInterceptSummary {
  group: string;
  n_groups: number;
  variance: number;
  sd: number;
  icc: number;
}

export interface FitResult {
  terms: string[];
  coef: Record<string, CoefficientRow>;
  loglik: number;
  aic: number;
  bic: number;
  n: number;
  converged: boolean;
  warnings: string[];
  random_intercept?: RandomInterceptSummary;
  se_type?: SeType;
  se_variants?: Record<string, Record<string, number>>;
  [extra: string]: unknown;
}

/** Output of a model spec: one fit per key (`glm`, `glmer_laplace`, `glmer_agq10`, `lmer_ml`, `lmer_reml`). */
export interface ModelResult {
  fits: Record<string, FitResult>;
}

/** A fit that cannot be done, with a message for the person who asked (too few cases, separation, ...). */
export class ModelError extends Error {
  constructor(
    public readonly code:
      | 'too_few_cases'
      | 'too_few_clusters'
      | 'constant_outcome'
      | 'separation'
      | 'not_converged'
      | 'unknown_variable'
      | 'invalid_spec',
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
