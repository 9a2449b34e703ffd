// Where a downloaded table or chart comes from: dataset version, wave, filters, disclosure rule, source, citation and,
// while it applies, the synthetic-data notice. Pure: the page builds it on the server, the download buttons print it.
import type { Translator } from '@/lib/i18n/messages';

export interface ProvenanceInput {
  /** '' leaves the title line out (a client adds its own) */
  title: string;
  dataset: { id: number; label: string; kind: 'synthetic' | 'imported' | (string & {}) };
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
 * A note as a CSV comment line: "# " at the very start and on one line, never quoted, so that readers told about
 * comments skip it whole (R's comment.char, pandas' comment). Data fields holding '#' are quoted (see quote), and a
 * '#' inside quotes is data to both readers, so no data line is ever taken for a note.
 */
export const csvCommentLine = (line: string) => `# ${line.replace(/[\r\n]+/g, ' ')}`;

/**
 * A table as CSV: the notes first (how to read the file, then the provenance), each a "# " comment line, then the
 * header and the rows; UTF-8 with a byte-order mark so Excel reads Chinese. R reads it with
 * read.csv(file, comment.char = "#", fileEncoding = "UTF-8-BOM") and pandas with read_csv(file, comment="#"), with no
 * skip count to keep in step with the block's length. The cells are the strings the page shows.
 */
export function tableCsv(provenance: readonly string[], header: readonly string[], rows: ReadonlyArray<readonly string[]>, readingNote?: string): string {
  const notes = [...(readingNote ? [readingNote] : []), ...provenance].map(csvCommentLine);
  const lines = [...notes, header.map(quote).join(','), ...rows.map((row) => row.map(quote).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Reads the notes ("# " lines, as R and pandas skip them) and the table back from a CSV download (tests, re-imports). */
export function parseTableCsv(text: string): { provenance: string[]; header: string[]; rows: string[][] } {
  const { comments, records } = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const [header = [], ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
  return { provenance: comments.map((line) => line.replace(/^# ?/, '')), header, rows };
}

function parseCsvRecords(text: string): { comments: string[]; records: string[][] } {
  const records: string[][] = [];
  const comments: string[] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '#' && field === '' && record.length === 0) {
      // A comment line: '#' opening a line outside quotes, skipped to its end (as comment.char does).
      const end = text.indexOf('\n', i);
      comments.push(text.slice(i, end === -1 ? undefined : end).replace(/\r$/, ''));
      i = end === -1 ? text.length : end;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return { comments, records };
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
    csvReading: t('download.csvReading'),
  };
}

/** Today's date in UTC as YYYY-MM-DD, for the citation line. */
export const downloadDate = () => new Date().toISOString().slice(0, 10);

/** The provenance of one page's downloads, given each download's title. */
export function provenanceFor(base: Omit<ProvenanceInput, 'title' | 'date'>, t: Translator, locale: 'zh' | 'en'): (title: string) => string[] {
  const date = downloadDate();
  return (title) => provenanceLines({ ...base, title, date }, t, locale);
}
