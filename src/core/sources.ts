import type { ColumnSpec } from './columns.js';
import { LIMITS } from './limits.js';
import type { RawRow } from './raw-row.js';
import { headerKey, normaliseText } from './text.js';

/**
 * Every export numo-prep recognises, declared once as data: per source (Magister, Somtoday, EduArte) its known
 * layouts, each with the header spellings that source writes, per field. Detection, `--bron`, `check`, the wizard
 * and the README table all derive from this list. Matching is case- and punctuation-insensitive (headerKey).
 */

/** What numo-prep reads from an export row; the Numo row is made from these. */
export const EXPORT_FIELDS = [
  { key: 'stamnr', label: 'Stamnr' },
  { key: 'roepnaam', label: 'Roepnaam' },
  { key: 'tussenvoegsel', label: 'Tussenv.' },
  { key: 'achternaam', label: 'Achternaam' },
  { key: 'klas', label: 'Klas' },
  { key: 'studie', label: 'Studie' },
  { key: 'email', label: 'E-mail' },
  { key: 'idgebr', label: 'IDGebr' },
  { key: 'login', label: 'Loginaccount.Naam' },
  { key: 'code', label: 'Code' },
] as const;

export type ExportField = (typeof EXPORT_FIELDS)[number]['key'];
export const EXPORT_FIELD_KEYS = EXPORT_FIELDS.map((f) => f.key) as [ExportField, ...ExportField[]];

export const SOURCE_IDS = ['magister', 'somtoday', 'eduarte'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];
export type Role = 'leerling' | 'docent';

export interface Layout {
  /** Where this header set comes from, for the detection line and the README. */
  name: string;
  role: Role;
  /**
   * Header spellings per field, as the source writes them; an earlier spelling wins over a later one. The
   * tussenvoegsel also under the other sources' word (Voorvoegsel, Tussenvoegsel): a list put together or renamed by
   * hand uses either, and a name part must never be left out for a word.
   */
  columns: Partial<Record<ExportField, readonly string[]>>;
  /** Columns this layout has that numo-prep leaves out on purpose (their data is already in a used column). */
  unused?: readonly string[];
  /** The Studie column already holds Numo opleidingscodes (the admin renamed the headers to Numo's). */
  holdsNumoCodes?: boolean;
  /** Numo's own column names: such a file is an unfinished Numo import rather than a source export. */
  numoHeaders?: boolean;
}

export interface SourceProfile {
  id: SourceId;
  /** "Magister" in "Herkend als Magister-export". */
  name: string;
  layouts: readonly Layout[];
}

/** Fields that must be present to read a file of this role at all. */
export const REQUIRED: Record<Role, readonly ExportField[]> = {
  leerling: ['stamnr', 'roepnaam', 'achternaam', 'studie'],
  docent: ['roepnaam', 'achternaam'],
};

