import { compareNl } from './collate.js';
import { UserError } from './errors.js';
import { namedFew } from './format.js';
import { LIMITS } from './limits.js';
import { codeColumn, codeHeaderRank, LAST_YEARS, wordKey } from './opleidingen.js';
import { isBlankRow, type RawRow } from './raw-row.js';
import { type MappingEntry, SKIP_CODE } from './schema.js';
import { hiddenStudie, looksLikePersonName, soundsLikeStudie, surelyName } from './shape.js';
import { personHeader } from './sources.js';
import { codeShapeProblem } from './suggest.js';
import { normaliseText, studieKey } from './text.js';
import { startsLikeFormula } from './validate.js';

/** The longest mapping line joinedLines looks into. */
const JOINED_LINE_CHARS = 200;

/**
 * Studie (matched ignoring case and surrounding spaces) → opleidingscode. A Studie listed without a code is
 * "undecided": the admin has seen it but not chosen yet (a wizard stopped half-way, a workbook not filled in).
 */
export class Mapping {
  private readonly byKey = new Map<string, MappingEntry>();
  private readonly undecidedByKey = new Map<string, string>();
  /** Where the file it was read from keeps the Studie and the code (0-based), so added lines go there too. */
  columns = { studie: 0, code: 1 };
  /** The delimiter of a CSV mapping, for the line a message tells the admin to add; none for a workbook. */
  delimiter: string | undefined = ';';
  /** The file it was read from, as messages name it. */
  fileName: string | undefined;
  /**
   * A mapping workbook's own count per Studie (its column WORKBOOK_COUNT_HEADER), by studieKey: against the export it
   * was made from, it tells a Studie column sorted apart from its codes (see shuffledWorkbook).
   */
  counts: Map<string, number> | undefined;
  /** Its example klassen per Studie (column WORKBOOK_KLASSEN_HEADER), lower case, by studieKey. */
  klassen: Map<string, string[]> | undefined;

  constructor(entries: Iterable<MappingEntry> = []) {
    for (const e of entries) this.set(e.studie, e.code);
  }

  /** The fields of a line for this Studie and code, each where the file keeps it (columns), the rest empty. */
  fieldsFor(studie: string, code: string): string[] {
    const fields: string[] = new Array(Math.max(this.columns.studie, this.columns.code) + 1).fill('');
    fields[this.columns.studie] = studie;
    fields[this.columns.code] = code;
    return fields;
  }

  get(studie: string): string | undefined {
    return this.byKey.get(studieKey(studie))?.code;
  }

  set(studie: string, code: string): void {
    this.byKey.set(studieKey(studie), { studie: normaliseText(studie), code: normaliseText(code) });
    this.undecidedByKey.delete(studieKey(studie));
  }

  /** Listed without a code; a code set later wins. */
  markUndecided(studie: string): void {
    if (!this.byKey.has(studieKey(studie))) this.undecidedByKey.set(studieKey(studie), normaliseText(studie));
  }

  isUndecided(studie: string): boolean {
    return this.undecidedByKey.has(studieKey(studie));
  }

  undecided(): string[] {
    return [...this.undecidedByKey.values()].sort(compareNl);
  }

