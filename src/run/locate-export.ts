import { type ExportField, matchColumns, type TwinColumn, twinColumns } from '../core/columns.js';
import {
  detectionLine,
  emptyRequiredColumn,
  findLookalikes,
  firstNameColumn,
  isDutchTussenvoegsel,
  type Lookalike,
  lookalikesFor,
  namesPeople,
  RoleWatch,
  reportLookalikes,
  roleColumns,
  rowRole,
  sourceCandidates,
  unusedIdentityColumns,
} from '../core/detect.js';
import { UserError } from '../core/errors.js';
import { Findings } from '../core/findings.js';
import { LIMITS } from '../core/limits.js';
import { columnLetters, prepend, type RawRow, type Sheet, sheetLabel } from '../core/raw-row.js';
import type { ColumnOverrides } from '../core/settings.js';
import {
  EXPORT_FIELDS,
  knownHeader,
  leerjaarColumnOf,
  NO_VALUES,
  numoStudieHeader,
  REQUIRED,
  ROLE_VALUES,
  type Role,
  SOURCE_IDS,
  type SourceId,
  STAFF_ONLY_KEYS,
  STATUS_HEADERS,
  sourceById,
  sourceColumns,
  studieHoldsNumoCodes,
  unusedHeaders,
} from '../core/sources.js';
import { headerKey, headerText, normaliseText } from '../core/text.js';
import { type InputFile, sheetsOf } from '../io/input.js';
import { locateBest, type Table } from '../io/table.js';
import { programCommand } from '../ui/command-line.js';

const STATUS_KEYS = new Set(STATUS_HEADERS.map(headerKey));
const studentHeaders = (field: 'klas' | 'studie') => new Set(SOURCE_IDS.flatMap((id) => sourceColumns(id, 'leerling').find((s) => s.key === field)?.aliases ?? []));
/** Every source's headers for a student's klas and study (Klas, stamgroep, Studie, Opleiding …). */
const STUDENT_KLAS_KEYS = studentHeaders('klas');
const STUDENT_STUDIE_KEYS = studentHeaders('studie');
/** Values in a staff column that say the row is no staff member's. */
const NOT_STAFF = new Set([...NO_VALUES, ...ROLE_VALUES.leerling]);

/** Rows looked at for lookalike columns (by content) and whole names; the rest streams untouched. */
const SAMPLE_ROWS = 200;

export interface LocatedExport {
  table: Table<ExportField>;
  source: SourceId;
  /** "Herkend als Somtoday-export (Connect)." */
  detected: string;
  /** The Studie column already holds Numo codes (headers renamed to Numo's). */
  holdsNumoCodes: boolean;
  /** The Studie column has Numo's name (opleiding) in a file that is otherwise an export: it may hold codes. */
  numoStudieHeader: boolean;
  roleWatch?: RoleWatch;
  /** A column with the enrolment status (leerlingActief, Status), when present and not used otherwise. */
  statusColumn?: number;
  /** A column with the leerjaar on its own, next to the Studie: a Studie without a year may span several. */
  leerjaarColumn?: { column: number; header: string };
  /** Name parts whose config-chosen column is empty in the first rows while a look-alike has data (see pipeline). */
  chosenEmpty?: { field: ExportField; chosen: string; header: string }[];
  /** An unused first-name column (Voornamen) beside the Roepnaam used: see firstNameColumn. */
  firstNameColumn?: { column: number; header: string };
  /** A staff list's is_docent column (Somtoday): who does not teach is named. */
  teacherColumn?: number;
  /** A staff list's Functie column (Magister Functie.Omschr): a function that is no teaching one is named. */
  functionColumn?: number;
  /** A wachtwoord column the export has: filled on any row, its passwords would be replaced (see the pipeline). */
  passwordColumn?: { column: number; header: string };
  /** A filled login column (gebruikersnaam, Loginnaam …) that no field uses: named, since SSO may need it. */
  loginColumn?: string;
  /** A second login column beside the one read (see unusedIdentityColumns). */
  otherLogin?: { column: number; header: string; used: string };
  /** Used columns whose header is in the file twice (see twinColumns). */
  twins?: TwinColumn<ExportField>[];
  /** Fields without a column for which an unused column was named as a lookalike ("Bedoel je deze kolom?"). */
  lookalikeFields: ReadonlySet<ExportField>;
  /** Warnings about the file as a whole: how it was decoded, unused lookalike columns, a missing tussenvoegsel. */
  findings: Findings;
}

