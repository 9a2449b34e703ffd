// Opens a survey file by its format (from the name, confirmed by the first bytes) and gives its sha256, so the CLI
// and the admin page read files the same way.
import { createHash } from 'node:crypto';
import { readCsv } from './csv';
import { readSpss } from './spss';
import { readStata } from './stata';
import type { TextEncoding } from './text';
import { SourceFileError, type SourceFormat, type SourceTable } from './types';

export const SURVEY_FILE_EXTENSIONS = ['.csv', '.dta', '.sav'] as const;

export interface ReadOptions {
  /** CSV: 'auto' or a text encoding; .dta ≤ 117 and .sav without an encoding record: used for their strings. */
  encoding?: TextEncoding | 'auto';
}

export function formatOf(fileName: string, bytes: Uint8Array): SourceFormat {
  const head = String.fromCharCode(...bytes.subarray(0, 11));
  if (head.startsWith('$FL2') || head.startsWith('$FL3')) return 'sav';
  if (head === '<stata_dta>') return 'dta';
  const extension = fileName.toLowerCase().slice(fileName.lastIndexOf('.'));
  if (extension === '.sav' || extension === '.zsav') return 'sav';
  if (extension === '.dta') return 'dta';
  if (extension === '.csv' || extension === '.txt' || extension === '.tsv') return 'csv';
  throw new SourceFileError(`the file name should end in .csv, .dta or .sav (got "${fileName}")`);
}

export function readSurveyFile(fileName: string, bytes: Uint8Array, options: ReadOptions = {}): SourceTable {
  const format = formatOf(fileName, bytes);
  const encoding = options.encoding && options.encoding !== 'auto' ? options.encoding : undefined;
  if (format === 'sav') return readSpss(bytes, encoding ? { encoding } : {});
  if (format === 'dta') return readStata(bytes, encoding ? { encoding } : {});
  return readCsv(bytes, { encoding: options.encoding ?? 'auto' });
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
