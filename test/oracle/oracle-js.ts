/**
 * JavaScript half of the cross-writer oracle (run by make-oracle.sh after `tsc`):
 *   oracle-js.js write DIR      writes DIR/sheetjs.xlsx and DIR/exceljs.xlsx from table.json
 *   oracle-js.js read DIR OUT   reads every DIR/*.xlsx with SheetJS and exceljs: OUT/<file>.sheetjs.json and
 *                               OUT/<file>.exceljs.json
 * Run with TZ=UTC: both libraries turn JavaScript Dates into serials through the local time zone.
 */

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';

export interface SpecCell {
  s?: string;
  n?: number;
  date?: string;
  datetime?: string;
  time?: string;
  dur?: number;
  b?: boolean;
  f?: string;
  v?: number | string;
  link?: string;
  rich?: [string, boolean][];
  fmt?: string;
}
interface Spec {
  sheet: string;
  rows: (SpecCell | null)[][];
}

const here = dirname(fileURLToPath(import.meta.url));
// Compiled to dist/test/oracle: table.json stays in the source tree.
const spec = JSON.parse(readFileSync(join(here, '..', '..', '..', 'test', 'oracle', 'table.json'), 'utf8')) as Spec;

function asDate(c: SpecCell): Date | undefined {
  if (c.date) return new Date(`${c.date}T00:00:00Z`);
  if (c.datetime) return new Date(`${c.datetime}Z`);
  if (c.time) return new Date(`1899-12-30T${c.time}Z`);
  return undefined;
}

function writeSheetJs(path: string): void {
  const ws: XLSX.WorkSheet = {};
  spec.rows.forEach((row, r) =>
    row.forEach((c, col) => {
      if (!c) return;
      const ref = XLSX.utils.encode_cell({ r, c: col });
      let cell: XLSX.CellObject;
      if (c.f !== undefined) cell = { t: typeof c.v === 'number' ? 'n' : 's', v: c.v!, f: c.f };
      else if (c.b !== undefined) cell = { t: 'b', v: c.b };
      else if (asDate(c)) cell = { t: 'd', v: asDate(c)! };
      else if (c.n !== undefined || c.dur !== undefined) cell = { t: 'n', v: (c.n ?? c.dur)! };
      // SheetJS (community edition) writes no rich text: the runs as one plain string.
      else cell = { t: 's', v: c.s ?? c.rich!.map(([text]) => text).join('') };
      if (c.fmt) cell.z = c.fmt;
      if (c.link) cell.l = { Target: c.link };
      ws[ref] = cell;
    }),
  );
  ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: spec.rows.length - 1, c: spec.rows[0]!.length - 1 } });
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, spec.sheet);
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer);
}

async function writeExcelJs(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(spec.sheet);
  spec.rows.forEach((row, r) =>
    row.forEach((c, col) => {
      if (!c) return;
      const cell = ws.getCell(r + 1, col + 1);
      if (c.f !== undefined) cell.value = { formula: c.f, result: c.v } as ExcelJS.CellFormulaValue;
      else if (c.link) cell.value = { text: c.s!, hyperlink: c.link };
      else if (c.rich) cell.value = { richText: c.rich.map(([text, bold]) => (bold ? { text, font: { bold: true } } : { text })) };
      else if (c.b !== undefined) cell.value = c.b;
      else if (asDate(c)) cell.value = asDate(c)!;
      else if (c.n !== undefined || c.dur !== undefined) cell.value = (c.n ?? c.dur)!;
      else cell.value = c.s!;
      if (c.fmt) cell.numFmt = c.fmt;
    }),
  );
  await wb.xlsx.writeFile(path);
}

/** One row per line, so a diff of the committed expectations reads cell by cell. */
function dump(reader: string, date1904: boolean, rows: unknown[][]): string {
  return `{"reader": ${JSON.stringify(reader)}, "date1904": ${date1904}, "rows": [\n${rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]}\n`;
}

function readSheetJs(path: string): string {
  const wb = XLSX.read(readFileSync(path));
  const ws = wb.Sheets[wb.SheetNames[0]!]!;
  const raw = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: null, blankrows: true });
  const shown = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: false, defval: null, blankrows: true });
  const rows = raw.map((r, i) => r.map((v, j) => (v === null ? null : { raw: v, shown: shown[i]![j] })));
  return dump(`SheetJS ${XLSX.version}`, Boolean(wb.Workbook?.WBProps?.date1904), rows);
}

async function readExcelJs(path: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: unknown[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = row.getCell(c).value;
      cells.push(v === null || v === undefined ? null : v instanceof Date ? { date: v.toISOString() } : typeof v === 'object' ? v : { [typeof v]: v });
    }
    rows[n - 1] = cells;
  });
  const version = JSON.parse(readFileSync(join(here, '..', '..', '..', 'node_modules', 'exceljs', 'package.json'), 'utf8')).version;
  return dump(`exceljs ${version}`, Boolean(wb.properties.date1904), rows);
}

async function main(): Promise<void> {
  const [cmd, dir, out] = process.argv.slice(2);
  if (cmd === 'write' && dir) {
    writeSheetJs(join(dir, 'sheetjs.xlsx'));
    await writeExcelJs(join(dir, 'exceljs.xlsx'));
  } else if (cmd === 'read' && dir && out) {
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.xlsx'))
      .sort()) {
      writeFileSync(join(out, `${name}.sheetjs.json`), readSheetJs(join(dir, name)));
      writeFileSync(join(out, `${name}.exceljs.json`), await readExcelJs(join(dir, name)));
    }
  } else throw new Error('usage: oracle-js.js write DIR | read DIR OUT');
}

await main();
