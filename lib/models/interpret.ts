// One honest sentence under each result, in Chinese and English: size, direction and uncertainty of the key effect,
// with the n it rests on, and no causal wording the observational design does not support. Pure functions.
import { VARIABLES_BY_ID, variableLabel } from './variables';

export type Locale = 'zh' | 'en';

interface Row {
  estimate: number;
  ci_lower: number;
  ci_upper: number;
  p: number;
}

const fixed = (x: number, digits = 2) => x.toFixed(digits);
/** Lower-cases a label's first letter for use mid-sentence, leaving acronyms (ISP, BPHS, OLS) alone. */
const midSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label);
const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** How a 0/1 key variable reads as the contrast it is ("having a health record", not "each unit of health record"). */
const BINARY_CONTRASTS: Readonly<Record<string, { zh: string; en: string }>> = {
  health_record: { zh: '建立了居民健康档案的受访者（与未建立者相比）', en: 'having a health record (compared with not having one)' },
  health_education_any: { zh: '接受过健康教育的受访者（与未接受者相比）', en: 'having received any health education (compared with none)' },
  insurance_any: { zh: '参加了医疗保险的受访者（与未参保者相比）', en: 'having medical insurance (compared with having none)' },
  insurance_local: { zh: '在流入地参保的受访者（与未在流入地参保者相比）', en: 'being insured in the city of residence (compared with not)' },
  social_participation: { zh: '参与社会组织的受访者（与未参与者相比）', en: 'taking part in social organisations (compared with not)' },
  good_community: { zh: '居住在较好社区的受访者（与其他社区相比）', en: 'living in a good community (compared with other communities)' },
};

/** The subject of the sentence: the contrast of a 0/1 variable, or one unit more of a continuous one. */
export function keyContrast(key: string, locale: Locale): string {
  const keyName = variableLabel(key, locale);
  if (VARIABLES_BY_ID.get(key)?.kind === 'binary') {
    const known = BINARY_CONTRASTS[key];
    if (known) return known[locale];
    return locale === 'zh' ? `“${keyName}”为是的受访者（与为否者相比）` : `being “${midSentence(keyName)}” (compared with not)`;
  }
  return locale === 'zh' ? `${keyName}每增加一个单位` : `each unit of ${midSentence(keyName)}`;
}

export function coefficientSentence(options: {
  locale: Locale;
  key: string;
  outcome: string;
  family: 'binomial' | 'gaussian';
  row: Row;
  n: number;
  ame?: Row | null;
  multilevel?: boolean;
}): string {
  const { locale, key, outcome, family, row, n, ame } = options;
  const subject = keyContrast(key, locale);
  const outcomeName = variableLabel(outcome, locale);
  const clear = row.ci_lower > 0 || row.ci_upper < 0;
  const up = row.estimate > 0;
  if (family === 'binomial') {
    const or = Math.exp(row.estimate);
    const orLow = Math.exp(row.ci_lower);
    const orHigh = Math.exp(row.ci_upper);
    const ameText = ame
      ? locale === 'zh'
        ? `，平均边际效应为 ${fixed(ame.estimate * 100, 1)} 个百分点（95% CI ${fixed(ame.ci_lower * 100, 1)} 至 ${fixed(ame.ci_upper * 100, 1)}）`
        : `; the average marginal effect is ${fixed(ame.estimate * 100, 1)} percentage points (95% CI ${fixed(ame.ci_lower * 100, 1)} to ${fixed(ame.ci_upper * 100, 1)})`
      : '';
    if (locale === 'zh') {
      return `在 ${n.toLocaleString('zh-CN')} 名受访者中，${subject}，${outcomeName}的发生比${clear ? (up ? '较高' : '较低') : '变化不明确'}（OR = ${fixed(or)}，95% CI ${fixed(orLow)}–${fixed(orHigh)}，${pText(row.p)}）${ameText}。${clear ? '' : '置信区间包含 1，数据与无关联相符。'}这是横断面数据中的关联，不能单独证明因果关系。`;
    }
    return `Among ${n.toLocaleString('en')} respondents, ${subject} goes with ${clear ? (up ? 'higher' : 'lower') : 'no clearly different'} odds of ${midSentence(outcomeName)} (OR ${fixed(or)}, 95% CI ${fixed(orLow)}–${fixed(orHigh)}, ${pText(row.p)})${ameText}.${clear ? '' : ' The interval includes 1: the data are consistent with no association.'} This is an association in cross-sectional data and does not by itself show cause and effect.`;
  }
  if (locale === 'zh') {
    return `在 ${n.toLocaleString('zh-CN')} 名受访者中，${subject}，${outcomeName}平均${up ? '高' : '低'} ${fixed(Math.abs(row.estimate))}（95% CI ${fixed(row.ci_lower)} 至 ${fixed(row.ci_upper)}，${pText(row.p)}）。${clear ? '' : '置信区间包含 0，数据与无差异相符。'}这是关联而非因果效应。`;
  }
  return `Among ${n.toLocaleString('en')} respondents, ${subject} goes with a ${fixed(Math.abs(row.estimate))}-point ${up ? 'higher' : 'lower'} ${midSentence(outcomeName)} on average (95% CI ${fixed(row.ci_lower)} to ${fixed(row.ci_upper)}, ${pText(row.p)}).${clear ? '' : ' The interval includes 0: the data are consistent with no difference.'} This is an association, not a causal effect.`;
}

