import { DELIMITER_OPTIONS, type DelimiterOption, IDGEBR_HEADER, NUMO_HEADERS, type NumoRow, type OutputEncoding } from '../core/schema.js';
import { startsLikeFormula } from '../core/validate.js';
import { AtomicFile } from './atomic-file.js';
import { encodeCp1252 } from './cp1252.js';

export interface CsvFormat {
  encoding: OutputEncoding;
  delimiter: DelimiterOption;
}

/**
 * OWASP CSV injection: a leading ' makes Excel show the value as text. csv-stringify's own escape_formulas
 * misses a leading LF, so we do it ourselves, for the values a caller marks as data.
 */
export function neutralise(value: string): string {
  return startsLikeFormula(value) ? `'${value}` : value;
}

/**
 * The one quoting rule of every CSV numo-prep writes: a field between quotes when it holds a quote, CR, LF or the
 * delimiter, a quote inside doubled. That is what csv-stringify writes (with quote_record_delimiter); a test holds
 * the two equal on random fields. Written out here because csv-stringify's per-field work was the largest cost of
 * writing 100,000 rows, and loading it a noticeable part of a small run.
 */
class Quoting {
  private readonly needsQuotes: RegExp;
  /**
   * The quoted fields of one line, reused and joined once: adding fields up one by one makes a string object per
   * addition, three times the memory churn at 100,000 rows.
   */
  private readonly quoted: string[] = [];

  constructor(readonly delimiter: string) {
    this.needsQuotes = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
  }

  field(value: string): string {
    return this.needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  }

  line(fields: readonly string[], eol: string): string {
    const quoted = this.quoted;
    quoted.length = fields.length;
    for (let i = 0; i < fields.length; i++) quoted[i] = this.field(fields[i]!);
    return quoted.join(this.delimiter) + eol;
  }
}

/** Records as CSV text in a file's own dialect (the delimiter and line end it already has), quoted as above. */
export function csvText(records: readonly (readonly string[])[], delimiter: string, eol: string): string {
  const q = new Quoting(delimiter);
  let text = '';
  for (const fields of records) text += q.line(fields, eol);
  return text;
}

/**
 * CSV lines encoded straight into bytes, field by field: no string per line or per batch (at 100,000 rows those
 * strings and their UTF-8 copies were a tenth of the run's garbage). A plain-ASCII field without a character the
 * rule quotes is copied byte by byte; any other field is quoted by Quoting.field, the one rule, and encoded whole.
 */
class LineBytes {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private at = 0;
  private readonly delimiter: number;

  constructor(
    private readonly quoting: Quoting,
    private readonly cp1252: boolean,
  ) {
    this.delimiter = quoting.delimiter.charCodeAt(0);
  }

  /** Adds a line; returns the bytes waiting for take(). */
  line(fields: readonly string[], neutralised: boolean): number {
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) this.byte(this.delimiter);
      this.field(neutralised ? neutralise(fields[i]!) : fields[i]!);
    }
    this.byte(0x0d);
    this.byte(0x0a);
    return this.at;
  }

  /** The bytes written since the last take; the next lines go into a new buffer (no copy). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.at = 0;
    return out;
  }

  private field(value: string): void {
    const start = this.at;
    this.room(value.length);
    const buf = this.buf;
    let at = start;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80 || c === 0x22 || c === 0x0d || c === 0x0a || c === this.delimiter) {
        this.at = start;
        this.encoded(this.quoting.field(value));
        return;
      }
      buf[at++] = c;
    }
    this.at = at;
  }

  private encoded(text: string): void {
    if (this.cp1252) {
      const bytes = encodeCp1252(text);
      this.room(bytes.length);
      this.at += bytes.copy(this.buf, this.at);
    } else {
      // UTF-8 takes at most three bytes per UTF-16 unit.
      this.room(3 * text.length);
      this.at += this.buf.write(text, this.at, 'utf8');
    }
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
}

/**
 * Every CSV numo-prep writes whole (Numo output, new mapping, previous-year report) goes through here: CRLF line
 * ends, a BOM only with utf8-bom and only at the start, fields quoted as above.
 */
export class CsvRecords {
  protected readonly lines: LineBytes;
  private readonly bom: boolean;

  constructor(
    format: CsvFormat,
    private readonly headers: readonly string[],
  ) {
    this.lines = new LineBytes(new Quoting(DELIMITER_OPTIONS[format.delimiter]), format.encoding === 'windows-1252');
    this.bom = format.encoding === 'utf8-bom';
  }

  header(): Buffer {
    this.lines.line(this.headers, false);
    const line = this.lines.take();
    return this.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), line]) : line;
  }

  records(records: readonly (readonly string[])[]): Buffer {
    for (const fields of records) this.lines.line(fields, false);
    return this.lines.take();
  }
}

/** The Numo import CSV: Numo's headers (IDGebr last when used), every value neutralised. */
export class CsvEncoder extends CsvRecords {
  private readonly keys: (keyof NumoRow)[];
  /** One row's fields, reused for every row. */
  private readonly fields: string[];

  constructor(format: CsvFormat, withIdgebr: boolean) {
    const headers = withIdgebr ? [...NUMO_HEADERS, IDGEBR_HEADER] : [...NUMO_HEADERS];
    super(format, headers);
    this.keys = headers as (keyof NumoRow)[];
    this.fields = new Array(headers.length);
  }

  /**
   * Encodes a row's line at once (the row object is garbage right after); returns the bytes waiting for take().
   * Holding rows until a batch was full made the garbage collector copy every one of them.
   */
  add(r: NumoRow): number {
    const { fields, keys } = this;
    for (let i = 0; i < keys.length; i++) fields[i] = r[keys[i]!] ?? '';
    return this.lines.line(fields, true);
  }

  /** The lines added since the last take. */
  take(): Buffer {
    return this.lines.take();
  }
}

/**
 * A small CSV (mapping, report) prepared whole beside its target, not yet in place: the run commits it together
 * with its other files (commitAll). The caller neutralises what is data.
 */
export async function prepareCsvFile(path: string, format: CsvFormat, headers: readonly string[], records: string[][], o: { replace: boolean; private?: boolean }): Promise<AtomicFile> {
  const csv = new CsvRecords(format, headers);
  const file = await AtomicFile.create(path, o);
  try {
    await file.write(Buffer.concat([csv.header(), csv.records(records)]));
    await file.finish();
    return file;
  } catch (err) {
    await file.abort();
    throw err;
  }
}
