// A bounds-checked cursor over a file's bytes for the binary readers: every read past the end becomes a
// SourceFileError that says what was being read and at which byte, instead of a RangeError.
import { SourceFileError } from './types';

export class ByteCursor {
  readonly view: DataView;
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    public littleEndian = true,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  need(count: number, what: string): void {
    if (count < 0 || this.pos + count > this.bytes.length) {
      throw new SourceFileError(`the file ends at byte ${this.bytes.length} while reading ${what} (needed ${count} bytes at byte ${this.pos})`, {
        offset: this.pos,
      });
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u16(what: string): number {
    this.need(2, what);
    const value = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return value;
  }

  i32(what: string): number {
    this.need(4, what);
    const value = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return value;
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return value;
  }

  /** An unsigned 64-bit integer as a Number (exact below 2^53, far beyond any real file's offsets). */
  u64(what: string): number {
    this.need(8, what);
    const a = this.view.getUint32(this.pos, this.littleEndian);
    const b = this.view.getUint32(this.pos + 4, this.littleEndian);
    this.pos += 8;
    return this.littleEndian ? b * 2 ** 32 + a : a * 2 ** 32 + b;
  }

  f64(what: string): number {
    this.need(8, what);
    const value = this.view.getFloat64(this.pos, this.littleEndian);
    this.pos += 8;
    return value;
  }

  take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return slice;
  }

  skip(count: number, what: string): void {
    this.need(count, what);
    this.pos += count;
  }

  ascii(count: number, what: string): string {
    return String.fromCharCode(...this.take(count, what));
  }

  /** Consumes an exact byte sequence (a Stata tag such as `<header>`), or throws naming what was expected. */
  expect(text: string): void {
    const at = this.pos;
    const found = this.bytes.length >= at + text.length ? String.fromCharCode(...this.bytes.subarray(at, at + text.length)) : '';
    if (found !== text) throw new SourceFileError(`expected ${text} at byte ${at}`, { offset: at });
    this.pos += text.length;
  }
}
