import { isUtf8 } from 'node:buffer';
import type { CsvError } from 'csv-parse';
import { UserError } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import type { RawRow, RowIterator, Sheet } from '../core/raw-row.js';
import { decodeCp1252 } from './cp1252.js';
import { LIMITS, tooManyColumns, tooManyRows } from './limits.js';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1' | 'utf-8+windows-1252';

/** Where a weaker sign of a code page stands: its first line, and how many lines have one. */
export interface SignLines {
  line: number;
  lines: number;
}

/** Mac Roman (Excel for Mac) or Windows-1254 (a PC with Turkish settings), which both read as Windows-1252. */
export type CodePageSigns = Partial<Record<'mac' | 'turkish' | 'central', SignLines>>;

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /**
   * A file that is UTF-8 except for some lines: those lines (1-based), read as Windows-1252, as runs of consecutive
   * lines: first, last, first, last …
   */
  legacyRuns?: number[];
  /** Weaker signs of another code page read as Windows-1252 (see decodeSingleByte): warned about. */
  signs?: CodePageSigns;
  /** The text started with a second byte order mark (removed). */
  secondBom?: true;
}

/** What the admin sees for an encoding. */
const ENCODING_NAMES: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
  'windows-1252': 'Windows-1252 (ANSI)',
  'iso-8859-1': 'ISO-8859-1 (of Windows-1252: hier hetzelfde)',
  'utf-8+windows-1252': 'UTF-8 en Windows-1252 door elkaar',
};

// Not "open it in Excel and save it as CSV UTF-8": Excel reads such a file as Windows-1252 too, and the UTF-8 it then
// saves keeps the wrong letters for good (Zo‰ for Zoë), where numo-prep can no longer see them.
const RESAVE_UTF8 = 'Maak het bestand opnieuw (een export als Excel-werkmap .xlsx of als CSV UTF-8), of typ die regel opnieuw; openen en opslaan in Excel maakt de letters niet goed.';

/**
 * BOM first; then valid UTF-8; UTF-16 without BOM by its zero bytes; else a single-byte code page, where
 * ISO-8859-1 and Windows-1252 differ only in 0x80–0x9F: control characters in the one, letters and punctuation
 * (€ Š Œ ‘ ’ “ ” – …) in the other. Real text has no C1 controls, so a byte there means Windows-1252 (decoded
 * with our own table: Node's TextDecoder('windows-1252') is Latin-1 on some versions). A file that is UTF-8
 * except for some lines (two exports pasted together) is decoded line by line, and the caller warns about it;
 * one line that itself mixes both is refused with its line number.
 */
export function decodeText(buf: Buffer, name = 'Het bestand'): DecodedText {
  const decoded = decodeBody(buf, name);
  // A second BOM (a tool that put one before a file that had one) is no text either: before a quoted header it
  // would keep that header's quotes as text.
  return decoded.text.charCodeAt(0) === 0xfeff ? { ...decoded, text: decoded.text.replace(/^\uFEFF+/, ''), secondBom: true } : decoded;
}

function decodeBody(buf: Buffer, name: string): DecodedText {
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: swap16(buf.subarray(2)).toString('utf16le'), encoding: 'utf-16be' };
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  if (!bom) {
    // Before the UTF-8 check: ASCII text in UTF-16 is valid UTF-8 too (with a NUL after every letter).
    const sample = buf.subarray(0, 4096);
    let evenZeros = 0;
    let oddZeros = 0;
    sample.forEach((b, i) => {
      if (b === 0) i % 2 ? oddZeros++ : evenZeros++;
    });
    if (oddZeros > sample.length / 4) return { text: buf.toString('utf16le'), encoding: 'utf-16le' };
    if (evenZeros > sample.length / 4) return { text: swap16(buf).toString('utf16le'), encoding: 'utf-16be' };
  }
  const body = bom ? buf.subarray(3) : buf;
  if (isUtf8(body)) return { text: body.toString('utf8'), encoding: bom ? 'utf-8-bom' : 'utf-8' };
  return decodeMixed(name, body);
}

/** Length of a valid UTF-8 multi-byte sequence starting at i, or 0. */
function utf8SequenceAt(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i]!;
  const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > end) return 0;
  return isUtf8(buf.subarray(i, i + len)) ? len : 0;
}

/** What follows a capital with an accent (or ß) in Windows-1252 names: a no-break space, ’, – or —. */
const AFTER_CAPITAL = new Set([0xa0, 0x92, 0x96, 0x97]);

