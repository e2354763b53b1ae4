import type { Findings, RowRef } from './findings.js';
import { namedFew } from './format.js';
import { LIMITS } from './limits.js';
import { columnLetters, type MergedRange } from './raw-row.js';
import { IDGEBR_HEADER, NUMO_HEADERS } from './schema.js';
import type { ExportField } from './sources.js';
import { headerKey, normaliseText, stamnrKey } from './text.js';

/** One logical column: how it is called in the user's file (aliases, as headerKey) and whether it must be there. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  label: string;
  aliases: readonly string[];
  required: boolean;
}

export type ColumnMap<K extends string = string> = Partial<Record<K, number>>;

export type { ExportField };

/** Stamnr→IDGebr table, or Magister's migratiehulpbestand (stamnr | idgebr | externeid | realmid). */
export const IDGEBR_COLUMNS = [
  { key: 'stamnr', label: 'Stamnr', required: true, aliases: ['stamnr', 'stamnummer', 'stamnrstr', 'leerlingnummer', 'leerlingnr'] },
  { key: 'idgebr', label: 'IDGebr', required: true, aliases: ['idgebr'] },
  // idgebr@realm: checked against the idgebr beside it (see buildIdgebrIndex), never read in its place.
  { key: 'realmid', label: 'realmid', required: false, aliases: ['realmid'] },
] as const satisfies readonly ColumnSpec[];

type NumoHeader = (typeof NUMO_HEADERS)[number] | typeof IDGEBR_HEADER;
/** A Numo header as a column key, as headerKey reads a header cell: no hyphen, lower case (e-mail → email). */
type NumoKey = Lowercase<NumoHeader extends infer H ? (H extends `${infer A}-${infer B}` ? `${A}${B}` : H) : never>;
/** The columns a Numo file cannot do without (a file of only docenten needs no opleiding; a student row without one is an error of its own). */
const NUMO_REQUIRED: readonly NumoHeader[] = ['gebruikersnaam', 'voornaam', 'achternaam', 'rol'];

/** The Numo import CSV, for `check` and `--previous`: built from NUMO_HEADERS (schema.ts), where the writer gets them. */
export const NUMO_COLUMNS: readonly ColumnSpec<NumoKey>[] = ([...NUMO_HEADERS, IDGEBR_HEADER] as const).map((label: NumoHeader) => {
  const key = label.replace('-', '').toLowerCase() as NumoKey;
  return { key, label, required: NUMO_REQUIRED.includes(label), aliases: [key] };
});

/**
 * Assign header cells to columns. An earlier alias wins over a later one ("Stamnr" over "gebruikersnaam" when
 * both are there), and one header cell serves one column only.
 */
export function matchColumns<K extends string>(headers: readonly string[], specs: readonly ColumnSpec<K>[]): ColumnMap<K> {
  const keys = headers.map(headerKey);
  const taken = new Set<number>();
  const map: ColumnMap<K> = {};
  for (const spec of specs) {
    for (const alias of spec.aliases) {
      const index = keys.findIndex((k, i) => k === alias && !taken.has(i));
      if (index >= 0) {
        map[spec.key] = index;
        taken.add(index);
        break;
      }
    }
  }
  return map;
}

export function missingRequired<K extends string>(map: ColumnMap<K>, specs: readonly ColumnSpec<K>[]): ColumnSpec<K>[] {
  return specs.filter((s) => s.required && map[s.key] === undefined);
}

/**
 * A used column with a twin: another header cell that no column took, with the same name or, for a column whose
 * other spellings the caller gives (the student number: "Stamnr" and "Leerlingnummer"), another spelling of it.
 * Which of the two is meant is a guess.
 */
export interface TwinColumn<K extends string = string> {
  key: K;
  /** The header cells as written. */
  header: string;
  twinHeader: string;
  used: number;
  twin: number;
}

/**
 * The twins of the used columns (see TwinColumn). `spellings`: columns whose other spellings count as well. Only
 * the student number has such: a staff list has Stamnr next to Personeelsnummer, an export a school address next
 * to a private one, and Roepnaam next to Voornaam, by design; the alias order decides those.
 */
