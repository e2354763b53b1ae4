import type { ColumnMap, ColumnSpec } from './columns.js';
import type { Findings, RowRef } from './findings.js';
import { STUDENT_GEBRUIKERSNAAM } from './settings.js';
import {
  bestLayout,
  EXPORT_FIELDS,
  type ExportField,
  ROLE_HEADERS,
  ROLE_MARKERS,
  ROLE_VALUES,
  type Role,
  SOURCE_IDS,
  type SourceId,
  sourceById,
  sourceColumns,
  TYPE_HEADERS,
  unusedHeaders,
} from './sources.js';
import { clip, headerKey, headerText, normaliseText } from './text.js';

type ColumnOverrides = Partial<Record<ExportField, string>>;

/**
 * A header name the admin chose for a column (saved in the config) is the only one for that field: when it is
 * missing from this year's export, a built-in spelling must not quietly take its place (the parents' "E-mail"
 * for the students' "E-mail leerling"); locateExport then says the chosen column is missing. "" chooses no column
 * at all. A chosen header is no other field's either: "login": "E-mail" takes the column E-mail from the e-mail.
 */
export function withOverrides<K extends string>(specs: readonly ColumnSpec<K>[], overrides: Partial<Record<K, string>> | undefined): ColumnSpec<K>[] {
  // Cut as the file's headers are (headerText): a long header written out in full still matches.
  const key = (h: string) => headerKey(headerText(h));
  const chosen = new Set(Object.values(overrides ?? {}).flatMap((h) => (h ? [key(h as string)] : [])));
  return specs.map((s) => {
    const custom = overrides?.[s.key];
    if (custom !== undefined) return { ...s, aliases: custom ? [key(custom)] : [] };
    return chosen.size ? { ...s, aliases: s.aliases.filter((a) => !chosen.has(a)) } : s;
  });
}

/** One source's header set for one role, ready for the header search. */
export interface SourceCandidate {
  id: SourceId;
  specs: ColumnSpec<ExportField>[];
  known: Set<string>;
}

/**
 * The header sets to look for: every source (or only the forced one), in declaration order, with the
 * admin's overrides. An override column that no source spells is still found.
 */
export function sourceCandidates(role: Role, o: { only?: SourceId; overrides?: ColumnOverrides } = {}): SourceCandidate[] {
  const ids = o.only ? [o.only] : SOURCE_IDS;
  return ids.map((id) => {
    const own = sourceColumns(id, role);
    // An override may name a field this source has no spelling for (e.g. klas in a staff list): add it.
    const extra: ColumnSpec<ExportField>[] = EXPORT_FIELDS.filter((f) => o.overrides?.[f.key] && !own.some((s) => s.key === f.key)).map((f) => ({
      key: f.key,
      label: f.label,
      required: false,
      aliases: [],
    }));
    return { id, specs: withOverrides([...own, ...extra], o.overrides), known: unusedHeaders(id, role) };
  });
}

/** "Herkend als Somtoday-export (UmService)" */
export function detectionLine(source: SourceId, role: Role, headers: readonly string[]): string {
  const layout = bestLayout(source, role, headers);
  return `Herkend als ${sourceById(source).name}-export${layout ? ` (${layout.name})` : ''}.`;
}

// ---------------------------------------------------------------------------------------------------------
// Never silently drop a name part: columns that look like data numo-prep uses, but are not used.

export type LookalikeField = 'tussenvoegsel' | 'klas' | 'email' | 'naam' | 'roepnaam' | 'achternaam' | 'stamnr' | 'studie';

/** Header words (on headerKey) per kind of data. */
const HEADER_WORDS: Record<LookalikeField, RegExp> = {
  tussenvoegsel: /tussenv|voorvoeg|prefix|infix|^tv$/,
  klas: /klas|stamgroep|class|basisgroep|plaatsingsgroep|^groep$/,
  email: /mail/,
  roepnaam: /roepnaam|voornaam|firstname|givenname|nickname/,
  achternaam: /achternaam|familienaam|geslachtsnaam|lastname|surname|familyname|geboortenaam/,
  naam: /naam|name|voorletter|initial/,
  stamnr: /stamn|leerlingn|leerlingid|deelnemern|studentn|studentid/,
  // Not a year, a duration, a level or support of it (STUDYYEAR, Studiejaar, Opleidingsniveau, Leerwegondersteuning,
  // Vooropleiding): havo and vwo would share a code. A school year is fine (Studie dit schooljaar).
  studie: /^(?!.*(?:studiejaar|opleidingsjaar|leerjaar|year|duur|duration|niveau|ondersteuning|vooropleiding)).*(?:studie|opleiding|study|leerweg)/,
};

