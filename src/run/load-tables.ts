import { IDGEBR_COLUMNS } from '../core/columns.js';
import { buildIdgebrIndex, type IdgebrIndex } from '../core/idgebr.js';
import { Mapping, parseMappingRows } from '../core/mapping.js';
import { loadInput, sheetsOf } from '../io/input.js';
import type { RawRow } from '../io/raw-row.js';
import { locateTable } from '../io/table.js';

async function firstSheetRows(path: string): Promise<{ name: string; rows: RawRow[] }> {
  const input = await loadInput(path);
  const [sheet] = await sheetsOf(input);
  const rows: RawRow[] = [];
  if (sheet) for await (const r of sheet.rows) rows.push(r);
  return { name: input.name, rows };
}

/** The mapping file: .csv or .xlsx (first sheet), Studie and opleidingscode in the first two columns. */
export async function loadMapping(path: string): Promise<Mapping> {
  const { name, rows } = await firstSheetRows(path);
  return parseMappingRows(name, rows);
}

/** The Stamnr/IDGebr file or Magister's migratiehulpbestand. */
export async function loadIdgebr(path: string): Promise<{ index: IdgebrIndex; name: string }> {
  const input = await loadInput(path);
  const table = await locateTable(input.name, await sheetsOf(input), IDGEBR_COLUMNS);
  return { index: await buildIdgebrIndex(input.name, table.rows, table.columns), name: input.name };
}
