// Reader for Stata .dta files, formats 113–115 (Stata 8–13's binary layout) and 117–119 (Stata 13–15+'s tagged
// layout), written against Stata's published "dta" file-format description. Pure: bytes in, a SourceTable out.
// Keeps value labels and the extended missing values '.', '.a' … '.z' (with their labels) so nothing is lost.
import { ByteCursor } from './binary';
import { decodeText, isValidUtf8, untilNul } from './text';
import { MissingValue, SourceFileError, type Cell, type SourceTable, type SourceVariable } from './types';

type StataType = { kind: 'str'; width: number } | { kind: 'strL' } | { kind: 'byte' | 'int' | 'long' | 'float' | 'double' };

const WIDTH: Record<'byte' | 'int' | 'long' | 'float' | 'double', number> = { byte: 1, int: 2, long: 4, float: 4, double: 8 };

export interface StataReadOptions {
  /** Encoding of strings in formats ≤ 117 (Stata 14+ writes UTF-8). Default: each string UTF-8 if valid, else GB18030. */
  encoding?: string;
}

function oldType(code: number, variable: number): StataType {
  if (code >= 1 && code <= 244) return { kind: 'str', width: code };
  const map: Record<number, StataType['kind']> = { 251: 'byte', 252: 'int', 253: 'long', 254: 'float', 255: 'double' };
  const kind = map[code];
  if (!kind) throw new SourceFileError(`variable ${variable + 1} has an unknown storage type code ${code}`);
  return { kind } as StataType;
}

function newType(code: number, variable: number): StataType {
  if (code >= 1 && code <= 2045) return { kind: 'str', width: code };
  if (code === 32768) return { kind: 'strL' };
  const map: Record<number, StataType['kind']> = { 65526: 'double', 65527: 'float', 65528: 'long', 65529: 'int', 65530: 'byte' };
  const kind = map[code];
  if (!kind) throw new SourceFileError(`variable ${variable + 1} has an unknown storage type code ${code}`);
  return { kind } as StataType;
}

function cellWidth(type: StataType): number {
  if (type.kind === 'str') return type.width;
  if (type.kind === 'strL') return 8;
  return WIDTH[type.kind];
}

/** '.' for index 0, '.a' … '.z' for 1 … 26. */
function missingCode(index: number): string {
  return index <= 0 ? '.' : `.${String.fromCharCode(96 + Math.min(index, 26))}`;
}

// Value-label tables key extended missing values by the long type's codes: 2,147,483,621 is '.', then '.a' ….
const LONG_MISSING_BASE = 2_147_483_621;