/** Headers about someone else (parents, mentor) or about a login: never the student's data. */
const OTHER_PERSON = /ouder|verzorger|voogd|parent|mentor|contact|noodnummer|huisarts|gebruikersnaam|login|username|account|docent/;

/** Words of a header that say its column names people. */
const PEOPLE_WORDS = new Set(
  'mentor mentoren docent docenten leraar ouder ouders verzorger verzorgers voogd contactpersoon coach coaches slb slber tutor tutoren begeleider begeleiders studieloopbaanbegeleider leider leiders decaan decanen coordinator co\u00F6rdinator'.split(
    ' ',
  ),
);
/** What a people word may carry in one compound and still name people (Mentornaam, Docentcode). */
const PEOPLE_SUFFIX = /(?:naam|namen|code|codes)$/;
/**
 * People words that end a compound that still names people (Studiecoach, Klassendocent, Loopbaanbegeleider,
 * Teamleider, Afdelingsleider, Zorgcoördinator).
 */
const PEOPLE_END =
  /(?:docent|docenten|mentor|mentoren|coach|coaches|begeleider|begeleiders|leraar|leraren|verzorger|verzorgers|tutor|tutoren|leider|leiders|decaan|decanen|co[o\u00F6]rdinator|co[o\u00F6]rdinatoren)$/;

/**
 * A header whose column names people (Mentor, Docent, Ouder/verzorger, SLB, Mentornaam, Studiecoach): one of its
 * words is such a word, alone, with naam or code after it, or at the end of a compound; not at the start of another
 * compound (Mentorgroep, Docentenopleiding and Ouderejaars are no people).
 */
export const namesPeople = (header: string): boolean =>
  header
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .some((w) => PEOPLE_WORDS.has(w) || PEOPLE_WORDS.has(w.replace(PEOPLE_SUFFIX, '')) || PEOPLE_END.test(w.replace(PEOPLE_SUFFIX, '')));
/**
 * Headers about a school or a file (Schoolnaam, Vestiging, Bestand): no name part. An e-mail column so headed is
 * still the student's (Schoolmail, E-mail (school)).
 */
// A login's header (Inlognaam, Gebruikersnaam) is no person's name either: it is named as a login (LOGIN_HEADER).
const NOT_A_NAME = /school|vestiging|locatie|bestand|vak|studienaam|opleidingsnaam|opleidingnaam|inlognaam|loginnaam|gebruikersnaam|accountnaam/;

const TUSSENVOEGSELS = new Set([
  'van',
  'de',
  'der',
  'den',
  'het',
  "'t",
  't',
  "'s",
  'te',
  'ten',
  'ter',
  'in',
  'op',
  'aan',
  'bij',
  'uit',
  'onder',
  'voor',
  'over',
  'van de',
  'van der',
  'van den',
  "van 't",
  "van 's",
  'van het',
  'van ter',
  'van ten',
  'in de',
  'in den',
  'in der',
  "in 't",
  'in het',
  'op de',
  'op den',
  'op der',
  "op 't",
  'op ten',
  'aan de',
  'aan den',
  'aan het',
  "aan 't",
  'bij de',
  'uit de',
  'uit den',
  'uit het',
  'onder de',
  'voor de',
  'over de',
  'de la',
  'de le',
  'la',
  'le',
  'du',
  'da',
  'di',
  'dos',
  'das',
  'del',
  'della',
  'el',
  'al',
  'von',
  'zu',
  'von der',
  'von dem',
  'vom',
  'zum',
  'zur',
  'mac',
  'mc',
  "d'",
  "l'",
  'ben',
  'ibn',
  'bin',
  'abu',
]);
const EMAIL_VALUE = /^[^\s@;,]+@[^\s@;,]+\.[a-z]{2,}$/i;
const KLAS_VALUE = /^[1-6][a-z]{1,4}\d{0,2}[a-z]?$/i;