export interface LocateExportOptions {
  role: Role;
  /** --bron: only this source's headers. */
  source?: SourceId;
  overrides?: Partial<Record<ExportField, string>>;
}

const HINT: Record<SourceId, string> = {
  magister: 'Voeg de kolom toe in Magister (Kolommenkiezer) of geef de kolomkop de juiste naam.',
  somtoday: 'Neem het veld op in de Somtoday-export of geef de kolomkop de juiste naam.',
  eduarte: 'Neem de kolom op in de EduArte-lijst of geef de kolomkop de juiste naam.',
};

/** A CSV read as a single-byte code page (or mixed) says so on the detection line; UTF-8 and UTF-16 need no word. */
function withEncoding(line: string, encoding: string | undefined): string {
  return encoding && !/^UTF-(8|16)$/.test(encoding) ? line.replace(/\.$/, `; gelezen als ${encoding}.`) : line;
}

/**
 * In a workbook of several sheets the detection line names the one read: with two exports in one workbook, the
 * admin sees which (hidden sheets come last, see locateBest).
 */
function withSheet(line: string, sheet: string | undefined, count: number): string {
  return sheet !== undefined && count > 1 ? line.replace(/\.$/, `; werkblad ${sheetLabel(sheet)} (van ${count} bladen).`) : line;
}

/** Tries another source (when --bron was forced) and the staff role, to turn "column missing" into advice. */
async function advise(input: InputFile, o: LocateExportOptions): Promise<string | undefined> {
  const attempts: { role: Role; advice: (id: SourceId, headers: readonly string[]) => string }[] = [];
  if (o.source) attempts.push({ role: o.role, advice: (id) => `Dit lijkt een ${sourceById(id).name}-export: gebruik --bron ${id}, of laat --bron weg.` });
  // A staff list lacks a Studie; the other way round a student list always fits a staff list's headers. A column
  // only staff lists have settles which of the two it is.
  if (o.role === 'leerling') {
    attempts.push({
      role: 'docent',
      advice: (_, headers) => {
        const staff = headers.filter((h) => STAFF_ONLY_KEYS.has(headerKey(h)));
        return staff.length
          ? `Dit is een personeelslijst (kolom ${staff
              .slice(0, 3)
              .map((h) => `'${h}'`)
              .join(', ')}): zet hem om met --rol docent.`
          : 'Is dit een personeelslijst (zonder Studie), zet hem dan om met --rol docent; is het een leerlingenlijst, neem dan de Studie op in de export.';
      },
    });
  }
  for (const a of attempts) {
    try {
      const t = await locateBest(input.name, await sheetsOf(input), sourceCandidates(a.role, o.overrides ? { overrides: o.overrides } : {}));
      await t.rows[Symbol.asyncIterator]().return?.();
      if (a.role === o.role && t.candidate === o.source) continue;
      // A list with a Studie column is a student list that misses another column: "--rol docent" would only send
      // the admin back here (that run refuses a student list).
      if (a.role === 'docent' && sourceCandidates('leerling').some((c) => matchColumns(t.headers, c.specs).studie !== undefined)) continue;
      return a.advice(t.candidate as SourceId, t.headers);
    } catch {
      // not this one either
    }
  }
  return undefined;
}

