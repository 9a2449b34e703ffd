// Engine warnings and refusals in the interface language (issue 16, defect 5): each known wording maps to a catalogue
// message in both languages, with terms by their labels and without raw variable ids.
import { describe, expect, test } from 'vitest';
import { MESSAGES, translator } from '@/lib/i18n/messages';
import { ENGINE_MESSAGE_CODES, describeEngineMessage, engineMessageCode } from '@/lib/models/engine-messages';
import { variableLabel } from '@/lib/models/variables';
import { givenUpError } from '@/lib/jobs/pg/fit-jobs';
import { datasetMissingError } from '@/lib/jobs/pg/worker';

function context(locale: 'zh' | 'en') {
  const t = translator(locale) as (key: string, vars?: Record<string, string | number>) => string;
  const term = (id: string) => (id === 'marital_statusfirst_married' ? (locale === 'zh' ? '婚姻状况: 初婚' : 'Marital status: first marriage') : variableLabel(id, locale));
  return { t, term, group: (level: string) => (level === 'east' ? (locale === 'zh' ? '东部' : 'East') : level), join: locale === 'zh' ? '、' : ', ' };
}

const SNAKE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;

test('every rule has a message in both catalogues', () => {
  for (const code of ENGINE_MESSAGE_CODES) {
    expect(MESSAGES.zh, code).toHaveProperty(`models.engine.${code}`);
    expect(MESSAGES.en, code).toHaveProperty(`models.engine.${code}`);
  }
});

describe.each(['zh', 'en'] as const)('in %s', (locale) => {
  const samples = [
    'Cluster-robust standard errors need at least two clusters.',
    'Dropped as constant or collinear (R reports NA): marital_statusfirst_married, ethnic_minority.',
    '120 rows with missing values were left out (listwise deletion).',
    'Not estimated separately: east (Fewer than 30 complete cases (12).). They are left out of the tests of equal effects.',
    'A category of Marital status (marital_status) has fewer than 10 respondents in this subgroup, so the model could describe individuals. Widen the subgroup or leave the variable out.',
    'Balance is incomplete: the largest standardised mean difference after matching is 0.142 (> 0.1).',
    'The model took longer than 120 s and was stopped.',
    'A logit model needs a yes/no outcome; choose OLS or a linear model for this one.',
    '"health_record" was not asked in the 2014 wave.',
    // The cluster back end's message for a job whose retries ran out
    givenUpError(3, 2).message,
    datasetMissingError(4).message,
  ];
  test.each(samples)('%s', (sample) => {
    expect(engineMessageCode(sample)).not.toBeNull();
    const text = describeEngineMessage(sample, context(locale));
    expect(text).not.toMatch(SNAKE);
    if (locale === 'zh') expect(text).toMatch(/[\u4e00-\u9fff]/);
  });

  test('a skipped heterogeneity group is named without its exact size', () => {
    const text = describeEngineMessage('Not estimated separately: east (Fewer than 30 complete cases (12).). They are left out of the tests of equal effects.', context(locale));
    expect(text).not.toContain('12');
    expect(text).toContain(locale === 'zh' ? '东部' : 'East');
  });
});

test('an unknown wording is passed on as the engine’s, not dropped', () => {
  expect(engineMessageCode('Something new happened.')).toBeNull();
  expect(describeEngineMessage('Something new happened.', context('en'))).toBe('The model engine said: Something new happened.');
});
