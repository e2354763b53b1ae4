import { posix } from 'node:path';
import { EXIT, UserError } from '../core/errors.js';
import { formatNumber as formatCount } from '../core/format.js';
import { type CellProblem, columnLetters, type MergedRange, type RawRow, type RowIterator, RowSet, type Sheet } from '../core/raw-row.js';
import { LIMITS, tooManyColumns, tooManyRows, XLSX_LIMITS } from './limits.js';
import { formatIsoCell, formatNumber, type NumberFormat } from './numfmt.js';
import { CellFormats, WorkbookSettings } from './xlsx-styles.js';
import { type AttributeSpan, attribute, attributes, eachAttribute, isSpace, nextAttribute, XmlDecoder, XmlFormatError, type XmlHandler, XmlScanner } from './xml-scan.js';
import { shortName, ZipArchive, type ZipEntry, ZipFormatError, ZipLimitError } from './zip.js';

// exceljs' own streaming WorkbookReader spills worksheets to the OS temp folder whenever the zip lists a sheet
// before sharedStrings.xml (Excel's order) — personal data on disk. We keep the whole file in memory and read
// the zip parts in the order we need (package relationships, workbook, styles, shared strings, then the sheet)
// with our own zip reader and a lean tag scanner: SAX event objects were most of the reading time at 100,000
// rows, and exceljs' part readers reject the namespace prefixes .NET writers use (<x:workbook>). Number formats
// and dates are our own code too (numfmt.ts, xlsx-styles.ts), tested against exceljs and SheetJS as oracles.

const RESAVE = 'Open het in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).';

/** Content no writer makes: what damaged bytes inflate to, too (see readOn). */
class UnreadableContent extends UserError {}

function corrupt(name: string, why: string): UserError {
  return new UnreadableContent(`${name} is geen leesbaar Excel-bestand (${why}). ${RESAVE}`);
}

function damaged(name: string, why: string): UserError {
  return new UserError(`${name} is een beschadigd bestand (${why}). Maak het bestand opnieuw, of ${RESAVE.charAt(0).toLowerCase()}${RESAVE.slice(1)}`);
}

function tooBig(name: string, scope: 'entry' | 'archive' | 'strings'): UserError {
  const what =
    scope === 'entry'
      ? `groter dan ${LIMITS.entryBytes / 1024 / 1024} MiB per werkblad`
      : scope === 'archive'
        ? `samen groter dan ${XLSX_LIMITS.archiveBytes / 1024 / 1024} MiB`
        : 'te veel tekst (gedeelde teksten)';
  return new UserError(`${name} is uitgepakt ${what}; numo-prep leest het niet. Exporteer alleen de benodigde kolommen en leerlingen.`);
}

/** Turns zip, inflate and XML failures into a Dutch message; `part` says which part of the .xlsx. */
function translate(name: string, err: unknown, part?: string): unknown {
  if (err instanceof UserError) return err;
  if (err instanceof ZipLimitError) return tooBig(name, err.scope);
  if (err instanceof ZipFormatError) return damaged(name, err.message);
  if (err instanceof XmlFormatError) return corrupt(name, part ? `${err.message} in ${shortName(part)}` : err.message);
  if ((err as NodeJS.ErrnoException)?.code?.startsWith('Z_')) return corrupt(name, 'gecomprimeerde inhoud beschadigd of afgekapt');
  // A bug of ours is not the file's fault: let it reach the generic "unexpected error" message.
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError) return err;
  return corrupt(name, 'onverwachte inhoud');
}

class XlsxParts {
  constructor(
    readonly name: string,
    readonly zip: ZipArchive,
  ) {}

  /** A part by name; a relationship target may be percent-encoded (it is a URI). */
  find(path: string): ZipEntry | undefined {
    const e = this.zip.get(path);
    if (e || !path.includes('%')) return e;
    try {
      return this.zip.get(decodeURIComponent(path));
    } catch {
      return undefined;
    }
  }

  entry(path: string): ZipEntry {
    const e = this.find(path);
    if (!e) throw corrupt(this.name, `onderdeel ${shortName(path)} ontbreekt`);
    return e;
  }
}

/** Runs a whole zip part through a handler that makes no rows: PartRows reads on until the part ends. */
async function scanPart(parts: XlsxParts, path: string, handler: XmlHandler): Promise<void> {
  await new PartRows(parts, path, handler, [], () => {}).nextBatch();
}

/** Where a relationship target points, from the folder of the part that has the relationships. */
function resolveTarget(fromDir: string, target: string): string {
  const t = target.replaceAll('\\', '/');
  return posix.normalize(t.startsWith('/') ? t.slice(1) : fromDir ? `${fromDir}/${t}` : t);
}

interface Relationship {
  type: string;
  target: string;
}

/** The relationships of a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), by Id, targets resolved. */
async function readRelationships(parts: XlsxParts, of: string): Promise<Map<string, Relationship>> {
  const dir = posix.dirname(of) === '.' ? '' : posix.dirname(of);
  const relsPath = `${dir ? `${dir}/` : ''}_rels/${posix.basename(of)}.rels`;
  const rels = new Map<string, Relationship>();
  if (!parts.find(relsPath)) return rels;
  await scanPart(parts, relsPath, {
    open(name, tag) {
      if (name !== 'Relationship') return;
      // A workbook has one relationship per sheet and a few more: more than that is no workbook.
      if (rels.size > XLSX_LIMITS.sheets * 2 + 100) throw corrupt(parts.name, `meer dan ${XLSX_LIMITS.sheets.toLocaleString('nl-NL')} werkbladen of verwijzingen`);
      const a = attributes(tag);
      if (a.Id === undefined || a.Target === undefined || a.TargetMode === 'External') return;
      rels.set(a.Id, { type: a.Type ?? '', target: resolveTarget(dir, a.Target) });
    },
    close: () => {},
    text: () => {},
  });
  return rels;
}

