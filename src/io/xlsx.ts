import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { EXIT, UserError } from '../core/errors.js';
import { LIMITS, tooManyColumns, tooManyRows } from './limits.js';
import type { CellProblem, RawRow, Sheet } from '../core/raw-row.js';
import { formatIsoCell, formatNumber, type NumberFormat } from './numfmt.js';
import { attribute, attributes, decodeEntities, rawPiece, XmlFormatError, XmlScanner, type XmlHandler } from './xml-scan.js';
import { CellFormats, DateSystem } from './xlsx-styles.js';
import { openEntryText, readZipDirectory, ZipFormatError, ZipLimitError, type ZipEntry } from './zip.js';

// exceljs' own streaming WorkbookReader spills worksheets to the OS temp folder whenever the zip lists a sheet
// before sharedStrings.xml (Excel's order) — personal data on disk. We keep the whole file in memory and read
// the zip parts in the order we need (workbook, relationships, styles, shared strings, then the sheet) with a
// lean tag scanner: SAX event objects were most of the reading time at 100,000 rows, and exceljs' part readers
// reject the namespace prefixes .NET writers use (<x:workbook>). Number formats and dates are our own code too
// (numfmt.ts, xlsx-styles.ts), tested against exceljs and SheetJS as oracles.

const MAX_SHARED_STRINGS = 4_000_000;

function corrupt(name: string, why: string): UserError {
  return new UserError(
    `${name} is geen leesbaar Excel-bestand (${why}). Open het in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).`,
  );
}

function tooBig(name: string): UserError {
  return new UserError(
    `${name} is uitgepakt groter dan ${LIMITS.entryBytes / 1024 / 1024} MiB per werkblad; numo-prep leest het niet. ` +
      'Exporteer alleen de benodigde kolommen en leerlingen.',
  );
}

class XlsxParts {
  constructor(
    readonly name: string,
    readonly buf: Buffer,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  find(path: string): ZipEntry | undefined {
    const e = this.entries.get(path);
    if (e) return e;
    const lower = path.toLowerCase();
    for (const [k, v] of this.entries) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  /** Callers run inside guarded()/translate(), which turn zip errors into a Dutch message. */
  open(path: string): Readable {
    const e = this.find(path);
    if (!e) throw corrupt(this.name, `onderdeel ${path} ontbreekt`);
    // The declared size refuses an honest bomb at once; the byte count in openEntryText catches a lying one.
    if (e.size > LIMITS.entryBytes) throw tooBig(this.name);
    return openEntryText(this.buf, e, LIMITS.entryBytes);
  }
}

/** Runs a part reader, turning zip, inflate and XML failures into a Dutch message. */
async function guarded<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw translate(name, err);
  }
}

function translate(name: string, err: unknown): unknown {
  if (err instanceof UserError) return err;
  if (err instanceof ZipLimitError) return tooBig(name);
  if (err instanceof ZipFormatError || err instanceof XmlFormatError) return corrupt(name, err.message);
  if ((err as NodeJS.ErrnoException)?.code?.startsWith('Z_')) return corrupt(name, 'gecomprimeerde inhoud beschadigd of afgekapt');
  // A bug of ours is not the file's fault: let it reach the generic "unexpected error" message.
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError) return err;
  return corrupt(name, 'onverwachte inhoud');
}

function resolveTarget(target: string): string {
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
}

interface WorkbookInfo {
  sheets: { name: string; path: string }[];
  date1904: boolean;
  sharedStringsPath?: string;
  stylesPath?: string;
}

/** Feeds a zip part through the scanner, handing back whatever the handler collected after each chunk. */
async function* scan<T>(stream: Readable, handler: XmlHandler, collected: T[]): AsyncGenerator<T> {
  const scanner = new XmlScanner(handler);
  for await (const chunk of stream) {
    scanner.write(chunk as string);
    if (collected.length) {
      yield* collected;
      collected.length = 0;
    }
  }
  scanner.end();
  yield* collected;
}

/** Runs a whole zip part through a handler. */
async function scanPart(parts: XlsxParts, path: string, handler: XmlHandler): Promise<void> {
  for await (const _ of scan<never>(parts.open(path), handler, []));
}

