// Characters that are invisible or break layout: zero-width, BOM, bidi controls, C0/C1 controls (except the
// whitespace ones, which become spaces below).
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\u00AD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const SPACES = /[\s\u00A0\u2007\u202F]+/g;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Plain ASCII words with single spaces (/^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/): already normal, and by far the
 * most common cell. A loop, not that expression: it runs for every cell, and a short loop costs a fraction of a
 * regular-expression call.
 */
function alreadyNormal(value: string): boolean {
  let afterSpace = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20) {
      if (afterSpace) return false;
      afterSpace = true;
    } else if (c > 0x20 && c < 0x7f) afterSpace = false;
    else return false;
  }
  return !afterSpace || value.length === 0;
}

/** NFC, invisible characters removed, every run of (non-breaking) whitespace one space, trimmed. */
export function normaliseText(value: string): string {
  if (alreadyNormal(value)) return value;
  const nfc = NON_ASCII.test(value) ? value.normalize('NFC') : value;
  return nfc.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

/** Key for case- and punctuation-insensitive header matching: "E-mail" = "email", "Tussenv." = "tussenv". */
export function headerKey(value: string): string {
  return normaliseText(value)
    .toLowerCase()
    .replace(/[.\s\-_:]/g, '');
}

/** Key for matching a Studie against the mapping: case and surrounding/repeated spaces ignored. */
export function studieKey(value: string): string {
  return normaliseText(value).toLowerCase();
}

/** Join key for Stamnr: "00123", "123" and 123.0 are one student. */
export function stamnrKey(value: string): string {
  const v = normaliseText(value);
  if (!isDigits(v)) return v.toLowerCase();
  return v.charCodeAt(0) === 48 ? v.replace(/^0+(?=\d)/, '') : v;
}

/** One or more ASCII digits, nothing else (/^\d+$/, as a loop: it runs for every row). */
function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return text.length > 0;
}

/**
 * A Map key for a text that is often a number (a Stamnr, a gebruikersnaam made from one): a plain decimal — no
 * leading zero, at most 15 digits, so the number is exact — becomes that number, which a Map holds in its own table
 * and compares without reading a string; anything else stays the text. Two texts get the same key only when they
 * are the same text. At 100,000 students this saves a string object per entry and the cache misses of reading it.
 */
export function compactKey(text: string): string | number {
  const n = text.length;
  if (n === 0 || n > 15) return text;
  const first = text.charCodeAt(0);
  if (first < 49 || first > 57) return text === '0' ? 0 : text;
  for (let i = 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return text;
  }
  return Number(text);
}
