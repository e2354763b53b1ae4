// Characters that are invisible or break layout: zero-width, BOM, bidi marks and controls (LRM, RLM, ALM too),
// invisible operators, the combining grapheme joiner, the Mongolian vowel separator, variation selectors, Hangul
// fillers (letters to Unicode, blank on screen), tag characters, C0/C1 controls (except the ones that separate, which
// become spaces below). Left in, Jan.Jansen and Jan.Jansen+LRM are two logins that look the same.
const INVISIBLE =
  /[\u200B-\u200F\u2060-\u2065\uFFF9-\uFFFC\uFEFF\u202A-\u202E\u2066-\u2069\u061C\u180E\u115F\u1160\u3164\uFFA0\u00AD\u0000-\u0008\u000E-\u001B\u007F-\u009F]|\u034F|[\uFE00-\uFE0F]|\uDB40[\uDC00-\uDC7F]|\uD834[\uDD73-\uDD7A]/g;
// Whitespace, and the C0 controls that separate words: vertical tab (FileMaker's line break in a field), form feed,
// and the file, group, record and unit separators. Removed instead, they glued Anna<VT>Fleur into AnnaFleur.
const SPACES = /[\s\u001C-\u001F\u00A0\u2007\u202F\u2800]+/g;

// Plain ASCII words with single spaces: already normal, and by far the most common cell.
const ALREADY_NORMAL = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;
const NON_ASCII = /[^\x00-\x7f]/;

// A C1 control character (U+0080–U+009F) is in no text: a cell that has one lost a character (’ € …) when a
// program decoded Windows-1252 as ISO-8859-1.
const C1_CONTROL = /[\u0080-\u009F]/;

/**
 * Whether normalising `raw` (to `value`, normaliseText's result) dropped a C1 control character. A cell that
 * normalising left as it was costs one comparison.
 */
export function lostControl(raw: string, value: string): boolean {
  return value !== raw && C1_CONTROL.test(raw);
}

// What the bytes 0x80–0xBF (the second and third byte of a UTF-8 letter) look like read as Windows-1252.
const CONTINUATION = '[\u00A0-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201A\u201C-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]';
/**
 * What DOUBLE_ENCODED leaves out (the validator warns about it): Ä or Å, a dash, a capital. A double name in
 * capitals (JÄRVELÄ–VIRTANEN, BRÅ—NILSEN), or a double-encoded Ė or Ŗ.
 */
export const CAPITALS_DASH = /[\u00C4\u00C5][\u2013\u2014][A-Z\u00C0-\u00DE]/;
/**
 * UTF-8 read as Windows-1252 and saved as UTF-8 again: ë becomes Ã«, ł Å‚, ’ â€™, € â‚¬. These pairs are in no
 * name (a real Ã, Å or Ä is followed by a letter), but for CAPITALS_DASH.
 */
export const DOUBLE_ENCODED = new RegExp(`(?!${CAPITALS_DASH.source})[\u00C2-\u00C5]${CONTINUATION}|\u00E2${CONTINUATION}{2}`);

/**
 * UTF-8 read as Windows-1252 where the second byte is a soft hyphen or a no-break space: í is Ã + U+00AD, à is
 * Ã + U+00A0, Š is Å + U+00A0 (and a no-break space itself Â + U+00A0). Removing the one or making the other a
 * plain space would leave MartÃn, DÃ vila or MILOÅ, which DOUBLE_ENCODED no longer knows: such a pair is kept as it
 * is, also at the end of a word (Martí, Vilà, MILOŠ). No name ends in Â or Ã before a no-break space; a Scandinavian
 * capital Å followed by one (HÅ) is refused with them, which beats writing MILOÅ. Ä before one (MÄKELÄ) is no such
 * pair (UTF-8's Ġ, Maltese only).
 */
const DOUBLE_ENCODED_SPACE = /[\u00C2\u00C3][\u00A0\u00AD]|\u00C5\u00A0/;
const DOUBLE_ENCODED_SPACES = new RegExp(`(${DOUBLE_ENCODED_SPACE.source})`);

/** normaliseText around the pairs DOUBLE_ENCODED_SPACE finds, which stay as they are. */
function keepDoubleEncoded(text: string): string {
  const parts = text.split(DOUBLE_ENCODED_SPACES);
  for (let i = 0; i < parts.length; i += 2) parts[i] = parts[i]!.replace(INVISIBLE, '').replace(SPACES, ' ');
  parts[0] = parts[0]!.trimStart();
  parts[parts.length - 1] = parts[parts.length - 1]!.trimEnd();
  return parts.join('');
}

/**
 * NFC, invisible characters removed, every run of (non-breaking) whitespace one space, trimmed. A double-encoded
 * pair (DOUBLE_ENCODED_SPACE) stays, so that the validator names the cell.
 */