// Typographic apostrophes (’t, ‘s) written as plain ones; escaped because the bundles are ASCII (tools/build.mjs).
const APOSTROPHES = /[\u2019\u2018`]/g;

export const isTussenvoegsel = (v: string) => TUSSENVOEGSELS.has(normaliseText(v).toLowerCase().replace(APOSTROPHES, "'"));

/** The first words of a Dutch tussenvoegsel (van, de, ter …); el, da, mac … start whole surnames of their own (El Amrani). */
const DUTCH_PARTICLES = new Set(['van', 'de', 'der', 'den', 'het', "'t", 't', "'s", 'te', 'ten', 'ter', 'in', 'op', 'aan', 'bij', 'uit', 'onder', 'voor', 'over']);

/** A Dutch tussenvoegsel (van der, 't), not one of the other languages' particles in TUSSENVOEGSELS, nor de la. */
export const isDutchTussenvoegsel = (v: string) => {
  const t = normaliseText(v).toLowerCase().replace(APOSTROPHES, "'");
  return TUSSENVOEGSELS.has(t) && DUTCH_PARTICLES.has(t.split(' ')[0]!) && t !== 'de la' && t !== 'de le';
};

/** The longest tussenvoegsel (onder de): a normalised text that is longer is none, without normalising it again. */
export const LONGEST_TUSSENVOEGSEL = Math.max(...Array.from(TUSSENVOEGSELS, (t) => t.length));

export interface Lookalike {
  column: number;
  header: string;
  kind: LookalikeField;
  /** The field it would fill (none for a name that could be either part). */
  field?: ExportField;
}

/** The field a lookalike kind would fill, when it is one. */
const FIELD_OF: Partial<Record<LookalikeField, ExportField>> = {
  tussenvoegsel: 'tussenvoegsel',
  klas: 'klas',
  email: 'email',
  roepnaam: 'roepnaam',
  achternaam: 'achternaam',
  stamnr: 'stamnr',
  studie: 'studie',
};

/** The kind of data a header speaks of (Tussenv., E-mailadres, Stamgroep), if any: see HEADER_WORDS. */
export function byHeader(header: string): LookalikeField | undefined {
  const key = headerKey(header);
  if (!key || OTHER_PERSON.test(key)) return undefined;
  if (HEADER_WORDS.email.test(key)) return 'email';
  if (NOT_A_NAME.test(key)) return undefined;
  for (const kind of ['tussenvoegsel', 'klas', 'roepnaam', 'achternaam', 'stamnr', 'studie', 'naam'] as const) {
    if (HEADER_WORDS[kind].test(key)) return kind;
  }
  return undefined;
}

function byContent(values: string[]): LookalikeField | undefined {
  const filled = values.map(normaliseText).filter(Boolean);
  if (filled.length < 2) return undefined;
  const share = (test: (v: string) => boolean) => filled.filter(test).length / filled.length;
  if (share((v) => EMAIL_VALUE.test(v)) >= 0.8) return 'email';
  if (share(isTussenvoegsel) >= 0.8) return 'tussenvoegsel';
  if (share((v) => KLAS_VALUE.test(v)) >= 0.8) return 'klas';
  return undefined;
}

/**
 * Columns that look like a tussenvoegsel, klas, e-mail or name — by header words, or (for a field no column
 * fills) by their values in the first rows — but are not used. A column the source declares as deliberately
 * unused is left out while the field it duplicates is filled, and so is a column that marks the role (Studie, Code,
 * stamgroep …) unless it looks like a field of `fields` (those the role reads) that no column fills: a Somtoday
 * stamgroep in a file read as Magister's is its klas.
 */
export function findLookalikes(
  headers: readonly string[],
  columns: ColumnMap<ExportField>,
  o: { unused?: ReadonlySet<string>; sample?: readonly string[][]; markers?: ReadonlySet<number>; fields?: ReadonlySet<ExportField> } = {},
): Lookalike[] {
  const used = new Set(Object.values(columns));
  const out: Lookalike[] = [];
  headers.forEach((header, column) => {
    if (used.has(column)) return;
    const key = headerKey(header);
    if (o.unused?.has(key)) return;
    let kind = byHeader(header);
    if (!kind && o.sample && !(key && (OTHER_PERSON.test(key) || NOT_A_NAME.test(key)))) {
      const content = byContent(o.sample.map((r) => r[column] ?? ''));
      // By content only where no column fills that field: a second e-mail column is not worth a warning.
      if (content && columns[FIELD_OF[content]!] === undefined) kind = content;
    }
    const field = kind && FIELD_OF[kind];
    if (o.markers?.has(column) && (field === undefined || !o.fields?.has(field) || columns[field] !== undefined)) return;
    if (kind) out.push({ column, header: header || `kolom ${column + 1}`, kind, ...(field ? { field } : {}) });
  });
  return out;
}

const KIND_TEXT: Record<LookalikeField, string> = {
  tussenvoegsel: 'een tussenvoegsel',
  klas: 'een klas',
  email: 'een e-mailadres',
  naam: 'een naam',
  roepnaam: 'een roepnaam',
  achternaam: 'een achternaam',
  stamnr: 'een Stamnr',
  studie: 'een Studie',
};

/** What to do with an unused column: name its field under "columns" in the config, or leave it out. */
const overrideHint = (field: ExportField | undefined, header: string) =>
  field
    ? `Bedoel je deze kolom? Zet dan in numo-prep.config.json bij "columns" (tussen de { }) "${field}": ${JSON.stringify(header)} (of kies hem in numo-prep wizard). Anders: laat de kolom weg uit de export.`
    : 'Staat hier iets dat in Numo hoort, neem het dan op in een gebruikte kolom; anders: laat de kolom weg uit de export.';

/** Lookalike columns named one by one; beyond this many, the rest in one line (a message stays a few lines). */
const MAX_NAMED = 5;

/** Warnings for lookalike columns (header names only, never values). */
export function reportLookalikes(lookalikes: readonly Lookalike[], findings: Findings): void {
  if (lookalikes.length > MAX_NAMED) {
    const rest = lookalikes.slice(MAX_NAMED - 1);
    findings.warn(
      'unused-column',
      `Nog ${rest.length} kolommen lijken een naam, klas of e-mailadres maar worden niet gebruikt (bijv. '${rest[0]!.header}')`,
      undefined,
      overrideHint(undefined, rest[0]!.header),
    );
  }
  for (const l of lookalikes.slice(0, lookalikes.length > MAX_NAMED ? MAX_NAMED - 1 : MAX_NAMED)) {
    const field = FIELD_OF[l.kind];
    findings.warn('unused-column', `Kolom '${l.header}' lijkt ${KIND_TEXT[l.kind]} maar wordt niet gebruikt: die gegevens komen niet in Numo`, undefined, overrideHint(field, l.header));
  }
}

/** Headers of a password (on compactHeader) or a login (on headerKey); a parent's or mentor's is someone else's. */
// Whole headers: 'Wachtwoord gewijzigd op' or 'Password reset' hold no passwords.
const PASSWORD_HEADER = /^(?:leerling|start|begin|eerste|initieel|initi(?:e|\u00eb)le|nieuw)?(?:wachtwoord|password|paswoord|pwd|ww)(?:leerling|initieel|start|begin)?$/;
/** headerKey, letters and digits only: "Wachtwoord (initieel)" is wachtwoordinitieel. */
const compactHeader = (header: string) => headerKey(header).replace(/[^\p{L}\p{N}]/gu, '');
const LOGIN_HEADER = /gebruikersnaam|loginnaam|inlognaam|^login$|username|loginaccount|accountnaam/;
const LOGIN_HEADER_WHOLE = /(gebruikersnaam|loginnaam|inlognaam|login|username|loginaccount|accountnaam)$/;
/** Values of a column about a login, not of logins: yes/no, a date. */
const NOT_A_LOGIN = /^(ja|nee|true|false|waar|onwaar|yes|no|0|1|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})$/i;
/** Numbers the law guards most (BSN, onderwijsnummer) and bank accounts, on compactHeader. */
const GUARDED_NUMBER_HEADER = /bsn|burgerservice|sofinummer|sofinr|onderwijsnummer|onderwijsnr|persoonsgebondennummer|^pgn$|iban|rekeningnummer|bankrekening|rekeningnr/;

/**
 * A column whose values are never shown, not even as an example on the admin's own screen: passwords and the
 * numbers of GUARDED_NUMBER_HEADER. No Numo field comes from them.
 */
export function secretColumn(header: string): boolean {
  // Any header with a password word: hiding a date of a password change as well costs nothing.
  const key = compactHeader(header);
  return /wachtwoord|password|paswoord/.test(key) || PASSWORD_HEADER.test(key) || GUARDED_NUMBER_HEADER.test(key);
}
const SOMEONE_ELSE = /ouder|verzorger|voogd|parent|mentor|contact/;

/**
 * A column the file has for a password, or a filled one for a login, that numo-prep does not use. A password column
 * (added by hand, as Numo's manual describes) would be silently replaced by new passwords: the pipeline looks at
 * every row of it. A login column (the elo login, which SSO may need as gebruikersnaam) would be passed over.
 */
export function unusedIdentityColumns(
  headers: readonly string[],
  columns: ColumnMap<ExportField>,
  sample: readonly string[][],
  unused: ReadonlySet<string> = new Set(),
): { password?: { column: number; header: string }; login?: { column: number; header: string }; otherLogin?: { column: number; header: string } } {
  const used = new Set(Object.values(columns));
  const out: { password?: { column: number; header: string }; login?: { column: number; header: string }; otherLogin?: { column: number; header: string } } = {};
  // A login is one word, and one that is not simply the Stamnr (then the gebruikersnaam is the same either way).
  const looksLikeLogins = (column: number) => {
    const rows = sample.map((r) => [normaliseText(r[column] ?? ''), columns.stamnr === undefined ? '' : normaliseText(r[columns.stamnr] ?? '')] as const).filter(([v]) => v);
    return rows.length > 0 && rows.every(([v]) => !/\s/.test(v)) && rows.some(([v, stamnr]) => v !== stamnr);
  };
  headers.forEach((header, column) => {
    const key = headerKey(header);
    if (used.has(column) || !key || SOMEONE_ELSE.test(key)) return;
    if (PASSWORD_HEADER.test(compactHeader(header))) out.password ??= { column, header };
    // Not a column the source's layout leaves out on purpose.
    else if (unused.has(key) || !LOGIN_HEADER.test(key) || !looksLikeLogins(column)) return;
    else if (columns.login === undefined) out.login ??= { column, header };
    // Beside a login column that is read, a second one (Gebruikersnaam aaalst, Loginnaam anna: which one the elo
    // knows, only the admin knows): the pipeline compares them on every row. Only a header that ends in its login
    // word (not 'Loginaccount.Geblokkeerd', 'Gebruikersnaam gewijzigd op'), and not ja/nee or dates.
    else if (LOGIN_HEADER_WHOLE.test(key.replace(/\(.*\)$/, '')) && !sample.some((r) => NOT_A_LOGIN.test(normaliseText(r[column] ?? '')))) out.otherLogin ??= { column, header };
  });
  return out;
}

/**
 * An unused column whose header says first name (Voornamen, Voornaam), also one a source leaves out on purpose: where
 * a row's Roepnaam is empty and this is not, the name is there (convert says so per row). -1 for none.
 */
export function firstNameColumn(headers: readonly string[], columns: ColumnMap<ExportField>): number {
  const used = new Set(Object.values(columns));
  return headers.findIndex((h, i) => {
    const key = headerKey(h);
    return !used.has(i) && /^(?:roepnaam|voornaam|voornamen|firstname|givenname)$/.test(key.replace(/^(?:leerling|deelnemer|student)/, ''));
  });
}

/** For a header error: columns that look like the missing required ones, to name in the message. */
export function lookalikesFor(headers: readonly string[], missing: readonly ExportField[]): string[] {
  const out: string[] = [];
  headers.forEach((h) => {
    const kind = byHeader(h);
    const field = kind && FIELD_OF[kind];
    if (field && missing.includes(field))
      out.push(`Kolom '${h}' lijkt ${KIND_TEXT[kind]}: zet in numo-prep.config.json bij "columns" (tussen de { }) "${field}": ${JSON.stringify(h)} (of kies hem in numo-prep wizard)`);
  });
  return out.slice(0, 3);
}

/**
 * A required column that is empty in every sampled row while another column that looks like the same data has
 * values: the wrong column was picked (an empty Roepnaam next to a filled Voornamen). Returns the field, its
 * column and the other column, or undefined.
 */
export function emptyRequiredColumn(
  headers: readonly string[],
  columns: ColumnMap<ExportField>,
  required: readonly ExportField[],
  sample: readonly string[][],
): { field: ExportField; header: string; other: string; column: number; otherColumn: number } | undefined {
  if (sample.length === 0) return undefined;
  const filled = (i: number) => sample.some((r) => normaliseText(r[i] ?? '') !== '');
  const used = new Set(Object.values(columns));
  for (const field of required) {
    const i = columns[field];
    if (i === undefined || filled(i)) continue;
    const other = headers.findIndex((h, j) => {
      if (used.has(j) || !filled(j)) return false;
      const kind = byHeader(h);
      return kind !== undefined && (FIELD_OF[kind] === field || (kind === 'naam' && (field === 'roepnaam' || field === 'achternaam')));
    });
    if (other >= 0) return { field, header: headers[i]!, other: headers[other]!, column: i, otherColumn: other };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Students and staff in one file.

export interface RoleColumns {
  leerling: number[];
  docent: number[];
  /** A column whose values name the role. */
  value?: number;
  /** Its header, and whether it is one that says nothing but the role (Rol, not Type): see ROLE_HEADERS. */
  valueHeader?: string;
  valueOnly?: boolean;
}

const MARKER_KEYS = { leerling: new Set(ROLE_MARKERS.leerling.map(headerKey)), docent: new Set(ROLE_MARKERS.docent.map(headerKey)) };
const ROLE_KEYS = new Set(ROLE_HEADERS.map(headerKey));
const TYPE_KEYS = new Set(TYPE_HEADERS.map(headerKey));

/** What a role word is compared without: spaces, dots, dashes, apostrophes (O.O.P. is oop, SLB'er slber). */
const ROLE_IGNORED = /[.\s\-_:'`\u2010-\u2015\u2018\u2019\u2212]/g;
/** Between the words of a cell that names more than one (Docent/Mentor, OP, OOP). */
const ROLE_SEPARATOR = /[,;/|+&]/;