export const SOURCES: readonly SourceProfile[] = [
  {
    id: 'magister',
    name: 'Magister',
    layouts: [
      {
        name: 'deelnemersexport',
        role: 'leerling',
        columns: {
          stamnr: ['Stamnr', 'Stamnummer', 'Leerlingnummer', 'Leerlingnr'],
          roepnaam: ['Roepnaam'],
          tussenvoegsel: ['Tussenv.', 'Tussenvoegsel', 'Tussenvoegsels', 'Voorvoegsel', 'Voorvoegsels'],
          achternaam: ['Achternaam'],
          klas: ['Klas', 'Stamklas'],
          studie: ['Studie'],
          email: ['E-mail', 'E-mailadres', 'Mailadres'],
          idgebr: ['IDGebr'],
        },
        unused: ['Voorletters', 'Voornamen', 'Volledige naam'],
      },
      {
        name: 'webservice GetActiveStudents',
        role: 'leerling',
        columns: {
          stamnr: ['stamnr_str'],
          roepnaam: ['Roepnaam'],
          tussenvoegsel: ['Tussenv'],
          achternaam: ['Achternaam'],
          klas: ['Klas'],
          studie: ['Studie'],
          email: ['Email'],
          login: ['Loginaccount.Naam'],
        },
        unused: ['Voorletters', 'Volledige_naam', 'Loginaccount.Volledige_naam', 'Leerfase.Leerjaar', 'Profiel.Code'],
      },
      {
        name: 'Decibel-lijst',
        role: 'leerling',
        columns: {
          stamnr: ['STAMNR'],
          roepnaam: ['FIRSTNAME'],
          tussenvoegsel: ['PREFIX'],
          achternaam: ['LASTNAME'],
          klas: ['CLASS'],
          studie: ['STUDY'],
          email: ['EMAIL'],
          login: ['sis_gebr__login_naam'],
        },
        unused: ['INITIALS', 'STUDYYEAR', 'PROFILECODE', 'PROFILEDESC', 'LOCATION', 'STUDYPERIOD', 'PMENTORCODE', 'PMENTORNAME', 'CMENTORCODE', 'CMENTORNAME'],
      },
      {
        name: 'kolommen al hernoemd naar Numo',
        role: 'leerling',
        columns: {
          stamnr: ['gebruikersnaam'],
          roepnaam: ['voornaam'],
          tussenvoegsel: ['tussenvoegsel'],
          achternaam: ['achternaam'],
          klas: ['klas'],
          studie: ['opleiding', 'opleidingscode'],
          email: ['e-mail', 'emailadres'],
          idgebr: ['IDGebr'],
        },
        holdsNumoCodes: true,
        numoHeaders: true,
      },
      {
        name: 'webservice GetActiveEmpoyees',
        role: 'docent',
        columns: {
          stamnr: ['stamnr_str'],
          code: ['Code'],
          roepnaam: ['Roepnaam'],
          tussenvoegsel: ['Tussenv'],
          achternaam: ['Achternaam'],
          login: ['Loginaccount.Naam'],
        },
        unused: ['Voorletters', 'Volledige_naam', 'Loginaccount.Volledige_naam', 'Functie.Omschr'],
      },
      {
        name: 'personeelslijst',
        role: 'docent',
        columns: {
          stamnr: ['Stamnr', 'Personeelsnummer'],
          code: ['Docentcode', 'Afkorting'],
          roepnaam: ['Roepnaam'],
          tussenvoegsel: ['Tussenv.', 'Tussenvoegsel', 'Voorvoegsel'],
          achternaam: ['Achternaam'],
          // The work address first: a staff list may have a private one beside it (Decibel's EMAIL).
          email: ['Email_werk', 'E-mail', 'Email', 'E-mailadres'],
          login: ['Loginnaam', 'Gebruikersnaam'],
        },
        unused: ['Voorletters', 'Voornamen', 'Volledige naam', 'Functie'],
      },
      {
        name: 'Decibel-lijst personeel',
        role: 'docent',
        columns: {
          stamnr: ['STAMNR'],
          code: ['CODE'],
          roepnaam: ['FIRSTNAME'],
          tussenvoegsel: ['PREFIX'],
          achternaam: ['LASTNAME'],
          email: ['Email_werk', 'EMAIL'],
          login: ['sis_gebr__login_naam'],
        },
        unused: ['INITIALS', 'LOCATION'],
      },
      {
        name: 'personeelslijst, kolommen al hernoemd naar Numo',
        role: 'docent',
        numoHeaders: true,
        columns: {
          login: ['gebruikersnaam'],
          roepnaam: ['voornaam'],
          tussenvoegsel: ['tussenvoegsel'],
          achternaam: ['achternaam'],
          email: ['e-mail'],
        },
      },
    ],
  },
  {
    id: 'somtoday',
    name: 'Somtoday',
    layouts: [
      {
        name: 'Connect',
        role: 'leerling',
        columns: {
          stamnr: ['leerlingnummer'],
          roepnaam: ['roepnaam'],
          tussenvoegsel: ['voorvoegsel', 'tussenvoegsel'],
          achternaam: ['achternaam'],
          klas: ['stamgroep'],
          studie: ['opleiding', 'opleiding.naam', 'opleiding.afkorting', 'opleiding.code'],
          // E-mail as well: a list renamed or put together by hand. Without it, such a file ties with Magister's
          // headers (Leerlingnummer, Voorvoegsel and Opleiding are Magister spellings too) and loses its stamgroep.
          email: ['emailadres', 'e-mail'],
          login: ['gebruikersnaam'],
        },
        // opleiding.naam/.afkorting/.code: one is read as Studie, the others say the same.
        unused: ['voornamen', 'voorletters', 'eckid', 'leerjaar', 'onderwijssoort', 'lesgroepen', 'opleiding.naam', 'opleiding.afkorting', 'opleiding.code'],
      },
      {
        name: 'UmService',
        role: 'leerling',
        columns: {
          stamnr: ['leerlingNummer'],
          roepnaam: ['leerlingRoepnaam'],
          tussenvoegsel: ['leerlingVoorvoegsel'],
          achternaam: ['leerlingAchternaam'],
          klas: ['leerlingStamgroep'],
          studie: ['leerlingOpleidingCode'],
          email: ['leerlingEmail'],
          login: ['leerlingUsername'],
        },
        unused: ['leerlingVoorletters', 'leerlingLesgroepen', 'leerlingLeerjaar', 'leerlingEckID', 'leerlingActief'],
      },
      {
        name: 'Connect medewerkers',
        role: 'docent',
        columns: {
          stamnr: ['medewerkernummer'],
          code: ['afkorting'],
          roepnaam: ['roepnaam'],
          tussenvoegsel: ['voorvoegsel', 'tussenvoegsel'],
          achternaam: ['achternaam'],
          email: ['emailadres', 'e-mail'],
          login: ['gebruikersnaam'],
        },
        unused: ['voornamen', 'voorletters', 'is_docent', 'functie'],
      },
      {
        name: 'UmService medewerkers',
        role: 'docent',
        columns: {
          stamnr: ['medewerkerNummer'],
          code: ['medewerkerAfkorting'],
          roepnaam: ['medewerkerRoepnaam'],
          tussenvoegsel: ['medewerkerVoorvoegsel'],
          achternaam: ['medewerkerAchternaam'],
          email: ['medewerkerEmail'],
          login: ['medewerkerUsername'],
        },
      },
    ],
  },
  {
    id: 'eduarte',
    name: 'EduArte',
    layouts: [
      {
        name: 'lijstexport Deelnemers/Verbintenissen',
        role: 'leerling',
        columns: {
          stamnr: ['Nummer', 'Deelnemernummer'],
          roepnaam: ['Roepnaam'],
          tussenvoegsel: ['Voorvoegsel', 'Tussenvoegsel'],
          achternaam: ['Achternaam'],
          klas: ['Plaatsingsgroep'],
          studie: ['Opleiding', 'Opleidingscode'],
          email: ['E-mail'],
        },
        unused: ['Voorletters', 'Voornamen', 'Volledige naam', 'Opleidingscode', 'Leerweg', 'Niveau', 'Cohort', 'Lj', 'Groepen', 'Locatie', 'Status'],
      },
      {
        name: 'lijstexport Medewerkers',
        role: 'docent',
        columns: {
          stamnr: ['Nummer', 'Medewerkernummer'],
          code: ['Afkorting'],
          roepnaam: ['Roepnaam'],
          tussenvoegsel: ['Voorvoegsel', 'Tussenvoegsel'],
          achternaam: ['Achternaam'],
          email: ['E-mail'],
        },
        unused: ['Voorletters', 'Voornamen', 'Volledige naam', 'Functie', 'Locatie', 'Status'],
      },
    ],
  },
];

