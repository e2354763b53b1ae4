import { isTussenvoegsel } from './detect.js';

/**
 * What the values of a column look like. Messages echo a value from the user's file only when it has the shape
 * of what that column holds: with shifted columns a "Studie" cell holds a name or an e-mail address, and a
 * message must never show those. Shapes are deliberately narrow; a value that fails is referred to by row and
 * column instead.
 */

/** Magister, Somtoday and EduArte student numbers are digits (leading zeros kept by some exports). */
const STAMNR = /^\d{1,12}$/;
/**
 * A Dutch phone number (06…, 010…) in a shifted Stamnr column has the same digits-only shape. Its second digit is
 * never 0 (00 starts an international number), which a Stamnr padded to 10 digits (0001234567) always has.
 */
const PHONE = /^0[1-9]\d{8}$/;

export function looksLikeStamnr(value: string): boolean {
  return STAMNR.test(value) && !PHONE.test(value);
}

/**
 * 0 (or 00) in a field no one has 0 in (a name, Klas, Stamnr, IDGebr, username): what a lookup formula gives for an
 * empty cell, pasted as values. Excel may show it as an empty cell (a format like 0;-0;;@ or #, or "Nullen
 * weergeven" off), where numo-prep reads the 0.
 */
const ZEROS = /^0+$/;

export function isFormulaZero(value: string): boolean {
  return ZEROS.test(value);
}

/**
 * A whole number as a spreadsheet or a script wrote it back: 100001.0 (pandas, a float), 1,00001E+05 or
 * 1.00001E+05 (Excel's scientific notation). No export writes a Stamnr so.
 */
const CHANGED_NUMBER = /^\d+[.,]0+$|^\d[.,]\d+E\+\d+$/i;

export function isChangedNumber(value: string): boolean {
  return CHANGED_NUMBER.test(value);
}

const NUMERIC_DATE = new RegExp(
  [
    '^\\d{4}-\\d{1,2}-\\d{1,2}(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?Z?)?$', // 2026-02-01, ISO from a date cell
    '^\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}$', // 1-2-2026, 01/02/26
  ].join('|'),
);
// 1-feb, 01-feb-26, feb-26: a word where the month goes, checked against MONTH_NAMES (a short regex compiles in a
// fraction of the time of one that spells every month, and this one is compiled at every run).
const MONTH_DATE = /^(?:\d{1,2}[- ]([a-z]{3,9})\.?(?:[- ]\d{2,4})?|([a-z]{3,9})\.?[- ]\d{2,4})$/i;
/** Month names and their abbreviations as Excel writes them, Dutch and English: whole words, so "mar" takes no "Marketing 22". */
const MONTH_NAMES = new Set(
  'jan januari january feb februari february mrt maa maart mar march apr april mei may jun juni june jul juli july aug augustus august sep sept september okt oktober oct october nov november dec december'.split(
    ' ',
  ),
);

/** A date as Excel shows one it made from "1-2" or "2-3" (a Klas typed into a General cell). */
export function looksLikeDate(value: string): boolean {
  if (NUMERIC_DATE.test(value)) return true;
  const m = MONTH_DATE.exec(value);
  return m !== null && MONTH_NAMES.has((m[1] ?? m[2] ?? '').toLowerCase());
}

// An error value of Excel, LibreOffice or Google Sheets as a CSV holds it, in any language: a formula that failed (a
// VLOOKUP without a match is #N/B), saved as its text. #, then a word in capitals (#WAARDE!, #NAAM?, #GETTING_DATA,
// #ÜBERLAUF!) or a short one with a / (#N/A, #DEEL/0!); or LibreOffice's Err:502 (Fout:502 in Dutch).
export const EXCEL_ERROR = '#(?:[A-Z\u00C0-\u00DE_]{2,}[!?]?|[A-Z]{1,4}\\/[A-Z0-9]{1,2}[!?]?)|(?:Err|Fout):\\d{3}';
const EXCEL_ERROR_TEXT = new RegExp(`^(?:${EXCEL_ERROR})$`);