/**
 * What a valid UTF-8 sequence at i is where a file has Windows-1252 lines: a UTF-8 letter, two Windows-1252
 * characters, or either.
 * - Windows-1252: a capital with an accent or ß ending a word, then a no-break space, ’, – or —, which as UTF-8 is a
 *   character no name has there (IPA, a modifier or combining mark, NKo …). JOSÉ + no-break space is C9 A0, which
 *   UTF-8 reads as ɠ; Strauß–Bauer has ß– (DF 96), NKo's ߖ; MARTÍ + no-break space is CD A0, a combining mark; so
 *   is a double name in capitals (capitalsDash). The capital must follow a capital (ß a letter): a Cyrillic or Greek
 *   letter pasted into a name (Anastasіia, D1 96; Рetra, D0 A0) reads Ñ– after a small letter, or Ð at the start of
 *   a word, which no Windows-1252 name has: UTF-8.
 * - Either: a letter of Latin Extended-A or -B, Greek or Cyrillic where such a capital would be (MAРIA has the bytes
 *   of MAÐ + no-break space + IA, MILOŠ those of MILOÅ + no-break space). In a line that is not UTF-8 as a whole it
 *   is Windows-1252; in a line that is, no rule tells, and the line is refused (decodeMixed).
 * A file that is UTF-8 throughout is read as UTF-8, whatever its letters.
 */
function pairKind(buf: Uint8Array, i: number, end: number): 'windows-1252' | 'utf-8' | 'either' {
  if (utf8SequenceAt(buf, i, end) !== 2) return 'utf-8';
  if (capitalsDash(buf, i)) return 'windows-1252';
  if (!AFTER_CAPITAL.has(buf[i + 1]!)) return 'utf-8';
  const cp = ((buf[i]! & 0x1f) << 6) | (buf[i + 1]! & 0x3f);
  // Latin-1 letters of names (JÖRG's Ö is C3 96).
  if (cp < 0x100) return 'utf-8';
  const after = buf[i + 2];
  if (after !== undefined && i + 2 < end && after >= 0x80 && after < 0xc0) return 'utf-8';
  if (!(buf[i] === 0xdf ? isLetterByte(buf[i - 1]) : isCapitalByte(buf[i - 1]))) return 'utf-8';
  // After a capital: Latin Extended-A and -B (MILOŠ or STRÅ + no-break space, Vietnamese Ơ or GIOSUÈ’S as
  // GIOSUȒS), Greek and Cyrillic are either. IPA, a modifier or combining mark (NOË–DIJK would read NO˖DIJK, MARTÍ +
  // no-break space MART͠) and what comes after Cyrillic are in no name written so. (The ʻ of Oʻktam ends in BB.)
  return cp < 0x250 || (cp >= 0x370 && cp <= 0x52f) ? 'either' : 'windows-1252';
}

/** The first pair in a span that may be either encoding (pairKind), or -1. */
function eitherPairAt(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i]! >= 0xc2 && pairKind(buf, i, end) === 'either') return i;
  return -1;
}

/** Whether a span has a UTF-8 sequence that is a letter in no other reading (pairKind 'utf-8', or 3 or 4 bytes). */
function definiteUtf8(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (buf[i]! < 0x80) continue;
    if (pairKind(buf, i, end) === 'utf-8') return true;
    i++;
  }
  return false;
}

