import type { ColumnMap } from './columns.js';
import type { Findings, RowRef } from './findings.js';
import type { RawRow } from './raw-row.js';
import type { Student } from './schema.js';
import { EXPORT_FIELDS, type ExportField } from './sources.js';
import { lostControl, normaliseText } from './text.js';
import { booleanCell, decimalCell, klasScientific } from './validate.js';

/**
 * A raw export row → a Student. Control characters in used columns are reported; Excel errors and uncalculated
 * formulas by reportCellProblems, once the pipeline knows the row is no footer.
 */
export function toStudent(raw: RawRow, columns: ColumnMap<ExportField>, findings: Findings): Student {
  const c = raw.cells;
  const student: Student = {
    row: raw.row,
    stamnr: cell(c, columns.stamnr),
    roepnaam: cell(c, columns.roepnaam),
    tussenvoegsel: cell(c, columns.tussenvoegsel),
    achternaam: cell(c, columns.achternaam),
    klas: cell(c, columns.klas),
    studie: cell(c, columns.studie),
    email: cell(c, columns.email),
    idgebr: cell(c, columns.idgebr),
    login: cell(c, columns.login),
    code: cell(c, columns.code),
  };
  if (controlSeen || breakSeen) {
    controlSeen = false;
    breakSeen = false;
    reportControls(c, student, columns, findings);
  }
  return student;
}

/**
 * Set by cell() when a cell it normalised had a C1 control character; toStudent then finds which. A flag instead of
 * a loop over the fields per row: at 100,000 rows that loop was measurable, and the flag is read and reset in the
 * same synchronous call.
 */
let controlSeen = false;
/** Set likewise when a cell had a line break between its words (Alt+Enter in Excel). */
let breakSeen = false;

/**
 * A line break with text before and after it: two values in one cell, or one typed over two lines. Also a vertical
 * tab (FileMaker's line break in a field), form feed or a separator control (U+001C-U+001F).
 */
const INNER_BREAK = /\S[^\S\r\n\u2028\u2029]*[\r\n\u000B\u000C\u001C-\u001F\u2028\u2029][\s\u001C-\u001F]*\S/;

/**
 * A used cell with a C1 control character (see lostControl), which normalising dropped: D’Souza would reach Numo as
 * DSouza. And one with a line break between words, which normalising made a space: Anne⏎Fleur may be two values.
 */
function reportControls(cells: readonly string[], student: Student, columns: ColumnMap<ExportField>, findings: Findings): void {
  for (const { key, label } of EXPORT_FIELDS) {
    const i = columns[key];
    if (i === undefined) continue;
    const raw = cells[i] ?? '';
    const ref = { row: student.row, ...(student.stamnr ? { stamnr: student.stamnr } : {}) };
    if (lostControl(raw, student[key])) reportControl(label, ref, findings);
    else if (raw !== student[key] && INNER_BREAK.test(raw)) {
      findings.warn('line-break', `Regeleinde in kolom ${label} (Alt+Enter in Excel), gelezen als spatie`, ref, 'Staan er twee waarden in één cel? Verbeter de cel in de export.');
    }
  }
}

/** A used cell, normalised; notes a C1 control or a line break between words that normalising dropped. */
function cell(cells: readonly string[], i: number | undefined): string {
  if (i === undefined) return '';
  const raw = cells[i] ?? '';
  const value = normaliseText(raw);
  if (value !== raw) {
    if (lostControl(raw, value)) controlSeen = true;
    else if (INNER_BREAK.test(raw)) breakSeen = true;
  }
  return value;
}

/** The error for a cell with a C1 control character (convert and check). */
export function reportControl(label: string, ref: RowRef, findings: Findings): void {
  findings.error(
    'control-character',
    `Onzichtbaar stuurteken in kolom ${label}: daar stond een teken dat verkeerd is omgezet (zoals ’ of €)`,
    ref,
    'Exporteer opnieuw als Excel-werkmap (.xlsx) of als CSV UTF-8, en zet dat bestand direct om.',
  );
}

/** A student's name part read as empty would reach Numo as a wrong name (Jan Berg for Jan van den Berg): an error there. */
const NAME_FIELDS: ReadonlySet<ExportField> = new Set(['roepnaam', 'tussenvoegsel', 'achternaam']);