  /**
   * Undecided entries that are a Studie, a delimiter other than this mapping's own, and a code: a line typed as
   * `3 vwo,VB-VWO-3` in a `;` file is one field, a Studie without a code. By the key of that Studie, so that the
   * message about it can point at the line. Only what after the delimiter has the shape of a code: the line of a
   * wrong file (an export) shows nothing of its row.
   */
  joinedLines(): Map<string, { line: string; delimiter: string }> {
    const found = new Map<string, { line: string; delimiter: string }>();
    for (const line of this.undecidedByKey.values()) {
      // A Studie and a code are short: a long cell (a note, a hostile file) is no such line, and stays linear.
      if (line.length > JOINED_LINE_CHARS) continue;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if ((c !== ',' && c !== ';' && c !== '\t') || c === this.delimiter) continue;
        const studie = line.slice(0, i).trim();
        const code = line.slice(i + 1).trim();
        if (studie && code && !code.includes(c) && !codeShapeProblem(code)) found.set(studieKey(studie), { line, delimiter: c });
      }
    }
    return found;
  }

  entries(): MappingEntry[] {
    return [...this.byKey.values()].sort((a, b) => compareNl(a.studie, b.studie));
  }

  get size(): number {
    return this.byKey.size;
  }

  /** A new mapping with these Studie -> code pairs added (the admin just mapped new Studie values). */
  with(added: Map<string, string>): Mapping {
    const next = new Mapping([...this.entries(), ...[...added].map(([studie, code]) => ({ studie, code }))]);
    next.delimiter = this.delimiter;
    next.fileName = this.fileName;
    next.columns = this.columns;
    next.counts = this.counts;
    next.klassen = this.klassen;
    for (const u of this.undecided()) next.markUndecided(u);
    return next;
  }
}

/**
 * Headers (as wordKey) of a column that holds no opleidingscode, whatever its place: klassen, groups, years, people
 * and counts in any words (Docentcode, Mentor (code), Voorbeeld-klassen, Klassen 2025, Aantal lln), levels and
 * descriptions, the school's own code for a Studie or its abbreviation, a name, and last year's code (Oude
 * opleidingscode, Numo-code vorig jaar).
 */
const NOT_A_CODE =
  /^(lj|jaar|naam|lln|aantal.*|kwalificaties?(naam)?)$|klas|groep|leerjaar|jaarlaag|mentor|docent|teamleider|coach|leerling|niveau|leerweg|profiel|locatie|afdeling|omschrijving|beschrijving|opmerking|toelichting|studiecode|afkorting/;
/** A code column's header (as wordKey) that says it holds no code; one that speaks of Numo or its code in more words (Numo-code leerjaar, Opleidingscode per klas) may, unless it is last year's. */
const notACode = (key: string) => LAST_YEARS.test(key) || (!/numo|opleidingscode/.test(key) && NOT_A_CODE.test(key));
const STUDIE_HEADER = /^(studies?|magister|studienaam)$/;
/** A klas (3A, M3A, 2H1, H4b) or a year (3) where a code should be: no Numo code (VB-HAVO-2, 25491) looks so. */
const KLAS_CODE = /^[A-Za-z]{0,3}\d{1,2}[A-Za-z]{0,3}\d?$/;

/** A Studie header (as wordKey) in other words: Studie uit Magister, Naam studie; not a year, code or last year's. */
const LOOSE_STUDIE = /^(?!.*(?:jaar|year|duur|code|vorig|nummer)).*studie/;
/** The Opleiding side in other words (Opleiding EduArte); not a code, a level or a year. */
const LOOSE_OPLEIDING = /^(?!.*(?:code|niveau|jaar|duur)).*opleiding/;
/** Headers of Numo's own list beside a code column (Opleidingscode;Omschrijving): no mapping has them alone. */
const LABEL_ONLY = /^(omschrijving|beschrijving|opleidingsnaam|titel)$/;

/** A cell of a mapping's header row: a Studie or code header, or Opleiding (either side). */
function isMappingHeader(cell: string): boolean {
  const key = wordKey(cell);
  return cell.length <= 40 && (STUDIE_HEADER.test(key) || LOOSE_STUDIE.test(key) || key === 'naam' || codeHeaderRank(key) !== undefined || key === 'opleiding');
}

