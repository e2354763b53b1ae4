import { type ColumnMap, checkTwins, type TwinColumn } from './columns.js';
import { Findings } from './findings.js';
import { KeyTable } from './int-table.js';
import { isBlankRow, type RawRow, rowBatches } from './raw-row.js';
import { fieldsFit, isChangedNumber, isFormulaZero } from './shape.js';
import { LeadingZeros, stamnrChanged } from './stamnr.js';
import { compactKey, normaliseText, stamnrKey } from './text.js';

/**
 * Stamnr -> IDGebr, for the join. Each Stamnr listed has a slot: its IDGebr (none when the row has none) and its row,
 * so a second row with the same Stamnr can name the first. The pipeline marks the slots the export uses in a byte
 * array of its own, and counts the rest at the end. Stamnrs and IDGebrs that are plain numbers (compactKey), as good
 * as all of them, live in typed arrays: no object per student for the garbage collector, and no Map that rebuilds
 * its tables as it grows to 100,000 keys.
 */
export class IdgebrIndex {
  readonly findings = new Findings();
  /** Rows whose Stamnr a spreadsheet changed (100001.0): named per row, and not in the index. */
  changedStamnrs = 0;
  private readonly slots = new KeyTable();
  /** Per slot: the IDGebr as a number, or NaN (then textIds has it, or the row had none). */
  private ids = new Float64Array(1024);
  private readonly textIds = new Map<number, string>();
  private rows = new Int32Array(1024);
  private count = 0;
  /** Rows that had an IDGebr: a file without any would give no student SSO. */
  private withId = 0;
  /** The form of the file's Stamnrs: padded with leading zeros to one width, or not (see LeadingZeros). */
  readonly stamnrForm = new LeadingZeros();

  /** Adds a row; a Stamnr listed before is not added, and the row of its first listing is returned. */
  add(stamnr: string, idgebr: string, row: number): number | undefined {
    const key = compactKey(stamnrKey(stamnr));
    const slot = this.count;
    const earlier = this.slots.add(key, slot);
    if (earlier >= 0) return this.rows[earlier];
    this.stamnrForm.observe(stamnr, { row });
    if (slot === this.ids.length) this.growTo(slot * 2);
    const id = compactKey(idgebr);
    if (id !== '') this.withId++;
    if (typeof id === 'number') this.ids[slot] = id;
    else {
      this.ids[slot] = Number.NaN;
      if (id !== '') this.textIds.set(slot, id);
    }
    this.rows[slot] = row;
    this.count++;
    return undefined;
  }

  /** Whether any row had an IDGebr. */
  get anyIdgebr(): boolean {
    return this.withId > 0;
  }

  /** Stamnrs listed (also those without an IDGebr): the length of the pipeline's array of marks. */
  get size(): number {
    return this.count;
  }

  /** The slot of a Stamnr, if the file lists it (compared as add() stores it: see stamnrKey). */
  slot(stamnr: string): number | undefined {
    if (!stamnr) return undefined;
    const slot = this.slots.get(compactKey(stamnrKey(stamnr)));
    return slot < 0 ? undefined : slot;
  }

  /** The IDGebr in a slot; undefined when that row had none. */
  idgebrAt(slot: number | undefined): string | undefined {
    if (slot === undefined) return undefined;
    const id = this.ids[slot]!;
    return Number.isNaN(id) ? this.textIds.get(slot) : String(id);
  }

  /** Rows with an IDGebr whose slot is not marked: students the export does not have. */
  unmarked(marks: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (!marks[i] && (!Number.isNaN(this.ids[i]!) || this.textIds.has(i))) n++;
    return n;
  }

  private growTo(length: number): void {
    const ids = new Float64Array(length);
    ids.set(this.ids);
    this.ids = ids;
    const rows = new Int32Array(length);
    rows.set(this.rows);
    this.rows = rows;
  }
}

/**
 * Builds the Stamnr → IDGebr lookup; a Stamnr listed twice is an error (which IDGebr is right is unknowable), and
 * so is a CSV row with another number of fields than its header (`csvHeaders`): its IDGebr cell may hold the
 * column next to it, another student's number.
 */
export async function buildIdgebrIndex(
  fileName: string,
  rows: AsyncIterable<RawRow>,
  columns: ColumnMap<'stamnr' | 'idgebr' | 'realmid'>,
  o: { twins?: readonly TwinColumn[]; csvHeaders?: readonly string[] } = {},
): Promise<IdgebrIndex> {
  const index = new IdgebrIndex();
  const twins = o.twins ?? [];
  for await (const batch of rowBatches(rows)) {
    for (const r of batch) {
      const stamnr = normaliseText(r.cells[columns.stamnr!] ?? '');
      if (twins.length) checkTwins(twins, r.cells, { row: r.row, stamnr }, index.findings, fileName);
      // A blank line (one at the end, from Notepad) shifts nothing.
      if (o.csvHeaders && !fieldsFit(r.cells, o.csvHeaders) && !isBlankRow(r)) {
        index.findings.error(
          'idgebr-field-count',
          `Aantal velden wijkt af van de kopregel van ${fileName} (verschoven kolommen?)`,
          { row: r.row, stamnr },
          `Verbeter deze rijen in ${fileName}, of sla het bestand in Excel opnieuw op als CSV.`,
        );
        continue;
      }
      // A Stamnr 0 is a lookup formula's empty cell: no student has it (a student's Stamnr 0 is an error), and two
      // of them are no Stamnr twice.
      if (!stamnr || isFormulaZero(stamnr)) continue;
      if (isChangedNumber(stamnr)) {
        index.changedStamnrs++;
        stamnrChanged(index.findings, { row: r.row }, fileName);
        continue;
      }
      const idgebr = normaliseText(r.cells[columns.idgebr!] ?? '');
      // Magister's migratiehulpbestand says each IDGebr twice: in idgebr and in realmid (idgebr@realm). They differ
      // when one column was sorted on its own in Excel ("alleen de selectie"): then every student had another one's.
      if (columns.realmid !== undefined && idgebr) {
        const realmid = normaliseText(r.cells[columns.realmid] ?? '');
        const at = realmid.indexOf('@');
        if (at > 0 && compactKey(realmid.slice(0, at)) !== compactKey(idgebr)) {
          index.findings.error(
            'idgebr-realmid',
            `IDGebr en realmid noemen een ander nummer in ${fileName} (een kolom apart gesorteerd?)`,
            { row: r.row, stamnr },
            `Vraag het bestand opnieuw bij de applicatiebeheerder van Magister en sorteer nooit één kolom apart; welk IDGebr bij wie hoort, is nu niet zeker.`,
          );
        }
      }
      const earlier = index.add(stamnr, idgebr, r.row);
      if (earlier !== undefined) {
        index.findings.error('idgebr-duplicate', `Stamnr staat meer dan eens in ${fileName}`, { row: r.row, stamnr, first: earlier }, `Laat per Stamnr één regel staan in ${fileName}.`);
      }
    }
  }
  // Stamnrs and not one IDGebr (a column that never got filled, or a migratiehulpbestand with only realmids): every
  // student would go without SSO, which a school that gives this file wants.
  if (index.size && !index.anyIdgebr) {
    index.findings.error(
      'idgebr-file-empty',
      `${fileName} heeft bij geen enkel Stamnr een IDGebr: de kolom IDGebr is leeg`,
      undefined,
      'Vraag de Magister-applicatiebeheerder het IDGebr-bestand opnieuw, met de IDGebrs ingevuld; logt niemand met SSO in, zet dan om zonder IDGebr-bestand.',
    );
  }
  return index;
}
