import { normaliseText } from './text.js';

/** A row as read from a file: cells as text, numbered as the user sees it in Excel (or the CSV record number). */
export interface RawRow {
  row: number;
  cells: string[];
  /**
   * Cells that had no usable value (read as empty): an Excel error (#N/A from a VLOOKUP) or a formula never
   * calculated; or a number shown in scientific notation, a fraction (read as the number), or WAAR/ONWAAR (read so).
   */
  problems?: CellProblem[];
  /** Hidden in Excel (a filter, or rows hidden by hand): still in the file, so still read. */
  hidden?: true;
}

export interface CellProblem {
  column: number;
  kind: 'excel-error' | 'formula-without-result' | 'scientific' | 'decimal' | 'boolean';
  detail?: string;
}

export interface Sheet {
  name?: string;
  /** Hidden in Excel (a workbook's sheet with state hidden or veryHidden). */
  hidden?: boolean;
  rows: AsyncIterable<RawRow>;
  /** How a text file was decoded ("UTF-8", "Windows-1252 (ANSI)" …), for the report. */
  encoding?: string;
  /** A text file that starts with a UTF-8 byte order mark (as numo-prep writes its CSV, unlike a spreadsheet's plain CSV save). */
  bom?: true;
  /** A CSV's delimiter, as detected. */
  delimiter?: string;
  /** Things the admin must know about how the file was read (never cell values). */
  warnings?: string[];
  /**
   * A text file with lines in UTF-8 and lines in Windows-1252: which lines are in Windows-1252, as "regel 3" or
   * "regels 12–40, 77". numo-prep reads each line in its own; a reader like Numo takes one for the whole file.
   */
  mixedEncoding?: string;
  /** A text file that starts with two byte order marks (a tool put one before one): read past, but a reader that skips one sees the other in the first header. */
  secondBom?: true;
  /** Merged cells (an .xlsx); filled as the sheet is read, complete once its rows are. */
  merged?: readonly MergedRange[];
}

/**
 * A block of merged cells: columns column–lastColumn (0-based), rows first–last. Excel shows the value of the
 * top-left cell over the whole block; the file has it in that cell only, the others are empty.
 */
export interface MergedRange {
  column: number;
  lastColumn: number;
  first: number;
  last: number;
}

/** Row numbers (up to Excel's 1,048,576) as one bit each: at most 128 KiB, grown as higher rows come. */
export class RowSet {
  private bits = new Uint8Array(1024);

  add(row: number): void {
    if (row >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (row >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[row >> 3]! |= 1 << (row & 7);
  }

  has(row: number): boolean {
    return ((this.bits[row >> 3] ?? 0) & (1 << (row & 7))) !== 0;
  }
}

/** Nothing in any cell once invisible characters and spaces are gone. */
export function isBlankRow(r: RawRow): boolean {
  return r.cells.every((c) => normaliseText(c) === '');
}

/**
 * A row iterator that can also hand out at once the rows it has already read (a reader holds a piece's worth):
 * a consumer of 100,000 rows then awaits a few hundred promises instead of one per row.
 */
export interface RowIterator extends AsyncIterator<RawRow> {
  /** The rows ready now, or when there are none the next ones once read; empty at the end. */
  nextBatch?(): Promise<readonly RawRow[]>;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** `first` (rows already taken from `rest`, such as a header scan), then the rest of the same iterator. */
export function prepend(first: readonly RawRow[], rest: RowIterator): RowIterator {
  let i = 0;
  return {
    next: () => (i < first.length ? Promise.resolve({ done: false, value: first[i++]! }) : rest.next()),
    nextBatch: async () => {
      if (i < first.length) {
        const batch = first.slice(i);
        i = first.length;
        return batch;
      }
      return nextBatch(rest);
    },
    return: async () => (await rest.return?.()) ?? DONE,
  };
}

function nextBatch(it: RowIterator): Promise<readonly RawRow[]> {
  return it.nextBatch ? it.nextBatch() : it.next().then((r) => (r.done ? [] : [r.value]));
}

/**
 * The rows in batches (see RowIterator), one row per batch from an iterator that has none. Like for-await, the
 * iterator is closed (return) when the consumer stops early, not after it ended or failed.
 */
export async function* rowBatches(rows: AsyncIterable<RawRow>): AsyncGenerator<readonly RawRow[], void, undefined> {
  const it: RowIterator = rows[Symbol.asyncIterator]();
  let open = true;
  const take = async (): Promise<readonly RawRow[]> => {
    try {
      const batch = await nextBatch(it);
      open = batch.length > 0;
      return batch;
    } catch (err) {
      open = false;
      throw err;
    }
  };
  try {
    let turn = Date.now();
    for (let batch = await take(); batch.length > 0; batch = await take()) {
      yield batch;
      // Work per row can be slow (long cells): after 100 ms of it the event loop gets a turn, so Ctrl+C is handled.
      if (Date.now() - turn > 100) {
        await new Promise((resolve) => setImmediate(resolve));
        turn = Date.now();
      }
    }
  } finally {
    if (open) await it.return?.();
  }
}

/** The column as Excel names it: 0 → A, 27 → AB. */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A sheet's name for a message: quoted, its invisible characters gone, at most Excel's 31 characters. */
export const sheetLabel = (sheet: string | undefined): string => `'${normaliseText(sheet ?? '').slice(0, 31)}'`;
