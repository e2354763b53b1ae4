import { randomFillSync } from 'node:crypto';
import { existsSync, type Stats, statSync } from 'node:fs';
import { mkdir, readFile, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type ColumnSpec, type ExportField, matchColumns } from '../core/columns.js';
import { defaultGebruikersnaam, secretColumn, sourceCandidates } from '../core/detect.js';
import { EXIT, fileProblem, Interrupted, NOTHING_WRITTEN, UserError } from '../core/errors.js';
import { parseList } from '../core/filter.js';
import { formatNumber, namedFew, plural } from '../core/format.js';
import { Mapping } from '../core/mapping.js';
import { inList, type Opleiding } from '../core/opleidingen.js';
import { policyWarnings } from '../core/policy.js';
import { isBlankRow, sheetLabel } from '../core/raw-row.js';
import type { PasswordKind, Rol } from '../core/schema.js';
import { type ColumnOverrides, convertSettings, SETTINGS, STUDENT_GEBRUIKERSNAAM } from '../core/settings.js';
import { type SourceId, sourceColumns } from '../core/sources.js';
import type { LeadingZeros } from '../core/stamnr.js';
import { type StudieCount, type StudieTally, studieColumnProblem } from '../core/studies.js';
import { compileTemplate, MIN_RANDOM_CHARS, RandomChars, type Template, templateShapeProblem, weakPasswordTemplate } from '../core/template.js';
import { normaliseText } from '../core/text.js';
import { AtomicFile, commitAll, refuseSameAsInput, samePath, windowsNameProblem } from '../io/atomic-file.js';
import { noteOnInterrupt } from '../io/cleanup.js';
import { type InputFile, loadInput, sheetsOf } from '../io/input.js';
import { folderWriteDenied, READ_ONLY_HOW, writable } from '../io/shred.js';
import { locateBest, type Table } from '../io/table.js';
import { cmdNote, programCommand, shellQuote, shownPath } from '../ui/command-line.js';
import type { Choice, Prompter } from '../ui/prompter.js';
import { mappingDiffersNote, printConvertReport } from '../ui/report.js';
import { codeText, type ReviewPlan, renderReview } from '../ui/review.js';
import type { Ui } from '../ui/terminal.js';
import { CONFIG_FILE, type Config, configOfMapping, configText, goneListNotice, loadConfig, mappingWithoutItsConfig, typedPathIn } from './config.js';
import { csvNameProblem, defaultOutput, runConvert } from './convert.js';
import { exportLookalikes, type FolderFile, folderFiles, KIND_NAMES, kindOf, MAC_FOLDER_ACCESS } from './find-exports.js';
import { loadIdgebr, loadMapping, loadOpleidingen } from './load-tables.js';
import { locateExport } from './locate-export.js';
import { askOpleiding, WHERE_CODES } from './map-studies.js';
import { isWritableMapping, type MappingUpdate, prepareMappingUpdate } from './mapping-file.js';
import { noStudies, tallyStudies } from './mapping-workbook.js';

export interface WizardOptions {
  exportPath?: string;
  opleidingen?: string;
  mapping?: string;
  cwd: string;
}

/** One Studie of the export and the admin's answer; `code` undefined while undecided. */
interface StudieAnswer extends StudieCount {
  code?: string;
  /** Decided in the existing mapping: shown as decided, not asked. */
  known: boolean;
}

/** Every answer; the review shows them and can change any one. */
interface Answers {
  columns: ColumnOverrides;
  password: PasswordKind;
  passwordTemplate?: string;
  gebruikersnaam: string;
  rol: Rol;
  klas?: string[];
  studie?: string[];
  idgebr?: string;
  /** The school uses SSO with an IDGebr file: from the config, until an answer changes it. */
  sso: boolean;
  /** The answer of askStamnrZeros (0: without zeros), and the IDGebr file it was asked for. */
  stamnrCijfers?: number;
  zerosAskedFor?: string;
  out: string;
  mapping: string;
}

/** Dutch words for each choice of the settings schema; typed by it, so a new choice needs its words here. */
const PASSWORD_CHOICES: Record<PasswordKind, { name: string; review: string }> = {
  random: { name: `Willekeurig (aanbevolen): ${SETTINGS.passwordLength.default} tekens, zonder 0/O/1/l/I`, review: 'willekeurig' },
  template: { name: 'Volgens een sjabloon, bijv. Welkom{random4}', review: 'volgens sjabloon' },
  none: { name: 'Geen (inloggen met SSO, of zelf een wachtwoord aanvragen)', review: 'geen' },
};
const ROLE_CHOICES: Record<Rol, string> = { leerling: 'Leerlingen (rol leerling)', docent: 'Docenten (rol docent)' };

const EXAMPLES = 3;
const SAMPLE_ROWS = 50;
const isExit = (err: unknown) => (err as Error)?.name === 'ExitPromptError';