function decodeMixed(name: string, body: Buffer): DecodedText {
  // Only lines with a byte of 0x80 or more are looked at, and consecutive Windows-1252 lines are kept as one run
  // (start, end, first line, last line): a file of millions of ASCII lines costs no object or string per line.
  const runs: number[] = [];
  let anyUtf8 = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < body.length; ) {
    let high = i;
    while (high < body.length && body[high]! < 0x80) high++;
    if (high === body.length) break;
    for (let k = i; k < high; k++) {
      if (body[k] === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    const lf = body.indexOf(0x0a, high);
    const end = lf < 0 ? body.length : lf + 1;
    // A line that is valid UTF-8 only by accident is one of the Windows-1252 lines around it. One that is valid
    // UTF-8 with a pair that may be either (pairKind) cannot be read with certainty.
    const valid = isUtf8(body.subarray(lineStart, end));
    if (valid && eitherPairAt(body, lineStart, end) >= 0) {
      throw new UserError(
        `${name}, regel ${line}: een teken dat zowel een letter als Š, Ơ, Ȓ, een Griekse of Cyrillische (UTF-8) kan zijn als een hoofdletter met accent en een harde spatie, ’ of – (Windows-1252), in een bestand met Windows-1252-regels; de namen zijn niet met zekerheid te lezen. ${RESAVE_UTF8}`,
      );
    }
    if (valid && definiteUtf8(body, lineStart, end)) anyUtf8 = true;
    // A Windows-1252 line right after the run before it (that run ends where this line starts) extends it.
    else if (runs.length && runs.at(-3) === lineStart) {
      runs[runs.length - 3] = end;
      runs[runs.length - 1] = line;
    } else runs.push(lineStart, end, line, line);
    i = end;
    lineStart = end;
    if (lf >= 0) line++;
  }
  if (!anyUtf8) return decodeSingleByte(name, body, 0, true);
  // The UTF-8 (and ASCII) text between the runs in one piece each. decodeSingleByte counts the lines of a run, so
  // that its messages name the line.
  const parts: string[] = [];
  const legacyRuns: number[] = [];
  const signs: CodePageSigns = {};
  let at = 0;
  for (let r = 0; r < runs.length; r += 4) {
    const [start, end, first, last] = [runs[r]!, runs[r + 1]!, runs[r + 2]!, runs[r + 3]!];
    let l = first;
    for (let i = start; i < end; i++) {
      if (body[i] === 0x0a) l++;
      // A pair that may be either is Windows-1252 here: the line is not UTF-8 as a whole.
      else if (body[i]! >= 0xc2 && utf8SequenceAt(body, i, end) && pairKind(body, i, end) === 'utf-8') {
        throw new UserError(`${name}, regel ${l}: UTF-8 en Windows-1252 door elkaar in één regel, dus de namen zijn niet met zekerheid te lezen. ${RESAVE_UTF8}`);
      }
    }
    if (start > at) parts.push(body.toString('utf8', at, start));
    const decoded = decodeSingleByte(name, body.subarray(start, end), first - 1, false);
    for (const [kind, sign] of Object.entries(decoded.signs ?? {}) as [keyof CodePageSigns, SignLines][]) {
      const seen = signs[kind];
      signs[kind] = seen ? { line: seen.line, lines: seen.lines + sign.lines } : sign;
    }
    parts.push(decoded.text);
    legacyRuns.push(first, last);
    at = end;
  }
  if (at < body.length) parts.push(body.toString('utf8', at, body.length));
  return { text: parts.join(''), encoding: 'utf-8+windows-1252', legacyRuns, ...(Object.keys(signs).length ? { signs } : {}) };
}

// In Windows-1252 these are punctuation; between two letters they are the signature of a DOS code page
// (cp850: 0x82 é, 0x89 ë, 0x8B ï, 0x94 ö …) read as Windows-1252, which would corrupt names silently.
const PUNCTUATION_1252 = new Set([0x80, 0x82, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8b, 0x93, 0x94, 0x95, 0x98, 0x99, 0x9b]);
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
// cp850's é ê ë (José, Zoë) are ‚ ˆ ‰ in Windows-1252: right after a letter, at the end of a word too, no text has them.
const DOS_AFTER_LETTER = new Set([0x82, 0x88, 0x89]);
const isLetterByte = (b: number | undefined) => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0xc0 && b !== 0xd7 && b !== 0xf7));

const isCapitalByte = (b: number | undefined) => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0xc0 && b <= 0xde && b !== 0xd7));
const isLowerByte = (b: number | undefined) => b !== undefined && ((b >= 0x61 && b <= 0x7a) || (b >= 0xdf && b !== 0xf7));
/** Bytes that are ä å ö ú in Mac Roman and Š Œ š œ in Windows-1252 (real letters too, in Slavic and French names). */
const MAC_LETTERS = new Set([0x8a, 0x8c, 0x9a, 0x9c]);
// Opening quotes („ ‹ “) stand before a word; the rest of the punctuation above rarely does (a warning only).
const OPENING_QUOTES = new Set([0x84, 0x8b, 0x93]);

/**
 * Mac Roman (Excel for Mac's "CSV (Macintosh)") puts nearly all accented small letters in 0x80–0x9F, where
 * Windows-1252 has punctuation and a few letters: José, Noël, Zoë, Müller, Émile, Bjørn read JosŽ, No‘l, Zo‘,
 * MŸller, ƒmile, Bj¿rn. Where these stand in the word, no text has them: the file is refused.
 */
function isMacRoman(bytes: Buffer, i: number): boolean {
  const before = bytes[i - 1];
  const after = bytes[i + 1];
  switch (bytes[i]) {
    case 0xbf /* ¿ for ø */:
      return isLetterByte(before) && isLetterByte(after);
    case 0x8e /* Ž for é */:
    case 0x9f /* Ÿ for ü */:
      return isLowerByte(before) || (isLetterByte(before) && isLowerByte(after));
    case 0x83 /* ƒ for É */:
    case 0xaf /* ¯ for Ø */:
      return isLetterByte(before) || isLetterByte(after);
  }
  return false;
}

/**
 * Weaker signs, which a note or title row can also have (•dyslexie, Jan—Piet, a single Miloš): Windows-1252
 * punctuation right before a letter (Mac Roman's Ö Ç Ü Ä: …zdemir, ‚elik), — between letters and ’ between small
 * letters (its ó and í: Ram—n, Mart’n), and
 * Š Œ š œ next to a letter (its ä å ö ú: Schršder). The last counts only in a file without a single accented letter
 * at Windows-1252's places (0xC0–0xFF; every list of Dutch names has some). A warning names the line.
 */
