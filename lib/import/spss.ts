// Reader for SPSS .sav system files (uncompressed, bytecode-compressed and zlib-compressed .zsav), written against the system-file format
// as documented by GNU PSPP. Pure: bytes in, a SourceTable out. Keeps value labels (also of long strings), the
// system-missing value and user-missing codes (discrete and ranges), long variable names and very long strings.
import { inflateSync } from 'node:zlib';
import { ByteCursor } from './binary';
import { decodeText, encodingKnown, isValidUtf8 } from './text';
import { MissingValue, SourceFileError, type Cell, type SourceTable, type SourceVariable } from './types';

export interface SpssReadOptions {
  /** Encoding of the file's strings when the file does not say (older files). Default: UTF-8 if valid, else GB18030. */
  encoding?: string;
}

interface DictionaryVariable {
  shortName: string;
  width: number; // 0 numeric, else string bytes
  slot: number; // first 8-byte slot of the case
  slots: number;
  label: Uint8Array | null;
  missingCount: number; // PSPP's n_missing_values: 0..3 discrete, -2 range, -3 range plus one discrete
  missingRaw: Uint8Array[];
  segments: DictionaryVariable[]; // very long strings: the 252-byte segments after the first
}

// Windows code pages that files name in their machine-integer record, to the names iconv-lite knows.
const CODE_PAGES: Record<number, string> = { 65001: 'utf-8', 936: 'gb18030', 54936: 'gb18030', 1252: 'windows-1252', 20127: 'ascii', 2: 'ascii' };

/** The bytecode data of a .zsav: its zlib blocks (listed in the trailer that the zlib header points to), inflated. */
function inflateZsav(bytes: Uint8Array, at: number, littleEndian: boolean): Uint8Array {
  const header = new ByteCursor(bytes, littleEndian);
  header.pos = at;
  const headerAt = header.u64('the zlib header');
  const trailerAt = header.u64('the zlib header');
  const trailerLength = header.u64('the zlib header');
  if (headerAt !== at || trailerAt <= at || trailerAt + trailerLength > bytes.length) {
    throw new SourceFileError(`the zlib header at byte ${at} points outside the file (trailer at ${trailerAt}, ${trailerLength} bytes); the file is truncated or damaged`, { offset: at });
  }
  const trailer = new ByteCursor(bytes, littleEndian);
  trailer.pos = trailerAt;
  trailer.skip(16, 'the zlib trailer');
  trailer.i32('the zlib block size');
  const blocks = trailer.i32('the number of zlib blocks');
  if (blocks < 0 || 24 + blocks * 24 > trailerLength) throw new SourceFileError(`the zlib trailer lists ${blocks} blocks in ${trailerLength} bytes; the file is damaged`);
  const parts: Buffer[] = [];
  for (let block = 0; block < blocks; block++) {
    trailer.u64('a zlib block entry');
    const compressedAt = trailer.u64('a zlib block entry');
    const size = trailer.i32('a zlib block entry');
    const compressedSize = trailer.i32('a zlib block entry');
    if (compressedAt < 0 || compressedAt + compressedSize > bytes.length) throw new SourceFileError(`zlib block ${block + 1} lies outside the file; the file is truncated`, { offset: compressedAt });
    try {
      const inflated = inflateSync(bytes.subarray(compressedAt, compressedAt + compressedSize));
      if (inflated.length !== size) throw new Error(`${inflated.length} bytes instead of ${size}`);
      parts.push(inflated);
    } catch (error) {
      throw new SourceFileError(`zlib block ${block + 1} (byte ${compressedAt}) cannot be inflated: ${(error as Error).message}`, { offset: compressedAt });
    }
  }
  return Buffer.concat(parts);
}

