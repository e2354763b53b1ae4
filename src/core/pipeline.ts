import { compareNl } from './collate.js';
import { type ColumnMap, checkTwins, type ExportField, type TwinColumn } from './columns.js';
import { csvText } from './csv-quote.js';
import type { RoleWatch } from './detect.js';
import { type EnrichOptions, joinIdgebr, type MapResult, mapStudie, toNumoRow } from './enrich.js';
import { makeFilter, type StudentFilter } from './filter.js';
import { Findings, type RowRef } from './findings.js';
import { formatNumber, namedFew, plural } from './format.js';
import type { IdgebrIndex } from './idgebr.js';
import { KeyTable } from './int-table.js';
import { LIMITS } from './limits.js';
import { MANY, type Mapping, shuffledWorkbook } from './mapping.js';
import { hasTotalsWord, isBlankStudent, looksLikeFooter, reportCellProblems, toStudent } from './normalise.js';
import { perLeerjaarHint } from './opleidingen.js';
import type { YearOverYear } from './previous.js';
import { isBlankRow, type RawRow, RowSet, rowBatches } from './raw-row.js';
import type { NumoRow, OutputEncoding, Student } from './schema.js';
import {
  codeLeerjaar,
  fieldsFit,
  GREEK_CYRILLIC,
  hiddenStudie,
  isChangedNumber,
  isExcelErrorText,
  isFormulaZero,
  klasLeerjaar,
  leerjaarValue,
  looksLikePersonName,
  looksLikeStamnr,
  looksLikeStudieColumn,
  namesVoType,
  rowLooksRight,
  soundsLikeStudie,
  studieShape,
} from './shape.js';
import { ACTIVE_VALUES, KNOWN_STATUSES, NO_VALUES } from './sources.js';
import { LeadingZeros, padStamnr, stamnrChanged } from './stamnr.js';
import { emptyField } from './template.js';
import { clip, compactKey, loginKey, normaliseText, stamnrKey, studieKey } from './text.js';
import { EmailRuns, excelErrorText, RowValidator, stamnrZero } from './validate.js';

export interface PipelineOptions extends Omit<EnrichOptions, 'withIdgebr'> {
  columns: ColumnMap<ExportField>;
  mapping: Mapping;
  /**
   * No mapping was given at all: the Studies it lacks are one problem ("there is none yet"), with this hint (how to
   * make one: the caller knows the commands), not one line each about adding lines to a file there is not.
   */
  noMapping?: { hint: string };
  idgebr?: IdgebrIndex;
  idgebrFileName?: string;
  filter: StudentFilter;
  encoding: OutputEncoding;
  /** Numo opleidingscodes (lower case → as the list spells them), when the admin gave the list. */
  knownCodes?: ReadonlyMap<string, string>;
  /** Whether Numo's list names a Studie as a code or description (Kok beside 25180 Kok): then never hidden. */
  namedInList?: (studie: string) => boolean;
  /** The Studie column already holds Numo codes (a file renamed to Numo's headers): written as they are. */
  codesAsIs?: boolean;
  /** The header cells, for a CSV: a row with another number of fields has shifted columns. */
  csvHeaders?: readonly string[];
  /** --stamnr-cijfers: pad numeric Stamnrs to this many digits (0: drop their leading zeros). */
  stamnrDigits?: number;
  /** Watches for students among staff (or the other way round), when the header can tell them apart. */
  roleWatch?: RoleWatch;
  /** A status column (leerlingActief, Status): rows that are not active are counted. */
  statusColumn?: number;
  /** A staff list's column that says whether someone teaches (Somtoday is_docent): the others are counted and named. */
  teacherColumn?: number;
  /** A staff list's Functie column: a function that is surely no teaching one (conciërge, administratie) is named. */
  functionColumn?: number;
  /** A leerjaar column next to the Studie: a Studie without a year that spans several leerjaren is named. */
  leerjaarColumn?: { column: number; header: string };
  /**
   * Name parts whose column the config chose is empty in the first rows while a look-alike column has data: if the
   * chosen column stays empty in every row, every such name part would be lost, which is an error.
   */
  chosenEmpty?: readonly { field: ExportField; chosen: string; header: string }[];
  /** An unused first-name column (Voornamen): a row whose Roepnaam is empty while this is not is an error. */
  firstNameColumn?: { column: number; header: string };
  /**
   * The export's own wachtwoord column: filled on any row, those passwords would be replaced by new ones (an error),
   * or with no passwords left out (a warning).
   */
  passwordColumn?: { column: number; header: string };
  /** A second login column beside the one read (staff): named when its login differs on any row. */
  otherLogin?: { column: number; header: string; used: string };
  /** Used columns whose header is in the file twice: a row where the two differ is an error. */
  twins?: readonly TwinColumn[];
  /** --previous: each row that goes to Numo is compared with last year's. */
  year?: YearOverYear;
}

export interface PipelineCounts {
  read: number;
  written: number;
  filtered: number;
  notForNumo: number;
}

export interface PipelineResult {
  findings: Findings;
  counts: PipelineCounts;
  perOpleiding: Map<string, number>;
  /** Distinct Studie values the mapping does not know, as first seen, with their number of students. */
  unmapped: Map<string, number>;
  withIdgebr: boolean;
  /** Without an IDGebr file: some row had an IDGebr in the export's own column. */
  idgebrInExport: boolean;
  /** Whether a row (as numbered in the file) was read as a student, filtered out or not. */
  isStudentRow: (row: number) => boolean;
  /**
   * Whether a student's row had nothing in the column of this field: for the merged-cell check after the rows, since
   * a writer may keep the value in every cell of a merged block (SheetJS does), and then nothing is missing.
   */
  isEmptyCell: (row: number, field: ExportField) => boolean;
  /** The highest row number read as a student (0 without any). */
  lastStudentRow: number;
}

/** Values of a column such as is_docent that say: does not teach. */
const NOT_TEACHING = new Set(NO_VALUES);
/** Functions of staff who surely teach no class (a teaching assistant, TOA or mentor may see results: not named). */
const NON_TEACHING_FUNCTION =
  /conci(e|\u00eb)rge|administrat|secretar|receptie|receptionist|mediathe|medewerker ict|facilitair|schoonmaak|roostermak|financ|personeelszaken|beveiliging|kantine|catering|systeembeheer|ict-?beheer|\boop\b|onderwijsondersteunend/i;
/**
 * A function that teaches or guides as well: a teacher of an mbo sector (Praktijkdocent catering, Docent
 * secretariële beroepen), a coordinator or examensecretaris (Coördinator financiële beroepen), a Teamleider.
 */
const TEACHING_FUNCTION = /docent|leraar|lerares|instructeur|mentor|teacher|co(o|\u00f6)rdinator|manager|leider|opleider|begeleider|examen|decaan|directeur|rector/i;
/** Receives every row that passed while no error has been found; the caller decides whether to keep them. */
export type RowSink = (row: NumoRow) => void | Promise<void>;