function mayBeMacRoman(bytes: Buffer, i: number): boolean {
  const b = bytes[i]!;
  if (PUNCTUATION_1252.has(b) && !OPENING_QUOTES.has(b) && isLetterByte(bytes[i + 1])) return true;
  // — between letters: Mac Roman's ó (Ram—n). ’ between small letters: its í (Mart’n; but Ma’ayan has an apostrophe
  // there, so only a warning). Its ñ as – (Pe–a) is left alone: Jansen–de Vries writes a double name so.
  if (b === 0x97) return isLetterByte(bytes[i - 1]) && isLetterByte(bytes[i + 1]);
  // ‘ after a small letter: Mac Roman's ë (No‘l, Zo‘), but also the ayn of romanised Arabic (Sa‘id, Ma‘moun) and the
  // Ukrainian soft sign (Vasyl‘); after a capital it is Uzbek's (O‘ktam) and no sign at all.
  if (b === 0x91) return isLowerByte(bytes[i - 1]);
  return b === 0x92 && isLowerByte(bytes[i - 1]) && isLowerByte(bytes[i + 1]);
}

/**
 * Ð Ý Þ ð ý þ in Windows-1252 are Ğ İ Ş ğ ı ş in Windows-1254, what Excel writes on a PC with Turkish settings; the
 * rest of the two tables is the same, so Şule Yıldız would read Þule Yýldýz without another sign. Icelandic, Faroese
 * and Czech names have these letters too (Guðrún, Þór, Novotný): a warning names the line, nothing is refused.
 */
const TURKISH_1254 = new Set([0xd0, 0xdd, 0xde, 0xf0, 0xfd, 0xfe]);

/**
 * œ Œ in Windows-1252 are ś Ś in Windows-1250 (a PC with Central European settings): Cieślak reads Cieœlak. Its other
 * Polish letters are refused already (undefined or punctuation in Windows-1252) or read as real letters (ć ń ę as æ ñ
 * ê): only this one tells. French has œ too, but before u (cœur, sœur, Œuvre) or in œil.
 */
const isCentralS = (bytes: Buffer, i: number): boolean => {
  const next = bytes[i + 1];
  return (bytes[i] === 0x9c || bytes[i] === 0x8c) && (isLetterByte(bytes[i - 1]) || isLetterByte(next)) && next !== 0x75 && next !== 0x55 && next !== 0x69 && next !== 0x49;
};

/** The lines with a sign, each counted once. */
class SignTally {
  line = 0;
  lines = 0;
  private last = 0;
  add(at: number): void {
    if (this.last === at) return;
    this.line ||= at;
    this.last = at;
    this.lines++;
  }
}

/**
 * ISO-8859-1 when no byte is in 0x80–0x9F (then both read the same), else Windows-1252; DOS code pages and Mac
 * Roman refused, a possible Mac Roman warned about. `wholeFile`: the file, not one line of a mixed file. A whole
 * file with a UTF-8 letter in it mixes the two (no line of it is UTF-8 alone): refused, as such a line is.
 */