const NAME_PARTS: ReadonlySet<ExportField> = new Set(['roepnaam', 'tussenvoegsel', 'achternaam']);

/**
 * A column the config chose that is empty in the first rows while a column that looks like that field has data:
 * chosen for last year's export, a choice that may now drop this year's data (a warning). Also a name part the
 * config says has "no column" (the wizard's "Geen"): every tussenvoegsel would go (an error). Klas or e-mail left
 * out that way is a choice a school may make.
 */
function passedOverWithData(
  lookalikes: readonly Lookalike[],
  table: Table<ExportField>,
  cells: readonly string[][],
  overrides: ColumnOverrides | undefined,
  findings: Findings,
): { field: ExportField; chosen: string; header: string }[] {
  const emptyNameParts: { field: ExportField; chosen: string; header: string }[] = [];
  const filled = (column: number | undefined) => column !== undefined && cells.some((c) => normaliseText(c[column] ?? '') !== '');
  const named = new Set<ExportField>();
  for (const l of lookalikes) {
    const field = l.field;
    if (field === undefined) continue;
    const choice = overrides?.[field];
    const namePart = NAME_PARTS.has(field);
    if (choice === undefined || (choice === '' && !namePart) || named.has(field) || filled(table.columns[field]) || !filled(l.column)) continue;
    named.add(field);
    const chosen = choice === '' ? `zegt bij "columns" "${field}": "" (geen kolom)` : `kiest bij "columns" voor ${field} kolom '${headerText(choice)}', die in de eerste ${cells.length} rijen leeg is`;
    const message = `Kolom '${l.header}' lijkt ${field === 'email' ? 'een e-mailadres' : `een ${field}`} en heeft gegevens, maar numo-prep.config.json ${chosen}: ${choice === '' ? 'die gegevens komen niet in Numo' : 'staan de gegevens in de goede kolom?'}`;
    const hint = `Moeten ze mee, zet dan in numo-prep.config.json bij "columns" "${field}": ${JSON.stringify(l.header)} (of kies hem in ${programCommand()} wizard); horen ze niet in Numo, laat de kolom dan weg uit de export.`;
    // A chosen column empty in the first rows may fill later (a sorted list): a warning; "no column" is certain.
    if (namePart && choice === '') findings.error('column-passed-over', message, undefined, hint);
    else findings.warn('column-passed-over', message, undefined, hint);
    // Empty in every row after all: every such name part would go (the pipeline says so at the end).
    if (namePart && choice !== '') emptyNameParts.push({ field, chosen: headerText(choice), header: l.header });
  }
  return emptyNameParts;
}

/**
 * A Studie column the config chose that holds people (Mentor, Docent): its names would be shown as Studies in
 * messages and saved in the mapping workbook.
 */
export function personStudie(chosen: string | undefined): UserError | undefined {
  if (!chosen || !namesPeople(chosen)) return undefined;
  return new UserError(
    `Het instellingenbestand kiest bij "columns": "studie" de kolom '${headerText(chosen)}': die noemt personen, geen opleiding. Zet daar de kolomkop van de Studie (of haal de regel weg), of kies de kolom opnieuw in ${programCommand()} wizard.`,
  );
}

function noChosenColumn(name: string, field: string, header: string): UserError {
  return new UserError(
    `${name} heeft geen kolom '${headerText(header)}', die het instellingenbestand kiest bij "columns": "${field}". Zet daar de kolomkop van deze export (of haal de regel weg), of kies de kolom opnieuw in ${programCommand()} wizard.`,
  );
}