/** Staff have no Studie: Numo's opleiding column stays empty for them. */
const STAFF_MAPPED: MapResult = { kind: 'mapped', code: '' };
/** Footer-like rows held back at a time (see runPipeline): a total and a note or two. */
const FOOTER_ROWS = 5;
/** Distinct Studie values whose mapping is remembered per run; a school has a few hundred. */
const CACHED_VALUES = 4096;
/** Leerjaren remembered per Studie: two already tell the story; a few more make the message concrete. */
const MAX_YEARS = 8;
const DIGIT = /\d/;
const PER_LEERJAAR_HINT = perLeerjaarHint();

// Two literals, not a spread: this runs for every row.
const refOf = (s: Student): RowRef => (s.stamnr ? { row: s.row, stamnr: s.stamnr } : { row: s.row });

/** Rows a message names (formatRefs); the count says how many more. */
const REFS_SHOWN = 5;
/** Unmapped Studies named one by one (with the line to add), the largest first. */
const UNMAPPED_SHOWN = 10;

/** Rows blank by formulas without a result that are kept to judge: enough to name and to place before the last student. */
const UNCALCULATED_KEPT = 1000;

/** Why an unmapped Studie is not shown (hiddenStudie), and how the admin goes on. */
const HIDDEN_STUDIE = {
  // Also every value from a row whose other columns look shifted: referred to per row as it is read.
  shape: { message: 'Studie staat niet in de mapping; de waarde wordt niet getoond (verschoven kolommen?)', hint: 'Controleer in deze rijen of elke waarde in de juiste kolom staat.' },
  name: {
    message: 'Studie staat niet in de mapping; de waarde wordt niet getoond (bij één of twee leerlingen, en geen niveau, leerjaar of code: een naam?)',
    hint: 'Is het een opleiding, zet de Studie dan zelf met de code in de mapping; staat er een naam of notitie, verbeter dan de export.',
  },
  long: {
    message: 'Studie staat niet in de mapping; de waarde wordt niet getoond (lang, en bij minder dan 3 leerlingen)',
    hint: 'Is het een opleiding (een lange mbo-naam), zet de Studie dan zelf met de code in de mapping; is het een notitie, verbeter dan de export.',
  },
} as const;

/**
 * normalise → filter → map → join → enrich → validate, one row at a time, so memory holds only what the
 * duplicate checks need. Every problem is collected (the admin gets the full list at once).
 */
