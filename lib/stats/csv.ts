// Reads comma-separated text into a columnar DataTable: a column is numeric when every non-empty value parses as a
// number; empty cells and "NA" are missing. Handles quoted fields with commas, quotes and newlines.
import type { DataTable } from './types';

export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const isMissing = (value: string) => value === '' || value === 'NA';

export function readCsv(text: string): DataTable {
  const rows = parseCsvRows(text.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  if (!header) throw new Error('The CSV file is empty.');
  const columns = new Map<string, Float64Array | (string | null)[]>();
  header.forEach((name, c) => {
    const raw = rows.map((r) => r[c] ?? '');
    const numeric = raw.every((v) => isMissing(v) || Number.isFinite(Number(v)));
    columns.set(name, numeric ? Float64Array.from(raw, (v) => (isMissing(v) ? NaN : Number(v))) : raw.map((v) => (isMissing(v) ? null : v)));
  });
  return { nrow: rows.length, columns };
}