/** A column the config names (overrides) that no row where a header may be has, in any sheet; else undefined. */
async function chosenColumnMissing(name: string, sheets: readonly Sheet[], o: LocateExportOptions): Promise<UserError | undefined> {
  // Only fields this role reads (a student config's studie column says nothing about a staff list).
  const fields = new Set(SOURCE_IDS.flatMap((id) => sourceColumns(id, o.role).map((c) => c.key as string)));
  const chosen = Object.entries(o.overrides ?? {}).filter((e): e is [string, string] => Boolean(e[1]) && fields.has(e[0]));
  if (!chosen.length) return undefined;
  const seen = new Set<string>();
  for (const sheet of sheets) {
    const it = sheet.rows[Symbol.asyncIterator]();
    try {
      for (let i = 0; i < LIMITS.headerScanRows; i++) {
        const next = await it.next();
        if (next.done) break;
        for (const cell of next.value.cells) seen.add(headerKey(cell));
      }
    } catch {
      // An unreadable sheet has no header either; the search's own message stands.
      return undefined;
    } finally {
      await it.return?.();
    }
  }
  const missing = chosen.find(([, header]) => !seen.has(headerKey(header)));
  return missing && noChosenColumn(name, missing[0], missing[1]);
}

/**
 * When a required field is not found: a column the config chose for another field that is this field's own column
 * ("studie": "Achternaam"), which would otherwise be "not found" beside a header that says it.
 */
function columnTakenFrom(overrides: ColumnOverrides | undefined, role: Role): UserError | undefined {
  for (const [field, header] of Object.entries(overrides ?? {})) {
    if (!header) continue;
    const key = headerKey(header);
    for (const other of REQUIRED[role]) {
      if (other === field || overrides?.[other] !== undefined) continue;
      // The export layouts only: a Numo file's gebruikersnaam is its Stamnr, in an export a login of its own.
      if (SOURCE_IDS.some((id) => sourceColumns(id, role, { exportsOnly: true }).some((spec) => spec.key === other && spec.aliases.includes(key)))) {
        return new UserError(
          `Het instellingenbestand kiest bij "columns" "${field}" de kolom '${headerText(header)}', maar dat is de kolom ${EXPORT_FIELDS.find((f) => f.key === other)?.label ?? other}, die numo-prep ook nodig heeft. Zet bij "${field}" de juiste kolomkop (of haal de regel weg), of kies de kolommen opnieuw in ${programCommand()} wizard.`,
        );
      }
    }
  }
  return undefined;
}

/**
 * Finds the header of an export from any recognised source (or the one forced with --bron) for the role, says
 * which source it is, and checks the columns that are not used: nothing that looks like a name part may be left
 * behind without a word.
 */
export async function locateExport(input: InputFile, o: LocateExportOptions): Promise<LocatedExport> {
  const all = await sheetsOf(input);
  // A workbook with a students' and a staff sheet, read --rol docent: the staff list is on one of the other sheets
  // with export columns (at most five, see locateBest). Another look at those only, on the sheets already open;
  // each look has one sheet less.
  const skipped: string[] = [];
  let only: readonly string[] | undefined;
  for (;;) {
    let found: LocatedExport | { skip: string; others: readonly string[] };
    try {
      found = await locateIn(input, o, all, only);
    } catch (err) {
      // What the skipped sheets are is known: said first, then why the others do not do either.
      throw err instanceof UserError && skipped.length ? new UserError(`${skippedText(skipped)}. ${err.message}`, err.exitCode) : err;
    }
    if ('table' in found) {
      if (skipped.length) found.findings.info('students-sheet', skippedText(skipped));
      return found;
    }
    skipped.push(found.skip);
    only = found.others;
  }
}

const skippedText = (sheets: readonly string[]) =>
  sheets.length === 1
    ? `Werkblad ${sheetLabel(sheets[0])} is een leerlingenlijst en is overgeslagen (--rol docent)`
    : `Werkbladen ${sheets.map(sheetLabel).join(', ')} zijn leerlingenlijsten en zijn overgeslagen (--rol docent)`;

/** convert's warning for Sheet.mixedEncoding: it reads each line as it is, so only the admin's check is left. */
function mixedEncodingWarning(lines: string): string {
  return `Het bestand mengt UTF-8 en Windows-1252: ${lines} als Windows-1252 gelezen, de rest als UTF-8. Controleer de namen in die regels in de uitvoer.`;
}

