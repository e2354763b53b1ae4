import { UserError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';

// The readers import the numbers from here with the errors that enforce them; the numbers live in core because
// validation checks the field length too.
export { LIMITS };

/** Caps of the .xlsx reader (docs/REFERENCE.md "Grenzen"): what a real workbook stays far below, and what stops hostile files fast. */
export const XLSX_LIMITS = {
  /** Unpacked bytes of all parts of one .xlsx together (the per-part cap is LIMITS.entryBytes). */
  archiveBytes: 512 * 1024 * 1024,
  /** Characters in one cell or one shared string: Excel's own limit. */
  cellChars: 32_767,
  /** Entries in the shared-string table (a 250,000-row export has far fewer distinct texts). */
  sharedStrings: 2_000_000,
  /** Characters in all shared strings together. */
  sharedStringChars: 64 * 1024 * 1024,
  /** Worksheets in one workbook. */
  sheets: 1_000,
  /** Excel's last row and column: a reference beyond them is not a spreadsheet. */
  excelRows: 1_048_576,
  excelColumns: 16_384,
} as const;

export function tooManyRows(fileName: string): UserError {
  // Any file numo-prep reads (an export, an IDGebr file, a mapping): the advice is for the one that can be split.
  return new UserError(`${fileName} heeft meer dan ${LIMITS.rows.toLocaleString('nl-NL')} rijen; dat is de grens van numo-prep. Is het een export, exporteer dan per school of per leerjaar.`);
}

/** `cell`: the first cell past the limit (an .xlsx), so that one stray note far to the right can be found. */
export function tooManyColumns(fileName: string, row: number, cell?: string): UserError {
  return new UserError(
    `${fileName}, rij ${row}: meer dan ${LIMITS.columns.toLocaleString('nl-NL')} kolommen${cell ? ` (cel ${cell} heeft een waarde)` : ''}; dat is de grens van numo-prep. Verwijder de lege of overbodige kolommen in Excel en sla opnieuw op.`,
  );
}
