// Where a downloaded table or chart comes from: dataset version, wave, filters, disclosure rule, source, citation and,
// while it applies, the synthetic-data notice. Pure: the page builds it on the server, the download buttons print it.
import type { Translator } from '@/lib/i18n/messages';

export interface ProvenanceInput {
  /** '' leaves the title line out (a client adds its own) */
  title: string;
  dataset: { id: number; label: string; kind: 'synthetic' | 'imported' | string };
  wave: number | string | null;
  /** The filters in words, already translated; empty for none. */
  filters: readonly string[] | null;
  minN: number;
  /** The page's path with its query (what a reader opens to see the same figures). */
  page: string;
  /** ISO date of the download page's rendering (UTC). */
  date: string;
}

/** One line per fact, in the interface language; the CSV prints them as "# line" and the images as a caption. */
export function provenanceLines(input: ProvenanceInput, t: Translator, locale: 'zh' | 'en'): string[] {
  const synthetic = input.dataset.kind !== 'imported';
  const lines: string[] = [];
  if (input.title) lines.push(t('provenance.title', { title: input.title }));
  lines.push(t('provenance.dataset', { label: input.dataset.label, version: input.dataset.id }));
  if (input.wave !== null) lines.push(t('provenance.wave', { wave: input.wave }));
  if (input.filters !== null) lines.push(t('provenance.filters', { filters: input.filters.length ? input.filters.join(locale === 'zh' ? '、' : ', ') : t('provenance.none') }));
  lines.push(t('provenance.suppression', { min: input.minN }));
  lines.push(synthetic ? t('provenance.sourceSynthetic') : t('provenance.source'));
  lines.push(t('provenance.citation', { label: input.dataset.label, version: input.dataset.id, page: input.page, date: input.date }));
  if (synthetic) lines.push(t('synthetic.banner'));
  return lines;
}

/** A file name that says what the file is: ASCII words joined by "_", e.g. comparison_health_record_2017_rural. */
export function downloadFileBase(parts: ReadonlyArray<string | number | null | undefined>): string {
  return parts
    .filter((p): p is string | number => p !== null && p !== undefined && String(p) !== '')
    .map((p) => String(p).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .join('_');
}

const quote = (value: string) => (/[",\r\n#]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * A table as CSV with the provenance block on top ("# …" lines, then an empty line), UTF-8 with a byte-order mark so
 * Excel reads Chinese. The cells are the strings the page shows, so the file's numbers are the page's.
 */
export function tableCsv(provenance: readonly string[], header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const lines = [...provenance.map((line) => quote(`# ${line.replace(/[\r\n]+/g, ' ')}`)), '', header.map(quote).join(','), ...rows.map((row) => row.map(quote).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Reads the provenance block and the table back from tableCsv's output (for tests and re-imports). */
export function parseTableCsv(text: string): { provenance: string[]; header: string[]; rows: string[][] } {
  const body = text.replace(/^\uFEFF/, '');
  const records = parseCsvRecords(body);
  const provenance: string[] = [];
  let index = 0;
  for (; index < records.length; index++) {
    const record = records[index]!;
    if (record.length === 1 && record[0]!.startsWith('# ')) provenance.push(record[0]!.slice(2));
    else break;
  }
  while (index < records.length && records[index]!.length === 1 && records[index]![0] === '') index++;
  const [header = [], ...rows] = records.slice(index);
  return { provenance, header, rows: rows.filter((r) => !(r.length === 1 && r[0] === '')) };
}

function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r') continue;
    else if (c === '\n') record.push(field), records.push(record), (record = []), (field = '');
    else field += c;
  }
  if (field !== '' || record.length) record.push(field), records.push(record);
  return records;
}

/** The download buttons' texts, with what they download in the group's accessible name. */
export function downloadLabels(t: Translator, what: string) {
  return {
    group: t('download.group', { what }),
    csv: t('download.csv'),
    png: t('download.png'),
    svg: t('download.svg'),
    csvLong: `${t('download.csvLong')}: ${what}`,
    pngLong: `${t('download.pngLong')}: ${what}`,
    svgLong: `${t('download.svgLong')}: ${what}`,
    failed: t('download.failed'),
  };
}

/** Today's date in UTC as YYYY-MM-DD, for the citation line. */
export const downloadDate = () => new Date().toISOString().slice(0, 10);

/** The provenance of one page's downloads, given each download's title. */
export function provenanceFor(base: Omit<ProvenanceInput, 'title' | 'date'>, t: Translator, locale: 'zh' | 'en'): (title: string) => string[] {
  const date = downloadDate();
  return (title) => provenanceLines({ ...base, title, date }, t, locale);
}