/** Excel errors and uncalculated formulas in a row's used columns (RawRow.problems). */
export function reportCellProblems(raw: RawRow, student: Student, columns: ColumnMap<ExportField>, findings: Findings): void {
  if (!raw.problems) return;
  for (const p of raw.problems) {
    const spec = EXPORT_FIELDS.find((c) => columns[c.key] === p.column);
    if (!spec) continue;
    const ref = { row: student.row, ...(student.stamnr ? { stamnr: student.stamnr } : {}) };
    // A number is read as the number; only a Klas (1E1, 1.10) or Studie (2.10) was something else before Excel changed it.
    if (p.kind === 'scientific' || p.kind === 'decimal') {
      if (spec.key === 'klas' && p.kind === 'scientific') klasScientific(findings, ref);
      else if ((spec.key === 'klas' || spec.key === 'studie') && p.kind === 'decimal') decimalCell(findings, ref, spec.key);
      continue;
    }
    // Only in a row that is a student: a stray #N/B below the list, in a row with nothing else, shortens no name.
    const report = NAME_FIELDS.has(spec.key) && !isBlankStudent(student) ? findings.error.bind(findings) : findings.warn.bind(findings);
    if (p.kind === 'boolean') {
      // A tussenvoegsel or klas of WAAR/ONWAAR is an error by its value (RowValidator, also in a CSV); a first name or
      // surname only by the cell's type (TRUE is a surname too); elsewhere it is named.
      if (spec.key === 'roepnaam' || spec.key === 'achternaam') booleanCell(findings, spec.key === 'roepnaam' ? 'voornaam' : 'achternaam', ref);
      else if (spec.key !== 'tussenvoegsel' && spec.key !== 'klas') {
        report('boolean-cell', `WAAR of ONWAAR in kolom ${spec.label}: de uitkomst van een formule`, ref, 'Herstel de formule in Excel of vul de waarde in.');
      }
    } else if (p.kind === 'excel-error') {
      report('excel-error', `Excel-foutwaarde (zoals #N/B) in kolom ${spec.label}, als leeg gelezen`, ref, 'Herstel de formule in Excel of vul de waarde in.');
    } else {
      report('formula-without-result', `Formule zonder opgeslagen uitkomst in kolom ${spec.label}, als leeg gelezen`, ref, 'Open het bestand in Excel, laat het herberekenen en sla het op.');
    }
  }
}

/** No data in any recognised column: not a student (a note, a blank-looking row). */
export function isBlankStudent(s: Student): boolean {
  return !s.stamnr && !s.roepnaam && !s.tussenvoegsel && !s.achternaam && !s.klas && !s.studie && !s.email && !s.idgebr && !s.login && !s.code;
}

const TOTAL_WORDS = /^(totaal|aantal|total|count|som)\b/i;

/** A cell of the row starts with a totals word ("Totaal", "Aantal"): a count row, whose formulas are no data. */
export function hasTotalsWord(raw: RawRow): boolean {
  return raw.cells.some((c) => TOTAL_WORDS.test(normaliseText(c)));
}

/**
 * Looks like a total/footer row ("Totaal: 523 deelnemers", "Totaal;523", "523"): at most two filled cells, no real
 * Stamnr, and a single cell or a totals word beside a count. Only taken as footer when nothing follows it; in the
 * middle of the data it is checked as a student. A totals word beside a name is a person: a teacher whose code is
 * SOM (SOM;Ommen), whom a footer would silently leave out.
 */
export function looksLikeFooter(raw: RawRow, s: Student): boolean {
  // Called for every row: stops at the third filled cell instead of normalising a whole row into a new array.
  let filled = 0;
  let totals = false;
  let count = false;
  for (const c of raw.cells) {
    const v = normaliseText(c);
    if (!v) continue;
    if (++filled > 2) return false;
    if (TOTAL_WORDS.test(v)) totals = true;
    else count ||= /\d/.test(v);
  }
  const numeric = /^\d+$/.test(s.stamnr);
  if (numeric && filled > 1) return false;
  return filled === 1 ? totals || !numeric : totals && count;
}