export function readStata(bytes: Uint8Array, options: StataReadOptions = {}): SourceTable {
  const cursor = new ByteCursor(bytes);
  if (bytes.length === 0) throw new SourceFileError('the file is empty');
  const tagged = bytes.length >= 11 && String.fromCharCode(...bytes.subarray(0, 11)) === '<stata_dta>';
  let release: number;
  let K: number;
  let N: number;
  let fileLabelBytes: Uint8Array;
  let types: StataType[];
  let names: string[];
  let labelSetNames: string[];
  let variableLabels: Array<Uint8Array>;
  let dataStart: number;
  let dataEnd: number;
  let valueLabelStart: number;
  let strlsStart = -1;

  // Formats ≤ 117 do not record their encoding: one is chosen for the whole file once every string has been seen
  // (UTF-8 if all are valid UTF-8, else GB18030), since a short GB18030 string such as 农业 can pass as UTF-8 alone.
  let encoding: string | null = options.encoding ?? null;
  const decode = (raw: Uint8Array): string => decodeText(untilNul(raw), encoding ?? (release >= 118 ? 'utf-8' : 'latin1'));

  if (tagged) {
    cursor.expect('<stata_dta>');
    cursor.expect('<header>');
    cursor.expect('<release>');
    release = Number(cursor.ascii(3, 'the release number'));
    if (release !== 117 && release !== 118 && release !== 119) {
      throw new SourceFileError(`this is a Stata file of format ${Number.isNaN(release) ? 'unknown' : release}; formats 113–115 and 117–119 can be read`);
    }
    cursor.expect('</release>');
    cursor.expect('<byteorder>');
    const order = cursor.ascii(3, 'the byte order');
    if (order !== 'LSF' && order !== 'MSF') throw new SourceFileError(`unknown byte order "${order}"`);
    cursor.littleEndian = order === 'LSF';
    cursor.expect('</byteorder>');
    cursor.expect('<K>');
    K = release === 119 ? cursor.u32('the number of variables') : cursor.u16('the number of variables');
    cursor.expect('</K>');
    cursor.expect('<N>');
    N = release === 117 ? cursor.u32('the number of observations') : cursor.u64('the number of observations');
    cursor.expect('</N>');
    cursor.expect('<label>');
    const labelLength = release === 117 ? cursor.u8('the data label length') : cursor.u16('the data label length');
    fileLabelBytes = cursor.take(labelLength, 'the data label');
    cursor.expect('</label>');
    cursor.expect('<timestamp>');
    cursor.skip(cursor.u8('the time stamp length'), 'the time stamp');
    cursor.expect('</timestamp>');
    cursor.expect('</header>');
    cursor.expect('<map>');
    const map: number[] = [];
    for (let i = 0; i < 14; i++) map.push(cursor.u64('the section map'));
    cursor.expect('</map>');
    const nameWidth = release === 117 ? 33 : 129;
    cursor.expect('<variable_types>');
    types = Array.from({ length: K }, (_, i) => newType(cursor.u16('the variable types'), i));
    cursor.expect('</variable_types>');
    cursor.expect('<varnames>');
    names = Array.from({ length: K }, () => decode(cursor.take(nameWidth, 'the variable names')));
    cursor.expect('</varnames>');
    cursor.expect('<sortlist>');
    cursor.skip((K + 1) * (release === 119 ? 4 : 2), 'the sort list');
    cursor.expect('</sortlist>');
    cursor.expect('<formats>');
    cursor.skip(K * (release === 117 ? 49 : 57), 'the display formats');
    cursor.expect('</formats>');
    cursor.expect('<value_label_names>');
    labelSetNames = Array.from({ length: K }, () => decode(cursor.take(nameWidth, 'the value-label names')));
    cursor.expect('</value_label_names>');
    cursor.expect('<variable_labels>');
    variableLabels = Array.from({ length: K }, () => cursor.take(release === 117 ? 81 : 321, 'the variable labels'));
    cursor.expect('</variable_labels>');
    const sectionAt = (index: number, tag: string) => {
      const at = map[index] as number;
      if (at <= 0 || at > bytes.length) throw new SourceFileError(`the section map points ${tag} outside the file (byte ${at}); the file is truncated or damaged`);
      cursor.pos = at;
      cursor.expect(tag);
      return cursor.pos;
    };
    dataStart = sectionAt(9, '<data>');
    // A file cut inside the data: say in which row it stops (the sections after the data point past its end).
    if ((map[10] as number) > bytes.length || (map[11] as number) > bytes.length) {
      const rowBytes = types.map(cellWidth).reduce((a, b) => a + b, 0);
      const complete = rowBytes > 0 ? Math.floor(Math.max(0, bytes.length - dataStart) / rowBytes) : 0;
      if (complete < N) {
        throw new SourceFileError(`the file is truncated: the header promises ${N} rows of ${rowBytes} bytes but the data stop inside row ${complete + 1}`, { row: complete + 1 });
      }
    }
    dataEnd = (map[10] as number) - '</data>'.length;
    strlsStart = sectionAt(10, '<strls>');
    valueLabelStart = sectionAt(11, '<value_labels>');
  } else {
    release = bytes[0] as number;
    if (release !== 113 && release !== 114 && release !== 115) {
      throw new SourceFileError(
        release >= 102 && release <= 112 && (bytes[1] === 1 || bytes[1] === 2) && bytes[2] === 1
          ? `this is a Stata file of format ${release} (Stata 7 or older); formats 113–115 and 117–119 can be read`
          : 'this is not a Stata .dta file (it starts neither with <stata_dta> nor with a format byte 113–115)',
      );
    }
    cursor.pos = 1;
    const order = cursor.u8('the byte order');
    if (order !== 1 && order !== 2) throw new SourceFileError(`unknown byte order code ${order}`);
    cursor.littleEndian = order === 2;
    cursor.skip(2, 'the file type');
    K = cursor.u16('the number of variables');
    N = cursor.u32('the number of observations');
    fileLabelBytes = cursor.take(81, 'the data label');
    cursor.skip(18, 'the time stamp');
    types = Array.from(cursor.take(K, 'the variable types'), (code, i) => oldType(code, i));
    names = Array.from({ length: K }, () => decode(cursor.take(33, 'the variable names')));
    cursor.skip(2 * (K + 1), 'the sort list');
    cursor.skip(K * (release === 113 ? 12 : 49), 'the display formats');
    labelSetNames = Array.from({ length: K }, () => decode(cursor.take(33, 'the value-label names')));
    variableLabels = Array.from({ length: K }, () => cursor.take(81, 'the variable labels'));
    for (;;) {
      const type = cursor.u8('the expansion fields');
      const length = cursor.i32('the expansion fields');
      if (type === 0 && length === 0) break;
      cursor.skip(length, 'an expansion field');
    }
    dataStart = cursor.pos;
    dataEnd = bytes.length;
    valueLabelStart = -1;
  }

  const widths = types.map(cellWidth);
  const rowWidth = widths.reduce((a, b) => a + b, 0);
  const available = Math.max(0, dataEnd - dataStart);
  if (available < N * rowWidth) {
    const complete = rowWidth > 0 ? Math.floor(available / rowWidth) : 0;
    throw new SourceFileError(
      `the file is truncated: the header promises ${N} rows of ${rowWidth} bytes but the data stop inside row ${complete + 1}`,
      { row: complete + 1 },
    );
  }
  // More data than the header counts: the rows after N would be dropped without a word.
  if (tagged && available > N * rowWidth) {
    throw new SourceFileError(
      `the data section holds ${available} bytes, ${rowWidth > 0 ? `room for ${(available / rowWidth).toFixed(available % rowWidth ? 1 : 0)} rows` : 'more than it should'}, but the header counts ${N} rows; the file is damaged`,
    );
  }
  if (valueLabelStart === -1) valueLabelStart = dataStart + N * rowWidth;
  const afterRows = () =>
    `the bytes after the ${N} rows the header counts are not value labels: the header may count fewer rows than the file holds` +
    (rowWidth > 0 && (bytes.length - valueLabelStart) >= rowWidth ? ` (room for ${Math.floor((bytes.length - valueLabelStart) / rowWidth)} more rows)` : '');

  // Value-label tables (label-set name → code → text), decoded once the encoding is known.
  const labelTexts = new Map<string, Array<[number | string, Uint8Array]>>();
  cursor.pos = valueLabelStart;
  for (;;) {
    if (tagged) {
      if (bytes.length >= cursor.pos + 5 && String.fromCharCode(...bytes.subarray(cursor.pos, cursor.pos + 5)) === '<lbl>') cursor.pos += 5;
      else {
        cursor.expect('</value_labels>');
        break;
      }
    } else if (cursor.pos >= bytes.length) break;
    const length = cursor.i32('a value-label table');
    const nameBytes = cursor.take(release >= 118 ? 129 : 33, 'a value-label name');
    const name = decode(nameBytes);
    if (!tagged && (length < 8 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(String.fromCharCode(...untilNul(nameBytes))))) throw new SourceFileError(afterRows());
    cursor.skip(3, 'value-label padding');
    const tableEnd = cursor.pos + length;
    const n = cursor.i32(`value-label table "${name}"`);
    const textLength = cursor.i32(`value-label table "${name}"`);
    if (n < 0 || textLength < 0 || 8 + 8 * n + textLength > length) {
      throw new SourceFileError(`value-label table "${name}" is damaged (${n} entries, ${textLength} bytes of text in ${length} bytes)`);
    }
    const offsets = Array.from({ length: n }, () => cursor.i32(`value-label table "${name}"`));
    const values = Array.from({ length: n }, () => cursor.i32(`value-label table "${name}"`));
    const text = cursor.take(textLength, `value-label table "${name}"`);
    labelTexts.set(
      name,
      values.map((value, i) => [value >= LONG_MISSING_BASE ? missingCode(value - LONG_MISSING_BASE) : value, untilNul(text.subarray(offsets[i] as number))]),
    );
    cursor.pos = tableEnd;
    if (tagged) cursor.expect('</lbl>');
  }

  const widths0 = widths;
  if (encoding === null && release <= 117) {
    const stringColumns: number[] = [];
    types.forEach((type, i) => type.kind === 'str' && stringColumns.push(i));
    const columnOffsets: number[] = [];
    widths0.reduce((at, width) => (columnOffsets.push(at), at + width), 0);
    let utf8 = [fileLabelBytes, ...variableLabels].every((raw) => isValidUtf8(untilNul(raw)));
    for (const entries of labelTexts.values()) utf8 &&= entries.every(([, raw]) => isValidUtf8(raw));
    for (let row = 0; utf8 && row < N; row++) {
      for (const column of stringColumns) {
        const at = dataStart + row * rowWidth + (columnOffsets[column] as number);
        if (!isValidUtf8(untilNul(bytes.subarray(at, at + (widths0[column] as number))))) {
          utf8 = false;
          break;
        }
      }
    }
    encoding = utf8 ? 'utf-8' : 'gb18030';
  }
  encoding ??= 'utf-8';
  const labelSets = new Map<string, Map<number | string, string>>(
    [...labelTexts].map(([name, entries]) => [name, new Map(entries.map(([key, raw]) => [key, decode(raw)]))]),
  );

  // strL contents keyed by (variable, observation).
  const strls = new Map<string, string>();
  if (tagged && strlsStart >= 0) {
    cursor.pos = strlsStart;
    while (bytes.length >= cursor.pos + 3 && String.fromCharCode(...bytes.subarray(cursor.pos, cursor.pos + 3)) === 'GSO') {
      cursor.pos += 3;
      const v = cursor.u32('a strL');
      const o = release === 117 ? cursor.u32('a strL') : cursor.u64('a strL');
      const t = cursor.u8('a strL');
      const length = cursor.u32('a strL');
      const content = cursor.take(length, 'a strL');
      // Type 130 is text with a terminating NUL; 129 binary, kept as Latin-1 so no byte is lost.
      strls.set(`${v},${o}`, t === 130 ? decode(content) : String.fromCharCode(...content));
    }
  }

  const variables: SourceVariable[] = names.map((name, i) => ({
    name,
    label: decode(variableLabels[i] as Uint8Array) || null,
    type: (types[i] as StataType).kind === 'str' || (types[i] as StataType).kind === 'strL' ? 'string' : 'numeric',
    valueLabels: labelSets.get(labelSetNames[i] as string) ?? new Map(),
  }));
  const offsets: number[] = [];
  widths.reduce((at, width) => (offsets.push(at), at + width), 0);
  const littleEndian = cursor.littleEndian;
  const view = cursor.view;

  // Defined once, not per cell: a closure per cell costs more than the read itself under tsx's name-keeping helper.
  const missingAt = (column: number, index: number) => {
    const code = missingCode(index);
    return new MissingValue(code, (variables[column] as SourceVariable).valueLabels.get(code) ?? null);
  };
  const readCell = (row: number, column: number, at: number): Cell => {
    const type = types[column] as StataType;
    switch (type.kind) {
      case 'byte': {
        const v = view.getInt8(at);
        return v > 100 ? missingAt(column, v - 101) : v;
      }
      case 'int': {
        const v = view.getInt16(at, littleEndian);
        return v > 32_740 ? missingAt(column, v - 32_741) : v;
      }
      case 'long': {
        const v = view.getInt32(at, littleEndian);
        return v > 2_147_483_620 ? missingAt(column, v - LONG_MISSING_BASE) : v;
      }
      case 'float': {
        const v = view.getFloat32(at, littleEndian);
        if (v <= 1.701e38 && !Number.isNaN(v)) return shortestFloat32(v);
        return missingAt(column, (view.getUint32(at, littleEndian) - 0x7f00_0000) / 0x800);
      }
      case 'double': {
        const v = view.getFloat64(at, littleEndian);
        if (v <= 8.988e307 && !Number.isNaN(v)) return v;
        const high = view.getUint32(littleEndian ? at + 4 : at, littleEndian);
        return missingAt(column, (high - 0x7fe0_0000) / 0x100);
      }
      case 'str':
        return decode(bytes.subarray(at, at + type.width));
      case 'strL': {
        const low = view.getUint32(littleEndian ? at : at + 4, littleEndian);
        const high = view.getUint32(littleEndian ? at + 4 : at, littleEndian);
        const full = high * 2 ** 32 + low;
        if (full === 0) return '';
        // Format 119 splits (v, o) 3 + 5 bytes by the description, but ReadStat (haven) writes 118's 2 + 6: try both.
        const splits = release === 117 ? [2 ** 32] : release === 118 ? [2 ** 16] : [2 ** 24, 2 ** 16];
        let text: string | undefined;
        for (const split of splits) text ??= strls.get(`${full % split},${Math.floor(full / split)}`);
        if (text === undefined) throw new SourceFileError(`row ${row + 1}, variable ${variables[column]?.name}: a long string (strL) is missing from the file`, { row: row + 1, variable: variables[column]?.name });
        return text;
      }
    }
  };

  return {
    format: 'dta',
    encoding,
    fileLabel: decode(fileLabelBytes) || null,
    variables,
    rowCount: N,
    *rows(wanted) {
      const columns = wanted ? [...wanted].filter((c) => c >= 0 && c < K) : Array.from({ length: K }, (_, c) => c);
      for (let row = 0; row < N; row++) {
        const base = dataStart + row * rowWidth;
        const cells = new Array<Cell>(K).fill(null);
        for (const column of columns) cells[column] = readCell(row, column, base + (offsets[column] as number));
        yield cells;
      }
    },
  };
}


/** The shortest decimal that reads back as the same float32 (so a float 1.1 is 1.1, not 1.100000023841858). */
function shortestFloat32(value: number): number {
  for (let digits = 6; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
