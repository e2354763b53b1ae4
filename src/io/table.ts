import { type ColumnMap, type ColumnSpec, matchColumns, missingRequired } from '../core/columns.js';
import { EXIT, UserError } from '../core/errors.js';
import { formatNumber, namedFew } from '../core/format.js';
import { isBlankRow, type MergedRange, prepend, type RawRow, type Sheet, sheetLabel } from '../core/raw-row.js';
import { looksLikeDate, looksLikeStamnr } from '../core/shape.js';
import { clip, headerKey, headerText, normaliseText } from '../core/text.js';
import { LIMITS } from './limits.js';

/** Headers named in a "column not found" message; the rest are counted (a message stays a few lines). */
const MAX_LISTED = 10;

export interface Table<K extends string> {
  sheet?: string;
  /** The sheet is hidden in Excel: no visible sheet had the header. */
  hiddenSheet?: boolean;
  /** Other visible sheets (of the next few) that have a fitting header too: which one is meant is a guess. */
  otherSheets?: string[];
  headerRow: number;
  headers: string[];
  /** The header cells as the file has them (headers is normalised: spaces trimmed, invisible characters gone). */
  rawHeaders: readonly string[];
  columns: ColumnMap<K>;
  /** Which candidate header set was found (its id), when several were offered. */
  candidate?: string;
  /** The rows below the header, streamed. */
  rows: AsyncIterable<RawRow>;
  /** The sheet's merged cells (see Sheet.merged): complete once the rows are read. */
  merged?: readonly MergedRange[];
}

/** One header set a file may have (a source's columns); known extra headers count towards picking the best. */
export interface HeaderCandidate<K extends string> {
  id: string;
  specs: readonly ColumnSpec<K>[];
  /** Header keys this candidate recognises but does not use: they make it a better fit than another. */
  known?: ReadonlySet<string>;
}

interface Candidate {
  sheetIndex: number;
  sheet?: string;
  row: RawRow;
  matched: number;
  lastScanned: number;
  specs: readonly ColumnSpec<string>[];
  id: string;
}

export interface LocateOptions {
  allowMissing?: boolean;
  /** What to tell the admin when a required column is missing (default: Magister's Kolommenkiezer). */
  hint?: string;
  /**
   * Extra advice from the headers found and the keys of the missing columns (header names only). `weak`: the row has
   * fewer than two known headers, so its other cells may be a student's data: name none of them.
   */
  explain?: (headers: string[], missing: string[], weak: boolean) => string | undefined;
  /** A header of another kind of list (a staff list before the students'): a sheet with it is no near miss. */
  otherKind?: (headers: string[]) => boolean;
}

/**
 * Finds the header row (title rows above it are common) in the first sheet that has one (hidden sheets last), and
 * returns the rows below it as a stream. Columns may be in any order; extra columns are ignored.
 */
export async function locateTable<K extends string>(fileName: string, sheets: Sheet[], specs: readonly ColumnSpec<K>[], o: LocateOptions = {}): Promise<Table<K>> {
  const { candidate: _id, ...table } = await locateBest(fileName, sheets, [{ id: '', specs }], o);
  return table;
}

/**
 * locateTable for several possible header sets (one per export source): the first row that fits any of them
 * is the header, and of the sets that fit it, the one that recognises most of its cells wins (the earlier one
 * on a tie).
 */
