/**
 * Excel number formats: which ones show a number as a date, a time or a duration, and the text numo-prep reads
 * for such a cell. Pure; no I/O. Our own code (not a library's internals) because the reader must get ids
 * 27–36 and 50–58, `\` escapes, `[h]` durations, LibreOffice's upper-case codes and the 1900 leap-year bug
 * right, and each of those was wrong or missing in the library we used before.
 *
 * What a cell reads as (docs/REFERENCE.md, "Getalnotaties en datums", says the same for users):
 * - date format → `yyyy-mm-dd`; date and time → `yyyy-mm-dd hh:mm:ss`; time only → `hh:mm:ss` (the time of
 *   day, 24-hour); sub-seconds only when the format shows them (`ss.00` → `hh:mm:ss.00`).
 * - duration (`[h]`, `[mm]`, `[ss]`) → as Excel shows it: `[h]:mm` and 1.5 → `36:00`.
 * - an integer in a zero-padded format (`000000`) → padded, as Excel shows it: 1234 → `001234`.
 * - anything else: undefined, and the caller writes the plain number.
 * A date Excel itself cannot show (negative, after 9999-12-31) is the plain number too. ISO 8601 text cells
 * (`t="d"`) go through the same rules: formatIsoCell.
 */

export type FormatKind = 'number' | 'scientific' | 'zeros' | 'date' | 'datetime' | 'time' | 'duration';

type Token =
  | { t: 'lit'; v: string }
  | { t: 'year' | 'era' | 'buddhist' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'subsec'; n: number }
  | { t: 'mm'; n: number } // month or minute, decided per section
  | { t: 'elapsed'; unit: 'h' | 'm' | 's'; n: number }
  | { t: 'ampm'; am: string; pm: string }
  | { t: 'calendar' } // B1/B2: a date in another calendar
  | { t: 'digits'; v: string }
  | { t: 'text' }
  | { t: 'general' };

interface Condition {
  op: '<' | '<=' | '>' | '>=' | '=' | '<>';
  value: number;
}

export interface Section {
  tokens: Token[];
  kind: FormatKind;
  condition?: Condition;
  /** Hour tokens show 1–12. */
  twelveHour: boolean;
  /** Digits shown after the seconds (0–3): the precision times are rounded to. */
  subsecondDigits: number;
}

export interface NumberFormat {
  sections: Section[];
  /** The sections a number can use (at most 3): those without an @, which is for text. */
  numeric: Section[];
}

/**
 * Built-in formats: an .xlsx names them by id only. 0–49 as in ECMA-376 18.8.30 (47 as Excel shows it,
 * `mm:ss.0`; the standard prints `mmss.0`). Ids 5–8 (currency), 23–26 and 41–44 depend on the Excel
 * language and are plain numbers here. Ids 27–36 and 50–58 are East-Asian dates and times that differ per
 * language (zh-CN, zh-TW, ja-JP, ko-KR): only whether they are a date, a time or both matters to us, since the
 * output is normalised, so they stand here as representative codes. 34, 35, 55 and 56 are a time in Chinese
 * and a date in Japanese and Korean: read as date and time, so nothing is lost either way. 59–81 are the Thai
 * ones, mapped as Excel does to their counterparts.
 */
const BUILTIN: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)',
  40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
  48: '##0.0E+0',
  49: '@',
};
const EAST_ASIAN_DATE = 'yyyy-mm-dd';
const EAST_ASIAN_EITHER = 'yyyy-mm-dd hh:mm:ss';
for (const id of [27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]) BUILTIN[id] = EAST_ASIAN_DATE;
for (const id of [34, 35, 55, 56]) BUILTIN[id] = EAST_ASIAN_EITHER;
BUILTIN[32] = 'h:mm';
BUILTIN[33] = 'h:mm:ss';
const THAI: Record<number, number> = { 59: 1, 60: 2, 61: 3, 62: 4, 67: 9, 68: 10, 69: 12, 70: 13, 71: 14, 72: 14, 73: 15, 74: 16, 75: 17, 76: 20, 77: 21, 78: 22, 79: 45, 80: 46, 81: 47 };
for (const [id, same] of Object.entries(THAI)) BUILTIN[Number(id)] = BUILTIN[same]!;

/** The format code of a built-in id; undefined for an id without one (read as a plain number). */
export function builtinFormatCode(id: number): string | undefined {
  return BUILTIN[id];
}

const GENERAL_SECTION: Section = { tokens: [{ t: 'general' }], kind: 'number', twelveHour: false, subsecondDigits: 0 };
const GENERAL: NumberFormat = { sections: [GENERAL_SECTION], numeric: [GENERAL_SECTION] };

