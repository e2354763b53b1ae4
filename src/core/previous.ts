import type { Findings, RowRef } from './findings.js';
import { formatNumber } from './format.js';
import type { NumoRow, Student } from './schema.js';
import { accountKey, loginKey } from './text.js';

export interface PreviousStudent {
  gebruikersnaam: string;
  klas: string;
  opleiding: string;
  wachtwoord: string;
  /** '' when last year's file has no IDGebr column or cell. */
  idgebr: string;
  /** To tell another person under the same gebruikersnaam (a Stamnr the school gave out again). */
  voornaam: string;
  achternaam: string;
  /** With the names: a second account of one person (a renumbering) is told from a namesake by the whole name. */
  tussenvoegsel: string;
}

/**
 * How a gebruikersnaam is matched with last year's: as one account (without case and accents, as Numo's database
 * compares them), and 001234 as 1234 (Excel drops the zeros when last year's CSV is opened and saved again, Magister
 * exports them or not), as the IDGebr join matches Stamnrs.
 */
export const previousKey = accountKey;

/**
 * Whether the row under last year's gebruikersnaam is someone else (a Stamnr or login given out again), by the names
 * and the leerjaar. Another first and last name is a question ('maybe'): someone who changed both is the same
 * person. With a lower leerjaar too (last year's examenklas, now a first-year) it is someone else ('sure'); one name
 * in common and a lower leerjaar (a sibling under a leaver's number) is a question again. An equal IDGebr does not
 * settle it: the IDGebr file joins by Stamnr, and last year's file would give the new pupil the leaver's IDGebr.
 */
function otherPerson(old: PreviousStudent, now: { voornaam: string; achternaam: string; klas: string }): 'no' | 'maybe' | 'sure' {
  if (!old.voornaam || !old.achternaam) return 'no';
  const first = sameName(old.voornaam, now.voornaam);
  const last = sameName(old.achternaam, now.achternaam);
  if (first && last) return 'no';
  // First and last name swapped (corrected, as after a transliteration): the same names.
  if (!first && !last && sameName(old.voornaam, now.achternaam) && sameName(old.achternaam, now.voornaam)) return 'no';
  const a = leerjaarOf(old.klas);
  const b = leerjaarOf(now.klas);
  const lower = a !== undefined && b !== undefined && b < a;
  if (!first && !last) return lower ? 'sure' : 'maybe';
  // One name in common. Without a leerjaar to tell (staff, mbo groups without a digit), another first name under the
  // same surname is a code or number passed on within a family name (BAK from Kees to Karin Bakker); a new surname
  // alone is a marriage.
  return lower || (!first && (a === undefined || b === undefined)) ? 'maybe' : 'no';
}

/**
 * Two spellings of one name (Zoe and Zoë, Janssen and JANSSEN) are the same for telling people apart, and so is
 * last year's with letters an ANSI save turned into ? (?ukasz for Łukasz): a ? there stands for any one letter.
 */
function sameName(old: string, now: string): boolean {
  if (loginKey(old) === loginKey(now)) return true;
  if (!/[?\uFFFD]/.test(old)) return false;
  // Per letter as written: İ in lower case is two code points (i and a dot), which would make the lengths differ.
  const a = [...old.normalize('NFC')];
  const b = [...now.normalize('NFC')];
  return a.length === b.length && a.every((c, i) => c === '?' || c === '\uFFFD' || loginKey(c) === loginKey(b[i]!));
}

export type YearStatus = 'nieuw' | 'vertrokken' | 'klas gewijzigd' | 'opleiding gewijzigd' | 'klas en opleiding gewijzigd' | 'andere persoon?';

export interface YearChange {
  status: YearStatus;
  gebruikersnaam: string;
  klasOud: string;
  klasNieuw: string;
  opleidingOud: string;
  opleidingNieuw: string;
}

export interface YearCounts {
  nieuw: number;
  vertrokken: number;
  klasGewijzigd: number;
  opleidingGewijzigd: number;
  ongewijzigd: number;
  /** A filter left students out: "vertrokken" then also counts those outside it. */
  filtered?: true;
}

