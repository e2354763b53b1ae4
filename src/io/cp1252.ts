import { CP1252_ENCODE as ENCODE, CP1252_HIGH as HIGH } from '../core/cp1252.js';

export function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    const codes = Array.from(chunk, (b) => (b >= 0x80 && b < 0xa0 ? (HIGH[b - 0x80]! < 0 ? 0xfffd : HIGH[b - 0x80]!) : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Caller must have checked firstUnencodable() (core/cp1252); this never substitutes '?' silently. */
export function encodeCp1252(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let i = 0;
  for (const ch of text) {
    const b = ENCODE.get(ch.codePointAt(0)!);
    if (b === undefined) throw new Error('unencodable character');
    out[i++] = b;
  }
  return out.subarray(0, i);
}
