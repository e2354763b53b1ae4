import type { ColumnMap } from './columns.js';
import type { Findings } from './findings.js';
import type { RawRow } from './raw-row.js';
import type { Student } from './schema.js';
import { EXPORT_FIELDS, type ExportField } from './sources.js';
import { normaliseText } from './text.js';

/** A raw export row → a Student. Excel errors and uncalculated formulas in used columns are reported. */
export function toStudent(raw: RawRow, columns: ColumnMap<ExportField>, findings: Findings): Student {
  const get = (field: ExportField) => {
    const i = columns[field];
    return i === undefined ? '' : normaliseText(raw.cells[i] ?? '');
  };
  const student: Student = {
    row: raw.row,
    stamnr: get('stamnr'),
    roepnaam: get('roepnaam'),
    tussenvoegsel: get('tussenvoegsel'),
    achternaam: get('achternaam'),
    klas: get('klas'),
    studie: get('studie'),
    email: get('email'),
    idgebr: get('idgebr'),
    login: get('login'),
    code: get('code'),
  };
  for (const p of raw.problems ?? []) {
    const spec = EXPORT_FIELDS.find((c) => columns[c.key] === p.column);
    if (!spec) continue;
    const ref = { row: raw.row, ...(student.stamnr ? { stamnr: student.stamnr } : {}) };
    if (p.kind === 'excel-error') {
      findings.warn('excel-error', `Excel-foutwaarde (zoals #N/B) in kolom ${spec.label}, als leeg gelezen`, ref, 'Herstel de formule in Excel of vul de waarde in.');
    } else {
      findings.warn('formula-without-result', `Formule zonder opgeslagen uitkomst in kolom ${spec.label}, als leeg gelezen`, ref, 'Open het bestand in Excel, laat het herberekenen en sla het op.');
    }
  }
  return student;
}

/** No data in any recognised column: not a student (a note, a blank-looking row). */
export function isBlankStudent(s: Student): boolean {
  return !s.stamnr && !s.roepnaam && !s.tussenvoegsel && !s.achternaam && !s.klas && !s.studie && !s.email && !s.idgebr && !s.login && !s.code;
}

const TOTAL_WORDS = /^(totaal|aantal|total|count|som)\b/i;

/**
 * Looks like a total/footer row ("Totaal: 523 deelnemers", "523"): at most two filled cells, no real Stamnr, and
 * a totals word or a single cell. Only taken as footer when nothing follows it; in the middle of the data it is
 * checked as a student.
 */
export function looksLikeFooter(raw: RawRow, s: Student): boolean {
  const filled = raw.cells.map(normaliseText).filter(Boolean);
  if (filled.length > 2 || (/^\d+$/.test(s.stamnr) && filled.length > 1)) return false;
  return filled.some((c) => TOTAL_WORDS.test(c)) || (filled.length === 1 && !/^\d+$/.test(s.stamnr));
}