/** Relationship types end the same in transitional (schemas.openxmlformats.org) and Strict (purl.oclc.org) OOXML. */
const ofType = (rels: Map<string, Relationship>, suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;

interface WorkbookInfo {
  sheets: { name: string; path: string; hidden: boolean }[];
  date1904: boolean;
  /** Formula results are marked stale (calcPr fullCalcOnLoad): a formula's stored 0 is a placeholder. */
  staleResults: boolean;
  sharedStringsPath?: string;
  stylesPath?: string;
}

/** The workbook part: where the package relationships (_rels/.rels) say, else where every writer puts it. */
async function findWorkbook(parts: XlsxParts): Promise<string> {
  const target = ofType(await readRelationships(parts, ''), '/officeDocument');
  const path = target ?? (parts.find('xl/workbook.xml') ? 'xl/workbook.xml' : undefined);
  if (!path || !parts.find(path)) throw new UserError(`${parts.name} is een zip-bestand zonder Excel-werkmap. Kies het juiste bestand (.xlsx of .csv).`);
  if (path.toLowerCase().endsWith('.bin')) {
    throw new UserError(`${parts.name} is een binaire Excel-werkmap (.xlsb); die leest numo-prep niet. Open het in Excel en kies Opslaan als > Excel-werkmap (.xlsx).`);
  }
  return path;
}

async function readWorkbook(parts: XlsxParts): Promise<WorkbookInfo> {
  const workbook = await findWorkbook(parts);
  const rels = await readRelationships(parts, workbook);
  const sheets: WorkbookInfo['sheets'] = [];
  // Each sheet's part once: a file whose thousand sheets all point to one large part would read it a thousand
  // times (the per-archive cap counts a part once). No writer makes two sheets of one part.
  const targets = new Set<string>();
  const settings = new WorkbookSettings();
  await scanPart(parts, workbook, {
    open(name, tag) {
      settings.open(name, tag);
      if (name !== 'sheet') return;
      const a = attributes(tag);
      // Excel shows neither a hidden nor a very hidden sheet (the latter not even under Unhide).
      const state = a.state?.trim();
      const hidden = state === 'hidden' || state === 'veryHidden';
      // A hidden sheet without a part (no r:id): an old macro or dialog sheet some writers keep. It holds no cell, and
      // refusing the workbook for it refused a whole export. A visible one is a tab the admin sees: the file is broken.
      if (hidden && !a.id?.trim()) return;
      const rel = a.id === undefined ? undefined : rels.get(a.id);
      if (!rel) throw corrupt(parts.name, `werkblad '${(a.name ?? '').slice(0, 31)}' ontbreekt`);
      if (sheets.length === XLSX_LIMITS.sheets) {
        throw new UserError(
          `${parts.name} heeft meer dan ${XLSX_LIMITS.sheets.toLocaleString('nl-NL')} werkbladen; dat is de grens van numo-prep. Kopieer het blad met de export naar een nieuwe werkmap.`,
        );
      }
      // The part itself, as found (another case or a %-escape names the same one).
      const target = (parts.find(rel.target)?.name ?? rel.target).toLowerCase();
      if (targets.has(target)) throw corrupt(parts.name, 'twee werkbladen verwijzen naar hetzelfde onderdeel');
      targets.add(target);
      sheets.push({ name: a.name ?? '', path: rel.target, hidden });
    },
    close: () => settings.close(),
    text: () => {},
  });
  const dir = posix.dirname(workbook) === '.' ? '' : posix.dirname(workbook);
  const ss = ofType(rels, '/sharedStrings') ?? resolveTarget(dir, 'sharedStrings.xml');
  const st = ofType(rels, '/styles');
  return { sheets, date1904: settings.date1904, staleResults: settings.staleResults, ...(parts.find(ss) ? { sharedStringsPath: ss } : {}), ...(st ? { stylesPath: st } : {}) };
}

/** The number format of each cell style, where it is anything but a plain number. */
async function readCellFormats(parts: XlsxParts, path: string | undefined): Promise<(NumberFormat | undefined)[]> {
  const formats = new CellFormats();
  if (path && parts.find(path)) await scanPart(parts, path, formats.handler);
  return formats.styles();
}

/**
 * OOXML's own escape for characters XML can't hold: `_xHHHH_` is the UTF-16 code unit HHHH (`_x000D_` is CR),
 * and `_x005F_` escapes the underscore of a literal `_xHHHH_`. One left-to-right pass, as Excel reads it.
 */
function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function tooLong(name: string, where: string): UserError {
  return new UserError(`${name}: ${where} is langer dan ${XLSX_LIMITS.cellChars.toLocaleString('nl-NL')} tekens (de grens van Excel); numo-prep leest het niet. ${RESAVE}`);
}

/**
 * Where the scanner is inside an <si> or a cell's <is>: how deep, and the element it entered first. A <t> is the
 * string's text directly in it or in a rich-text run <r>. Anything else is an extension (a Markup Compatibility
 * element, text with its alternative): taking its text glued "XX" to a name, leaving it out may drop one; the file
 * is refused instead. A count, not a stack: a hostile part may nest millions deep.
 */
class StringDepth {
  depth = 0;
  /** The elements entered at depth 1 and 2: the foreign one is the first, or the second inside a run. */
  outer = '';
  inner = '';

  reset(): void {
    this.depth = 0;
  }

  enter(name: string): void {
    if (this.depth === 0) this.outer = name;
    else if (this.depth === 1) this.inner = name;
    this.depth++;
  }

  leave(): void {
    // An end tag without its start (which the scanner lets through) must not make the next <t> look foreign.
    if (this.depth > 0) this.depth--;
  }

  /** For a <t> opened here: undefined when it is the string's text, else the element it is in. */
  foreign(): string | undefined {
    if (this.depth === 0 || (this.depth === 1 && this.outer === 'r')) return undefined;
    return this.outer === 'r' ? this.inner : this.outer;
  }
}

/** Shared strings as plain text: rich-text runs joined, phonetic runs (rPh) left out. */
async function readSharedStrings(parts: XlsxParts, path: string): Promise<string[]> {
  const out: string[] = [];
  let current = '';
  let inText = false;
  // Inside an <si>: one not closed before the next would be lost, and every later index would name another text.
  let inSi = false;
  let phonetic = 0;
  const inside = new StringDepth();
  let total = 0;
  const unclosed = () => corrupt(parts.name, `gedeelde tekst ${out.length} is niet afgesloten`);
  const add = (text: string): void => {
    out.push(unescapeOoxml(text));
    total += text.length;
    if (out.length > XLSX_LIMITS.sharedStrings || total > XLSX_LIMITS.sharedStringChars) throw tooBig(parts.name, 'strings');
  };
  const handler: XmlHandler = {
    // Fast path: `<si><t>plain text</t></si>` in one step; any other shape goes through open/close/text.
    openRaw(s, from) {
      if (inSi || from + 2 >= s.length || s.charCodeAt(from) !== 0x73 || s.charCodeAt(from + 1) !== 0x69 || s.charCodeAt(from + 2) !== 0x3e /* si> */) return -1;
      current = '';
      const start = from + 6;
      if (phonetic === 0 && s.startsWith('<t>', from + 3)) {
        const lt = s.indexOf('<', start);
        const text = lt >= 0 && lt - start <= XLSX_LIMITS.cellChars && s.startsWith('</t></si>', lt) ? s.slice(start, lt) : '&';
        if (!text.includes('&')) {
          inText = false;
          add(text);
          return lt + 9;
        }
      }
      inSi = true;
      inside.reset();
      return from + 3;
    },
    open(name, _tag, selfClosing) {
      if (name === 'si') {
        if (inSi) throw unclosed();
        inSi = true;
        inside.reset();
        current = '';
        return;
      }
      if (name === 't' && !selfClosing && phonetic === 0) {
        const foreign = inside.foreign();
        if (foreign !== undefined) throw corrupt(parts.name, `gedeelde tekst ${out.length} heeft tekst in een onderdeel dat numo-prep niet kent, <${foreign}>`);
        inText = true;
      } else if (name === 'rPh') phonetic++;
      if (inSi) inside.enter(name);
    },
    close(name) {
      if (name !== 'si' && inSi) inside.leave();
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        if (!inSi) throw corrupt(parts.name, `</si> zonder <si> na gedeelde tekst ${out.length}`);
        inSi = false;
        add(current);
        current = '';
      }
    },
    text(text) {
      if (!inText) return;
      current += text;
      if (current.length > XLSX_LIMITS.cellChars) throw tooLong(parts.name, 'een tekst');
    },
  };
  await scanPart(parts, path, handler);
  if (inSi) throw unclosed();
  return out;
}