/**
 * The Studie and code columns of a mapping's header row. The code column is the one with the best code header
 * (codeHeaderRank: Numo's code before the crebo or the school's own code beside it), leaving out `flags` (columns of
 * ja/nee). Two of the best rank (Numo-code 2024 and 2025, Opleidingscode beside Numo), or a Code or Crebo beside a
 * filled Crebo, Numo-opleiding or Opleiding with no better header, are `rivals` of the code column: either may be
 * Numo's. The Studie: Studie, Magister, then any other spelling with studie in it, then Naam beside a code header.
 * "Opleiding" is either side: EduArte calls its Studie so, and a mapping may call
 * its code column so; it takes the side the other headers leave open. With two columns, one side found makes the
 * other the other (unless that is a description: Numo's own list). A side without a header is `missing`, and the
 * columns are the first two.
 */
function mappingColumns(
  header: readonly string[],
  flags: (i: number) => boolean,
  filledColumn: (i: number) => boolean,
): { studie: number; code: number; missing?: 'studie' | 'code'; rivals?: number[] } {
  const keys = header.map(wordKey);
  const filled = keys.flatMap((k, i) => (k ? [i] : []));
  let code = codeColumn(keys, flags);
  const first = (test: (k: string) => boolean) => keys.findIndex((k, i) => i !== code && test(k));
  let studie = first((k) => STUDIE_HEADER.test(k));
  if (studie < 0) studie = first((k) => LOOSE_STUDIE.test(k));
  // Naam last, and only beside a code header: beside a column Studie or Opleiding it is a person's (Naam;Studie and
  // Naam;Opleiding are lists of students).
  if (studie < 0 && code >= 0) studie = first((k) => k === 'naam');
  const opleiding = keys.findIndex((k, i) => k === 'opleiding' && i !== code && i !== studie);
  const other = (i: number) => (filled.length === 2 ? filled.find((j) => j !== i)! : -1);
  if (code < 0 && studie >= 0) code = opleiding >= 0 ? opleiding : other(studie);
  else if (studie < 0 && code >= 0) {
    studie = opleiding >= 0 ? opleiding : first((k) => LOOSE_OPLEIDING.test(k));
    if (studie < 0 && !LABEL_ONLY.test(keys[other(code)] ?? '')) studie = other(code);
  }
  if (code < 0 || studie < 0) return { studie: 0, code: 1, missing: code < 0 ? 'code' : 'studie' };
  const rank = codeHeaderRank(keys[code]!)!;
  // Also a Code or Crebo beside a filled column that may hold Numo's codes in words no rank knows: one that speaks of
  // Numo (Numo-opleiding; not last year's or a description of Numo's), or Opleiding, the header of Numo's own import
  // file (Numo's codes are not public, so a description there cannot be told from a code).
  const unranked = (k: string) => codeHeaderRank(k) === undefined && ((/numo/.test(k) && !LAST_YEARS.test(k) && !/omschrijving|beschrijving|naam|titel|uitleg/.test(k)) || k === 'opleiding');
  const rivals = keys.flatMap((k, i) =>
    i !== code && i !== studie && !flags(i) && (codeHeaderRank(k) === rank || (rank >= 2 && filledColumn(i) && (codeHeaderRank(k) === 3 || unranked(k)))) ? [i] : [],
  );
  return { studie, code, ...(rivals.length ? { rivals } : {}) };
}

/** Rows a code column's values are judged on (FLAG_VALUE). */
const FLAG_ROWS = 200;
/** Yes/no values (a column "Naar Numo" or "Numo" of ja and nee): no codes, whatever the header says. */
const FLAG_VALUE = /^(ja|nee|j|n|x|yes|no|y|waar|onwaar|true|false|\u2713|\u2714)$/i;

/** Dashes that look like the skip code - but are not (Word and Excel make – of a typed -). */
const DASH_LOOKALIKES = /^[\u2010-\u2015\u2212]$/;

/** The column of `numo-prep mapping`'s workbook with each Studie's number of students (io/mapping-workbook.ts writes it). */
export const WORKBOOK_COUNT_HEADER = 'Aantal leerlingen';
/** And the one with a few of its klassen, joined by ', '. */
export const WORKBOOK_KLASSEN_HEADER = 'Voorbeeld-klassen';