/**
 * Excel accepts at most 4 sections and 255 characters; longer codes are not Excel's and read as General (a code of
 * thousands of 0s would otherwise make every cell that long).
 */
const MAX_CODE = 255;

/** Parses a format code in one linear pass. A code Excel would refuse reads as General (plain numbers). */
export function parseFormat(code: string): NumberFormat {
  if (code.length > MAX_CODE) return GENERAL;
  const sections: Section[] = [];
  let tokens: Token[] = [];
  let condition: Condition | undefined;
  let closingBracket = true; // false once no ']' is left: every later '[' is literal (keeps this linear)
  const lit = (v: string) => {
    const last = tokens.at(-1);
    if (last?.t === 'lit') last.v += v;
    else tokens.push({ t: 'lit', v });
  };
  const run = (at: number, lower: string): number => {
    let j = at;
    while (j < code.length && code[j]!.toLowerCase() === lower) j++;
    return j - at;
  };
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    const lower = c.toLowerCase();
    switch (lower) {
      case ';':
        sections.push(finishSection(tokens, condition));
        tokens = [];
        condition = undefined;
        i++;
        continue;
      case '"': {
        const end = code.indexOf('"', i + 1);
        const stop = end < 0 ? code.length : end;
        lit(code.slice(i + 1, stop));
        i = stop + 1;
        continue;
      }
      case '\\':
        if (i + 1 < code.length) lit(code[i + 1]!);
        i += 2;
        continue;
      case '_':
        lit(' ');
        i += 2;
        continue;
      case '*':
        i += 2;
        continue;
      case '[': {
        const end = closingBracket ? code.indexOf(']', i + 1) : -1;
        if (end < 0) {
          closingBracket = false;
          lit(c);
          i++;
          continue;
        }
        const inner = code.slice(i + 1, end);
        i = end + 1;
        const elapsed = /^(?:h+|m+|s+)$/i.test(inner) ? (inner[0]!.toLowerCase() as 'h' | 'm' | 's') : undefined;
        if (elapsed) tokens.push({ t: 'elapsed', unit: elapsed, n: inner.length });
        else if (/^[<>=]/.test(inner)) condition = parseCondition(inner) ?? condition;
        else if (inner.startsWith('$')) {
          const dash = inner.indexOf('-');
          const symbol = inner.slice(1, dash < 0 ? undefined : dash);
          if (symbol) lit(symbol);
        }
        // Anything else is a colour ([Red], [Color10]) or a script marker ([DBNum1]): no effect on the value.
        continue;
      }
      case 'g':
        if (code.slice(i, i + 7).toLowerCase() === 'general') {
          tokens.push({ t: 'general' });
          i += 7;
        } else {
          const n = run(i, 'g');
          tokens.push({ t: 'era', n });
          i += n;
        }
        continue;
      case 'b':
        if (code[i + 1] === '1' || code[i + 1] === '2') {
          tokens.push({ t: 'calendar' });
          i += 2;
        } else {
          const n = run(i, 'b');
          tokens.push({ t: 'buddhist', n });
          i += n;
        }
        continue;
      case 'e':
        if (code[i + 1] === '+' || code[i + 1] === '-') {
          tokens.push({ t: 'digits', v: code.slice(i, i + 2) });
          i += 2;
        } else {
          const n = run(i, 'e');
          tokens.push({ t: 'year', n: 4 });
          i += n;
        }
        continue;
      case 'y':
      case 'd':
      case 'h':
      case 's':
      case 'm': {
        const n = run(i, lower);
        const t = ({ y: 'year', d: 'day', h: 'hour', s: 'second', m: 'mm' } as const)[lower];
        tokens.push({ t, n });
        i += n;
        continue;
      }
      case 'a': {
        const five = code.slice(i, i + 5);
        if (five.toUpperCase() === 'AM/PM') {
          tokens.push({ t: 'ampm', am: 'AM', pm: 'PM' });
          i += 5;
        } else if (code.slice(i, i + 3).toUpperCase() === 'A/P') {
          tokens.push({ t: 'ampm', am: c, pm: code[i + 2]! });
          i += 3;
        } else {
          lit(c);
          i++;
        }
        continue;
      }
      case '上':
        if (code.startsWith('上午/下午', i)) {
          tokens.push({ t: 'ampm', am: '上午', pm: '下午' });
          i += 5;
        } else {
          lit(c);
          i++;
        }
        continue;
      case '.': {
        const prev = lastTemporal(tokens);
        if (prev && (prev.t === 'second' || (prev.t === 'elapsed' && prev.unit === 's')) && code[i + 1] === '0') {
          let n = 0;
          while (code[i + 1 + n] === '0') n++;
          tokens.push({ t: 'subsec', n });
          i += 1 + n;
          continue;
        }
        tokens.push({ t: 'digits', v: c });
        i++;
        continue;
      }
      case '0':
      case '#':
      case '?':
      case ',':
      case '%': {
        const last = tokens.at(-1);
        if (last?.t === 'digits') last.v += c;
        else tokens.push({ t: 'digits', v: c });
        i++;
        continue;
      }
      case '@':
        tokens.push({ t: 'text' });
        i++;
        continue;
      default:
        lit(c);
        i++;
    }
  }
  sections.push(finishSection(tokens, condition));
  if (sections.length > 4) return GENERAL;
  return { sections, numeric: sections.filter((x) => !x.tokens.some((t) => t.t === 'text')).slice(0, 3) };
}