function decodeSingleByte(name: string, bytes: Buffer, firstLine: number, wholeFile: boolean): DecodedText {
  let line = firstLine + 1;
  let c1 = false;
  const macLike = new SignTally();
  const turkish = new SignTally();
  const central = new SignTally();
  let macLetter = 0;
  let accented = 0;
  const refuse = (at: number) => new UserError(`${name}, regel ${at}: onbekende tekencodering (geen UTF-8, Windows-1252 of ISO-8859-1; misschien een DOS-, Mac- of andere codering). ${RESAVE_UTF8}`);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    // CR alone ends a line too (old Mac files); in a mixed file lines are counted by LF, as decodeMixed counts them.
    if (b === 0x0a || (wholeFile && b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
    if (b < 0x80) continue;
    if (b <= 0x9f) c1 = true;
    if (
      UNDEFINED_1252.has(b) ||
      (PUNCTUATION_1252.has(b) && isLetterByte(bytes[i - 1]) && isLetterByte(bytes[i + 1])) ||
      (DOS_AFTER_LETTER.has(b) && isLetterByte(bytes[i - 1])) ||
      isMacRoman(bytes, i)
    ) {
      throw refuse(line);
    }
    // Only a sure UTF-8 letter (pairKind: é ë ş ł …) counts here: Windows-1252 capitals next to a no-break space or ’
    // (JOSÉ’S, MÄKELÄ + no-break space) make other valid UTF-8 pairs.
    if (wholeFile && b >= 0xc3 && b <= 0xc5 && utf8SequenceAt(bytes, i, bytes.length) === 2 && pairKind(bytes, i, bytes.length) === 'utf-8') {
      throw new UserError(`${name}, regel ${line}: UTF-8 en Windows-1252 door elkaar, dus de namen zijn niet met zekerheid te lezen. ${RESAVE_UTF8}`);
    }
    if (mayBeMacRoman(bytes, i)) macLike.add(line);
    // Also as an initial (Þ. for Ş.): a field of voorletters.
    if (TURKISH_1254.has(b) && (isLetterByte(bytes[i - 1]) || isLetterByte(bytes[i + 1]) || bytes[i + 1] === 0x2e)) turkish.add(line);
    if (isCentralS(bytes, i)) central.add(line);
    if (MAC_LETTERS.has(b) && (isLetterByte(bytes[i - 1]) || isLetterByte(bytes[i + 1]))) macLetter ||= line;
    // õ (0xF5) is also Mac Roman's ı (Yılmaz); × and ÷ are no letters.
    if (b >= 0xc0 && b !== 0xd7 && b !== 0xf5 && b !== 0xf7) accented++;
  }
  const signs: CodePageSigns = {};
  // œ between letters is said once, as the Windows-1250 ś it more likely is.
  const macLine = macLike.line || (wholeFile && accented === 0 && !central.line ? macLetter : 0);
  if (macLine) signs.mac = { line: macLine, lines: Math.max(1, macLike.lines) };
  if (turkish.line) signs.turkish = { line: turkish.line, lines: turkish.lines };
  if (central.line) signs.central = { line: central.line, lines: central.lines };
  const text = c1 ? decodeCp1252(bytes) : bytes.toString('latin1');
  return { text, encoding: c1 ? 'windows-1252' : 'iso-8859-1', ...(Object.keys(signs).length ? { signs } : {}) };
}

/** Ä or Å, a dash, a capital: a double name in capitals (JÄRVELÄ–VIRTANEN), not UTF-8's Ė or Ŗ (see DOUBLE_ENCODED). */
function capitalsDash(bytes: Uint8Array, i: number): boolean {
  const next = bytes[i + 2];
  return (
    (bytes[i] === 0xc4 || bytes[i] === 0xc5) &&
    (bytes[i + 1] === 0x96 || bytes[i + 1] === 0x97) &&
    next !== undefined &&
    ((next >= 0x41 && next <= 0x5a) || (next >= 0xc0 && next <= 0xde && next !== 0xd7))
  );
}

function swap16(buf: Buffer): Buffer {
  const copy = Buffer.from(buf.subarray(0, buf.length - (buf.length % 2)));
  return copy.swap16();
}

const DELIMITERS = [';', ',', '\t', '|'] as const;

/**
 * The delimiter of the first lines (quoted text ignored): per candidate, the lines with its most common count,
 * less the lines after its first one that lack it; the higher count breaks a tie. The most common count, not the
 * highest: one shifted row (a ; in a name) must not hand the file to the commas of a "Smit, Jan" column. A line
 * without the candidate after its first one counts against it: the commas of title lines stop at the header, the
 * ;s of a table do not (and a column of "4 havo, NT, NG" has no comma in its header or every row). Title rows
 * above the first line with the candidate do not count against it; a file with one column has none and is
 * refused by the caller.
 */
export function detectDelimiter(text: string): string | undefined {
  const lines = text
    .slice(0, 64 * 1024)
    .replace(/"(?:[^"]|"")*"/g, '""')
    .split(RECORD_END)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  let best: string | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const d of DELIMITERS) {
    const all = lines.map((l) => l.split(d).length - 1);
    const first = all.findIndex((c) => c > 0);
    if (first < 0) continue;
    const missing = all.slice(first).filter((c) => c === 0).length;
    const tally = new Map<number, number>();
    for (const c of all) if (c > 0) tally.set(c, (tally.get(c) ?? 0) + 1);
    let common = 0;
    let consistent = 0;
    for (const [c, n] of tally) {
      if (n > consistent || (n === consistent && c > common)) [common, consistent] = [c, n];
    }
    const score = (consistent - missing) * 1000 + common;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/**
 * The line where the field that never closes opens its quote. csv-parse names the line where the text ends (and
 * counts a CRLF inside quotes twice), which is not where to look.
 */
export function unclosedQuoteLine(text: string, delimiter: string): number | undefined {
  let line = 1;
  let quoted = false;
  let openedAt = 0;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else quoted = false;
        continue;
      }
    } else if (c === 34 && fieldStart) {
      quoted = true;
      openedAt = line;
      continue;
    } else fieldStart = text[i] === delimiter || c === 10 || c === 13;
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return quoted ? openedAt : undefined;
}