/** xsd:double without INF/NaN: what a cell value may be. No hex, no thousands separators, no spaces inside. */
const XML_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An xsd:boolean attribute that is true ("1" or "true"). */
function isTrue(value: string): boolean {
  const v = value.trim();
  return v === '1' || v === 'true';
}

/** Excel keeps 15 significant digits; this drops float noise such as 109999.00000000001 and any ".0". */
function numberText(raw: string, n: number): string {
  return isPlainInteger(raw) ? raw : String(Number(n.toPrecision(15)));
}

/**
 * Merged ranges per sheet: a real list has a few dozen, a hand-formatted one one or two per row. Each is checked
 * against the rows (reportMergedCells): one left out could hide a lost tussenvoegsel, so more is refused, not cut.
 */
const MAX_MERGED = 2 * LIMITS.rows;

/** A `<mergeCell ref="E2:F4">` of more than one cell; undefined for anything else. */
function mergedRange(ref: string): MergedRange | undefined {
  const m = /^\s*(([A-Za-z]{1,3})(\d{1,7})):(([A-Za-z]{1,3})(\d{1,7}))\s*$/.exec(ref);
  if (!m) return undefined;
  const [, start = '', , first = '', end = '', , last = ''] = m;
  const range = { column: columnAt(start, 0, start.length, Number(first)), lastColumn: columnAt(end, 0, end.length, Number(last)), first: Number(first), last: Number(last) };
  return range.column >= 0 && range.lastColumn >= range.column && range.last >= range.first && (range.last > range.first || range.lastColumn > range.column) ? range : undefined;
}

