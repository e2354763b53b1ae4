import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { UserError } from '../core/errors.js';
import { decodeCp1252 } from './cp1252.js';
import { LIMITS, tooManyColumns, tooManyRows } from './limits.js';
import type { RawRow, Sheet } from '../core/raw-row.js';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** BOM first; then valid UTF-8; UTF-16 without BOM by its zero bytes; else Windows-1252 (Magister's "ANSI"). */
export function decodeText(buf: Buffer): { text: string; encoding: TextEncoding } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: utf8(buf.subarray(3)) ?? decodeCp1252(buf.subarray(3)), encoding: 'utf-8-bom' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: swap16(buf.subarray(2)).toString('utf16le'), encoding: 'utf-16be' };
  const sample = buf.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  sample.forEach((b, i) => {
    if (b === 0) i % 2 ? oddZeros++ : evenZeros++;
  });
  if (oddZeros > sample.length / 4) return { text: buf.toString('utf16le'), encoding: 'utf-16le' };
  if (evenZeros > sample.length / 4) return { text: swap16(buf).toString('utf16le'), encoding: 'utf-16be' };
  const asUtf8 = utf8(buf);
  return asUtf8 === undefined ? { text: decodeCp1252(buf), encoding: 'windows-1252' } : { text: asUtf8, encoding: 'utf-8' };
}

function utf8(buf: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return undefined;
  }
}

function swap16(buf: Buffer): Buffer {
  const copy = Buffer.from(buf.subarray(0, buf.length - (buf.length % 2)));
  return copy.swap16();
}

const DELIMITERS = [';', ',', '\t', '|'] as const;

/**
 * The delimiter used most consistently in the first lines (quoted text ignored). Title rows without delimiters
 * do not count against a candidate; a file with one column has none and is refused by the caller.
 */
export function detectDelimiter(text: string): string | undefined {
  const lines = text
    .slice(0, 64 * 1024)
    .replace(/"(?:[^"]|"")*"/g, '""')
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  let best: string | undefined;
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => l.split(d).length - 1).filter((c) => c > 0);
    if (counts.length === 0) continue;
    const max = Math.max(...counts);
    const consistent = counts.filter((c) => c === max).length;
    const score = consistent * 1000 + max;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function csvProblem(name: string, err: unknown): UserError {
  if (err instanceof UserError) return err;
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    const where = line ? ` (regel ${line})` : '';
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new UserError(`${name}: een aanhalingsteken (") wordt niet gesloten${where}. Open het bestand in Excel, controleer die regel en sla opnieuw op.`);
    }
    return new UserError(`${name} is geen geldige CSV${where}. Open het in Excel en sla opnieuw op als CSV (gescheiden door lijstscheidingstekens).`);
  }
  return new UserError(`${name} kon niet als CSV gelezen worden. Open het in Excel en sla opnieuw op als CSV.`);
}

async function* csvRows(name: string, text: string, delimiter: string): AsyncGenerator<RawRow> {
  const parser = parse({
    delimiter,
    // Mixed line ends happen when files are stitched together; any of them ends a record.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  const chunks = (function* () {
    for (let i = 0; i < text.length; i += 64 * 1024) yield text.slice(i, i + 64 * 1024);
  })();
  Readable.from(chunks).pipe(parser);
  // Empty lines are kept as records, so the record number is the row number Excel shows for this CSV.
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (row > LIMITS.rows) throw tooManyRows(name);
      if (record.length > LIMITS.columns) throw tooManyColumns(name, row);
      yield { row, cells: record };
    }
  } catch (err) {
    throw csvProblem(name, err);
  } finally {
    parser.destroy();
  }
}

/** A list (Numo's opleidingscodes) may have one column and so no delimiter; an export never does. */
export function csvSheet(name: string, buf: Buffer, o: { singleColumn?: boolean } = {}): Sheet {
  const { text } = decodeText(buf);
  const delimiter = detectDelimiter(text) ?? (o.singleColumn ? ';' : undefined);
  if (!delimiter) {
    throw new UserError(
      `${name}: scheidingsteken niet herkend (verwacht puntkomma, komma of tab). ` +
        'Open het bestand in Excel en sla op als CSV (gescheiden door lijstscheidingstekens).',
    );
  }
  return { rows: { [Symbol.asyncIterator]: () => csvRows(name, text, delimiter) } };
}