/**
 * Mapping rows as the admin keeps them in Excel: a header row, then Studie and opleidingscode (the columns with
 * those headers, else the first two; more columns, as in the workbook `numo-prep mapping` writes, are help for
 * the admin, read only to tell a workbook sorted by one column: shuffledWorkbook). A row without a code is "not
 * decided yet": kept as undecided, so convert can say so. Two different codes for one Studie, or a code no Numo
 * code looks like (an e-mail address, a name, a pasted suggestion, #N/B), is an error the admin must resolve:
 * without a list of Numo's codes nothing else would stop it.
 */
/** `listed`: Numo's codes (lower case), when the admin gave the list: such a code is taken whatever its shape. */
export function parseMappingRows(fileName: string, rows: RawRow[], listed?: ReadonlySet<string>): Mapping {
  const data = rows.filter((r) => !isBlankRow(r));
  const person = personHeader(data);
  if (person !== undefined) {
    // Last year's export or the IDGebr list picked by mistake: its rows would be read as Studies and codes, shown in
    // the workbook and messages, and the wizard would add lines to it and keep it for next year.
    throw new UserError(
      `${fileName} is geen mapping: de kolom '${person}' hoort bij een lijst met leerlingen of medewerkers. Kies het bestand met de kolommen Studie en Opleidingscode; is dit wel de mapping, haal die kolom er dan uit.`,
    );
  }
  // The header row: the first, or below a title (a mapping made in Excel: "Conversietabel Studie -> Numo").
  // A title is one cell (it may say Studie); a header row has the Studie and the code at least.
  const headerAt = data.slice(0, LIMITS.headerScanRows).findIndex((r) => r.cells.filter((c) => normaliseText(c)).length >= 2 && r.cells.some(isMappingHeader));
  const first = headerAt >= 0 ? data[headerAt] : data[0];
  const mapping = new Mapping();
  mapping.fileName = fileName;
  let missingSide: 'studie' | 'code' | undefined;
  if (headerAt >= 0 && first) {
    data.splice(0, headerAt + 1);
    // Judged on the first rows: a column headed as a code column is asked this, not every column of every row.
    const values = (i: number) =>
      data
        .slice(0, FLAG_ROWS)
        .map((r) => normaliseText(r.cells[i] ?? ''))
        .filter(Boolean);
    // Mostly ja/nee (Naar Numo): no codes, whatever the header.
    const flags = (i: number) => {
      const v = values(i);
      return v.length > 0 && v.filter((x) => FLAG_VALUE.test(x)).length * 2 > v.length;
    };
    const { missing, rivals, ...columns } = mappingColumns(first.cells, flags, (i) => values(i).length > 0);
    missingSide = missing;
    if (rivals) {
      const named = [columns.code, ...rivals].sort((a, b) => a - b).map((i) => `'${normaliseText(first.cells[i] ?? '')}'`);
      throw new UserError(
        `${fileName}: welke kolom de opleidingscode heeft, is niet zeker (kolom ${named.slice(0, 3).join(' en ')}). Zet de kop Opleidingscode alleen boven de kolom met de codes van Numo.`,
      );
    }
    mapping.columns = columns;
    // Studie;Klas or Studie;Leerjaar (a list of something else): its klassen or years would become codes. With a
    // third column and a side without its header (Studie;Niveau;Kwalificatie) the first two are a guess: the niveau
    // became the code.
    const codeHeader = normaliseText(first.cells[columns.code] ?? '');
    // A code column and a description (Opleidingscode;Omschrijving): Numo's list, whose codes would be read as Studies.
    const filled = first.cells.filter((c) => normaliseText(c));
    if (missing === 'studie' && filled.length === 2 && filled.some((c) => LABEL_ONLY.test(wordKey(c)))) {
      throw new UserError(
        `${fileName} heeft geen kolom Studie, alleen codes (kolom '${normaliseText(first.cells[codeColumn(first.cells.map(wordKey))] ?? '')}') en omschrijvingen: dat is een lijst met opleidingen, geen mapping. Geef Numo's lijst mee als lijst met opleidingen; een mapping heeft de kolommen Studie en Opleidingscode.`,
      );
    }
    if (missing && filled.length > 2) {
      throw new UserError(
        missing === 'code'
          ? `${fileName}: welke kolom de opleidingscode heeft, is niet zeker (geen kop Opleidingscode, Numo-code, Code of Crebo). Zet de kop Opleidingscode boven de kolom met codes.`
          : `${fileName}: welke kolom de Studie heeft, is niet zeker (geen kop Studie). Zet de kop Studie boven de kolom met de studies uit de export.`,
      );
    }
    // A code column headed Studie: the Studie is elsewhere (Naam;Studie, a list of students), and so are no codes.
    const codeKey = wordKey(codeHeader);
    if (notACode(codeKey) || STUDIE_HEADER.test(codeKey) || LOOSE_STUDIE.test(codeKey)) {
      throw new UserError(
        `${fileName} is geen mapping: de codes zouden uit de kolom '${codeHeader}' komen. Kies het bestand met de kolommen Studie en Opleidingscode, of zet de kop Opleidingscode boven de kolom met codes.`,
      );
    }
  }
  const { studie: studieColumn, code: codeIndex } = mapping.columns;
  const headerIndex = (header: string) => (headerAt >= 0 && first ? first.cells.findIndex((c) => normaliseText(c) === header) : -1);
  const countColumn = headerIndex(WORKBOOK_COUNT_HEADER);
  const klassenColumn = headerIndex(WORKBOOK_KLASSEN_HEADER);
  if (countColumn >= 0) mapping.counts = new Map();
  if (klassenColumn >= 0) mapping.klassen = new Map();
  const seen = new Map<string, { code: string; row: number }>();
  const conflicts: string[] = [];
  const misshapen: string[] = [];
  for (const r of data) {
    const studie = unescapeFormula(normaliseText(r.cells[studieColumn] ?? ''));
    const code = normaliseText(r.cells[codeIndex] ?? '');
    if (!studie) continue;
    const count = countColumn >= 0 ? normaliseText(r.cells[countColumn] ?? '') : '';
    if (/^\d{1,7}$/.test(count)) mapping.counts?.set(studieKey(studie), Number(count));
    const klassen = klassenColumn >= 0 ? normaliseText(r.cells[klassenColumn] ?? '') : '';
    if (klassen) mapping.klassen?.set(studieKey(studie), klassen.toLowerCase().split(', ').slice(0, 10));
    if (!code) {
      mapping.markUndecided(studie);
      continue;
    }
    const problem =
      code === SKIP_CODE || listed?.has(code.toLowerCase())
        ? undefined
        : DASH_LOOKALIKES.test(code)
          ? 'gebruik een gewoon minteken (-) om over te slaan'
          : // A fraction in a workbook cell (25168.4): Excel may show it rounded (25168), and no code is one.
            r.problems?.some((p) => p.column === codeIndex && p.kind === 'decimal')
            ? 'dat is een kommagetal in het werkblad (Excel toont het misschien afgerond): zet de code zelf in de cel'
            : codeShapeProblem(code);
    if (problem) misshapen.push(`rij ${r.row}: ${problem.replace(/\.$/, '')}`);
    const prev = seen.get(studieKey(studie));
    if (prev && prev.code !== code) {
      // Rows, and the Studie when it may be shown; never the codes: a wrong file (a class list) has names there.
      conflicts.push(`${!hiddenStudie(studie, 1) ? `'${studie}' ` : ''}(rij ${prev.row} en rij ${r.row})`);
    }
    seen.set(studieKey(studie), { code, row: r.row });
    mapping.set(studie, code);
  }
  // A class or student list (Lucas Bakker;3A under a title, Naam;Mentorgroep, Naam;Opleiding): its pupils would be
  // Studies, in the workbook and the messages. Names beyond doubt; under headers that say Studie and code, a school
  // type or a digit makes a Studie named after someone no name (Hugo de Groot vwo). Without such headers also names'
  // shape beside klassen or Studies as codes (3A; 3 havo: a space and a school word); under its headers an mbo
  // Studie can have a name's shape (Allround Kapper;MBO3).
  const studies = mapping.entries();
  const most = (test: (e: MappingEntry) => boolean) => studies.filter(test).length * 2 > studies.length;
  const headed = headerAt >= 0 && !missingSide;
  const named = (e: MappingEntry) => surelyName(e.studie) && !(headed && soundsLikeStudie(e.studie));
  const personal = (e: MappingEntry) => looksLikePersonName(e.studie);
  const studieOrKlas = (e: MappingEntry) => KLAS_CODE.test(e.code) || (e.code.includes(' ') && soundsLikeStudie(e.code));
  if (studies.length >= 3 && (most(named) || (!headed && most(personal) && most(studieOrKlas)))) {
    throw new UserError(`${fileName} is geen mapping: in de kolom Studie staan namen van personen. Kies het bestand met de kolommen Studie en Opleidingscode.`);
  }
  if (misshapen.length) {
    throw new UserError(
      `${fileName}: een opleidingscode die geen code kan zijn (${namedFew(misshapen, 3, { separator: '; ' })}). Verbeter de code in die rij, of laat de cel leeg als je nog niet weet welke.`,
    );
  }
  if (conflicts.length) {
    throw new UserError(`${fileName}: een Studie met twee verschillende opleidingscodes: ${namedFew(conflicts, 5, { separator: '; ' })}. Laat per Studie één regel staan.`);
  }
  return mapping;
}

