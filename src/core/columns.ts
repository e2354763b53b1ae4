import { type ExportField, sourceColumns } from './sources.js';
import { headerKey } from './text.js';

/** One logical column: how it is called in the user's file (aliases, as headerKey) and whether it must be there. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  label: string;
  aliases: readonly string[];
  required: boolean;
}

export type ColumnMap<K extends string = string> = Partial<Record<K, number>>;

/**
 * The Magister deelnemersexport and its other layouts (students): the default header set, and the field list
 * for config overrides. The spellings of every source are declared in sources.ts.
 */
export const EXPORT_COLUMNS: readonly ColumnSpec<ExportField>[] = sourceColumns('magister', 'leerling');

export type { ExportField };

/** Stamnr→IDGebr table, or Magister's migratiehulpbestand (stamnr | idgebr | externeid | realmid). */
export const IDGEBR_COLUMNS = [
  { key: 'stamnr', label: 'Stamnr', required: true, aliases: ['stamnr', 'stamnummer', 'stamnrstr', 'leerlingnummer', 'leerlingnr'] },
  { key: 'idgebr', label: 'IDGebr', required: true, aliases: ['idgebr'] },
] as const satisfies readonly ColumnSpec[];

/** The Numo import CSV, for `check` and `--previous`. */
export const NUMO_COLUMNS = [
  { key: 'gebruikersnaam', label: 'gebruikersnaam', required: true, aliases: ['gebruikersnaam'] },
  { key: 'voornaam', label: 'voornaam', required: true, aliases: ['voornaam'] },
  { key: 'tussenvoegsel', label: 'tussenvoegsel', required: false, aliases: ['tussenvoegsel'] },
  { key: 'achternaam', label: 'achternaam', required: true, aliases: ['achternaam'] },
  { key: 'klas', label: 'klas', required: false, aliases: ['klas'] },
  { key: 'opleiding', label: 'opleiding', required: true, aliases: ['opleiding'] },
  { key: 'email', label: 'e-mail', required: false, aliases: ['email'] },
  { key: 'wachtwoord', label: 'wachtwoord', required: false, aliases: ['wachtwoord'] },
  { key: 'rol', label: 'rol', required: true, aliases: ['rol'] },
  { key: 'idgebr', label: 'IDGebr', required: false, aliases: ['idgebr'] },
] as const satisfies readonly ColumnSpec[];

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