/** Last year's file must have this many rows before "most are new" means more than a small class moving on. */
const MOST_MIN = 10;

/**
 * Accounts handed to other people, or people given a second account, are refused when this many rows and at least
 * a tenth of them show it: that is no school year (a name changed, two pupils with one name) but a renumbering, a
 * changed template or another school's file. Fewer are named row by row.
 */
const MASS_MIN = 5;
const isMass = (n: number, of: number) => n >= MASS_MIN && n * 10 >= of;

/**
 * A full name as one key, spelled as accounts are compared; `van` + `Dijk` is `van Dijk` (a source that keeps the
 * tussenvoegsel in the surname). Undefined when the first or last name is empty.
 */
const nameKey = (voornaam: string, tussenvoegsel: string, achternaam: string) =>
  voornaam && achternaam ? `${loginKey(voornaam)}\u0000${loginKey(tussenvoegsel + achternaam).replace(/\s+/g, '')}` : undefined;

/** The leerjaar a klas starts with (3 in 3H1, H3a or V3): its first digit. */
const leerjaarOf = (klas: string): number | undefined => {
  const digit = /\d/.exec(klas)?.[0];
  return digit === undefined ? undefined : Number(digit);
};

/** Could `now` be the klas a year after `then` (the same or the next leerjaar)? Unknown counts as yes. */
function nextYearOf(then: string, now: string): boolean {
  const a = leerjaarOf(then);
  const b = leerjaarOf(now);
  return a === undefined || b === undefined || b === a || b === a + 1;
}

/** The zeros before the number in a login: 2 for 001234 and ll001234, 0 for 1234. */
const leadingZeros = (login: string): number => /^\D*(0*)\d/.exec(login)?.[1]?.length ?? 0;

/**
 * Compares this year's rows with last year's Numo CSV, by gebruikersnaam (previousKey). A row whose gebruikersnaam
 * last year had another IDGebr is someone else: Numo would hand them last year's account, so that is an error.
 */
export class YearOverYear {
  private readonly seen = new Set<string>();
  /** Rows whose gebruikersnaam was in last year's file. */
  returning = 0;
  /** Of those, the ones with an IDGebr last year and none now (the IDGebr file forgotten). */
  private lostIdgebr = 0;

  /**
   * Last year with SSO, this year without (the IDGebr file forgotten, or a config from before SSO was a setting):
   * how many returning users lose the school's login, when that is many of them.
   */
  ssoLost(): number | undefined {
    return isMass(this.lostIdgebr, this.returning) ? this.lostIdgebr : undefined;
  }
  /** Of those, the ones who may be someone else (otherPerson). */
  private otherPeople = 0;
  /** Rows with a gebruikersnaam new this year, by name: last year's account under another gebruikersnaam is found in finish(). */
  private readonly newByName: { name: string; ref: RowRef; klas: string }[] = [];
  /** Rows with a new gebruikersnaam and last year's IDGebr of another one: renamed for sure (counted in finish()). */
  private readonly renamedByIdgebr: RowRef[] = [];
  /** Names of this year's students outside the selection (--klas, --studie): a namesake of last year's is not gone. */
  private readonly outsideNames = new Set<string>();
  readonly changes: YearChange[] = [];
  readonly counts: YearCounts = { nieuw: 0, vertrokken: 0, klasGewijzigd: 0, opleidingGewijzigd: 0, ongewijzigd: 0 };

  /**
   * Whether last year's file shows the form Numo has: a numeric gebruikersnaam with a leading zero, or one with text
   * before its number (ll1201), which a spreadsheet keeps as written. Only numbers without zeros settle nothing: a
   * spreadsheet may have taken the zeros out of them as out of this year's export.
   */
  readonly zerosSettled: boolean;

  /**
   * Last year's file was saved again by a spreadsheet (savedBy), and its numeric usernames have no leading zeros but differ in
   * length: the spreadsheet may have taken the zeros out, and then nothing here tells whether Numo has them.
   */
  readonly zerosUnknown: boolean;

