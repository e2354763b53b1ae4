import { type ColumnMap, IDGEBR_COLUMNS, matchColumns, NUMO_COLUMNS } from './columns.js';
import { type ExportField, type Role, SOURCE_IDS, STAFF_ONLY_KEYS, sourceColumns } from './sources.js';
import { headerKey } from './text.js';

/** What a file in the admin's folder is, judged by its header row. */
export type FileKind = 'export' | 'staff' | 'numo-import' | 'idgebr' | 'mapping' | 'opleidingen' | 'other';

const CODE = new Set(['opleidingscode', 'code', 'numocode', 'opleidingcode']);

/** The columns of the source whose headers fit best (Magister, Somtoday, EduArte), for students or staff. */
function bestColumns(headers: readonly string[], role: Role): ColumnMap<ExportField> {
  let best: ColumnMap<ExportField> = {};
  for (const id of SOURCE_IDS) {
    const columns = matchColumns(headers, sourceColumns(id, role, { exportsOnly: true }));
    if (Object.keys(columns).length > Object.keys(best).length) best = columns;
  }
  return best;
}

const hasNames = (c: ColumnMap<ExportField>) => c.roepnaam !== undefined || c.achternaam !== undefined;

/**
 * The wizard offers only files that can be a student export (of any source): not the Numo import file (its own output or
 * Numo's inleesbestand, which has Numo's headers and a rol column), not the IDGebr file, the mapping or a list
 * of codes. A student list with its Studie column under another name still counts as an export.
 */
export function classifyHeaders(headers: readonly string[]): FileKind {
  const keys = headers.map(headerKey);
  const numo = matchColumns(headers, NUMO_COLUMNS);
  if (numo.gebruikersnaam !== undefined && numo.rol !== undefined) return 'numo-import';
  const exp = bestColumns(headers, 'leerling');
  const names = hasNames(exp);
  // A staff list (a teacher code, a function, or names under staff headers: medewerkerRoepnaam) is no student export,
  // unless it has studies.
  const staff = bestColumns(headers, 'docent');
  // A generic Code column does not count: a student list may have one (then the wizard asks who is in it).
  const staffOnly = Object.keys(staff).filter((k) => k !== 'code').length > Object.keys(exp).length;
  if (exp.studie === undefined && hasNames(staff) && (keys.some((k) => STAFF_ONLY_KEYS.has(k)) || staffOnly)) return 'staff';
  if (exp.stamnr !== undefined && names) return 'export';
  if (matchColumns(headers, IDGEBR_COLUMNS).idgebr !== undefined && exp.stamnr !== undefined) return 'idgebr';
  if (keys.includes('studie') && keys.some((k) => CODE.has(k))) return 'mapping';
  if (keys.some((k) => CODE.has(k))) return 'opleidingen';
  if (names && (exp.studie !== undefined || exp.klas !== undefined)) return 'export';
  return 'other';
}
