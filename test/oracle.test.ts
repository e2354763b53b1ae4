import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../src/core/raw-row.js';
import { xlsxSheets } from '../src/io/xlsx.js';
import { ROOT } from './helpers.js';
import type { SpecCell } from './oracle/oracle-js.js';

/*
 * Cross-writer differential test. test/oracle/make-oracle.sh had LibreOffice, openpyxl, xlsxwriter (shared and
 * inline strings, and the 1904 date system), SheetJS and exceljs each write the table in test/oracle/table.json, and had LibreOffice (CSV
 * as shown), openpyxl, SheetJS and exceljs each read every one of those files back. Here numo-prep's reader reads
 * every file, and every cell must equal what every other reader read, brought into numo-prep's shape by the
 * normalisations below. Where a reader is wrong or cannot compare, the cell is listed in KNOWN with the reason;
 * such a cell must still differ from that reader (so a fixed oracle shows up), and every other reader must agree
 * with numo-prep as usual.
 */

const dir = join(ROOT, 'test', 'oracle');
const spec = JSON.parse(readFileSync(join(dir, 'table.json'), 'utf8')) as { rows: (SpecCell | null)[][] };
const files = readdirSync(join(dir, 'files'))
  .filter((f) => f.endsWith('.xlsx'))
  .sort();
const SSF = XLSX.SSF;

// ---- normalisations: each reader's value → the text numo-prep reads ----

/** Excel's TRUE/FALSE read as numo-prep's Dutch words (what Dutch Excel shows). */
const bool = (b: boolean) => (b ? 'WAAR' : 'ONWAAR');
/** A plain number: at most 15 significant digits (as Excel keeps), no ".0". */
const plain = (n: number) => String(Number(n.toPrecision(15)));

/**
 * A serial in numo-prep's shape for the cell's kind, rendered by SSF (SheetJS' formatter): dates yyyy-mm-dd,
 * times hh:mm:ss, durations and zero-padded numbers in the cell's own format, as Excel shows them.
 */
function fromSerial(serial: number, c: SpecCell, date1904: boolean): string {
  const o = { date1904 };
  if (c.date) return SSF.format('yyyy-mm-dd', serial, o);
  if (c.datetime) return SSF.format('yyyy-mm-dd hh:mm:ss', serial, o);
  if (c.time) return SSF.format('hh:mm:ss', serial, o);
  if (c.dur !== undefined || c.fmt === '000000') return SSF.format(c.fmt!, serial, o);
  return plain(serial);
}

function openpyxl(v: Record<string, unknown> | null, c: SpecCell, date1904: boolean): string {
  if (v === null) return '';
  if ('string' in v) return v.string as string;
  if ('bool' in v) return bool(v.bool as boolean);
  if ('number' in v) return fromSerial(v.number as number, c, date1904);
  // openpyxl corrects Excel's 1900 leap-year bug itself: its datetimes are the calendar dates Excel shows.
  if ('datetime' in v) return c.date ? (v.datetime as string).slice(0, 10) : (v.datetime as string).replace('T', ' ').slice(0, 19);
  if ('time' in v) return (v.time as string).slice(0, 8);
  if ('timedelta' in v) return SSF.format(c.fmt!, (v.timedelta as number) / 86_400);
  throw new Error(`openpyxl value ${JSON.stringify(v)}`);
}

function sheetjs(v: { raw: unknown; shown: string } | null, c: SpecCell, date1904: boolean): string {
  if (v === null) return '';
  if (typeof v.raw === 'string') return v.raw;
  if (typeof v.raw === 'boolean') return bool(v.raw);
  // SheetJS' own General rendering abbreviates long numbers (1.23457E+13): the raw value is compared.
  return fromSerial(v.raw as number, c, date1904);
}

