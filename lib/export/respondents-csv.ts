// Writes one wave's respondent microdata as CSV (canonical snake_case header, RFC 4180 quoting), row by row, so
// that the 170,000-row national wave never sits in memory as one string. Used by db/export.ts; testable on its own.
import 'server-only';
import { getTableColumns } from 'drizzle-orm';
import type { AppDatabase } from '../../db/client';
import { respondents } from '../../db/schema';

export type CsvValue = string | number | bigint | null | undefined;

/** One CSV field: quoted only when it holds a comma, quote, CR or LF; NULL is the empty field. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

// Design and geography first (what every analysis needs), then the survey variables in schema order.
const LEADING_COLUMNS = ['wave', 'city_code', 'city_name_zh', 'city_name_en', 'stratum', 'psu', 'weight'] as const;
const NOT_EXPORTED = new Set(['id', 'dataset_id', 'wave', 'city_code', 'stratum', 'psu', 'weight']);

export class ExportError extends Error {}

export interface RespondentsCsvOptions {
  wave: number;
  /** Defaults to the active dataset. */
  datasetId?: number;
  /** Only the respondents of this city (six-digit code). */
  cityCode?: string;
  /** Rows are buffered into chunks of about this many characters before each write. */
  chunkChars?: number;
}

export interface RespondentsCsvSummary {
  datasetId: number;
  rows: number;
  columns: string[];
}

/** The active dataset's id, or an ExportError when none is active. */
export function activeDatasetId(db: AppDatabase): number {
  const row = db.$client.prepare('SELECT id FROM datasets WHERE active = 1 ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined;
  if (!row) throw new ExportError('No active dataset in the database: run `npm run setup` first.');
  return row.id;
}

/**
 * Streams the wave's respondents to `write` as CSV. Variables that are NULL for every respondent of the wave (for
 * example the 2017-only health items in the 2014 module) are left out, so each wave exports only what it asked.
 */
export function writeRespondentsCsv(db: AppDatabase, options: RespondentsCsvOptions, write: (chunk: string) => void): RespondentsCsvSummary {
  const sqlite = db.$client;
  const datasetId = options.datasetId ?? activeDatasetId(db);
  const count = sqlite.prepare('SELECT count(*) AS n FROM respondents WHERE dataset_id = ? AND wave = ?').get(datasetId, options.wave) as { n: number };
  const cityFilter = options.cityCode === undefined ? '' : ' AND r.city_code = ?';
  const cityArgs = options.cityCode === undefined ? [] : [options.cityCode];
  if (count.n === 0) {
    const available = sqlite.prepare('SELECT DISTINCT wave FROM respondents WHERE dataset_id = ? ORDER BY wave').all(datasetId) as Array<{ wave: number }>;
    throw new ExportError(
      `Wave ${options.wave} has no respondents in dataset ${datasetId}; available waves: ${available.map((w) => w.wave).join(', ') || 'none'}.`,
    );
  }

  const variableNames = Object.values(getTableColumns(respondents))
    .map((column) => column.name)
    .filter((name) => !NOT_EXPORTED.has(name));
  // One aggregate pass finds the columns with at least one value (count() skips NULLs).
  const counts = sqlite
    .prepare(`SELECT ${variableNames.map((name, i) => `count("${name}") AS c${i}`).join(', ')} FROM respondents WHERE dataset_id = ? AND wave = ?`)
    .get(datasetId, options.wave) as Record<string, number>;
  const presentVariables = variableNames.filter((_, i) => (counts[`c${i}`] ?? 0) > 0);
  const columns = [...LEADING_COLUMNS, ...presentVariables];

  const select = sqlite
    .prepare(
      `SELECT r.wave, r.city_code, c.name_zh, c.name_en, r.stratum, r.psu, r.weight${presentVariables.map((name) => `, r."${name}"`).join('')}
       FROM respondents r LEFT JOIN cities c ON c.code = r.city_code
       WHERE r.dataset_id = ? AND r.wave = ?${cityFilter} ORDER BY r.id`,
    )
    .raw(true);

  const chunkChars = options.chunkChars ?? 1 << 16;
  let buffer = formatCsvRow(columns);
  let rows = 0;
  for (const values of select.iterate(datasetId, options.wave, ...cityArgs) as IterableIterator<CsvValue[]>) {
    buffer += formatCsvRow(values);
    rows += 1;
    if (buffer.length >= chunkChars) {
      write(buffer);
      buffer = '';
    }
  }
  if (buffer.length > 0) write(buffer);
  return { datasetId, rows, columns };
}
