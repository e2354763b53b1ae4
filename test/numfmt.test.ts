import { createRequire } from 'node:module';
import * as XLSX from '@e965/xlsx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinFormatCode, type FormatKind, formatIsoCell, formatNumber, parseFormat } from '../src/io/numfmt.js';

// Oracles, test-only: exceljs 4.x (its number-format table and date test, which numo-prep used to deep-import)
// and SheetJS' SSF (a full Excel number-format renderer, built from Excel's own output).
const require = createRequire(import.meta.url);
const { getDefaultFmtCode } = require('exceljs/lib/xlsx/xform/style/numfmt-xform.js') as { getDefaultFmtCode(id: number): string | undefined };
const { isDateFmt } = require('exceljs/lib/utils/utils.js') as { isDateFmt(fmt: string): boolean };
const SSF = XLSX.SSF;

const TEMPORAL: FormatKind[] = ['date', 'datetime', 'time', 'duration'];
const kindOf = (code: string) => parseFormat(code).sections[0]!.kind;
const read = (code: string, v: number, date1904 = false) => formatNumber(v, parseFormat(code), date1904);

describe('built-in number formats', () => {
  // Where our table knowingly differs from exceljs' (each a documented normalisation, not a skip):
  // - 22: exceljs has 'm/d/yy "h":mm' (a quoted h); ECMA-376 and Excel: m/d/yy h:mm.
  // - 47: exceljs (and the standard's table) print 'mmss.0'; Excel shows mm:ss.0. Both are a time.
  // - 27–36, 50–58 (East-Asian dates and times) and 59–81 (Thai): exceljs has no code, so it read them as plain
  //   numbers; we read them as dates/times like Excel in those languages.
  const OURS_ONLY = new Set([27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, ...Array.from({ length: 15 }, (_, k) => 67 + k)]);

  it('match exceljs for every id 0–400 (code, and whether it is a date)', () => {
    for (let id = 0; id <= 400; id++) {
      const ours = builtinFormatCode(id);
      const theirs = getDefaultFmtCode(id);
      if (OURS_ONLY.has(id)) {
        expect(theirs, `id ${id}`).toBeUndefined();
        expect(ours, `id ${id}`).toBeDefined();
        continue;
      }
      if (id === 22) expect([ours, theirs]).toEqual(['m/d/yy h:mm', 'm/d/yy "h":mm']);
      else if (id === 47) expect([ours, theirs]).toEqual(['mm:ss.0', 'mmss.0']);
      else expect(ours, `id ${id}`).toBe(theirs);
      if (ours) expect(TEMPORAL.includes(kindOf(ours)), `id ${id}: ${ours}`).toBe(isDateFmt(theirs!));
    }
  });

  it('are dates, times and durations as Excel shows them (ids 14–22, 27–36, 45–47, 50–58)', () => {
    const kinds = (ids: number[]) => ids.map((id) => kindOf(builtinFormatCode(id)!));
    expect(kinds([14, 15, 16, 17])).toEqual(['date', 'date', 'date', 'date']);
    expect(kinds([18, 19, 20, 21, 45, 47])).toEqual(['time', 'time', 'time', 'time', 'time', 'time']);
    expect(kinds([22, 46])).toEqual(['datetime', 'duration']);
    expect(kinds([27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]).every((k) => k === 'date')).toBe(true);
    expect(kinds([32, 33])).toEqual(['time', 'time']);
    // A time in Chinese Excel, a date in Japanese and Korean: both parts are read.
    expect(kinds([34, 35, 55, 56])).toEqual(['datetime', 'datetime', 'datetime', 'datetime']);
    expect(kinds([0, 1, 2, 3, 4, 9, 10, 12, 13, 37, 38, 39, 40]).every((k) => k === 'number' || k === 'zeros')).toBe(true);
    // Read as the number too, but named: a Klas 1E1 that Excel turned into 10.
    expect(kinds([11, 48])).toEqual(['scientific', 'scientific']);
    expect(kindOf('#,##0.00E+00;-0.0e-0')).toBe('scientific');
    expect(kindOf('"E+"0')).toBe('number');
    expect(builtinFormatCode(5)).toBeUndefined(); // currency: language-dependent, a plain number
    expect(builtinFormatCode(164)).toBeUndefined();
  });

  it('read like SSF renders them, for dates, times and durations', () => {
    const serials = [1, 59, 60, 61, 367, 43831.5, 45000.999988, 0.25, 1.75, 2958465];
    for (const id of [14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]) {
      const code = builtinFormatCode(id)!;
      for (const v of serials) {
        const kind = kindOf(code);
        const expected = kind === 'duration' ? SSF.format(code, v) : SSF.format(NORMAL[kind]!(code), v);
        expect(read(code, v), `id ${id}, ${v}`).toBe(expected);
      }
    }
  });
});