export function sourceById(id: SourceId): SourceProfile {
  return SOURCES.find((s) => s.id === id)!;
}

const NUMO_LOGIN_KEY = headerKey('gebruikersnaam');

const labelOf = (key: ExportField) => EXPORT_FIELDS.find((f) => f.key === key)!.label;

/**
 * The column specs of one source for one role: the spellings of all its layouts of that role, merged in
 * declaration order. The label is the source's own first spelling, so a message names the column as the admin
 * sees it in that source. `exportsOnly`: without the layouts of a file already renamed to Numo's headers.
 */
export function sourceColumns(source: SourceId, role: Role, o: { exportsOnly?: boolean } = {}): ColumnSpec<ExportField>[] {
  const layouts = sourceById(source).layouts.filter((l) => l.role === role && !(o.exportsOnly && l.numoHeaders));
  return EXPORT_FIELDS.flatMap(({ key }) => {
    const spellings = layouts.flatMap((l) => l.columns[key] ?? []);
    if (spellings.length === 0) return [];
    const aliases = [...new Set(spellings.map(headerKey))];
    return [{ key, label: source === 'magister' ? labelOf(key) : spellings[0]!, required: REQUIRED[role].includes(key), aliases }];
  });
}

/** Header keys a source's layouts of this role leave out on purpose. */
export function unusedHeaders(source: SourceId, role: Role): Set<string> {
  return new Set(
    sourceById(source)
      .layouts.filter((l) => l.role === role)
      .flatMap((l) => (l.unused ?? []).map(headerKey)),
  );
}

