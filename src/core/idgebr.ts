import type { ColumnMap } from './columns.js';
import { Findings } from './findings.js';
import { type RawRow, rowBatches } from './raw-row.js';
import { compactKey, normaliseText, stamnrKey } from './text.js';

/**
 * Stamnr → IDGebr, for the join. Each Stamnr listed has a slot (one hash table for 100,000 students, not one per
 * fact): its IDGebr ('' when the row has none) and its row, so a second row with the same Stamnr can name the first.
 * The pipeline marks the slots the export uses in a byte array of its own, and counts the rest at the end. Keys
 * and IDGebrs that are plain numbers are kept as numbers (compactKey): no string object per student.
 */
export class IdgebrIndex {
  readonly findings = new Findings();
  private readonly slots = new Map<string | number, number>();
  private readonly ids: (string | number)[] = [];
  private readonly rows: number[] = [];

  /** Adds a row; a Stamnr listed before is not added, and the row of its first listing is returned. */
  add(stamnr: string, idgebr: string, row: number): number | undefined {
    const key = compactKey(stamnrKey(stamnr));
    const earlier = this.slots.get(key);
    if (earlier !== undefined) return this.rows[earlier];
    this.slots.set(key, this.ids.length);
    this.ids.push(compactKey(idgebr));
    this.rows.push(row);
    return undefined;
  }

  /** Stamnrs listed (also those without an IDGebr): the length of the pipeline's array of marks. */
  get size(): number {
    return this.ids.length;
  }

  /** The slot of a Stamnr, if the file lists it (compared as add() stores it: see stamnrKey). */
  slot(stamnr: string): number | undefined {
    return stamnr ? this.slots.get(compactKey(stamnrKey(stamnr))) : undefined;
  }

  /** The IDGebr in a slot; undefined when that row had none. */
  idgebrAt(slot: number | undefined): string | undefined {
    const id = slot === undefined ? '' : this.ids[slot]!;
    return id === '' ? undefined : String(id);
  }

  /** Rows with an IDGebr whose slot is not marked: students the export does not have. */
  unmarked(marks: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < this.ids.length; i++) if (this.ids[i] !== '' && !marks[i]) n++;
    return n;
  }
}

/** Builds the Stamnr → IDGebr lookup; a Stamnr listed twice is an error (which IDGebr is right is unknowable). */
export async function buildIdgebrIndex(fileName: string, rows: AsyncIterable<RawRow>, columns: ColumnMap<'stamnr' | 'idgebr'>): Promise<IdgebrIndex> {
  const index = new IdgebrIndex();
  for await (const batch of rowBatches(rows)) {
    for (const r of batch) {
      const stamnr = normaliseText(r.cells[columns.stamnr!] ?? '');
      if (!stamnr) continue;
      const earlier = index.add(stamnr, normaliseText(r.cells[columns.idgebr!] ?? ''), r.row);
      if (earlier !== undefined) {
        index.findings.error('idgebr-duplicate', `Stamnr staat meer dan eens in ${fileName}`, { row: r.row, stamnr }, `Laat per Stamnr één regel staan in ${fileName} (eerste keer: rij ${earlier}).`);
      }
    }
  }
  return index;
}