  /** Last year's gebruikersnaam (its previousKey) per IDGebr: a new gebruikersnaam with an old IDGebr is a renamed student. */
  private readonly keyOfIdgebr = new Map<string, string>();

  constructor(
    private readonly previous: Map<string, PreviousStudent>,
    /** `filtered`: --klas or --studie left students out, who then count as gone (last year's klas is not this year's). */
    private readonly o: {
      fileName: string;
      keepPasswords: boolean;
      filtered?: boolean;
      otherRole?: { keys: ReadonlySet<string>; name: string };
      /**
       * Who saved last year's file, as far as its bytes tell: a CSV with a BOM as numo-prep writes it (or Excel's "CSV
       * UTF-8"), one without while numo-prep writes a BOM (a spreadsheet's save), or unknown (a setting without BOM).
       */
      savedBy?: 'numo-prep' | 'spreadsheet' | 'unknown';
      /** --stamnr-cijfers (or the config) says the form of the Stamnr in the usernames: the admin settled the zeros. */
      zerosChosen?: boolean;
    },
  ) {
    const lengths = new Set<number>();
    let settled = false;
    for (const [key, old] of previous) {
      if (old.idgebr) this.keyOfIdgebr.set(old.idgebr, key);
      const g = old.gebruikersnaam;
      if (/^\d+$/.test(g)) {
        if (g.length > 1 && g.charCodeAt(0) === 48) settled = true;
        if (lengths.size < 2) lengths.add(g.length);
      } else if (/^\D+\d/.test(g)) settled = true;
    }
    this.zerosSettled = settled;
    this.zerosUnknown = o.savedBy === 'spreadsheet' && !settled && lengths.size > 1;
    if (o.filtered) this.counts.filtered = true;
  }

  /** Last year's file as messages name it. */
  get fileName(): string {
    return this.o.fileName;
  }

  /**
   * Last year's password of a returning student (for --keep-passwords); none for someone else under last year's
   * gebruikersnaam (otherPerson), who must not get a password another student knows.
   */
  passwordOf(gebruikersnaam: string, now: Pick<Student, 'roepnaam' | 'achternaam' | 'klas'>): string | undefined {
    const old = this.previous.get(previousKey(gebruikersnaam));
    return old && otherPerson(old, { voornaam: now.roepnaam, achternaam: now.achternaam, klas: now.klas }) === 'no' ? old.wachtwoord || undefined : undefined;
  }

  /** A student of this year's export whom the selection left out. */
  outside(voornaam: string, tussenvoegsel: string, achternaam: string): void {
    const name = nameKey(voornaam, tussenvoegsel, achternaam);
    if (name !== undefined) this.outsideNames.add(name);
  }