/** A role word (normalised) as compared: also without case and accents (Conciërge is concierge). */
function roleKey(word: string): string {
  const lower = word.toLowerCase();
  const plain = /^[\x00-\x7F]*$/.test(lower)
    ? lower
    : lower
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .replace(/\u0131/g, 'i');
  return plain.replace(ROLE_IGNORED, '');
}
/**
 * Words of a several-valued cell that say no role beside one that does: eduPersonAffiliation (SAML, Entree) writes
 * student,member and faculty,member,employee.
 */
const NEUTRAL_ROLE_WORDS = new Set(['member', 'affiliate', 'librarywalkin']);
const VALUE_ROLE = new Map<string, Role>([...ROLE_VALUES.leerling.map((v) => [roleKey(v), 'leerling'] as const), ...ROLE_VALUES.docent.map((v) => [roleKey(v), 'docent'] as const)]);
/** Longer than any role word, or any few of them with separators: no role (a shifted column, a note). */
const MAX_ROLE_VALUE = 120;
/**
 * The role a Rol cell says: 'leerling', 'docent', undefined when empty, null when it is no known role word. Several
 * words (Docent/Mentor, OP, OOP) say a role when each is a known word of that role; Docent/Leerling says none.
 */
export function valueRole(cell: string): Role | null | undefined {
  const value = normaliseText(cell);
  if (value === '') return undefined;
  // No role word has a digit: a Stamnr, date or e-mail address (a shifted column) is none, without folding it.
  if (value.length > MAX_ROLE_VALUE || /\d/.test(value)) return null;
  const key = roleKey(value);
  if (!ROLE_SEPARATOR.test(key)) return VALUE_ROLE.get(key) ?? null;
  const roles = new Set(
    key
      .split(ROLE_SEPARATOR)
      .filter((p) => p !== '' && !NEUTRAL_ROLE_WORDS.has(p))
      .map((p) => VALUE_ROLE.get(p) ?? null),
  );
  return roles.size === 1 ? [...roles][0]! : null;
}

