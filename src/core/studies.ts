import { compareNl } from './collate.js';
import { namedFew, plural } from './format.js';
import type { Opleiding } from './opleidingen.js';
import { codeLeerjaar, hiddenStudie, leerjaarValue, looksLikeKlas, looksLikeStudieColumn } from './shape.js';
import { LeadingZeros } from './stamnr.js';
import { suggestOpleidingen } from './suggest.js';
import { normaliseText, studieKey } from './text.js';

export interface StudieCount {
  studie: string;
  count: number;
  /** Up to three klassen of this Studie, to recognise it by ("1A, 1B, 1C"). */
  klassen: string[];
  /** For a Studie without a year ("havo") next to a leerjaar column: the leerjaren of its students. */
  leerjaren?: string[];
}

/** Leerjaren kept per Studie: a school has six at most. */
const MAX_LEERJAREN = 8;

/** A Numo opleiding for one leerjaar: its code ends in one (VB-HAVO-2, VO-H4) or its description names one. */
function perLeerjaar(o: Opleiding): boolean {
  return codeLeerjaar(o.code) !== undefined || /leerjaar\s*[1-6]/i.test(o.label ?? '');
}

/**
 * The text to suggest a code for, or undefined for no suggestion. A Studie without a year next to a leerjaar column
 * ("havo"), whose best code is one for a single leerjaar (vo): with the year of its students when they are all in
 * one ("4 havo"), none when they span several (any one code is wrong for part of them). A Studie whose codes are not
 * per leerjaar (an mbo crebo code, ISK, praktijkonderwijs) is suggested as it is.
 */
export function suggestionBasis(s: Pick<StudieCount, 'studie' | 'leerjaren'>, list: readonly Opleiding[]): string | undefined {
  if (!s.leerjaren?.length) return s.studie;
  const best = suggestOpleidingen(s.studie, list, 1)[0]?.opleiding;
  if (!best || !perLeerjaar(best)) return s.studie;
  return s.leerjaren.length === 1 ? `${s.leerjaren[0]} ${s.studie}` : undefined;
}

const KLASSEN_SHOWN = 3;

/** Rows a note names; the count of students says how many more. */
const ROWS_SHOWN = 5;

/** The distinct Studie values of an export with their number of students, as first spelled. */
export class StudieTally {
  private readonly byKey = new Map<string, { studie: string; count: number; klassen: Set<string>; leerjaren: Set<string>; rows: number[] }>();
  rows = 0;
  /** The Stamnrs' leading zeros (tallyStudies observes them). */
  readonly stamnrs = new LeadingZeros();
  /** Rows without a Studie. */
  empty = 0;
  /** Rows whose other columns look wrong (rowLooksRight): their Studie is neither listed nor counted as one. */
  private readonly suspect = { count: 0, rows: [] as number[] };

  /**
   * `row`: the row number in the file, to refer to a value that is never shown (hiddenStudie). `looksRight`: see
   * rowLooksRight; a value from a row that does not may be a name. `leerjaar`: the row's leerjaar column, if any.
   */
  add(studie: string, klas = '', row = 0, looksRight = true, leerjaar = ''): void {
    this.rows++;
    const s = normaliseText(studie);
    if (!s) {
      this.empty++;
      return;
    }
    if (!looksRight) {
      if (this.suspect.count++ < ROWS_SHOWN) this.suspect.rows.push(row);
      return;
    }
    const key = studieKey(s);
    let t = this.byKey.get(key);
    if (!t) {
      t = { studie: s, count: 0, klassen: new Set(), leerjaren: new Set(), rows: [] };
      this.byKey.set(key, t);
    }
    if (t.count++ < ROWS_SHOWN) t.rows.push(row);
    const k = normaliseText(klas);
    if (k && t.klassen.size < KLASSEN_SHOWN && looksLikeKlas(k)) t.klassen.add(k);
    const year = leerjaarValue(normaliseText(leerjaar));
    if (year !== undefined && !/\d/.test(s) && t.leerjaren.size < MAX_LEERJAREN) t.leerjaren.add(String(year));
  }

