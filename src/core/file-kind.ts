import { type ColumnMap, IDGEBR_COLUMNS, matchColumns, NUMO_COLUMNS } from './columns.js';
import { type ExportField, SOURCE_IDS, STAFF_ONLY_KEYS, sourceColumns } from './sources.js';
import { headerKey } from './text.js';

/** What a file in the admin's folder is, judged by its header row. */
export type FileKind = 'export' | 'staff' | 'numo-import' | 'idgebr' | 'mapping' | 'opleidingen' | 'other';

const CODE = new Set(['opleidingscode', 'code', 'numocode', 'opleidingcode']);

/** The student columns of the source whose headers fit best (Magister, Somtoday, EduArte). */
function exportColumns(headers: readonly string[]): ColumnMap<ExportField> {
  let best: ColumnMap<ExportField> = {};
  for (const id of SOURCE_IDS) {
    const columns = matchColumns(headers, sourceColumns(id, 'leerling', { exportsOnly: true }));
    if (Object.keys(columns).length > Object.keys(best).length) best = columns;
  }
  return best;
}

/**
 * The wizard offers only files that can be a student export (of any source): not the Numo import file (its own output or
 * Numo's inleesbestand, which has Numo's headers and a rol column), not the IDGebr file, the mapping or a list
 * of codes. A student list with its Studie column under another name still counts as an export.
 */
export function classifyHeaders(headers: readonly string[]): FileKind {
  const keys = headers.map(headerKey);
  const numo = matchColumns(headers, NUMO_COLUMNS);
  if (numo.gebruikersnaam !== undefined && numo.rol !== undefined) return 'numo-import';
  const exp = exportColumns(headers);
  const names = exp.roepnaam !== undefined || exp.achternaam !== undefined;
  // A staff list (a teacher code, a function) with names and a number is no student export, unless it has studies.
  if (names && exp.studie === undefined && keys.some((k) => STAFF_ONLY_KEYS.has(k))) return 'staff';
  if (exp.stamnr !== undefined && names) return 'export';
  if (matchColumns(headers, IDGEBR_COLUMNS).idgebr !== undefined && exp.stamnr !== undefined) return 'idgebr';
  if (keys.includes('studie') && keys.some((k) => CODE.has(k))) return 'mapping';
  if (keys.some((k) => CODE.has(k))) return 'opleidingen';
  if (names && (exp.studie !== undefined || exp.klas !== undefined)) return 'export';
  return 'other';
}
