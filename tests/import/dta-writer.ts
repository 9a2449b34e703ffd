// A minimal writer of Stata format-114 files for tests: Stata itself stores most CMDS variables as byte or int, which
// haven never writes, so these files exercise every storage type and its missing-value codes from the format's
// description. Little-endian; strings are given as bytes so a test can choose their encoding.

export type DtaColumn =
  | { name: string; type: 'byte' | 'int' | 'long' | 'float' | 'double'; values: Array<number | string>; labels?: string; label?: string }
  | { name: string; type: 'str'; width: number; values: Uint8Array[]; label?: string };

const TYPE_CODE = { byte: 251, int: 252, long: 253, float: 254, double: 255 } as const;
const WIDTH = { byte: 1, int: 2, long: 4, float: 4, double: 8 } as const;

/** '.', '.a' … as the raw bits of each type. */
function missingIndex(code: string): number {
  return code === '.' ? 0 : code.charCodeAt(1) - 96;
}

function fixed(text: string | Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(width);
  out.set(typeof text === 'string' ? new TextEncoder().encode(text).subarray(0, width - 1) : text.subarray(0, width));
  return out;
}

export function writeDta114(columns: DtaColumn[], valueLabels: Record<string, Array<[number, Uint8Array]>> = {}): Uint8Array {
  const n = columns[0]?.values.length ?? 0;
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(4 + 2 + 4);
  const view = new DataView(header.buffer);
  header.set([114, 2, 1, 0]);
  view.setUint16(4, columns.length, true);
  view.setInt32(6, n, true);
  parts.push(header, fixed('test', 81), fixed('22 Nov 2026 10:00', 18));
  parts.push(Uint8Array.from(columns.map((c) => (c.type === 'str' ? c.width : TYPE_CODE[c.type]))));
  for (const c of columns) parts.push(fixed(c.name, 33));
  parts.push(new Uint8Array(2 * (columns.length + 1)));
  for (const c of columns) parts.push(fixed(c.type === 'str' ? `%${c.width}s` : '%9.0g', 49));
  for (const c of columns) parts.push(fixed(c.type === 'str' ? '' : (c.labels ?? ''), 33));
  for (const c of columns) parts.push(fixed(c.label ?? '', 81));
  parts.push(new Uint8Array(5));
  for (let row = 0; row < n; row++) {
    for (const c of columns) {
      if (c.type === 'str') {
        parts.push(fixed(c.values[row] as Uint8Array, c.width));
        continue;
      }
      const cell = new Uint8Array(WIDTH[c.type]);
      const v = new DataView(cell.buffer);
      const value = c.values[row] as number | string;
      const missing = typeof value === 'string' ? missingIndex(value) : -1;
      if (c.type === 'byte') v.setInt8(0, missing >= 0 ? 101 + missing : (value as number));
      if (c.type === 'int') v.setInt16(0, missing >= 0 ? 32_741 + missing : (value as number), true);
      if (c.type === 'long') v.setInt32(0, missing >= 0 ? 2_147_483_621 + missing : (value as number), true);
      if (c.type === 'float') {
        if (missing >= 0) v.setUint32(0, 0x7f00_0000 + missing * 0x800, true);
        else v.setFloat32(0, value as number, true);
      }
      if (c.type === 'double') {
        if (missing >= 0) {
          v.setUint32(0, 0, true);
          v.setUint32(4, 0x7fe0_0000 + missing * 0x100, true);
        } else v.setFloat64(0, value as number, true);
      }
      parts.push(cell);
    }
  }
  for (const [name, entries] of Object.entries(valueLabels)) {
    const texts = entries.map(([, text]) => Uint8Array.from([...text, 0]));
    const textLength = texts.reduce((a, t) => a + t.length, 0);
    const table = new Uint8Array(8 + 8 * entries.length + textLength);
    const t = new DataView(table.buffer);
    t.setInt32(0, entries.length, true);
    t.setInt32(4, textLength, true);
    let offset = 0;
    entries.forEach(([value], i) => {
      t.setInt32(8 + 4 * i, offset, true);
      t.setInt32(8 + 4 * entries.length + 4 * i, value, true);
      table.set(texts[i] as Uint8Array, 8 + 8 * entries.length + offset);
      offset += (texts[i] as Uint8Array).length;
    });
    const length = new Uint8Array(4);
    new DataView(length.buffer).setInt32(0, table.length, true);
    parts.push(length, fixed(name, 33), new Uint8Array(3), table);
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