/** A staff column's value that names a pupil (Functie: Leerling). Not "Student": a trainee teacher's function. */
const PUPIL = new Set(['leerling', 'leerlingen', 'pupil']);

/** The columns in this header that mark a row as a student's or a staff member's. */
export function roleColumns(headers: readonly string[], columns: ColumnMap<ExportField>): RoleColumns {
  const rc: RoleColumns = { leerling: [], docent: [] };
  let typeColumn: number | undefined;
  headers.forEach((h, i) => {
    const key = headerKey(h);
    if (MARKER_KEYS.leerling.has(key)) rc.leerling.push(i);
    else if (MARKER_KEYS.docent.has(key)) rc.docent.push(i);
    else if (ROLE_KEYS.has(key) && rc.value === undefined) rc.value = i;
    else if (TYPE_KEYS.has(key) && typeColumn === undefined) typeColumn = i;
  });
  // A Type (Soort …) column only when no column says the role by name: Type may be the kind of enrolment.
  if (rc.value !== undefined) rc.valueOnly = true;
  else if (typeColumn !== undefined) rc.value = typeColumn;
  if (rc.value !== undefined) rc.valueHeader = headers[rc.value]!;
  if (columns.studie !== undefined && !rc.leerling.includes(columns.studie)) rc.leerling.push(columns.studie);
  if (columns.code !== undefined && !rc.docent.includes(columns.code)) rc.docent.push(columns.code);
  return rc;
}