export async function runPipeline(rows: AsyncIterable<RawRow>, o: PipelineOptions, sink?: RowSink): Promise<PipelineResult> {
  const findings = new Findings();
  if (o.idgebr) findings.merge(o.idgebr.findings);
  const withIdgebr = Boolean(o.idgebr) || o.columns.idgebr !== undefined;
  const enrich: EnrichOptions = { ...o, withIdgebr };
  const inSelection = makeFilter(o.filter);
  const validator = new RowValidator(findings, o.encoding, o.knownCodes, {
    rows: 'convert',
    codeShape: Boolean(o.codesAsIs && !o.knownCodes),
    codesFromFile: Boolean(o.codesAsIs),
    expectedRows: o.idgebr?.size,
  });
  const counts: PipelineCounts = { read: 0, written: 0, filtered: 0, notForNumo: 0 };
  const perOpleiding = new Map<string, number>();
  /** Per Studie value not in the mapping: its count and its first rows, to refer to it by if it is not shown. */
  const unmapped = new Map<string, { studie: string; count: number; refs: RowRef[] }>();
  // Unmapped values that may not be shown (no Studie shape, or a row with shifted fields): referred to by row.
  let hiddenUnmapped = 0;
  const hiddenFindings = new Findings();
  // Distinct Studie values as written (→ students), to judge the column; a few hundred in a real export. Keyed by
  // the value itself, not studieKey: one lookup per row, and the keys are folded once at the end.
  const studieCounts = new Map<string, number>();
  // Only for a mapping workbook (shuffledWorkbook): which Studies each klas has.
  const studiesOfKlas = o.mapping.counts ? new Map<string, Set<string>>() : undefined;
  // What the mapping says per Studie value: the same few values on every row. Bounded, so a column of names costs
  // no more memory than without them.
  const mappingOf = new Map<string, MapResult>();
  let respelled = 0;
  // The IDGebr file's rows whose Stamnr is in the export (all of it, not only the selection): one byte per row.
  const idgebrMarks = o.idgebr ? new Uint8Array(o.idgebr.size) : undefined;
  let withStamnr = false;
  const staff = o.rol === 'docent';
  // Both forms of a Stamnr in one file matter where the login is made of it; a teacher's login or code is not.
  const emailRuns = staff ? undefined : new EmailRuns();
  const zeros = o.stamnrDigits === undefined && o.gebruikersnaam.publicFields.includes('stamnr') ? new LeadingZeros() : undefined;
  let staffWithoutEmail = 0;
  const inactive = { count: 0, refs: [] as RowRef[], values: new Set<string>() };
  const notTeaching = { count: 0, refs: [] as RowRef[] };
  /** Per Studie without a digit: the leerjaren its students are in (bounded: a school has a few dozen Studies). */
  const yearsOf = new Map<string, Set<string>>();
  /** Without a leerjaar column: a VO Studie without a digit -> its code for one leerjaar, when a Klas does not confirm it. */
  const unchecked = new Map<string, string>();
  let schoolPasswords = 0;
  const active = new Set(ACTIVE_VALUES);
  // One staff member twice (Magister's webservice lists some twice, once with the first name as login) would get
  // two Numo accounts, since their gebruikersnaam differs: the same Stamnr or Code twice is refused.
  const staffSeen = staff ? new Map<string, number>() : undefined;
  // A student's Stamnr (as stamnrKey compares) -> the row it was first in; staff have staffSeen. A Stamnr the
  // IDGebr file lists has a slot there, so its first row (+ 1) is kept per slot: no second table of 100,000 keys.
  const stamnrs = staff ? undefined : new KeyTable();
  const slotRows = o.idgebr && !staff ? new Int32Array(o.idgebr.size) : undefined;

  // SSO through the export's own IDGebr column (no file): an empty cell there is named, unless the whole column is
  // empty (then SSO is not used).
  let otherLoginDiffers = false;
  /** Rows with a Stamnr (for staff: a personeelsnummer), to tell the students' IDGebr file from one of all users. */
  let stamnrRows = 0;
  // A column of only Excel errors (a VLOOKUP that found nothing) is not "SSO not used": it was added for SSO.
  const exportIdgebr = !o.idgebr && o.columns.idgebr !== undefined ? { filled: false, errorCells: 0, empty: new Findings() } : undefined;
  // The rows read as students, one bit each (for warnings that come after the rows, such as merged cells).
  const studentRows = new RowSet();
  let lastStudentRow = 0;
  const emptyCells = new Map<ExportField, RowSet>();
  // chosenEmpty's fields not yet seen filled in any row.
  const stillEmpty = new Set(o.chosenEmpty?.map((c) => c.field));
  const markEmpty = (field: ExportField, row: number) => {
    let rows = emptyCells.get(field);
    if (!rows) emptyCells.set(field, (rows = new RowSet()));
    rows.add(row);
  };
  // Synchronous per row; only a sink that flushes returns a promise, so 100k rows cost no 100k awaits.
  // A shifted row is named by its number only, unless the Stamnr is its first field (which no shift moves): what
  // stands under Stamnr may be another column's number (a BSN).
  const refFor = (student: Student, shifted: boolean): RowRef => (shifted && o.columns.stamnr !== 0 ? { row: student.row } : refOf(student));
  /** `firstName`: the Roepnaam is empty and the unused first-name column (firstNameColumn) is not. */
  const process = (student: Student, shifted: boolean, hidden: boolean, firstName: boolean): void | Promise<void> => {
    counts.read++;
    studentRows.add(student.row);
    if (student.row > lastStudentRow) lastStudentRow = student.row;
    // Written out: a loop over the field names made each a keyed load (1.03× the CPU of a 100,000-row run).
    if (student.stamnr === '') markEmpty('stamnr', student.row);
    if (student.roepnaam === '') markEmpty('roepnaam', student.row);
    if (student.tussenvoegsel === '') markEmpty('tussenvoegsel', student.row);
    if (student.achternaam === '') markEmpty('achternaam', student.row);
    if (student.klas === '') markEmpty('klas', student.row);
    if (student.studie === '') markEmpty('studie', student.row);
    if (student.email === '') markEmpty('email', student.row);
    if (student.idgebr === '') markEmpty('idgebr', student.row);
    if (student.login === '') markEmpty('login', student.row);
    if (student.code === '') markEmpty('code', student.row);
    if (stillEmpty.size) for (const field of stillEmpty) if (student[field as keyof Student] !== '') stillEmpty.delete(field);
    const ref = refFor(student, shifted);
    // Here, not where the row is read: a footer ("Totaal: 523") has few fields and is no student.
    if (shifted) {
      findings.error(
        'field-count',
        'Aantal velden wijkt af van de kopregel (verschoven kolommen?)',
        ref,
        'Controleer deze rijen: een ; of " in een naam verschuift de kolommen erna. Open het bestand in Excel en sla opnieuw op als CSV.',
      );
    }
    const idgebrSlot = o.idgebr?.slot(student.stamnr);
    if (idgebrSlot !== undefined) idgebrMarks![idgebrSlot] = 1;
    if (student.stamnr) {
      withStamnr = true;
      stamnrRows++;
    }
    // The whole export, not only the selection, shows whether this column holds studies.
    if (student.studie) studieCounts.set(student.studie, (studieCounts.get(student.studie) ?? 0) + 1);
    if (studiesOfKlas && student.klas && student.studie) {
      const klas = student.klas.toLowerCase();
      let studies = studiesOfKlas.get(klas);
      if (!studies) studiesOfKlas.set(klas, (studies = new Set()));
      if (!studies.has(MANY)) {
        const key = studieKey(student.studie);
        if (studies.size < 20) studies.add(key);
        else if (!studies.has(key)) studies.add(MANY);
      }
    }
    if (!inSelection(student)) {
      counts.filtered++;
      // Still at school, outside this run: last year's namesake may be this one, not gone (YearOverYear.elsewhere).
      o.year?.outside(student.roepnaam, student.tussenvoegsel, student.achternaam);
      return;
    }
    // No Studie is that long; the filter keeps such a row (see makeFilter), so it must not pass here either.
    if (student.studie.length > LIMITS.fieldChars && [...student.studie].length > LIMITS.fieldChars) {
      findings.error('studie-too-long', `Studie is langer dan ${LIMITS.fieldChars} tekens: dat is geen Studie (verschoven kolommen?)`, ref, 'Verbeter de cel in de export.');
    }
    zeros?.observe(student.stamnr, ref);
    if (!student.stamnr) {
      if (!staff) findings.error('missing-stamnr', 'Geen Stamnr', ref, 'Vul het Stamnr in of verwijder de rij uit de export.');
    } else if (o.rol === 'leerling' && isFormulaZero(student.stamnr)) stamnrZero(findings, ref);
    // Teachers' logins are codes (letters); a student's Stamnr is a number, never shown when it is not one.
    else if (o.rol === 'leerling' && !looksLikeStamnr(student.stamnr)) {
      if (isChangedNumber(student.stamnr)) stamnrChanged(findings, ref);
      else findings.error('stamnr-shape', 'Stamnr is geen nummer (letters, spaties of tekens; verschoven kolommen?)', ref, 'Controleer de kolom Stamnr in de export: alleen cijfers.');
    }
    // After the shape check, which judges the Stamnr as the export has it (0123456789 padded from 123456789 would
    // look like a phone number); the IDGebr join and the duplicate check compare without leading zeros anyway.
    else if (o.stamnrDigits !== undefined) {
      const padded = padStamnr(student.stamnr, o.stamnrDigits);
      if (padded === undefined) findings.error('stamnr-too-long', `Stamnr heeft meer dan ${o.stamnrDigits} cijfers`, ref, 'Kies een groter aantal cijfers.');
      else student.stamnr = padded;
    }
    if (/^mailto:/i.test(student.email)) {
      student.email = student.email.slice('mailto:'.length).trim();
      findings.warn('email-mailto', 'mailto: voor het e-mailadres weggehaald (een link uit Excel)', ref);
    }
    if (staff && !student.email) staffWithoutEmail++;
    emailRuns?.observe(student.email, ref.row);
    if (staffSeen) {
      for (const [label, value] of [
        // A number 0 is a lookup formula's empty cell: two of them are no one twice.
        ['Stamnr', student.stamnr && !isFormulaZero(student.stamnr) ? stamnrKey(student.stamnr) : ''],
        ['Code', student.code.toLowerCase()],
        // Two rows with one name and one address are one person (a second row without code, another number): two
        // accounts. An address may be shared (administratie@), by two Jansens too.
        ['naam en e-mail', student.email && student.achternaam && student.roepnaam ? `${student.email.toLowerCase()}\0${loginKey(student.roepnaam)}\0${loginKey(student.achternaam)}` : ''],
      ] as const) {
        if (!value) continue;
        const first = staffSeen.get(`${label}\0${value}`);
        if (first !== undefined) {
          findings.error(
            'duplicate-staff',
            `Medewerker staat twee keer in de lijst (zelfde ${label})`,
            { ...ref, first },
            'Laat één regel per medewerker staan; sommige exports (zoals de webservice van Magister) leveren medewerkers dubbel, de tweede keer met de voornaam als login.',
          );
          break;
        }
        staffSeen.set(`${label}\0${value}`, ref.row);
      }
    }
    let map = staff ? STAFF_MAPPED : mappingOf.get(student.studie);
    if (map === undefined) {
      map = mapStudie(student, o.mapping);
      if (mappingOf.size < CACHED_VALUES) mappingOf.set(student.studie, map);
    }
    if (map.kind === 'skip') {
      counts.notForNumo++;
      return;
    }
    if (firstName) {
      findings.error(
        'roepnaam-elsewhere',
        `Geen roepnaam, terwijl kolom '${o.firstNameColumn!.header}' in deze rij gevuld is: de voornaam zou leeg blijven in Numo`,
        ref,
        'Vul de roepnaam in de leerlingadministratie in en maak een nieuwe export.',
      );
    }
    if (map.kind === 'empty') findings.error('missing-studie', 'Geen Studie, dus geen opleiding', ref, 'Vul de Studie in de leerlingadministratie in, of verwijder de rij.');
    // #N/B (a VLOOKUP in the export) is never a Studie, not even one a mapping line was added for.
    if (isExcelErrorText(student.studie)) excelErrorText(findings, 'Studie', ref);
    else if (map.kind === 'unmapped') {
      // A value is shown only from a row whose other columns hold what they should: with a Stamnr that is no
      // number or an e-mail without @, the "Studie" is as likely a name.
      if (!rowLooksRight(shifted, student.stamnr, student.email, o.rol === 'leerling') || !studieShape(student.studie)) {
        hiddenUnmapped++;
        hiddenFindings.error('unmapped-studie-hidden', HIDDEN_STUDIE.shape.message, ref, HIDDEN_STUDIE.shape.hint);
      } else {
        const key = studieKey(student.studie);
        const u = unmapped.get(key) ?? { studie: student.studie, count: 0, refs: [] };
        if (u.count++ < REFS_SHOWN) u.refs.push(ref);
        unmapped.set(key, u);
      }
    }
    const joined = joinIdgebr(student, o.idgebr, findings, idgebrSlot, o.idgebrFileName, o.rol, ref);
    if (exportIdgebr) {
      if (joined.idgebr) exportIdgebr.filled = true;
      else if (joined.stamnr) {
        exportIdgebr.empty.warn(
          'no-idgebr',
          'Leerling zonder IDGebr in de kolom IDGebr van de export: inloggen met SSO kan dan niet',
          ref,
          'Vul het IDGebr aan in Magister en exporteer opnieuw, of laat deze leerlingen met wachtwoord inloggen.',
        );
      }
    }
    let code = map.kind === 'mapped' ? map.code : '';
    // The list is Numo's: a code typed as vb-havo-2 in the mapping is written as the list spells it.
    const listed = code ? o.knownCodes?.get(code.toLowerCase()) : undefined;
    // "havo" mapped to VO-H4 last year, its students in leerjaar 5 now: a code for one leerjaar, another year's.
    if (code && student.leerjaar && !DIGIT.test(student.studie)) {
      const codeYear = codeLeerjaar(code);
      const year = leerjaarValue(student.leerjaar);
      if (codeYear !== undefined && year !== undefined && year !== codeYear) {
        findings.error('leerjaar-code', `Opleidingscode is voor een ander leerjaar dan de leerling zit (kolom '${o.leerjaarColumn!.header}'): de Studie heeft geen jaartal`, ref, PER_LEERJAAR_HINT);
      }
    }
    // The same, with no leerjaar column to tell (renamed, or left out of this year's export): a Klas that starts with
    // a leerjaar (5H1) tells it instead; one that does not (H5a) leaves it unchecked, and the Studie is named.
    if (code && !o.leerjaarColumn && !DIGIT.test(student.studie)) {
      const codeYear = codeLeerjaar(code);
      const klasYear = codeYear === undefined ? undefined : klasLeerjaar(student.klas);
      if (codeYear !== undefined && klasYear !== codeYear && namesVoType(student.studie)) {
        if (klasYear !== undefined) {
          findings.error('leerjaar-code-klas', `Opleidingscode is voor leerjaar ${codeYear}, maar de klas begint met leerjaar ${klasYear}: de Studie heeft geen jaartal`, ref, PER_LEERJAAR_HINT);
        } else if (unchecked.size < CACHED_VALUES) unchecked.set(student.studie, code);
      }
    }
    if (listed !== undefined && listed !== code) {
      code = listed;
      respelled++;
    }
    // A Stamnr 0 is said as 0 (stamnrZero): two of them are two cells that look empty, no student twice.
    let stamnrTwice = false;
    if (stamnrs && student.stamnr && !isFormulaZero(student.stamnr)) {
      // Compared as the IDGebr join compares them: 001234 and 1234 are one student, whatever the gebruikersnaam.
      let first: number;
      if (idgebrSlot === undefined) first = stamnrs.add(compactKey(stamnrKey(student.stamnr)), ref.row);
      else {
        first = slotRows![idgebrSlot]! - 1;
        if (first < 0) slotRows![idgebrSlot] = ref.row + 1;
      }
      if (first >= 0) {
        stamnrTwice = true;
        findings.error(
          'duplicate-stamnr',
          'Stamnr komt dubbel voor',
          { ...ref, first },
          // An EduArte export has a row per enrolment: a student who switched has the ended one too, which may come later.
          o.statusColumn === undefined
            ? 'Eén rij per leerling: haal de dubbele rij uit de export.'
            : 'Eén rij per leerling: houd de rij die nu geldt (status actief) en haal de andere uit de export; dat kan ook de eerste zijn.',
        );
      }
    }
    if (hidden) {
      findings.warn(
        'hidden-row',
        'Rij is in Excel verborgen (een filter of verborgen rij) en toch omgezet',
        ref,
        'Een filter verbergt rijen alleen; ze blijven in het bestand. Horen ze niet in Numo, verwijder ze dan uit de export.',
      );
    }
    const row = toNumoRow(joined, code, enrich);
    const empty = row.gebruikersnaam ? emptyField(o.gebruikersnaam, joined) : undefined;
    // An empty Stamnr of a student is reported above.
    if (empty && (staff || empty !== 'stamnr')) {
      findings.error(
        'gebruikersnaam-empty-field',
        `Gebruikersnaam onvolledig: {${empty}} is leeg in deze rij`,
        ref,
        `Vul ${empty} in de export in, of kies een gebruikersnaam-sjabloon met velden die elke rij heeft.`,
      );
    }
    // The same for a password template: {email} empty in this row leaves only the other parts (often guessable).
    const emptyInPassword = o.password.kind === 'template' && o.keepPassword?.(row.gebruikersnaam, joined) === undefined ? emptyField(o.password.template, joined) : undefined;
    if (emptyInPassword) {
      findings.error(
        'wachtwoord-empty-field',
        `Wachtwoord onvolledig: {${emptyInPassword}} is leeg in deze rij`,
        ref,
        `Vul ${emptyInPassword} in de export in, of kies een wachtwoordsjabloon met velden die elke rij heeft.`,
      );
    }
    validator.check(row, ref, stamnrTwice);
    o.year?.observe(row, ref, findings);
    if (map.kind === 'mapped' && !staff) perOpleiding.set(row.opleiding, (perOpleiding.get(row.opleiding) ?? 0) + 1);
    if (findings.errorCount === 0) {
      counts.written++;
      return sink?.(row);
    }
  };

  // Footer-like rows are held back until we know whether a student follows them: a list may end in a note and a
  // total. At most FOOTER_ROWS: more are read as students.
  const pending: { raw: RawRow; student: Student; shifted: boolean; firstName: boolean }[] = [];
  const usedColumns = new Set(Object.values(o.columns));
  /** Rows left blank only by formulas without a stored result, and the first of them. */
  let uncalculated = 0;
  const uncalculatedRows: number[] = [];
  for await (const batch of rowBatches(rows)) {
    for (const raw of batch) {
      const student = toStudent(raw, o.columns, findings);
      if (exportIdgebr && !student.idgebr && raw.problems?.some((p) => p.column === o.columns.idgebr)) exportIdgebr.errorCells++;
      const shifted = o.csvHeaders !== undefined && !fieldsFit(raw.cells, o.csvHeaders);
      // Before the blank test: a row with its data only in the twin columns is not blank.
      if (o.twins) checkTwins(o.twins, raw.cells, refFor(student, shifted), findings);
      if (isBlankStudent(student)) {
        reportCellProblems(raw, student, o.columns, findings);
        // Only a formula in a used column: one in a helper column (a check beside the list) leaves no student out.
        if (raw.problems?.some((p) => p.kind === 'formula-without-result' && usedColumns.has(p.column)) && uncalculated++ < UNCALCULATED_KEPT) uncalculatedRows.push(raw.row);
        if (!isBlankRow(raw)) findings.warn('no-data', 'Rij zonder gegevens in de herkende kolommen overgeslagen', { row: raw.row });
        continue;
      }
      o.roleWatch?.observe(raw.cells, { row: raw.row });
      const firstName = o.firstNameColumn !== undefined && !student.roepnaam && normaliseText(raw.cells[o.firstNameColumn.column] ?? '') !== '';
      if (o.passwordColumn && normaliseText(raw.cells[o.passwordColumn.column] ?? '') !== '') schoolPasswords++;
      if (o.otherLogin && !otherLoginDiffers && student.login && o.gebruikersnaam.publicFields.includes('login')) {
        const other = normaliseText(raw.cells[o.otherLogin.column] ?? '');
        otherLoginDiffers = other !== '' && other.toLowerCase() !== student.login.toLowerCase();
      }
      // Somtoday's is_docent decides where there is one; else a function that surely teaches nothing.
      const functie = o.teacherColumn === undefined && o.functionColumn !== undefined ? normaliseText(raw.cells[o.functionColumn] ?? '').normalize('NFC') : '';
      const notATeacher =
        (o.teacherColumn !== undefined && NOT_TEACHING.has(normaliseText(raw.cells[o.teacherColumn] ?? '').toLowerCase())) || (NON_TEACHING_FUNCTION.test(functie) && !TEACHING_FUNCTION.test(functie));
      if (notATeacher) {
        notTeaching.count++;
        if (notTeaching.refs.length < 5) notTeaching.refs.push(refFor(student, shifted));
      }
      if (o.leerjaarColumn) student.leerjaar = normaliseText(raw.cells[o.leerjaarColumn.column] ?? '');
      // Only students the filter keeps: after --klas "3*" the other years are no longer this Studie's.
      if (o.leerjaarColumn && student.studie && !DIGIT.test(student.studie) && inSelection(student)) {
        const year = student.leerjaar!;
        let years = yearsOf.get(student.studie);
        if (!years && yearsOf.size < CACHED_VALUES) yearsOf.set(student.studie, (years = new Set()));
        const value = leerjaarValue(year);
        if (years && years.size < MAX_YEARS && value !== undefined) years.add(String(value));
      }
      if (o.statusColumn !== undefined) {
        const status = normaliseText(raw.cells[o.statusColumn] ?? '');
        if (status && !active.has(status.toLowerCase())) {
          inactive.count++;
          if (inactive.values.size < 3 && KNOWN_STATUSES.includes(status.toLowerCase())) inactive.values.add(status);
          if (inactive.refs.length < 5) inactive.refs.push(refFor(student, shifted));
        }
      }
      // A footer's cells (a =SUBTOTAL without its result under Roepnaam) are looked at only if it turns out a student.
      if (looksLikeFooter(raw, student)) {
        pending.push({ raw, student, shifted, firstName });
        if (pending.length <= FOOTER_ROWS) continue;
        const first = pending.shift()!;
        reportCellProblems(first.raw, first.student, o.columns, findings);
        await process(first.student, first.shifted, first.raw.hidden === true, first.firstName);
        continue;
      }
      if (pending.length) {
        for (const p of pending) {
          reportCellProblems(p.raw, p.student, o.columns, findings);
          await process(p.student, p.shifted, p.raw.hidden === true, p.firstName);
        }
        pending.length = 0;
      }
      reportCellProblems(raw, student, o.columns, findings);
      const flushing = process(student, shifted, raw.hidden === true, firstName);
      if (flushing) await flushing;
    }
  }
  for (const p of pending) {
    // A count row's formula without a result is no data; an #N/B in a row without a totals word may be a student's.
    if (!hasTotalsWord(p.raw)) reportCellProblems(p.raw, p.student, o.columns, findings);
    findings.info('footer', `Slotregel (totaal of notitie) niet als ${staff ? 'medewerker' : 'leerling'} gelezen`, { row: p.raw.row });
  }
  zeros?.finish(findings);
  emailRuns?.finish(findings);
  // Last year's usernames settle the form when they show it (zerosSettled; YearOverYear compares them per row); as
  // numbers without zeros, a spreadsheet may have taken them out of last year's file as out of this export, and only
  // the IDGebr file tells.
  const idgebrWidth = o.idgebr && idgebrMarks!.includes(1) ? o.idgebr.stamnrForm.paddedWidth() : undefined;
  if (!o.year?.zerosSettled && idgebrWidth !== undefined) zeros?.finishAgainst(idgebrWidth, o.idgebrFileName ?? 'het IDGebr-bestand', findings, o.year?.fileName);
  // Nothing else tells then: last year's file saved again by a spreadsheet, and no zeros there or in the export (of
  // any width: Infinity).
  else if (o.year?.zerosUnknown && zeros?.lacksZerosOf(Number.POSITIVE_INFINITY)) {
    findings.warn(
      'previous-zeros-resaved',
      `De gebruikersnamen in ${o.year.fileName} en in de export zijn Stamnrs zonder voorloopnullen, en ${o.year.fileName} is niet zoals numo-prep het schreef (in Excel of LibreOffice opgeslagen?): hadden ze in Numo voorloopnullen, dan krijgt elke terugkerende leerling een tweede account`,
      undefined,
      'Kijk in Numo of de gebruikersnamen voorloopnullen hebben; zo ja, zet de Stamnrs op dat aantal cijfers.',
    );
  }
  if (inactive.count) {
    findings.warn(
      'inactive-status',
      `${inactive.count} ${inactive.count === 1 ? 'rij heeft' : 'rijen hebben'} een status anders dan actief${inactive.values.size ? ` (${[...inactive.values].map((v) => `'${v}'`).join(', ')})` : ''} en ${inactive.count === 1 ? 'is' : 'zijn'} toch omgezet: bijv. ${inactive.refs.map((r) => `rij ${r.row}`).join(', ')}`,
      undefined,
      'Wie vertrokken is, hoort niet in de import: laat die rijen weg uit de export (of archiveer ze in Numo).',
    );
  }
  if (otherLoginDiffers) {
    findings.warn(
      'unused-login',
      `Twee kolommen met logins verschillen: de gebruikersnaam komt uit '${o.otherLogin!.used}', niet uit '${o.otherLogin!.header}'`,
      undefined,
      `Welke login de elo (SSO) kent, weet alleen de school. Zet in numo-prep.config.json bij "columns" (tussen de { }) "login": ${JSON.stringify(o.otherLogin!.header)} als het die is, of "login": ${JSON.stringify(o.otherLogin!.used)} als het klopt (dan zwijgt deze melding).`,
    );
  }
  if (schoolPasswords) {
    const column = `De export heeft een kolom '${o.passwordColumn!.header}' met wachtwoorden (${formatNumber(schoolPasswords)} ${schoolPasswords === 1 ? 'rij' : 'rijen'})`;
    // Without passwords nothing is replaced, but the school's do not reach Numo either: said, as an admin who left
    // the column in may think they go along.
    if (o.password.kind === 'none') {
      findings.warn(
        'export-password-column',
        `${column}; die gaan niet mee naar Numo: gekozen is geen wachtwoorden, dus de kolom wachtwoord blijft leeg`,
        undefined,
        'numo-prep neemt geen wachtwoorden uit de export over. Moeten de accounts een wachtwoord hebben, kies dan willekeurige wachtwoorden of een sjabloon, en haal de kolom weg.',
      );
    } else {
      findings.error(
        'export-password-column',
        `${column}; numo-prep gebruikt die niet en zou ze vervangen door nieuwe`,
        undefined,
        'Haal de kolom weg uit de export en kies hoe numo-prep wachtwoorden maakt: willekeurig, volgens een sjabloon, of geen.',
      );
    }
  }
  for (const c of o.chosenEmpty ?? []) {
    if (!stillEmpty.has(c.field)) continue;
    findings.error(
      'column-passed-over-empty',
      `Kolom '${c.chosen}', die numo-prep.config.json kiest voor ${c.field}, is in alle rijen leeg, maar kolom '${c.header}' heeft gegevens: die zouden niet in Numo komen`,
      undefined,
      `Zet in numo-prep.config.json bij "columns" "${c.field}": ${JSON.stringify(c.header)}, of haal de regel weg.`,
    );
  }
  const spanning = [...yearsOf].filter(([studie, years]) => years.size > 1 && soundsLikeStudie(studie) && !looksLikePersonName(studie));
  if (spanning.length) {
    // Shown only in a Studie's shape, and cut: a message stays a few lines whatever the cell holds.
    const named = spanning.slice(0, 3).map(([studie, years]) => `${studieShape(studie) ? `'${clip(studie, 60)}'` : '(een waarde)'} (${[...years].sort((a, b) => Number(a) - Number(b)).join(', ')})`);
    findings.warn(
      'studie-leerjaren',
      `Studie ${namedFew(named, 3, { total: spanning.length })} heeft leerlingen uit verschillende leerjaren (kolom '${o.leerjaarColumn!.header}'), maar krijgt één opleidingscode voor allemaal`,
      undefined,
      PER_LEERJAAR_HINT,
    );
  }
  // Every one is a VO school type (namesVoType): shown in a Studie's shape only (Havo Vwo has a name's shape).
  if (unchecked.size) {
    const named = [...unchecked].slice(0, 3).map(([studie, code]) => `${studieShape(studie) ? `'${clip(studie, 60)}'` : '(een waarde)'} → ${clip(code, 30)}`);
    findings.warn(
      'leerjaar-unchecked',
      `Studie ${namedFew(named, 3, { total: unchecked.size })} heeft geen jaartal, maar de opleidingscode is voor één leerjaar; de export heeft geen kolom leerjaar om te controleren of de leerlingen daar nog in zitten`,
      undefined,
      "Controleer het leerjaar van deze leerlingen. Zet het leerjaar in de Studie (bijv. '5 havo') met een eigen code in de mapping, of exporteer met een kolom Leerjaar.",
    );
  }
  if (notTeaching.count) {
    findings.warn(
      'not-teaching',
      `${notTeaching.count} ${notTeaching.count === 1 ? 'medewerker is' : 'medewerkers zijn'} volgens de export geen docent en ${notTeaching.count === 1 ? 'is' : 'zijn'} toch omgezet: bijv. ${notTeaching.refs.map((r) => `rij ${r.row}`).join(', ')}`,
      undefined,
      'Een account als docent in Numo ziet de resultaten van leerlingen: laat wie geen les geeft weg uit de export.',
    );
  }
  o.roleWatch?.finish(findings);
  if (staffWithoutEmail) {
    findings.info(
      'staff-without-email',
      `${staffWithoutEmail} ${staffWithoutEmail === 1 ? 'docent' : 'docenten'} zonder e-mailadres: 'Wachtwoord vergeten' werkt in Numo alleen met een e-mailadres, dus zij loggen in via SSO (elo/Entree)${o.password.kind === 'none' ? '' : ' of met het wachtwoord uit dit bestand'}`,
    );
  }

  // A column of names or e-mail addresses is not the Studie column: one finding instead of a line (and later a
  // question) per value, and none of its values shown.
  const studieValues = new Map<string, number>();
  for (const [studie, n] of studieCounts) {
    const key = studieKey(studie);
    studieValues.set(key, (studieValues.get(key) ?? 0) + n);
  }
  const moved = studiesOfKlas ? shuffledWorkbook(o.mapping, studieValues, studiesOfKlas) : 0;
  if (moved) {
    findings.error(
      'mapping-workbook-shuffled',
      `In ${o.mapping.fileName ?? 'de mapping'} staan bij ${moved} van de ${studieValues.size} studies de voorbeeldklassen van andere studies uit deze export: de kolom Studie is los van de rest gesorteerd, en dan krijgen studies elkaars code`,
      undefined,
      'Zet de werkmap terug (Ongedaan maken in Excel, of maak hem opnieuw) en sorteer voortaan de hele tabel. Sorteerde je Studie en Opleidingscode samen, dan kloppen de codes wel, maar dat is niet te zien: sorteer dan ook de rest mee.',
    );
  }
  if (exportIdgebr?.filled) findings.merge(exportIdgebr.empty);
  else if (exportIdgebr?.errorCells) {
    findings.error(
      'idgebr-column-errors',
      `De kolom IDGebr van de export heeft geen enkel IDGebr, alleen Excel-foutwaarden (zoals #N/B): de opzoekformule vond niets (${plural(exportIdgebr.errorCells, 'rij', 'rijen')})`,
      undefined,
      'Controleer de formule (zoals VERT.ZOEKEN): een Stamnr als tekst vindt geen Stamnr als getal. Of geef het IDGebr-bestand zelf mee in plaats van de kolom.',
    );
  }
  // A mapping that knows most students' Studie vouches for the column (a ROC with hundreds of opleidingen and two
  // new ones this year).
  let unmappedRows = hiddenUnmapped;
  for (const u of unmapped.values()) unmappedRows += u.count;
  // (Rows a filter left out were never mapped: they vouch for nothing.)
  const studieColumnOk = unmappedRows === 0 || unmappedRows * 2 < counts.read - counts.filtered || looksLikeStudieColumn(studieValues);
  if (!studieColumnOk) {
    findings.error(
      'studie-column',
      `De kolom Studie heeft ${formatNumber(studieValues.size)} verschillende waarden: dat lijkt niet de kolom Studie (verschoven kolommen?)`,
      undefined,
      'Controleer de kopregel van de export, of kies de juiste kolom (columns.studie in numo-prep.config.json, of met numo-prep wizard).',
    );
    unmapped.clear();
  } else {
    // A value on one or two rows that may be a name typed or pasted into the Studie cell (hiddenStudie: Bakker,
    // Lucas van den Berg; Thijs Postma on two) is referred to by its rows, like a value from a shifted row.
    // So is a long value (up to 14 words) on fewer than 3 rows: a note about a student rather than a qualification.
    // (A value of no Studie's shape was referred to per row above.)
    for (const [key, u] of unmapped) {
      const why = hiddenStudie(u.studie, u.count);
      // A value the school's own mapping lists (undecided) or Numo's list names is a Studie, whatever its shape.
      if (!why || o.mapping.isUndecided(u.studie) || o.namedInList?.(u.studie)) continue;
      unmapped.delete(key);
      for (let i = 0; i < u.count; i++) hiddenFindings.error('unmapped-studie-hidden', HIDDEN_STUDIE[why].message, u.refs[i], HIDDEN_STUDIE[why].hint);
    }
    findings.merge(hiddenFindings);
    const undecided: { studie: string; count: number }[] = [];
    let undecidedStudents = 0;
    const joined = unmapped.size ? o.mapping.joinedLines() : undefined;
    // The largest first, each with the line to add; beyond UNMAPPED_SHOWN one line says how many more (a first run
    // of a ROC without a mapping has hundreds).
    const missing: { studie: string; count: number }[] = [];
    for (const { studie, count } of unmapped.values()) {
      if (!o.mapping.isUndecided(studie)) missing.push({ studie, count });
      else {
        undecided.push({ studie, count });
        undecidedStudents += count;
      }
    }
    missing.sort((x, y) => y.count - x.count);
    if (o.noMapping && missing.length) {
      findings.error(
        'no-mapping',
        `Er is nog geen mapping: ${plural(missing.length, 'Studie heeft', 'Studies hebben')} een opleidingscode nodig (samen ${plural(
          missing.reduce((n, u) => n + u.count, 0),
          'leerling',
          'leerlingen',
        )})`,
        undefined,
        o.noMapping.hint,
      );
      missing.length = 0;
    }
    for (const { studie, count } of missing.slice(0, UNMAPPED_SHOWN)) {
      findings.add(
        'error',
        'unmapped-studie',
        `Studie '${studie}' staat niet in de mapping (${formatNumber(count)} ${count === 1 ? 'leerling' : 'leerlingen'})${GREEK_CYRILLIC.test(studie) && /[A-Za-z]/.test(studie) ? '; let op: er staat een Griekse of Cyrillische letter in die eruitziet als een Latijnse' : ''}`,
        undefined,
        joinedHint(joined?.get(studieKey(studie)), o.mapping.delimiter) ?? addHint(studie, o.mapping),
      );
    }
    if (missing.length > UNMAPPED_SHOWN) {
      const rest = missing.slice(UNMAPPED_SHOWN);
      findings.error(
        'unmapped-studie-more',
        `Nog ${plural(rest.length, 'studie staat', 'studies staan')} niet in de mapping (samen ${plural(
          rest.reduce((n, u) => n + u.count, 0),
          'leerling',
          'leerlingen',
        )})`,
        undefined,
        'Maak de mapping in één keer: met de wizard, of in Excel met de werkmap die numo-prep mapping maakt.',
      );
    }
    // One line however many: a workbook nobody filled in yet has every Studie undecided.
    if (undecided.length) {
      undecided.sort((x, y) => compareNl(x.studie, y.studie));
      const shown = namedFew(
        undecided.slice(0, 5).map((u) => `'${u.studie}' (${formatNumber(u.count)})`),
        5,
        { total: undecided.length },
      );
      findings.add(
        'error',
        'undecided-studie',
        `${undecided.length === 1 ? 'Studie' : `${undecided.length} studies`} zonder opleidingscode in de mapping, nog niet beslist (${formatNumber(undecidedStudents)} ${undecidedStudents === 1 ? 'leerling' : 'leerlingen'}): ${shown}`,
        undefined,
        'Vul in het mappingbestand de opleidingscode in, of - als deze leerlingen niet naar Numo gaan.',
      );
    }
  }
  if (respelled) findings.info('opleiding-spelling', `${formatNumber(respelled)} opleidingscodes geschreven zoals de lijst met Numo-opleidingen ze spelt`);
  // A file whose Stamnrs a spreadsheet changed (100001.0) says so per row; that none matches is no news then.
  if (o.idgebr && withStamnr && !idgebrMarks!.includes(1) && !o.idgebr.changedStamnrs) {
    // Not one Stamnr in common: another location's file, or last year's. Every student would go without SSO.
    findings.error(
      'idgebr-none',
      `Geen enkele Stamnr uit ${o.idgebrFileName ?? 'het IDGebr-bestand'} staat in de export: is het het IDGebr-bestand van deze school (en locatie)?`,
      undefined,
      'Vraag de Magister-applicatiebeheerder het IDGebr-bestand bij deze export; loggen ze niet met SSO in, zet dan om zonder IDGebr-bestand.',
    );
  }
  if (o.idgebr) {
    const unknown = o.idgebr.unmarked(idgebrMarks!);
    let matched = 0;
    for (const m of idgebrMarks!) matched += m;
    // A staff list joined with the students' file: the few teachers whose number is some student's Stamnr would get
    // that student's SSO identity. A file of all users (students and staff) has a line for most of the staff.
    if (staff && unknown >= 20 && unknown > 2 * matched && matched * 2 < stamnrRows) {
      findings.error(
        'idgebr-students-file',
        `${o.idgebrFileName ?? 'Het IDGebr-bestand'} lijkt het bestand van de leerlingen: ${formatNumber(unknown)} van de ${formatNumber(unknown + matched)} regels horen bij niemand in deze personeelslijst`,
        undefined,
        'Een docent zou het IDGebr van de leerling met hetzelfde nummer krijgen. Geef het IDGebr-bestand van de medewerkers, of zet om zonder IDGebr-bestand.',
      );
    } else if (staff && unknown >= 20 && unknown > 2 * matched) {
      // Most of the staff matched: a file of all users, or the students' file whose numbers overlap the staff's. Only
      // the school can tell the two apart.
      findings.warn(
        'idgebr-unknown',
        `${formatNumber(unknown)} van de ${formatNumber(unknown + matched)} regels in ${o.idgebrFileName ?? 'het IDGebr-bestand'} horen bij niemand in deze personeelslijst: is het een bestand van alle gebruikers?`,
        undefined,
        'Is het het bestand van de leerlingen, dan krijgt een docent het IDGebr van de leerling met hetzelfde nummer: geef dan het IDGebr-bestand van de medewerkers, of zet om zonder.',
      );
    } else if (unknown) {
      findings.warn(
        'idgebr-unknown',
        `${formatNumber(unknown)} ${unknown === 1 ? 'regel' : 'regels'} in ${o.idgebrFileName ?? 'het IDGebr-bestand'} ${unknown === 1 ? 'hoort' : 'horen'} bij een Stamnr dat niet in de export staat`,
      );
    }
  }
  // A filter value no one has: a typo (4HV3 for 4H3), what Excel shows for a number (3.10 for 3.1), or a klas gone.
  const { klas: noKlas = [], studie: noStudie = [] } = inSelection.unmatched();
  const unmatched = [...noKlas.map((v) => `klas '${clip(v, 40)}'`), ...noStudie.map((v) => `Studie '${clip(v, 40)}'`)];
  if (unmatched.length) {
    findings.warn(
      'filter-unmatched',
      `Uit het filter ${unmatched.length === 1 ? 'staat' : 'staan'} bij geen enkele leerling in de export: ${namedFew(unmatched, 5)}`,
      undefined,
      'Schrijf de waarde zoals in de export, of laat hem weg uit het filter als hij er niet meer is.',
    );
  }
  if (counts.filtered)
    findings.warn(
      'filtered',
      `${formatNumber(counts.filtered)} ${counts.filtered === 1 ? 'leerling valt' : 'leerlingen vallen'} buiten het klas-/studiefilter en ${counts.filtered === 1 ? 'is' : 'zijn'} weggelaten`,
    );
  if (counts.notForNumo)
    findings.info('not-for-numo', `${formatNumber(counts.notForNumo)} ${counts.notForNumo === 1 ? 'leerling' : 'leerlingen'} met een Studie die volgens de mapping niet naar Numo gaat`);
  if (counts.read === 0 && uncalculated) {
    // Formulas without a stored result (a workbook written by a program, never opened in Excel): the rows are there.
    findings.error(
      'no-students',
      `Geen ${staff ? 'medewerkers' : 'leerlingen'} gevonden onder de kopregel: ${plural(uncalculated, 'rij heeft', 'rijen hebben')} formules zonder opgeslagen uitkomst`,
      undefined,
      'Open het bestand in Excel, laat het herberekenen en sla het op.',
    );
  } else if (counts.read > 0 && uncalculatedRows.some((row) => row < lastStudentRow)) {
    // Between students: students whose cells are formulas without a result (below the list it may be a total).
    const inside = uncalculatedRows.filter((row) => row < lastStudentRow);
    findings.error(
      'formula-rows',
      `${plural(inside.length, 'rij', 'rijen')} tussen de ${staff ? 'medewerkers' : 'leerlingen'} ${inside.length === 1 ? 'heeft' : 'hebben'} alleen formules zonder opgeslagen uitkomst: ${inside.length === 1 ? `die ${staff ? 'medewerker' : 'leerling'} ontbreekt` : `die ${staff ? 'medewerkers' : 'leerlingen'} ontbreken`} (rij ${namedFew(inside.map(String), 5)})`,
      undefined,
      'Open het bestand in Excel, laat het herberekenen en sla het op.',
    );
  } else if (counts.read === 0) {
    findings.error('no-students', `Geen ${staff ? 'medewerkers' : 'leerlingen'} gevonden onder de kopregel`, undefined, `Controleer of de export ${staff ? 'medewerkers' : 'leerlingen'} bevat.`);
  } else if (counts.read === counts.filtered + counts.notForNumo && !findings.hasErrors) {
    findings.error('nothing-left', 'Na filter en mapping blijft geen enkele leerling over', undefined, 'Controleer het klas- en studiefilter en de mapping.');
  }

  return {
    findings,
    counts,
    perOpleiding,
    unmapped: new Map([...unmapped.values()].map((u) => [u.studie, u.count])),
    withIdgebr,
    idgebrInExport: exportIdgebr?.filled ?? false,
    isStudentRow: (row) => studentRows.has(row),
    isEmptyCell: (row, field) => emptyCells.get(field)?.has(row) ?? false,
    lastStudentRow,
  };
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'een komma', ';': 'een puntkomma', '\t': 'een tab' };