export async function locateBest<K extends string>(fileName: string, sheets: Sheet[], candidates: readonly HeaderCandidate<K>[], o: LocateOptions = {}): Promise<Table<K>> {
  let best: Candidate | undefined;
  let sawRows = false;
  // A visible sheet before the one that fits, with a header that misses one column: this year's list without its
  // Studie column, next to last year's complete one. Reading the later sheet would be a guess.
  let near: { sheet?: string; missing: string } | undefined;
  // The sheets Excel shows first: a hidden sheet (last year's list, a helper table) only when no visible one fits.
  const order = [...sheets.entries()].sort(([, a], [, b]) => Number(a.hidden ?? false) - Number(b.hidden ?? false));
  for (const [sheetIndex, sheet] of order) {
    const it = sheet.rows[Symbol.asyncIterator]();
    const scanned: RawRow[] = [];
    let found: { index: number; columns: ColumnMap<K>; id: string } | undefined;
    while (scanned.length < LIMITS.headerScanRows) {
      const next = await it.next();
      if (next.done) break;
      if (isBlankRow(next.value)) continue;
      sawRows = true;
      scanned.push(next.value);
      const headers = next.value.cells.map(headerText);
      let fitScore = -1;
      for (const c of candidates) {
        const columns = matchColumns(headers, c.specs);
        const matched = Object.keys(columns).length;
        if (!near && !sheet.hidden && matched >= NEAR_MATCHED && !o.otherKind?.(headers)) {
          const missing = missingRequired(columns, c.specs);
          if (missing.length === 1) near = { ...(sheet.name ? { sheet: sheet.name } : {}), missing: missing[0]!.label };
        }
        if (fits(columns, c.specs)) {
          const score = matched + (c.known ? headers.filter((h) => c.known!.has(headerKey(h))).length : 0);
          if (score > fitScore) {
            fitScore = score;
            found = { index: scanned.length - 1, columns, id: c.id };
          }
        }
        if (matched > (best?.matched ?? 0)) {
          best = { sheetIndex, ...(sheet.name ? { sheet: sheet.name } : {}), row: next.value, matched, lastScanned: 0, specs: c.specs, id: c.id };
        }
      }
      if (found) break;
    }
    if (best && !found) best.lastScanned = Math.max(best.lastScanned, scanned.at(-1)?.row ?? 0);
    if (found && near && near.sheet !== sheet.name) {
      await it.return?.();
      throw new UserError(
        `${fileName}: werkblad ${sheetLabel(near.sheet)} lijkt een lijst zonder kolom '${near.missing}', en werkblad ${sheetLabel(sheet.name)} erna heeft alle kolommen. Welke bedoeld is, is niet zeker. ` +
          'Voeg de kolom toe aan het eerste blad, of kopieer de juiste lijst naar een nieuwe werkmap.',
      );
    }
    if (found) {
      const header = scanned[found.index]!;
      const above = dataAbove(scanned.slice(0, found.index), found.columns);
      if (above) {
        await it.return?.();
        // Rows written out of order (a program other than Excel) can stand before the header in the file only.
        throw new UserError(
          above.row < header.row
            ? `${fileName}: rij ${above.row} staat boven de kopregel (rij ${header.row}) maar heeft gegevens in de kolommen ervan, en numo-prep leest alleen de rijen onder de kopregel. ` +
                'Is de lijst gesorteerd met de kopregel erin? Zet de kopregel bovenaan en probeer opnieuw.'
            : `${fileName}: rij ${above.row} staat in het bestand vóór de kopregel (rij ${header.row}), in een andere volgorde dan Excel toont. Open het bestand in Excel, sla het opnieuw op en probeer opnieuw.`,
        );
      }
      const buffered = scanned.slice(found.index + 1);
      const others: string[] = [];
      if (!sheet.hidden) {
        // The next few visible sheets only: a workbook with two lists has them side by side, and each sheet looked
        // at is inflated in part (and counts towards the archive's cap).
        const next = order.slice(order.findIndex(([i]) => i === sheetIndex) + 1).filter(([, other]) => !other.hidden);
        for (const [, other] of next.slice(0, OTHER_SHEETS_LOOKED_AT)) if (await hasHeader(other, candidates)) others.push(other.name ?? '');
      }
      return {
        ...(sheet.name ? { sheet: sheet.name } : {}),
        ...(sheet.hidden ? { hiddenSheet: true } : {}),
        ...(sheet.merged ? { merged: sheet.merged } : {}),
        ...(others.length ? { otherSheets: others } : {}),
        headerRow: header.row,
        headers: header.cells.map(headerText),
        rawHeaders: header.cells,
        columns: found.columns,
        candidate: found.id,
        rows: { [Symbol.asyncIterator]: () => prepend(buffered, it) },
      };
    }
    await it.return?.();
  }
  if (!sawRows) throw new UserError(`${fileName} is leeg: geen enkele rij met gegevens. Kies het juiste bestand, of maak het opnieuw.`, EXIT.usage);
  if (o.allowMissing && best) return partialTable(sheets, best, best.specs as readonly ColumnSpec<K>[]);
  throw headerError(fileName, (best?.specs ?? candidates[0]!.specs) as readonly ColumnSpec<K>[], best, o);
}

/**
 * A row before the header with data in most of its columns (at least 3, or all when it has fewer; a Stamnr in the
 * Stamnr column when the header has one, and a word, such as a name, in some cell): a sheet sorted with its header
 * row in it, or students pasted above the header. Title rows fill a cell or two; a row of counts (=SUBTOTAL above a
 * filtered list) has no words. Reading on below the header would drop such rows without a word.
 */
function dataAbove(rows: readonly RawRow[], columns: ColumnMap<string>): RawRow | undefined {
  const used = Object.entries(columns) as [string, number][];
  const need = Math.min(3, used.length);
  const stamnr = columns.stamnr;
  return rows.find((r) => {
    // A group label over the header ("Personalia", "Onderwijs") fills columns too, but holds no Stamnr.
    if (stamnr !== undefined && !looksLikeStamnr(normaliseText(r.cells[stamnr] ?? ''))) return false;
    let filled = 0;
    let words = false;
    for (const [, i] of used) {
      const value = normaliseText(r.cells[i] ?? '');
      if (!value) continue;
      filled++;
      // ASCII first: the Unicode class costs ~2 ms to compile, and a title row above the header is common.
      words ||= /[A-Za-z]/.test(value) || /\p{L}/u.test(value);
    }
    return filled >= need && words;
  });
}