/**
 * The counterfactual reading of a mediation run (mediation::mediate's effects, averaged over the treated and control
 * versions): the mediated part (ACME) with its bootstrap CI, the total effect and the share mediated. These effects
 * are on the outcome's scale (percentage points for a binary outcome) and ACME + ADE = total, whatever the models'
 * links; a·b is not used here because with a logit model it is on the log-odds scale.
 */
export function mediationSentence(options: {
  locale: Locale;
  key: string;
  mediator: string;
  outcome: string;
  outcomeFamily: 'binomial' | 'gaussian';
  acme: number;
  ciLower: number;
  ciUpper: number;
  total: number;
  proportion: number;
  n: number;
}): string {
  const { locale, acme, ciLower, ciUpper, total, proportion, n } = options;
  // A result cached before the effects had bootstrap CIs has none: the sentence then gives the estimate alone.
  const hasCi = Number.isFinite(ciLower) && Number.isFinite(ciUpper);
  const clear = !hasCi || ciLower > 0 || ciUpper < 0;
  const key = variableLabel(options.key, locale);
  const mediator = variableLabel(options.mediator, locale);
  const outcome = variableLabel(options.outcome, locale);
  const binary = options.outcomeFamily === 'binomial';
  // A binary outcome's effects are differences in probability: shown in percentage points.
  const scale = binary ? 100 : 1;
  const digits = binary ? 1 : 3;
  const value = (x: number) => fixed(x * scale, digits);
  const share = Number.isFinite(proportion) && total !== 0;
  if (locale === 'zh') {
    const unit = binary ? ' 个百分点' : '';
    return `在 ${n.toLocaleString('zh-CN')} 名受访者中，${key}对${outcome}的效应中经由${mediator}的部分（平均因果中介效应）为 ${value(acme)}${unit}${hasCi ? `（自助法 95% CI ${value(ciLower)} 至 ${value(ciUpper)}）` : ''}，总效应为 ${value(total)}${unit}${share ? `，中介比例约 ${fixed(proportion * 100, 0)}%` : ''}。${clear ? '' : '置信区间包含 0，中介作用不明确。'}中介分析假定不存在未测量的混杂，结果应视为描述性证据。`;
  }
  const unit = binary ? ' percentage points' : '';
  return `Among ${n.toLocaleString('en')} respondents, the part of the effect of ${midSentence(key)} on ${midSentence(outcome)} that runs through ${midSentence(mediator)} (average causal mediation effect) is ${value(acme)}${unit}${hasCi ? ` (bootstrap 95% CI ${value(ciLower)} to ${value(ciUpper)})` : ''}, of a total effect of ${value(total)}${unit}${share ? `: about ${fixed(proportion * 100, 0)}% is mediated` : ''}.${clear ? '' : ' The interval includes 0: mediation is not clearly shown.'} Mediation assumes no unmeasured confounding; read it as descriptive evidence.`;
}

