// R and Stata code that reproduces a model from the exported CSV (`npm run export -- --wave YEAR --out FILE`): the
// same derived variables, subgroup, reference levels, terms and SE type. Pure string building, no framework imports.
import { CITY_COLUMN, engineSpec, requestPredictors, type ModelRequest } from './request';
import { VARIABLES_BY_ID, type ModelVariable } from './variables';

export interface CodeContext {
  /** City codes in the subgroup when it is defined by region or tier (attributes the CSV does not carry). */
  cityCodes?: string[];
  /** For heterogeneity by region or tier: each city's group. */
  cityGroups?: Record<string, string>;
  datasetLabel: string;
  synthetic: boolean;
}

const csvName = (request: ModelRequest) => `cmds-${request.wave}.csv`;
const quote = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

function usedVariables(request: ModelRequest): ModelVariable[] {
  const ids = new Set([request.outcome, ...requestPredictors(request), ...request.interactions.flat(), ...(request.mediator ? [request.mediator] : [])]);
  return [...ids].map((id) => VARIABLES_BY_ID.get(id)).filter((v): v is ModelVariable => Boolean(v));
}

function rSubset(request: ModelRequest, context: CodeContext): string[] {
  const s = request.subgroup;
  const conditions: string[] = [];
  if (s.hukou !== 'all') conditions.push(`rural_hukou == ${s.hukou === 'rural' ? 1 : 0}`);
  if (s.range !== 'all') conditions.push(`migration_range == ${quote(s.range)}`);
  const cities = s.cities.length > 0 ? s.cities : s.region !== 'all' || s.tier !== 'all' ? (context.cityCodes ?? []) : [];
  if (cities.length > 0) conditions.push(`city_code %in% c(${cities.map(quote).join(', ')})`);
  if (s.sex !== 'all') conditions.push(`male == ${s.sex === 'male' ? 1 : 0}`);
  if (s.ageBand !== 'all') {
    const [low, high] = s.ageBand === '60+' ? [60, 200] : s.ageBand.split('-').map(Number);
    conditions.push(`age >= ${low} & age < ${(high as number) + (s.ageBand === '60+' ? 0 : 1)}`);
  }
  if (s.generation !== 'all') conditions.push(s.generation === 'born_1980_plus' ? 'birth_year >= 1980' : 'birth_year < 1980');
  return conditions.length > 0 ? [`d <- d[with(d, ${conditions.join(' & ')}), ]`] : [];
}

function rFormula(outcome: string, predictors: string[], interactions: string[][]): string {
  return `${outcome} ~ ${[...predictors, ...interactions.map((pair) => pair.join(':'))].join(' + ')}`;
}

