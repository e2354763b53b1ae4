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

  constructor(
    private readonly format: CsvFormat,
    withIdgebr: boolean,
  ) {
    this.headers = numoHeaders(withIdgebr);
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

  rows(rows: NumoRow[]): Buffer {
    const records = rows.map((r) => this.headers.map((h) => neutralise((r as Record<string, string | undefined>)[h] ?? '')));
    return this.bytes(this.lines(records));
  }
}