/** An Excel error as text (#N/B, Err:502). # or the : of Err:/Fout: at 3 or 4 first: most values take no regex. */
export function isExcelErrorText(value: string): boolean {
  return (value.charCodeAt(0) === 35 || value.charCodeAt(3) === 58 || value.charCodeAt(4) === 58) && EXCEL_ERROR_TEXT.test(value);
}

/**
 * A Studie (or an opleidingscode) as schools name them: "2 havo", "3 vwo gymn", "VB-HAVO-2", a crebo "25168".
 * Not an e-mail address, a link, a phone number or compact date (7+ digits in a row), a date, an Excel error (#N/B) or a sentence.
 */
export function looksLikeStudie(value: string): boolean {
  return studieShape(value) === 'short';
}

/**
 * 'short' for the usual Studie (at most 6 words and 60 characters: never a sentence or a note about a student);
 * 'long' for up to 14 words and 100 characters, as mbo qualifications are named ("Eerste monteur
 * elektrotechnische installaties in de woning en utiliteit"), which may be shown only when several students share
 * the value; undefined for what is no Studie (an address, a number, a date).
 */
export function studieShape(value: string): 'short' | 'long' | undefined {
  if (value.length === 0 || value.length > 100 || /[@<>\\]|:\/\/|^mailto:/i.test(value) || /\d{7}/.test(value) || looksLikeDate(value) || isExcelErrorText(value)) return undefined;
  const words = value.split(' ').length;
  return words <= 6 && value.length <= 60 ? 'short' : words <= 14 ? 'long' : undefined;
}

/**
 * A Klas as schools name them (2H1, 3 vwo a, H2b): short, with a digit, no address and no date. Only such values
 * are shown as examples (the mapping workbook is kept for years): a Klas column can hold names or addresses.
 */
export function looksLikeKlas(value: string): boolean {
  // Five digits in a row are a number (a phone number, a BSN, a Stamnr), in no klas.
  return value.length <= 12 && /\d/.test(value) && !/\d{5}/.test(value) && !value.includes('@') && !looksLikeDate(value);
}

/**
 * Shaped like a person's name: two or more words without digits, the last Capitalised (Berg, O'Brien, McDonald,
 * el-Amrani), the others Capitalised (Lucas) or a tussenvoegsel (van, den, de; not "en": Zorg en Welzijn is an
 * opleiding). Studies are mostly not ("2 havo", "VWO TTO"), but some are (Mavo Plus): callers use this only for a
 * value on a few rows.
 */