/** The normalised shape we read each kind as, written as a format for SSF to render. */
const NORMAL: Partial<Record<FormatKind, (code: string) => string>> = {
  date: () => 'yyyy-mm-dd',
  datetime: (code) => `yyyy-mm-dd hh:mm:ss${subseconds(code)}`,
  time: (code) => `hh:mm:ss${subseconds(code)}`,
};
const subseconds = (code: string) => (/s\.(0{1,3})/i.exec(code)?.[1] ? `.${/s\.(0{1,3})/i.exec(code)![1]}` : '');

describe('dates', () => {
  it('follow Excel around its 1900 leap-year bug: serial 60 is 1900-02-29, as Excel shows it', () => {
    expect([0, 1, 59, 60, 61, 62].map((v) => read('dd-mm-yyyy', v))).toEqual(['1900-01-00', '1900-01-01', '1900-02-28', '1900-02-29', '1900-03-01', '1900-03-02']);
    expect(read('yyyy-mm-dd', 45658)).toBe('2025-01-01');
  });

  it('count from 1904-01-01 in the 1904 date system', () => {
    expect(read('d-m-yyyy', 0, true)).toBe('1904-01-01');
    expect(read('d-m-yyyy', 60, true)).toBe('1904-03-01');
    expect(read('d-m-yyyy', 45658 - 1462, true)).toBe('2025-01-01');
    expect(read('d-m-yyyy hh:mm', 45658 - 1462 + 0.5, true)).toBe('2025-01-01 12:00:00');
    expect(read('[h]:mm', 1.5, true)).toBe('36:00');
  });

  it('are plain numbers where Excel shows ####: negative, or after 9999-12-31', () => {
    expect(read('yyyy-mm-dd', -1)).toBeUndefined();
    expect(read('yyyy-mm-dd', 2958465)).toBe('9999-12-31');
    expect(read('yyyy-mm-dd', 2958466)).toBeUndefined();
    expect(read('yyyy-mm-dd', 2958465 - 1462, true)).toBe('9999-12-31');
    expect(read('yyyy-mm-dd', 2958466 - 1462, true)).toBeUndefined();
    expect(read('h:mm', -0.5)).toBeUndefined();
  });

  it('read time-only formats as hh:mm:ss, date and time as yyyy-mm-dd hh:mm:ss, durations as Excel shows them', () => {
    expect(read('h:mm AM/PM', 0.75)).toBe('18:00:00');
    expect(read('h:mm', 45658.25)).toBe('06:00:00'); // the time of day
    expect(read('mm:ss.00', 0.000123)).toBe('00:00:10.63');
    expect(read('m/d/yy h:mm', 45658.75)).toBe('2025-01-01 18:00:00');
    expect(read('[h]:mm', 1.5)).toBe('36:00');
    expect(read('[mm]:ss', 0.5)).toBe('720:00');
    expect(read('[ss]', 0.01)).toBe('864');
    expect(read('[h]" uur "mm', 1.25)).toBe('30 uur 00');
    expect(read('[h]:mm', -1.5)).toBe('-36:00'); // Excel: #### (1900) or -36:00 (1904); the value is kept
  });

  it('read LibreOffice upper-case codes as dates', () => {
    expect(kindOf('DD.MM.YY')).toBe('date');
    expect(kindOf('YYYY-MM-DD')).toBe('date');
    expect(kindOf('MM/DD/YYYY HH:MM:SS')).toBe('datetime');
    expect(kindOf('HH:MM')).toBe('time');
    expect(kindOf('[HH]:MM:SS')).toBe('duration');
    expect(kindOf('NNNNMMMM DD, YYYY')).toBe('date');
    expect(read('D-M-YY', 45658)).toBe('2025-01-01');
  });

  it('tell month from minute: m after an hour or before seconds is a minute', () => {
    const kinds = (code: string) =>
      parseFormat(code)
        .sections[0]!.tokens.filter((t) => t.t === 'month' || t.t === 'minute')
        .map((t) => t.t);
    expect(kinds('h:mm')).toEqual(['minute']);
    expect(kinds('mm:ss')).toEqual(['minute']);
    expect(kinds('[h]:mm')).toEqual(['minute']);
    expect(kinds('d-m-yy h:mm')).toEqual(['month', 'minute']);
    expect(kinds('mm-dd hh')).toEqual(['month']);
    expect(kinds('"h"mm')).toEqual(['month']);
    expect(kinds('mmm h:mm')).toEqual(['month', 'minute']);
    expect(kindOf('mm')).toBe('date');
  });

  it('ignore letters that are quoted, escaped, padding or fill, and read brackets for what they are', () => {
    for (const code of ['0" dagen"', '0\\d', '0_d', '0*d', '[Red]0', '[Color10]0.00', '[$€-413] #,##0.00', '[<0]"min "0;0', '#,##0;[Red]-#,##0', '@', 'General', '0.00E+00', '0.0e-0'])
      expect(kindOf(code), code).not.toMatch(/date|time|duration/);
    expect(kindOf('[$-413]d-mmm-yy')).toBe('date');
    expect(kindOf('[$-F800]dddd, mmmm dd, yyyy')).toBe('date');
    expect(kindOf('[$-x-systime]h:mm:ss AM/PM')).toBe('time');
    expect(kindOf('B2dd/mm/yyyy')).toBe('date');
    // East-Asian codes as Excel in those languages writes them (eras, CJK literals, 上午/下午 for AM/PM).
    for (const code of ['[$-411]ge.m.d', '[$-411]ggge"年"m"月"d"日"', 'yyyy"年"m"月"d"日"', '[$-404]e/m/d', 'yyyy"년" mm"월" dd"일"']) {
      expect(kindOf(code), code).toBe('date');
      expect(SSF.is_date(code), code).toBe(true);
    }
    expect(kindOf('上午/下午h"时"mm"分"')).toBe('time');
    expect(read('上午/下午h"时"mm"分"', 0.75)).toBe('18:00:00');
    expect(kindOf('[Blue]dd-mm-yyyy;[Red]General')).toBe('date');
  });

  it('choose the section for the value: positive; negative; zero; text', () => {
    const f = '0;yyyy-mm-dd;[h]:mm;@';
    expect(read(f, 5)).toBe('5');
    expect(read(f, -5)).toBeUndefined(); // a date Excel cannot show
    expect(read(f, 0)).toBe('0:00');
    expect(read('[>=1]yyyy-mm-dd;h:mm', 45658.5)).toBe('2025-01-01');
    expect(read('[>=1]yyyy-mm-dd;h:mm', 0.5)).toBe('12:00:00');
    expect(read('@', 12)).toBeUndefined();
  });

  it('never throw, whatever the code and the number', () => {
    const code = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .array(fc.constantFrom('[', ']', '"', '\\', ';', 'h', 'm', 's', 'd', 'y', '0', '.', '@', 'AM/PM', '[h]', 'E+', '*', '_', 'g', 'b', 'B1', 'e', '[<0]', '[$-413]'), { maxLength: 12 })
        .map((p) => p.join('')),
    );
    const value = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, 60, -0.5, 1e308, -1e308, 2958465.99999999, Number.NaN, Infinity));
    fc.assert(
      fc.property(code, value, fc.boolean(), (c, v, date1904) => {
        const out = read(c, v, date1904);
        expect(out === undefined || typeof out === 'string').toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  // 100,000 characters each: a backtracking parser would not finish within the test's timeout (no clock needed).
  it('read hostile codes of 100,000 characters as something, never throwing', () => {
    for (const code of ['['.repeat(100_000), '"'.repeat(100_001), '\\'.repeat(99_999), 'm'.repeat(100_000), ';'.repeat(10), `[${'h'.repeat(5000)}]`]) expect(() => read(code, 1.5)).not.toThrow();
    // Zero padding within Excel's 255 characters, natively (00#### shows 00 before the digits); longer is General.
    expect(formatNumber(123, parseFormat(`${'#'.repeat(4)}${'0'.repeat(250)}`), false)).toBe(`${'0'.repeat(247)}123`);
    expect(formatNumber(123, parseFormat('00####'), false)).toBe('00123');
    expect(formatNumber(123, parseFormat('0'.repeat(256)), false)).toBeUndefined();
  });
});

describe('ISO 8601 cells (t="d", as SheetJS writes dates)', () => {
  it('read like the serial Excel makes of them, in the cell format when it is a date or time', () => {
    const iso = (text: string, code?: string, date1904 = false) => formatIsoCell(text, code === undefined ? undefined : parseFormat(code), date1904);
    expect(iso('2012-03-04T00:00:00.000Z')).toBe('2012-03-04');
    expect(iso('2012-03-04T00:00:00.000Z', 'dd-mm-yyyy')).toBe('2012-03-04');
    expect(iso('2010-06-15T14:30:00', 'General')).toBe('2010-06-15 14:30:00');
    expect(iso('2010-06-15T14:30:00', 'd-m-yy h:mm')).toBe('2010-06-15 14:30:00');
    expect(iso('08:30:00.000', 'hh:mm')).toBe('08:30:00');
    expect(iso('08:30:00.000')).toBe('08:30:00');
    expect(iso('1900-02-15', 'yyyy-mm-dd')).toBe('1900-02-15');
    expect(iso('1900-03-01', 'yyyy-mm-dd')).toBe('1900-03-01');
    expect(iso('2025-01-01', 'yyyy-mm-dd', true)).toBe('2025-01-01');
    expect(iso('1899-12-31T00:00:00')).toBe('1899-12-31T00:00:00'); // before Excel's calendar: as written
    expect(iso('geen datum')).toBe('geen datum');
  });
});

describe('zero-padded numbers', () => {
  it('show an integer with leading zeros, as Excel does (a Stamnr formatted 000000)', () => {
    expect(read('000000', 1234)).toBe('001234');
    expect(read('000000', 1234)).toBe(SSF.format('000000', 1234));
    expect(read('00000', -12)).toBe('-00012');
    expect(read('000000', 1234.5)).toBeUndefined(); // not an integer: the plain number
    expect(read('0', 7)).toBe('7');
    expect(read('000000;000000', -12)).toBeUndefined(); // Excel drops the sign there: keep the number
    expect(read('"LL"000000', 12)).toBeUndefined();
  });
  it('also with # placeholders before or after the zeros, or spaces around them (the cell text is trimmed)', () => {
    for (const code of ['#000000', '00000#', '00####', '000000_)', '000000\\ ', '000000 ', '000000" "', ' 000000', '##0000##', '0#0', '#0#0#']) {
      for (const v of [1234, 7, 12345678]) expect(read(code, v), `${code} ${v}`).toBe(SSF.format(code, v).trim());
    }
    // Zero fills only the 0 places, as Excel and LibreOffice show it (SSF writes a 0 in the last # place too).
    expect(['000000', '#000000', '00####', '0#0', '0'].map((code) => read(code, 0))).toEqual(['000000', '000000', '00', '00', '0']);
    // Decimals, thousands separators, text or a space inside stay the plain number (not a padded integer).
    for (const code of ['000000.00', '#,##0000', '"LL"000000', '000" "000', '000000?', '######']) expect(read(code, 1234), code).toBeUndefined();
  });
});

// Generated format strings. Each part carries its text for us and for the oracle; where the oracle does not know
// a construct, the equivalent it does know is given to it (a documented normalisation, listed per part).
interface Part {
  ours: string;
  exceljs: string;
  ssf?: string;
}
const lit = (s: string): Part => ({ ours: s, exceljs: s });
const caseOf = (s: string, upper: boolean) => (upper ? s.toUpperCase() : s);
const dateToken = fc
  .tuple(fc.constantFrom('yy', 'yyyy', 'm', 'mm', 'mmm', 'mmmm', 'd', 'dd', 'ddd', 'dddd'), fc.boolean())
  // LibreOffice writes upper case; exceljs only knows lower case (and M).
  .map(([t, upper]): Part => ({ ours: caseOf(t, upper), exceljs: t }));
const timeToken = fc
  .tuple(fc.constantFrom('h', 'hh', 's', 'ss', 'AM/PM', 'am/pm', 'A/P'), fc.boolean())
  // exceljs finds no date letter in A/P.
  .map(([t, upper]): Part => ({ ours: t.includes('/') ? t : caseOf(t, upper), exceljs: t === 'A/P' ? 'AM/PM' : t }));
// exceljs strips brackets and their content, so [h] alone would not be a date to it.
const elapsedToken = fc.constantFrom('[h]', '[hh]', '[m]', '[mm]', '[s]', '[ss]').map((t): Part => ({ ours: t, exceljs: `${t}${t.slice(1, -1)}` }));
const numberToken = fc.constantFrom('0', '0.00', '#,##0', '0%', '0.0E+00', '@', '#', '?/?').map(lit);
const literal = fc.oneof(
  fc.constantFrom(' ', '-', '/', ':', ',', '.', '(', ')').map(lit),
  fc.stringMatching(/^[a-zA-Z ]{0,6}$/).map((s) => lit(`"${s}"`)),
  // exceljs does not know \ escapes, _ padding or * fill: it gets them as quoted text.
  fc.constantFrom('d', 'm', 'y', 'h', 's', 'x').map((c): Part => ({ ours: `\\${c}`, exceljs: `"${c}"` })),
  fc.constantFrom('d', 'm', 'h', ')').map((c): Part => ({ ours: `_${c}`, exceljs: '" "' })),
  // SSF knows * fill only with a space or *.
  fc.constantFrom('d', ' ', 's').map((c): Part => ({ ours: `*${c}`, exceljs: '', ssf: '* ' })),
);
const bracket = fc.constantFrom('[Red]', '[Color7]', '[$-413]', '[$€-413]', '[<=100]', '[DBNum1]').map(lit);
const formatString = fc
  .tuple(fc.option(bracket, { nil: undefined }), fc.array(fc.oneof(dateToken, timeToken, elapsedToken, numberToken, literal, literal), { minLength: 1, maxLength: 8 }))
  .map(([b, parts]) => (b ? [b, ...parts] : parts))
  .map((parts) => ({ ours: parts.map((p) => p.ours).join(''), exceljs: parts.map((p) => p.exceljs).join(''), ssf: parts.map((p) => p.ssf ?? p.ours).join('') }));

describe('generated format strings', () => {
  it('are a date, time or duration exactly when exceljs says they are a date', () => {
    fc.assert(
      fc.property(formatString, (f) => {
        expect(TEMPORAL.includes(kindOf(f.ours)), `${f.ours} (exceljs: ${f.exceljs})`).toBe(isDateFmt(f.exceljs));
      }),
      { numRuns: 3000 },
    );
  });

  it('are a date, time or duration exactly when SSF says they are a date', () => {
    fc.assert(
      fc.property(formatString, (f) => {
        expect(TEMPORAL.includes(kindOf(f.ours)), `${f.ours} (SSF: ${f.ssf})`).toBe(SSF.is_date(f.ssf));
      }),
      { numRuns: 3000 },
    );
  });

  // Serials to 15 significant digits as Excel keeps them; 1900 and 1904 systems. A time exactly half a shown unit
  // from rounding up (0.5 s under hh:mm:ss) is decided by the last bit of float arithmetic, where SSF and we may
  // differ and Excel is unknown: serials are whole milliseconds plus 0.3 ms, never such a tie.
  const atMs = (ms: number) => Number(((ms + 0.3) / 86_400_000).toPrecision(15));
  const serial = fc.integer({ min: 0, max: 2_958_465 * 86_400_000 - 1 }).map(atMs);
  const temporal = fc.array(fc.oneof(dateToken, timeToken, literal), { minLength: 1, maxLength: 6 }).map((parts) => parts.map((p) => p.ours).join(''));

  it('read dates and times like SSF renders the normalised format', () => {
    fc.assert(
      fc.property(temporal, serial, fc.boolean(), (code, v, date1904) => {
        const kind = kindOf(code);
        const normal = NORMAL[kind];
        if (!normal) return; // no date or time part: a number format, covered above
        const max = date1904 ? 2_958_465 - 1462 : 2_958_465;
        if (v > max) return;
        // SSF drops the 1904 offset when the time rounds up past midnight (see the test below): no oracle there.
        if (date1904 && v % 1 > 1 - 0.5 / 86_400) return;
        expect(read(code, v, date1904), `${code} ${v}`).toBe(SSF.format(normal(code), v, { date1904 }));
      }),
      { numRuns: 3000 },
    );
  });

  it('keep the 1904 offset when the time rounds up to the next day, where SSF loses it (found as a 1-in-400 flaky run)', () => {
    const v = 1769796.99999422;
    const shown = SSF.format('yyyy-mm-dd hh:mm:ss', v + 1462, { date1904: false });
    expect(read('yyyy-mm-dd hh:mm:ss', v, true)).toBe(shown);
    expect(SSF.format('yyyy-mm-dd hh:mm:ss', v, { date1904: true })).not.toBe(shown);
  });

  const separator = fc.constantFrom(':', ' ', '" u "', '\\:').map(lit);
  const duration = fc
    .tuple(fc.constantFrom('h', 'm', 's'), fc.integer({ min: 1, max: 2 }), separator, separator, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.boolean())
    .map(([unit, n, sep1, sep2, subsec, withMinutes, withSeconds]) => {
      let code = `[${unit.repeat(n)}]`;
      if (unit === 'h' && withMinutes) code += `${sep1.ours}mm`;
      if (unit !== 's' && withSeconds) code += `${sep2.ours}ss`;
      const seconds = unit === 's' || withSeconds;
      return seconds && subsec ? `${code}.${'0'.repeat(subsec)}` : code;
    });

  it('render durations exactly as SSF does', () => {
    fc.assert(
      fc.property(duration, fc.integer({ min: 0, max: 40_000 * 86_400_000 }), (code, ms) => {
        const v = atMs(ms);
        expect(read(code, v), `${code} ${v}`).toBe(SSF.format(code, v));
      }),
      { numRuns: 3000 },
    );
  });
});
