// Loads the embedded synthetic demonstration data (2014 eight-city module + 2017 national wave) into a new dataset
// version, with its indicators, in one transaction: a setup that is interrupted leaves no half-loaded dataset.
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../client';
import { insertRespondents } from '../respondents';
import { datasets, waves } from '../schema';
import { insertGeography } from '../geography';
import { generateModule2014 } from './module-2014';
import { generateNational2017 } from './national-2017';
import { TREND_WAVES, insertTrendWave } from './national-waves';
import { computeIndicators, type IndicatorSummary } from '../../lib/indicators/precompute';

export interface DemonstrationLoadSummary {
  datasetId: number;
  respondents: Record<number, number>;
  indicatorCells: number;
  suppressedCells: number;
  /** Cells hidden by primary and by secondary suppression, per wave (printed by setup). */
  indicatorSummary: IndicatorSummary;
  ms: number;
}

/**
 * Drops a table's indexes and returns a function that creates them again (the same SQL, read from sqlite_schema).
 * An index built after a bulk load is sorted once and packed; grown row by row it is a fifth larger.
 */
function suspendIndexes(db: AppDatabase, table: string): () => void {
  const indexes = db.$client
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .all(table) as Array<{ name: string; sql: string }>;
  for (const index of indexes) db.$client.exec(`DROP INDEX "${index.name}"`);
  return () => {
    for (const index of indexes) db.$client.exec(index.sql);
  };
}

export function loadDemonstrationData(db: AppDatabase, log: (line: string) => void = () => undefined): DemonstrationLoadSummary {
  const started = Date.now();
  log('Generating the synthetic 2014 eight-city module …');
  const module2014 = generateModule2014();
  log('Generating the synthetic 2017 national wave …');
  const national2017 = generateNational2017();

  const run = db.$client.transaction(() => {
    insertGeography(db);
    const [dataset] = db
      .insert(datasets)
      .values({
        label: 'Synthetic demonstration data (calibrated to published CMDS figures)',
        kind: 'synthetic',
        sourceFile: 'embedded generator (db/demo)',
        notes: 'Synthetic respondents generated from published marginals and model coefficients; not survey responses.',
      })
      .returning({ id: datasets.id })
      .all();
    if (!dataset) throw new Error('Could not create the dataset row.');
    const datasetId = dataset.id;
    const restoreRespondentIndexes = suspendIndexes(db, 'respondents');
    log(`Inserting ${[module2014, national2017].map((r) => r.length.toLocaleString('en')).join(' + ')} respondents …`);
    const counts: Record<number, number> = {
      2014: insertRespondents(db, datasetId, module2014),
      2017: insertRespondents(db, datasetId, national2017),
    };
    // One wave at a time, so that only one wave's records are in memory; only the trend waves' stored variables.
    for (const calibration of TREND_WAVES) {
      log(`Generating and inserting the synthetic ${calibration.year} national wave (trends, ${calibration.publishedN.toLocaleString('en')} respondents) …`);
      counts[calibration.year] = insertTrendWave(db, datasetId, calibration);
    }
    db.insert(waves)
      .values([
        { datasetId, year: 2014, label: '2014 social-integration module (8 cities)', design: 'module_2014_eight_cities', respondentCount: counts[2014] ?? 0 },
        { datasetId, year: 2017, label: '2017 national wave', design: 'national', respondentCount: counts[2017] ?? 0 },
        ...TREND_WAVES.map(({ year }) => ({ datasetId, year, label: `${year} national wave (trend: indicator variables only)`, design: 'national', respondentCount: counts[year] ?? 0 })),
      ])
      .run();
    restoreRespondentIndexes();
    log('Computing survey-weighted indicators …');
    const restoreIndicatorIndexes = [suspendIndexes(db, 'indicators'), suspendIndexes(db, 'equity_measures')];
    const indicatorSummary = computeIndicators(db, datasetId);
    for (const restore of restoreIndicatorIndexes) restore();
    db.update(datasets).set({ active: false }).where(eq(datasets.active, true)).run();
    db.update(datasets)
      .set({ active: true, status: 'ready', rowCount: Object.values(counts).reduce((a, b) => a + b, 0), finishedAt: new Date(), activatedAt: new Date() })
      .where(eq(datasets.id, datasetId))
      .run();
    return { datasetId, counts, indicatorSummary };
  });
  const { datasetId, counts, indicatorSummary } = run();
  return {
    datasetId,
    respondents: counts,
    indicatorCells: indicatorSummary.cells,
    suppressedCells: indicatorSummary.suppressed,
    indicatorSummary,
    ms: Date.now() - started,
  };
}
