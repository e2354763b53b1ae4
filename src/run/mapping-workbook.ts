import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { compareNl } from '../core/collate.js';
import type { ExportField } from '../core/columns.js';
import { sourceCandidates } from '../core/detect.js';
import { EXIT, NOTHING_WRITTEN, UserError } from '../core/errors.js';
import { namedFew, plural } from '../core/format.js';
import { Mapping } from '../core/mapping.js';
import { inList, type Opleiding, perLeerjaarHint } from '../core/opleidingen.js';
import type { RawRow } from '../core/raw-row.js';
import { SKIP_CODE } from '../core/schema.js';
import type { ColumnOverrides } from '../core/settings.js';
import { fieldsFit, rowLooksRight } from '../core/shape.js';
import { leerjaarColumnOf, STAFF_ONLY_KEYS } from '../core/sources.js';
import { StudieTally, studieColumnProblem, suggestionBasis } from '../core/studies.js';
import { suggestOpleidingen } from '../core/suggest.js';
import { headerKey, normaliseText } from '../core/text.js';
import { AtomicFile, checkTarget, refuseFolderName } from '../io/atomic-file.js';
import { loadInput, sheetsOf } from '../io/input.js';
import { mappingWorkbook, type WorkbookStudie } from '../io/mapping-workbook.js';
import { locateBest, type Table } from '../io/table.js';
import { programCommand, shellQuote } from '../ui/command-line.js';
import { loadMapping, loadOpleidingen } from './load-tables.js';
import { personStudie } from './locate-export.js';

export interface MappingWorkbookSettings {
  export: string;
  out: string;
  force: boolean;
  opleidingen?: string;
  mapping?: string;
  columns?: ColumnOverrides;
  /** The config these settings came from: an input too, never replaced by the workbook. */
  config?: string;
}

export interface MappingWorkbookReport {
  out: string;
  students: number;
  /** Rows without a Studie, or whose Studie is left out (StudieTally.notes): in no row, and convert stops on them. */
  notes: string[];
  studies: number;
  decided: number;
  notForNumo: number;
  undecided: number;
  /** Studies only in the existing mapping, kept so the workbook can replace it. */
  keptFromMapping: number;
  /** Codes the existing mapping uses that are not in the list of Numo's codes. */
  unknownCodes: string[];
}

/** Reading a big export takes a moment: the caller shows the count so far. */
export type Progress = (rowsRead: number) => void;

const PROGRESS_EVERY = 5_000;

/**
 * Every source's student headers (as convert and the wizard read them), but only the Studie column is needed here:
 * the rest of the export may be missing or misspelled.
 */
const studieOnly = (columns: ColumnOverrides | undefined) =>
  sourceCandidates('leerling', columns ? { overrides: columns } : {}).map((c) => ({ ...c, specs: c.specs.map((spec) => ({ ...spec, required: spec.key === 'studie' })) }));

/**
 * Every distinct Studie of the export (students) with its count and a few klassen — the only data the workbook holds. Like
 * convert, a value from a row whose other columns look wrong (rowLooksRight) is left out. `csv`: the file is a CSV,
 * whose rows must have the header's number of fields.
 */
export async function tallyStudies(table: Table<ExportField>, o: { csv: boolean }, onProgress?: Progress): Promise<StudieTally> {
  const tally = new StudieTally();
  const { studie: s, klas: k, stamnr, email } = table.columns;
  // As convert: not in an EduArte (mbo) export, whose opleidingen run over several leerjaren.
  const lj = table.candidate === 'eduarte' ? -1 : leerjaarColumnOf(table.headers, table.columns);
  const cell = (r: RawRow, c: number | undefined) => (c === undefined || c < 0 ? '' : normaliseText(r.cells[c] ?? ''));
  for await (const r of table.rows) {
    if (r.cells.every((c) => !normaliseText(c))) continue;
    const looksRight = rowLooksRight(o.csv && !fieldsFit(r.cells, table.headers), cell(r, stamnr), cell(r, email), true);
    tally.add(r.cells[s!] ?? '', cell(r, k), r.row, looksRight, cell(r, lj));
    tally.stamnrs.observe(cell(r, stamnr), { row: r.row });
    if (onProgress && tally.rows % PROGRESS_EVERY === 0) onProgress(tally.rows);
  }
  return tally;
}