/** `csvError`: csv-parse's error class, passed in because csv-parse is loaded only for quoted text. */
function csvProblem(name: string, err: unknown, csvError: typeof CsvError, text: string, delimiter: string): UserError {
  if (err instanceof UserError) return err;
  if (err instanceof csvError) {
    // A record over MAX_RECORD_CHARS is an unclosed quote (csv-parse stops at the limit, before the end of the file).
    const unclosed = err.code === 'CSV_QUOTE_NOT_CLOSED' || (err.code === 'CSV_MAX_RECORD_SIZE' && unclosedQuoteLine(text, delimiter) !== undefined);
    const line = unclosed ? unclosedQuoteLine(text, delimiter) : (err as CsvError & { lines?: number }).lines;
    const where = line ? ` (regel ${line})` : '';
    if (unclosed) {
      return new UserError(`${name}: een aanhalingsteken (") wordt niet gesloten${where}. Open het bestand in Excel, controleer die regel en sla opnieuw op.`);
    }
    if (err.code === 'CSV_MAX_RECORD_SIZE')
      return new UserError(`${name}: een rij${where} is langer dan ${formatNumber(MAX_RECORD_CHARS)} tekens; dat is geen export. Open het bestand in Excel, controleer die rij en sla opnieuw op.`);
    return new UserError(`${name} is geen geldige CSV${where}. Open het in Excel en sla opnieuw op als CSV (gescheiden door lijstscheidingstekens).`);
  }
  return new UserError(`${name} kon niet als CSV gelezen worden. Open het in Excel en sla opnieuw op als CSV.`);
}

/**
 * The fields of a line without quotes, at most one more than LIMITS.columns (enough to refuse it). V8's split finds
 * every delimiter before it applies a limit: a 90 MB line of ;s cost 1.3 GB and 10 s. A long line is cut by hand.
 */
function fields(line: string, delimiter: string): string[] {
  if (line.length <= 64 * 1024) return line.split(delimiter);
  const out: string[] = [];
  let from = 0;
  while (out.length <= LIMITS.columns) {
    const at = line.indexOf(delimiter, from);
    if (at < 0) break;
    out.push(line.slice(from, at));
    from = at + delimiter.length;
  }
  out.push(line.slice(from));
  return out;
}

/** The row and column limits, checked on every record whichever parser read it. */
function checkedRow(name: string, row: number, cells: string[]): RawRow {
  if (row > LIMITS.rows) throw tooManyRows(name);
  if (cells.length > LIMITS.columns) throw tooManyColumns(name, row);
  return { row, cells };
}

/** Rows read between two turns of the event loop, so that Ctrl+C is handled while a large file is read. */
const ROWS_PER_TURN = 16_384;
/** Rows handed out at once (RowIterator.nextBatch). */
const ROWS_PER_BATCH = 256;
/** Sooner when what is done with the rows is slow (a filter of thousands of patterns): at most this long. */
const MS_PER_TURN = 100;

/**
 * Whether the event loop gets a turn before row `row` is handed out: every ROWS_PER_TURN rows, or at a batch
 * boundary once MS_PER_TURN has passed (the clock is read once a batch; Date.now: `performance` would load a Node
 * module after adaptV8ToWork). Without a turn Ctrl+C waits for the end.
 */
function turns(): { due(row: number): boolean; take<T>(value: T): Promise<T> } {
  let last = Date.now();
  return {
    due: (row) => row > 0 && (row % ROWS_PER_TURN === 0 || (row % ROWS_PER_BATCH === 0 && Date.now() - last > MS_PER_TURN)),
    take: (value) =>
      new Promise((resolve) =>
        setImmediate(() => {
          last = Date.now();
          resolve(value);
        }),
      ),
  };
}

/**
 * Characters in one record of a quoted CSV: far more than a row of an export, and an unclosed " is found within
 * it, not after reading (and holding) the rest of a large file as one field.
 */
const MAX_RECORD_CHARS = 1 << 20;

/**
 * A text without a single " is split by hand: csv-parse (with the options below) then reads every line ending
 * (CRLF, LF, CR) as the end of a record and every delimiter as the end of a field, and nothing else — a test holds
 * the two equal on random texts. That is the usual file (an IDGebr list, a mapping, most exports), and it is read
 * ~5× faster, without loading csv-parse. Synchronous per row, behind the async interface every reader has.
 */