/** 'leerling', 'docent' or undefined (cannot tell) for one row. */
export function rowRole(cells: readonly string[], rc: RoleColumns): Role | undefined {
  const stated = statedRole(cells, rc);
  if (stated) return stated;
  const student = rc.leerling.some((i) => normaliseText(cells[i] ?? '') !== '');
  let staff = false;
  for (const i of rc.docent) {
    const value = normaliseText(cells[i] ?? '');
    if (!value) continue;
    // A staff column that names a pupil (Functie: Leerling, in a list the admin combined) says the role outright,
    // as a Rol column does, whatever else the row has (a Personeelsnummer filled in for everyone).
    if (PUPIL.has(value.toLowerCase())) return 'leerling';
    staff = true;
  }
  if (student && !staff) return 'leerling';
  if (staff && !student) return 'docent';
  return undefined;
}

/** The role a row's Rol (Type, Soort …) cell names outright. */
function statedRole(cells: readonly string[], rc: RoleColumns): Role | undefined {
  return rc.value === undefined ? undefined : (valueRole(cells[rc.value] ?? '') ?? undefined);
}

/** Rows named for a finding. */
const ROWS_NAMED = 5;

/**
 * Watches the rows of one file for the other role. A staff member among students (or a student among staff)
 * means the file mixes both: refused, since one rol is written for every row.
 */
