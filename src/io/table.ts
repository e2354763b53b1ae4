import { EXIT, UserError } from '../core/errors.js';
import { matchColumns, missingRequired, type ColumnMap, type ColumnSpec } from '../core/columns.js';
import { looksLikeDate, looksLikeStamnr } from '../core/shape.js';
import { headerKey, normaliseText } from '../core/text.js';
import { LIMITS } from './limits.js';
import { isBlankRow, type RawRow, type Sheet } from '../core/raw-row.js';

export interface Table<K extends string> {
  sheet?: string;
  headerRow: number;
  headers: string[];
  columns: ColumnMap<K>;
  /** The rows below the header, streamed. */
  rows: AsyncIterable<RawRow>;
}

interface Candidate {
  sheetIndex: number;
  sheet?: string;
  row: RawRow;
  matched: number;
  lastScanned: number;
}

/**
 * Finds the header row (title rows above it are common) in the first sheet that has one, and returns the
 * rows below it as a stream. Columns may be in any order; extra columns are ignored.
 */
export async function locateTable<K extends string>(
  fileName: string,
  sheets: Sheet[],
  specs: readonly ColumnSpec<K>[],
  o: { allowMissing?: boolean } = {},
): Promise<Table<K>> {
  let best: Candidate | undefined;
  let sawRows = false;
  for (const [sheetIndex, sheet] of sheets.entries()) {
    const it = sheet.rows[Symbol.asyncIterator]();
    const scanned: RawRow[] = [];
    let found: { index: number; columns: ColumnMap<K> } | undefined;
    while (scanned.length < LIMITS.headerScanRows) {
      const next = await it.next();
      if (next.done) break;
      if (isBlankRow(next.value)) continue;
      sawRows = true;
      scanned.push(next.value);
      const headers = next.value.cells.map(normaliseText);
      const columns = matchColumns(headers, specs);
      const matched = Object.keys(columns).length;
      if (matched > 0 && missingRequired(columns, specs).length === 0) {
        found = { index: scanned.length - 1, columns };
        break;
      }
      if (matched > (best?.matched ?? 0)) best = { sheetIndex, ...(sheet.name ? { sheet: sheet.name } : {}), row: next.value, matched, lastScanned: 0 };
    }
    if (best && !found) best.lastScanned = Math.max(best.lastScanned, scanned.at(-1)?.row ?? 0);
    if (found) {
      const header = scanned[found.index]!;
      const buffered = scanned.slice(found.index + 1);
      return {
        ...(sheet.name ? { sheet: sheet.name } : {}),
        headerRow: header.row,
        headers: header.cells.map(normaliseText),
        columns: found.columns,
        rows: { [Symbol.asyncIterator]: () => continueAfter(buffered, it) },
      };
    }
    await it.return?.();
  }
  if (!sawRows) throw new UserError(`${fileName} is leeg: geen enkele rij met gegevens. Maak de export opnieuw.`, EXIT.usage);
  if (o.allowMissing && best) return partialTable(sheets, best, specs);
  throw headerError(fileName, specs, best);
}

/** The rows already scanned, then the rest of the same iterator — without another async generator layer. */
function continueAfter(buffered: RawRow[], it: AsyncIterator<RawRow>): AsyncIterator<RawRow> {
  let i = 0;
  return {
    next: () => (i < buffered.length ? Promise.resolve({ done: false, value: buffered[i++]! }) : it.next()),
    return: async () => (await it.return?.()) ?? { done: true, value: undefined },
  };
}

/** The best header found, even with columns missing: the wizard lets the admin point them out. */
function partialTable<K extends string>(sheets: Sheet[], best: Candidate, specs: readonly ColumnSpec<K>[]): Table<K> {
  const headers = best.row.cells.map(normaliseText);
  const sheet = sheets[best.sheetIndex]!;
  return {
    ...(best.sheet ? { sheet: best.sheet } : {}),
    headerRow: best.row.row,
    headers,
    columns: matchColumns(headers, specs),
    rows: (async function* () {
      for await (const r of sheet.rows) if (r.row > best.row.row) yield r;
    })(),
  };
}

/** Header names the admin chose for a column (saved in the config) are tried before the built-in aliases. */
export function withOverrides<K extends string>(specs: readonly ColumnSpec<K>[], overrides: Partial<Record<K, string>> | undefined): ColumnSpec<K>[] {
  return specs.map((s) => {
    const custom = overrides?.[s.key];
    return custom ? { ...s, aliases: [headerKey(custom), ...s.aliases] } : s;
  });
}

function headerError<K extends string>(fileName: string, specs: readonly ColumnSpec<K>[], best: Candidate | undefined): UserError {
  const expected = specs.filter((s) => s.required).map((s) => s.label).join(', ');
  if (!best) {
    return new UserError(
      `Geen kolomkoppen herkend in ${fileName} (eerste ${LIMITS.headerScanRows} rijen doorzocht). ` +
        `Nodig zijn kolommen ${expected}. Controleer of dit de juiste export is en of de kopregel erin staat.`,
    );
  }
  const headers = best.row.cells.map(normaliseText).filter(Boolean);
  const columns = matchColumns(headers, specs);
  const missing = missingRequired(columns, specs).map((s) => `'${s.label}'`);
  const where = `${fileName}${best.sheet ? `, blad '${best.sheet}'` : ''} (rij 1–${Math.max(best.lastScanned, best.row.row)} doorzocht)`;
  // The best row matched a known header, yet it may be a student's row (a student called Klas, no header at
  // all): a row with a number, an e-mail address or a date is data, and then none of its cells is shown.
  const isData = headers.some((h) => looksLikeStamnr(h) || h.includes('@') || looksLikeDate(h));
  const found = isData
    ? `Rij ${best.row.row} lijkt een rij met gegevens, geen kopregel: staat de kopregel in het bestand?`
    : `Gevonden kolommen: ${headers.join(', ')}.`;
  return new UserError(
    `${missing.length > 1 ? 'Kolommen' : 'Kolom'} ${missing.join(', ')} niet gevonden in ${where}. ` +
      `${found} Voeg de kolom toe in Magister (Kolommenkiezer) of geef de kolomkop de juiste naam.`,
  );
}
