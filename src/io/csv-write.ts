import { stringify } from 'csv-stringify/sync';
import { DELIMITER_OPTIONS, type DelimiterOption, IDGEBR_HEADER, NUMO_HEADERS, type NumoRow, type OutputEncoding } from '../core/schema.js';
import { FORMULA_START } from '../core/validate.js';
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
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Every CSV numo-prep writes (Numo output, mapping, previous-year report) goes through here: CRLF line ends, a
 * BOM only with utf8-bom and only at the start, a field quoted when it holds a quote, CR, LF or the delimiter.
 */
export class CsvRecords {
  /** The characters that make csv-stringify quote a field with our options. */
  private readonly needsQuotes: RegExp;
  private readonly delimiter: string;

  constructor(
    private readonly format: CsvFormat,
    private readonly headers: readonly string[],
  ) {
    this.delimiter = DELIMITER_OPTIONS[format.delimiter];
    this.needsQuotes = new RegExp(`["\\r\\n${this.delimiter}]`);
  }

  private lines(records: string[][]): string {
    return stringify(records, { delimiter: this.delimiter, record_delimiter: '\r\n', quote_record_delimiter: true });
  }

  private bytes(text: string): Buffer {
    return this.format.encoding === 'windows-1252' ? encodeCp1252(text) : Buffer.from(text, 'utf8');
  }

  header(): Buffer {
    const bom = this.format.encoding === 'utf8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
    return Buffer.concat([bom, this.bytes(this.lines([[...this.headers]]))]);
  }

  /**
   * A record with nothing to quote is its fields joined — exactly what csv-stringify writes for it (a test holds
   * the two equal); csv-stringify's per-field work was the largest cost of writing 100,000 rows. Records that need
   * quoting go through csv-stringify.
   */
  records(records: string[][]): Buffer {
    let text = '';
    for (const fields of records) text += fields.some((f) => this.needsQuotes.test(f)) ? this.lines([fields]) : `${fields.join(this.delimiter)}\r\n`;
    return this.bytes(text);
  }
}

/** The Numo import CSV: Numo's headers (IDGebr last when used), every value neutralised. */
export class CsvEncoder extends CsvRecords {
  private readonly keys: string[];

  constructor(format: CsvFormat, withIdgebr: boolean) {
    const headers = withIdgebr ? [...NUMO_HEADERS, IDGEBR_HEADER] : [...NUMO_HEADERS];
    super(format, headers);
    this.keys = headers;
  }

  rows(rows: NumoRow[]): Buffer {
    return this.records(rows.map((r) => this.keys.map((h) => neutralise((r as unknown as Record<string, string | undefined>)[h] ?? ''))));
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