export class RoleWatch {
  private readonly first: Partial<Record<Role, RowRef>> = {};
  /** The first row whose Rol cell says staff: with rol leerling, a staff list (a Numo file for teachers) read as students. */
  private statedStaff: { ref: RowRef; value: string } | undefined;
  /** Rows whose Rol cell (of a column that says nothing else) holds no known role word: converted with the run's rol. */
  private readonly unknown = { count: 0, refs: [] as RowRef[] };

  constructor(
    private readonly role: Role,
    private readonly rc: RoleColumns,
  ) {}

  get active(): boolean {
    return this.rc.value !== undefined || (this.rc.leerling.length > 0 && this.rc.docent.length > 0) || (this.role === 'docent' && (this.rc.leerling.length > 0 || this.rc.docent.length > 0));
  }

  observe(cells: readonly string[], ref: RowRef): void {
    const r = rowRole(cells, this.rc);
    if (r && !this.first[r]) this.first[r] = ref;
    if (this.rc.value === undefined) return;
    const stated = valueRole(cells[this.rc.value] ?? '');
    if (stated === 'docent' && !this.statedStaff) this.statedStaff = { ref, value: normaliseText(cells[this.rc.value] ?? '') };
    if (stated === null && this.rc.valueOnly) {
      this.unknown.count++;
      if (this.unknown.refs.length < ROWS_NAMED) this.unknown.refs.push(ref);
    }
  }

