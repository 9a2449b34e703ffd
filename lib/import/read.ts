// Opens a survey file by its format (from the name, confirmed by the first bytes) and gives its sha256, so the CLI
// and the admin page read files the same way.
import { createHash } from 'node:crypto';
import { readCsv } from './csv';
import { readSpss } from './spss';
import { readStata } from './stata';
import type { TextEncoding } from './text';
import { SourceFileError, type SourceFormat, type SourceTable } from './types';

export interface ReadOptions {
  /** CSV: 'auto' or a text encoding; .dta ≤ 117 and .sav without an encoding record: used for their strings. */
  encoding?: TextEncoding | 'auto';
}

/** Files people export by mistake, recognised by their bytes whatever their name, with what to do instead. */
function refuseOtherFormats(bytes: Uint8Array): void {
  const latin = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (latin(0, 4) === 'PK\u0003\u0004') {
    // A zip archive: an Excel workbook holds xl/… entries, whose names appear in the local file headers.
    const names = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1 << 20))).toString('latin1');
    if (names.includes('xl/') || names.includes('[Content_Types].xml')) {
      throw new SourceFileError('this is an Excel workbook (.xlsx, a zip archive with xl/ entries), not a CSV; in Excel choose File → Save As → "CSV UTF-8 (Comma delimited)" and import that file');
    }
    throw new SourceFileError('this is a zip archive, not a survey file; unzip it and import the .dta, .sav or .csv inside');
  }
  if (latin(0, 8) === '\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1') {
    throw new SourceFileError('this is an old Excel workbook (.xls), not a CSV; in Excel choose File → Save As → "CSV UTF-8 (Comma delimited)" and import that file');
  }
  const bom16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  // UTF-16 without a BOM: every other byte of ASCII text is zero.
  let zeros = 0;
  const sample = Math.min(bytes.length, 400);
  for (let i = 0; i < sample; i++) if (bytes[i] === 0) zeros++;
  if (bom16 || (sample >= 20 && zeros > sample / 4 && latin(0, 4) !== '$FL2' && latin(0, 4) !== '$FL3')) {
    throw new SourceFileError('this is UTF-16 text (as Excel\'s "Unicode Text" or SPSS/Stata exports on Windows write it), not UTF-8 or GB18030; export it again as "CSV UTF-8", or as .dta/.sav');
  }
}

export function formatOf(fileName: string, bytes: Uint8Array): SourceFormat {
  const head = String.fromCharCode(...bytes.subarray(0, 11));
  if (head.startsWith('$FL2') || head.startsWith('$FL3')) return 'sav';
  if (head === '<stata_dta>') return 'dta';
  const extension = fileName.toLowerCase().slice(fileName.lastIndexOf('.'));
  if (extension === '.sav' || extension === '.zsav') return 'sav';
  if (extension === '.dta') return 'dta';
  if (bytes.length > 0 && extension !== '.dta') refuseOtherFormats(bytes);
  if (extension === '.csv' || extension === '.txt' || extension === '.tsv') return 'csv';
  if (extension === '.xlsx' || extension === '.xls') {
    throw new SourceFileError('Excel workbooks are not read; in Excel choose File → Save As → "CSV UTF-8 (Comma delimited)" and import that file');
  }
  throw new SourceFileError(`the file name should end in .csv, .dta, .sav or .zsav (got "${fileName}")`);
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
