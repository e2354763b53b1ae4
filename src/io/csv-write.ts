import { Quoting } from '../core/csv-quote.js';
import { DELIMITER_OPTIONS, type DelimiterOption, IDGEBR_HEADER, NUMO_HEADERS, type NumoRow, type OutputEncoding } from '../core/schema.js';
import { startsLikeFormula } from '../core/validate.js';
import { AtomicFile } from './atomic-file.js';
import { encodeCp1252 } from './cp1252.js';

export interface CsvFormat {
  encoding: OutputEncoding;
  delimiter: DelimiterOption;
}

/**
 * OWASP CSV injection: a leading ' makes Excel show the value as text. Also before a leading tab, CR or LF, which
 * Excel takes as the start of a formula too (csv-stringify's escape_formulas, which the tests compare the quoting
 * with, misses a leading LF); for the values a caller marks as data.
 */
export function neutralise(value: string): string {
  return startsLikeFormula(value) ? `'${value}` : value;
}

/**
 * Every CSV numo-prep writes whole (Numo output, new mapping, previous-year report) goes through here: CRLF line
 * ends, a BOM only with utf8-bom and only at the start, fields quoted by the one rule (core/csv-quote.ts).
 */
export class CsvRecords {
  private readonly quoting: Quoting;

  constructor(
    private readonly format: CsvFormat,
    private readonly headers: readonly string[],
  ) {
    this.quoting = new Quoting(DELIMITER_OPTIONS[format.delimiter]);
  }

  protected line(fields: readonly string[]): string {
    return this.quoting.line(fields, '\r\n');
  }

  protected bytes(text: string): Buffer {
    return this.format.encoding === 'windows-1252' ? encodeCp1252(text) : Buffer.from(text, 'utf8');
  }

  header(): Buffer {
    const bom = this.format.encoding === 'utf8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
    return Buffer.concat([bom, this.bytes(this.line(this.headers))]);
  }

  records(records: readonly (readonly string[])[]): Buffer {
    return this.bytes(this.quoting.lines(records, '\r\n'));
  }
}

/**
 * The Numo import CSV: Numo's headers (IDGebr last when used), every value neutralised but the password: a ' before
 * it would be part of the password in Numo (numo-prep's own passwords never start so; a kept one is warned about).
 */
export class CsvEncoder extends CsvRecords {
  private readonly keys: (keyof NumoRow)[];

  constructor(format: CsvFormat, withIdgebr: boolean) {
    const headers = withIdgebr ? [...NUMO_HEADERS, IDGEBR_HEADER] : [...NUMO_HEADERS];
    super(format, headers);
    this.keys = headers as (keyof NumoRow)[];
  }

  /** Each row's neutralised fields in one reused array, quoted and joined by the one rule. */
  rows(rows: readonly NumoRow[]): Buffer {
    const fields: string[] = new Array(this.keys.length);
    const password = this.keys.indexOf('wachtwoord');
    let text = '';
    for (const r of rows) {
      for (let i = 0; i < this.keys.length; i++) fields[i] = neutralise(r[this.keys[i]!] ?? '');
      fields[password] = r.wachtwoord;
      text += this.line(fields);
    }
    return this.bytes(text);
  }
}

/**
 * A small CSV (mapping, report) prepared whole beside its target, not yet in place: the run commits it together
 * with its other files (commitAll). The caller neutralises what is data.
 */
export async function prepareCsvFile(path: string, format: CsvFormat, headers: readonly string[], records: string[][], o: { replace: boolean; private?: boolean; flag?: string }): Promise<AtomicFile> {
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