function plainRows(name: string, text: string, delimiter: string): RowIterator {
  let start = 0;
  let row = 0;
  // The next CR and LF at or after `start`, each found once: a regular expression per line made a match per row.
  let cr = -1;
  let lf = -1;
  const end = (): IteratorResult<RawRow> => {
    start = text.length;
    return { done: true, value: undefined };
  };
  const step = (): RawRow | undefined => {
    // Like csv-parse: no record after the last line ending (nor in an empty text).
    if (start >= text.length) return undefined;
    if (cr < start) cr = text.indexOf('\r', start) >>> 0;
    if (lf < start) lf = text.indexOf('\n', start) >>> 0;
    // CRLF, LF or CR ends a record; >>> 0 made "none" the largest number.
    const stop = Math.min(cr, lf, text.length);
    const line = text.slice(start, stop);
    start = stop === cr && lf === cr + 1 ? cr + 2 : stop + 1;
    return checkedRow(name, ++row, fields(line, delimiter));
  };
  /**
   * Up to ROWS_PER_BATCH rows, never past a multiple of ROWS_PER_TURN (then a turn of the event loop comes first).
   * Small batches: the rows of a batch are alive together, and thousands of them would outlive the young
   * generation and be copied by the garbage collector.
   */
  const batch = (): RawRow[] => {
    const rows: RawRow[] = [];
    for (let r = step(); r; r = rows.length === ROWS_PER_BATCH || row % ROWS_PER_TURN === 0 ? undefined : step()) rows.push(r);
    return rows;
  };
  const loop = turns();
  const turn = <T>(value: T): Promise<T> => (loop.due(row) ? loop.take(value) : Promise.resolve(value));
  const failed = (err: unknown) => {
    end();
    return Promise.reject(err);
  };
  return {
    next: () => {
      try {
        const r = step();
        return r ? turn({ done: false, value: r }) : Promise.resolve(end());
      } catch (err) {
        return failed(err);
      }
    },
    nextBatch: () => {
      try {
        return turn(batch());
      } catch (err) {
        return failed(err);
      }
    },
    return: () => Promise.resolve(end()),
  };
}

/** Mixed line ends happen when files are stitched together; any of them ends a record (CRLF first). */
const RECORD_ENDS = ['\r\n', '\n', '\r'];
/** The same, for the delimiter detection. */
const RECORD_END = new RegExp(RECORD_ENDS.join('|'), 'g');

/** How csv-parse reads every CSV; the hand-split path below reads quote-free text exactly so. */
export const CSV_OPTIONS = {
  record_delimiter: RECORD_ENDS,
  relax_column_count: true,
  relax_quotes: true,
  // Empty lines are kept as records, so the record number is the row number Excel shows for this CSV.
  skip_empty_lines: false,
};

/** Any text with a ": csv-parse, streamed, so memory holds one chunk's records at a time. */
async function* quotedRows(name: string, text: string, delimiter: string): AsyncGenerator<RawRow> {
  // Loaded only here: most files have no quotes, and loading csv-parse costs a small run ~0.03 s.
  const { CsvError: csvError, parse } = await import('csv-parse');
  const { Readable } = process.getBuiltinModule('node:stream');
  const parser = parse({ ...CSV_OPTIONS, delimiter, max_record_size: MAX_RECORD_CHARS });
  const chunks = (function* () {
    for (let i = 0; i < text.length; i += 64 * 1024) yield text.slice(i, i + 64 * 1024);
  })();
  Readable.from(chunks).pipe(parser);
  let row = 0;
  // csv-parse hands records on in promise callbacks only: without these turns a signal waited for the end.
  const loop = turns();
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      swallowedRows(name, row, record, delimiter);
      excelTextFormulas(name, row, record);
      if (loop.due(row)) await loop.take(undefined);
      yield checkedRow(name, row, record);
    }
  } catch (err) {
    throw csvProblem(name, err, csvError, text, delimiter);
  } finally {
    parser.destroy();
  }
}

const LINE_BREAK = /[\r\n]/;

/**
 * A field in quotes may hold line breaks (a note typed with Alt+Enter), and a note may hold delimiters ("ma; di;
 * do"). One with a later line shaped like a whole row of this file (as many delimiters as the record has between
 * its fields) holds rows: a stray " (a note that starts with one, in a file that quotes nothing) opened a field
 * that the next stray " closed, and the students in between would be one cell. Refused, as an unclosed quote is.
 */
function swallowedRows(name: string, row: number, record: readonly string[], delimiter: string): void {
  const enough = Math.max(2, record.length - 1);
  for (const field of record) {
    // Most fields hold no delimiter, and a field without one holds no row.
    if (!field.includes(delimiter) || !LINE_BREAK.test(field)) continue;
    const lines = field.split(/\r\n|\r|\n/);
    for (let i = 1; i < lines.length; i++) {
      if (lines[i]!.split(delimiter).length - 1 < enough) continue;
      throw new UserError(
        `${name}, rij ${row}: een veld tussen aanhalingstekens (") loopt over regels die zelf rijen lijken; zo verdwijnen leerlingen in één cel. Staat er in die rij een losse "? Haal hem weg (of open het bestand in Excel, controleer de rij en sla opnieuw op).`,
      );
    }
  }
}

