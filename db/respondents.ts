// Respondent records and their bulk insert, shared by the demonstration generator (db/demo) and the survey import
// (lib/import), so that the real-data path does not depend on the demo generator.
import { getTableColumns } from 'drizzle-orm';
import type { AppDatabase } from './client';
import { respondents } from './schema';

export type RespondentRecord = Omit<typeof respondents.$inferInsert, 'id' | 'datasetId'>;

/** One prepared insert for a dataset's respondents (drizzle's builder is too slow for 170,000 rows). */
export function respondentInserter(db: AppDatabase, datasetId: number): (record: RespondentRecord) => void {
  const columns = Object.entries(getTableColumns(respondents)).filter(([key]) => key !== 'id');
  const sql = `INSERT INTO respondents (${columns.map(([, c]) => `"${c.name}"`).join(', ')}) VALUES (${columns
    .map(() => '?')
    .join(', ')})`;
  const statement = db.$client.prepare(sql);
  return (record) => {
    const values = columns.map(([key]) => {
      if (key === 'datasetId') return datasetId;
      const value = (record as Record<string, unknown>)[key];
      return value === undefined ? null : (value as string | number | null);
    });
    statement.run(values);
  };
}

/** Inserts respondent records with one prepared statement. */
export function insertRespondents(db: AppDatabase, datasetId: number, records: Iterable<RespondentRecord>): number {
  const insert = respondentInserter(db, datasetId);
  let count = 0;
  for (const record of records) {
    insert(record);
    count += 1;
  }
  return count;
}
