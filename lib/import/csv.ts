// Reader for CSV survey exports (RFC 4180 quoting; comma, tab or semicolon; UTF-8 with or without BOM, or GB18030 as
// Chinese Excel writes it). Pure: bytes in, a SourceTable out. Cells stay text; the mapping decides what they mean.
import { decodeText, detectEncoding, firstInvalidUtf8Offset, type TextEncoding } from './text';
import { SourceFileError, type Cell, type SourceTable, type SourceVariable } from './types';

export interface CsvReadOptions {
  /** 'auto' (default): UTF-8 when the bytes are valid UTF-8, else GB18030. */
  encoding?: TextEncoding | 'auto';
}

/** Records of a CSV text, each with the line it starts on (quoted fields may span lines). */
function* parseRecords(text: string, delimiter: string): Generator<{ fields: string[]; line: number }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new SourceFileError(`a quoted field that starts on line ${startLine} is never closed`, {});
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
          throw new SourceFileError(`line ${line}: text follows a closing quote (a stray " inside a field)`, {});
        }
      } else {
        let end = i;
        while (end < n && text[end] !== delimiter && text[end] !== '\n' && text[end] !== '\r') end++;
        field = text.slice(i, end);
        i = end;
      }
      fields.push(field);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    // Blank lines (a lone empty field) are skipped, as spreadsheets leave them at the end.
    if (!(fields.length === 1 && fields[0] === '')) yield { fields, line: startLine };
  }
}

function guessDelimiter(headerLine: string): string {
  const counts = [',', '\t', ';'].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return (counts[0] as readonly [string, number])[1] > 0 ? (counts[0] as readonly [string, number])[0] : ',';
}

export function readCsv(bytes: Uint8Array, options: CsvReadOptions = {}): SourceTable {
  let body = bytes;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom) body = bytes.subarray(3);
  const choice = options.encoding ?? 'auto';
  const encoding: TextEncoding = bom ? 'utf-8' : choice === 'auto' ? detectEncoding(body) : choice;
  if (encoding === 'utf-8') {
    const bad = firstInvalidUtf8Offset(body);
    if (bad >= 0) {
      const line = body.subarray(0, bad).reduce((count, byte) => count + (byte === 0x0a ? 1 : 0), 1);
      throw new SourceFileError(`line ${line} is not valid UTF-8 (byte ${bad + (bom ? 3 : 0)}); if the file was saved by Chinese Excel, choose GB18030`, {
        offset: bad,
        row: line - 1,
      });
    }
  }
  const text = decodeText(body, encoding);
  if (text.trim() === '') throw new SourceFileError('the file is empty');
  const delimiter = guessDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  const records = parseRecords(text, delimiter);
  const header = records.next();
  if (header.done) throw new SourceFileError('the file is empty');
  const names = header.value.fields.map((name) => name.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') throw new SourceFileError(`column ${i + 1} of the header has no name`, {});
    const before = seen.get(name.toLowerCase());
    if (before !== undefined) throw new SourceFileError(`the header names "${name}" twice (columns ${before + 1} and ${i + 1})`, { variable: name });
    seen.set(name.toLowerCase(), i);
  });

  const rows = function* (): Generator<Cell[]> {
    let row = 0;
    const parsed = parseRecords(text, delimiter);
    parsed.next(); // header
    for (const { fields, line } of parsed) {
      row++;
      if (fields.length !== names.length) {
        throw new SourceFileError(`row ${row} (line ${line}) has ${fields.length} fields but the header has ${names.length}`, { row });
      }
      yield fields.map((field) => (field.trim() === '' ? null : field.trim()));
    }
  };
  let rowCount = 0;
  for (const _ of rows()) rowCount++;

  const variables: SourceVariable[] = names.map((name) => ({ name, label: null, type: 'string', valueLabels: new Map() }));
  return { format: 'csv', encoding, fileLabel: null, variables, rowCount, rows };
}