function parseCondition(inner: string): Condition | undefined {
  const m = /^(<>|<=|>=|<|>|=)\s*(-?\d+(?:\.\d*)?)$/.exec(inner.trim());
  return m ? { op: m[1] as Condition['op'], value: Number(m[2]) } : undefined;
}

const DATE_TOKENS = new Set(['year', 'era', 'buddhist', 'month', 'day', 'calendar']);
const TIME_TOKENS = new Set(['hour', 'minute', 'second', 'subsec', 'ampm']);
const TEMPORAL = new Set([...DATE_TOKENS, ...TIME_TOKENS, 'mm', 'elapsed']);

function lastTemporal(tokens: Token[]): Token | undefined {
  for (let k = tokens.length - 1; k >= 0; k--) if (TEMPORAL.has(tokens[k]!.t)) return tokens[k];
  return undefined;
}

/**
 * Decides month or minute for each `m`/`mm` (a minute right after an hour, or right before seconds, with only
 * literals between), and what kind of format the section is.
 */
function finishSection(tokens: Token[], condition: Condition | undefined): Section {
  const temporal = tokens.filter((t) => TEMPORAL.has(t.t) && t.t !== 'subsec');
  temporal.forEach((t, k) => {
    if (t.t !== 'mm') return;
    const prev = temporal[k - 1];
    const next = temporal[k + 1];
    const afterHour = prev?.t === 'hour' || (prev?.t === 'elapsed' && prev.unit === 'h');
    const beforeSeconds = next?.t === 'second';
    (t as { t: string }).t = (afterHour || beforeSeconds) && t.n <= 2 ? 'minute' : 'month';
  });
  let date = false;
  let time = false;
  let elapsed = false;
  let twelveHour = false;
  let subsecondDigits = 0;
  for (const t of tokens) {
    if (DATE_TOKENS.has(t.t)) date = true;
    if (TIME_TOKENS.has(t.t)) time = true;
    if (t.t === 'elapsed') elapsed = true;
    if (t.t === 'ampm') twelveHour = true;
    if (t.t === 'subsec') subsecondDigits = Math.max(subsecondDigits, Math.min(t.n, 3));
  }
  const scientific = tokens.some((t) => t.t === 'digits' && /^e[+-]/i.test(t.v));
  const kind: FormatKind = elapsed
    ? 'duration'
    : date && time
      ? 'datetime'
      : date
        ? 'date'
        : time
          ? 'time'
          : scientific
            ? 'scientific'
            : zeroPadPlaceholders(tokens) !== undefined
              ? 'zeros'
              : 'number';
  return { tokens, kind, twelveHour, subsecondDigits, ...(condition ? { condition } : {}) };
}

/**
 * The placeholders of a zero-padded integer format, else undefined: one run of 0 and # with at least one 0
 * (000000, #000000, 00####), and nothing else but spaces around it (000000_), 000000" "): the cell shows the
 * integer in those places, and spaces are trimmed from every cell.
 */