  /** Every row that goes to Numo, whatever was found before it: the findings are complete, the counts used only when none is an error. */
  observe(row: NumoRow, ref: RowRef, findings: Findings): void {
    const key = previousKey(row.gebruikersnaam);
    this.seen.add(key);
    const old = this.previous.get(key);
    const change = (status: YearStatus): YearChange => ({
      status,
      gebruikersnaam: row.gebruikersnaam,
      klasOud: old?.klas ?? '',
      klasNieuw: row.klas,
      opleidingOud: old?.opleiding ?? '',
      opleidingNieuw: row.opleiding,
    });
    const file = this.o.fileName;
    if (!old) {
      // A student under a teacher's gebruikersnaam of last year ({voornaam}.{achternaam}), or the other way round:
      // Numo compares logins without case or accents, and would give this person that account.
      if (this.o.otherRole?.keys.has(key)) {
        findings.error(
          'previous-other-role',
          `Gebruikersnaam hoorde in ${file} bij een ${this.o.otherRole.name}: Numo zou ${this.o.otherRole.name === 'docent' ? 'deze leerling' : 'deze docent'} het account van die ${this.o.otherRole.name} geven`,
          ref,
          'Kies een gebruikersnaam-sjabloon die niet samenvalt met die van de andere rol (bijv. met {stamnr}), of archiveer het oude account in Numo eerst.',
        );
      }
      this.counts.nieuw++;
      this.changes.push(change('nieuw'));
      // Zoe.Janssen last year, Zoe.Jansen now (a corrected name in a name template), with one IDGebr: Numo makes a
      // second account with the same SSO key, and the first stays.
      const was = row.IDGebr ? this.keyOfIdgebr.get(row.IDGebr) : undefined;
      const name = nameKey(row.voornaam, row.tussenvoegsel, row.achternaam);
      if (name !== undefined && (was === undefined || was === key)) this.newByName.push({ name, ref, klas: row.klas });
      if (was !== undefined && was !== key) {
        this.renamedByIdgebr.push(ref);
        findings.warn(
          'previous-renamed',
          `Nieuwe gebruikersnaam, maar het IDGebr hoorde in ${file} bij een andere gebruikersnaam: dezelfde persoon onder een nieuwe naam?`,
          ref,
          'Numo maakt dan een tweede account met hetzelfde IDGebr. Archiveer het oude account in Numo vóór het importeren, of houd de gebruikersnaam van vorig jaar.',
        );
      }
      return;
    }
    this.returning++;
    if (old.idgebr && !row.IDGebr) this.lostIdgebr++;
    const otherIdgebr = Boolean(old.idgebr && row.IDGebr && old.idgebr !== row.IDGebr);
    const other = otherPerson(old, row);
    if (otherIdgebr) {
      findings.error(
        'previous-other-person',
        `Gebruikersnaam heeft in ${file} een ander IDGebr`,
        ref,
        `Iemand anders (een Stamnr of login die opnieuw is uitgegeven)? Numo zou deze persoon het account van vorig jaar geven: archiveer dat account in Numo en haal de rij uit ${file}. Dezelfde persoon? Vraag de applicatiebeheerder welk IDGebr juist is.`,
      );
    }
    // The same IDGebr as last year's under another name: from last year's IDGebr file, joined by a Stamnr given out again?
    const staleIdgebr = old.idgebr && old.idgebr === row.IDGebr ? ` Het IDGebr is dat van vorig jaar: komt het uit het IDGebr-bestand van vorig jaar, vraag dan een nieuw.` : '';
    if (other !== 'no') this.otherPeople++;
    if (other === 'sure' && !otherIdgebr) {
      findings.error(
        'previous-reissued',
        `Gebruikersnaam hoorde in ${file} bij iemand met een andere voor- en achternaam in een hoger leerjaar: een Stamnr of login die opnieuw is uitgegeven?`,
        ref,
        `Numo zou deze persoon het account (met de resultaten) van een oud-leerling geven${this.o.keepPasswords ? ', en het wachtwoord' : ''}: archiveer dat account in Numo en haal de rij uit ${file}.${staleIdgebr} Toch dezelfde persoon, met een nieuwe naam? Zet die naam dan ook in ${file} bij die rij.`,
      );
    } else if (other === 'maybe') {
      const what =
        !sameName(old.voornaam, row.voornaam) && !sameName(old.achternaam, row.achternaam)
          ? 'voor- en achternaam'
          : leerjaarOf(old.klas) !== undefined && leerjaarOf(row.klas) !== undefined
            ? 'naam in een hoger leerjaar'
            : 'voornaam';
      const message = `Gebruikersnaam hoorde in ${file} bij iemand met een andere ${what}: een ander?${this.o.keepPasswords ? ' Die krijgt een nieuw wachtwoord, niet dat van vorig jaar.' : ''}`;
      findings.warn(
        'previous-other-name',
        message,
        ref,
        `Iemand anders (een Stamnr of login die opnieuw is uitgegeven)? Archiveer het oude account in Numo vóór het importeren.${staleIdgebr} Dezelfde persoon met een nieuwe naam? Dan is er niets aan de hand${this.o.keepPasswords ? ', behalve dat het wachtwoord nieuw is' : ''}.`,
      );
    }
    const zeros = loginKey(old.gebruikersnaam) !== loginKey(row.gebruikersnaam);
    // A spreadsheet that took the zeros from last year's login (002709 now, 2709 there) took them from a password
    // of digits too: kept, it would silently change the password Numo has at bijwerken. (Zeros missing this year
    // are this export's, and last year's file is as numo-prep wrote it.)
    const lostThere = zeros && leadingZeros(row.gebruikersnaam) > leadingZeros(old.gebruikersnaam);
    if (lostThere && this.o.savedBy === 'numo-prep' && !this.o.zerosChosen) {
      // Zeros new in this export, and last year's file has the BOM numo-prep writes (a spreadsheet's plain save has
      // none): most likely Numo has the login without them.
      findings.error(
        'previous-zeros-new',
        `Gebruikersnaam heeft hier voorloopnullen, in ${file} niet (een CSV zoals numo-prep hem schrijft): Numo zou een tweede account maken`,
        ref,
        'Exporteer opnieuw zonder voorloopnullen (Magister vraagt ernaar bij het exporteren). Had Numo ze wel (Excel haalde ze uit dat bestand), zet de Stamnrs dan op dat aantal cijfers.',
      );
    } else if (lostThere && this.o.keepPasswords && /^\d+$/.test(old.wachtwoord)) {
      findings.error(
        'previous-password-zeros',
        `Wachtwoord in ${file} is alleen cijfers, en de gebruikersnaam verloor daar zijn voorloopnullen: het wachtwoord kan ze ook kwijt zijn`,
        ref,
        `Gebruik het bestand van vorig jaar zoals numo-prep het schreef (niet in Excel opgeslagen), of neem de wachtwoorden niet over: dan krijgt iedereen een nieuw.`,
      );
    } else if (zeros && leadingZeros(old.gebruikersnaam) > leadingZeros(row.gebruikersnaam)) {
      // Last year's login had the zeros (as numo-prep wrote it), this export's has not: Numo would make a new account.
      findings.error(
        'previous-zeros-here',
        `Gebruikersnaam heeft hier geen voorloopnullen, in ${file} wel: Numo zou een tweede account maken`,
        ref,
        'Exporteer opnieuw met voorloopnullen (Magister vraagt ernaar bij het exporteren), of vul de Stamnrs aan tot het aantal cijfers van vorig jaar.',
      );
    } else if (zeros) {
      findings.warn(
        'previous-zeros',
        `Gebruikersnaam staat in ${file} zonder of met andere voorloopnullen`,
        ref,
        'Haalde een spreadsheet (Excel, LibreOffice) de nullen uit dat bestand, dan is er niets aan de hand. Anders maakt Numo een nieuw account: kies het aantal cijfers van vorig jaar.',
      );
    }
    if (this.o.keepPasswords && !old.wachtwoord) {
      findings.warn(
        'previous-no-password',
        `Geen wachtwoord in ${file}: deze persoon krijgt een nieuw wachtwoord`,
        ref,
        'Geef het nieuwe wachtwoord door, of zet het oude in het bestand van vorig jaar.',
      );
    }
    const klas = old.klas.toLowerCase() !== row.klas.toLowerCase();
    const opl = old.opleiding.toLowerCase() !== row.opleiding.toLowerCase();
    if (klas) this.counts.klasGewijzigd++;
    if (opl) this.counts.opleidingGewijzigd++;
    if (!klas && !opl) this.counts.ongewijzigd++;
    // The report is where accounts are archived from: someone else under last year's account is named there too.
    if (otherIdgebr || other !== 'no') this.changes.push(change('andere persoon?'));
    else if (klas || opl) this.changes.push(change(klas && opl ? 'klas en opleiding gewijzigd' : klas ? 'klas gewijzigd' : 'opleiding gewijzigd'));
  }

