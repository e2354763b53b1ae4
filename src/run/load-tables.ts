import { IDGEBR_COLUMNS, NUMO_COLUMNS, twinColumns } from '../core/columns.js';
import { UserError } from '../core/errors.js';
import { classifyHeaders } from '../core/file-kind.js';
import { formatNumber, namedFew } from '../core/format.js';
import { buildIdgebrIndex, type IdgebrIndex } from '../core/idgebr.js';
import { LIMITS } from '../core/limits.js';
import { type Mapping, parseMappingRows } from '../core/mapping.js';
import { type Opleiding, parseOpleidingen } from '../core/opleidingen.js';
import { type PreviousStudent, previousKey } from '../core/previous.js';
import { columnLetters, isBlankRow, type RawRow, sheetLabel } from '../core/raw-row.js';
import { ROLES, type Rol } from '../core/schema.js';
import { fieldsFit, isChangedNumber } from '../core/shape.js';
import { normaliseText } from '../core/text.js';
import { loadInput, sheetsOf } from '../io/input.js';
import { locateTable } from '../io/table.js';

/** What the rest of a sheet's name says when it holds notes, not the table itself. */
const NOTES_SHEET = /uitleg|toelichting|instructie|handleiding|help|info|notitie|opmerking|voorbeeld|lees/;

/**
 * All rows of one sheet of a small file (mapping, code list): the one sheet whose name starts with `prefer` (two are
 * refused, as is a hidden one beside visible sheets), else the first visible sheet; never a sheet of notes about it.
 */
async function sheetRows(path: string, o: { prefer?: string; singleColumn?: boolean } = {}): Promise<{ name: string; rows: RawRow[]; delimiter?: string }> {
  const input = await loadInput(path);
  const sheets = await sheetsOf(input, o);
  const named = (s: { name?: string }) => s.name?.trim().toLowerCase() ?? '';
  // Every sheet whose name starts so (a copy by Excel or LibreOffice, a year's one, a new one), but not one of notes
  // beside it (Mapping uitleg).
  const notes = (s: { name?: string }) => o.prefer !== undefined && named(s).startsWith(o.prefer) && NOTES_SHEET.test(named(s).slice(o.prefer.length));
  const candidates = o.prefer === undefined ? [] : sheets.filter((s) => named(s).startsWith(o.prefer!) && !notes(s));
  // Excel's copy of a sheet ("Mapping (2)") beside the old one, two years' lists ("Opleidingen 2025", "… 2026"), or
  // the sheet itself hidden behind a visible one: which holds the codes the admin means is not sure, and the first
  // was read without a word.
  if (candidates.length > 1) {
    throw new UserError(
      `${input.name} heeft ${candidates.length} bladen die zo heten: ${namedFew(
        candidates.map((s) => `'${s.name?.trim()}'`),
        3,
      )}. Verwijder of hernoem de bladen die niet gelden, zodat er één overblijft.`,
    );
  }
  const visible = sheets.filter((s) => !s.hidden);
  if (candidates[0]?.hidden && visible.length) {
    throw new UserError(
      `${input.name}: het blad '${candidates[0].name?.trim()}' is verborgen in Excel. Maak het zichtbaar (rechtsklik op een bladtab > Zichtbaar maken) of verwijder het, zodat zeker is welk blad geldt.`,
    );
  }
  const sheet = candidates[0] ?? visible.find((s) => !notes(s)) ?? visible[0] ?? sheets[0];
  const rows: RawRow[] = [];
  // Without their empty cells at the end: all rows are kept, and a file of 100 MiB whose rows had 400 empty fields
  // each took 1.1 GiB.
  if (sheet) {
    for await (const r of sheet.rows) {
      let n = r.cells.length;
      while (n > 0 && r.cells[n - 1] === '') n--;
      rows.push(n === r.cells.length ? r : { ...r, cells: r.cells.slice(0, n) });
    }
  }
  return { name: input.name, rows, ...(sheet?.delimiter ? { delimiter: sheet.delimiter } : {}) };
}

/**
 * The mapping file: .csv or .xlsx (the sheet named Mapping, as `numo-prep mapping` writes it, else the first),
 * Studie and opleidingscode in the first two columns.
 */
export async function loadMapping(path: string, listed?: ReadonlySet<string>): Promise<Mapping> {
  const { name, rows, delimiter } = await sheetRows(path, { prefer: 'mapping' });
  if (delimiter) refuseWiderRows(name, rows, delimiter);
  const mapping = parseMappingRows(name, rows, listed);
  mapping.delimiter = delimiter;
  return mapping;
}