/** No Studie to list: none in the export, or only in rows whose other columns are wrong (which the notes name). */
export function noStudies(name: string, tally: StudieTally): UserError {
  const notes = tally.notes();
  return new UserError(`${name}: geen enkele leerling met een Studie${notes.length ? ` die getoond mag worden. ${notes.join(' ')}` : '. Controleer de export.'} ${NOTHING_WRITTEN}`, EXIT.data);
}

/** Studie × code comparisons for the suggestions (about 1–5 s of work), and between two turns of the event loop. */
const SUGGESTED_PAIRS = 1_000_000;
const TURN_PAIRS = 20_000;

/**
 * Studies without a year whose students are in several leerjaren (a leerjaar column beside them, as Somtoday has),
 * whose codes are per leerjaar: one code per Studie is wrong for part of them. Said before the admin fills in codes,
 * as convert says it after.
 */
function spanningNote(named: readonly string[]): string[] {
  if (!named.length) return [];
  return [
    `${named.length === 1 ? 'Studie' : 'Studies'} ${namedFew(named, 3)} ${named.length === 1 ? 'heeft' : 'hebben'} leerlingen uit verschillende leerjaren, maar ${named.length === 1 ? 'krijgt' : 'krijgen'} één opleidingscode: die is voor een deel van hen fout (er staat geen suggestie bij). ${perLeerjaarHint('met --klas en')}`,
  ];
}

/**
 * `numo-prep mapping`: the export's Studies in a workbook for the admin to fill in Excel, with Numo's codes as a
 * dropdown, suggestions, and what an existing mapping already decided. Nothing but Studies, counts and klassen.
 */