  /**
   * Call once all rows are observed: who is gone (candidates for archiveren in Numo). Most of last year gone and
   * most of this year new is no school year: the usernames are made otherwise (another template or source, a
   * Stamnr with or without zeros), and Numo would give everyone a second account.
   */
  finish(findings: Findings): void {
    for (const [key, old] of this.previous) {
      if (this.seen.has(key)) continue;
      this.counts.vertrokken++;
      this.changes.push({ status: 'vertrokken', gebruikersnaam: old.gebruikersnaam, klasOud: old.klas, klasNieuw: '', opleidingOud: old.opleiding, opleidingNieuw: '' });
    }
    const { nieuw, vertrokken } = this.counts;
    const file = this.o.fileName;
    if (isMass(this.otherPeople, this.returning)) {
      findings.error(
        'previous-other-people',
        `${formatNumber(this.otherPeople)} van de ${formatNumber(this.returning)} gebruikersnamen uit ${file} horen nu bij iemand met een andere voor- en achternaam: zijn de nummers opnieuw uitgedeeld, of is ${file} van een andere school?`,
        undefined,
        `Numo zou hun het account (met de resultaten) van een ander geven. Is ${file} niet het bestand van vorig jaar van deze school, geef dan het juiste. Zijn de nummers opnieuw uitgedeeld, archiveer dan eerst de oude accounts in Numo, of kies een gebruikersnaam die niet botst (zoals ll{stamnr}).`,
      );
    }
    // Last year's account under another gebruikersnaam: the same first and last name among those gone (or outside
    // this run's selection). A renumbering, another template or source: Numo would give them a second account and
    // the report would send their first one to the archive.
    // Last year's klas by name, of those not seen: a namesake two or more leerjaren apart (a first-year and last
    // year's examenklas) is someone else.
    const goneNames = new Map<string, string[]>();
    for (const [key, old] of this.previous) {
      const name = this.seen.has(key) ? undefined : nameKey(old.voornaam, old.tussenvoegsel, old.achternaam);
      if (name === undefined || this.outsideNames.has(name)) continue;
      const klassen = goneNames.get(name);
      if (klassen) klassen.push(old.klas);
      else goneNames.set(name, [old.klas]);
    }
    const renamed = this.newByName.filter((r) => goneNames.get(r.name)?.some((klas) => nextYearOf(klas, r.klas))).map((r) => r.ref);
    // With SSO the IDGebr tells for sure (each such row was named above): they count towards "many" too.
    const many = isMass(renamed.length + this.renamedByIdgebr.length, nieuw + this.returning);
    for (const ref of many ? [...this.renamedByIdgebr, ...renamed].sort((a, b) => a.row - b.row) : renamed) {
      if (many) {
        findings.error(
          'previous-renamed-many',
          `Nieuwe gebruikersnaam voor iemand die in ${file} onder een andere gebruikersnaam staat (zelfde naam): de gebruikersnamen zijn anders gemaakt dan vorig jaar`,
          ref,
          'Numo zou hun een tweede account geven, en het oude staat bij de vertrokken. Maak de gebruikersnaam zoals vorig jaar (zelfde bron, sjabloon, nummers en voorloopnullen: de instellingen van vorig jaar). Bewust veranderd? Archiveer dan eerst de oude accounts in Numo en draai zonder het bestand van vorig jaar.',
        );
      } else {
        findings.warn(
          'previous-same-name',
          `Nieuwe gebruikersnaam, maar in ${file} staat iemand met dezelfde naam onder een andere: dezelfde persoon?`,
          ref,
          'Dezelfde persoon? Numo zou een tweede account maken: houd de gebruikersnaam van vorig jaar, of archiveer het oude account. Twee mensen met één naam? Dan is er niets aan de hand.',
        );
      }
    }
    if (!many && this.previous.size >= MOST_MIN && !this.o.filtered && vertrokken * 2 > this.previous.size && nieuw * 2 > nieuw + this.returning) {
      findings.warn(
        'previous-most-new',
        `${formatNumber(nieuw)} van de ${formatNumber(nieuw + this.returning)} gebruikersnamen zijn nieuw en ${formatNumber(vertrokken)} van de ${formatNumber(this.previous.size)} uit ${file} ontbreken: zijn de gebruikersnamen anders gemaakt dan vorig jaar?`,
        undefined,
        'Numo zou dan iedereen een tweede account geven. Maak de gebruikersnaam zoals vorig jaar (zelfde bron, sjabloon en voorloopnullen), of archiveer eerst de oude accounts in Numo.',
      );
    }
  }
}