function exceljs(v: Record<string, unknown> | null, c: SpecCell, date1904: boolean): string {
  if (v === null) return '';
  if ('formula' in v) {
    const result = v.result;
    return result === undefined ? '' : typeof result === 'number' ? plain(result) : typeof result === 'boolean' ? bool(result) : String(result);
  }
  if ('richText' in v) return (v.richText as { text: string }[]).map((r) => r.text).join('');
  if ('hyperlink' in v) return v.text as string;
  if ('string' in v) return v.string as string;
  if ('boolean' in v) return bool(v.boolean as boolean);
  if ('number' in v) return fromSerial(v.number as number, c, date1904);
  // exceljs makes a Date of every serial in a date-like format (durations too) by counting days from 1899-12-30
  // (1904-01-01 in the 1904 system), also before 1900-03-01 where Excel counts a 1900-02-29 that never was (so
  // its 1900-02-14 is Excel's 1900-02-15): counting back the same way gives the serial in the file.
  if ('date' in v) {
    const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
    return fromSerial((Date.parse(v.date as string) - epoch) / 86_400_000, c, date1904);
  }
  throw new Error(`exceljs value ${JSON.stringify(v)}`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * LibreOffice's CSV holds the cell as shown, in the file's own format (en-US). Dates are parsed back by the
 * order of day, month and year in the cell's format; times and date-times are compared on what the format
 * shows (numo-prep always gives hh:mm:ss). LibreOffice counts serials from 1899-12-30 also before 1900-03-01
 * (no 1900-02-29): a date before March 1900 that came from a serial is one day early there and gets it back.
 */
function libreoffice(text: string, c: SpecCell, file: string, date1904: boolean, ours: string): string {
  if (text === '' || !c) return text;
  if (c.b !== undefined) return text === 'TRUE' ? bool(true) : text === 'FALSE' ? bool(false) : text;
  if (c.date) {
    const parts = text.split(/[-/ ]/);
    const order = c.fmt!.split(/[-/ ]/);
    let y = 0;
    let m = 0;
    let d = 0;
    order.forEach((token, i) => {
      const p = parts[i]!;
      if (token.startsWith('y')) y = p.length === 2 ? 2000 + Number(p) - (Number(p) >= 30 ? 100 : 0) : Number(p);
      else if (token === 'mmm') m = MONTHS.indexOf(p) + 1;
      else if (token.startsWith('m')) m = Number(p);
      else d = Number(p);
    });
    let day = Date.UTC(y, m - 1, d);
    if (day < Date.UTC(1900, 2, 1) && !date1904 && file !== 'sheetjs.xlsx') day += 86_400_000; // sheetjs.xlsx holds ISO text, not a serial
    return new Date(day).toISOString().slice(0, 10);
  }
  if (c.time || c.datetime) {
    // LibreOffice shows a t="d" time with milliseconds (08:30:00.000), and an hh:mm format without seconds:
    // compared on what the format shows.
    const shown = text.replace(/\.000$/, '');
    return shown.length < ours.length && ours.startsWith(shown) ? ours : shown;
  }
  return text;
}

// ---- the known differences: file, reader, cell → why that reader's value is not numo-prep's ----

/** reader '.' is every reader; then `ours` says what numo-prep must read instead. */
const KNOWN: { file: string; reader: string; cells: RegExp; why: string; ours?: string }[] = [
  {
    file: 'sheetjs.xlsx',
    reader: 'exceljs',
    cells: /^(H[2-6]|I[23])$/, // I5 (00:00:00) happens to read right: the number in front is 0
    why: 'exceljs reads a t="d" (ISO 8601) cell as the number in front of its first "-" (2012-03-04 → serial 2012 → 1905-07-04)',
  },
  {
    file: 'exceljs.xlsx',
    reader: 'libreoffice',
    cells: /^I3$/,
    why: 'exceljs writes 13:45:30 as a serial a hair under it; LibreOffice cuts to 13:45:29, Excel (and SSF, and numo-prep) round to 13:45:30',
  },
  {
    file: 'openpyxl.xlsx',
    reader: 'libreoffice',
    cells: /^L[2-5]$/,
    why: 'openpyxl stores formulas without a result; LibreOffice recalculates, numo-prep never calculates and reports the formula instead',
  },
  {
    file: 'libreoffice.xlsx',
    reader: 'exceljs',
    cells: /^K[36]$/,
    why: 'LibreOffice writes a boolean as the formula FALSE() with its result; exceljs drops a result that is false',
  },
  {
    file: 'xlsxwriter-1904.xlsx',
    reader: '.',
    cells: /^H5$/,
    why: 'a date before 1904-01-01 in the 1904 system is a negative serial (-1415): Excel shows ####, numo-prep keeps the number; openpyxl, LibreOffice and exceljs count back to 1900-02-15, SheetJS shows nothing',
    ours: '-1415',
  },
];

async function ours(file: string): Promise<RawRow[]> {
  const [sheet] = await xlsxSheets(file, readFileSync(join(dir, 'files', file)));
  const rows: RawRow[] = [];
  for await (const r of sheet!.rows) rows.push(r);
  return rows;
}

interface Expected {
  date1904: boolean;
  rows: unknown[][];
}

function expectations(file: string): { date1904: boolean[]; readers: Map<string, (r: number, col: number, mine: string) => string> } {
  const json = (reader: string) => JSON.parse(readFileSync(join(dir, 'expected', `${file}.${reader}.json`), 'utf8')) as Expected;
  const py = json('openpyxl');
  const sj = json('sheetjs');
  const ej = json('exceljs');
  // LibreOffice's CSV does not say; the three others agree on it (checked by the caller).
  const date1904 = sj.date1904;
  const csv = readFileSync(join(dir, 'expected', `${file}.libreoffice.csv`), 'utf8')
    .split('\n')
    .map(parseCsvLine);
  const at = <T>(rows: T[][], r: number, col: number) => rows[r]?.[col] ?? null;
  const readers = new Map<string, (r: number, col: number, mine: string) => string>([
    ['openpyxl', (r, col) => openpyxl(at(py.rows, r, col) as never, spec.rows[r]![col]!, py.date1904)],
    ['sheetjs', (r, col) => sheetjs(at(sj.rows, r, col) as never, spec.rows[r]![col]!, sj.date1904)],
    ['exceljs', (r, col) => exceljs(at(ej.rows, r, col) as never, spec.rows[r]![col]!, ej.date1904)],
    ['libreoffice', (r, col, mine) => libreoffice(at(csv, r, col) ?? '', spec.rows[r]![col]!, file, date1904, mine)],
  ]);
  return { date1904: [py.date1904, sj.date1904, ej.date1904], readers };
}

/** One line of LibreOffice's CSV (comma, double quotes). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

describe('numo-prep reads what other programs wrote like they read it themselves', () => {
  it('has every writer and reader', () => {
    expect(files).toEqual(['exceljs.xlsx', 'libreoffice.xlsx', 'openpyxl.xlsx', 'sheetjs.xlsx', 'xlsxwriter-1904.xlsx', 'xlsxwriter-inline.xlsx', 'xlsxwriter.xlsx']);
  });

  for (const file of files) {
    it(`${file}: cell by cell against LibreOffice, openpyxl, SheetJS and exceljs`, async () => {
      const rows = await ours(file);
      const { date1904, readers } = expectations(file);
      expect(date1904).toEqual(Array(3).fill(file === 'xlsxwriter-1904.xlsx'));
      const mismatches: string[] = [];
      spec.rows.forEach((specRow, r) => {
        const row = rows.find((x) => x.row === r + 1);
        specRow.forEach((_, col) => {
          const ref = `${String.fromCharCode(65 + col)}${r + 1}`;
          const mine = row?.cells[col] ?? '';
          for (const [reader, theirs] of readers) {
            const value = theirs(r, col, mine);
            const k = KNOWN.find((x) => x.file === file && (x.reader === reader || x.reader === '.') && x.cells.test(ref));
            if (k) {
              if (value === mine) mismatches.push(`${ref} ${reader}: listed as a known difference (${k.why}) but agrees now`);
              if (k.ours !== undefined && mine !== k.ours) mismatches.push(`${ref}: numo-prep ${JSON.stringify(mine)}, should be ${JSON.stringify(k.ours)}`);
            } else if (value !== mine) mismatches.push(`${ref} ${reader}: ${JSON.stringify(value)}, numo-prep: ${JSON.stringify(mine)}`);
          }
        });
      });
      expect(mismatches).toEqual([]);
      // A formula without a stored result is reported, never read as empty without a word; a fraction (A6, 0.1 + 0.2) is
      // read, and named (as a Klas it may have been 1.50); so is WAAR/ONWAAR (column K), which is no name or klas.
      const problems = rows.flatMap((x) => (x.problems ?? []).map((p) => `${String.fromCharCode(65 + p.column)}${x.row} ${p.kind}`));
      const uncalculated = file === 'openpyxl.xlsx' ? ['L2', 'L3', 'L4', 'L5'].map((c) => `${c} formula-without-result`) : [];
      const booleans = ['K2', 'K3', 'K4', 'K6'].map((c) => `${c} boolean`);
      expect(problems.sort()).toEqual([...uncalculated, ...booleans, 'A6 decimal'].sort());
    });
  }
});