export function twinColumns<K extends string>(headers: readonly string[], map: ColumnMap<K>, spellings: readonly ColumnSpec<K>[] = []): TwinColumn<K>[] {
  const keys = headers.map(headerKey);
  const used = new Set<number>(Object.values(map));
  const twins: TwinColumn<K>[] = [];
  for (const [key, index] of Object.entries(map) as [K, number][]) {
    const name = keys[index];
    if (!name) continue;
    const same = new Set([name, ...(spellings.find((s) => s.key === key)?.aliases ?? [])]);
    keys.forEach((k, twin) => {
      if (same.has(k) && !used.has(twin)) twins.push({ key, header: headers[index]!, twinHeader: headers[twin]!, used: index, twin });
    });
  }
  return twins;
}

const twinText = (t: TwinColumn, file?: string) =>
  headerKey(t.header) === headerKey(t.twinHeader)
    ? `Kolom '${t.header}' staat twee keer in de kopregel${file ? ` van ${file}` : ''} (kolom ${columnLetters(t.used)} en ${columnLetters(t.twin)})`
    : `Kolom '${t.header}' en kolom '${t.twinHeader}' zijn twee namen voor hetzelfde gegeven${file ? ` in ${file}` : ''} (kolom ${columnLetters(t.used)} en ${columnLetters(t.twin)})`;
const TWIN_HINT = 'Haal de verkeerde kolom weg, of geef hem een andere kopnaam, en probeer opnieuw.';

/** A value as a twin is compared: a Stamnr as the IDGebr join compares it (001234 = 1234). */
const comparable = (key: string, value: string): string => (key === 'stamnr' ? stamnrKey(value) : value);

/**
 * Reports a row whose twin cell holds a value the used cell does not: which of the two is right is unknowable.
 * A twin that is empty or the same on every row is harmless, so an export with a column copied stays usable.
 * `file` names the file when it is not the export.
 */
export function checkTwins(twins: readonly TwinColumn[], cells: readonly string[], ref: RowRef, findings: Findings, file?: string): void {
  for (let i = 0; i < twins.length; i++) {
    const t = twins[i]!;
    // One finding per used column and row, however many twins it has (an E-mail header copied 900 times).
    if (i > 0 && twins[i - 1]!.used === t.used) continue;
    const group = twins.filter((x) => x.used === t.used);
    const used = comparable(t.key, normaliseText(cells[t.used] ?? ''));
    if (
      group.some((x) => {
        const twin = normaliseText(cells[x.twin] ?? '');
        return twin !== '' && comparable(t.key, twin) !== used;
      })
    ) {
      findings.error('twin-column', `${groupText(group, file)} en ${group.length > 1 ? 'ze' : 'de twee'} verschillen`, ref, TWIN_HINT);
    }
  }
}

/** The twins of one used column as one text: a header there three or 900 times is one problem. */
function groupText(group: readonly TwinColumn[], file?: string): string {
  const t = group[0]!;
  if (group.length === 1) return twinText(t, file);
  const columns = [t.used, ...group.map((x) => x.twin)];
  const other = group.some((x) => headerKey(x.twinHeader) !== headerKey(t.header)) ? ', ook onder een andere naam' : '';
  return `Kolom '${t.header}' staat ${columns.length} keer in de kopregel${file ? ` van ${file}` : ''}${other} (kolom ${namedFew(columns.slice(0, 3).map(columnLetters), 3, { total: columns.length })})`;
}

/** For a file that goes to Numo as it is: which of the two Numo would read is not known, so any twin is an error. */
export function reportTwinHeaders(twins: readonly TwinColumn[], findings: Findings): void {
  for (let i = 0; i < twins.length; i++) {
    if (i === 0 || twins[i - 1]!.used !== twins[i]!.used) findings.error('twin-column', groupText(twins.filter((x) => x.used === twins[i]!.used)), undefined, TWIN_HINT);
  }
}

