import { normaliseText, studieKey } from './text.js';

export interface StudieCount {
  studie: string;
  count: number;
  /** Up to three klassen of this Studie, to recognise it by ("1A, 1B, 1C"). */
  klassen: string[];
}

const KLASSEN_SHOWN = 3;

/** The distinct Studie values of an export with their number of students, as first spelled. */
export class StudieTally {
  private readonly byKey = new Map<string, { studie: string; count: number; klassen: Set<string> }>();
  rows = 0;
  /** Rows without a Studie. */
  empty = 0;

  add(studie: string, klas = ''): void {
    this.rows++;
    const s = normaliseText(studie);
    if (!s) {
      this.empty++;
      return;
    }
    const key = studieKey(s);
    let t = this.byKey.get(key);
    if (!t) {
      t = { studie: s, count: 0, klassen: new Set() };
      this.byKey.set(key, t);
    }
    t.count++;
    const k = normaliseText(klas);
    if (k && t.klassen.size < KLASSEN_SHOWN) t.klassen.add(k);
  }

  get distinct(): number {
    return this.byKey.size;
  }

  list(): StudieCount[] {
    return [...this.byKey.values()]
      .map((t) => ({ studie: t.studie, count: t.count, klassen: [...t.klassen].sort((a, b) => a.localeCompare(b, 'nl', { numeric: true })) }))
      .sort((a, b) => a.studie.localeCompare(b.studie, 'nl', { numeric: true }));
  }
}

/** A school has a few dozen Studies, a board with several locations a few hundred at most. */
export const MAX_PLAUSIBLE_STUDIES = 200;

/**
 * A column chosen as Studie that is really names, Stamnrs or e-mails: nearly every row a different value. Then
 * every "Studie" would be asked for (or, in the mapping workbook, written out as personal data). The message
 * names the column and the counts, never a value.
 */
export function studieColumnProblem(header: string, t: { distinct: number; rows: number }): string | undefined {
  const mostlyUnique = t.distinct >= 20 && t.distinct * 2 > t.rows;
  if (t.distinct <= MAX_PLAUSIBLE_STUDIES && !mostlyUnique) return undefined;
  return `Kolom '${header}' heeft ${t.distinct} verschillende waarden bij ${t.rows} leerlingen; dat is geen kolom Studie (namen, e-mailadressen of nummers?). Kies de kolom met de studie, bijvoorbeeld '2 havo' of '1 kader'.`;
}