function templateProblem(v: string, option: string, rng?: RandomChars): true | string {
  const shape = templateShapeProblem(v, rng ? 'wachtwoord' : 'gebruikersnaam');
  if (shape) return `Dit sjabloon ${shape}.`;
  try {
    compileTemplate(v, option, rng);
    return true;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Columns a list may lack without a word. Students: IDGebr comes from a file, the login and code only matter for
 * templates. Staff: the login or else the code is the gebruikersnaam, so both are shown (and asked when missing).
 */
const QUIET: Record<Rol, readonly ExportField[]> = { leerling: ['idgebr', 'login', 'code'], docent: ['idgebr'] };

type ExportTable = Table<ExportField> & { specs: readonly ColumnSpec<ExportField>[] };

/** The export, read once from disk; its table can be located again (cheaply, from memory) after a column change. */
class ExportFile {
  private constructor(
    readonly input: InputFile,
    /** Students, or staff (a personeelslijst): decided once, before the columns (see roleOf). */
    public rol: Rol = 'leerling',
  ) {}

  static async open(path: string): Promise<ExportFile> {
    return new ExportFile(await loadInput(path));
  }

  /** The header of whichever source fits best (Magister, Somtoday, EduArte); `specs` are that source's columns. */
  async table(columns: ColumnOverrides): Promise<ExportTable> {
    const candidates = sourceCandidates(this.rol, { overrides: columns });
    const table = await locateBest(this.input.name, await sheetsOf(this.input), candidates, { allowMissing: true });
    return { ...table, specs: (candidates.find((c) => c.id === table.candidate) ?? candidates[0]!).specs };
  }

  /** Up to three different values per column from the first rows - shown on the admin's own screen only. */
  async examples(columns: ColumnOverrides): Promise<{ table: ExportTable; examples: string[][] }> {
    const table = await this.table(columns);
    // A password or a BSN is shown nowhere, also not here.
    const examples = table.headers.map((h) => (secretColumn(h) ? undefined : ([] as string[])));
    const it = table.rows[Symbol.asyncIterator]();
    try {
      for (let i = 0; i < SAMPLE_ROWS; i++) {
        const next = await it.next();
        if (next.done) break;
        next.value.cells.forEach((c, j) => {
          const v = normaliseText(c);
          const ex = examples[j];
          if (v && ex && ex.length < EXAMPLES && !ex.includes(v)) ex.push(v.length > 24 ? `${v.slice(0, 23)}…` : v);
        });
      }
    } finally {
      await it.return?.();
    }
    return { table, examples: examples.map((ex) => ex ?? []) };
  }
}

const newestFirst = (files: readonly FolderFile[]) => [...files].sort((a, b) => b.modified - a.modified);
/** A file's date as a Dutch admin reads it (30-11-2026), without ICU. */
const fileDay = (ms: number) => {
  const d = new Date(ms);
  return `${d.getDate()}-${d.getMonth() + 1}-${d.getFullYear()}`;
};

/** Each file's date, with the time where two share a day (export.xlsx and export (2).xlsx, both downloaded today). */
function fileDates(files: readonly FolderFile[]): Map<FolderFile, string> {
  const days = files.map((f) => fileDay(f.modified));
  const twice = new Set(days.filter((d, i) => days.indexOf(d) !== i));
  const time = (ms: number) => {
    const d = new Date(ms);
    return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}`;
  };
  return new Map(files.map((f, i) => [f, twice.has(days[i]!) ? `${days[i]} ${time(f.modified)}` : days[i]!]));
}

/**
 * The file list offers only what can be an export of students or a staff list; the rest is named so the admin
 * sees why.
 */
async function pickExport(p: Prompter, ui: Ui, files: FolderFile[], cwd: string): Promise<FolderFile & { path: string }> {
  // Files with headers of no known kind are offered only when nothing looks like an export (another system's names).
  const plausible: FolderFile['kind'][] = files.some((f) => f.kind === 'export' || f.kind === 'staff') ? ['export', 'staff'] : ['export', 'staff', 'other'];
  const exports = files.filter((f) => plausible.includes(f.kind));
  const others = files.filter((f) => !plausible.includes(f.kind)).map((f) => `${f.name} (${KIND_NAMES[f.kind]})`);
  if (exports.length === 0) {
    const lookalikes = exportLookalikes(cwd);
    const maybe = lookalikes.length
      ? ` Is het ${namedFew(lookalikes, 3, { separator: ' of ' })}? Pak een .zip eerst uit, wacht tot een download klaar is, en sla een ander rekenblad (.xls, .ods) op als .xlsx.`
      : '';
    throw new UserError(
      `Geen export (Magister, Somtoday of EduArte) gevonden in ${cwd}${others.length ? ` (wel: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ' …' : ''})` : ''}.${maybe} Geef de export op: ${programCommand()} wizard export.xlsx`,
    );
  }
  if (others.length) ui.out(`Niet aangeboden: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ' …' : ''}.`);
  const shown = (f: FolderFile) => `${f.name}${f.kind === 'staff' ? ' (personeelslijst)' : ''}`;
  if (exports.length === 1) {
    ui.out(`Export: ${shown(exports[0]!)}`);
    return { ...exports[0]!, path: join(cwd, exports[0]!.name) };
  }
  // Newest first, with its date: this year's export beside last year's (export.xlsx, export (1).xlsx) is the newer.
  const dates = fileDates(exports);
  const picked = await p.select({ message: 'Welk bestand is de export?', choices: newestFirst(exports).map((f) => ({ name: `${shown(f)}, van ${dates.get(f)}`, value: f })) });
  return { ...picked, path: join(cwd, picked.name) };
}

/** Column prompt answers that are no column: "Geen", and the line a required column's prompt starts on. */
const NONE = -1;
const UNCHOSEN = -2;

/**
 * Columns: what was recognised with three example values each; the admin points out what was not: the first
 * time every missing column, on a re-run with a config only a missing required one, from the review all of
 * them. A Studie column with hundreds of values is refused right there. A staff list has no Studies.
 */
async function chooseColumns(
  p: Prompter,
  ui: Ui,
  file: ExportFile,
  current: ColumnOverrides,
  mode: 'all' | 'missing' | 'required',
): Promise<{
  columns: ColumnOverrides;
  table: ExportTable;
  /** The export's Studies (none in a staff list). */
  tally?: StudieTally;
  rows: number;
  /** The export's IDGebr column has values in its first rows: then it gives SSO without a file (as convert reads it). */
  idgebrFilled: boolean;
}> {
  const columns: ColumnOverrides = { ...current };
  // Columns the admin said are not there ("Geen") are not asked again when the Studie column is re-chosen.
  const declined = new Set<string>();
  for (;;) {
    const { table, examples } = await file.examples(columns);
    const specs = table.specs;
    // What numo-prep finds by itself in this source's headers, without the admin's choices.
    const auto = matchColumns(table.headers, sourceColumns((table.candidate ?? 'magister') as SourceId, file.rol));
    const quiet = QUIET[file.rol];
    const show = (i: number) => `'${table.headers[i]}'${examples[i]?.length ? ` (bv. ${examples[i]!.join(', ')})` : ''}`;
    ui.out(`Kolommen in ${file.input.name}${table.sheet ? `, blad ${sheetLabel(table.sheet)}` : ''} (kopregel in rij ${table.headerRow}):`);
    for (const spec of specs) {
      const i = table.columns[spec.key];
      if (i === undefined && quiet.includes(spec.key) && !columns[spec.key]) continue;
      ui.out(`  ${i === undefined ? ui.color.yellow('?') : ui.color.green('✔')} ${spec.label.padEnd(11)} ${i === undefined ? '(niet gevonden)' : `← ${show(i)}`}`);
    }
    for (const spec of specs) {
      const now = table.columns[spec.key];
      // A staff member's gebruikersnaam is the login or else the code: with one of them found, the other is no gap.
      const covered = file.rol === 'docent' && (spec.key === 'login' || spec.key === 'code') && (table.columns.login !== undefined || table.columns.code !== undefined);
      // A column the config chose that this export lacks is asked again, required or not (convert would stop on it).
      const chosen = Boolean(columns[spec.key]);
      const ask = mode === 'all' || (now === undefined && !covered && !declined.has(spec.key) && (spec.required || chosen || mode === 'missing'));
      if ((quiet.includes(spec.key) && !chosen) || !ask) continue;
      const taken = new Map(
        Object.entries(table.columns)
          .filter(([k]) => k !== spec.key)
          .map(([k, i]) => [i, k as ExportField]),
      );
      // From the review every column can be chosen (two columns detected the wrong way round): one another field has
      // moves over, and that field gets this one's column.
      const labelOf = (k: ExportField) => specs.find((x) => x.key === k)?.label ?? k;
      const choices: Choice<number>[] = table.headers.flatMap((h, i) => {
        const other = taken.get(i);
        if (!h || (other !== undefined && mode !== 'all')) return [];
        return [{ name: other === undefined ? show(i) : `${show(i)} — nu ${labelOf(other)}`, value: i }];
      });
      if (choices.length === 0 && spec.required) throw new UserError(`Kolom '${spec.label}' ontbreekt in de export. Neem hem op in de export (in Magister: Kolommenkiezer) en exporteer opnieuw.`);
      // Enter on a column that was not found never takes an arbitrary first column: an optional one stays empty,
      // a required one must be pointed out (the prompt starts on a line that only says so).
      if (!spec.required) choices.push({ name: 'Geen — deze kolom blijft leeg', value: NONE });
      else if (now === undefined) choices.unshift({ name: `Kies hieronder de kolom met '${spec.label}'`, value: UNCHOSEN });
      const message = `Welke kolom is '${spec.label}'?`;
      // "Geen" for a tussenvoegsel column numo-prep found, with data: every tussenvoegsel would go (convert refuses it).
      const found = auto[spec.key];
      const dropsNames = (i: number) => i === NONE && spec.key === 'tussenvoegsel' && found !== undefined && (examples[found]?.length ?? 0) > 0;
      let i = await p.select<number>({ message, choices, default: now ?? (spec.required ? UNCHOSEN : NONE) });
      while (i === UNCHOSEN || dropsNames(i)) {
        ui.err(
          ui.color.yellow(
            i === UNCHOSEN
              ? `! '${spec.label}' is nodig: kies de kolom waarin die staat.`
              : `! Kolom '${table.headers[found!]}' heeft tussenvoegsels; zonder die kolom raken ze kwijt in Numo. Kies hem, of haal de kolom uit de export als er iets anders in staat.`,
          ),
        );
        i = await p.select<number>({ message, choices, default: i === UNCHOSEN ? UNCHOSEN : found! });
      }
      const other = i >= 0 ? taken.get(i) : undefined;
      if (other !== undefined) {
        if (now !== undefined) table.columns[other] = now;
        else delete table.columns[other];
        const moved = table.columns[other];
        if (moved !== undefined && auto[other] === moved) delete columns[other];
        else if (moved !== undefined) columns[other] = table.headers[moved]!;
        else if (auto[other] !== undefined) columns[other] = '';
        else delete columns[other];
      }
      if (i >= 0) {
        table.columns[spec.key] = i;
        // Kept in the config only where numo-prep would not find the column by itself.
        if (auto[spec.key] === i) delete columns[spec.key];
        else columns[spec.key] = table.headers[i]!;
      } else {
        delete table.columns[spec.key];
        // A column numo-prep would find by itself is left out by name ("" in the config): else convert takes it.
        if (auto[spec.key] !== undefined) columns[spec.key] = '';
        else delete columns[spec.key];
        declined.add(spec.key);
      }
    }
    // A required field whose column moved to another one is asked for again.
    if (mode === 'all' && specs.some((x) => x.required && table.columns[x.key] === undefined)) {
      mode = 'required';
      continue;
    }
    // The examples used the first rows; the whole export is read from a fresh start, with the columns as chosen.
    const whole = await file.table(columns);
    whole.columns = { ...table.columns };
    const spinner = ui.spinner('Export lezen…');
    let tally;
    try {
      const onProgress = (rows: number) => (spinner.text = `Export lezen… ${formatNumber(rows)} rijen`);
      if (file.rol === 'docent') return { columns, table: whole, rows: await countRows(whole, onProgress), idgebrFilled: false };
      tally = await tallyStudies(whole, { csv: file.input.format === 'csv' }, onProgress);
    } finally {
      spinner.stop();
    }
    if (tally.distinct === 0) throw noStudies(file.input.name, tally);
    const problem = studieColumnProblem(table.headers[table.columns.studie!] ?? 'Studie', tally);
    const idgebr = table.columns.idgebr;
    if (!problem) {
      return {
        columns,
        table: whole,
        tally,
        rows: tally.rows,
        idgebrFilled: idgebr !== undefined && (examples[idgebr]?.length ?? 0) > 0,
      };
    }
    ui.err(ui.color.yellow(`! ${problem}`));
    // Ask the Studie column again, without the one just refused; the others stay as they are.
    const bad = table.columns.studie;
    const taken = new Set(
      Object.entries(table.columns)
        .filter(([k]) => k !== 'studie')
        .map(([, i]) => i),
    );
    const choices = table.headers.flatMap((h, i) => (h && i !== bad && !taken.has(i) ? [{ name: show(i), value: i }] : []));
    if (choices.length === 0)
      throw new UserError(`${problem} Er is geen andere kolom over; neem de kolom met de studie of opleiding op in de export (in Magister: Kolommenkiezer) en exporteer opnieuw.`);
    columns.studie = table.headers[await p.select<number>({ message: "Welke kolom is 'Studie'?", choices })]!;
    mode = 'required';
  }
}

/** The rows with any data, for the review of a staff list. */
async function countRows(table: ExportTable, onProgress: (rows: number) => void): Promise<number> {
  let n = 0;
  for await (const r of table.rows) {
    if (isBlankRow(r)) continue;
    if (++n % 5_000 === 0) onProgress(n);
  }
  return n;
}

/**
 * Students or staff, before any column is asked: a personeelslijst (a column only staff lists have) is staff, an
 * export with a Studie column (on any sheet, with a Stamnr beside it) is students; anything else (a staff list with
 * only a Code, another system's headers) the admin says.
 */
async function roleOf(p: Prompter, file: ExportFile, kind: FolderFile['kind'], columns: ColumnOverrides, current: Rol | undefined): Promise<Rol> {
  if (kind === 'staff') return 'docent';
  file.rol = 'leerling';
  if (kind === 'export' && (await file.table(columns)).columns.studie !== undefined) return 'leerling';
  // The file's kind is judged by its first sheet; a later one may be the export (a note on the first).
  if (kind === 'other') {
    const table = await file.table(columns).catch(() => undefined);
    if (table?.columns.studie !== undefined && table.columns.stamnr !== undefined) return 'leerling';
  }
  return askRol(p, current ?? 'leerling');
}

/**
 * What convert will say about the file as a whole (a column that looks like a tussenvoegsel but is not read, a
 * hidden sheet, how it was decoded), for the review; and its refusals (a student list read as staff) before
 * anything is written.
 */
async function fileFindings(file: ExportFile, columns: ColumnOverrides): Promise<string[]> {
  const located = await locateExport(file.input, { role: file.rol, overrides: columns });
  await located.table.rows[Symbol.asyncIterator]().return?.();
  return located.findings.list().map((f) => f.message);
}

/** Lists that are certainly no mapping: the wizard adds no mapping lines to them. */
const NOT_A_MAPPING: readonly FolderFile['kind'][] = ['export', 'staff', 'numo-import', 'idgebr', 'opleidingen', 'unreadable'];

/**
 * What the files the wizard read are now (absent, or id, size and times): one changed while the admin answered
 * (edited in Excel, a config made by another run) would be written over, or win over the answers just confirmed.
 * The change time too: an edit that keeps the size and puts the modification time back (touch -r) still sets it.
 */
async function stampFiles(stamps: Map<string, string>, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const s = await stat(path, { bigint: true }).catch(() => undefined);
    stamps.set(path, s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : 'absent');
  }
}

async function changedSince(stamps: Map<string, string>): Promise<string | undefined> {
  const now = new Map<string, string>();
  await stampFiles(now, [...stamps.keys()]);
  return [...stamps].find(([path, stamp]) => now.get(path) !== stamp)?.[0];
}

/** The existing mapping (this year's answers start from it), or an empty one. */
async function existingMapping(path: string): Promise<Mapping> {
  return existsSync(path) ? loadMapping(path) : new Mapping();
}

async function askPassword(p: Prompter, a: Pick<Answers, 'password' | 'passwordTemplate'>): Promise<Pick<Answers, 'password' | 'passwordTemplate'>> {
  const password = await p.select<PasswordKind>({
    message: 'Wachtwoorden',
    choices: SETTINGS.password.choices.map((k) => ({ name: PASSWORD_CHOICES[k].name, value: k })),
    default: a.password,
  });
  if (password !== 'template') return { password };
  const rng = new RandomChars(randomFillSync);
  // The wizard keeps the template in numo-prep.config.json, which stays for years: without random characters it is
  // everyone's password, or a recipe from data classmates know. convert --password-template only warns.
  const passwordTemplate = await p.input({
    message: 'Wachtwoordsjabloon',
    default: a.passwordTemplate && !weakPasswordTemplate(a.passwordTemplate) ? a.passwordTemplate : 'Welkom{random4}',
    validate: (v) => {
      const problem = templateProblem(v, 'wachtwoordsjabloon', rng);
      if (problem !== true || !weakPasswordTemplate(v)) return problem;
      return `Zet {random${MIN_RANDOM_CHARS}} of meer in het sjabloon: zonder willekeurige tekens is het wachtwoord voor iedereen hetzelfde of te raden, en het sjabloon wordt bewaard in ${CONFIG_FILE}.`;
    },
  });
  return { password, passwordTemplate };
}

/** Who the rows are. A staff list (rol docent) is read by the same steps; see the sources work for its columns. */
function askRol(p: Prompter, current: Rol): Promise<Rol> {
  return p.select<Rol>({ message: 'Wie staan er in deze export?', choices: SETTINGS.rol.choices.map((r) => ({ name: ROLE_CHOICES[r], value: r })), default: current });
}

/**
 * A path as the admin types or pastes it: Verkenner's "Als pad kopiëren" puts it in double quotes, a file dragged
 * into macOS Terminal comes in single quotes or with a backslash before spaces and brackets (My\ Export\ \(1\).csv).
 */
function typedPath(v: string): string {
  const t = v.trim();
  if (t.length > 1 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1);
  // Terminal escapes more than spaces: idgebr\ \(1\).csv for a second download.
  return process.platform === 'win32' ? t : t.replace(/\\(.)/g, '$1');
}

/** `sso`: the config says the school uses SSO, so Enter does not quietly choose "Geen" when no file is in the folder. */
/** `sso`: this run has SSO so far (the default asks for a file); `configSso`: the saved settings say the school uses it. */
async function askIdgebr(p: Prompter, files: FolderFile[], cwd: string, current: string | undefined, sso: boolean, configSso: boolean): Promise<string | undefined> {
  // Newest first, with its date, as the exports: last year's file beside this year's is the older one.
  const lists = files.filter((f) => f.kind === 'idgebr');
  const dates = fileDates(lists);
  const candidates = newestFirst(lists).map((f) => ({ name: `${f.name}, van ${dates.get(f)}`, value: join(cwd, f.name) }));
  let choice: string;
  for (;;) {
    choice = await p.select<string>({
      message: 'IDGebr-bestand voor inloggen met SSO',
      choices: [...candidates, { name: 'Ander bestand…', value: '?' }, { name: 'Geen (geen SSO)', value: '' }],
      default: current ?? candidates[0]?.value ?? (sso ? '?' : ''),
    });
    // The school uses SSO (the config says so): "Geen" takes that out of the config for good, so it is asked.
    if (choice !== '' || !configSso) break;
    if (
      await p.confirm({ message: 'De instellingen zeggen dat de school SSO gebruikt. Zonder IDGebr-bestand krijgt niemand SSO, en SSO gaat uit in de instellingen. Toch zonder SSO?', default: false })
    )
      break;
  }
  if (choice !== '?') return choice || undefined;
  const isFile = (v: string) => statOf(typedPathIn(cwd, typedPath(v)))?.isFile() === true;
  // A file of the folder is known by its headers: the export itself (or the mapping) would fail only after writing.
  const kindIn = (v: string) => files.find((f) => samePath(join(cwd, f.name), typedPathIn(cwd, typedPath(v))))?.kind;
  const typed = await p.input({
    message: 'Pad naar het IDGebr-bestand',
    validate: (v) => {
      if (!typedPath(v) || !isFile(v)) return `Bestand niet gevonden: ${typedPath(v)}`;
      const kind = kindIn(v);
      return kind === undefined || kind === 'idgebr' || kind === 'other' || kind === 'unreadable' ? true : `Dat is een ${KIND_NAMES[kind]}, geen IDGebr-bestand (kolommen Stamnr en IDGebr).`;
    },
  });
  return typedPathIn(cwd, typedPath(typed));
}

/**
 * Why a typed name cannot be a file the wizard writes (the Numo file, the mapping): no name, a folder, a folder that
 * does not exist, or one of the other files of the run. Checked at the prompt: convert would refuse it only after
 * the mapping and config were written, and a mapping line added to the export or the IDGebr file changes an input.
 */
function writeTargetProblem(cwd: string, v: string, others: readonly (string | undefined)[], o: { makesFolder?: boolean } = {}): string | undefined {
  const name = typedPath(v);
  if (!name) return 'Geef een bestandsnaam.';
  const path = typedPathIn(cwd, name);
  let folder = /[\\/]$/.test(name);
  try {
    folder ||= statSync(path).isDirectory();
  } catch {
    // not there yet: a new file
  }
  if (folder) return 'Dat is een map; geef een bestandsnaam.';
  const windowsProblem = windowsNameProblem(basename(path));
  if (windowsProblem) return `${windowsProblem}; kies een andere naam.`;
  // The mapping's folder (mappings/) is made when it is saved; the Numo file's folder must be there.
  const needed = o.makesFolder ? dirname(dirname(path)) : dirname(path);
  if (!existsSync(needed)) return `De map ${dirname(path)} bestaat niet.`;
  return others.some((f) => f !== undefined && samePath(typedPathIn(cwd, f), path)) ? 'Dat is een ander bestand van deze run; kies een andere naam.' : undefined;
}

async function askOut(p: Prompter, cwd: string, current: string, others: readonly (string | undefined)[]): Promise<string> {
  // A CSV by its name too: Numo's upload asks for one (csvNameProblem explains a spreadsheet name).
  const problem = (v: string): true | string => {
    const name = csvNameProblem(typedPath(v)) ?? (/\.(csv|txt)$/i.test(typedPath(v)) ? undefined : 'geef een naam die eindigt op .csv.');
    return writeTargetProblem(cwd, v, others) ?? (name ? `Het Numo-bestand: ${name}` : true);
  };
  // Named as the review above names it: relative to the folder the wizard works in, when it is in there.
  return typedPathIn(cwd, typedPath(await p.input({ message: 'Uitvoerbestand (het Numo-importbestand)', default: shownPath(current, cwd), validate: problem })));
}

/**
 * Saves this run's answers to the mapping file the append-only way (prepareMappingUpdate): Studies the file does
 * not hold yet are added at the end, nothing already in it is rewritten. `undecidedToo`: Studies without an answer
 * become lines with an empty code, so the next run (and convert) knows they are still open.
 */
async function saveMapping(path: string, before: Mapping, studies: StudieAnswer[], undecidedToo: boolean): Promise<{ state: string; differs: string; added: number }> {
  // The mapping this run started from comes along: when it came from elsewhere (a filled workbook), its codes are
  // carried over; what the file already holds is not added again.
  const answers = studies.filter((s) => !s.known && (s.code !== undefined || undecidedToo)).map((s) => ({ studie: s.studie, code: s.code ?? '' }));
  const wanted = [...before.entries(), ...(undecidedToo ? before.undecided().map((studie) => ({ studie, code: '' })) : []), ...answers];
  const folder = dirname(path);
  let made: string | undefined;
  try {
    // Not writable for everyone whatever the umask: convert trusts the mapping it finds.
    made = await mkdir(folder, { recursive: true, mode: 0o775 });
  } catch (err) {
    throw new UserError(`Kan de map ${folder} niet maken: ${fileProblem((err as NodeJS.ErrnoException).code)}. ${NOTHING_WRITTEN}`);
  }
  let update: MappingUpdate;
  try {
    update = await prepareMappingUpdate(path, wanted);
    if (update.write) await commitAll([update.write]);
  } catch (err) {
    // A folder made for a mapping that could not be written (a full disk) is no use: it goes too, when empty.
    if (made !== undefined) await rmdir(made).catch(() => {});
    throw err;
  }
  // A sentence of its own in convert's line; here inside "Mapping …: …; instellingen …", so in brackets.
  const differs = mappingDiffersNote(update).trim().replace(/\.$/, '');
  const note = differs ? ` (${differs})` : '';
  if (!update.write) return { state: `ongewijzigd${note}`, differs, added: 0 };
  // The answers are in the file now: an interrupt from here on must not call them lost.
  noteOnInterrupt(undefined);
  const lines = plural(update.added, 'regel', 'regels');
  return { state: `${update.created ? `nieuw (${lines})` : `bijgewerkt: ${lines} toegevoegd`}${note}`, differs, added: update.added };
}

/**
 * The wizard keeps its settings (and by default the mapping) in the folder it works in: said before the first
 * question, not after all of them as an unexpected error.
 */
async function refuseUnwritableFolder(dir: string): Promise<void> {
  const folder = await stat(dir).catch(() => undefined);
  const code = folder && (await folderWriteDenied(dir, folder));
  if (code) {
    throw new UserError(
      `Kan niet schrijven in ${dir}: ${fileProblem(code)}. De wizard bewaart daar de instellingen (${CONFIG_FILE}); start hem in een map waar je mag schrijven${code === 'EROFS' ? '' : `, of ${MAC_FOLDER_ACCESS}`}.`,
    );
  }
}

/**
 * The answers to new Studies are added to the mapping at the end: one that cannot be written (made read-only, not
 * this user's) is said before they are asked (and when it is chosen in the review), not after all questions.
 */
async function readOnlyMapping(path: string, rel: (f: string) => string): Promise<string | undefined> {
  const s = await stat(path).catch(() => undefined);
  if (!s || (await writable(path, s))) return undefined;
  return `${rel(path)} is alleen-lezen (of niet van jou), en de wizard voegt er de nieuwe studies aan toe. Haal dat eerst weg (${READ_ONLY_HOW})`;
}

/**
 * First year and every year after: a correct Numo CSV plus a saved mapping and config. Starts from an existing
 * config and mapping in the folder; asks only what is not known; shows everything on one review screen, where any
 * answer can be changed, before anything is written. Stopping (or Ctrl+C) offers to keep the answers so far.
 */
export async function runWizard(p: Prompter, ui: Ui, o: WizardOptions): Promise<number> {
  const configPath = join(o.cwd, CONFIG_FILE);
  await refuseUnwritableFolder(o.cwd);
  const stamps = new Map<string, string>();
  await stampFiles(stamps, [configPath]);
  const config: Config | undefined = existsSync(configPath) ? (await loadConfig(configPath)).config : undefined;
  if (config) ui.out(`Instellingen van de vorige keer gevonden (${CONFIG_FILE}); alleen wat nieuw is wordt gevraagd.`);

  const looking = ui.spinner('Bestanden in deze map bekijken…');
  let files: FolderFile[];
  try {
    files = await folderFiles(o.cwd);
  } finally {
    looking.stop();
  }
  const picked = o.exportPath ? { path: typedPathIn(o.cwd, o.exportPath), kind: await kindOf(typedPathIn(o.cwd, o.exportPath)) } : await pickExport(p, ui, files, o.cwd);
  const exportPath = picked.path;
  const kind = picked.kind;
  if (kind !== 'export' && kind !== 'staff' && kind !== 'other' && kind !== 'unreadable') {
    throw new UserError(`${shownPath(exportPath, o.cwd)} is een ${KIND_NAMES[kind]}, geen export. Geef de export op (Magister, Somtoday of EduArte).`);
  }
  const file = await ExportFile.open(exportPath);
  const rel = (f: string) => shownPath(f, o.cwd);
  file.rol = await roleOf(p, file, kind, config?.columns ?? {}, config?.rol);
  // One folder, one config: last year's students' settings would turn this year's staff run into a student run.
  if (config && (config.rol ?? SETTINGS.rol.default) !== file.rol) {
    throw new UserError(
      `${CONFIG_FILE} in deze map is voor ${file.rol === 'docent' ? 'leerlingen' : 'docenten'}, en ${rel(exportPath)} is een lijst met ${file.rol === 'docent' ? 'docenten' : 'leerlingen'}. Draai de wizard voor ${file.rol === 'docent' ? 'docenten' : 'leerlingen'} in een eigen map.`,
    );
  }
  const staff = file.rol === 'docent';

  let cols = await chooseColumns(p, ui, file, config?.columns ?? {}, config ? 'required' : 'missing');
  let opleidingen = o.opleidingen ? typedPathIn(o.cwd, o.opleidingen) : config?.opleidingen;
  if (!o.opleidingen && opleidingen && !existsSync(opleidingen)) {
    // As convert does: the list only helps; the config written at the end no longer names it.
    ui.err(ui.color.yellow(`! ${goneListNotice(configPath, opleidingen)}`));
    opleidingen = undefined;
  }
  // Numo's list in this folder (the inleesbestand beside the export, as the manual has it): used, and said, so a
  // typed code is checked against it (VB-HAVO-l for VB-HAVO-1 passed without it). Not when there are two.
  const lists = files.filter((f) => f.kind === 'opleidingen');
  if (!opleidingen && !staff && lists.length === 1) {
    opleidingen = join(o.cwd, lists[0]!.name);
    ui.out(`Lijst met Numo-opleidingen uit deze map: ${lists[0]!.name} (een andere: --opleidingen <bestand>).`);
  } else if (!opleidingen && !staff && lists.length > 1) {
    ui.out(
      `In deze map staan ${lists.length} lijsten met opleidingscodes (${namedFew(
        lists.map((f) => f.name),
        3,
      )}): kies er een met --opleidingen <bestand>.`,
    );
  }
  // The same run again, after a stop: the same export, the same list and mapping (no config is saved yet).
  const resume = () =>
    [
      programCommand(),
      'wizard',
      shellQuote(rel(exportPath)),
      ...(o.opleidingen ? ['--opleidingen', shellQuote(rel(typedPathIn(o.cwd, o.opleidingen)))] : []),
      ...(o.mapping ? ['--mapping', shellQuote(rel(typedPathIn(o.cwd, o.mapping)))] : []),
    ].join(' ');
  const list: Opleiding[] | undefined = opleidingen ? await loadOpleidingen(opleidingen) : undefined;
  const source = o.mapping ? typedPathIn(o.cwd, o.mapping) : (config?.mapping ?? join(o.cwd, 'mappings', 'school.csv'));
  // Last year's mapping from last year's folder, without its settings: a new config would make other usernames.
  const owner = o.mapping && !config ? await configOfMapping(source) : undefined;
  if (owner) throw mappingWithoutItsConfig(rel(source), owner, 'Draai de wizard in die map, of kopieer dat bestand naar deze map.');
  // The wizard appends its answers to the mapping: never to an input.
  await refuseSameAsInput(source, o.mapping ? '--mapping' : `mapping in ${CONFIG_FILE},`, [
    { path: exportPath, what: 'de export' },
    { path: opleidingen, what: 'de lijst met opleidingen' },
    { path: config?.idgebr, what: 'het IDGebr-bestand' },
  ]);
  // Staff have no Studies: no mapping is read or written.
  let before = staff ? new Mapping() : await existingMapping(source);
  // A workbook (numo-prep mapping) is read, never written: its codes are carried over into a CSV mapping.
  const mappingPath = isWritableMapping(source) ? source : join(o.cwd, 'mappings', 'school.csv');
  if (!staff) await stampFiles(stamps, [source, mappingPath]);
  if (mappingPath !== source && !staff) {
    if (existsSync(mappingPath)) throw new UserError(`Er zijn twee mappings: ${rel(source)} en ${rel(mappingPath)}. Kies er één met --mapping.`);
    ui.out(`De codes uit ${rel(source)} worden overgenomen; de wizard bewaart de mapping als ${rel(mappingPath)}.`);
  }

  const a: Answers = {
    columns: cols.columns,
    password: config?.password ?? SETTINGS.password.default,
    ...(config?.passwordTemplate ? { passwordTemplate: config.passwordTemplate } : {}),
    gebruikersnaam: config?.gebruikersnaam ?? STUDENT_GEBRUIKERSNAAM,
    rol: file.rol,
    ...(config?.klas ? { klas: config.klas } : {}),
    ...(config?.studie ? { studie: config.studie } : {}),
    ...(config?.idgebr ? { idgebr: config.idgebr } : {}),
    sso: config?.sso === true,
    out: config?.out ?? defaultOutput(exportPath),
    mapping: mappingPath,
  };
  // A Studie the mapping has is shown and asked about whatever its shape: the school mapped it before. So is one
  // Numo's list names.
  const named = inList(list);
  const inMapping = (studie: string) => before.get(studie) !== undefined || before.isUndecided(studie) || named(studie);
  const fromStudies = (tally: StudieTally | undefined, previous: StudieAnswer[] = []): StudieAnswer[] =>
    (tally?.list(inMapping) ?? []).map((s) => {
      const known = before.get(s.studie);
      const code = known ?? previous.find((x) => x.studie.toLowerCase() === s.studie.toLowerCase())?.code;
      return { ...s, ...(code !== undefined ? { code } : {}), known: known !== undefined };
    });
  let studies = fromStudies(cols.tally);
  // A signal (Ctrl+C where the terminal sends one, SIGTERM) ends the process without the question below: say so.
  noteOnInterrupt(() => {
    const answered = studies.filter((s) => !s.known && s.code !== undefined).length;
    return answered ? `${plural(answered, 'antwoord', 'antwoorden')} van deze keer ${answered === 1 ? 'is' : 'zijn'} niet bewaard` : undefined;
  });

  try {
    const known = studies.filter((s) => s.known);
    if (known.length) {
      ui.out();
      ui.out(
        mappingPath === source
          ? `${plural(known.length, 'studie', 'studies')} al bekend uit ${rel(mappingPath)} (wijzigen: in dat bestand zelf):`
          : `${plural(known.length, 'studie', 'studies')} al bekend uit ${rel(source)} (die komen in ${rel(mappingPath)}; wijzigen: daarna in dat bestand):`,
      );
      for (const s of known) ui.out(`  ${ui.color.green('✔')} ${s.studie} → ${codeText(s.code)}`);
    }
    const open = studies.filter((s) => s.code === undefined);
    const readOnly = open.length ? await readOnlyMapping(mappingPath, rel) : undefined;
    if (readOnly) throw new UserError(`${readOnly} en start de wizard opnieuw.`);
    if (open.length) {
      ui.out();
      ui.out(`${plural(open.length, 'studie', 'studies')} ${open.length === 1 ? 'vraagt' : 'vragen'} een Numo-opleiding:`);
      if (!list) ui.out(`  Zonder --opleidingen: de codes staan in ${WHERE_CODES}. Met die lijst krijg je suggesties.`);
      for (const s of open) s.code = await askOpleiding(p, s, list);
    }
    if (!config) {
      Object.assign(a, await askPassword(p, a));
      // Staff log in with their login or teacher code, students with their Stamnr (as convert decides).
      const suggested = defaultGebruikersnaam(a.rol, cols.table.columns) ?? a.gebruikersnaam;
      a.gebruikersnaam = await p.input({ message: 'Gebruikersnaam (sjabloon)', default: suggested, validate: (v) => templateProblem(v, 'gebruikersnaam') });
      // The IDGebr file lists students: convert never joins it to staff.
      if (!staff) {
        const idgebr = await askIdgebr(p, files, o.cwd, a.idgebr, a.sso, false);
        if (idgebr) a.idgebr = idgebr;
        a.sso = Boolean(idgebr);
      }
      a.out = await askOut(p, o.cwd, a.out, [exportPath, a.idgebr, a.mapping, configPath, opleidingen]);
    } else if (a.password === 'template' && (!a.passwordTemplate || weakPasswordTemplate(a.passwordTemplate))) {
      // A config written by hand with everyone's password (Welkom2025): asked again, as the wizard keeps no such template.
      ui.out(`Het wachtwoordsjabloon in ${CONFIG_FILE} heeft geen willekeurige tekens: kies de wachtwoorden opnieuw.`);
      Object.assign(a, { passwordTemplate: undefined }, await askPassword(p, a));
      if (a.passwordTemplate === undefined) delete a.passwordTemplate;
    }
    if (config && a.sso && !a.idgebr && !staff && !cols.idgebrFilled) {
      // The school uses SSO and the IDGebr file is never kept (it is shredded): this year's file is asked for,
      // unless the export has the IDGebr column itself.
      const idgebr = await askIdgebr(p, files, o.cwd, undefined, true, true);
      if (idgebr) a.idgebr = idgebr;
      a.sso = Boolean(idgebr);
    }

    // The review: every answer on one screen; change any one, then write.
    let fileWarnings = await fileFindings(file, a.columns);
    for (;;) {
      if (a.zerosAskedFor !== a.idgebr) {
        delete a.stamnrCijfers;
        delete a.zerosAskedFor;
        if (a.idgebr && config?.stamnrCijfers === undefined && a.gebruikersnaam.includes('{stamnr}') && cols.tally) {
          a.zerosAskedFor = a.idgebr;
          const digits = await askStamnrZeros(p, a.idgebr, cols.tally.stamnrs);
          if (digits !== undefined) a.stamnrCijfers = digits;
        }
      }
      const withIdgebr = Boolean(a.idgebr) || cols.idgebrFilled;
      const template: Template | undefined = a.password === 'template' && a.passwordTemplate ? compileTemplate(a.passwordTemplate, 'wachtwoordsjabloon', new RandomChars(randomFillSync)) : undefined;
      const width = keptWidth(a, config, cols);
      const plan: ReviewPlan = {
        export: rel(exportPath),
        students: cols.rows,
        columns: cols.table.specs
          .filter((c) => !QUIET[a.rol].includes(c.key) || cols.table.columns[c.key] !== undefined)
          .map((c) => {
            const i = cols.table.columns[c.key];
            return { label: c.label, ...(i !== undefined ? { header: cols.table.headers[i]! } : {}) };
          }),
        studies,
        // A template without random characters is a password (from a config written by hand): never shown.
        wachtwoorden: `${PASSWORD_CHOICES[a.password].review}${a.password === 'random' ? `, ${config?.passwordLength ?? SETTINGS.passwordLength.default} tekens` : a.password === 'template' && a.passwordTemplate && !weakPasswordTemplate(a.passwordTemplate) ? ` ${a.passwordTemplate}` : ''}`,
        gebruikersnaam: `${a.gebruikersnaam}${width === undefined ? '' : width ? ` (Stamnr op ${width} cijfers, ook volgend jaar)` : ' (Stamnr zonder voorloopnullen, ook volgend jaar)'}`,
        rol: a.rol,
        ...(a.klas || a.studie ? { filter: [a.klas && `klas ${a.klas.join(',')}`, a.studie && `studie ${a.studie.join(',')}`].filter(Boolean).join('; ') } : {}),
        ...(a.idgebr
          ? { idgebr: rel(a.idgebr) }
          : cols.idgebrFilled
            ? { idgebr: `kolom '${cols.table.headers[cols.table.columns.idgebr!]}' in de export` }
            : a.sso
              ? { idgebr: 'nog kiezen (de school gebruikt SSO)' }
              : {}),
        out: rel(a.out),
        mapping: rel(a.mapping),
        // Known codes come from the workbook until another mapping is chosen in the review (then from that one).
        ...(source !== mappingPath && a.mapping === mappingPath ? { mappingSource: rel(source) } : {}),
        config: rel(configPath),
        warnings: [
          ...fileWarnings,
          ...(cols.tally?.notes(inMapping) ?? []),
          ...policyWarnings({ password: a.password, ...(template ? { template } : {}), withIdgebr, staff: a.rol === 'docent' }).map((w) => w.message),
        ],
      };
      ui.out();
      for (const line of renderReview(plan)) ui.out(line);
      ui.out();
      const undecided = studies.filter((s) => s.code === undefined).length;
      const action = await p.select<string>({
        message: 'Wat wil je doen?',
        choices: [
          undecided
            ? { name: `De ${plural(undecided, 'open studie', 'open studies')} kiezen`, value: 'open' }
            : { name: `Schrijven: ${staff ? '' : 'mapping, '}instellingen en het Numo-bestand`, value: 'write' },
          // Known Studies are lines of the school's own mapping file, which numo-prep only adds to: changed there.
          ...(studies.some((x) => !x.known) ? [{ name: 'Een studie wijzigen', value: 'studie' }] : []),
          { name: 'Kolommen wijzigen', value: 'columns' },
          { name: 'Wachtwoorden wijzigen', value: 'password' },
          { name: 'Gebruikersnaam wijzigen', value: 'gebruikersnaam' },
          // Students only: staff have no klas or Studie, and the IDGebr file and the mapping are about students.
          ...(staff
            ? []
            : [
                { name: 'Filter (alleen bepaalde klassen of studies) wijzigen', value: 'filter' },
                { name: 'IDGebr-bestand wijzigen', value: 'idgebr' },
              ]),
          { name: 'Uitvoerbestand wijzigen', value: 'out' },
          ...(staff ? [] : [{ name: 'Mappingbestand wijzigen', value: 'mapping' }]),
          { name: 'Stoppen zonder het Numo-bestand te schrijven', value: 'stop' },
        ],
      });
      switch (action) {
        case 'open': {
          const readOnly = await readOnlyMapping(a.mapping, rel);
          if (readOnly) {
            ui.err(ui.color.yellow(`! ${readOnly}, of kies een ander mappingbestand.`));
            break;
          }
          for (const s of studies) if (s.code === undefined) s.code = await askOpleiding(p, s, list);
          break;
        }
        case 'studie': {
          const choices = studies.filter((x) => !x.known).map((x) => ({ name: `${x.studie} (${x.count}) → ${codeText(x.code)}`, value: x }));
          const s = await p.select<StudieAnswer>({ message: 'Welke studie?', choices });
          s.code = await askOpleiding(p, s, list, s.code);
          break;
        }
        case 'columns':
          cols = await chooseColumns(p, ui, file, a.columns, 'all');
          a.columns = cols.columns;
          studies = fromStudies(cols.tally, studies);
          fileWarnings = await fileFindings(file, a.columns);
          break;
        case 'password':
          Object.assign(a, { passwordTemplate: undefined }, await askPassword(p, a));
          if (a.passwordTemplate === undefined) delete a.passwordTemplate;
          break;
        case 'gebruikersnaam':
          a.gebruikersnaam = await p.input({ message: 'Gebruikersnaam (sjabloon)', default: a.gebruikersnaam, validate: (v) => templateProblem(v, 'gebruikersnaam') });
          break;
        case 'filter': {
          const klas = parseList(await p.input({ message: 'Alleen deze klassen (bijv. 1*,2H1; leeg = alle)', default: a.klas?.join(',') ?? '' }));
          const studie = parseList(await p.input({ message: 'Alleen deze studies (leeg = alle)', default: a.studie?.join(',') ?? '' }));
          delete a.klas;
          delete a.studie;
          if (klas) a.klas = klas;
          if (studie) a.studie = studie;
          break;
        }
        case 'idgebr': {
          const idgebr = await askIdgebr(p, files, o.cwd, a.idgebr, a.sso, config?.sso === true);
          delete a.idgebr;
          if (idgebr) a.idgebr = idgebr;
          // "Geen" here is the admin's answer: no SSO from now on.
          a.sso = Boolean(idgebr);
          break;
        }
        case 'out':
          a.out = await askOut(p, o.cwd, a.out, [exportPath, a.idgebr, a.mapping, configPath, opleidingen]);
          break;
        case 'mapping': {
          const others = [exportPath, a.idgebr, a.out, configPath, opleidingen];
          const typed = await p.input({
            message: 'Mappingbestand (.csv)',
            default: rel(a.mapping),
            validate: (v) => writeTargetProblem(o.cwd, v, others, { makesFolder: true }) ?? (/\.csv$/i.test(typedPath(v)) ? true : 'Geef een naam die eindigt op .csv.'),
          });
          const path = typedPathIn(o.cwd, typedPath(typed));
          // Lines are added to an existing file: not to a list of another kind that happens to be a .csv (a mapping
          // without a header, or with other words in it, is of no known kind and is taken).
          const kind = existsSync(path) ? await kindOf(path) : 'mapping';
          if (NOT_A_MAPPING.includes(kind)) {
            ui.err(ui.color.yellow(`! ${rel(path)} is geen mapping (${KIND_NAMES[kind]}); de wizard voegt daar niets aan toe. Kies een ander bestand.`));
            break;
          }
          const readOnly = await readOnlyMapping(path, rel);
          if (readOnly) {
            ui.err(ui.color.yellow(`! ${readOnly}, of kies een ander bestand.`));
            break;
          }
          // The mapping left behind is no longer read or written: only the new one must stay as read.
          stamps.delete(a.mapping);
          stamps.delete(source);
          a.mapping = path;
          before = await existingMapping(a.mapping);
          await stampFiles(stamps, [a.mapping]);
          studies = fromStudies(
            cols.tally,
            studies.filter((s) => !s.known),
          );
          break;
        }
        case 'stop':
          return await stop(p, ui, a.mapping, before, studies, rel, resume());
        case 'write': {
          // Replaced only when the admin says so here: an output another run writes after this question is not.
          const replace = existsSync(a.out);
          if (replace && !(await p.confirm({ message: `${rel(a.out)} bestaat al. Vervangen?`, default: false }))) break;
          return await write(ui, o, { a, config, configPath, exportPath, before, studies, rel, list: opleidingen, stamnrWidth: keptWidth(a, config, cols), stamps, replace });
        }
      }
    }
  } catch (err) {
    if (!isExit(err)) throw err;
    await stop(p, ui, a.mapping, before, studies, rel, resume(), true).catch((again) => {
      if (!isExit(again)) throw again;
      ui.out('Er is niets bewaard.');
    });
    throw new Interrupted();
  } finally {
    noteOnInterrupt(undefined);
  }
}

/**
 * Stopping never loses answers silently: the admin keeps them in the mapping (undecided Studies listed without a
 * code, so the next run asks only those) or hears that nothing was kept.
 */
async function stop(p: Prompter, ui: Ui, mappingPath: string, before: Mapping, studies: StudieAnswer[], rel: (f: string) => string, resume: string, interrupted = false): Promise<number> {
  const answered = studies.filter((s) => !s.known && s.code !== undefined);
  if (answered.length === 0) {
    if (!interrupted) ui.out('Er is niets geschreven; er waren nog geen opleidingscodes om te bewaren (de andere antwoorden bewaart alleen Schrijven).');
    return EXIT.ok;
  }
  const open = studies.filter((s) => s.code === undefined).length;
  const keep = await p.confirm({
    message: `Je ${plural(answered.length, 'opleidingscode', 'opleidingscodes')} bewaren in ${rel(mappingPath)}?${open ? ` ${plural(open, 'studie', 'studies')} zonder keuze ${open === 1 ? 'komt' : 'komen'} erin zonder code (nog niet beslist).` : ''}`,
    default: true,
  });
  if (!keep) {
    ui.out('Er is niets bewaard; de antwoorden van deze keer zijn weg.');
    return EXIT.ok;
  }
  const { differs, added } = await saveMapping(mappingPath, before, studies, true);
  // What the file got, not what was answered: lines another run (or the admin) put there meanwhile stay as they are.
  const saved = !differs
    ? `Bewaard in ${rel(mappingPath)}: ${plural(answered.length, 'opleidingscode', 'opleidingscodes')}${open ? `, ${plural(open, 'studie', 'studies')} nog niet beslist` : ''}.`
    : added
      ? `Bewaard in ${rel(mappingPath)}: ${plural(added, 'regel', 'regels')}.`
      : `Niets bewaard: ${rel(mappingPath)} heeft die studies al.`;
  ui.out(`${saved} Het Numo-bestand en de instellingen zijn niet geschreven.`);
  // The file was changed by hand while the wizard ran: those lines stay as they are now, which the admin must know.
  if (differs) ui.out(ui.color.yellow(`! ${rel(mappingPath)}: ${differs}.`));
  ui.out(`Verder gaan (in deze map): ${resume} — wat bewaard is, wordt niet opnieuw gevraagd.`);
  return EXIT.ok;
}

function sameJson(a: string, b: string): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, canon(x)]),
          )
        : v;
  try {
    return JSON.stringify(canon(JSON.parse(a.replace(/^\uFEFF/, '')))) === JSON.stringify(canon(JSON.parse(b)));
  } catch {
    return false;
  }
}

interface WriteInput {
  a: Answers;
  config: Config | undefined;
  configPath: string;
  exportPath: string;
  before: Mapping;
  studies: StudieAnswer[];
  rel: (f: string) => string;
  list: string | undefined;
  /** The Stamnr width to keep in the config (keptWidth). */
  stamnrWidth: number | undefined;
  /** The config and mapping as the wizard read them (stampFiles). */
  stamps: Map<string, string>;
  /** The admin said yes to replacing the output that was there. */
  replace: boolean;
}

/** The file's stat; undefined for a path that cannot be looked at (missing, a file used as a folder, too long). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Without a terminal the wizard asks nothing: the error that names the command doing the same without questions —
 * with the settings of an earlier wizard run when there are any, else with a mapping (a staff list needs none, but
 * its role), or the workbook `numo-prep mapping` makes when there is no mapping yet.
 */
export async function noTerminalAdvice(exportPath: string | undefined, flags: { opleidingen?: string; mapping?: string }, cwd: string): Promise<UserError> {
  // A folder named as the export would only be passed on to a command that refuses it.
  if (exportPath !== undefined && statOf(typedPathIn(cwd, exportPath))?.isDirectory()) {
    return new UserError(`${exportPath} is een map, geen bestand. Geef het pad naar de export zelf.`);
  }
  const config = existsSync(join(cwd, CONFIG_FILE));
  // The folder read once: for the export when none is named, and for the list of codes when none is given.
  const files = exportPath === undefined || !flags.opleidingen ? await folderFiles(cwd) : [];
  // Without a name: the one export in the folder, as the wizard would offer it; else a placeholder said to be one.
  const found = exportPath === undefined ? files.filter((f) => f.kind === 'export' || f.kind === 'staff') : [];
  const named = exportPath ?? (found.length === 1 ? found[0]!.name : undefined);
  // A folder of staff lists only (two of them: none named) is a staff folder too.
  const staff = exportPath !== undefined ? (await kindOf(typedPathIn(cwd, exportPath))) === 'staff' : found.length > 0 && found.every((f) => f.kind === 'staff');
  // What the earlier run chose, as far as the command needs it (a config that cannot be read: convert says why).
  const settings = config
    ? await loadConfig(join(cwd, CONFIG_FILE)).then(
        (c) => c.config,
        () => undefined,
      )
    : undefined;
  // A staff list in the students' folder: that config is not for it (the wizard with a terminal says the same).
  const ownFolder = config && staff && settings?.rol !== 'docent';
  // A school with SSO gives this year's IDGebr file; without it convert stops.
  const idgebr = config && !ownFolder && settings?.sso === true;
  // The files the admin gave go along. Without a mapping: the workbook numo-prep mapping makes is the way without
  // questions (a mapping named here that does not exist would only send the admin to "niet gevonden").
  const file = named !== undefined ? shellQuote(named) : '<export>';
  const mapping = flags.mapping ?? join('mappings', 'school.csv');
  // The one list of codes in the folder, as the wizard with a terminal would use it.
  const lists = flags.opleidingen ? [] : files.filter((f) => f.kind === 'opleidingen');
  const listPath = flags.opleidingen ?? (lists.length === 1 ? lists[0]!.name : undefined);
  const list = listPath && !staff ? ` --opleidingen ${shellQuote(listPath)}` : '';
  const noMapping = !config && !staff && !existsSync(typedPathIn(cwd, mapping));
  const line = noMapping
    ? `${programCommand()} mapping ${file}${list} --out mapping.xlsx`
    : `${programCommand()} convert ${file} ${ownFolder ? '--rol docent --no-config' : config ? `--config ${CONFIG_FILE}${idgebr ? ' --idgebr <nieuw-idgebr-bestand>' : ''}` : staff ? '--rol docent' : `--mapping ${shellQuote(mapping)}`}${list}`;
  const note = [
    named === undefined ? '(vervang <export> door de naam van de export)' : undefined,
    idgebr ? '(vervang <nieuw-idgebr-bestand> door het IDGebr-bestand van dit jaar)' : undefined,
    ownFolder ? `(de instellingen in ${CONFIG_FILE} zijn voor leerlingen; bewaar die van docenten in een eigen map)` : undefined,
    cmdNote(line),
  ]
    .filter(Boolean)
    .join(' ');
  const way = noMapping ? 'zonder terminal maak je de mapping als werkmap in Excel, en zet je daarna om met convert --mapping' : 'zonder terminal werkt alleen convert';
  return new UserError(`De wizard stelt vragen en heeft daarom een terminal nodig. Start hem in een terminal (cmd, PowerShell, Terminal); ${way}: ${line}${note ? ` ${note}` : ''}`);
}

/**
 * Usernames made of a Stamnr with leading zeros (012001), in a config that has no width yet: the width every Stamnr
 * of the export is padded to (LeadingZeros.paddedWidth), kept so that next year's export made without the zeros
 * (Magister asks each time) gives the same usernames, not a second account for everyone. Shown in the review.
 */
function keptWidth(a: Answers, config: Config | undefined, cols: { tally?: StudieTally }): number | undefined {
  return config?.stamnrCijfers === undefined && a.gebruikersnaam.includes('{stamnr}') ? (a.stamnrCijfers ?? cols.tally?.stamnrs.paddedWidth()) : undefined;
}

/**
 * The IDGebr file's Stamnrs padded with leading zeros to one width, the export's without: which form the ELO login
 * has, only the school knows, and from the second year convert refuses to guess (a spreadsheet takes the zeros out of
 * last year's file too). Asked once and kept as stamnrCijfers (0: without zeros). A file convert will refuse asks
 * nothing: convert names its problem.
 */
async function askStamnrZeros(p: Prompter, idgebrPath: string, exportZeros: LeadingZeros): Promise<number | undefined> {
  let width: number | undefined;
  try {
    width = (await loadIdgebr(idgebrPath)).index.stamnrForm.paddedWidth();
  } catch (err) {
    if (err instanceof UserError) return undefined;
    throw err;
  }
  if (!exportZeros.lacksZerosOf(width)) return undefined;
  return p.select<number>({
    message: `De Stamnrs in ${basename(idgebrPath)} hebben voorloopnullen tot ${width} cijfers, die in de export niet. Logt een leerling in de ELO in met die nullen?`,
    choices: [
      { name: `Ja: Stamnr op ${width} cijfers, met voorloopnullen`, value: width },
      { name: 'Nee: zonder voorloopnullen', value: 0 },
    ],
    default: width,
  });
}

/** Mapping and config only where they changed, then the Numo file through the same convert as every year. */
async function write(ui: Ui, o: WizardOptions, w: WriteInput): Promise<number> {
  const { a } = w;
  const changedMeanwhile = (path: string) =>
    new UserError(
      `${w.rel(path)} is veranderd terwijl de wizard wachtte (in een ander programma, of door een andere run). Er is niets geschreven: start de wizard opnieuw, dan leest hij het zoals het nu is.`,
    );
  const changed = await changedSince(w.stamps);
  if (changed) throw changedMeanwhile(changed);
  // Staff have no Studies: no mapping (convert needs none for them).
  const staff = a.rol === 'docent';
  const mappingState = staff
    ? undefined
    : (
        await saveMapping(a.mapping, w.before, w.studies, false).catch(async (err: unknown) => {
          // Another run (a second wizard) wrote it between the check above and this write: the same way on, not
          // convert's "kies met --mapping een andere naam", which would make a second mapping.
          const now = err instanceof UserError ? await changedSince(w.stamps) : undefined;
          throw now ? changedMeanwhile(now) : err;
        })
      ).state;
  const config: Config = {
    ...w.config,
    version: 1,
    ...(staff ? {} : { mapping: a.mapping }),
    ...(Object.keys(a.columns).length ? { columns: a.columns } : {}),
    ...(w.list && !staff ? { opleidingen: w.list } : {}),
    gebruikersnaam: a.gebruikersnaam,
    rol: a.rol,
    password: a.password,
    ...(a.passwordTemplate ? { passwordTemplate: a.passwordTemplate } : {}),
    ...(a.klas ? { klas: a.klas } : {}),
    ...(a.studie ? { studie: a.studie } : {}),
    // The IDGebr file itself is not kept (it is shredded): next year's run must be given the new one.
    ...(a.sso ? { sso: true } : {}),
    ...(w.stamnrWidth !== undefined ? { stamnrCijfers: w.stamnrWidth } : {}),
  };
  if (!a.sso) delete config.sso;
  // A list that is gone (see runWizard) is no longer named.
  if (!w.list) delete config.opleidingen;
  if (!a.passwordTemplate) delete config.passwordTemplate;
  // A length is for random passwords only: kept beside a template or none, convert would refuse the config.
  if (a.password !== 'random') delete config.passwordLength;
  if (!a.klas) delete config.klas;
  if (!a.studie) delete config.studie;
  if (!Object.keys(a.columns).length) delete config.columns;
  const text = configText(config, w.configPath);
  const old = existsSync(w.configPath) ? await readFile(w.configPath, 'utf8') : undefined;
  // Same settings, perhaps spelled differently by hand: the file stays as the admin left it.
  const same = old !== undefined && sameJson(old, text);
  if (!same) {
    const oldMode = existsSync(w.configPath) ? (await stat(w.configPath)).mode & 0o7777 : undefined;
    const file = await AtomicFile.create(w.configPath, { replace: true, ...(oldMode !== undefined ? { mode: oldMode } : { private: false }) });
    try {
      await file.write(Buffer.from(text));
      await file.commit();
    } catch (err) {
      await file.abort();
      throw err;
    }
  }
  const configState = `instellingen ${w.rel(w.configPath)}: ${old === undefined ? 'nieuw' : same ? 'ongewijzigd' : 'bijgewerkt'}.`;
  ui.out(mappingState === undefined ? `${configState[0]!.toUpperCase()}${configState.slice(1)}` : `Mapping ${w.rel(a.mapping)}: ${mappingState}; ${configState}`);

  const { version: _v, $schema: _s, ...fromConfig } = config;
  const settings = convertSettings({ ...fromConfig, export: w.exportPath, cwd: o.cwd, out: a.out, force: w.replace, config: w.configPath, ...(a.idgebr ? { idgebr: a.idgebr } : {}) });
  const report = await runConvert(settings).catch((err: unknown) => {
    // An output another run put there after "Schrijven": convert's way on names its flags, which the wizard has not.
    if (err instanceof UserError && !w.replace && existsSync(a.out)) {
      throw new UserError(`${w.rel(a.out)} is tijdens het schrijven door iets anders neergezet en niet vervangen. Start de wizard opnieuw: die vraagt dan of het vervangen mag.`);
    }
    throw err;
  });
  const q = (f: string) => shellQuote(w.rel(f));
  const again = `${programCommand()} convert ${q(w.exportPath)}${a.idgebr ? ` --idgebr ${q(a.idgebr)}` : ''} --out ${q(a.out)}`;
  const againNote = cmdNote(again);
  printConvertReport(
    ui,
    report,
    `Het Numo-bestand is niet geschreven; ${staff ? 'de instellingen' : 'de mapping en instellingen'} wel. Los de problemen hierboven op en draai: ${again}${againNote ? ` ${againNote}` : ''}`,
  );
  if (report.exitCode !== 0) return report.exitCode;
  ui.out();
  ui.out(`Volgend jaar is dit het hele werk (vanuit ${o.cwd}):`);
  const yearly = `${programCommand()} convert ${staff ? '<nieuwe-personeelslijst.xlsx>' : '<nieuwe-export.xlsx>'} --config ${q(w.configPath)}${a.idgebr ? ' --idgebr <nieuw-idgebr-bestand>' : ''}`;
  ui.out(`  ${ui.color.bold(yearly)}`);
  const note = cmdNote(yearly);
  if (note) ui.out(`  ${note}`);
  ui.out(staff ? `  of opnieuw de wizard: ${programCommand()} wizard` : `  of opnieuw de wizard, die dan alleen nieuwe studies vraagt: ${programCommand()} wizard`);
  return report.exitCode;
}
