// Which indicators a wave has: those whose respondent variable holds at least one value in that wave's data, so an
// imported wave (2015, 2018, …) gets every indicator its file can support, and none it cannot.
import type { AppDatabase } from '@/db/client';
import { INDICATORS, type IndicatorDefinition } from './catalogue';

export function indicatorsInWave(db: AppDatabase, datasetId: number, wave: number): IndicatorDefinition[] {
  return INDICATORS.filter(
    (definition) =>
      db.$client.prepare(`SELECT 1 FROM respondents WHERE dataset_id = ? AND wave = ? AND "${definition.variable}" IS NOT NULL LIMIT 1`).get(datasetId, wave) !== undefined,
  );
}