/**
 * The layout whose own spellings match most of these headers (for the detection line). A layout of Numo's own
 * headers fits only a file that has them as a whole, gebruikersnaam included: an export renamed halfway (Studie to
 * opleiding, Stamnr not yet) still holds the school's Studies, and its opleiding column is no list of codes.
 */
export function bestLayout(source: SourceId, role: Role, headers: readonly string[]): Layout | undefined {
  const keys = new Set(headers.map(headerKey));
  let best: Layout | undefined;
  let bestScore = 0;
  for (const l of sourceById(source).layouts) {
    if (l.role !== role || (l.numoHeaders && !keys.has(NUMO_LOGIN_KEY))) continue;
    const score = Object.values(l.columns)
      .flat()
      .filter((s) => keys.has(headerKey(s))).length;
    if (score > bestScore) {
      best = l;
      bestScore = score;
    }
  }
  return best;
}

/**
 * True when the file is one renamed to Numo's headers (that layout fits its headers best) and the matched Studie
 * header is one such a layout declares as holding Numo codes. An export with only its study column headed
 * "Opleiding" holds the school's own names ("3 mavo"), which need a mapping.
 */
export function studieHoldsNumoCodes(source: SourceId, role: Role, headers: readonly string[], studieHeader: string | undefined): boolean {
  if (studieHeader === undefined || !bestLayout(source, role, headers)?.holdsNumoCodes) return false;
  const key = headerKey(studieHeader);
  const spellings = (coded: boolean) =>
    sourceById(source)
      .layouts.filter((l) => l.role === role && Boolean(l.holdsNumoCodes) === coded)
      .flatMap((l) => (l.columns.studie ?? []).map(headerKey));
  return spellings(true).includes(key) && !spellings(false).includes(key);
}

/** True for a Studie header that is Numo's own word for the column (opleiding, opleidingscode). */
export function numoStudieHeader(header: string): boolean {
  const key = headerKey(header);
  return SOURCES.some((s) => s.layouts.some((l) => l.holdsNumoCodes && (l.columns.studie ?? []).some((h) => headerKey(h) === key)));
}

/**
 * Columns that tell a student row from a staff row, as header spellings. A row whose student columns are empty
 * and whose staff columns are filled is a staff member, and the other way round.
 */
export const ROLE_MARKERS = {
  leerling: ['Studie', 'STUDY', 'stamgroep', 'leerlingnummer', 'leerlingStamgroep', 'leerlingOpleidingCode', 'Plaatsingsgroep', 'Leerlingnr', 'Leerfase.Leerjaar', 'Profiel.Code', 'Cohort'],
  docent: ['Code', 'CODE', 'Docentcode', 'afkorting', 'medewerkerAfkorting', 'medewerkernummer', 'Functie.Omschr', 'functie', 'is_docent', 'Email_werk', 'Personeelsnummer'],
} as const;

/** Header keys of the staff markers no student export has (not the generic Code, which a student list may have). */
export const STAFF_ONLY_KEYS: ReadonlySet<string> = new Set(ROLE_MARKERS.docent.filter((h) => h !== 'Code' && h !== 'CODE').map(headerKey));

/**
 * A column whose values say the role outright ('leerling', 'docent' …), as admins add when they combine lists.
 * ROLE_HEADERS say nothing else; TYPE_HEADERS may hold other data (Type: BOL, Soort: regulier), so one of
 * ROLE_HEADERS is used first, and only its values that are no known role word are named (see RoleWatch).
 */
export const ROLE_HEADERS = [
  'Rol',
  'Rollen',
  'Rol(len)',
  'Role',
  'Roles',
  'Gebruikersrol',
  'Gebruikerstype',
  'Type gebruiker',
  'Soort gebruiker',
  'Persoonstype',
  'Soort persoon',
  'User type',
  'User role',
  'eduPersonAffiliation',
  'Affiliation',
];
export const TYPE_HEADERS = ['Type', 'Soort', 'Categorie', 'Doelgroep'];
/**
 * The words a role column says a role with, compared without case, accents, spaces, dots and dashes (O.O.P. is oop,
 * Conciërge concierge). Staff is everyone who is no leerling of the school: Numo has no other role, and a staff
 * member read as a student would get a student's account. Left out on purpose: stagiair(e) (in mbo also a student
 * on a work placement), ouder/verzorger, gast, and job titles that are also mbo courses (onderwijsassistent,
 * pedagogisch medewerker, …): those are named as a role numo-prep does not know, not taken as either. Not LL for
 * leerling either: the words for a student also say a staff column's value is no staff sign (locate-export), and LL
 * is a teacher's code too.
 */
