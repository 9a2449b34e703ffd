// Text decoding for survey files: UTF-8, or GB18030 (a superset of GBK/GB2312, which Chinese Excel and Stata ≤ 13
// write). iconv-lite does the decoding so it works the same whatever ICU build Node has.
import iconv from 'iconv-lite';

export const TEXT_ENCODINGS = ['utf-8', 'gb18030'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 when the bytes are valid UTF-8 (ASCII included), else GB18030: a GB18030 text is almost never valid UTF-8. */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  return isValidUtf8(bytes) ? 'utf-8' : 'gb18030';
}

/** First byte offset at which the bytes stop being UTF-8 (lead and continuation bytes only), for error messages; -1 if none. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const extra = lead < 0x80 ? 0 : lead >= 0xc2 && lead < 0xe0 ? 1 : (lead & 0xf0) === 0xe0 ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) if (i + k >= bytes.length || ((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return -1;
}

export function decodeText(bytes: Uint8Array, encoding: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Node's own UTF-8 decoder is several times faster than iconv-lite's on millions of short cells; the BOM is dropped
  // as iconv-lite drops it.
  if (encoding === 'utf-8' || encoding === 'utf8') {
    const text = buffer.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  return iconv.decode(buffer, encoding);
}

export function encodingKnown(encoding: string): boolean {
  return iconv.encodingExists(encoding);
}

/** Bytes up to the first NUL (C strings in fixed-width fields). */
export function untilNul(bytes: Uint8Array): Uint8Array {
  const end = bytes.indexOf(0);
  return end === -1 ? bytes : bytes.subarray(0, end);
}