  get distinct(): number {
    return this.byKey.size;
  }

  /** Studie (as first spelled) -> number of students. */
  counts(): Map<string, number> {
    return new Map([...this.byKey.values()].map((t) => [t.studie, t.count]));
  }

  /**
   * Not shown or saved: what convert refers to by row only (hiddenStudie), unless the mapping has it (`known`): a
   * value the school already mapped is its own.
   */
  private hidden(t: { studie: string; count: number }, known?: (studie: string) => boolean): boolean {
    return Boolean(hiddenStudie(t.studie, t.count)) && !known?.(t.studie);
  }

  /** The values that may be shown and saved. */
  list(known?: (studie: string) => boolean): StudieCount[] {
    return [...this.byKey.values()]
      .filter((t) => !this.hidden(t, known))
      .map((t) => ({
        studie: t.studie,
        count: t.count,
        klassen: [...t.klassen].sort(compareNl),
        ...(t.leerjaren.size ? { leerjaren: [...t.leerjaren].sort((a, b) => Number(a) - Number(b)) } : {}),
      }))
      .sort((a, b) => compareNl(a.studie, b.studie));
  }

  /**
   * What the admin must know before convert stops on it: rows without a Studie, and the values left out of list(),
   * by their rows ("2 leerlingen hebben een Studie die niet getoond ... (rij 10, 30)"). A name, an e-mail address
   * or a note about a student in the Studie cell must not reach a prompt or the mapping kept for years.
   */
  notes(known?: (studie: string) => boolean): string[] {
    const notes = this.empty ? [`${plural(this.empty, 'leerling heeft', 'leerlingen hebben')} geen Studie; vul die in de leerlingadministratie in, anders stopt convert.`] : [];
    const { count, rows: suspect } = this.suspect;
    if (count) {
      notes.push(
        `${plural(count, 'rij heeft', 'rijen hebben')} waarden in de verkeerde kolom (verschoven kolommen, een Stamnr dat geen nummer is of een e-mailadres zonder @; rij ${namedFew(suspect.map(String), ROWS_SHOWN, { total: count })}): hun Studie wordt niet getoond of bewaard. Verbeter die rijen in de export, anders stopt convert.`,
      );
    }
    const hidden = [...this.byKey.values()].filter((t) => this.hidden(t, known));
    if (!hidden.length) return notes;
    const students = hidden.reduce((n, t) => n + t.count, 0);
    const rows = hidden.flatMap((t) => t.rows).sort((a, b) => a - b);
    const shown = `rij ${namedFew(rows.map(String), ROWS_SHOWN, { total: students })}`;
    return [
      ...notes,
      `${plural(students, 'leerling heeft', 'leerlingen hebben')} een Studie die niet getoond of bewaard wordt (een naam, e-mailadres, notitie of #N/B?; ${shown}): is het een opleiding (een lange mbo-naam, of een opleiding van één leerling), zet hem dan zelf met de code in de mapping; anders: verbeter de export.`,
    ];
  }
}

/**
 * A column chosen as Studie that is really names, Stamnrs or e-mails (the same judgement convert makes). Then
 * every "Studie" would be asked for (or, in the mapping workbook, written out as personal data). The message
 * names the column and the counts, never a value.
 */
export function studieColumnProblem(header: string, t: StudieTally): string | undefined {
  if (looksLikeStudieColumn(t.counts())) return undefined;
  return `Kolom '${header}' heeft ${t.distinct} verschillende waarden bij ${t.rows - t.empty} leerlingen; dat is geen kolom Studie (namen, e-mailadressen of nummers?). Kies de kolom met de studie, bijvoorbeeld '2 havo' of '1 kader'.`;
}