export function normaliseText(value: string): string {
  // The shortcut's pattern backtracks: on millions of characters ("a a a …") it overflows the stack.
  if (value.length <= MAX_SHORTCUT && ALREADY_NORMAL.test(value)) return value;
  if (value.length <= LONG || value.length > MAX_CACHED) return normaliseSlow(value);
  const cached = longValues.get(value);
  if (cached !== undefined) return cached;
  const normal = normaliseSlow(value);
  if (longValues.size >= 64) longValues.clear();
  longValues.set(value, normal);
  return normal;
}

const MAX_SHORTCUT = 4096;
/**
 * Long values normalised lately, by value: a shared string of 32,000 characters that every row of a workbook points
 * at was normalised again for each row and cell check (2 ms a row). Bounded in number and length.
 */
const longValues = new Map<string, string>();
const LONG = 1024;
const MAX_CACHED = 64 * 1024;

function normaliseSlow(value: string): string {
  const nfc = NON_ASCII.test(value) ? value.normalize('NFC') : value;
  if (DOUBLE_ENCODED_SPACE.test(nfc)) return keepDoubleEncoded(nfc);
  return nfc.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

/**
 * Longest header text numo-prep keeps: far above any real column name (two real headers are never alike this far),
 * and a message names a header in full.
 */
const MAX_HEADER_CHARS = 200;

/** Cut to `max` characters, marked with "…". */
export const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * A header cell as numo-prep uses it (to match, and to name in a message): normalised and cut to MAX_HEADER_CHARS.
 * A 30,000-character header cell would otherwise be repeated in every message that names the column.
 */
export function headerText(value: string): string {
  return clip(normaliseText(value), MAX_HEADER_CHARS);
}

/** Key for case- and punctuation-insensitive header matching: "E-mail" = "email", "Tussenv." = "tussenv". */
export function headerKey(value: string): string {
  return (
    normaliseText(value)
      .toLowerCase()
      // A header upper-cased on a Turkish PC (Excel's UPPER: IDGEBR as \u0130DGEBR, lower-cased to i + a combining dot)
      // or typed with a dotless i is the same header.
      .replace(/i\u0307|\u0131/g, 'i')
      // Any dash: Tussen\u2013voegsel or E\u2011mail (typed in Word, or by autocorrect) is that header.
      .replace(/[.\s\-_:\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '')
  );
}

/** Key for matching a Studie against the mapping: case and surrounding/repeated spaces ignored. */
export function studieKey(value: string): string {
  return normaliseText(value).toLowerCase();
}

/** Join key for Stamnr: "00123", "123" and 123.0 are one student. */
export function stamnrKey(value: string): string {
  const v = normaliseText(value);
  if (!/^\d+$/.test(v)) return v.toLowerCase();
  return v.charCodeAt(0) === 48 ? v.replace(/^0+(?=\d)/, '') : v;
}

/**
 * A login as a database that ignores case and accents compares it (MySQL's default collation does: Zoë = zoe,
 * Strauß = strauss, ﬁ = fi, full-width Ｊ = J): two students whose logins are one there would share an account.
 * ASCII-only logins (a Stamnr, most names) only get lower case.
 */
export function loginKey(login: string): string {
  const lower = login.toLowerCase();
  if (/^[\x00-\x7F]*$/.test(lower)) return lower;
  return lower
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u0142\u00F8\u0111\u00F0\u00E6\u0153\u00FE\u0127\u0140\u0131\u0138\u017F]/g, (c) => BASE_LETTERS[c]!)
    .toUpperCase()
    .toLowerCase();
}

/**
 * Letters NFKD leaves whole (no accent to take off) that such a database takes as their base letters: ł ø đ ð æ œ
 * þ ħ ŀ ı ĸ ſ, escaped because the bundles are ASCII (tools/build.mjs).
 */
const BASE_LETTERS: Record<string, string> = {
  '\u0142': 'l',
  '\u00F8': 'o',
  '\u0111': 'd',
  '\u00F0': 'd',
  '\u00E6': 'ae',
  '\u0153': 'oe',
  '\u00FE': 'th',
  '\u0127': 'h',
  '\u0140': 'l',
  '\u0131': 'i',
  '\u0138': 'k',
  '\u017F': 's',
};

/**
 * The account a gebruikersnaam is, to match it with last year's: loginKey, and every number in it without leading
 * zeros (Magister's "Voorloopnullen exporteren?" makes 001234 one year and 1234 the next, also in ll001234).
 */
export function accountKey(login: string): string {
  return loginKey(login).replace(/(^|\D)0+(?=\d)/g, '$1');
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