export function looksLikePersonName(value: string): boolean {
  const words = value.split(' ');
  if (words.length < 2 || /\d/.test(value)) return false;
  // Made here, not at load: a Unicode class costs ~2 ms to compile, and this runs only for a few values.
  const nameWord = /^(?:\p{L}')?(?:Ma?c)?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)*$|^\p{Ll}{1,3}-\p{Lu}\p{Ll}+$/u;
  // A tussenvoegsel may lead too (van Dijk, de Bol: a surname with its tussenvoegsel), never end.
  return nameWord.test(words[words.length - 1]!) && words.every((w, i) => nameWord.test(w) || (i < words.length - 1 && isTussenvoegsel(w)));
}

/** A title before a name: dhr. Postma, mw. de Vries, juf Anna. */
const SALUTATION = /^(?:dhr|mw|mevr|mevrouw|meneer|juf|juffrouw|meester|mr|dr|ir|drs)\.?\s/i;
/** A title, or a mentor named as such: Mentor: Bakker, zie mentor Dijk, SLB Vries, Bakker (mentor). */
const TITLE = new RegExp(`${SALUTATION.source}|(?:^|\\s|\\()(?:mentor|docent|slb|slb'er|coach)(?:\\s*:|\\)|\\s+[a-z\\u00C0-\\u024F])`, 'i');

/**
 * Given names common in Dutch schools, pupils' and staff's, without those that are also a Dutch or school word
 * (Roos, Max, Bas, Isa, Kim, Jet):
 * a value that starts or ends with one is a name in any case (lucas bakker, THIJS POSTMA, Postma Thijs).
 */
const GIVEN_NAMES = new Set(
  [
    'lucas daan sem finn levi luuk noah milan jesse thijs bram lars ruben julian thomas sven stijn tygo',
    'gijs mees siem jayden liam mats hugo teun jan pieter piet kees willem joost koen wouter jeroen',
    'dennis kevin rick mike niels jasper martijn sander peter paul henk gerrit johan hans erik marco dirk',
    'arjen joris vincent maarten robin sjoerd wessel olivier adam mohammed mohamed muhammed muhammad',
    'ahmed ayoub yusuf youssef omar ali ibrahim hamza bilal mehmet emre mustafa burak kerem sean jelle',
    'ties tim tijn jens job jurre hidde sietse douwe wietse jorn niek guus stan tobias timo rens gert',
    'frank frans gerard harm hendrik jaap jacob jakob kay lennard lodewijk menno michiel nick pepijn',
    'quinten roel rutger sebastiaan siebe tom wim yannick emma julia mila sophie tess zoe sara sarah anna',
    'eva lotte fleur lisa noor saar evi lieke nina iris fenna yara sanne femke anouk esmee lina maud',
    'jasmijn britt demi laura linda marieke ingrid annemarie petra sandra monique ellen esther inge karin',
    'marloes mirjam nicole wendy yvonne fatima fatma aisha ayse elif zeynep amira salma nora janneke ilse',
    'manon chantal sanna lynn zara elin olivia charlotte merel floor jip lauke liv loes maaike marit',
    'mirte nienke romy silke sofie suze tamara veerle wilma willemijn yfke annelies anneke astrid bianca',
    'carla corine daphne debora dewi elise elske emily evelien froukje gerda hanna hannah hester irene',
    'jolien josephine judith karlijn lara lieve lisanne margot marjolein mariska naomi nadia patricia',
    'renate rianne rosa sabine selma sigrid simone sofia stephanie suzanne tessa thirza ursula valerie',
    'wendelien yasmin yasmina zainab',
    'mia luna noa nova vera anke bart marcel saskia eline fien isabel jasmine kiki loek lucy zoey',
  ]
    .join(' ')
    .split(' '),
);

/** A word of GIVEN_NAMES in any case and with or without accents (Zoë, LUCAS). */
const given = (word: string) => GIVEN_NAMES.has(word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());

/** A Greek or Cyrillic letter: beside Latin ones, a look-alike (a Cyrillic а in Jаnsen) that makes another value. */
export const GREEK_CYRILLIC = /[\u0370-\u03FF\u0400-\u04FF]/;

/**
 * Initials with a surname: J.A. de Vries, A. van Dijk, L. Bakker-de Vries, de Jong S., Visser J.A. Made at first use,
 * not at load: a Unicode class costs ~2 ms to compile, and only a few values are ever judged.
 */
let initialsPattern: RegExp | undefined;
const initials = (value: string) => (initialsPattern ??= /^(?:\p{Lu}\.\s?)+(?:\p{Ll}+\s)*\p{Lu}\p{Ll}+(?:-\p{L}+)*$|^(?:\p{Ll}+\s)*\p{Lu}\p{Ll}+\s(?:\p{Lu}\.\s?)+$/u).test(value);

/**
 * A person's name where a code should be (a staff or class list read as a mapping: A. Kuipers, Lucas Bakker): a
 * common given name first or initials with a surname, no digit and no school word. Narrower than surelyName: a code
 * may read like words (Docent Engels, Zorg, Welzijn).
 */
export function nameNotCode(value: string): boolean {
  const words = value.split(/[\s,]+/).filter(Boolean);
  if (words.length < 2 || words.length > 5 || /\d/.test(value) || soundsLikeStudie(value)) return false;
  // Also a salutation (mw. Bakker) and Surname, Firstname (Bakker, Lucas; Vries, Anna de).
  return given(words[0]!) || given(words[words.length - 1]!) || initials(value) || SALUTATION.test(value) || /^[^,]+, ?\p{Lu}\p{Ll}+(?: \p{Ll}+)*$/u.test(value);
}

/**
 * A name beyond doubt, whatever school words it has (dhr. Bol, L. Bol, S.Schakel, Bol, Lucas, lucas bakker): a
 * title or mentor, an initial before a surname, "Surname, Firstname", or a common given name first or last.
 */
export function surelyName(value: string): boolean {
  if (TITLE.test(value)) return true;
  const words = value.split(/[\s,]+/).filter(Boolean);
  if (words.length < 2 || words.length > 5 || /\d/.test(value)) return false;
  // Initials with a surname (L. Bol, J.A. de Vries, de Jong S.) or after it and a comma (Bol, L.), or Surname,
  // Firstname (Bakker, Vera; DE VRIES, Mia) when what follows the comma is no school word: "Kok, Bol" is an mbo
  // opleiding with its leerweg.
  if (given(words[0]!) || given(words[words.length - 1]!) || initials(value) || /^[^,]+, ?(?:\p{Lu}\.\s?)+$/u.test(value)) return true;
  const comma = /^[\p{L}' -]+, ?(\p{Lu}\p{Ll}+)$/u.exec(value);
  return comma !== null && !soundsLikeStudie(comma[1]!);
}

/**
 * How a name is written, besides looksLikePersonName: an initial (T. Postma, Postma T., L Bakker), Postma, T., or a
 * surname in capitals of four letters or more with a first name (Merel VISSER, VISSER Merel; not Verzorgende IG).
 */
function writtenAsName(value: string): boolean {
  // Made here, not at load: a Unicode class costs ~2 ms to compile, and this runs only for a few values.
  return /(?:^|\s)\p{Lu}\.|,\s*\p{Lu}\.?$|^\p{Lu} \p{Lu}\p{Ll}+$|^\p{Lu}\p{Ll}+ \p{Lu}{4,}$|^\p{Lu}{4,} \p{Lu}\p{Ll}+$/u.test(value);
}

/** Words of Dutch school types, levels and years as Studies spell them (2 havo, Mavo Plus, Kader 3, ISK). */
const STUDIE_WORDS = new Set(
  'havo vwo vmbo mavo atheneum ath gymnasium gym gymn lyceum tto tweetalig tweetalige technasium kader kb bb basis gemengd gemengde gl gt tl theoretisch theoretische leerweg beroepsgericht beroepsgerichte kaderberoepsgericht kaderberoepsgerichte basisberoepsgericht basisberoepsgerichte mbo hbo entree entreeopleiding eoa niveau bol bbl lwoo pro praktijk praktijkonderwijs praktijkschool vso vavo loot isk schakel schakelklas brugklas kopklas onderbouw bovenbouw vakcollege plus klas leerjaar jaar opleiding profiel mh hv vh mhv hvw'.split(
    ' ',
  ),
);

/**
 * A digit or a word of STUDIE_WORDS: a Studie, a level or a code. A value without either (Bakker, van Dijk,
 * J. Bakker, JANSEN Piet, zie mentor) may be someone's name: shown only when several students share it.
 */
export function soundsLikeStudie(value: string): boolean {
  return (
    /\d/.test(value) ||
    value
      .toLowerCase()
      .split(/[^a-z]+/)
      .some((w) => STUDIE_WORDS.has(w))
  );
}

/** Rows a Studie value must be on before it may be shown when it could also be a name or a note. */
const SHARED = 3;

/**
 * Why a Studie value (with the number of rows that have it) is never shown or saved, or undefined when it may be:
 * no Studie's shape (an address, a number, a date, a sentence), on fewer than 3 rows a long value (a note about a
 * student) or a name beyond doubt (surelyName), on one row a value that is no Studie by its words (soundsLikeStudie)
 * or a name by its shape, and on two rows a value that is no Studie by its words and written as a name. convert
 * refers to such rows by number; the wizard and the mapping workbook leave the value out.
 */
export function hiddenStudie(value: string, count: number): 'shape' | 'long' | 'name' | undefined {
  const shape = studieShape(value);
  if (!shape) return 'shape';
  if (shape === 'long' && count < SHARED) return 'long';
  if (count >= SHARED) return undefined;
  if (surelyName(value)) return 'name';
  // On one row a value without a digit or school word, or a name's shape (Lucas van den Berg; also Mavo Plus, which
  // two students make a Studie). On two rows only a value without a school word that is written as a name (a mentor
  // typed for two students: Thijs Postma, T. Postma, Postma, T.): a single word (Kok, Kapper), capitals (Verzorgende
  // IG) or a hyphen (Kok-Gastheer) there is as likely an mbo opleiding of two students.
  if (count === 1) return !soundsLikeStudie(value) || looksLikePersonName(value) ? 'name' : undefined;
  return !soundsLikeStudie(value) && (looksLikePersonName(value) || writtenAsName(value)) ? 'name' : undefined;
}

/**
 * Whether the other columns of a row hold what they should: a CSV row's fields fit the header, a student's Stamnr
 * is a number, an e-mail address has an @. Only from such a row is a Studie value shown or kept: in a shifted row
 * the "Studie" is as likely a name.
 */
export function rowLooksRight(shifted: boolean, stamnr: string, email: string, student: boolean): boolean {
  return !shifted && (!student || !stamnr || looksLikeStamnr(stamnr)) && (!email || email.includes('@'));
}

/** More distinct values than any school has studies (a whole ROC has a few hundred): another column. */
const MAX_STUDIES = 1000;

/**
 * Whether a column's values (value → number of rows, the whole export) can be the Studie column: few distinct
 * values, each shared by several students, shaped like studies. Names, e-mail addresses or Stamnrs are (nearly)
 * unique per row. Called
 * before anyone is asked to map each value, so a mis-chosen column costs one message, not 1,760 questions.
 */
export function looksLikeStudieColumn(values: ReadonlyMap<string, number>): boolean {
  const distinct = values.size;
  if (distinct > MAX_STUDIES) return false;
  let rows = 0;
  let misshapen = 0;
  for (const [value, count] of values) {
    rows += count;
    if (!studieShape(value)) misshapen++;
  }
  // Studies are shared: a school has tens of students per Studie, names repeat a few times at most.
  if (distinct >= 10 && rows < 3 * distinct) return false;
  return !(misshapen >= 3 && misshapen > distinct / 2);
}

/** A Rol cell is echoed only as the role it nearly is ("Leerling " → leerling); anything else may be a password. */
export function rolLike(value: string, roles: readonly string[]): string | undefined {
  const v = value.trim().toLowerCase();
  return roles.find((r) => r === v);
}

/**
 * A CSV row has exactly the header's number of fields. Excel and LibreOffice write every row of a sheet with the
 * same number; another number means a ; or " in a value shifted the columns after it. Even one extra empty field
 * counts: a name split by an unquoted ; in a row without e-mail ends in exactly that.
 */
export function fieldsFit(cells: readonly string[], headers: readonly string[]): boolean {
  return cells.length === headers.length;
}

/** The leerjaar an opleidingscode is for, when its last character is one after a non-digit (VB-HAVO-2, VO-H4; not a crebo number). */
export function codeLeerjaar(code: string): number | undefined {
  const m = /(?:^|\D)([1-6])$/.exec(code);
  return m ? Number(m[1]) : undefined;
}

/** A Studie that names a VO school type (havo, vwo atheneum, kader): without a year, its students span several. */
export function namesVoType(studie: string): boolean {
  return /(?:^|[^a-z])(?:havo|vwo|vmbo|mavo|atheneum|gymnasium|lyceum|kader|basis|gl|gt|tl|kb|bb|mhv|hv|vh)(?![a-z])/i.test(studie);
}

/** The leerjaar a Klas starts with, as VO klassen are named (4H1, 2b; not H4a, not 12A); else undefined. */
export function klasLeerjaar(klas: string): number | undefined {
  const m = /^([1-6])(?!\d)/.exec(klas);
  return m ? Number(m[1]) : undefined;
}

/** A leerjaar as a leerjaar column holds it: 4, 04, H4 (Somtoday) or Leerjaar 4; else undefined. */
export function leerjaarValue(value: string): number | undefined {
  const m = /^(?:leerjaar|lj|[a-z]{1,2})?\s*(\d{1,2})$/i.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}
