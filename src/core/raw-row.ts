import { normaliseText } from './text.js';

/** A row as read from a file: cells as text, numbered as the user sees it in Excel (or the CSV record number). */
export interface RawRow {
  row: number;
  cells: string[];
  /** Cells that had no usable value: an Excel error (#N/A from a VLOOKUP) or a formula never calculated. */
  problems?: CellProblem[];
}

export interface CellProblem {
  column: number;
  kind: 'excel-error' | 'formula-without-result';
  detail?: string;
}

export interface Sheet {
  name?: string;
  rows: AsyncIterable<RawRow>;
  /** How a text file was decoded ("UTF-8", "Windows-1252 (ANSI)" …), for the report. */
  encoding?: string;
  /** Things the admin must know about how the file was read (never cell values). */
  warnings?: string[];
}

/** Nothing in any cell once invisible characters and spaces are gone. */
export function isBlankRow(r: RawRow): boolean {
  return r.cells.every((c) => normaliseText(c) === '');
}
