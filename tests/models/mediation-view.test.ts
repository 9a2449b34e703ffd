// The model page's mediation result, rendered on the server: the counterfactual effects with their bootstrap CIs lead,
// a·b and its CI appear only when both models are linear, and a logit outcome's KHB table is labelled as such.
import fs from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, test } from 'vitest';
import { ModelResultView } from '@/components/models/model-result';
import en from '@/lib/i18n/messages/en.json';
import type { ModelRunOutput } from '@/lib/models/run';
import { readCsv } from '@/lib/stats/csv';
import { fitMediation } from '@/lib/stats/mediation';
import type { DataTable, Family, MediationSpec } from '@/lib/stats/types';

const full = readCsv(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'data.csv'), 'utf8'));
const table: DataTable = { nrow: 3000, columns: new Map([...full.columns].map(([name, column]) => [name, column.slice(0, 3000)] as const)) };
const messages = en as Record<string, string>;
const t = (key: string) => messages[key] ?? key;

function render(mediatorFamily: Family, outcomeFamily: Family, mediator: string, outcome: string): string {
  const spec: MediationSpec = { treatment: 'social_part', mediator, outcome, covariates: ['female', 'age'], mediator_family: mediatorFamily, outcome_family: outcomeFamily, boot_B: 50, seed: 1, rng: 'mulberry32' };
  const output = {
    datasetId: 1,
    request: { type: 'mediation', keys: ['social_part'], mediator, outcome, controls: [], interactions: [], wave: 2017 },
    spec,
    subgroupRows: 3000,
    droppedControls: [],
    result: fitMediation(table, spec),
    durationMs: 1,
  } as unknown as ModelRunOutput;
  return renderToStaticMarkup(createElement(ModelResultView, { output, locale: 'en', t, labelOf: (id: string) => id, dataset: { label: 'test', synthetic: true }, cityCodes: [], cities: [] }));
}

test('binary mediator: effects with CIs and the logit-scale label, no a·b row', () => {
  const html = render('binomial', 'gaussian', 'insured', 'y_cont');
  expect(html).toContain('data-testid="mediation-effects"');
  expect(html).toContain(messages['models.effect.acme_avg']);
  expect(html).toContain('Model coefficients (logit models on the log-odds scale');
  expect(html).not.toContain(messages['models.indirect']);
  expect(html).toContain('(average causal mediation effect)');
});

test('both models linear: Baron-Kenny paths with a·b and its bootstrap CI', () => {
  const html = render('gaussian', 'gaussian', 'trust', 'y_cont');
  expect(html).toContain(messages['models.paths']);
  expect(html).toContain(messages['models.indirect']);
});

test('logit outcome: the KHB table is labelled as the logit-scale decomposition', () => {
  const html = render('gaussian', 'binomial', 'trust', 'y');
  expect(html).toContain(messages['models.khb']);
  expect(html).toContain('percentage points');
});