  finish(findings: Findings): void {
    const student = this.first.leerling;
    const staff = this.first.docent;
    if (student && staff) {
      findings.error(
        'mixed-roles',
        `Dit bestand bevat leerlingen (bijv. rij ${student.row}) én medewerkers (bijv. rij ${staff.row})`,
        undefined,
        'Maak twee exports, een met leerlingen en een met medewerkers, en zet ze apart om (de medewerkers als docent).',
      );
    } else if (this.role === 'docent' && student) {
      findings.error(
        'students-as-staff',
        `Rol docent gekozen, maar dit bestand bevat leerlingen (bijv. rij ${student.row})`,
        undefined,
        'Zet leerlingen om als leerling; gebruik voor docenten een personeelslijst.',
      );
    } else if (this.role === 'leerling' && this.statedStaff) {
      // Only a stated role: a staff column filled in a student list without Studie (a generic Code) is no proof.
      // The value is a known staff word (or a few), so no personal data; the column is named in case it is no role.
      findings.error(
        'staff-as-students',
        `Rol leerling, maar kolom '${clip(this.rc.valueHeader ?? '', 40)}' noemt medewerkers (bijv. rij ${this.statedStaff.ref.row}: '${clip(this.statedStaff.value, 40)}')`,
        undefined,
        'Zet medewerkers om als docent.',
      );
    }
    const { count, refs } = this.unknown;
    if (count) {
      // The values are not shown: a value that is no role word may be anything (a name in a shifted column).
      findings.warn(
        'unknown-role',
        `${count} ${count === 1 ? 'rij heeft' : 'rijen hebben'} in kolom '${clip(this.rc.valueHeader ?? '', 40)}' een rol die numo-prep niet kent (geen leerling of docent) en ${count === 1 ? 'is' : 'zijn'} toch als ${this.role} omgezet: bijv. ${refs.map((r) => `rij ${r.row}`).join(', ')}`,
        undefined,
        this.role === 'leerling'
          ? 'Staan daar medewerkers, ouders of anderen die geen leerling zijn, haal die rijen dan uit de export (medewerkers zet je apart om als docent).'
          : 'Staan daar leerlingen of anderen die geen docent-account mogen hebben, haal die rijen dan uit de export: een docent in Numo ziet de resultaten van leerlingen.',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// The gebruikersnaam of staff.

/**
 * Without --gebruikersnaam: students get their Stamnr; staff their login (Magister Loginaccount.Naam, Somtoday
 * gebruikersnaam), else their teacher code. Undefined when a staff list has neither: the admin must choose.
 */

export function defaultGebruikersnaam(role: Role, columns: ColumnMap<ExportField>): string | undefined {
  if (role === 'leerling') return STUDENT_GEBRUIKERSNAAM;
  if (columns.login !== undefined) return '{login}';
  if (columns.code !== undefined) return '{code}';
  return undefined;
}

/** Template placeholders and the column each needs (those that may legitimately be empty are absent). */
const PLACEHOLDER_FIELD: Record<string, ExportField> = {
  stamnr: 'stamnr',
  voornaam: 'roepnaam',
  roepnaam: 'roepnaam',
  achternaam: 'achternaam',
  klas: 'klas',
  email: 'email',
  login: 'login',
  code: 'code',
};

/** Placeholders of a gebruikersnaam template whose column is not in the export: every name would lack them. */
export function unfilledPlaceholders(placeholders: readonly string[], columns: ColumnMap<ExportField>): string[] {
  return placeholders.filter((p) => PLACEHOLDER_FIELD[p] !== undefined && columns[PLACEHOLDER_FIELD[p]!] === undefined);
}