/** Name parts: one lost to a merged block is an error (Sanne van der Berg would reach Numo as Sanne Berg). */
const NAME_FIELDS: ReadonlySet<string> = new Set(['roepnaam', 'tussenvoegsel', 'achternaam']);

/**
 * Merged cells over data rows in a used column. Excel shows the top-left value over the whole block; the file has
 * it in that cell only. Down the top-left cell's column (a Klas over three rows, a tussenvoegsel over two) the rows
 * below would reach Numo without the value Excel shows them: an error for a name part, a warning for the rest. A
 * used column to the right of it in the block (a Tussenv. merged with the column beside it) is empty in the file:
 * what belonged there is unknown, a warning. A block whose top row is no student's (a title, a note below the
 * list), or one row over three or more used columns with the others empty (a note across the list), takes nothing
 * from one, and neither does a cell the writer kept filled. One finding per column, naming the rows. Only rows up to
 * the last student's count; beyond 4 × LIMITS.rows cells to check, the file is refused (an error).
 */
export function reportMergedCells(
  ranges: readonly MergedRange[],
  columns: ColumnMap,
  headers: readonly string[],
  rows: { isStudentRow: (row: number) => boolean; isEmptyCell: (row: number, field: ExportField) => boolean; lastStudentRow: number },
  findings: Findings,
): void {
  let budget = 4 * LIMITS.rows;
  const { isStudentRow, isEmptyCell } = rows;
  // Per used column its field: the first one (a column is one field's).
  const used = new Map<number, ExportField>();
  for (const [field, column] of Object.entries(columns) as [ExportField, number][]) if (!used.has(column)) used.set(column, field);
  for (const r of ranges) {
    if (!isStudentRow(r.first)) continue;
    // One row over three or more used columns, with nothing in the used columns outside it: a note across the list,
    // which is no student's (a row with only a note is reported as such). Within a student's row, a block is reported.
    if (r.first === r.last) {
      let covered = 0;
      let outside = false;
      for (const [column, field] of used) {
        if (column >= r.column && column <= r.lastColumn) covered++;
        else if (!isEmptyCell(r.first, field)) outside = true;
      }
      if (covered >= 3 && !outside) continue;
    }
    for (const [column, field] of used) {
      if (column < r.column || column > r.lastColumn) continue;
      const down = column === r.column;
      // The top-left cell keeps the value; a cell the writer filled too (SheetJS does) lost nothing.
      // Rows below the last student's hold nothing to lose (a block down to row 1,048,576 costs no more than the list).
      const last = Math.min(r.last, rows.lastStudentRow);
      for (let row = down ? r.first + 1 : r.first; row <= last; row++) {
        // More to check than any list needs: refused, never a part left unchecked.
        budget -= 1;
        if (budget < 0) {
          findings.error(
            'merged-cells-too-many',
            'Te veel samengevoegde cellen om na te kijken: een verloren naamdeel zou er tussen kunnen zitten',
            undefined,
            'Maak in Excel het samenvoegen ongedaan (alles selecteren, Samenvoegen en centreren uit) en sla opnieuw op.',
          );
          return;
        }
        if (!isStudentRow(row) || !isEmptyCell(row, field)) continue;
        if (down) {
          findings.add(
            NAME_FIELDS.has(field) ? 'error' : 'warning',
            'merged-cells',
            `Samengevoegde cellen in kolom '${headers[column]}': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde`,
            { row },
            'Maak in Excel het samenvoegen ongedaan en vul de waarde in elke rij in (Excel toont hem in elke rij, maar bewaart hem in de bovenste).',
          );
        } else {
          findings.warn(
            'merged-cells-across',
            `Kolom '${headers[column]}' is samengevoegd met een kolom links ervan: in het bestand is die cel leeg`,
            { row },
            `Maak in Excel het samenvoegen ongedaan en vul in kolom '${headers[column]}' de eigen waarde in (of laat hem leeg als er geen is).`,
          );
        }
      }
    }
  }
}