/**
 * A CSV mapping row with more fields than its header: a delimiter inside a Studie (`1 havo, tto,VB-HAVO-1-TTO` under
 * `Studie,Opleidingscode`) made the Studie `1 havo` and its code `tto`, for every plain 1 havo student. The header is
 * the line with a Studie or code heading (without a header, the first Studie with a code stands for it; an open Studie
 * `2 havo;` has one field); empty fields at the end do not count.
 */
const HEADER_WORD = /^(?:studie|opleiding|.*code|crebo|magister)/;

const SPACED_QUOTE = /^\s+"/;

function refuseWiderRows(name: string, rows: readonly RawRow[], delimiter: string): void {
  const width = (r: RawRow) => {
    let n = r.cells.length;
    while (n > 0 && !normaliseText(r.cells[n - 1]!)) n--;
    return n;
  };
  // The line with a Studie or code header, else (no header) the first with two fields: a title line above it may have
  // two as well (a date in B1).
  const lines = rows.filter((r) => width(r) >= 2);
  const header = lines.slice(0, 10).find((r) => r.cells.some((c) => HEADER_WORD.test(normaliseText(c).toLowerCase()))) ?? lines[0];
  if (!header) return;
  const widerRows = rows.filter((r) => width(r) > width(header));
  if (!widerRows.length) return;
  const wider = widerRows.map((r) => `rij ${r.row}`);
  const shown = delimiter === '\t' ? 'tab' : delimiter;
  const head = `${name}: ${namedFew(wider, 3)} ${wider.length === 1 ? 'heeft' : 'hebben'} meer velden dan de kopregel (rij ${header.row})`;
  // A space before the opening quote makes the quote text (csv-parse, as Excel): the Studie was quoted, but split.
  if (widerRows.some((r) => r.cells.some((c) => SPACED_QUOTE.test(c)))) {
    throw new UserError(`${head}: er staat een spatie voor een " (zoals ${shown} "1 havo, tto"), en dan telt de '${shown}' in die Studie als scheidingsteken. Haal die spatie weg.`);
  }
  throw new UserError(
    `${head}: staat er een '${shown}' in een Studie, of een opmerking in een kolom zonder kop? Zet zo'n Studie tussen aanhalingstekens ("1 havo, tto"), of geef die kolom een kop (Opmerking).`,
  );
}

/** The Stamnr/IDGebr file or Magister's migratiehulpbestand. */
export async function loadIdgebr(path: string): Promise<{ index: IdgebrIndex; name: string }> {
  const input = await loadInput(path);
  const sheets = await sheetsOf(input);
  const table = await locateTable(input.name, sheets, IDGEBR_COLUMNS, {
    // IDGebr is in no export: the application manager of Magister takes it from the database (Stamnr and IDGebr).
    hint: 'Het IDGebr-bestand (kolommen Stamnr en IDGebr) krijg je van de applicatiebeheerder van Magister; geef dat bestand mee met --idgebr.',
    explain: (headers) => (classifyHeaders(headers) === 'export' ? 'Dit lijkt een export van leerlingen, geen IDGebr-bestand.' : undefined),
  });
  const index = await buildIdgebrIndex(input.name, table.rows, table.columns, {
    twins: twinColumns(
      table.headers,
      table.columns,
      IDGEBR_COLUMNS.filter((c) => c.key === 'stamnr'),
    ),
    ...(input.format === 'csv' ? { csvHeaders: table.headers } : {}),
  });
  // As for the export: a second list in the workbook (last year's next to this year's) is named.
  if (table.otherSheets) {
    index.findings.warn(
      'idgebr-other-sheets',
      `Ook ${table.otherSheets.length === 1 ? 'werkblad' : 'de werkbladen'} ${table.otherSheets.map(sheetLabel).join(', ')} van ${input.name} ${table.otherSheets.length === 1 ? 'heeft' : 'hebben'} de kolommen Stamnr en IDGebr; gelezen is ${sheetLabel(table.sheet)}`,
      undefined,
      'Staat de juiste lijst op een ander blad? Kopieer dat blad naar een nieuwe werkmap en geef die mee.',
    );
  }
  return { index, name: input.name };
}