/** ="001234" (also written "=""001234"""): a formula that only Excel turns into the text inside. */
const EXCEL_TEXT_FORMULA = /^="[^"]*"$/;

/**
 * A field written as ="001234", as scripts do to keep leading zeros in Excel: Excel shows 001234, but the file (and
 * Numo, which takes a cell as it is) holds the formula. Refused with what to do: as a Stamnr it was "geen nummer",
 * as a Klas a misplaced quote, which sent the admin to the wrong cause.
 */
function excelTextFormulas(name: string, row: number, record: readonly string[]): void {
  for (const field of record) {
    if (field.charCodeAt(0) === 61 && EXCEL_TEXT_FORMULA.test(field)) {
      throw new UserError(
        `${name}, rij ${row}: een cel als ="001234", een Excel-formule die voorloopnullen bewaart; die leest numo-prep niet als tekst. Open het bestand in Excel en sla het op als CSV UTF-8 (dan staat er 001234), of exporteer zonder ="…".`,
      );
    }
  }
}

/** The records of a decoded CSV text, numbered from 1 (empty lines count). */
export function csvRows(name: string, text: string, delimiter: string): AsyncIterator<RawRow> {
  return text.includes('"') ? quotedRows(name, text, delimiter) : plainRows(name, text, delimiter);
}

/** A list (Numo's opleidingscodes) may have one column and so no delimiter; an export never does. */
export function csvSheet(name: string, buf: Buffer, o: { singleColumn?: boolean } = {}): Sheet {
  const { text, encoding, legacyRuns, signs, secondBom } = decodeText(buf, name);
  const mixed = legacyRuns && lineRuns(legacyRuns);
  const delimiter = detectDelimiter(text) ?? (o.singleColumn ? ';' : undefined);
  if (!delimiter) {
    throw new UserError(`${name}: scheidingsteken niet herkend (verwacht puntkomma, komma, tab of |). Open het bestand in Excel en sla op als CSV (gescheiden door lijstscheidingstekens).`);
  }
  return {
    rows: { [Symbol.asyncIterator]: () => csvRows(name, text, delimiter) },
    encoding: ENCODING_NAMES[encoding],
    ...(encoding === 'utf-8-bom' ? { bom: true as const } : {}),
    delimiter,
    ...(mixed ? { mixedEncoding: mixed } : {}),
    ...(secondBom ? { secondBom } : {}),
    ...(signs ? { warnings: signWarnings(signs) } : {}),
  };
}

/** Weaker signs of another code page (decodeSingleByte): the admin checks the names, the characters are not shown. */
function signWarnings({ mac, turkish, central }: CodePageSigns): string[] {
  const where = ({ line, lines }: SignLines) => `Regel ${line}${lines > 1 ? ` (en ${formatNumber(lines - 1)} ${lines === 2 ? 'andere regel' : 'andere regels'})` : ''}`;
  return [
    ...(mac
      ? [
          `${where(mac)} heeft een teken dat Windows-1252 zelden zo schrijft (een leesteken vlak voor een letter, ‘ na een kleine letter, ’ of — midden in een woord, of Š/š/Œ/œ zonder andere letters met accent): komt het bestand uit Excel voor Mac ("CSV (Macintosh)"), dan zijn letters verkeerd gelezen. Controleer de namen in de uitvoer, of sla op als "CSV UTF-8".`,
        ]
      : []),
    ...(turkish
      ? [
          `${where(turkish)} heeft Ð, Ý, Þ, ð, ý of þ: komt het bestand van een pc met Turkse instellingen (Windows-1254), dan zijn dat Ğ, İ, Ş, ğ, ı en ş en zijn die namen verkeerd gelezen. Controleer ze, of sla het bestand op als "CSV UTF-8".`,
        ]
      : []),
    ...(central
      ? [
          `${where(central)} heeft œ of Œ midden in een naam: komt het bestand van een pc met Midden-Europese instellingen (Windows-1250), dan is dat ś of Ś, en kunnen ook ć, ń en ę verkeerd gelezen zijn (als æ, ñ en ê). Controleer de namen, of sla het bestand op als "CSV UTF-8".`,
        ]
      : []),
  ];
}

/** "regels 12–40, 77" — runs of consecutive lines (first, last, …), at most five shown. */
function lineRuns(runs: readonly number[]): string {
  const shown: string[] = [];
  for (let i = 0; i < runs.length && shown.length < 5; i += 2) shown.push(runs[i] === runs[i + 1] ? `${runs[i]}` : `${runs[i]}–${runs[i + 1]}`);
  const more = runs.length > 10 ? ` en ${runs.length / 2 - 5} stukken meer` : '';
  return `${runs.length === 2 && runs[0] === runs[1] ? 'regel' : 'regels'} ${shown.join(', ')}${more}`;
}