async function readWorkbook(parts: XlsxParts): Promise<WorkbookInfo> {
  const rels: Record<string, string>[] = [];
  await scanPart(parts, 'xl/_rels/workbook.xml.rels', {
    open: (name, tag) => void (name === 'Relationship' && rels.push(attributes(tag))),
    close: () => {},
    text: () => {},
  });
  const sheets: { name: string; path: string }[] = [];
  const dates = new DateSystem();
  await scanPart(parts, 'xl/workbook.xml', {
    open(name, tag) {
      dates.open(name, tag);
      if (name !== 'sheet') return;
      const a = attributes(tag);
      const rel = rels.find((r) => r.Id === a.id);
      if (rel?.Target) sheets.push({ name: a.name ?? '', path: resolveTarget(rel.Target) });
    },
    close: () => dates.close(),
    text: () => {},
  });
  const byType = (suffix: string) => rels.find((r) => r.Type?.endsWith(suffix))?.Target;
  const ss = byType('/sharedStrings');
  const st = byType('/styles');
  return {
    sheets,
    date1904: dates.date1904,
    ...(ss ? { sharedStringsPath: resolveTarget(ss) } : {}),
    ...(st ? { stylesPath: resolveTarget(st) } : {}),
  };
}

/** The number format of each cell style, where it is anything but a plain number. */
async function readCellFormats(parts: XlsxParts, path: string | undefined): Promise<(NumberFormat | undefined)[]> {
  const formats = new CellFormats();
  if (path && parts.find(path)) await scanPart(parts, path, formats.handler);
  return formats.styles();
}

/** Shared strings as plain text: rich-text runs joined, phonetic runs (rPh) left out. */
async function readSharedStrings(parts: XlsxParts, path: string): Promise<string[]> {
  const out: string[] = [];
  let current = '';
  let raw: string | undefined;
  let phonetic = 0;
  const handler: XmlHandler = {
    open(name, _tag, selfClosing) {
      if (name === 'si') current = '';
      else if (name === 't' && !selfClosing) raw = '';
      else if (name === 'rPh') phonetic++;
    },
    close(name) {
      if (name === 't') {
        if (raw !== undefined && phonetic === 0) current += decodeEntities(raw);
        raw = undefined;
      } else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        out.push(current);
        if (out.length > MAX_SHARED_STRINGS) throw tooBig(parts.name);
      }
    },
    text(text, cdata) {
      if (raw !== undefined) raw += rawPiece(text, cdata);
    },
  };
  await scanPart(parts, path, handler);
  return out;
}

const PLAIN_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;

/** Excel keeps 15 significant digits; this drops float noise such as 109999.00000000001 and any ".0". */
function numberText(raw: string, n: number): string {
  return PLAIN_INTEGER.test(raw) ? raw : String(Number(n.toPrecision(15)));
}

/** "AB12" → 27 (0-based column); undefined when the reference has no letters. */
function columnOf(ref: string | undefined): number | undefined {
  if (!ref) return undefined;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  return i === 0 ? undefined : col - 1;
}

interface CellState {
  column: number;
  type: string;
  style: number;
  value: string | undefined;
  inline: string;
  formula: boolean;
}

/**
 * Worksheet rows as text, straight from the tag scanner: no Row/Cell objects per cell, and cells or rows
 * without an `r` reference (optional in the format) are placed by position. Formula cells give their cached
 * result; numbers in a date, time, duration or zero-padded format read as numfmt.ts describes.
 */