/**
 * A mapping workbook made from this export whose Studie column was sorted on its own (Excel's "sort the selection
 * only"): Studies would get each other's codes, and nothing else shows it. The workbook is this export's when its
 * counts are the export's (the same numbers, as many; a student who changed Studie since may swap two of them, so
 * counts alone prove nothing). Then a row whose example klassen all hold other Studies in the export, and not its
 * own, was moved; a shuffle moves two at least. How many rows moved: 0 when none, or for another export's workbook
 * (next year's, rows added or taken out), a Studie renamed since (not in the export: the unmapped Studie says it),
 * or a klas whose Studies were too many to keep (`studiesOfKlas` holds MANY then).
 */
export function shuffledWorkbook(mapping: Mapping, exportCounts: ReadonlyMap<string, number>, studiesOfKlas: ReadonlyMap<string, ReadonlySet<string>>): number {
  const { counts, klassen } = mapping;
  if (!counts || !klassen || exportCounts.size < 2) return 0;
  // Studies only the earlier mapping had are in the workbook with 0.
  const sorted = (values: Iterable<number>) =>
    [...values]
      .filter((n) => n > 0)
      .sort((a, b) => a - b)
      .join(',');
  if (sorted(counts.values()) !== sorted(exportCounts.values())) return 0;
  const elsewhere = (key: string) => {
    const examples = klassen.get(key) ?? [];
    return examples.length > 0 && examples.every((k) => studiesOfKlas.has(k) && !studiesOfKlas.get(k)!.has(key) && !studiesOfKlas.get(k)!.has(MANY));
  };
  const moved = [...counts.keys()].filter((key) => exportCounts.has(key) && elsewhere(key)).length;
  return moved >= 2 ? moved : 0;
}

/** In `studiesOfKlas`: this klas has more Studies than are kept, so any Studie may be among them. */
export const MANY = '\u0000many';

/**
 * A Studie as the mapping file stores it: one that starts like an Excel formula (+1 havo) is written with a leading
 * ' (see neutralise in io/csv-write.ts), which Excel shows without it. Read back the same way.
 */
function unescapeFormula(studie: string): string {
  return studie.startsWith("'") && startsLikeFormula(studie.slice(1)) ? studie.slice(1) : studie;
}
