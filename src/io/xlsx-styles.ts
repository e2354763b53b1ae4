import { builtinFormatCode, type NumberFormat, parseFormat } from './numfmt.js';
import { attribute, XmlFormatError, type XmlHandler } from './xml-scan.js';

/** Excel allows 64,000 cell formats and some 250 number formats; far more is no workbook but a memory bomb. */
const MAX_STYLES = 1_000_000;
/**
 * The number formats' codes together: Excel's 250 at most 255 characters each fit; 60,000 codes of 4,000
 * characters took minutes to parse and ended in an out-of-memory abort.
 */
const MAX_FORMAT_CHARS = 256 * 1024;

/**
 * The number format of each cell style (the `s` attribute of a cell is an index into `cellXfs`), from styles.xml.
 * Only what Excel applies to cells counts: `numFmt` elements of the top-level `numFmts` and `xf` elements of the
 * top-level `cellXfs`. A `numFmt` inside `dxfs` (conditional formatting) or an extension, and the `xf`s of
 * `cellStyleXfs`, never change how a value reads. Styles whose format shows numbers plainly are left out, so the
 * per-cell lookup is one array read that is usually undefined.
 */
export class CellFormats {
  private readonly formats = new Map<number, string>();
  private readonly xfFormats: number[] = [];
  private formatChars = 0;
  private depth = 0;
  /** The element directly under the root that the scanner is in (numFmts, cellXfs, dxfs ...). */
  private section = '';

  /** Feed styles.xml through this handler, then call styles(). A self-closing tag is an open and a close. */
  readonly handler: XmlHandler = {
    open: (name, tag) => {
      if (this.depth === 1) this.section = name;
      else if (this.depth === 2 && name === 'numFmt' && this.section === 'numFmts') {
        const id = formatId(attribute(tag, 'numFmtId'));
        const code = attribute(tag, 'formatCode') ?? '';
        if ((this.formatChars += code.length) > MAX_FORMAT_CHARS) throw new XmlFormatError('te veel of te lange getalnotaties');
        if (id !== undefined) this.formats.set(id, code);
      } else if (this.depth === 2 && name === 'xf' && this.section === 'cellXfs') {
        this.xfFormats.push(formatId(attribute(tag, 'numFmtId')) ?? 0);
      }
      if (this.formats.size + this.xfFormats.length > MAX_STYLES) throw new XmlFormatError('meer dan een miljoen celopmaken');
      this.depth++;
    },
    close: () => void this.depth--,
    text: () => {},
  };

  /** Per cell style, the number format when it is anything but a plain number. */
  styles(): (NumberFormat | undefined)[] {
    const parsed = new Map<number, NumberFormat | undefined>();
    return this.xfFormats.map((id) => {
      if (!parsed.has(id)) {
        const code = this.formats.get(id) ?? builtinFormatCode(id);
        const format = code === undefined ? undefined : parseFormat(code);
        parsed.set(id, format?.sections.some((s) => s.kind !== 'number') ? format : undefined);
      }
      return parsed.get(id);
    });
  }
}

function formatId(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : undefined;
}

const MAIN_NAMESPACES = new Set(['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main']);

/**
 * What workbook.xml says about every sheet: the 1904 date system (`workbookPr date1904`), and whether the stored
 * formula results are stale (`calcPr fullCalcOnLoad`: Excel recalculates on opening, because the writer, e.g.
 * XlsxWriter, may have stored 0 as a placeholder instead of the result). Only elements of the main SpreadsheetML
 * namespace directly under the root `workbook` count — not `<x15:workbookPr>` or anything else inside `extLst`.
 * The scanner drops prefixes, so the prefix is taken from the raw tag and resolved against the namespace
 * declarations of the root and of the element itself.
 */
export class WorkbookSettings {
  date1904 = false;
  staleResults = false;
  private depth = 0;
  private rootNamespaces = new Map<string, string>();

  /** Called for every tag; a self-closing one is followed by close() as the scanner does. */
  open(name: string, tag: string): void {
    if (this.depth === 0) this.rootNamespaces = namespaces(tag);
    else if (this.depth === 1 && (name === 'workbookPr' || name === 'calcPr')) {
      const own = namespaces(tag);
      const prefix = prefixOf(tag);
      const uri = own.get(prefix) ?? this.rootNamespaces.get(prefix);
      const flag = (a: string) => ['1', 'true'].includes((attribute(tag, a) ?? '').trim());
      if (uri !== undefined && MAIN_NAMESPACES.has(uri)) {
        if (name === 'workbookPr') this.date1904 = flag('date1904');
        else this.staleResults = flag('fullCalcOnLoad');
      }
    }
    this.depth++;
  }

  close(): void {
    this.depth--;
  }
}

/** The prefix of a raw tag's name ('' for none): "x:workbookPr date1904=…" → "x". */
function prefixOf(tag: string): string {
  let end = 0;
  while (end < tag.length && tag.charCodeAt(end) > 0x20 && tag[end] !== '/') end++;
  const colon = tag.lastIndexOf(':', end - 1);
  return colon < 0 ? '' : tag.slice(0, colon);
}

/** The xmlns declarations of a raw tag, by prefix ('' for the default namespace). One pass, no backtracking. */
function namespaces(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let at = tag.indexOf('xmlns'); at >= 0; at = tag.indexOf('xmlns', at + 5)) {
    if (at > 0 && tag.charCodeAt(at - 1) > 0x20) continue;
    let i = at + 5;
    let prefix = '';
    if (tag[i] === ':') {
      const start = ++i;
      while (i < tag.length && tag.charCodeAt(i) > 0x20 && tag[i] !== '=') i++;
      prefix = tag.slice(start, i);
    }
    while (tag.charCodeAt(i) <= 0x20) i++;
    if (tag[i] !== '=') continue;
    i++;
    while (tag.charCodeAt(i) <= 0x20) i++;
    const quote = tag[i];
    if (quote !== '"' && quote !== "'") continue;
    const end = tag.indexOf(quote, i + 1);
    if (end < 0) break;
    out.set(prefix, tag.slice(i + 1, end));
    at = Math.max(end - 5, at);
  }
  return out;
}