/** One look, at `only` of the workbook's sheets (all when undefined): the export, or a students' sheet to skip. */
async function locateIn(input: InputFile, o: LocateExportOptions, all: Sheet[], only: readonly string[] | undefined): Promise<LocatedExport | { skip: string; others: readonly string[] }> {
  const sheets = only ? all.filter((s) => s.name !== undefined && only.includes(s.name)) : all;
  const findings = new Findings();
  for (const sheet of sheets) {
    if (sheet.mixedEncoding) findings.warn('encoding', mixedEncodingWarning(sheet.mixedEncoding));
    for (const w of sheet.warnings ?? []) findings.warn('encoding', w);
  }
  const candidates = sourceCandidates(o.role, { ...(o.source ? { only: o.source } : {}), ...(o.overrides ? { overrides: o.overrides } : {}) });
  // Without --bron the file may be from any source: the hint names Magister's way as an example only.
  const hint = o.source ? HINT[o.source] : 'Neem de kolom op in de export (in Magister: Kolommenkiezer) of geef de kolomkop de juiste naam.';
  let table: Table<ExportField>;
  // A staff list before the students' (a workbook with both) is not this year's student list without its Studie.
  const otherKind = o.role === 'leerling' ? (headers: string[]) => headers.some((h) => STAFF_ONLY_KEYS.has(headerKey(h))) : undefined;
  try {
    table = await locateBest(input.name, sheets, candidates, { hint, ...(otherKind ? { otherKind } : {}) });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const advice = await advise(input, o);
    // The advice replaces the hint to add the column: a staff list needs no Studie, another source its own columns.
    if (advice) throw new UserError(`${err.message.endsWith(hint) ? err.message.slice(0, -hint.length).trimEnd() : err.message} ${advice}`, err.exitCode);
    // The column the config chose is not in the file, or is another required field's own: said so, not "Studie
    // not found" beside a column Studie.
    const chosen = columnTakenFrom(o.overrides, o.role) ?? (await chosenColumnMissing(input.name, sheets, o));
    if (chosen) throw chosen;
    // No other source or role fits: name the columns that look like the missing ones (reads the header again).
    await locateBest(input.name, await sheetsOf(input), candidates, {
      hint,
      explain: (headers, missing, weak) => {
        // "Stamnr"; "Roepnaam": a space between the delimiter and the quote keeps the quotes as text, in every cell.
        const quoted = headers.filter((h) => h.length > 2 && h.startsWith('"') && h.endsWith('"'));
        if (quoted.length) {
          // Beside fewer than two known headers, only quoted cells that are known headers themselves.
          const examples = quoted.filter((h) => !weak || knownHeader(h.slice(1, -1))).slice(0, 3);
          return `Kolomkoppen staan als tekst tussen aanhalingstekens${examples.length ? ` (${examples.map((h) => `'${h}'`).join(', ')})` : ''}: staat er een spatie tussen ; en "? Haal die spaties weg, of open het bestand in Excel en sla het opnieuw op als CSV.`;
        }
        // A lookalike is found by a word in its header (Klas), which a student's name can hold too (Klaske).
        if (weak) return undefined;
        const like = lookalikesFor(headers, missing as ExportField[]);
        return like.length ? `${like.join('; ')}.` : undefined;
      },
    });
    throw err;
  }
  const source = table.candidate as SourceId;
  // The fields this role reads: a student config's klas or studie column says nothing about a staff list.
  const fields = new Set(sourceColumns(source, o.role).map((s) => s.key));
  if (fields.has('studie')) {
    const refused = personStudie(o.overrides?.studie);
    if (refused) {
      await table.rows[Symbol.asyncIterator]().return?.();
      throw refused;
    }
  }
  // A column the config names (see withOverrides) that this export does not have: no other column stands in.
  for (const [field, header] of Object.entries(o.overrides ?? {})) {
    if (header && fields.has(field as ExportField) && table.columns[field as ExportField] === undefined) {
      await table.rows[Symbol.asyncIterator]().return?.();
      throw noChosenColumn(input.name, field, header);
    }
  }

  // A sample of the first rows, for columns recognisable by their values; then the rows stream on.
  const it = table.rows[Symbol.asyncIterator]();
  const sample: RawRow[] = [];
  while (sample.length < SAMPLE_ROWS) {
    const next = await it.next();
    if (next.done) break;
    sample.push(next.value);
  }
  table = { ...table, rows: { [Symbol.asyncIterator]: () => prepend(sample, it) } };

  const cells = sample.map((r) => r.cells);
  const rc = roleColumns(table.headers, table.columns);
  const refuse = async (message: string) => {
    await it.return?.();
    return new UserError(message);
  };
  // A staff list read as students: two columns only staff have (Afkorting and Functie …) filled on every row, also
  // when a column such as Opleiding (an mbo teacher's team) makes each row look like a student's too. One such
  // column alone may be a student's (a Functie in the leerlingenraad, the Afkorting of an opleiding), and a Rol
  // column that says leerling settles it.
  const staffColumns = o.role === 'leerling' ? rc.docent.filter((i) => STAFF_ONLY_KEYS.has(headerKey(table.headers[i] ?? ''))) : [];
  const rows = cells.filter((c) => c.some((v) => normaliseText(v) !== ''));
  const klas = table.headers.flatMap((h, i) => (STUDENT_KLAS_KEYS.has(headerKey(h)) ? [i] : []));
  const filled = (c: readonly string[], cols: readonly number[]) => cols.some((i) => normaliseText(c[i] ?? '') !== '');
  // A staff sign is a value that says staff: not one that says no (is_docent 0, nee) or leerling.
  const saysStaff = (v: string) => v !== '' && !NOT_STAFF.has(v.toLowerCase());
  const staffRow = (c: readonly string[]) =>
    staffColumns.filter((i) => saysStaff(normaliseText(c[i] ?? ''))).length >= 2 &&
    rowRole(c, { ...rc, leerling: [] }) !== 'leerling' &&
    // Students have a klas; staff (a mentor aside) do not on every row.
    !filled(c, klas);
  if (staffColumns.length >= 2 && rows.length && rows.every(staffRow)) {
    throw await refuse(
      `${input.name} lijkt een personeelslijst (kolom ${staffColumns.map((i) => `'${table.headers[i]}'`).join(', ')} gevuld in elke rij), geen leerlingenlijst. Zet hem om met --rol docent.`,
    );
  }
  if (o.role === 'docent') {
    const roles = new Set(cells.map((c) => rowRole(c, rc)));
    // Also a list with a klas and a study on every row and no staff column filled: students, however the study
    // column is headed (Opleiding, as in a list renamed by hand); a mentor's klas alone is no sign.
    const studie = table.headers.flatMap((h, i) => (STUDENT_STUDIE_KEYS.has(headerKey(h)) ? [i] : []));
    const student = rows.length > 1 && !roles.has('docent') && rows.every((c) => filled(c, klas) && filled(c, studie));
    const marked = roles.has('leerling') && !roles.has('docent');
    if (marked || student) {
      if (table.otherSheets && table.sheet !== undefined) {
        await it.return?.();
        return { skip: table.sheet, others: table.otherSheets };
      }
      const shown = marked ? rc.leerling : [...klas, ...studie];
      const workbook = table.sheet !== undefined && all.length > 1;
      throw await refuse(
        `${input.name}${workbook ? `, werkblad ${sheetLabel(table.sheet)},` : ''} lijkt een leerlingenlijst (kolom ${shown.map((i) => `'${table.headers[i]}'`).join(', ')} gevuld), geen personeelslijst. ` +
          (workbook
            ? 'Staat de personeelslijst op een ander werkblad? Kopieer dat blad naar een nieuwe werkmap en zet die om met --rol docent.'
            : 'Zet leerlingen om zonder --rol docent (en zonder "rol": "docent" in numo-prep.config.json).'),
      );
    }
  }
  const empty = emptyRequiredColumn(table.headers, table.columns, REQUIRED[o.role], cells);
  if (empty && headerKey(empty.header) === headerKey(empty.other)) {
    // Twins: a config entry names a column by its header, so it cannot pick the second one.
    throw await refuse(
      `${input.name}: kolom '${empty.header}' staat twee keer in de kopregel (kolom ${columnLetters(empty.column)} en ${columnLetters(empty.otherColumn)}); de eerste is leeg in de eerste ${cells.length} rijen, de tweede niet. Haal de lege kolom weg en probeer opnieuw.`,
    );
  }
  if (empty) {
    throw await refuse(
      `${input.name}: kolom '${empty.header}' is leeg in de eerste ${cells.length} rijen, maar kolom '${empty.other}' heeft gegevens. ` +
        `Staat daar wat Numo nodig heeft, zet dan in numo-prep.config.json bij "columns" (tussen de { }) "${empty.field}": ${JSON.stringify(empty.other)} (of kies hem in numo-prep wizard); anders: vul '${empty.header}' in de export.`,
    );
  }
  // A twin of a used column is no unused lookalike: the pipeline compares it with the column used. Two spellings
  // of the student number (Stamnr and Leerlingnummer) count as twins too, unless the admin chose the column by name
  // (made with both in view); a Numo gebruikersnaam next to a Stamnr is a login, not a spelling of it.
  const spellings = o.role === 'leerling' && !o.overrides?.stamnr ? sourceColumns(source, 'leerling', { exportsOnly: true }).filter((s) => s.key === 'stamnr') : [];
  const twins = twinColumns(table.headers, table.columns, spellings);
  const markers = new Set([...rc.leerling, ...rc.docent, ...(rc.value === undefined ? [] : [rc.value]), ...twins.map((t) => t.twin)]);
  const found = findLookalikes(table.headers, table.columns, { unused: unusedHeaders(source, o.role), sample: cells, markers, fields });
  // Not for a field whose column the admin chose by name: the other candidates were passed over on purpose.
  const lookalikes = found.filter((l) => l.field === undefined || o.overrides?.[l.field] === undefined);
  reportLookalikes(lookalikes, findings);
  const chosenEmpty = passedOverWithData(found, table, cells, o.overrides, findings);
  const identity = unusedIdentityColumns(table.headers, table.columns, cells, unusedHeaders(source, o.role));
  // Not when the admin chose "no column" for it (the wizard's "Geen": "" in the config).
  if (table.columns.tussenvoegsel === undefined && o.overrides?.tussenvoegsel !== '' && !lookalikes.some((l) => l.kind === 'tussenvoegsel')) {
    const a = table.columns.achternaam;
    // Whole names in Achternaam ("van Dijk") need no separate column. Only Dutch particles count, and more than one
    // surname in a sample of any size: one El Amrani or Da Silva silenced this for a whole school, whose van and de
    // then went missing without a word.
    const prefixed =
      a === undefined
        ? 0
        : cells.filter((c) =>
            isDutchTussenvoegsel(
              normaliseText(c[a] ?? '')
                .split(' ')
                .slice(0, -1)
                .join(' '),
            ),
          ).length;
    const whole = prefixed >= 2 || (prefixed === 1 && cells.length < 10);
    if (!whole) {
      findings.warn(
        'missing-tussenvoegsel',
        'Geen kolom met tussenvoegsels gevonden: van, de, van der … ontbreken dan in Numo',
        undefined,
        source === 'magister' ? 'Voeg de kolom Tussenv. toe in Magister (Kolommenkiezer).' : 'Neem het tussenvoegsel (voorvoegsel) op in de export.',
      );
    }
  }
  if (table.hiddenSheet) {
    findings.warn(
      'hidden-sheet',
      `Werkblad ${sheetLabel(table.sheet)} is verborgen in Excel en toch gelezen: geen zichtbaar blad heeft de kolommen van een export`,
      undefined,
      'Controleer in Excel (Blad zichtbaar maken) of dit de juiste lijst is; staat het blad daar niet bij, maak dan een nieuwe export. Of kopieer de juiste lijst naar een nieuwe werkmap.',
    );
  }
  if (table.otherSheets) {
    findings.warn(
      'other-sheets',
      `Ook ${table.otherSheets.length === 1 ? 'werkblad' : 'de werkbladen'} ${table.otherSheets.map(sheetLabel).join(', ')} ${table.otherSheets.length === 1 ? 'heeft' : 'hebben'} de kolommen van een export; gelezen is ${sheetLabel(table.sheet)}`,
      undefined,
      'Staat de juiste lijst op een ander blad? Kopieer dat blad naar een nieuwe werkmap en zet die om.',
    );
  }
  const roleWatch = new RoleWatch(o.role, rc);
  const used = new Set(Object.values(table.columns));
  const statusColumn = table.headers.findIndex((h, i) => !used.has(i) && STATUS_KEYS.has(headerKey(h)));
  const teacherColumn = o.role === 'docent' ? table.headers.findIndex((h) => headerKey(h) === 'isdocent') : -1;
  const functionColumn = o.role === 'docent' ? table.headers.findIndex((h) => ['functie', 'functieomschr', 'functieomschrijving'].includes(headerKey(h))) : -1;
  // Not in an EduArte (mbo) export: an mbo opleiding runs over several leerjaren (crebo codes; a digit at the end of
  // a code is its niveau).
  const leerjaarColumn = o.role === 'leerling' && source !== 'eduarte' && table.columns.studie !== undefined ? leerjaarColumnOf(table.headers, table.columns) : -1;
  const studieHeader = table.columns.studie === undefined ? undefined : table.headers[table.columns.studie];
  const firstNames = table.columns.roepnaam === undefined ? -1 : firstNameColumn(table.headers, table.columns);
  return {
    table,
    source,
    detected: withSheet(withEncoding(detectionLine(source, o.role, table.headers), sheets[0]?.encoding), table.sheet, all.length),
    holdsNumoCodes: studieHoldsNumoCodes(source, o.role, table.headers, studieHeader),
    numoStudieHeader: studieHeader !== undefined && numoStudieHeader(studieHeader),
    ...(roleWatch.active ? { roleWatch } : {}),
    ...(statusColumn >= 0 ? { statusColumn } : {}),
    ...(teacherColumn >= 0 ? { teacherColumn } : {}),
    ...(functionColumn >= 0 ? { functionColumn } : {}),
    ...(leerjaarColumn >= 0 ? { leerjaarColumn: { column: leerjaarColumn, header: table.headers[leerjaarColumn]! } } : {}),
    ...(chosenEmpty.length ? { chosenEmpty } : {}),
    ...(firstNames >= 0 ? { firstNameColumn: { column: firstNames, header: table.headers[firstNames]! } } : {}),
    ...(twins.length ? { twins } : {}),
    ...(identity.login ? { loginColumn: identity.login.header } : {}),
    // Not when the admin chose the login column by name: the other one was passed over on purpose.
    ...(identity.otherLogin && !o.overrides?.login ? { otherLogin: { ...identity.otherLogin, used: table.headers[table.columns.login!]! } } : {}),
    ...(identity.password ? { passwordColumn: identity.password } : {}),
    lookalikeFields: new Set(lookalikes.flatMap((l) => (l.field ? [l.field] : []))),
    findings,
  };
}