export async function runMappingWorkbook(s: MappingWorkbookSettings, onProgress?: Progress): Promise<MappingWorkbookReport> {
  refuseFolderName(s.out, '--out', 'mapping.xlsx');
  const out = s.out;
  if (extname(out).toLowerCase() !== '.xlsx') throw new UserError(`--out ${s.out}: de mapping wordt een Excel-werkmap; geef een naam die eindigt op .xlsx.`);
  if (!s.force && !s.mapping && existsSync(out)) {
    // Most likely last year's workbook, filled in: --force would replace every code in it by an empty cell.
    const q = shellQuote(s.out);
    throw new UserError(
      `${s.out} bestaat al. Is dat een ingevulde mapping, geef hem dan mee: aan convert met --mapping ${q}, of hier met --mapping ${q} en een nieuwe --out (de codes blijven). Vervangen door een lege: --force.`,
    );
  }
  await checkTarget(out, { force: s.force, inputs: [s.export, s.opleidingen, s.mapping, s.config].filter((p): p is string => Boolean(p)) });

  const list: Opleiding[] | undefined = s.opleidingen ? await loadOpleidingen(s.opleidingen) : undefined;
  const existing = s.mapping ? await loadMapping(s.mapping) : new Mapping();

  const refused = personStudie(s.columns?.studie);
  if (refused) throw refused;
  const input = await loadInput(s.export);
  const table = await locateBest(input.name, await sheetsOf(input), studieOnly(s.columns)).catch(async (err: unknown) => {
    // A staff list has no Studies, so no mapping: "add the Studie in Magister" would be the wrong advice.
    if (err instanceof UserError && !s.columns?.studie) {
      const staff = await locateBest(input.name, await sheetsOf(input), sourceCandidates('docent')).then(
        async (t) => {
          await t.rows[Symbol.asyncIterator]().return?.();
          return t.headers.find((h) => STAFF_ONLY_KEYS.has(headerKey(h)));
        },
        () => undefined,
      );
      if (staff)
        throw new UserError(
          `${input.name} is een personeelslijst (kolom '${staff}'): die heeft geen Studies en dus geen mapping. Zet hem om met ${programCommand()} convert ${shellQuote(s.export)} --rol docent.`,
        );
    }
    throw err;
  });
  const tally = await tallyStudies(table, { csv: input.format === 'csv' }, onProgress);
  const problem = studieColumnProblem(table.headers[table.columns.studie!] ?? 'Studie', tally);
  if (problem) throw new UserError(`${problem.replace(/\.$/, '')}: in ${programCommand()} wizard, of met "columns": {"studie": "<kolomkop>"} in numo-prep.config.json. ${NOTHING_WRITTEN}`, EXIT.data);
  if (tally.distinct === 0) throw noStudies(input.name, tally);

  // A Studie the mapping has is listed whatever its shape: the school mapped it before. So is one Numo's list names.
  const named = inList(list);
  const inMapping = (studie: string) => existing.get(studie) !== undefined || existing.isUndecided(studie) || named(studie);
  const studies: WorkbookStudie[] = tally.list(inMapping).map((t) => ({ ...t, code: existing.get(t.studie) ?? '' }));
  const inExport = new Mapping(studies.map((t) => ({ studie: t.studie, code: 'x' })));
  const onlyInMapping = [
    ...existing
      .entries()
      .filter((e) => inExport.get(e.studie) === undefined)
      .map((e) => ({ studie: e.studie, code: e.code })),
    ...existing
      .undecided()
      .filter((u) => inExport.get(u) === undefined)
      .map((studie) => ({ studie, code: '' })),
  ].map((e): WorkbookStudie => ({ ...e, count: 0, klassen: [] }));
  const all: WorkbookStudie[] = [...studies, ...onlyInMapping].sort((a, b) => compareNl(a.studie, b.studie));
  const spanning: string[] = [];
  let unsuggested = 0;
  if (list) {
    // Each suggestion compares a Studie with every code: a ROC's hundreds of Studies with a list of thousands is
    // seconds of work. Bounded, and Ctrl+C is heard between Studies.
    let pairs = 0;
    for (const row of all) {
      if (pairs > SUGGESTED_PAIRS) {
        unsuggested++;
        continue;
      }
      pairs += list.length;
      if (pairs % TURN_PAIRS < list.length) await new Promise(setImmediate);
      const basis = suggestionBasis(row, list);
      // Students of several leerjaren under one Studie whose codes are per leerjaar: any one is wrong for some.
      if (basis === undefined) spanning.push(`'${row.studie}' (leerjaar ${row.leerjaren!.join(', ')})`);
      const best = basis === undefined ? undefined : suggestOpleidingen(basis, list, 1)[0];
      if (best) row.suggestie = best.opleiding;
    }
  }

  const usedCodes = [
    ...new Set(
      existing
        .entries()
        .map((e) => e.code)
        .filter((c) => c !== SKIP_CODE),
    ),
  ];
  const known = new Set(list?.map((o) => o.code.toLowerCase()));
  const codes: Opleiding[] = list ?? usedCodes.sort(compareNl).map((code) => ({ code }));
  const bytes = await mappingWorkbook(all, { codes, complete: Boolean(list), program: programCommand() });

  const file = await AtomicFile.create(out, { replace: s.force, flag: '--out' });
  try {
    await file.write(bytes);
    await file.commit();
  } catch (err) {
    await file.abort();
    throw err;
  }
  const count = (pred: (r: WorkbookStudie) => boolean) => all.filter(pred).length;
  return {
    out,
    students: tally.rows,
    notes: [
      ...tally.notes(inMapping),
      ...spanningNote(spanning),
      ...(unsuggested ? [`Geen suggestie bij ${plural(unsuggested, 'Studie', 'Studies')}: de lijst met opleidingen is te lang om elke Studie mee te vergelijken. Kies de code in de keuzelijst.`] : []),
    ],
    studies: all.length,
    decided: count((r) => Boolean(r.code) && r.code !== SKIP_CODE),
    notForNumo: count((r) => r.code === SKIP_CODE),
    undecided: count((r) => !r.code),
    keptFromMapping: onlyInMapping.length,
    unknownCodes: list ? usedCodes.filter((c) => !known.has(c.toLowerCase())) : [],
  };
}