export const ROLE_VALUES: Record<Role, readonly string[]> = {
  leerling: ['leerling', 'leerlingen', 'student', 'studenten', 'students', 'deelnemer', 'deelnemers', 'cursist', 'cursisten', 'scholier', 'scholieren', 'pupil', 'pupils', 'learner', 'learners'],
  docent: [
    'docent',
    'docenten',
    'docente',
    'vakdocent',
    'vakdocenten',
    'leraar',
    'leraren',
    'lerares',
    'leraressen',
    'leerkracht',
    'leerkrachten',
    'onderwijzer',
    'onderwijzers',
    'teacher',
    'teachers',
    'faculty',
    'staff',
    'employee',
    'employees',
    'medewerker',
    'medewerkers',
    'medewerkster',
    'personeel',
    'personeelslid',
    'personeelsleden',
    'mentor',
    'mentoren',
    'mentors',
    // Onderwijzend personeel, onderwijsondersteunend personeel (and its older name), leraar in opleiding. Not OA or
    // TOA ((technisch) onderwijsassistent): mbo courses too, so a Type or Categorie column may hold them for students.
    'op',
    'oop',
    'obp',
    'onderwijzend personeel',
    'onderwijsondersteunend personeel',
    'ondersteunend personeel',
    'lio',
    'leraar in opleiding',
    'docent in opleiding',
    'teamleider',
    'teamleiders',
    'afdelingsleider',
    'afdelingsleiders',
    'coördinator',
    'coördinatoren',
    'zorgcoördinator',
    'zorgcoördinatoren',
    'decaan',
    'decanen',
    'begeleider',
    'begeleiders',
    'slb',
    'slber',
    'slbers',
    'studieloopbaanbegeleider',
    'studieloopbaanbegeleiders',
    'directeur',
    'directeuren',
    'directeurs',
    'directrice',
    'directie',
    'rector',
    'rectoren',
    'conrector',
    'conrectoren',
    'schoolleider',
    'schoolleiders',
    'schoolleiding',
    'management',
    'conciërge',
    'conciërges',
    'roostermaker',
    'roostermakers',
    'beheerder',
    'beheerders',
    'systeembeheerder',
    'systeembeheerders',
    'applicatiebeheerder',
    'applicatiebeheerders',
    'admin',
    'admins',
    'administrator',
    'administrators',
  ],
};

/**
 * A column that says whether the enrolment is current (Somtoday UmService leerlingActief, EduArte Status). Rows
 * with another value are still converted, but counted and named by row: a student who left would get an account.
 */
export const STATUS_HEADERS = ['leerlingActief', 'Status', 'Actief'];
// EduArte has no 'actief': a verbintenis that counts (its own isActief) is voorlopig, volledig, afgedrukt or
// definitief; aangemeld, intake, beëindigd, afgemeld and afgewezen do not.
export const ACTIVE_VALUES = ['actief', 'active', 'ja', 'j', 'true', '1', 'yes', 'y', 'voorlopig', 'volledig', 'afgedrukt', 'definitief'];
/** A yes/no column's values that say no (Somtoday is_docent false, Excel's ONWAAR). */
export const NO_VALUES = ['false', 'onwaar', '0', 'nee', 'n', 'no'];
/** Other statuses that may be named in a message; any other value could be shifted data and is not shown. */
export const KNOWN_STATUSES = ['inactief', 'nee', 'false', '0', 'beëindigd', 'beeindigd', 'aangemeld', 'intake', 'afgemeld', 'afgewezen', 'uitgeschreven', 'vertrokken', 'geschorst', 'inactive'];

/**
 * A column with the leerjaar on its own (Somtoday leerjaar, EduArte Lj …). Numo's opleidingen are per leerjaar, so
 * a Studie without a year ("havo") next to such a column gives one code to students of several years.
 */
