// Shared helpers for the import tests: fixture bytes and a readable form of cells.
import fs from 'node:fs';
import path from 'node:path';
import { MissingValue, type Cell, type SourceTable } from '@/lib/import/types';

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'import');

/**
 * The fixtures are extracts of a few dozen CMDS variables, so the default mapping's other variables are absent: tests
 * whose subject is not that refusal (item 7 of issue 13, tested in wrong-data.test.ts) allow every absent one.
 */
export const EXTRACT: { allowMissing: string[] } = { allowMissing: ['*'] };

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

/** Cells as plain values; missing values as 'missing:CODE:LABEL'. */
export function plain(cell: Cell): string | number | null {
  if (cell instanceof MissingValue) return `missing:${cell.code}${cell.label ? `:${cell.label}` : ''}`;
  return cell;
}

export function column(table: SourceTable, name: string): Array<string | number | null> {
  const index = table.variables.findIndex((v) => v.name === name);
  if (index < 0) throw new Error(`no variable ${name}`);
  return [...table.rows()].map((row) => plain(row[index] ?? null));
}

/** What every fixture holds (make-fixtures.R). */
export const EXPECTED = {
  id: ['A0001', 'A0002', 'A0003', 'A0004', 'A0005', 'A0006', 'A0007', 'A0008'],
  cityid: [440300, 440300, 110100, 110100, 510100, 510100, 440100, 440100],
  weight: [1.5, 2.25, 3, 3, 1, 1.125, 2, 2],
  q101c1y: [1985, 1990, 1978, 1995, 1969, 1988, 2000, 1983],
  q101j1: [1, 1, 2, 3, 1, 2, 3, 1],
  note: ['外出务工', '', '随迁家属', '经商', '务工', '', '学习培训', '其他原因'],
  hukouLabels: [
    [1, '农业'],
    [2, '非农业'],
    [3, '农业转居民'],
    [4, '非农业转居民'],
  ],
  migrationLabels: [
    [1, '跨省'],
    [2, '省内跨市'],
    [3, '市内跨县'],
  ],
};
