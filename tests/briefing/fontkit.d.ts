// fontkit ships no types; only what the font coverage test uses.
declare module 'fontkit' {
  export interface Font {
    numGlyphs: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer): Font;
}