/**
 * What to add for a Studie the mapping lacks: a line for a CSV mapping (quoted as it will be read back: a Studie
 * with a ; stays whole), a row for a workbook.
 */
function addHint(studie: string, mapping: Mapping): string {
  const skip = 'als deze leerlingen niet naar Numo gaan';
  const { delimiter } = mapping;
  const file = mapping.fileName ?? 'het mappingbestand';
  if (delimiter === undefined) return `Voeg in ${file} een rij toe met deze Studie en de opleidingscode (of - ${skip})`;
  // In the file's own column order (Opleidingscode;Studie, or a column between them): the line is read back as meant.
  const line = (code: string) => csvText([mapping.fieldsFor(studie, code)], delimiter, '');
  return `Voeg deze regel toe aan ${file}: ${line('<opleidingscode>')}  (of ${line('-')} ${skip})`;
}

/** The hint for a Studie whose mapping line has another delimiter than the file: that line, and what to use. */
function joinedHint(joined: { line: string; delimiter: string } | undefined, delimiter: string | undefined): string | undefined {
  if (!joined) return undefined;
  const line = `In het mappingbestand staat '${joined.line.replaceAll('\t', ' ')}' in één ${delimiter === undefined ? 'cel' : 'veld'}, met ${DELIMITER_NAMES[joined.delimiter]} tussen Studie en code`;
  return delimiter === undefined ? `${line}. Zet de code in de kolom Opleidingscode.` : `${line}; de andere regels gebruiken ${DELIMITER_NAMES[delimiter] ?? `'${delimiter}'`}. Verbeter die regel.`;
}