const LEERJAAR_HEADERS = ['leerjaar', 'leerlingLeerjaar', 'Leerfase.Leerjaar', 'STUDYYEAR', 'Lj', 'Jaarlaag'];
const LEERJAAR_KEYS = new Set(LEERJAAR_HEADERS.map(headerKey));

/**
 * The leerjaar column among the columns not used for a field, or -1: a header of LEERJAAR_HEADERS, else one that says
 * leerjaar in more words (Leerjaar nu, Huidig leerjaar), not last or next year's.
 */
export function leerjaarColumnOf(headers: readonly string[], columns: Partial<Record<string, number>>): number {
  const used = new Set(Object.values(columns));
  const exact = headers.findIndex((h, i) => !used.has(i) && LEERJAAR_KEYS.has(headerKey(h)));
  if (exact >= 0) return exact;
  return headers.findIndex((h, i) => !used.has(i) && /leerjaar/.test(headerKey(h)) && !/vorig|oud|volgend|start|begin|instroom|aantal/.test(headerKey(h)));
}

/** Every spelling of every source, for the README table and its test. */
export function allSpellings(): { source: string; layout: string; role: Role; field: ExportField; spelling: string }[] {
  return SOURCES.flatMap((s) =>
    s.layouts.flatMap((l) =>
      Object.entries(l.columns).flatMap(([field, spellings]) => (spellings ?? []).map((spelling) => ({ source: s.name, layout: l.name, role: l.role, field: field as ExportField, spelling }))),
    ),
  );
}

let knownHeaderKeys: Set<string> | undefined;

/** Whether a header cell is a header some known export writes (Roepnaam, stamnr_str, Voorvoegsel). */
export function knownHeader(header: string): boolean {
  knownHeaderKeys ??= new Set(allSpellings().map((s) => headerKey(s.spelling)));
  return knownHeaderKeys.has(headerKey(header));
}

/** Export fields whose header says a file lists people (never in a mapping or a list of codes). */
const PERSON_FIELDS: ReadonlySet<ExportField> = new Set(['stamnr', 'roepnaam', 'achternaam', 'email', 'idgebr', 'login']);
/**
 * Numo's own person columns (an import file, last year's, lists people too), and columns only a list of people has
 * (a hand-made list: Lln.nr, Naam leerling, Leerling, Geboortedatum, Functie).
 */
const OTHER_PERSON_HEADERS = [
  'gebruikersnaam',
  'voornaam',
  'achternaam',
  'wachtwoord',
  'email',
  'llnnr',
  'llnr',
  'naamleerling',
  'leerlingnaam',
  'geboortedatum',
  'geslacht',
  'functie',
  'voorletters',
  'bsn',
  // Singular only: a mapping may count its students in a column Leerlingen.
  'leerling',
  'student',
  'deelnemer',
  'medewerker',
];
/** Spellings too general to tell a list of people by (EduArte's student number is "Nummer"). */
const GENERAL_HEADERS = new Set(['nummer', 'naam', 'code', 'id']);
let personHeaderKeys: Set<string> | undefined;

/**
 * Whether a header cell (as headerKey) heads a column of people's data in some export, staff list or Numo file:
 * Stamnr, Achternaam, E-mail, Loginaccount.Naam, gebruikersnaam. No header of a mapping or a code list is one (a
 * mapping's Naam, its Studie, is among the general spellings left out).
 */
function isPersonHeader(key: string): boolean {
  personHeaderKeys ??= new Set(
    [
      ...allSpellings()
        .filter((s) => PERSON_FIELDS.has(s.field))
        .map((s) => headerKey(s.spelling)),
      ...OTHER_PERSON_HEADERS,
    ].filter((k) => !GENERAL_HEADERS.has(k)),
  );
  return personHeaderKeys.has(key);
}

/**
 * The first header cell among a list's first rows that heads people's data (Stamnr, Achternaam, E-mail): such a
 * file is an export, a staff list or a Numo file, not a mapping or a list of codes.
 */
export function personHeader(rows: readonly RawRow[]): string | undefined {
  for (const r of rows.slice(0, LIMITS.headerScanRows)) {
    const cell = r.cells.find((c) => c.length <= 40 && isPersonHeader(headerKey(c)));
    if (cell !== undefined) return normaliseText(cell);
  }
  return undefined;
}