async function* worksheetRows(parts: XlsxParts, path: string, shared: string[], formats: (NumberFormat | undefined)[], date1904: boolean): AsyncGenerator<RawRow> {
  const cellText = (c: CellState): string | CellProblem['kind'] => {
    const v = c.value;
    switch (c.type) {
      case 's':
        return shared[Number(v)] ?? '';
      case 'inlineStr':
        return decodeEntities(c.inline);
      case 'str':
        return v === undefined ? (c.formula ? 'formula-without-result' : '') : decodeEntities(v);
      case 'b':
        return v === undefined ? '' : v.trim() === '1' ? 'WAAR' : 'ONWAAR';
      case 'e':
        return 'excel-error';
      case 'd':
        return formatIsoCell(decodeEntities(v ?? ''), formats[c.style], date1904);
      default: {
        if (v === undefined || v.trim() === '') return c.formula ? 'formula-without-result' : '';
        const n = Number(v);
        if (!Number.isFinite(n)) return decodeEntities(v);
        const format = formats[c.style];
        return (format && formatNumber(n, format, date1904)) ?? numberText(v, n);
      }
    }
  };

  let rowNumber = 0;
  let rowsSeen = 0;
  let cells: string[] | undefined;
  let problems: CellProblem[] = [];
  let cell: CellState | undefined;
  let capture: 'v' | 't' | undefined;
  let phonetic = 0;
  let nextColumn = 0;
  const ready: RawRow[] = [];
  const handler: XmlHandler = {
    open(name, tag, selfClosing) {
      switch (name) {
        case 'row': {
          const r = Number(attribute(tag, 'r'));
          rowNumber = Number.isInteger(r) && r > rowNumber ? r : rowNumber + 1;
          if (++rowsSeen > LIMITS.rows || rowNumber > LIMITS.rows) throw tooManyRows(parts.name);
          cells = [];
          problems = [];
          nextColumn = 0;
          break;
        }
        case 'c':
          if (cells) {
            const column = columnOf(attribute(tag, 'r')) ?? nextColumn;
            if (column >= LIMITS.columns) throw tooManyColumns(parts.name, rowNumber);
            nextColumn = column + 1;
            cell = { column, type: attribute(tag, 't') ?? 'n', style: Number(attribute(tag, 's') ?? 0) || 0, value: undefined, inline: '', formula: false };
          }
          break;
        case 'v':
          if (cell) {
            cell.value = '';
            if (!selfClosing) capture = 'v';
          }
          break;
        case 't':
          if (cell && !selfClosing) capture = 't';
          break;
        case 'f':
          if (cell) cell.formula = true;
          break;
        case 'rPh':
          phonetic++;
          break;
      }
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          capture = undefined;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c':
          if (cell && cells) {
            const text = cellText(cell);
            if (text === 'excel-error' || text === 'formula-without-result') {
              problems.push({ column: cell.column, kind: text });
              cells[cell.column] = '';
            } else cells[cell.column] = text;
          }
          cell = undefined;
          break;
        case 'row':
          if (cells) {
            for (let i = 0; i < cells.length; i++) cells[i] ??= '';
            ready.push(problems.length ? { row: rowNumber, cells, problems } : { row: rowNumber, cells });
          }
          cells = undefined;
          break;
      }
    },
    text(text, cdata) {
      if (!cell || !capture || phonetic) return;
      if (capture === 'v') cell.value += rawPiece(text, cdata);
      else cell.inline += rawPiece(text, cdata);
    },
  };
  let stream: Readable | undefined;
  try {
    stream = parts.open(path);
    yield* scan(stream, handler, ready);
  } catch (err) {
    throw translate(parts.name, err);
  } finally {
    stream?.destroy();
  }
}

/** The sheets of an .xlsx held in memory, in workbook order, each read lazily. */
export async function xlsxSheets(name: string, buf: Buffer): Promise<Sheet[]> {
  let entries: Map<string, ZipEntry>;
  try {
    entries = readZipDirectory(buf);
  } catch (err) {
    throw translate(name, err);
  }
  const parts = new XlsxParts(name, buf, entries);
  const info = await guarded(name, () => readWorkbook(parts));
  if (info.sheets.length === 0) throw new UserError(`${name} bevat geen werkbladen. Controleer of je het juiste bestand hebt gekozen.`, EXIT.usage);
  const ssPath = info.sharedStringsPath ?? 'xl/sharedStrings.xml';
  const shared = parts.find(ssPath) ? await guarded(name, () => readSharedStrings(parts, ssPath)) : [];
  const formats = await guarded(name, () => readCellFormats(parts, info.stylesPath));
  return info.sheets.map((s) => ({
    name: s.name,
    rows: { [Symbol.asyncIterator]: () => worksheetRows(parts, s.path, shared, formats, info.date1904) },
  }));
}
