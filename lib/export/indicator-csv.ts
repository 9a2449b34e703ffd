// The comparison table as CSV: the same cells the page shows (rounded, hidden cells as words and "n < 30"), each row
// with its status; the notes (how to read it, provenance, legend, synthetic-data notice) as "# " lines on top.
// Pure: strings in, a string out.
import type { IndicatorDefinition } from '@/lib/indicators/catalogue';
import { formatEstimate, formatSampleSize, formatValue } from '@/lib/indicators/format';
import type { Translator } from '@/lib/i18n/messages';
import type { PublicCell } from '@/lib/disclosure/publish';
import { csvCommentLine } from './provenance';

export interface CsvCityRow extends PublicCell {
  cityCode: string;
  name: string;
  province: string;
}

// A field holding '#' is quoted too, so that no data line starts with the comment character.
const quote = (value: string) => (/[",\r\n#]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function comparisonCsv(options: {
  rows: readonly CsvCityRow[];
  definition: IndicatorDefinition;
  locale: 'zh' | 'en';
  t: Translator;
  minN: number;
  title: string;
  synthetic: boolean;
  /** the provenance block (lib/export/provenance.ts), printed as "# …" comment lines above the table */
  provenance?: readonly string[];
}): string {
  const { rows, definition, locale, t, minN } = options;
  const header = [t('table.city'), 'city_code', t('table.province'), t('table.estimate'), `${t('table.ci')} low`, `${t('table.ci')} high`, t('table.n'), t('table.share'), 'status', 'unreliable'];
  // Every note is a "# " comment line above the header (how to read the file, the provenance, the legend), so that
  // read.csv(file, comment.char = "#", fileEncoding = "UTF-8-BOM") and pandas read_csv(file, comment="#") read the
  // table with no skip count, and nothing follows the last row.
  const legend = [t('disclosure.legendPrimary', { min: minN }), t('disclosure.legendSecondary'), t('disclosure.legendUnreliable')];
  const notes = [t('download.csvReading'), ...(options.provenance?.length ? options.provenance : [options.title]), ...legend];
  if (options.synthetic && !notes.includes(t('synthetic.banner'))) notes.push(t('synthetic.banner'));
  const lines = [...notes.map(csvCommentLine), header.map(quote).join(',')];
  for (const row of rows) {
    const hidden = row.status !== 'published';
    const statusText = row.status === 'primary' ? t('table.suppressed', { min: minN }) : hidden ? t('disclosure.secondary') : '';
    lines.push(
      [
        row.name,
        row.cityCode,
        row.province,
        hidden ? statusText : formatEstimate(row.estimate, definition.kind, locale, row.unreliable),
        hidden ? '' : formatValue(row.ciLow, definition.kind, locale),
        hidden ? '' : formatValue(row.ciHigh, definition.kind, locale),
        formatSampleSize(row, locale, minN),
        hidden || row.weightedShare === null ? '' : `${(row.weightedShare * 100).toFixed(1)}%`,
        row.status === 'unpublished' ? 'secondary' : row.status,
        row.unreliable ? 'yes' : '',
      ]
        .map(quote)
        .join(','),
    );
  }
  // A byte-order mark so that Excel opens the Chinese text as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
