// Respondent records and their bulk insert, shared by the demonstration generator (db/demo) and the survey import
// (lib/import), so that the real-data path does not depend on the demo generator.
import { getTableColumns } from 'drizzle-orm';
import type { AppDatabase } from './client';
import { respondents } from './schema';

export type RespondentRecord = Omit<typeof respondents.$inferInsert, 'id' | 'datasetId'>;

/**
 * One prepared insert for a dataset's respondents (drizzle's builder is too slow for 170,000 rows). With `variables`,
 * only those columns are written and the others stay NULL (fewer values to bind per row).
 */
export function respondentInserter(
  db: AppDatabase,
  datasetId: number,
  variables?: ReadonlyArray<keyof RespondentRecord>,
): (record: RespondentRecord) => void {
  const columns = Object.entries(getTableColumns(respondents)).filter(
    ([key]) => key !== 'id' && (variables === undefined || key === 'datasetId' || variables.includes(key as keyof RespondentRecord)),
  );
  const sql = `INSERT INTO respondents (${columns.map(([, c]) => `"${c.name}"`).join(', ')}) VALUES (${columns
    .map(() => '?')
    .join(', ')})`;
  const statement = db.$client.prepare(sql);
  const keys = columns.map(([key]) => key);
  const values = new Array<string | number | null>(keys.length);
  return (record) => {
    const fields = record as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const value = key === 'datasetId' ? datasetId : fields[key];
      values[i] = value === undefined ? null : (value as string | number | null);
    }
    statement.run(values);
  };
}

/** Inserts respondent records with one prepared statement (only `variables`' columns when given). */
export function insertRespondents(
  db: AppDatabase,
  datasetId: number,
  records: Iterable<RespondentRecord>,
  variables?: ReadonlyArray<keyof RespondentRecord>,
): number {
  const insert = respondentInserter(db, datasetId, variables);
  let count = 0;
  for (const record of records) {
    insert(record);
    count += 1;
  }
  return count;
}
