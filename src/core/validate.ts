import { firstUnencodable } from './cp1252.js';
import { isTussenvoegsel, LONGEST_TUSSENVOEGSEL } from './detect.js';
import type { Findings, RowRef } from './findings.js';
import { KeyTable } from './int-table.js';
import { LIMITS } from './limits.js';
import { NUMO_HEADERS, type NumoRow, type OutputEncoding } from './schema.js';
import { EXCEL_ERROR, GREEK_CYRILLIC, isChangedNumber, isExcelErrorText, isFormulaZero, looksLikeDate, looksLikePersonName } from './shape.js';
import { codeShapeProblem } from './suggest.js';
import { accountKey, CAPITALS_DASH, clip, compactKey, DOUBLE_ENCODED, loginKey, normaliseText, stamnrKey } from './text.js';

// Plausible, not RFC 5322: one @, no spaces or list separators, a dot in the domain.
const EMAIL = /^[^\s@;,<>"]+@[^\s@;,<>"]+\.[^\s@;,<>".]{2,}$/;
// OWASP CSV injection: these make Excel start a formula (or DDE) when the admin opens the CSV; the full-width
// forms because some spreadsheet programs normalise them to the ASCII ones.
const FORMULA_STARTS = new Set(Array.from('=+-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20', (c) => c.charCodeAt(0)));

/** The value starts like a formula (see above); by its first character, for every value of every row. */
export function startsLikeFormula(value: string): boolean {
  return value.length > 0 && FORMULA_STARTS.has(value.charCodeAt(0));
}

// Dots no mail server takes: two in a row, or at either end of the part before or after the @.
const BAD_DOTS = /\.\.|^\.|\.@|@\./;

function isPlausibleEmail(value: string): boolean {
  return EMAIL.test(value) && !BAD_DOTS.test(value);
}

// Windows-1252 ("ANSI") cannot hold ş, ğ, ı, ł …: Excel writes '?' instead, and a failed decode leaves U+FFFD.
// Neither is ever part of a real name, so either means letters were lost before numo-prep saw the file.
// Half a letter (a lone UTF-16 surrogate, from _xD83D_ or a cut string) or a noncharacter is the same loss: the
// output would hold U+FFFD where the name had a letter.
const LOST_LETTER = /[?\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// For a name or Klas 0 (isFormulaZero in shape.ts).
const ZERO_HINT = 'Vul de cel in de export in, of maak hem echt leeg (Delete).';

/** A student's Stamnr 0: no student has it; the row's Stamnr is missing (a lookup formula's empty cell). */
export function stamnrZero(findings: Findings, ref: RowRef): void {
  findings.error('stamnr-zero', "Stamnr is 0: wat een formule geeft voor een lege cel (Excel laat zo'n 0 soms niet zien)", ref, 'Vul het Stamnr in de export in.');
}

// A database's or script's empty value written as text: Numo would show "Jan NULL" or "Jan n.v.t. Jansen". Case
// as written there (Null and Nan are names).
const PLACEHOLDER = /^(NULL|null|\(null\)|undefined|None|NaN|nan|NaT|<NA>|[Nn]\/[Aa]|[Nn]\.?[Vv]\.?[Tt]\.?)$/;
// A Latin letter beside a Greek or Cyrillic one in one value: a look-alike (a Cyrillic а in Jаnsen) that makes a
// login nobody can type and a second account that looks the same; in an address, mail that never arrives.
const LATIN = /[A-Za-z]/;
/** A word of only Greek and Cyrillic letters that look Latin (а е о р с у х …): one that reads as a Latin word. */
const LATIN_LOOKALIKES =
  /^[\u0430\u0435\u043E\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04BB\u051B\u051D\u0410\u0412\u0415\u041A\u041C\u041D\u041E\u0420\u0421\u0422\u0425\u0406\u0408\u0405\u0391\u0392\u0395\u0396\u0397\u0399\u039A\u039C\u039D\u039F\u03A1\u03A4\u03A5\u03A7\u03BF\u03B9\u03BA\u03BD\u03C1\u03C4\u03C5\u03C7]+$/;
// In an address: anything but ASCII and Latin letters (é in an international address) looks like something else
// or is nothing: another alphabet's о, other hyphens and minus signs (‑ − ﹣ for -), fullwidth and mathematical
// letters, specials and private-use characters.
const EMAIL_LOOK_ALIKE = /[^\x00-\x7F\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]/;
// Symbols in no name, where another code page read as Windows-1252 or ISO-8859-1 puts a letter: ISO-8859-15's
// Š š ž Œ œ Ÿ (¦ ¨ ¸ ¼ ½ ¾; its Ž is ´, which is typed as an apostrophe too), Windows-1250's Ł ł ą (£ ³ ¹), Mac
// Roman's ß æ à á (§ ¾ † ‡), cp850's ó ú ñ (¢ £ ¤). Miloš came out as Milo¨. Names only: a note has ½ and m³.
const NAME_SYMBOL = /[\u00A2-\u00A8\u00AC\u00B1-\u00B3\u00B6\u00B8\u00B9\u00BC-\u00BE\u2020\u2021]/;
// ; and ` are in no name: a ; splits a CSV row, and NFC makes them of a Greek question mark or varia.
const NAME_PUNCTUATION = /[;`]/;
// A " in a name or klas is a CSV quote read as text: a space between the delimiter and the quote keeps the quotes.
const QUOTE = /"/;
// A name that is only a number, a date or a time (digits and no letter) is another column's value (shifted columns,
// a Geboortedatum pasted over a name) or a formula's placeholder, never a name.
// Tested as "a digit" and "no letter": one pattern for both backtracks, quadratic in the length of the value.
const ASCII_LETTER = /[A-Za-z]/;
let unicodeLetter: RegExp | undefined;
/** A letter of any script; not a dash, an ellipsis or a no-break space. */
function hasLetter(value: string): boolean {
  // Made at first use, not at load: a Unicode class costs ~2 ms to compile, and most names have an ASCII letter.
  return ASCII_LETTER.test(value) || (unicodeLetter ??= /\p{L}/u).test(value);
}
// Magister's IDGebr is a whole number from its database; 3,0003E+04 or 30004.0 is one that Excel changed, and so is
// 030000 (a number format with leading zeros): Numo would not match it, and 030000 and 30000 would be one student.
const IDGEBR = /^[1-9]\d*$/;
// A digit beside letters (2H1, Jansen2) is no name either: a Klas in the name column (columns swapped) or a number
// typed into the name. Only a warning: the file is still one Numo takes, and the admin decides.
const DIGIT = /\d/;
// How Excel shows a number in scientific notation (1,00E+01), as a CSV it saved holds it: a Klas like 1E1 that Excel
// took for a number. A Klas typed as 1E1 itself does not match (no decimals, no sign).
const EXCEL_SCIENTIFIC = /^\d[.,]\d+E[+-]\d+$/i;
// A time of day as a workbook cell reads (04:01:00) or Excel writes it in a CSV (4:01, 4:01:00 PM).
const CLOCK_TIME = /^\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?$/;
const NAME_COLUMNS = ['voornaam', 'tussenvoegsel', 'achternaam'] as const;
// What is left of 't and 's when Excel dropped the apostrophe: alone as the tussenvoegsel, or before the surname
// (t Hart, s-Gravesande, s Jacob). No Dutch surname starts so.
const EATEN_APOSTROPHE_ALONE = /^[stST]$/;
const EATEN_APOSTROPHE = /^[st][ -]/;
/** Distinct Klas values remembered per run (whether each looks like a date); a school has a few hundred. */
const CACHED_KLAS_VALUES = 4096;
/**
 * In a login the error may be part of the value: a template (ll{login}) around a cell that had one. Not so in a
 * password: a template like Welkom#NL{random4} would then be refused for some rows and not for others.
 */
const EXCEL_ERROR_INSIDE = new RegExp(`(?:${EXCEL_ERROR})(?![A-Za-z])`);
/** Columns whose own check already refuses such a value (not a code, an address, a number, a rol). */
const SHAPE_CHECKED = new Set(['opleiding', 'e-mail', 'IDGebr', 'rol']);

function isExcelError(column: string, value: string): boolean {
  if (SHAPE_CHECKED.has(column)) return false;
  if (column === 'gebruikersnaam') return (value.includes('#') || value.includes(':')) && EXCEL_ERROR_INSIDE.test(value);
  return isExcelErrorText(value);
}

/**
 * Starts as a tussenvoegsel does in an export (lower case, or an apostrophe: 't), or has a space (Van der): a
 * capitalised one-word surname (most short ones) is no tussenvoegsel worth a lookup. Only Van, De … alone are missed.
 */
function mayBeTussenvoegsel(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c >= 97 && c <= 122) || c === 39 || c === 0x2018 || c === 0x2019 || c === 96 || text.includes(' ');
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Any character LOST_LETTER, QUOTE, DIGIT, DOUBLE_ENCODED, GREEK_CYRILLIC, NAME_SYMBOL or NAME_PUNCTUATION starts with. */
const NAME_SUSPECT = /[?\uFFFD\uFFFE\uFFFF\uD800-\uDFFF"\u00C2-\u00C5\u00E2\d\u0370-\u04FF;`\u00A2-\u00A8\u00AC\u00B1-\u00B3\u00B6\u00B8\u00B9\u00BC-\u00BE\u2020\u2021]/;

export interface ValidatorOptions {
  /**
   * Who made the rows. convert writes what it validates and neutralises a formula start with a '; `check` reads a
   * file that goes to Numo (and into Excel) as it is, so there such a cell is an error, and so is a login that a
   * spreadsheet changed (100001.0: convert names the changed Stamnr it would come from instead).
   */
  rows: 'convert' | 'check';
  /**
   * Opleidingscodes no mapping or list vouches for (a file already renamed to Numo's headers; `check` without a
   * list) are checked for their shape (codeShapeProblem): an Excel error (#N/B) or an e-mail address is no code.
   */
  codeShape?: boolean;
  /** The opleidingscodes come from the file itself (check, an export with Numo's headers), not from a mapping. */
  codesFromFile?: boolean;
  /** About how many rows will be checked (the IDGebr file's, when there is one): the tables start that large. */
  expectedRows?: number;
}

/** An Excel error saved as text (#N/B) where a value belongs. */
export function excelErrorText(findings: Findings, column: string, ref: RowRef): void {
  findings.error(
    'excel-error-text',
    `Excel-foutwaarde (zoals #N/B) in kolom ${column}: een formule zonder uitkomst, als tekst opgeslagen`,
    ref,
    'Herstel de formule in Excel of vul de waarde in, en sla opnieuw op.',
  );
}

/** A password Numo takes as it is, with a character the admin may not see (convert keeps last year's as it was). */
export function passwordHiddenChars(findings: Findings, ref: RowRef): void {
  findings.warn(
    'password-hidden-chars',
    'Wachtwoord heeft een spatie aan het begin of eind, een dubbele spatie of een onzichtbaar teken',
    ref,
    'Zo komt het in Numo; is dat niet de bedoeling, typ het wachtwoord dan opnieuw.',
  );
}

/** A Klas Excel turned into a number in scientific notation: as text in a CSV (1,00E+01), or a cell of an .xlsx. */
export function klasScientific(findings: Findings, ref: RowRef): void {
  findings.warn(
    'klas-scientific',
    'Klas lijkt een getal als 1,00E+01: Excel heeft de klas (zoals 1E1) in een getal veranderd',
    ref,
    "Zet de export direct om, zonder hem eerst in Excel te openen en op te slaan; of typ de klas in Excel opnieuw met een ' ervoor ('1E1).",
  );
}

/**
 * A Klas or Studie that is a fraction in a cell of an .xlsx (1.1): typed as 1.10, it lost its 0, and 1.1 and 1.10
 * are one (for a Studie: one opleidingscode for both).
 */
export function decimalCell(findings: Findings, ref: RowRef, field: 'klas' | 'studie'): void {
  const [label, example, plural] = field === 'klas' ? ['Klas', 'klas', 'klassen'] : ['Studie', 'Studie', 'Studies'];
  findings.warn(
    `${field}-decimal`,
    `${label} is in het werkblad een kommagetal (zoals 1.1): een ${example} als 1.10 is dan 1.1 geworden`,
    ref,
    `Controleer de ${plural}. Zet in Excel de kolom ${label} op Tekst en typ ze opnieuw, of exporteer opnieuw uit de leerlingadministratie.`,
  );
}

/**
 * WAAR or ONWAAR as a spreadsheet writes a formula's true or false (=ALS(H2<>"";H2) without its else part gives
 * ONWAAR for an empty H2), in a cell of an .xlsx or as text in a CSV: no tussenvoegsel or klas is one.
 */
const BOOLEAN_TEXT = /^(?:WAAR|ONWAAR|TRUE|FALSE)$/;

/** Also for a first name or surname from a WAAR/ONWAAR cell of an .xlsx (core/normalise.ts). */
export function booleanCell(f: Findings, column: string, ref: RowRef): void {
  f.error('boolean-cell', `WAAR of ONWAAR in kolom ${column}: de uitkomst van een formule, geen gegevens`, ref, 'Herstel de formule in Excel (zoals =ALS(H2<>"";H2;"")) of vul de waarde in.');
}

/** Rows in a row with one address before it is said: three siblings with a parent's address are no fill-down. */
const EMAIL_RUN_MIN = 5;

/**
 * One e-mail address on many students in a row: Excel's fill-down (a drag of the cell's corner), a formula to one cell,
 * or the school's address typed for all. Each would get the other's mail. Kept as the longest run (constant memory):
 * a fill-down is consecutive by nature. Staff may share one (administratie@), students each have their own.
 */
export class EmailRuns {
  private email = '';
  private from = 0;
  private to = 0;
  private longest?: { from: number; to: number; rows: number };
  private runs = 0;
  private rows = 0;

  observe(email: string, row: number): void {
    const key = email.toLowerCase();
    // Rows in between (left out by --klas, or of staff) end a run: it is about cells next to each other.
    if (key && key === this.email && row === this.to + 1) {
      this.to = row;
      this.rows++;
      return;
    }
    this.close();
    this.email = key;
    this.from = row;
    this.to = row;
    this.rows = key ? 1 : 0;
  }

  private close(): void {
    if (this.rows < EMAIL_RUN_MIN) return;
    this.runs++;
    if (!this.longest || this.rows > this.longest.rows) this.longest = { from: this.from, to: this.to, rows: this.rows };
  }

  finish(f: Findings): void {
    this.close();
    this.rows = 0;
    const l = this.longest;
    if (!l) return;
    f.warn(
      'email-repeated',
      `Hetzelfde e-mailadres bij ${l.rows} leerlingen achter elkaar (rij ${l.from}–${l.to})${this.runs > 1 ? `, en zo nog ${this.runs - 1} ${this.runs === 2 ? 'reeks' : 'reeksen'}` : ''}: in Excel doorgetrokken, of het adres van de school?`,
      undefined,
      'Ieder krijgt dan de mail van de anderen. Zet bij elke leerling het eigen adres, of laat de kolom leeg.',
    );
  }
}

/** Checks Numo would reject, or that would harm the admin; cross-row state lives in the instance. */
export class RowValidator {
  /** Gebruikersnaam (a Stamnr's number, or loginKey) -> the row it was first in. */
  private readonly usernames: KeyTable;
  /** IDGebr (compactKey) -> the row it was first in. */
  private readonly idgebrs: KeyTable;
  /** Whether a Klas looks like a date, per value: a school has a few hundred (bounded for a column of names). */
  private readonly klasIsDate = new Map<string, boolean>();
  /** codeShapeProblem per opleiding ('' for none), with codeShape. */
  private readonly codeProblems = new Map<string, string>();

  constructor(
    private readonly findings: Findings,
    private readonly encoding: OutputEncoding,
    /** lower case → as Numo's list spells it */
    private readonly knownCodes?: ReadonlyMap<string, string>,
    private readonly o: ValidatorOptions = { rows: 'convert' },
  ) {
    this.usernames = new KeyTable(o.expectedRows);
    this.idgebrs = new KeyTable(o.expectedRows);
  }

  private isDate(klas: string): boolean {
    let isDate = this.klasIsDate.get(klas);
    if (isDate === undefined) {
      isDate = looksLikeDate(klas);
      if (this.klasIsDate.size < CACHED_KLAS_VALUES) this.klasIsDate.set(klas, isDate);
    }
    return isDate;
  }

  private quote(column: string, ref: RowRef): void {
    this.findings.error(
      'name-quote',
      `Aanhalingsteken in kolom ${column}: een " hoort niet in een naam of klas`,
      ref,
      'Verbeter de cel in de export. In een CSV komt het door een spatie tussen ; en ": haal die weg, of exporteer als Excel-werkmap (.xlsx).',
    );
  }

  private notAName(column: string, value: string, ref: RowRef): void {
    if (isFormulaZero(value)) {
      this.findings.error('name-zero', `Kolom ${column} is 0: wat een formule geeft voor een lege cel (Excel laat zo'n 0 soms niet zien)`, ref, ZERO_HINT);
      return;
    }
    this.findings.error(
      'name-number',
      `Kolom ${column} is een getal of datum, geen naam (verschoven kolommen, of een formule?)`,
      ref,
      'Verbeter de cel in de export; staat er een formule, open het bestand dan in Excel en sla het op.',
    );
  }

  /** `stamnrTwice`: the row's Stamnr was said to be twice in the file; its gebruikersnaam twice is that, not said again. */
  check(row: NumoRow, ref: RowRef, stamnrTwice = false): void {
    const f = this.findings;
    if (!row.gebruikersnaam) {
      f.error('missing-gebruikersnaam', 'Lege gebruikersnaam (de sjabloon gaf niets)', ref, 'Kies een gebruikersnaam-sjabloon met een veld dat elke rij heeft, zoals {stamnr}.');
    } else if (row.gebruikersnaam.charCodeAt(0) === 48 && isFormulaZero(row.gebruikersnaam)) {
      // What a lookup formula gives for an empty cell, pasted as values: no one's login. A student's Stamnr 0 made
      // into the username is said once, as the Stamnr (stamnrZero).
      if (!(this.o.rows === 'convert' && row.rol === 'leerling' && ref.stamnr === row.gebruikersnaam))
        f.error('gebruikersnaam-zero', 'Gebruikersnaam is 0: wat een formule geeft voor een lege cel', ref, 'Zet de gebruikersnaam zelf in de cel, of maak het bestand opnieuw met numo-prep convert.');
    } else if (row.gebruikersnaam.length <= LIMITS.fieldChars) {
      // (A longer one is refused for its length below; its key would cost time in proportion to it.)
      // A Stamnr (most logins) is its own key: no case, no accents. In check, 001201 and 1201 are one Stamnr (as
      // convert's Stamnr check compares them, which said it already there), so two accounts for one student.
      const number = compactKey(this.o.rows === 'check' && row.gebruikersnaam.charCodeAt(0) === 48 ? stamnrKey(row.gebruikersnaam) : row.gebruikersnaam);
      // And ll001201 and ll1201 too: a merged or hand-made file (as --previous compares them, accountKey).
      const first = this.usernames.add(typeof number === 'number' ? number : compactKey(this.o.rows === 'check' ? accountKey(number) : loginKey(number)), ref.row);
      if (first >= 0 && !stamnrTwice) {
        f.error(
          'duplicate-gebruikersnaam',
          this.o.rows === 'check'
            ? 'Gebruikersnaam komt dubbel voor (hoofdletters, accenten en voorloopnullen tellen niet mee)'
            : 'Gebruikersnaam komt dubbel voor (hoofdletters en accenten tellen niet mee)',
          { ...ref, first },
          'Verwijder de dubbele rij in de export, of maak de gebruikersnaam uniek met een andere sjabloon.',
        );
      }
    }
    // 100001.0 or 1,23457E+11: a file opened in Excel or pandas and saved again; Numo takes it as the login. In
    // convert, a student's login that is the Stamnr was named already (stamnr-changed); one from another column
    // ({login}, {code}) or a teacher's was not.
    if (isChangedNumber(row.gebruikersnaam) && !(this.o.rows === 'convert' && row.rol === 'leerling' && ref.stamnr === row.gebruikersnaam)) {
      f.error(
        'gebruikersnaam-changed',
        'Gebruikersnaam is een getal dat Excel of een script veranderde (zoals 100001.0 of 1,23457E+11)',
        ref,
        this.o.rows === 'check'
          ? 'Maak het bestand opnieuw met numo-prep convert en open het niet eerst in Excel (of zet daar de kolom op Tekst).'
          : 'Exporteer opnieuw en open het bestand niet eerst in Excel (of zet daar de kolom op Tekst).',
      );
    }
    // Excel's text sign typed in front ('001201, 'zoe@school.nl): Numo takes it as part of the login or address. Not
    // a login made from a name ('tHart, from a tussenvoegsel).
    for (const [column, bad] of [
      ['gebruikersnaam', /^'\d/.test(row.gebruikersnaam)],
      ['e-mail', row['e-mail'].charCodeAt(0) === 39],
    ] as const) {
      if (bad) {
        f.error(
          'leading-apostrophe',
          `Waarde in kolom ${column} begint met ': Numo neemt dat teken over, en dan klopt ${column === 'e-mail' ? 'het adres' : 'de login'} niet`,
          ref,
          "Haal de ' weg: in een CSV is het geen teken voor tekst, zoals in Excel.",
        );
      }
    }
    // A login with a ? where a letter was (?.yilmaz, an ANSI save): it matches no account the school has elsewhere.
    if (LOST_LETTER.test(row.gebruikersnaam)) {
      f.error(
        'gebruikersnaam-lost-letter',
        'Vraagteken in de gebruikersnaam: een letter is verloren gegaan (export als ANSI/Windows-1252 opgeslagen?)',
        ref,
        'Exporteer opnieuw als Excel-werkmap (.xlsx) of als CSV UTF-8: dan blijft elke letter heel.',
      );
    }
    // prins.a and prins.а (a Cyrillic а): two logins, two accounts, that look the same. Per word: ll1001.Шевченко is
    // a prefix and a name, each in one script.
    if (GREEK_CYRILLIC.test(row.gebruikersnaam) && row.gebruikersnaam.split(/[^\p{L}]+/u).some((w) => GREEK_CYRILLIC.test(w) && (LATIN.test(w) || LATIN_LOOKALIKES.test(w)))) {
      f.warn(
        'gebruikersnaam-mixed-script',
        'Latijnse en Griekse of Cyrillische letters door elkaar in de gebruikersnaam: een letter die er hetzelfde uitziet, maakt een andere login',
        ref,
        'Typ de gebruikersnaam (of de naam waar hij uit komt) opnieuw.',
      );
    }
    if (/\s/.test(row.gebruikersnaam)) {
      f.error(
        'gebruikersnaam-space',
        'Spatie in de gebruikersnaam: een login heeft geen spaties',
        ref,
        'Kies een gebruikersnaam zonder naamdelen met een spatie (zoals {stamnr}), of haal de spatie weg.',
      );
    }
    if (!row.achternaam) f.error('missing-achternaam', 'Geen achternaam', ref, 'Vul de achternaam in de export in, of verwijder de rij.');
    if (!row.voornaam) f.warn('missing-voornaam', 'Geen roepnaam', ref, 'Vul de roepnaam in de administratie in: zonder roepnaam heeft het account in Numo geen voornaam.');
    if (row.klas && this.isDate(row.klas)) {
      f.warn(
        'klas-date',
        'Klas lijkt een datum: Excel heeft de klas (zoals 1-2) in een datum veranderd',
        ref,
        "Zet de export direct om, zonder hem eerst in Excel te openen en op te slaan; of typ de klas in Excel opnieuw met een ' ervoor ('1-2).",
      );
    } else if (CLOCK_TIME.test(row.klas)) {
      // 4:1 typed, a time in Excel (a workbook cell reads 04:01:00, a CSV Excel saved holds 4:01): the Klas is gone.
      f.warn(
        'klas-time',
        'Klas lijkt een tijd: Excel heeft de klas (zoals 4:1) in een tijd veranderd',
        ref,
        "Zet de export direct om, zonder hem eerst in Excel te openen en op te slaan; of typ de klas in Excel opnieuw met een ' ervoor ('4:1).",
      );
    }
    if (EXCEL_SCIENTIFIC.test(row.klas)) klasScientific(f, ref);
    if (LOST_LETTER.test(row.klas)) {
      f.error('klas-lost-letter', 'Vraagteken in de klas: een teken is verloren gegaan of de klas is onbekend', ref, 'Vul de klas in de administratie in en exporteer opnieuw.');
    } else if (PLACEHOLDER.test(row.klas)) {
      f.warn('klas-placeholder', `Klas is ${row.klas}: een lege waarde uit een database of script`, ref, 'Vul de klas in de administratie in, of laat de cel leeg.');
    } else if (isFormulaZero(row.klas)) {
      // Numo would make a class 0 and put the student in it.
      f.warn('klas-zero', "Klas is 0: wat een formule geeft voor een lege cel (Excel laat zo'n 0 soms niet zien)", ref, ZERO_HINT);
    }
    if (BOOLEAN_TEXT.test(row.klas)) booleanCell(f, 'klas', ref);
    for (const column of NAME_COLUMNS) {
      // One test per name for the characters the checks below look for: most names have none of them.
      const value = row[column];
      // A first name or surname TRUE (in capitals) exists: only a WAAR/ONWAAR cell of an .xlsx is refused there.
      if (column === 'tussenvoegsel' && BOOLEAN_TEXT.test(value)) booleanCell(f, column, ref);
      if (!NAME_SUSPECT.test(value)) {
        if (PLACEHOLDER.test(value)) {
          f.error('name-placeholder', `Kolom ${column} is ${value}: een lege waarde uit een database of script, geen naam`, ref, 'Vul de naam in de export in, of laat de cel leeg als er geen is.');
          continue;
        }
        // Only punctuation (. or -, no letter, no digit): a placeholder or a remnant, no name.
        if (value && !hasLetter(value)) {
          if (column === 'achternaam') f.error('name-no-letter', 'Achternaam heeft geen letters (zoals . of -)', ref, 'Vul de achternaam in de export in.');
          else f.warn('name-no-letter', `Kolom ${column} heeft geen letters (zoals . of -): zo komt het in Numo`, ref, 'Vul de naam in de export in, of laat de cel leeg als er geen is.');
        }
        continue;
      }
      if (isExcelError(column, value)) continue;
      if (LOST_LETTER.test(value)) {
        f.error(
          'lost-letter',
          `Vraagteken in kolom ${column}: een letter is verloren gegaan (export als ANSI/Windows-1252 opgeslagen?)`,
          ref,
          'Exporteer opnieuw als Excel-werkmap (.xlsx) of als CSV UTF-8 / Unicode-tekst: dan blijft elke letter heel. Een naam bevat nooit een ?.',
        );
      }
      if (DOUBLE_ENCODED.test(value)) {
        f.error(
          'double-encoded',
          `Letters als Ã« (voor ë) in kolom ${column}: de tekst is ooit verkeerd omgezet (UTF-8 als ANSI gelezen en weer opgeslagen)`,
          ref,
          'Exporteer opnieuw uit het bronsysteem en zet dat bestand direct om, zonder het tussendoor in een ander programma op te slaan.',
        );
      } else if (CAPITALS_DASH.test(value)) {
        f.warn(
          'double-encoded-maybe',
          `Ä– of Å– voor een hoofdletter in kolom ${column}: een dubbele naam in hoofdletters (JÄRVELÄ–VIRTANEN), of een verkeerd omgezette Ė of Ŗ`,
          ref,
          'Controleer de naam in de export; is het een Ė of Ŗ, exporteer dan opnieuw en zet dat bestand direct om.',
        );
      }
      if (QUOTE.test(value)) this.quote(column, ref);
      const symbol = NAME_SYMBOL.exec(value)?.[0];
      if (symbol) {
        f.error(
          'name-symbol',
          `Teken ${symbol} in kolom ${column}: dat staat in geen naam (het bestand is gelezen in een andere tekencodering dan waarin het is opgeslagen, zoals ISO-8859-15, een Oost-Europese of een Mac-codering)`,
          ref,
          'Maak de export opnieuw als Excel-werkmap (.xlsx) of als CSV UTF-8, en zet dat bestand direct om.',
        );
      }
      if (GREEK_CYRILLIC.test(value) && LATIN.test(value)) {
        f.warn(
          'name-mixed-script',
          `Latijnse en Griekse of Cyrillische letters door elkaar in kolom ${column}: een letter die er hetzelfde uitziet (zoals een Cyrillische а) maakt een andere naam en login`,
          ref,
          'Typ de naam in de administratie opnieuw.',
        );
      }
      if (NAME_PUNCTUATION.test(value)) f.warn('name-punctuation', `Teken ; of \` in kolom ${column}: dat staat in geen naam`, ref, 'Controleer de naam in de export en verbeter de cel.');
      if (!DIGIT.test(value)) continue;
      if (!hasLetter(value)) this.notAName(column, value, ref);
      else {
        f.warn('name-digit', `Cijfer in kolom ${column}: een naam heeft geen cijfers (kolommen verwisseld, of de klas in de naam?)`, ref, 'Controleer de rij in de export en verbeter de cel.');
      }
    }
    this.checkSurname(row, ref);
    if (QUOTE.test(row.klas)) this.quote('klas', ref);
    if (row.IDGebr && isExcelErrorText(row.IDGebr)) {
      // A VLOOKUP that found nothing, saved as text in a CSV: said as what it is, not as a bad number or a duplicate.
      f.error(
        'idgebr-excel-error',
        'Excel-foutwaarde (zoals #N/B) als IDGebr: een opzoekformule (zoals VERT.ZOEKEN) vond dit Stamnr niet',
        ref,
        'Controleer de formule: een Stamnr als tekst vindt geen Stamnr als getal. Of gebruik het IDGebr-bestand zelf.',
      );
    } else if (row.IDGebr && isFormulaZero(row.IDGebr)) {
      // No Magister user has it: with SSO this student would be linked to no one's account. Two of them are no
      // duplicate the admin can see (two cells that look empty in Excel).
      f.error(
        'idgebr-zero',
        "IDGebr is 0: wat een formule geeft voor een lege cel (Excel laat zo'n 0 soms niet zien)",
        ref,
        'Vul het IDGebr in (in het IDGebr-bestand of de kolom IDGebr), of maak de cel leeg: dan logt deze leerling met een wachtwoord in.',
      );
    } else if (row.IDGebr) {
      // One IDGebr on two rows: with SSO, one student would log in to the other's account.
      const first = this.idgebrs.add(compactKey(row.IDGebr), ref.row);
      if (first >= 0) {
        f.error(
          'duplicate-idgebr',
          'IDGebr komt dubbel voor: met SSO komt de een in het account van de ander',
          { ...ref, first },
          'Controleer de IDGebrs van deze leerlingen in het IDGebr-bestand (of de kolom IDGebr); vraag zo nodig de Magister-applicatiebeheerder om een nieuw bestand.',
        );
      }
      if (!IDGEBR.test(row.IDGebr)) {
        f.error(
          'idgebr-shape',
          'IDGebr is geen geheel getal zonder voorloopnul (door Excel veranderd, zoals 3,0003E+04, 30004.0 of 030004?)',
          ref,
          'Vraag de Magister-applicatiebeheerder het IDGebr-bestand opnieuw en open het niet in Excel (of zet de kolom eerst op Tekst).',
        );
      }
    }
    const email = row['e-mail'];
    if (/^mailto:/i.test(email)) {
      f.error('email-mailto', 'E-mailadres begint met mailto: (een link uit Excel)', ref, 'Haal mailto: weg, zodat alleen het adres overblijft.');
    } else if (email && !isPlausibleEmail(email)) {
      // A plausible address has no white space, so only an implausible one is looked at again.
      if (/\s/.test(email) && isPlausibleEmail(email.replace(/\s+/g, ''))) {
        f.error('email-space', 'E-mailadres bevat een spatie', ref, 'Verbeter het adres in de administratie of in de export: één adres per persoon, zonder spaties.');
      } else f.error('email-invalid', 'Geen geldig e-mailadres', ref, 'Verbeter het e-mailadres in de administratie of in de export (één adres per persoon).');
    } else if (email && (LOST_LETTER.test(email) || DOUBLE_ENCODED.test(email))) {
      // Shaped like an address, but a letter was lost on the way (see the name checks): mail to it goes nowhere.
      f.error(
        'email-lost-letter',
        'E-mailadres met ? of Ã« erin: een letter is verloren gegaan (export als ANSI opgeslagen, of verkeerd omgezet)',
        ref,
        'Exporteer opnieuw als Excel-werkmap (.xlsx) of als CSV UTF-8 / Unicode-tekst, en zet dat bestand direct om.',
      );
    } else if (email && EMAIL_LOOK_ALIKE.test(email)) {
      f.error(
        'email-look-alike',
        'E-mailadres met een teken dat eruitziet als een ander (een Griekse of Cyrillische letter zoals о, een breed teken, een ander streepje dan -): mail daaraan komt niet aan',
        ref,
        'Typ het adres in de administratie opnieuw.',
      );
    }
    if (this.o.codeShape && row.opleiding) {
      let problem = this.codeProblems.get(row.opleiding);
      if (problem === undefined) {
        problem = codeShapeProblem(row.opleiding) ?? '';
        if (this.codeProblems.size < CACHED_KLAS_VALUES) this.codeProblems.set(row.opleiding, problem);
      }
      if (problem) f.error('opleiding-shape', 'Opleiding is geen geldige opleidingscode', ref, `${problem} De codes staan op het tabblad Opleidingen van Numo's inleesbestand.`);
    }
    if (this.knownCodes && row.opleiding && !this.knownCodes.has(row.opleiding.toLowerCase())) {
      // A code from the admin's mapping is shown unless it looks like a name; one from a file (check, an export with
      // Numo's headers) never: with shifted columns the cell holds a name or a password.
      const code = this.o.codesFromFile || looksLikePersonName(row.opleiding) ? 'Opleidingscode' : `Opleidingscode '${clip(row.opleiding, 60)}'`;
      const where = this.o.codesFromFile ? 'in het bestand (of in de kolom opleiding van de export)' : 'in het mappingbestand';
      f.error('unknown-opleiding', `${code} staat niet in de lijst met Numo-opleidingen`, ref, `Verbeter de code ${where}; de codes staan op het tabblad Opleidingen van Numo's inleesbestand.`);
    }
    const listed = row.opleiding ? this.knownCodes?.get(row.opleiding.toLowerCase()) : undefined;
    if (listed !== undefined && listed !== row.opleiding) {
      // An error, as a rol 'Leerling' is: Numo looks the code up as it is (convert writes the list's spelling itself).
      f.error('opleiding-spelling', `Opleidingscode '${row.opleiding}' heet in de lijst met Numo-opleidingen '${listed}'`, ref, 'Schrijf de code precies zoals in de lijst.');
    }
    for (const header of NUMO_HEADERS) this.checkValue(header, row[header], ref);
    if (row.IDGebr !== undefined) this.checkValue('IDGebr', row.IDGebr, ref);
  }

  /** Name parts in the wrong place: Numo shows the surname as it is. */
  private checkSurname({ tussenvoegsel, achternaam }: NumoRow, ref: RowRef): void {
    const f = this.findings;
    // "de" in Tussenv. and "de Koster" in Achternaam: Numo would show "de de Koster".
    if (tussenvoegsel && achternaam.length > tussenvoegsel.length && achternaam.charCodeAt(tussenvoegsel.length) === 32) {
      if (achternaam.slice(0, tussenvoegsel.length).toLowerCase() === tussenvoegsel.toLowerCase()) {
        f.warn(
          'tussenvoegsel-twice',
          'Achternaam begint met het tussenvoegsel: in Numo staat het er dan twee keer',
          ref,
          'Haal het tussenvoegsel uit de achternaam in de export (of laat de kolom tussenvoegsel leeg).',
        );
      }
    }
    // "Berg, van den": the surname in the sort form of a name list, which Numo would show as it is.
    const comma = achternaam.indexOf(',');
    if (comma > 0 && isTussenvoegsel(achternaam.slice(comma + 1))) {
      f.warn(
        'achternaam-sort-form',
        "Achternaam in sorteervorm (zoals 'Berg, van den'): zo komt hij in Numo",
        ref,
        'Zet in de export het tussenvoegsel in de kolom tussenvoegsel en de achternaam zonder komma.',
      );
    }
    // 't or 's typed into Excel: a ' at the start of a cell marks it as text and is not kept, so 't Hart becomes
    // t Hart and 's-Gravesande s-Gravesande.
    if ((tussenvoegsel.length === 1 && EATEN_APOSTROPHE_ALONE.test(tussenvoegsel)) || EATEN_APOSTROPHE.test(achternaam)) {
      f.warn(
        'tussenvoegsel-apostrophe',
        "t of s zonder apostrof in het tussenvoegsel of aan het begin van de achternaam (zoals 't Hart of 's-Gravesande): Excel laat een ' aan het begin van een cel weg",
        ref,
        "Typ in Excel ''t (twee apostroffen) of zet de kolom op Tekst, en exporteer opnieuw; of verbeter het daarna in Numo.",
      );
    }
    // "van der" as the whole surname: the surname itself is in another column, or lost (shifted columns). The
    // length first (the row is normalised): most surnames are longer than any tussenvoegsel.
    if (achternaam.length <= LONGEST_TUSSENVOEGSEL && mayBeTussenvoegsel(achternaam) && isTussenvoegsel(achternaam)) {
      f.warn(
        'achternaam-only-tussenvoegsel',
        "Achternaam is alleen een tussenvoegsel (zoals 'van der'): de achternaam zelf ontbreekt",
        ref,
        'Controleer de rij in de export: staat de achternaam in een andere kolom?',
      );
    }
  }

  private checkValue(column: string, value: string, ref: RowRef): void {
    if (!value) return;
    // ######: what Excel shows in a column too narrow for a number or date, and what it saves in a CSV then.
    if (value.charCodeAt(0) === 35 && value.length > 1 && /^#+$/.test(value)) {
      // The value is only #s, but a password is never shown.
      const message = `Waarde in kolom ${column} is ${column === 'wachtwoord' ? 'alleen #-tekens' : value.slice(0, 12)}: Excel bewaarde wat een te smalle kolom toont, niet de waarde`;
      const hint = `Maak de kolom in Excel breder en sla het bestand opnieuw op${this.o.rows === 'check' ? ', of maak het opnieuw met numo-prep convert' : ', of exporteer opnieuw'}.`;
      if (column === 'wachtwoord') this.findings.warn('excel-hashes', message, ref, hint);
      else this.findings.error('excel-hashes', message, ref, hint);
      return;
    }
    if (isExcelError(column, value)) {
      // A password is what Numo has (kept from last year's file, where Numo took it as it was): said, not refused.
      if (column === 'wachtwoord') {
        this.findings.warn(
          'password-excel-error',
          'Wachtwoord is een Excel-foutwaarde (zoals #N/B) en komt zo in Numo',
          ref,
          'Komt het uit het bestand van vorig jaar, dan is het het wachtwoord dat Numo nu heeft; anders: herstel de formule in Excel.',
        );
      } else excelErrorText(this.findings, column, ref);
    }
    // In characters (code points), not UTF-16 units: an emoji or a rare Chinese character is one.
    if (value.length > LIMITS.fieldChars && codePoints(value) > LIMITS.fieldChars) {
      this.findings.error('too-long', `Waarde in kolom ${column} is langer dan ${LIMITS.fieldChars} tekens`, ref, 'Verbeter de cel in de export.');
    }
    // In convert the password as it will be written (check gives this from the cell as the file has it).
    if (column === 'wachtwoord' && value !== normaliseText(value)) passwordHiddenChars(this.findings, ref);
    // 123456.0 or 1,23457E+11: a file opened in Excel or pandas and saved again; said, as an Excel error is.
    if (column === 'wachtwoord' && isChangedNumber(value)) {
      this.findings.warn(
        'password-changed',
        'Wachtwoord is een getal dat Excel of een script veranderde (zoals 123456.0 of 1,23457E+11): zo komt het in Numo',
        ref,
        'Gebruik het bestand zoals numo-prep het schreef, zonder het eerst in Excel te openen en op te slaan.',
      );
    }
    if (column === 'wachtwoord' && startsLikeFormula(value)) {
      this.findings.warn(
        'password-formula-like',
        "Wachtwoord begint met = + - of @ en staat zo in het bestand (een ' ervoor zou het wachtwoord veranderen)",
        ref,
        "Open het Numo-bestand niet in Excel: dat leest zo'n wachtwoord als formule. Numo leest het zoals het er staat.",
      );
    } else if (this.o.rows === 'convert' && startsLikeFormula(value) && (column === 'gebruikersnaam' || column === 'e-mail')) {
      // A ' in front (against Excel formulas) would make it another login or address in Numo, which takes it as it is.
      this.findings.error(
        'login-formula-like',
        `Waarde in kolom ${column} begint met = + - of @: met een ' ervoor (tegen Excel-formules) zou Numo ${column === 'e-mail' ? 'een ander adres' : 'een andere login'} krijgen`,
        ref,
        column === 'e-mail' ? 'Verbeter het e-mailadres in de export.' : 'Verbeter de cel in de export, of kies een gebruikersnaam-sjabloon dat met een letter of cijfer begint.',
      );
    } else if (this.o.rows === 'convert' && startsLikeFormula(value)) {
      this.findings.warn(
        'formula-like',
        `Waarde in kolom ${column} begint met = + - of @; in de CSV onschadelijk gemaakt met een '`,
        ref,
        // The opleidingscode comes from the mapping, not from the export.
        column === 'opleiding' ? 'Controleer de code in het mappingbestand: geen opleidingscode begint zo.' : 'Controleer de cel in de export: geen echte naam begint zo.',
      );
    }
    if (this.encoding === 'windows-1252') {
      // The character itself is not shown: it is a letter of someone's name.
      if (firstUnencodable(value)) {
        this.findings.error('not-cp1252', `Een teken in kolom ${column} past niet in Windows-1252`, ref, 'Kies de codering utf8-bom (aanbevolen): dan blijft elke naam heel.');
      }
    }
  }
}