/** Numo's template (sheet "Opleidingen") or any .csv/.xlsx list with a code column. */
export async function loadOpleidingen(path: string): Promise<Opleiding[]> {
  const { name, rows } = await sheetRows(path, { prefer: 'opleidingen', singleColumn: true });
  const list = parseOpleidingen(name, rows);
  if (list === undefined) {
    throw new UserError(
      `${name}: geen kolom met opleidingscodes gevonden (een kolomkop Opleidingscode of Code in de eerste 10 rijen). ` +
        "Gebruik Numo's inleesbestand (tabblad Opleidingen), of zet de kop Opleidingscode boven de kolom met codes.",
    );
  }
  if (list.length === 0) throw new UserError(`${name} bevat geen opleidingscodes. Gebruik Numo's inleesbestand (tabblad Opleidingen) of een lijst met een kolom Opleidingscode.`);
  // Numo's list has a few thousand; a list of 200,000 cost the mapping workbook 1.3 GB.
  if (list.length > LIMITS.opleidingen) {
    throw new UserError(`${name} heeft meer dan ${formatNumber(LIMITS.opleidingen)} opleidingscodes: dat is niet Numo's lijst. Gebruik Numo's inleesbestand (tabblad Opleidingen).`);
  }
  return list;
}

/**
 * Last year's Numo CSV (or a sheet with Numo's headers), keyed by previousKey. Which of two columns or two rows
 * holds last year's password is a guess, and so is a CSV row with a field too many or too few: such a file is
 * refused, naming the column or the row.
 */