/** R code for the request: base R + sandwich/lmtest for GLMs, lme4 for random-intercept models. */
export function rCode(request: ModelRequest, context: CodeContext): string {
  const spec = engineSpec(request) as unknown as Record<string, unknown>;
  const predictors = requestPredictors(request);
  const lines: string[] = [
    `# Reproduces the dashboard's ${request.type} model of ${request.outcome} (wave ${request.wave}) on ${context.datasetLabel}.`,
    ...(context.synthetic ? ['# The data are the SYNTHETIC demonstration dataset, not survey responses.'] : []),
    `# Data: npm run export -- --wave ${request.wave} --out ${csvName(request)}`,
    'suppressPackageStartupMessages({ library(sandwich); library(lmtest) })',
    `d <- read.csv(${quote(csvName(request))}, colClasses = c(city_code = "character"))`,
  ];
  for (const variable of usedVariables(request)) if (variable.r) lines.push(variable.r);
  lines.push(...rSubset(request, context));
  for (const variable of usedVariables(request)) {
    if (variable.kind === 'factor' && variable.reference) lines.push(`d$${variable.id} <- relevel(factor(d$${variable.id}), ref = ${quote(variable.reference)})`);
  }
  const interactions = request.interactions.map(([a, b]) => [a, b]);
  const formula = rFormula(request.outcome, predictors, interactions);
  const binomial = spec.family === 'binomial';
  const family = binomial ? 'binomial' : 'gaussian';
  // Expressions only (they go inside calls); the SE convention is stated once in a comment line.
  const vcovFor = (fit: string) => {
    if (request.se === 'cluster') return binomial ? `vcovCL(${fit}, cluster = ~${CITY_COLUMN}, type = "HC0", cadjust = TRUE)` : `vcovCL(${fit}, cluster = ~${CITY_COLUMN}, type = "HC1")`;
    if (request.se === 'robust') return binomial ? `vcovHC(${fit}, type = "HC0") * nobs(${fit}) / (nobs(${fit}) - 1)` : `vcovHC(${fit}, type = "HC1")`;
    return `vcov(${fit})`;
  };
  if (request.se === 'cluster') lines.push(`# SEs clustered by city as Stata's ${binomial ? 'logit' : 'regress'}, vce(cluster city_code) reports them.`);
  if (request.se === 'robust') lines.push(`# Robust SEs as Stata's vce(robust) reports them.`);
  switch (request.type) {
    case 'logit':
    case 'ols':
      lines.push(`fit <- glm(${formula}, family = ${family}, data = d)`);
      lines.push(`print(coeftest(fit, vcov. = ${vcovFor('fit')}), digits = 6)`);
      break;
    case 'ri_logit':
      lines.push('suppressPackageStartupMessages(library(lme4))');
      lines.push(`fit <- glmer(${formula} + (1 | ${CITY_COLUMN}), family = binomial, data = d, nAGQ = ${request.nAGQ})`);
      lines.push('print(cbind(estimate = fixef(fit), se = sqrt(diag(as.matrix(vcov(fit))))), digits = 6)');
      lines.push('print(VarCorr(fit)); print(logLik(fit))');
      break;
    case 'ri_linear':
      lines.push('suppressPackageStartupMessages(library(lme4))');
      lines.push(`fit <- lmer(${formula} + (1 | ${CITY_COLUMN}), data = d, REML = TRUE)`);
      lines.push('print(cbind(estimate = fixef(fit), se = sqrt(diag(as.matrix(vcov(fit))))), digits = 6)');
      lines.push('print(VarCorr(fit)); print(logLik(fit))');
      break;
    case 'heterogeneity': {
      if (request.groupBy === 'region' || request.groupBy === 'tier') {
        const groups = Object.entries(context.cityGroups ?? {});
        lines.push(`groups <- c(${groups.map(([code, group]) => `${quote(code)} = ${quote(group)}`).join(', ')})`);
        lines.push(`d$group <- unname(groups[d$${CITY_COLUMN}])`);
      } else if (request.groupBy === 'rural_hukou') lines.push('d$group <- ifelse(d$rural_hukou == 1, "rural", "urban")');
      else if (request.groupBy === 'male') lines.push('d$group <- ifelse(d$male == 1, "male", "female")');
      else if (request.groupBy === 'born_1980_plus') lines.push('d$group <- ifelse(d$birth_year >= 1980, "born_1980_plus", "born_before_1980")');
      else lines.push(`d$group <- d$${request.groupBy}`);
      lines.push('for (g in sort(unique(na.omit(d$group)))) {');
      lines.push(`  fit <- glm(${formula}, family = ${family}, data = d[!is.na(d$group) & d$group == g, ])`);
      lines.push(`  cat("\\n== ", g, "\\n"); print(coeftest(fit, vcov. = ${vcovFor('fit')})[${quote(request.keys[0] as string)}, , drop = FALSE], digits = 6)`);
      lines.push('}');
      lines.push(`pooled <- glm(${formula} + ${request.keys[0]}:factor(group), family = ${family}, data = d[!is.na(d$group), ])`);
      lines.push(`terms <- grep(${quote(`^${request.keys[0]}:factor`)}, names(coef(pooled)), value = TRUE)`);
      lines.push('# Test of equal effects: Wald test of the key x group interactions in the pooled model.');
      lines.push(`V <- ${vcovFor('pooled')}`);
      lines.push('stat <- drop(t(coef(pooled)[terms]) %*% solve(V[terms, terms]) %*% coef(pooled)[terms])');
      lines.push('cat(sprintf("Wald chi2(%d) = %.4f, p = %.4g\\n", length(terms), stat, pchisq(stat, length(terms), lower.tail = FALSE)))');
      break;
    }
    case 'mediation': {
      const covariates = predictors.filter((id) => id !== request.keys[0]);
      const mediatorFamily = VARIABLES_BY_ID.get(request.mediator ?? '')?.kind === 'binary' ? 'binomial' : 'gaussian';
      lines.push('# Baron-Kenny paths (the dashboard adds a percentile bootstrap of a*b with its own seeded generator).');
      lines.push(`total <- glm(${rFormula(request.outcome, [request.keys[0] as string, ...covariates], [])}, family = ${family}, data = d)`);
      lines.push(`a <- glm(${rFormula(request.mediator as string, [request.keys[0] as string, ...covariates], [])}, family = ${mediatorFamily}, data = d)`);
      lines.push(`b <- glm(${rFormula(request.outcome, [request.keys[0] as string, request.mediator as string, ...covariates], [])}, family = ${family}, data = d)`);
      lines.push(`print(coeftest(total, vcov. = ${vcovFor('total')})[${quote(request.keys[0] as string)}, ])`);
      lines.push(`print(coeftest(a, vcov. = ${vcovFor('a')})[${quote(request.keys[0] as string)}, ])`);
      lines.push(`print(coeftest(b, vcov. = ${vcovFor('b')})[c(${quote(request.keys[0] as string)}, ${quote(request.mediator as string)}), ])`);
      break;
    }
    case 'psm': {
      const covariates = predictors.filter((id) => id !== request.keys[0]);
      lines.push('# Propensity model as in the dashboard; the matching itself corresponds to');
      lines.push(`# MatchIt::matchit(${request.keys[0]} ~ ..., data = d, method = "nearest", distance = "glm", link = "linear.logit", caliper = 0.2, m.order = "largest", replace = FALSE)`);
      lines.push(`ps <- glm(${rFormula(request.keys[0] as string, covariates, [])}, family = binomial, data = d)`);
      lines.push('print(summary(ps)$coefficients, digits = 6)');
      break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Stata code for the request (Stata 15 or later). Factor levels and interactions are generated explicitly. */
export function stataCode(request: ModelRequest, context: CodeContext): string {
  const spec = engineSpec(request) as unknown as Record<string, unknown>;
  const predictors = requestPredictors(request);
  const lines: string[] = [
    `* Reproduces the dashboard's ${request.type} model of ${request.outcome} (wave ${request.wave}) on ${context.datasetLabel}.`,
    ...(context.synthetic ? ['* The data are the SYNTHETIC demonstration dataset, not survey responses.'] : []),
    `* Data: npm run export -- --wave ${request.wave} --out ${csvName(request)}`,
    `import delimited using "${csvName(request)}", clear encoding(utf-8) stringcols(2)`,
  ];
  for (const variable of usedVariables(request)) if (variable.stata) lines.push(variable.stata);
  const s = request.subgroup;
  const keep: string[] = [];
  if (s.hukou !== 'all') keep.push(`rural_hukou == ${s.hukou === 'rural' ? 1 : 0}`);
  if (s.range !== 'all') keep.push(`migration_range == "${s.range}"`);
  const cities = s.cities.length > 0 ? s.cities : s.region !== 'all' || s.tier !== 'all' ? (context.cityCodes ?? []) : [];
  if (cities.length > 0) keep.push(`inlist(city_code, ${cities.map((c) => `"${c}"`).join(', ')})`);
  if (s.sex !== 'all') keep.push(`male == ${s.sex === 'male' ? 1 : 0}`);
  if (s.generation !== 'all') keep.push(s.generation === 'born_1980_plus' ? 'birth_year >= 1980' : 'birth_year < 1980');
  if (keep.length > 0) lines.push(`keep if ${keep.join(' & ')}`);
  // Factors as explicit dummies named as R names them, so the output reads the same.
  const termNames = (id: string): string[] => {
    const variable = VARIABLES_BY_ID.get(id);
    if (variable?.kind !== 'factor') return [id];
    return (variable.levels ?? []).filter((level) => level !== variable.reference).map((level) => `${id}${level}`);
  };
  for (const variable of usedVariables(request)) {
    if (variable.kind !== 'factor') continue;
    for (const level of (variable.levels ?? []).filter((l) => l !== variable.reference)) {
      lines.push(`generate byte ${variable.id}${level} = ${variable.id} == "${level}" if ${variable.id} != ""`);
    }
  }
  const terms = predictors.flatMap(termNames);
  request.interactions.forEach(([a, b]) => {
    for (const left of termNames(a)) {
      for (const right of termNames(b)) {
        const name = `${left}_X_${right}`.slice(0, 32);
        lines.push(`generate double ${name} = ${left} * ${right}`);
        terms.push(name);
      }
    }
  });
  const binomial = spec.family === 'binomial';
  const vce = request.se === 'cluster' ? `vce(cluster ${CITY_COLUMN})` : request.se === 'robust' ? 'vce(robust)' : '';
  const options = vce ? `, ${vce}` : '';
  switch (request.type) {
    case 'logit':
    case 'ols':
      lines.push(`${binomial ? 'logit' : 'regress'} ${request.outcome} ${terms.join(' ')}${options}`);
      if (binomial) lines.push('margins, dydx(*)');
      break;
    case 'ri_logit':
      lines.push(`melogit ${request.outcome} ${terms.join(' ')} || ${CITY_COLUMN}:, ${request.nAGQ === 1 ? 'laplace' : `intpoints(${request.nAGQ})`}`);
      lines.push('estat icc');
      break;
    case 'ri_linear':
      lines.push(`mixed ${request.outcome} ${terms.join(' ')} || ${CITY_COLUMN}:, reml`);
      lines.push('estat icc');
      break;
    case 'heterogeneity':
      lines.push(`* One fit per level of ${request.groupBy}; for region or tier, merge the city list from the dashboard first.`);
      lines.push(`bysort ${request.groupBy === 'rural_hukou' || request.groupBy === 'male' ? request.groupBy : request.groupBy === 'born_1980_plus' ? 'birth_year' : request.groupBy}: ${binomial ? 'logit' : 'regress'} ${request.outcome} ${terms.join(' ')}${options}`);
      break;
    case 'mediation': {
      const key = request.keys[0] as string;
      const covariates = terms.filter((t) => t !== key);
      const mediatorBinary = VARIABLES_BY_ID.get(request.mediator ?? '')?.kind === 'binary';
      lines.push(`${binomial ? 'logit' : 'regress'} ${request.outcome} ${key} ${covariates.join(' ')}${options}`);
      lines.push(`${mediatorBinary ? 'logit' : 'regress'} ${request.mediator} ${key} ${covariates.join(' ')}${options}`);
      lines.push(`${binomial ? 'logit' : 'regress'} ${request.outcome} ${key} ${request.mediator} ${covariates.join(' ')}${options}`);
      break;
    }
    case 'psm': {
      const key = request.keys[0] as string;
      lines.push(`teffects psmatch (${request.outcome}) (${key} ${terms.filter((t) => t !== key).join(' ')}, logit), atet caliper(0.2)`);
      break;
    }
  }
  return `${lines.join('\n')}\n`;
}