/**
 * The 0-based column of the cell reference at from–to of a string ("AB12" → 27), without slicing it; -1 when it is
 * no cell reference (letters, then a row number), OTHER_ROW when its row number is not `row`: oracles put such a
 * cell in the row it names, this reader would put it in the row it stands in (a tussenvoegsel in another student's
 * row). Excel never writes it.
 */
function columnAt(s: string, from: number, to: number, row: number): number {
  let col = 0;
  let i = from;
  for (; i < to && i < from + 4; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  if (i === from || i === to || to - i > 7 || col > XLSX_LIMITS.excelColumns) return -1;
  let r = 0;
  for (let j = i; j < to; j++) {
    const d = s.charCodeAt(j) - 0x30;
    if (d < 0 || d > 9) return -1;
    r = r * 10 + d;
  }
  return r === row ? col - 1 : OTHER_ROW;
}

/** columnAt's answer for a reference to another row than the one the cell stands in. */
const OTHER_ROW = -2;

/**
 * A cell without a usable value, or (with `text`) one whose value is read but must be named. Objects, not the kind
 * as a string: a cell whose text is "excel-error" is text.
 */
interface CellValueProblem {
  kind: CellProblem['kind'];
  text?: string;
}
const EXCEL_ERROR: CellValueProblem = { kind: 'excel-error' };
const NO_RESULT: CellValueProblem = { kind: 'formula-without-result' };
/** A WAAR/ONWAAR cell (t="b"): read as Excel shows it, and named, since no name part or klas is one. */
const TRUE: CellValueProblem = { kind: 'boolean', text: 'WAAR' };
const FALSE: CellValueProblem = { kind: 'boolean', text: 'ONWAAR' };

const CELL_TYPES = new Set(['n', 's', 'str', 'inlineStr', 'b', 'e', 'd']);

/** The value of a string of 1–10 ASCII digits, else -1: what /^\d{1,10}$/ accepts, without a regex per cell. */
function digitsValue(s: string, from = 0, to = s.length): number {
  if (to <= from || to - from > 10) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** 0, or up to 15 digits without a leading zero, maybe negative: an integer Excel shows exactly as written. */
function isPlainInteger(s: string): boolean {
  const from = s.charCodeAt(0) === 0x2d /* - */ ? 1 : 0;
  const n = s.length - from;
  if (n < 1 || n > 15) return false;
  if (s.charCodeAt(from) === 0x30) return n === 1 && from === 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Whether a character ends an element name on the fast path: a space, '>' or '/' (anything else declines). */
function nameEnds(c: number): boolean {
  return isSpace(c) || c === 0x3e || c === 0x2f;
}

/** The cell type of a fast-path `t` value: the same string constants CELL_TYPES holds, or undefined. */
function cellType(s: string, from: number, to: number): string | undefined {
  switch (to - from) {
    case 1:
      switch (s.charCodeAt(from)) {
        case 0x73:
          return 's';
        case 0x6e:
          return 'n';
        case 0x62:
          return 'b';
        case 0x65:
          return 'e';
        case 0x64:
          return 'd';
      }
      return undefined;
    case 3:
      return s.startsWith('str', from) ? 'str' : undefined;
    case 9:
      return s.startsWith('inlineStr', from) ? 'inlineStr' : undefined;
  }
  return undefined;
}

/** Excel's columns, A to XFD. */
const EXCEL_COLUMNS = 16_384;

/** One cell while it is read; a single object reused for every cell of a sheet. */
interface CellState {
  /**
   * The `r` reference as written (trimmed); undefined when it is in `refText` at refFrom–refTo (fast path), or for
   * a cell without one (refFrom -1) made from column and refRow when a message needs it: not a string per cell.
   */
  ref: string | undefined;
  refText: string;
  refFrom: number;
  refTo: number;
  refRow: number;
  column: number;
  type: string;
  style: number;
  value: string | undefined;
  inline: string;
  /** An <is> was read: a second one is refused as a second <v> is. */
  inlineSeen: boolean;
  formula: boolean;
}

interface OpenRow {
  row: number;
  cells: string[];
  problems: CellProblem[] | undefined;
  hasData: boolean;
  hidden: boolean;
  /** The `<row>` had no r: numbered after the row before it, until its first cell's reference says otherwise. */
  numbered: boolean;
}

/**
 * Worksheet rows as text, straight from the tag scanner: no Row/Cell objects per cell, and cells or rows
 * without an `r` reference (optional in the format) are placed by position. Formula cells give their cached
 * result; numbers in a date, time, duration or zero-padded format read as numfmt.ts describes. Consecutive
 * `<row>` elements with the same number are one row (some .NET writers write one element per cell); rows keep
 * their own numbers in any order, but a row number that comes back later is an error. Only rows with a value are
 * handed on and counted against the limits: formatting (empty styled cells up to XFD, an empty row 1048576) is
 * no data. `merged` is emptied and then receives the ranges of `<mergeCells>` (after the rows).
 *
 * `<row>` and `<c>` tags in the shape every writer uses (unprefixed, plain attribute values) are read in place by
 * openRaw, without strings per attribute; any other shape goes through open() and eachAttribute, which make the
 * same decisions and give every error message.
 */
function worksheetRows(
  parts: XlsxParts,
  sheetName: string,
  path: string,
  shared: string[],
  formats: (NumberFormat | undefined)[],
  workbook: { date1904: boolean; staleResults: boolean },
  merged: MergedRange[],
): AsyncIterator<RawRow> {
  const { date1904, staleResults } = workbook;
  merged.length = 0;
  const fail = (why: string) => corrupt(parts.name, `blad '${sheetName.slice(0, 31)}', ${why}`);
  const refOf = (c: CellState): string => (c.ref ??= c.refFrom < 0 ? `${columnLetters(c.column)}${c.refRow}` : c.refText.slice(c.refFrom, c.refTo));
  const cellText = (c: CellState): string | CellValueProblem => {
    const v = c.value;
    // A numeric 0 in a workbook whose results are marked stale is XlsxWriter's placeholder for a formula it was
    // given no value for (Excel shows the real result after recalculating); a value it was given is kept.
    if (staleResults && c.formula && c.type === 'n' && v?.trim() === '0') return NO_RESULT;
    switch (c.type) {
      case 's': {
        if (v === undefined) return '';
        let n = digitsValue(v);
        if (n < 0) {
          const index = v.trim();
          if (index === '') return '';
          n = digitsValue(index);
        }
        if (n < 0 || n >= shared.length) throw fail(`cel ${refOf(c)} verwijst naar een gedeelde tekst die niet bestaat`);
        return shared[n]!;
      }
      case 'inlineStr':
        return unescapeOoxml(c.inline);
      case 'str':
        return v === undefined ? (c.formula ? NO_RESULT : '') : unescapeOoxml(v);
      case 'b': {
        const b = v?.trim() ?? '';
        if (b === '') return '';
        if (b === '1' || b === 'true') return TRUE;
        if (b === '0' || b === 'false') return FALSE;
        throw fail(`cel ${refOf(c)} heeft geen geldige waarde voor WAAR/ONWAAR`);
      }
      case 'e':
        return EXCEL_ERROR;
      case 'd':
        return formatIsoCell((v ?? '').trim(), formats[c.style], date1904);
      default: {
        const format = formats[c.style];
        // The common case first: a plain integer in a plain format is its own text.
        if (v !== undefined && format === undefined && isPlainInteger(v)) return v;
        const raw = v?.trim() ?? '';
        if (raw === '') return c.formula ? NO_RESULT : '';
        if (!XML_NUMBER.test(raw)) throw fail(`cel ${refOf(c)} heeft geen geldig getal`);
        const n = Number(raw);
        if (!Number.isFinite(n)) throw fail(`cel ${refOf(c)} heeft geen geldig getal`);
        const text = (format && formatNumber(n, format, date1904)) ?? numberText(raw, n);
        // Shown as 1,00E+01: a Klas typed as 1E1 that Excel took for a number. The number is read; the cell is named.
        const kind = format?.numeric[0]?.kind;
        if (kind === 'scientific') return { kind: 'scientific', text };
        // A fraction shown as a number: a Klas typed as 1.10 or 1.1 that became the number 1.1 (the two are one now).
        // Also in a format of 0s, which shows it rounded (1.6 as 2) where the number itself is read.
        if (!Number.isInteger(n) && (kind === undefined || kind === 'number' || kind === 'zeros')) return { kind: 'decimal', text };
        return text;
      }
    }
  };

  // The row numbers already handed on: a row number may only come back in consecutive elements.
  const done = new RowSet();
  let dataRows = 0;
  let lastRow = 0;
  let current: OpenRow | undefined;
  const cell: CellState = { ref: undefined, refText: '', refFrom: 0, refTo: 0, refRow: 0, column: 0, type: 'n', style: 0, value: undefined, inline: '', inlineSeen: false, formula: false };
  let inCell = false;
  let capture: 'v' | 't' | undefined;
  let inInline = false;
  const inlineInside = new StringDepth();
  let phonetic = 0;
  let nextColumn = 0;
  const ready: RawRow[] = [];
  const span: AttributeSpan = { name: 0, nameEnd: 0, value: 0, valueEnd: 0, end: 0, selfClosing: false };
  /**
   * The sheet's XML is not nested as it must be where values are: a cell not closed, a value or `</c>` outside any
   * cell (a `<c>` missing). Read on, a value would be lost or land in another cell.
   */
  const unclosedCell = () => fail(`cel ${refOf(cell)} is niet afgesloten`);
  const outsideCell = (what: string) => fail(`${what} buiten een cel${current ? ` in rij ${current.row}` : ''}`);

  const flush = (): void => {
    if (!current) return;
    const { row, cells, problems, hasData, hidden } = current;
    done.add(row);
    current = undefined;
    if (!hasData) return;
    if (++dataRows > LIMITS.rows) throw tooManyRows(parts.name);
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    const raw: RawRow = problems ? { row, cells, problems } : { row, cells };
    if (hidden) raw.hidden = true;
    ready.push(raw);
  };

  /**
   * A `<row>` with number r (already checked to be a number; 0 when it is none), hidden in Excel or not. `numbered`:
   * it had no r, and r is the number after the row before it.
   */
  const startRow = (r: number, hidden: boolean, numbered: boolean): void => {
    if (inCell) throw unclosedCell();
    if (r < 1 || r > XLSX_LIMITS.excelRows) throw fail(`ongeldig rijnummer na rij ${lastRow}`);
    lastRow = r;
    if (current?.row === r) {
      current.hidden ||= hidden;
      return;
    }
    flush();
    if (done.has(r)) throw fail(`rij ${r} staat op twee plaatsen in het werkblad`);
    current = { row: r, cells: [], problems: undefined, hasData: false, hidden, numbered };
    nextColumn = 0;
  };

  /** A row was numbered by its first cell's reference: from then on every cell must have one. */
  let byReference = false;
  /**
   * A cell whose reference names another row than the `<row>` it stands in. A row without r whose first cell names a
   * later row (a writer that numbers cells but not rows, and skips empty rows) is that row, as other readers take it;
   * anything else is refused: oracles put the cell in the row it names, which would be another student's.
   */
  const renumber = (row: OpenRow, ref: string): number => {
    const named = digitsValue(ref, ref.search(/\d/));
    if (!row.numbered || row.cells.length > 0 || row.problems || named <= row.row || named > XLSX_LIMITS.excelRows) throw fail(`cel ${ref} staat in rij ${row.row}`);
    if (done.has(named)) throw fail(`rij ${named} staat op twee plaatsen in het werkblad`);
    row.row = lastRow = named;
    byReference = true;
    row.numbered = false;
    return columnAt(ref, 0, ref.length, named);
  };

  /** A `<c>` inside a row: cell.ref (or refText…) and column are set; column is -1 for a bad reference. */
  /**
   * A cell without a reference takes the place after the one before it. Past XFD no cell can be: a row of millions
   * of empty `<c/>` (no data, so no other limit) is refused there instead of read for seconds.
   */
  const placeAfter = (row: number): void => {
    if (nextColumn >= EXCEL_COLUMNS) throw fail(`rij ${row} heeft meer cellen dan Excel kolommen heeft`);
    cell.column = nextColumn;
    cell.ref = undefined;
    cell.refFrom = -1;
    cell.refRow = row;
  };

  const startCell = (row: OpenRow, type: string, style: number): void => {
    if (cell.column < 0) throw fail(`ongeldige celverwijzing in rij ${row.row}`);
    if (!CELL_TYPES.has(type)) throw fail(`cel ${refOf(cell)} heeft een onbekend celtype`);
    nextColumn = cell.column + 1;
    cell.type = type;
    cell.style = style;
    cell.value = undefined;
    cell.inline = '';
    cell.inlineSeen = false;
    cell.formula = false;
    inCell = true;
  };

  /**
   * The fast path of `<row r="…" …>` and `<c r="…" s="…" t="…">`, and of a `<v>` value without references right
   * after the cell tag: `<c …><v>123</v></c>` is one step. -1 for anything else (see XmlHandler.openRaw).
   */
  const openRaw = (s: string, from: number): number => {
    if (from + 4 >= s.length) return -1;
    const c0 = s.charCodeAt(from);
    if (c0 === 0x63 /* c */) return current && nameEnds(s.charCodeAt(from + 1)) ? openCell(current, s, from + 1) : -1;
    if (c0 === 0x72 /* r */ && s.startsWith('row', from) && nameEnds(s.charCodeAt(from + 3))) return openRow(s, from + 3);
    return -1;
  };

  // Separate functions keep what the optimiser compiles (and recompiles) small.
  const openCell = (row: OpenRow, s: string, attrs: number): number => {
    // The cell before it was never closed (a </c> missing): its value would be lost.
    if (inCell) throw unclosedCell();
    // <c/>: an empty cell without a reference only takes a place (LibreOffice writes rows of them; a hostile file
    // millions).
    if (s.charCodeAt(attrs) === 0x2f /* / */ && s.charCodeAt(attrs + 1) === 0x3e /* > */ && !byReference) {
      let after = attrs + 2;
      for (;;) {
        placeAfter(row.row);
        nextColumn++;
        if (!s.startsWith('<c/>', after)) return after;
        after += 4;
      }
    }
    let refFrom = -1;
    let refTo = -1;
    let type = 'n';
    let style = 0;
    for (let i = attrs; ; ) {
      i = nextAttribute(s, i, span);
      if (i === -1) break;
      if (i === -2) return -1;
      if (span.nameEnd - span.name !== 1) continue;
      switch (s.charCodeAt(span.name)) {
        case 0x72 /* r */:
          refFrom = span.value;
          refTo = span.valueEnd;
          break;
        case 0x74 /* t */:
          {
            const t = cellType(s, span.value, span.valueEnd);
            if (t === undefined) return -1;
            type = t;
            break;
          }
        case 0x73 /* s */:
          style = digitsValue(s, span.value, span.valueEnd);
          if (style < 0 || span.valueEnd - span.value > 9) return -1;
          break;
      }
    }
    if (refFrom < 0) {
      if (byReference) return -1;
      placeAfter(row.row);
    } else {
      // Letters then digits, nothing around them: else open() trims and judges the reference.
      const column = columnAt(s, refFrom, refTo, row.row);
      if (column < 0) return -1;
      cell.column = column;
      cell.ref = undefined;
      cell.refText = s;
      cell.refFrom = refFrom;
      cell.refTo = refTo;
    }
    startCell(row, type, style);
    const after = span.end;
    if (span.selfClosing) {
      closeCell();
      return after;
    }
    // <v>…</v></c> in this piece, nothing to decode in the value: the cell is done here.
    if (after + 2 < s.length && s.charCodeAt(after) === 0x3c && s.charCodeAt(after + 1) === 0x76 && s.charCodeAt(after + 2) === 0x3e) {
      const value = after + 3;
      const lt = s.indexOf('<', value);
      if (lt >= 0 && lt - value <= 64 && s.startsWith('</v></c>', lt)) {
        // A shared-string index is looked up without making a string of it.
        const index = type === 's' ? digitsValue(s, value, lt) : -1;
        if (index >= 0 && index < shared.length) {
          put(row, shared[index]!);
          inCell = false;
          capture = undefined;
          return lt + 8;
        }
        const v = s.slice(value, lt);
        if (!v.includes('&')) {
          cell.value = v;
          closeCell();
          return lt + 8;
        }
      }
    }
    return after;
  };

  const openRow = (s: string, attrs: number): number => {
    let r = lastRow + 1;
    let numbered = true;
    let hidden = false;
    for (let i = attrs; ; ) {
      i = nextAttribute(s, i, span);
      if (i === -1) break;
      if (i === -2) return -1;
      const length = span.nameEnd - span.name;
      if (length === 1 && s.charCodeAt(span.name) === 0x72 /* r */) {
        if (span.valueEnd - span.value > 7) return -1;
        r = digitsValue(s, span.value, span.valueEnd);
        if (r < 0) return -1;
        numbered = false;
      } else if (length === 6 && s.startsWith('hidden', span.name)) hidden = isTrue(s.slice(span.value, span.valueEnd));
    }
    // A row ends at the next <row> or at </sheetData> (consecutive elements with one number are one row).
    startRow(r, hidden, numbered);
    return span.end;
  };

  /** A cell's text, or a problem, into its row. */
  const put = (row: OpenRow, text: string | CellValueProblem): void => {
    if (text === '') return;
    if (cell.column >= LIMITS.columns) throw tooManyColumns(parts.name, row.row, `${columnLetters(cell.column)}${row.row}`);
    if (row.cells[cell.column] !== undefined) throw fail(`cel ${refOf(cell)} staat er twee keer in`);
    row.hasData = true;
    if (typeof text === 'string') row.cells[cell.column] = text;
    else {
      (row.problems ??= []).push({ column: cell.column, kind: text.kind });
      row.cells[cell.column] = text.text ?? '';
    }
  };

  const closeCell = (): void => {
    if (inCell && current) put(current, cellText(cell));
    inCell = false;
    capture = undefined;
  };

  const handler: XmlHandler = {
    openRaw,
    open(name, tag, selfClosing) {
      switch (name) {
        case 'row': {
          let r = lastRow + 1;
          let numbered = true;
          let hidden = false;
          eachAttribute(tag, (attr, value) => {
            if (attr === 'hidden') hidden = isTrue(value);
            if (attr !== 'r') return;
            const t = value.trim();
            r = /^\d{1,7}$/.test(t) ? Number(t) : 0;
            numbered = false;
          });
          startRow(r, hidden, numbered);
          break;
        }
        case 'c':
          if (inCell) throw unclosedCell();
          if (current) {
            let ref: string | undefined;
            let type = 'n';
            let style = 0;
            eachAttribute(tag, (attr, value) => {
              if (attr === 'r') ref = value.trim();
              else if (attr === 't') type = value.trim();
              else if (attr === 's') style = Number(value) || 0;
            });
            if (ref === undefined) {
              // Where rows are numbered by their cells, a cell without a reference has no sure place (openpyxl puts it
              // elsewhere than this reader would).
              if (byReference) throw fail(`cel zonder verwijzing in rij ${current.row}, in een blad waar de cellen de rijen nummeren`);
              placeAfter(current.row);
            } else {
              cell.column = columnAt(ref, 0, ref.length, current.row);
              cell.ref = ref;
              if (cell.column === OTHER_ROW) cell.column = renumber(current, ref);
            }
            startCell(current, type, style);
          }
          break;
        case 'v':
          if (!inCell) {
            // Within sheetData a value belongs to a cell; elsewhere (an extension) it is none of ours.
            if (current) throw outsideCell('<v>');
            break;
          }
          // Two values in one cell: LibreOffice shows the last, openpyxl the first; gluing them made a new Stamnr.
          if (cell.value !== undefined) throw fail(`cel ${refOf(cell)} heeft twee waarden`);
          cell.value = '';
          if (!selfClosing) capture = 'v';
          break;
        case 'is':
          if (inCell) {
            if (cell.inlineSeen) throw fail(`cel ${refOf(cell)} heeft twee waarden`);
            cell.inlineSeen = true;
          }
          inInline = true;
          break;
        case 't':
          if (inCell && inInline && !selfClosing && phonetic === 0) {
            const foreign = inlineInside.foreign();
            if (foreign !== undefined) throw fail(`cel ${refOf(cell)} heeft tekst in een onderdeel dat numo-prep niet kent, <${foreign}>`);
            capture = 't';
          }
          break;
        case 'f':
          if (inCell) cell.formula = true;
          break;
        case 'rPh':
          phonetic++;
          break;
        case 'mergeCell':
          {
            const range = mergedRange(attribute(tag, 'ref') ?? '');
            if (range && merged.push(range) > MAX_MERGED) {
              throw new UserError(
                `${parts.name}: blad '${sheetName.slice(0, 31)}' heeft meer dan ${formatCount(MAX_MERGED)} samengevoegde blokken. Maak het samenvoegen ongedaan (alles selecteren, Samenvoegen en centreren uit) en sla opnieuw op.`,
              );
            }
          }
          break;
      }
      if (inInline && name !== 'is') inlineInside.enter(name);
    },
    close(name) {
      if (inInline && name !== 'is') inlineInside.leave();
      switch (name) {
        case 'v':
        case 't':
          capture = undefined;
          break;
        case 'is':
          inInline = false;
          inlineInside.reset();
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c':
          if (!inCell && current) throw outsideCell('</c>');
          closeCell();
          break;
        case 'row':
        case 'sheetData':
          if (inCell) throw unclosedCell();
          if (name === 'sheetData') flush();
          break;
      }
    },
    text(text) {
      if (!inCell || !capture) return;
      const length = capture === 'v' ? (cell.value += text).length : (cell.inline += text).length;
      if (length > XLSX_LIMITS.cellChars) throw tooLong(parts.name, `blad '${sheetName.slice(0, 31)}', cel ${refOf(cell)}`);
    },
  };
  return new PartRows(parts, path, handler, ready, () => {
    if (inCell) throw unclosedCell();
    flush();
  });
}

/**
 * The rows a handler collects from a zip part, as an async iterator: the rows of a piece are handed out from an
 * array, with one resolved promise each or all at once (nextBatch); the part is read on only when they run out.
 * An async generator here (and one delegating to another) cost a few chained promises per row — some 70 ms at
 * 100,000 rows.
 */
class PartRows implements RowIterator {
  private readonly decoder = new XmlDecoder();
  private readonly scanner: XmlScanner;
  /** Made at the first read: a missing part is an error of next(), not of getting the iterator. */
  private entry: ZipEntry | undefined;
  private pieces: AsyncGenerator<Buffer> | undefined;
  private at = 0;
  private finished = false;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly parts: XlsxParts,
    private readonly path: string,
    handler: XmlHandler,
    /** Where the handler puts rows; emptied here once handed out. */
    private readonly ready: RawRow[],
    /** Called after the last piece (the open row is complete then). */
    private readonly finish: () => void,
  ) {
    this.scanner = new XmlScanner(handler);
  }

  next(): Promise<IteratorResult<RawRow>> {
    if (this.at < this.ready.length) return Promise.resolve({ value: this.ready[this.at++]!, done: false });
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return this.readMore().then(() => this.next());
  }

  /** The rows of the pieces read so far that were not handed out yet (see RowIterator). */
  async nextBatch(): Promise<readonly RawRow[]> {
    if (this.at >= this.ready.length) {
      if (this.finished) return [];
      await this.readMore();
    }
    const batch = this.ready.slice(this.at);
    this.at = this.ready.length;
    return batch;
  }

  async return(): Promise<IteratorResult<RawRow>> {
    // A read in progress ends first: nothing it finds is handed out after this.
    await this.reading?.catch(() => {});
    this.finished = true;
    this.ready.length = 0;
    await this.pieces?.return(undefined);
    return { value: undefined, done: true };
  }

  /**
   * Reads pieces until the handler has rows ready or the part ends. One read at a time: a caller that asks again
   * before a read ends waits for the same read (for-await never does).
   */
  private readMore(): Promise<void> {
    this.reading ??= this.readOn().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readOn(): Promise<void> {
    this.ready.length = 0;
    this.at = 0;
    const entry = (this.entry ??= this.parts.entry(this.path));
    this.pieces ??= this.parts.zip.read(entry);
    while (this.ready.length === 0 && !this.finished) {
      try {
        const piece = await this.pieces.next();
        if (piece.done) {
          this.finished = true;
          this.scanner.write(this.decoder.end());
          this.scanner.end();
        } else this.scanner.write(this.decoder.decode(piece.value));
      } catch (err) {
        this.finished = true;
        // Garbage that inflated from damaged bytes reads as odd content (a cell with two values) before the CRC at
        // the end of the part would tell: read on to that check (bounded by the part's cap) and name the damage.
        let reported = err;
        if (err instanceof UnreadableContent || err instanceof XmlFormatError) {
          try {
            while (!(await this.pieces.next()).done);
          } catch (damage) {
            if (damage instanceof ZipFormatError || (damage as NodeJS.ErrnoException)?.code?.startsWith('Z_')) reported = damage;
          }
        }
        await this.pieces.return(undefined);
        throw translate(this.parts.name, reported, entry.name);
      }
      if (this.finished) this.finish();
    }
  }
}

/** The sheets of an .xlsx held in memory, in workbook order, each read lazily. */
export async function xlsxSheets(name: string, buf: Buffer): Promise<Sheet[]> {
  let zip: ZipArchive;
  try {
    zip = new ZipArchive(buf, { entryBytes: LIMITS.entryBytes, archiveBytes: XLSX_LIMITS.archiveBytes });
  } catch (err) {
    throw translate(name, err);
  }
  const parts = new XlsxParts(name, zip);
  const info = await readWorkbook(parts);
  if (info.sheets.length === 0) throw new UserError(`${name} bevat geen werkbladen. Controleer of je het juiste bestand hebt gekozen.`, EXIT.usage);
  const shared = info.sharedStringsPath ? await readSharedStrings(parts, info.sharedStringsPath) : [];
  const formats = await readCellFormats(parts, info.stylesPath);
  return info.sheets.map((s) => {
    // Filled by the read that reaches <mergeCells> after the rows; each new read starts it again.
    const merged: MergedRange[] = [];
    return {
      name: s.name,
      ...(s.hidden ? { hidden: true } : {}),
      merged,
      rows: { [Symbol.asyncIterator]: () => worksheetRows(parts, s.name, s.path, shared, formats, info, merged) },
    };
  });
}