export async function loadPrevious(
  path: string,
  o: { keepPasswords: boolean; rol: Rol },
): Promise<{
  students: Map<string, PreviousStudent>;
  name: string;
  otherRole: number;
  otherRoleKeys: Set<string>;
  encodingWarning?: string;
  /** A CSV with a UTF-8 BOM, as numo-prep writes one by default; not a workbook or a spreadsheet's plain CSV save. */
  bom: boolean;
}> {
  const input = await loadInput(path);
  const sheets = await sheetsOf(input);
  const table = await locateTable(input.name, sheets, NUMO_COLUMNS, {
    hint: 'Gebruik het Numo-bestand dat vorig jaar is geïmporteerd, zoals numo-prep convert het schreef.',
  });
  // Before the rows are read (a for-await loop closes the file itself when it throws).
  const refuse = async (message: string) => {
    await table.rows[Symbol.asyncIterator]().return?.();
    return new UserError(`${input.name}: ${message}`);
  };
  // Last year's students over two sheets (a class, and everyone): only the first was compared, and everyone on the
  // other got a new password.
  if (table.otherSheets) {
    throw await refuse(
      `ook ${table.otherSheets.length === 1 ? 'werkblad' : 'de werkbladen'} ${table.otherSheets.map(sheetLabel).join(', ')} ${table.otherSheets.length === 1 ? 'heeft' : 'hebben'} de kolommen van Numo, naast ${sheetLabel(table.sheet)}; welk blad vorig jaar is, is niet zeker. Geef de Numo-CSV van vorig jaar, of een werkmap met één blad.`,
    );
  }
  const [twin] = twinColumns(table.headers, table.columns);
  if (twin)
    throw await refuse(`kolom '${twin.header}' staat twee keer in de kopregel (kolom ${columnLetters(twin.used)} en ${columnLetters(twin.twin)}). Haal de verkeerde kolom weg en probeer opnieuw.`);
  if (o.keepPasswords && table.columns.wachtwoord === undefined) {
    throw await refuse('geen kolom wachtwoord, dus --keep-passwords kan geen wachtwoorden overnemen. Gebruik de Numo-CSV die vorig jaar is geïmporteerd, of laat --keep-passwords weg.');
  }
  const out = new Map<string, PreviousStudent & { row: number }>();
  const get = (r: RawRow, k: keyof typeof table.columns) => (table.columns[k] === undefined ? '' : normaliseText(r.cells[table.columns[k]!] ?? ''));
  // Last year's file of one import with students and staff (or the other list's file): only this run's role is
  // compared, or every teacher would be "vertrokken" in a student run, a candidate for archiving.
  let otherRole = 0;
  // Their gebruikersnamen (previousKey): one of this run's that is one of them would take over that account.
  const otherRoleKeys = new Set<string>();
  for await (const r of table.rows) {
    if (isBlankRow(r)) continue;
    if (input.format === 'csv' && !fieldsFit(r.cells, table.headers)) {
      throw new UserError(
        `${input.name}: rij ${r.row} heeft een ander aantal velden dan de kopregel (verschoven kolommen?), dus welk wachtwoord en welke klas bij wie horen, is niet zeker. Verbeter die rij, of sla het bestand in Excel opnieuw op als CSV.`,
      );
    }
    const rol = get(r, 'rol').toLowerCase();
    if (rol && rol !== o.rol && (ROLES as readonly string[]).includes(rol)) {
      otherRole++;
      const login = get(r, 'gebruikersnaam');
      if (login && login.length <= LIMITS.fieldChars) otherRoleKeys.add(previousKey(login));
      continue;
    }
    const gebruikersnaam = get(r, 'gebruikersnaam');
    if (!gebruikersnaam) continue;
    // Numo has no longer login or name; comparing one of a megabyte costs seconds per row.
    const long = (['gebruikersnaam', 'voornaam', 'achternaam'] as const).find((k) => get(r, k).length > LIMITS.fieldChars);
    if (long) throw await refuse(`rij ${r.row}: de ${long} is langer dan ${LIMITS.fieldChars} tekens, wat Numo niet heeft. Gebruik het Numo-bestand van vorig jaar zoals numo-prep het schreef.`);
    // A login with a ? or U+FFFD lost a letter (Excel saved the file as ANSI): it matches no account of this year,
    // and its student would silently get a new account and password.
    if (/[?\uFFFD]/.test(gebruikersnaam)) {
      throw await refuse(
        `rij ${r.row}: de gebruikersnaam heeft een ? waar een letter stond (het bestand is in Excel als ANSI-CSV opgeslagen). Gebruik het bestand zoals numo-prep het schreef (opnieuw opslaan brengt de letter niet terug), of zet de juiste letter terug.`,
      );
    }
    // 100001.0 (pandas) or 1,00001E+05 (Excel): the same silence, and every student would count as new and as left.
    if (isChangedNumber(gebruikersnaam)) {
      throw await refuse(
        `rij ${r.row}: de gebruikersnaam is een getal dat Excel of een script veranderde (zoals 100001.0), dus hij hoort bij geen account van dit jaar. Gebruik het bestand zoals numo-prep het schreef, of zet de gebruikersnamen terug zoals Numo ze heeft.`,
      );
    }
    const key = previousKey(gebruikersnaam);
    const first = out.get(key);
    if (first)
      throw new UserError(`${input.name}: dezelfde gebruikersnaam staat in rij ${first.row} en rij ${r.row}. Welk wachtwoord en welke klas bij die persoon horen, is niet zeker: laat één rij staan.`);
    // The password byte for byte as Numo has it: normalising (a no-break space, a space at the end) would change it.
    const wachtwoord = table.columns.wachtwoord === undefined ? '' : (r.cells[table.columns.wachtwoord] ?? '');
    out.set(key, {
      gebruikersnaam,
      klas: get(r, 'klas'),
      opleiding: get(r, 'opleiding'),
      wachtwoord,
      idgebr: get(r, 'idgebr'),
      voornaam: get(r, 'voornaam'),
      tussenvoegsel: get(r, 'tussenvoegsel'),
      achternaam: get(r, 'achternaam'),
      row: r.row,
    });
  }
  if (out.size === 0 && otherRole) {
    const [theirs, ours] = o.rol === 'docent' ? ['leerlingen', 'docenten'] : ['docenten', 'leerlingen'];
    throw new UserError(`${input.name} heeft alleen ${theirs} (kolom rol), en deze run is voor ${ours}. Geef met --previous het Numo-bestand van vorig jaar met de ${ours}.`);
  }
  // Lines in two encodings (edited in another program): last year's names are compared and its passwords kept byte
  // for byte, so a line read with the wrong one changes a comparison or a password. The weaker signs of a Mac or
  // Turkish code page are not said here: a Miloš in a file numo-prep wrote as Windows-1252 gives one, and a misread
  // name shows as another name anyway (previous-other-name).
  const mixed = sheets.find((s) => s.mixedEncoding)?.mixedEncoding;
  const encodingWarning = mixed
    ? `${input.name} mengt UTF-8 en Windows-1252 (${mixed} in Windows-1252): namen en wachtwoorden van vorig jaar kunnen verkeerde letters hebben, en met --keep-passwords zou Numo zo'n wachtwoord bij bijwerken veranderen. Gebruik het bestand zoals numo-prep het schreef.`
    : undefined;
  return { students: out, name: input.name, otherRole, otherRoleKeys, ...(encodingWarning ? { encodingWarning } : {}), bom: input.format === 'csv' && sheets[0]?.bom === true };
}
