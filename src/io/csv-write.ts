import { stringify } from 'csv-stringify/sync';
import { DELIMITER_OPTIONS, IDGEBR_HEADER, NUMO_HEADERS, type DelimiterOption, type NumoRow, type OutputEncoding } from '../core/schema.js';
import { FORMULA_START } from '../core/validate.js';
import { encodeCp1252 } from './cp1252.js';

export interface CsvFormat {
  encoding: OutputEncoding;
  delimiter: DelimiterOption;
}

function numoHeaders(withIdgebr: boolean): string[] {
  return withIdgebr ? [...NUMO_HEADERS, IDGEBR_HEADER] : [...NUMO_HEADERS];
}

/**
 * OWASP CSV injection: a leading ' makes Excel show the value as text. csv-stringify's own escape_formulas
 * misses a leading LF, so we do it ourselves for every value.
 */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Turns rows into CSV bytes in the chosen format: CRLF line ends, quotes where needed, BOM only at the start. */
export class CsvEncoder {
  private readonly headers: string[];
  /** The characters that make csv-stringify quote a field with our options. */
  private readonly needsQuotes: RegExp;

  constructor(
    private readonly format: CsvFormat,
    withIdgebr: boolean,
  ) {
    this.headers = numoHeaders(withIdgebr);
    this.needsQuotes = new RegExp(`["\\r\\n${DELIMITER_OPTIONS[format.delimiter]}]`);
  }

  private lines(records: string[][]): string {
    return stringify(records, {
      delimiter: DELIMITER_OPTIONS[this.format.delimiter],
      record_delimiter: '\r\n',
      quote_record_delimiter: true,
    });
  }

  private bytes(text: string): Buffer {
    return this.format.encoding === 'windows-1252' ? encodeCp1252(text) : Buffer.from(text, 'utf8');
  }

  header(): Buffer {
    const bom = this.format.encoding === 'utf8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
    return Buffer.concat([bom, this.bytes(this.lines([this.headers]))]);
  }

  /**
   * A row with nothing to quote is its fields joined — exactly what csv-stringify writes for it (a test holds the
   * two equal); csv-stringify's per-field work was the largest cost of writing 100,000 rows. Rows that need
   * quoting go through csv-stringify.
   */
  rows(rows: NumoRow[]): Buffer {
    const delimiter = DELIMITER_OPTIONS[this.format.delimiter];
    let text = '';
    for (const r of rows) {
      const fields = this.headers.map((h) => neutralise((r as unknown as Record<string, string | undefined>)[h] ?? ''));
      text += fields.some((f) => this.needsQuotes.test(f)) ? this.lines([fields]) : `${fields.join(delimiter)}\r\n`;
    }
    return this.bytes(text);
  }
}