export function matchingSentence(options: { locale: Locale; key: string; outcome: string; att: number; se: number; pairs: number }): string {
  const { locale, att, se, pairs } = options;
  const low = att - 1.959964 * se;
  const high = att + 1.959964 * se;
  const key = variableLabel(options.key, locale);
  const outcome = variableLabel(options.outcome, locale);
  if (locale === 'zh') {
    return `按可观测特征匹配 ${pairs.toLocaleString('zh-CN')} 对后，${key}组的${outcome}平均${att >= 0 ? '高' : '低'} ${fixed(Math.abs(att))}（95% CI ${fixed(low)} 至 ${fixed(high)}）。匹配只平衡了已观测的特征，未观测的差异仍可能存在。`;
  }
  return `After matching ${pairs.toLocaleString('en')} pairs on observed characteristics, ${midSentence(outcome)} is ${fixed(Math.abs(att))} ${att >= 0 ? 'higher' : 'lower'} on average among those with ${midSentence(key)} (95% CI ${fixed(low)} to ${fixed(high)}). Matching balances only what was observed; unobserved differences may remain.`;
}

/**
 * The subgroup comparison as the Wald test states it: a joint test of the hypothesis that the key variable's effect is
 * the same in every group, with its chi-squared, degrees of freedom and p. A small p says the effects are not all
 * equal; it does not say which groups differ, so the sentence names no group as different.
 */
export function heterogeneitySentence(options: {
  locale: Locale;
  key: string;
  groups: Array<{ level: string; estimate: number | null }>;
  test: { statistic: number; df: number; p: number } | null;
  labels: Record<string, string>;
}): string {
  const { locale, test } = options;
  const estimated = options.groups.filter((g) => g.estimate !== null) as Array<{ level: string; estimate: number }>;
  if (estimated.length < 2) return locale === 'zh' ? '可估计的分组少于两个，无法比较。' : 'Fewer than two groups could be estimated, so no comparison is possible.';
  const sorted = [...estimated].sort((a, b) => a.estimate - b.estimate);
  const low = sorted[0]!;
  const high = sorted[sorted.length - 1]!;
  const key = variableLabel(options.key, locale);
  const name = (level: string) => options.labels[level] ?? level;
  const range =
    locale === 'zh'
      ? `${key}的系数在各组中从 ${fixed(low.estimate)}（${name(low.level)}）到 ${fixed(high.estimate)}（${name(high.level)}）。`
      : `The coefficient of ${midSentence(key)} ranges from ${fixed(low.estimate)} (${name(low.level)}) to ${fixed(high.estimate)} (${name(high.level)}).`;
  if (!test) return locale === 'zh' ? `${range}各组效应相等的联合检验不可用。` : `${range} The joint test that the effects are equal in every group is not available.`;
  const stat = `χ²(${test.df}) = ${fixed(test.statistic)}, ${pText(test.p)}`;
  if (locale === 'zh') {
    return `${range}Wald 联合检验（原假设：各组效应相等）：${stat}。${
      test.p < 0.05 ? '在 5% 水平上拒绝“各组效应全部相等”，即各组效应并不都相同；该检验不说明具体哪些组之间存在差异。' : '在 5% 水平上不能拒绝“各组效应全部相等”，数据与各组效应相同相符。'
    }`;
  }
  return `${range} A Wald test of the joint hypothesis that the effect is equal in every group gives ${stat}: ${
    test.p < 0.05
      ? 'at the 5% level the hypothesis is rejected, so the effects are not all equal; the test does not say which groups differ.'
      : 'at the 5% level the hypothesis is not rejected, so the data are consistent with the same effect in every group.'
  }`;
}