/** A header row that holds every required column of a candidate (and at least one column). */
function fits(columns: ColumnMap<string>, specs: readonly ColumnSpec<string>[]): boolean {
  return Object.keys(columns).length > 0 && missingRequired(columns, specs).length === 0;
}

/** Recognised columns a header must have, one required column short, to count as an earlier list (see `near`). */
const NEAR_MATCHED = 3;

/** How many visible sheets after the one read are looked at for a second export. */
const OTHER_SHEETS_LOOKED_AT = 5;

/**
 * Whether a sheet has a header that fits one of the candidates in its first rows (the rows are not kept). A sheet
 * that cannot be read has none: it is not the one read, and its problems are not this file's.
 */
async function hasHeader(sheet: Sheet, candidates: readonly HeaderCandidate<string>[]): Promise<boolean> {
  const it = sheet.rows[Symbol.asyncIterator]();
  try {
    for (let seen = 0; seen < LIMITS.headerScanRows; ) {
      const next = await it.next();
      if (next.done) return false;
      if (isBlankRow(next.value)) continue;
      seen++;
      const headers = next.value.cells.map(headerText);
      if (candidates.some((c) => fits(matchColumns(headers, c.specs), c.specs))) return true;
    }
    return false;
  } catch (err) {
    if (err instanceof UserError) return false;
    throw err;
  } finally {
    await it.return?.().catch(() => undefined);
  }
}

/** The best header found, even with columns missing: the wizard lets the admin point them out. */
function partialTable<K extends string>(sheets: Sheet[], best: Candidate, specs: readonly ColumnSpec<K>[]): Table<K> {
  const headers = best.row.cells.map(headerText);
  const sheet = sheets[best.sheetIndex]!;
  return {
    ...(best.sheet ? { sheet: best.sheet } : {}),
    headerRow: best.row.row,
    headers,
    rawHeaders: best.row.cells,
    columns: matchColumns(headers, specs),
    candidate: best.id,
    rows: (async function* () {
      for await (const r of sheet.rows) if (r.row > best.row.row) yield r;
    })(),
  };
}

function headerError<K extends string>(fileName: string, specs: readonly ColumnSpec<K>[], best: Candidate | undefined, o: LocateOptions): UserError {
  const expected = specs
    .filter((s) => s.required)
    .map((s) => s.label)
    .join(', ');
  if (!best) {
    return new UserError(
      `Geen kolomkoppen herkend in ${fileName} (eerste ${LIMITS.headerScanRows} rijen doorzocht). ` +
        `Nodig zijn kolommen ${expected}. Controleer of dit het juiste bestand is en of de kopregel erin staat.${o.hint ? ` ${o.hint}` : ''}`,
    );
  }
  const headers = best.row.cells.map(headerText).filter(Boolean);
  const columns = matchColumns(headers, specs);
  const missingSpecs = missingRequired(columns, specs);
  const missing = missingSpecs.map((s) => `'${s.label}'`);
  // A row in which only one cell is a known header may be a student's (a student called Klas in a list without a
  // header row): its other cells are listed only beside a second known header.
  const weak = Object.values(columns).length < 2;
  const explained = o.explain?.(
    headers,
    missingSpecs.map((s) => s.key),
    weak,
  );
  const where = `${fileName}${best.sheet ? `, blad ${sheetLabel(best.sheet)}` : ''} (rij 1–${Math.max(best.lastScanned, best.row.row)} doorzocht)`;
  // The best row matched a known header, yet it may be a student's row (a student called Klas, no header at
  // all): a row with a number, an e-mail address or a date is data, and then none of its cells is shown.
  const isData = headers.some((h) => looksLikeStamnr(h) || h.includes('@') || looksLikeDate(h));
  // A list of headers: each one short, as many as fit a few lines.
  const shown = headers.slice(0, MAX_LISTED).map((h) => clip(h, 40));
  const known = headers.filter((_, i) => Object.values(columns).includes(i));
  const found = isData
    ? `Rij ${best.row.row} lijkt een rij met gegevens, geen kopregel: staat de kopregel bovenaan, met de kolomnamen van de export?`
    : weak
      ? `Gevonden kolommen: ${known.map((h) => clip(h, 40)).join(', ') || 'geen bekende'}${headers.length > known.length ? `, en ${formatNumber(headers.length - known.length)} andere die niet getoond ${headers.length - known.length === 1 ? 'wordt' : 'worden'} (staan daar gegevens, dan ontbreekt de kopregel)` : ''}.`
      : `Gevonden kolommen: ${namedFew(shown, MAX_LISTED, { total: headers.length })}.`;
  return new UserError(
    `${missing.length > 1 ? 'Kolommen' : 'Kolom'} ${missing.join(', ')} niet gevonden in ${where}. ` +
      `${found} ${explained && !isData ? `${explained} ` : ''}${o.hint ?? 'Voeg de kolom toe in Magister (Kolommenkiezer) of geef de kolomkop de juiste naam.'}`,
  );
}