export function readSpss(bytes: Uint8Array, options: SpssReadOptions = {}): SourceTable {
  if (bytes.length === 0) throw new SourceFileError('the file is empty');
  const magic = bytes.length >= 4 ? String.fromCharCode(...bytes.subarray(0, 4)) : '';
  if (magic !== '$FL2' && magic !== '$FL3') throw new SourceFileError('this is not an SPSS .sav file (it does not start with $FL2 or $FL3)');
  const cursor = new ByteCursor(bytes, true);
  cursor.pos = 64;
  const layout = cursor.i32('the layout code');
  if (layout !== 2 && layout !== 3) {
    cursor.littleEndian = false;
    cursor.pos = 64;
    const bigLayout = cursor.i32('the layout code');
    if (bigLayout !== 2 && bigLayout !== 3) throw new SourceFileError(`the header's layout code (${layout}) is not 2 or 3; the file is damaged`);
  }
  cursor.i32('the case size');
  const compression = cursor.i32('the compression code');
  // 0 uncompressed, 1 bytecode, 2 bytecode inside zlib blocks (.zsav, magic $FL3).
  if (compression !== 0 && compression !== 1 && compression !== 2) throw new SourceFileError(`unknown compression code ${compression}`);
  if ((compression === 2) !== (magic === '$FL3')) throw new SourceFileError(`compression code ${compression} does not match the file's magic ${magic}; the file is damaged`);
  cursor.i32('the weight index');
  const declaredCases = cursor.i32('the number of cases');
  const bias = cursor.f64('the compression bias');
  cursor.skip(17, 'the creation date');
  const fileLabelRaw = cursor.take(64, 'the file label');
  cursor.skip(3, 'header padding');

  const dictionary: DictionaryVariable[] = [];
  const slotOwner: Array<DictionaryVariable | null> = [];
  const valueLabelSets: Array<{ entries: Array<{ raw: Uint8Array; label: Uint8Array }>; slots: number[] }> = [];
  let longNamesRaw: Uint8Array | null = null;
  let veryLongRaw: Uint8Array | null = null;
  let encodingName: string | null = null;
  let codePage: number | null = null;
  let sysmis = -Number.MAX_VALUE;
  const longStringLabelsRaw: Uint8Array[] = [];
  const longStringMissingRaw: Uint8Array[] = [];

  for (let done = false; !done; ) {
    const recordAt = cursor.pos;
    const type = cursor.i32('the dictionary');
    switch (type) {
      case 2: {
        const width = cursor.i32('a variable record');
        const hasLabel = cursor.i32('a variable record');
        const missingCount = cursor.i32('a variable record');
        cursor.skip(8, 'a variable record');
        const shortName = decodeText(cursor.take(8, 'a variable name'), 'latin1').trimEnd();
        const label = hasLabel === 1 ? cursor.take(cursor.i32('a variable label'), 'a variable label') : null;
        if (label) cursor.skip((4 - (label.length % 4)) % 4, 'label padding');
        if (Math.abs(missingCount) > 3) throw new SourceFileError(`variable ${shortName} declares ${missingCount} missing values (at most 3)`);
        const missingRaw = Array.from({ length: Math.abs(missingCount) }, () => cursor.take(8, 'missing values'));
        if (width === -1) {
          const owner = slotOwner[slotOwner.length - 1] ?? null;
          if (!owner) throw new SourceFileError(`a string continuation record at byte ${recordAt} has no variable before it`);
          slotOwner.push(owner);
          continue;
        }
        if (width < 0 || width > 255) throw new SourceFileError(`variable ${shortName} has an invalid width ${width}`);
        const variable: DictionaryVariable = { shortName, width, slot: slotOwner.length, slots: 1, label, missingCount, missingRaw, segments: [] };
        dictionary.push(variable);
        slotOwner.push(variable);
        break;
      }
      case 3: {
        const count = cursor.i32('a value-label record');
        if (count < 0) throw new SourceFileError(`a value-label record at byte ${recordAt} has a negative count`);
        const entries = Array.from({ length: count }, () => {
          const raw = cursor.take(8, 'a value label');
          const length = cursor.u8('a value label');
          const label = cursor.take(length, 'a value label');
          cursor.skip((8 - ((length + 1) % 8)) % 8, 'value-label padding');
          return { raw, label };
        });
        if (cursor.i32('the value-label variables record') !== 4) throw new SourceFileError(`a value-label record at byte ${recordAt} is not followed by its variable list`);
        const n = cursor.i32('the value-label variables record');
        const slots = Array.from({ length: n }, () => cursor.i32('the value-label variables record') - 1);
        valueLabelSets.push({ entries, slots });
        break;
      }
      case 6:
        cursor.skip(cursor.i32('a document record') * 80, 'a document record');
        break;
      case 7: {
        const subtype = cursor.i32('an extension record');
        const size = cursor.i32('an extension record');
        const count = cursor.i32('an extension record');
        if (size < 0 || count < 0) throw new SourceFileError(`extension record ${subtype} at byte ${recordAt} has a negative size`);
        const data = cursor.take(size * count, `extension record ${subtype}`);
        const ints = new ByteCursor(data, cursor.littleEndian);
        if (subtype === 3 && size === 4 && count >= 8) {
          ints.pos = 28;
          codePage = ints.i32('the character code');
        } else if (subtype === 4 && size === 8 && count >= 1) sysmis = ints.f64('the system-missing value');
        else if (subtype === 13) longNamesRaw = data;
        else if (subtype === 14) veryLongRaw = data;
        else if (subtype === 20) encodingName = decodeText(data, 'latin1').trim().toLowerCase();
        else if (subtype === 21) longStringLabelsRaw.push(data);
        else if (subtype === 22) longStringMissingRaw.push(data);
        break;
      }
      case 999:
        cursor.i32('the end of the dictionary');
        done = true;
        break;
      default:
        throw new SourceFileError(`unknown dictionary record type ${type} at byte ${recordAt}; the file is damaged`, { offset: recordAt });
    }
  }
  if (dictionary.length === 0) throw new SourceFileError('the file has no variables');
  for (const v of dictionary) v.slots = v.width === 0 ? 1 : Math.ceil(v.width / 8);

  // Strings: the encoding the file names, else its code page, else the caller's choice, else by inspection.
  let encoding = options.encoding ?? null;
  if (!encoding && encodingName && encodingKnown(encodingName)) encoding = encodingName === 'gbk' || encodingName === 'gb2312' ? 'gb18030' : encodingName;
  if (!encoding && codePage !== null && CODE_PAGES[codePage]) encoding = CODE_PAGES[codePage] as string;
  const sniff = [fileLabelRaw, ...dictionary.flatMap((v) => (v.label ? [v.label] : [])), ...valueLabelSets.flatMap((s) => s.entries.map((e) => e.label))];
  encoding ??= sniff.every((raw) => isValidUtf8(raw)) ? 'utf-8' : 'gb18030';
  const text = (raw: Uint8Array) => decodeText(raw, encoding);

  // Long names and very long strings, both keyed by the short name.
  const longNames = new Map<string, string>();
  if (longNamesRaw) {
    for (const pair of text(longNamesRaw).split('\t')) {
      const [short, long] = pair.split('=');
      if (short && long) longNames.set(short.trim(), long);
    }
  }
  const variables = [...dictionary];
  if (veryLongRaw) {
    for (const pair of text(veryLongRaw).split(/[\t\0]+/)) {
      const [short, widthText] = pair.split('=');
      const width = Number(widthText);
      const index = variables.findIndex((v) => v.shortName === short?.trim());
      if (index === -1 || !Number.isFinite(width)) continue;
      const head = variables[index] as DictionaryVariable;
      const count = Math.ceil(width / 252);
      // A damaged width would swallow the variables after it (they then look "not in the file"): refuse it.
      const following = variables.slice(index + 1, index + count);
      if (!Number.isInteger(width) || width <= 255 || width > 32767 || following.length !== count - 1 || following.some((v) => v.width === 0)) {
        throw new SourceFileError(
          `variable ${longNames.get(head.shortName) ?? head.shortName}: the very-long-string record claims a width of ${widthText} bytes (${count - 1} continuation segments), which the variables after it do not match (a string is at most 32,767 bytes); the file is damaged`,
          { variable: longNames.get(head.shortName) ?? head.shortName },
        );
      }
      head.segments = variables.splice(index + 1, count - 1);
      head.width = width;
    }
  }

  const numberOf = (raw: Uint8Array) => new DataView(raw.buffer, raw.byteOffset, 8).getFloat64(0, cursor.littleEndian);
  const byShortName = new Map(variables.map((v) => [v.shortName.toUpperCase(), v]));
  const labelsOf = new Map<DictionaryVariable, Map<number | string, string>>(variables.map((v) => [v, new Map()]));
  for (const set of valueLabelSets) {
    for (const slot of set.slots) {
      const owner = slotOwner[slot];
      if (!owner) throw new SourceFileError(`a value-label record names variable slot ${slot + 1}, which does not exist`);
      const labels = labelsOf.get(owner);
      if (!labels) continue;
      for (const entry of set.entries) labels.set(owner.width === 0 ? numberOf(entry.raw) : text(entry.raw).trimEnd(), text(entry.label));
    }
  }
  const missingStrings = new Map<DictionaryVariable, Set<string>>();
  for (const raw of longStringLabelsRaw) {
    const r = new ByteCursor(raw, cursor.littleEndian);
    while (r.pos < raw.length) {
      const name = text(r.take(r.i32('long-string labels'), 'long-string labels')).trim();
      r.i32('long-string labels');
      const n = r.i32('long-string labels');
      const owner = byShortName.get(name.toUpperCase()) ?? variables.find((v) => longNames.get(v.shortName) === name);
      for (let i = 0; i < n; i++) {
        const value = text(r.take(r.i32('long-string labels'), 'long-string labels')).trimEnd();
        const label = text(r.take(r.i32('long-string labels'), 'long-string labels'));
        if (owner) labelsOf.get(owner)?.set(value, label);
      }
    }
  }
  for (const raw of longStringMissingRaw) {
    const r = new ByteCursor(raw, cursor.littleEndian);
    while (r.pos < raw.length) {
      const name = text(r.take(r.i32('long-string missing values'), 'long-string missing values')).trim();
      // Only the first 8 bytes of a long string's missing value count (PSPP): a longer code never matches in full.
      const n = r.u8('long-string missing values');
      const valueLength = r.i32('long-string missing values');
      const owner = byShortName.get(name.toUpperCase()) ?? variables.find((v) => longNames.get(v.shortName) === name);
      const set = new Set<string>();
      for (let i = 0; i < n; i++) set.add(text(r.take(valueLength, 'long-string missing values')).trimEnd());
      if (owner) missingStrings.set(owner, set);
    }
  }

  // User-missing rules per variable.
  const isUserMissing = variables.map((v): ((value: number | string) => boolean) => {
    if (v.width > 0) {
      const set = missingStrings.get(v) ?? new Set(v.missingRaw.map((raw) => text(raw).trimEnd()));
      return (value) => set.has(value as string);
    }
    const values = v.missingRaw.map(numberOf);
    if (v.missingCount >= 0) return (value) => values.includes(value as number);
    const [low = 0, high = 0, discrete] = values;
    return (value) => ((value as number) >= low && (value as number) <= high) || value === discrete;
  });

  const sourceVariables: SourceVariable[] = variables.map((v) => ({
    name: longNames.get(v.shortName) ?? v.shortName,
    label: v.label ? text(v.label) : null,
    type: v.width === 0 ? 'numeric' : 'string',
    valueLabels: labelsOf.get(v) ?? new Map(),
  }));

  const slotsPerCase = slotOwner.length;
  // A .zsav holds the bytecode stream in zlib blocks: inflate them into one buffer and read it as a bytecode file.
  const data = compression === 2 ? inflateZsav(bytes, cursor.pos, cursor.littleEndian) : bytes;
  const dataStart = compression === 2 ? 0 : cursor.pos;

  /** Reads the 8-byte slots of each case in turn; null at a clean end of data. */
  function* caseSlots(): Generator<Uint8Array> {
    const reader = new ByteCursor(data, cursor.littleEndian);
    reader.pos = dataStart;
    const caseBytes = new Uint8Array(slotsPerCase * 8);
    const caseView = new DataView(caseBytes.buffer);
    let row = 0;
    if (compression === 0) {
      for (;;) {
        if (declaredCases >= 0 && row >= declaredCases) {
          // More whole rows than the header counts would be dropped without a word.
          if (data.length - reader.pos >= caseBytes.length) {
            throw new SourceFileError(`the file holds more rows than the ${declaredCases} its header counts (${Math.floor((data.length - reader.pos) / caseBytes.length)} more); the file is damaged`, { row: row + 1 });
          }
          return;
        }
        if (reader.pos >= data.length) {
          if (declaredCases >= 0) throw new SourceFileError(`the file ends after ${row} rows but its header promises ${declaredCases}`, { row: row + 1 });
          return;
        }
        if (reader.pos + caseBytes.length > data.length) throw new SourceFileError(`row ${row + 1} is cut off: the file ends inside it`, { row: row + 1 });
        yield reader.take(caseBytes.length, 'a case');
        row++;
      }
    }
    let commands: Uint8Array = new Uint8Array(0);
    let next = 8;
    for (;;) {
      if (declaredCases >= 0 && row >= declaredCases) return;
      for (let slot = 0; slot < slotsPerCase; slot++) {
        let code: number;
        do {
          if (next >= 8) {
            if (reader.pos >= data.length) {
              if (slot === 0 && (declaredCases < 0 || row === declaredCases)) return;
              throw new SourceFileError(
                slot === 0
                  ? `the file ends after ${row} rows but its header promises ${declaredCases}`
                  : `row ${row + 1} is cut off: the file ends inside it (at variable ${sourceVariables[variables.indexOf(slotOwner[slot] as DictionaryVariable)]?.name ?? slot + 1})`,
                { row: row + 1 },
              );
            }
            commands = reader.take(8, `the compressed data of row ${row + 1}`);
            next = 0;
          }
          code = commands[next++] as number;
        } while (code === 0);
        if (code === 252) {
          if (slot === 0) return;
          throw new SourceFileError(`row ${row + 1} is cut off by an end-of-data code`, { row: row + 1 });
        }
        if (code === 253) {
          if (reader.pos + 8 > data.length) throw new SourceFileError(`row ${row + 1} is cut off: the file ends inside it`, { row: row + 1 });
          caseBytes.set(reader.take(8, 'a value'), slot * 8);
        } else if (code === 254) caseBytes.fill(0x20, slot * 8, slot * 8 + 8);
        else if (code === 255) caseView.setFloat64(slot * 8, sysmis, cursor.littleEndian);
        else caseView.setFloat64(slot * 8, code - bias, cursor.littleEndian);
      }
      yield caseBytes;
      row++;
    }
  }

  let rowCount = declaredCases;
  if (rowCount < 0) {
    rowCount = 0;
    for (const _ of caseSlots()) rowCount++;
  }

  const toCell = (caseBytes: Uint8Array, caseView: DataView, index: number): Cell => {
    const v = variables[index] as DictionaryVariable;
    const labels = (sourceVariables[index] as SourceVariable).valueLabels;
    if (v.width === 0) {
      const value = caseView.getFloat64(v.slot * 8, cursor.littleEndian);
      if (value === sysmis || Number.isNaN(value)) return new MissingValue('sysmis');
      if ((isUserMissing[index] as (x: number) => boolean)(value)) return new MissingValue(String(value), labels.get(value) ?? null);
      return value;
    }
    let raw = caseBytes.subarray(v.slot * 8, v.slot * 8 + Math.min(v.width, v.slots * 8));
    if (v.segments.length > 0) {
      // Very long strings: every segment but the last holds 255 bytes; the last holds the rest (PSPP's description).
      const parts = [v, ...v.segments];
      raw = Buffer.concat(
        parts.map((part, i) => caseBytes.subarray(part.slot * 8, part.slot * 8 + Math.min(i < parts.length - 1 ? 255 : part.width, part.slots * 8))),
      );
    }
    const value = text(raw).replace(/[ \0]+$/, '');
    if ((isUserMissing[index] as (x: string) => boolean)(value)) return new MissingValue(value, labels.get(value) ?? null);
    return value;
  };

  return {
    format: 'sav',
    encoding,
    fileLabel: text(fileLabelRaw).trim() || null,
    variables: sourceVariables,
    rowCount,
    *rows(wanted) {
      const columns = wanted ? [...wanted].filter((c) => c >= 0 && c < variables.length) : variables.map((_, c) => c);
      for (const caseBytes of caseSlots()) {
        const caseView = new DataView(caseBytes.buffer, caseBytes.byteOffset, caseBytes.byteLength);
        const cells = new Array<Cell>(variables.length).fill(null);
        for (const column of columns) cells[column] = toCell(caseBytes, caseView, column);
        yield cells;
      }
    },
  };
}