function zeroPadPlaceholders(tokens: readonly Token[]): string | undefined {
  const placeholders = tokens.filter((t) => t.t !== 'lit' || t.v.trim() !== '');
  const only = placeholders.length === 1 ? placeholders[0] : undefined;
  return only?.t === 'digits' && /^[0#]*0[0#]*$/.test(only.v) ? only.v : undefined;
}

/**
 * A non-negative integer in 0/# places, as Excel fills them from the right: an empty 0 shows 0, an empty # nothing.
 * Zero has no digits to place (Excel and LibreOffice show 00#### as 00).
 */
function fillPlaces(n: number, places: string): string {
  const digits = n === 0 ? '' : String(n);
  const empty = places.length - digits.length;
  // One native pass, not a string per character (a format of thousands of 0s on every cell took seconds and a GiB).
  return empty <= 0 ? digits : places.slice(0, empty).replaceAll('#', '') + digits;
}

function holds(c: Condition, v: number): boolean {
  switch (c.op) {
    case '<':
      return v < c.value;
    case '<=':
      return v <= c.value;
    case '>':
      return v > c.value;
    case '>=':
      return v >= c.value;
    case '=':
      return v === c.value;
    case '<>':
      return v !== c.value;
  }
}

/** The section Excel uses for a number, and whether it shows the number without its minus sign. */
function choose(f: NumberFormat, v: number): { section: Section; unsigned: boolean } | undefined {
  const s = f.numeric;
  if (s.length === 0) return undefined;
  if (s[0]!.condition || s[1]?.condition) {
    if (s[0]!.condition && holds(s[0]!.condition, v)) return { section: s[0]!, unsigned: false };
    if (s[1]?.condition && holds(s[1].condition, v)) return { section: s[1], unsigned: false };
    const rest = s[0]!.condition && s[1]?.condition ? s[2] : s[1];
    return rest ? { section: rest, unsigned: v < 0 } : undefined;
  }
  if (s.length === 1 || v > 0 || (v === 0 && s.length === 2)) return { section: s[0]!, unsigned: false };
  if (v < 0) return { section: s[1]!, unsigned: true };
  return { section: s[2]!, unsigned: false };
}

/** The last day Excel can show: 9999-12-31. */
const MAX_SERIAL_1900 = 2958465;
const MAX_SERIAL_1904 = MAX_SERIAL_1900 - 1462;

interface Moment {
  /** Whole days of the serial after rounding. */
  days: number;
  /** Time of day in units of 10^-digits seconds. */
  ticks: number;
  perSecond: number;
}

/**
 * Rounds to what the format shows: whole seconds, or its sub-second digits; date-only formats show the day
 * the serial falls on (a time within 0.1 ms of midnight counts as the next day, like Excel).
 */
function moment(serial: number, section: Section): Moment {
  const perSecond = 10 ** section.subsecondDigits;
  const perDay = 86_400 * perSecond;
  let days = Math.floor(serial);
  const seconds = (serial - days) * 86_400;
  let ticks = 0;
  if (section.kind === 'date') {
    if (seconds > 86_399.9999) days++;
  } else {
    ticks = Math.round(seconds * perSecond);
    if (ticks >= perDay) {
      ticks -= perDay;
      days++;
    }
  }
  return { days, ticks, perSecond };
}

interface Ymd {
  y: number;
  m: number;
  d: number;
  /** Day of the week as Excel shows it, 0 = Sunday. */
  dow: number;
}

/**
 * A day serial as Excel shows it. 1900 system: day 1 is 1900-01-01, and Excel counts a 1900-02-29 that never
 * was (day 60; Lotus 1-2-3's bug, kept for compatibility), so days before it are one off from a plain count;
 * day 0 shows as 1900-01-00. 1904 system (old Mac Excel): day 0 is 1904-01-01.
 */
function ymd(days: number, date1904: boolean): Ymd {
  if (!date1904 && days === 0) return { y: 1900, m: 1, d: 0, dow: 6 };
  if (!date1904 && days === 60) return { y: 1900, m: 2, d: 29, dow: 3 };
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const at = new Date(epoch + days * 86_400_000);
  const dow = !date1904 && days < 60 ? (at.getUTCDay() + 6) % 7 : at.getUTCDay();
  return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate(), dow };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function clock(t: Moment): string {
  const seconds = Math.floor(t.ticks / t.perSecond);
  const hms = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return t.perSecond > 1 ? `${hms}.${pad(t.ticks % t.perSecond, String(t.perSecond).length - 1)}` : hms;
}

/**
 * The text numo-prep reads for a number in this format (see the top of this file), or undefined for the plain
 * number.
 */
export function formatNumber(value: number, f: NumberFormat, date1904: boolean): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // Excel works with 15 significant digits: 45658.499999999999 is noon, not a second before.
  const v = Number(value.toPrecision(15));
  const chosen = choose(f, v);
  if (!chosen) return undefined;
  const { section, unsigned } = chosen;
  switch (section.kind) {
    case 'number':
    case 'scientific':
      return undefined;
    case 'zeros': {
      if (!Number.isInteger(v) || Math.abs(v) >= 1e15 || unsigned) return undefined;
      return (v < 0 ? '-' : '') + fillPlaces(Math.abs(v), zeroPadPlaceholders(section.tokens)!);
    }
    case 'duration': {
      if (Math.abs(v) > MAX_SERIAL_1900) return undefined;
      const sign = v < 0 && !unsigned ? '-' : '';
      return sign + render(section, moment(Math.abs(v), section), date1904);
    }
    default: {
      if (v < 0 || v > (date1904 ? MAX_SERIAL_1904 : MAX_SERIAL_1900) + 1) return undefined;
      const t = moment(v, section);
      if (section.kind === 'time') return clock(t);
      if (t.days > (date1904 ? MAX_SERIAL_1904 : MAX_SERIAL_1900)) return undefined;
      const { y, m, d } = ymd(t.days, date1904);
      const day = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
      return section.kind === 'date' ? day : `${day} ${clock(t)}`;
    }
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Renders a section token by token as Excel would (English month and day names), for durations, which are
 * read exactly as shown. Date parts in a duration format are rare but rendered all the same.
 */
function render(section: Section, t: Moment, date1904: boolean): string {
  const seconds = Math.floor(t.ticks / t.perSecond);
  const totalSeconds = t.days * 86_400 + seconds;
  const hour = Math.floor(seconds / 3600);
  let date: Ymd | undefined;
  const day = () => (date ??= ymd(t.days, date1904));
  let out = '';
  for (const k of section.tokens) {
    switch (k.t) {
      case 'lit':
        out += k.v;
        break;
      case 'digits':
        out += k.v;
        break;
      case 'elapsed': {
        const n = k.unit === 'h' ? Math.floor(totalSeconds / 3600) : k.unit === 'm' ? Math.floor(totalSeconds / 60) : totalSeconds;
        out += pad(n, k.n);
        break;
      }
      case 'hour':
        out += pad(section.twelveHour ? ((hour + 11) % 12) + 1 : hour, Math.min(k.n, 2));
        break;
      case 'minute':
        out += pad(Math.floor(seconds / 60) % 60, Math.min(k.n, 2));
        break;
      case 'second':
        out += pad(seconds % 60, Math.min(k.n, 2));
        break;
      case 'subsec':
        out += `.${pad(t.ticks % t.perSecond, section.subsecondDigits).slice(0, k.n)}`;
        break;
      case 'ampm':
        out += hour < 12 ? k.am : k.pm;
        break;
      case 'year':
        out += k.n <= 2 ? pad(day().y % 100, 2) : pad(day().y, 4);
        break;
      case 'buddhist':
        out += k.n <= 2 ? pad((day().y + 543) % 100, 2) : pad(day().y + 543, 4);
        break;
      case 'month': {
        const m = day().m;
        out += k.n <= 2 ? pad(m, k.n) : k.n === 3 ? MONTHS[m - 1]!.slice(0, 3) : k.n === 5 ? MONTHS[m - 1]![0] : MONTHS[m - 1];
        break;
      }
      case 'day': {
        const d = day();
        out += k.n <= 2 ? pad(d.d, k.n) : k.n === 3 ? WEEKDAYS[d.dow]!.slice(0, 3) : WEEKDAYS[d.dow];
        break;
      }
      case 'mm':
      case 'era':
      case 'calendar':
      case 'text':
      case 'general':
        break;
    }
  }
  return out;
}

const ISO = /^(?:(\d{4})-(\d{2})-(\d{2}))?(?:T?(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A cell of type `d` (an ISO 8601 date, time or both, as SheetJS writes them): read like the serial Excel makes
 * of it, in the cell's format when that is a date or time, else by what it holds (`yyyy-mm-dd`, `hh:mm:ss` or
 * both). The wall-clock digits count; a time-zone suffix is ignored. Text that is no ISO date reads as itself.
 */
export function formatIsoCell(text: string, f: NumberFormat | undefined, date1904: boolean): string {
  const m = ISO.exec(text.trim());
  if (!m || (m[1] === undefined && m[4] === undefined)) return text;
  let serial = 0;
  if (m[1] !== undefined) {
    const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (utc < (date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1900, 0, 1))) return text; // before Excel's calendar
    const days = Math.round((utc - (date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30))) / 86_400_000);
    // Before 1900-03-01 Excel counts from 1899-12-31 (its 1900-02-29 comes after).
    serial = !date1904 && utc < Date.UTC(1900, 2, 1) ? days - 1 : days;
  }
  if (m[4] !== undefined) serial += (Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0) + Number(m[7] ?? 0)) / 86_400;
  const temporal = f?.sections.some((s) => s.kind !== 'number' && s.kind !== 'zeros');
  const shape = temporal ? f! : parseFormat(m[1] === undefined ? 'hh:mm:ss' : Number.isInteger(serial) ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss');
  return formatNumber(serial, shape, date1904) ?? text;
}
