import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { compareNl } from '../core/collate.js';
import { type ExportField, reportMergedCells } from '../core/columns.js';
import { defaultGebruikersnaam, unfilledPlaceholders } from '../core/detect.js';
import type { CompiledPassword } from '../core/enrich.js';
import { EXIT, type ExitCode, UserError } from '../core/errors.js';
import { Findings } from '../core/findings.js';
import { formatNumber, plural } from '../core/format.js';
import type { IdgebrIndex } from '../core/idgebr.js';
import { Mapping } from '../core/mapping.js';
import { inList } from '../core/opleidingen.js';
import { type PipelineCounts, runPipeline } from '../core/pipeline.js';
import { type PolicyWarning, policyWarnings } from '../core/policy.js';
import { type YearCounts, YearOverYear } from '../core/previous.js';
import type { NumoRow, Student } from '../core/schema.js';
import { type ConvertSettings, STUDENT_GEBRUIKERSNAAM } from '../core/settings.js';
import { looksLikePersonName, looksLikeStudie, soundsLikeStudie } from '../core/shape.js';
import { type Role, type SourceId, sourceColumns } from '../core/sources.js';
import { codeShapeProblem } from '../core/suggest.js';
import { compileTemplate, RandomChars, type Template, templateShapeProblem } from '../core/template.js';
import { clip, studieKey } from '../core/text.js';
import { AtomicFile, checkTarget, commitAll, type PendingWrite, refuseFolderName, refuseSameAsInput } from '../io/atomic-file.js';
import { CsvEncoder } from '../io/csv-write.js';
import { fileError, loadInput } from '../io/input.js';
import { writable } from '../io/shred.js';
import { recoverStaleTemps, type StaleTemps } from '../io/stale-temps.js';
import type { Table } from '../io/table.js';
import { cmdNote, programCommand, shellQuote, shownPath, shredCommand } from '../ui/command-line.js';
import { loadIdgebr, loadMapping, loadOpleidingen, loadPrevious } from './load-tables.js';
import { locateExport } from './locate-export.js';
import { type MappingUpdate, prepareMappingUpdate } from './mapping-file.js';
import { preparePreviousReport } from './previous-report.js';

/** Names of spreadsheet files: never a name for the CSV numo-prep writes. */
const SPREADSHEET_NAME = /\.(xlsx|xlsm|xls|xlsb|ods|numbers)$/i;

/** Why a name cannot be a CSV numo-prep writes: CSV text in a file named .xlsx is one Excel calls damaged. */
export function csvNameProblem(path: string): string | undefined {
  // "-" is standard output to many tools; a file of that name is one the admin would not find (or shred).
  if (basename(path) === '-') return 'numo-prep schrijft een bestand, niet naar het scherm; geef een naam die eindigt op .csv.';
  return SPREADSHEET_NAME.test(path) ? 'numo-prep schrijft een CSV-bestand; geef een naam die eindigt op .csv.' : undefined;
}

export interface ConvertReport {
  exitCode: ExitCode;
  export: string;
  output?: string;
  /** The Numo CSV was written. */
  written: boolean;
  /** Every file this run wrote: the Numo CSV, the previous report, the mapping. All or none. */
  files: string[];
  /** Studie codes answered during the run and saved to the mapping file. */
  mappingUpdate?: MappingUpdate;
  /** Temp files of a killed earlier run in the folders this run writes to. */
  staleTemps: StaleTemps;
  /**
   * Temp names of this run (the replaced output, a second name of the new one) it could not remove after the write:
   * they hold personal data. The run still succeeded; they are named, and in the shred command.
   */
  leftOver: string[];
  dryRun: boolean;
  counts: PipelineCounts;
  perOpleiding: Record<string, number>;
  findings: Findings;
  /** "Herkend als Somtoday-export (Connect)." */
  detected?: string;
  source?: SourceId;
  rol: Role;
  /** Shreds the files with personal data of this run, to run after the upload. */
  shredCommand: string;
  /** The files shredCommand lists. */
  personalFiles: string[];
  /** Those shred would refuse as read-only: said beside the command, not when the admin runs it. */
  readOnlyFiles: string[];
  unmapped: Map<string, number>;
  /** With --previous: new, gone and changed students. */
  yearOverYear?: YearCounts;
  previousReport?: string;
}

export interface ConvertHooks {
  /**
   * Called when Studie values are unmapped; returns codes to add (then the run starts over) or nothing, and
   * whether to save them to the mapping file — which happens only when the whole run is written.
   */
  resolveUnmapped?: (unmapped: Map<string, number>, mapping: Mapping) => Promise<{ codes: Map<string, string>; save: boolean } | undefined>;
  onPhase?: (phase: 'read' | 'write' | 'done') => void;
  /** Leftovers of a killed earlier run, as soon as they are found (and removed). */
  onStaleTemps?: (t: StaleTemps) => void;
}

const BATCH = 500;

export function defaultOutput(exportPath: string, now = new Date()): string {
  const d = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return join(dirname(exportPath), `numo-import-${d}.csv`);
}

interface Prepared {
  /** Undefined for staff without --gebruikersnaam: it depends on the columns found. */
  gebruikersnaam?: Template;
  password: CompiledPassword;
  settingsFindings: Findings;
}

/** What to do about a weak policy, in convert's words (the wizard offers its review screen instead). */
const POLICY_HINTS: Record<PolicyWarning['code'], string> = {
  'no-login': 'Kies --password random (standaard) of geef met --idgebr het IDGebr-bestand voor SSO.',
  'password-public': 'Gebruik --password random (standaard), of voeg {random4} toe aan de sjabloon.',
  'password-same': 'Gebruik --password random (standaard).',
  'password-few-random': 'Gebruik --password random (standaard), of maak er {random4} van.',
};

/**
 * How to go on without a mapping, for the export as the admin named it: a mapping workbook or folder beside it (last
 * year's, its config not copied along) is named first; else how to make one.
 */
function noMappingHint(exportPath: string, cwd: string, withConfig: boolean): string {
  const found = [dirname(exportPath), cwd].flatMap((dir) => [join(dir, 'mapping.xlsx'), join(dir, 'mappings', 'school.csv')]).find((p) => existsSync(p));
  const shown = shellQuote(shownPath(exportPath, cwd));
  const wizard = `${programCommand()} wizard ${shown}`;
  const workbook = `${programCommand()} mapping ${shown} --out mapping.xlsx`;
  const note = cmdNote(wizard);
  const make = `maak hem met ${wizard}, of als werkmap voor Excel met ${workbook}${note ? ` ${note}` : ''}`;
  const made = found
    ? `Is ${found} de mapping, geef hem dan mee: --mapping ${shellQuote(found)}. Anders: ${make}.`
    : `${make.charAt(0).toUpperCase()}${make.slice(1)}; geef hem daarna mee met --mapping.`;
  // A second admin, or a new folder: starting over makes new settings, and so maybe other usernames than last year.
  return withConfig ? made : `${made} Vorig jaar al omgezet? Geef dan de instellingen van toen mee: --config <map van vorig jaar>${sep}numo-prep.config.json.`;
}

/** A setting as the admin may have given it: the flag, or its key in the config the settings came from. */
const settingName = (s: ConvertSettings, flag: string, key: string) => (s.config && s.fromConfig?.includes(key) ? `'${key}' in ${basename(s.config)}` : flag);

/** Options are checked before any file is read, so a typo costs nothing. */
function prepare(s: ConvertSettings): Prepared {
  for (const [source, kind, flag] of [
    [s.gebruikersnaam, 'gebruikersnaam', settingName(s, '--gebruikersnaam', 'gebruikersnaam')],
    [s.password === 'template' ? s.passwordTemplate : undefined, 'wachtwoord', settingName(s, '--password-template', 'passwordTemplate')],
  ] as const) {
    const problem = source === undefined ? undefined : templateShapeProblem(source, kind);
    // A password template is not shown: its fixed part is in every student's password.
    if (problem) throw new UserError(`${flag}${kind === 'wachtwoord' ? '' : ` "${clip(source ?? '', 60)}"`} ${problem}. Pas het sjabloon aan.`);
  }
  const settingsFindings = new Findings();
  const rng = new RandomChars(randomFillSync);
  const explicit = s.gebruikersnaam ?? (s.rol === 'leerling' ? STUDENT_GEBRUIKERSNAAM : undefined);
  const gebruikersnaam = explicit === undefined ? undefined : compileTemplate(explicit, '--gebruikersnaam');
  let template: Template | undefined;
  if (s.password === 'template') {
    if (!s.passwordTemplate) throw new UserError('--password template vraagt ook --password-template, bijvoorbeeld --password-template "Welkom{random4}".');
    template = compileTemplate(s.passwordTemplate, '--password-template', rng);
  }
  // The no-login check needs the export's columns; it runs when the table is found.
  for (const w of policyWarnings({ password: s.password, ...(template ? { template } : {}), withIdgebr: true, staff: s.rol === 'docent' }))
    settingsFindings.warn(w.code, w.message, undefined, POLICY_HINTS[w.code]);
  const password: CompiledPassword = s.password === 'random' ? { kind: 'random', length: s.passwordLength, rng } : s.password === 'none' ? { kind: 'none' } : { kind: 'template', template: template! };
  return { ...(gebruikersnaam ? { gebruikersnaam } : {}), password, settingsFindings };
}

/** `named`: fields an unused lookalike column was named for: that warning says what to do, not "add the column". */
function missingOptionalColumns(
  table: Table<ExportField>,
  source: SourceId,
  role: Role,
  findings: Findings,
  declined: Partial<Record<ExportField, string>> = {},
  named: ReadonlySet<ExportField> = new Set(),
): void {
  const wanted: ExportField[] = role === 'leerling' ? ['klas', 'email'] : [];
  for (const spec of sourceColumns(source, role)) {
    // Not a column the admin left out on purpose ("" in the config's columns).
    if (wanted.includes(spec.key) && table.columns[spec.key] === undefined && declined[spec.key] !== '' && !named.has(spec.key)) {
      findings.warn(
        'missing-column',
        `Kolom '${spec.label}' niet gevonden: de kolom ${spec.key === 'email' ? 'e-mail' : spec.key} blijft leeg`,
        undefined,
        source === 'magister' ? 'Voeg de kolom toe in Magister (Kolommenkiezer) als Numo hem nodig heeft.' : 'Neem de kolom op in de export als Numo hem nodig heeft.',
      );
    }
  }
}

/** Fields of a template no column fills ({idgebr}: the export's column or the IDGebr file): every value would lack them. */
function unfilledFields(template: Template, table: Table<ExportField>, idgebrFile: boolean): string[] {
  return [...unfilledPlaceholders(template.publicFields, table.columns), ...(template.publicFields.includes('idgebr') && !idgebrFile && table.columns.idgebr === undefined ? ['idgebr'] : [])];
}

/** The gebruikersnaam template for this file: the admin's, or the default for the role and the columns found. */
function gebruikersnaamFor(prepared: Prepared, table: Table<ExportField>, role: Role, idgebrFile: boolean, name = '--gebruikersnaam'): Template {
  let template = prepared.gebruikersnaam;
  if (!template) {
    const source = defaultGebruikersnaam(role, table.columns);
    if (!source) {
      throw new UserError(
        'Deze personeelslijst heeft geen kolom Loginaccount.Naam (of gebruikersnaam) en geen Code (afkorting). ' +
          'Geef de gebruikersnaam op, bijvoorbeeld --gebruikersnaam "{stamnr}" of --gebruikersnaam "{email}".',
      );
    }
    template = compileTemplate(source, '--gebruikersnaam');
  }
  const unfilled = unfilledFields(template, table, idgebrFile);
  if (unfilled.length) {
    throw new UserError(
      `${name} ${clip(template.source, 60)}: ${unfilled.map((f) => `{${f}}`).join(', ')} ${unfilled.length === 1 ? 'heeft' : 'hebben'} geen kolom in de export${unfilled.includes('idgebr') ? ' (en er is geen --idgebr)' : ''}, dus elke gebruikersnaam zou onvolledig zijn. ` +
        `Kies een sjabloon met velden die de export heeft${unfilled.includes('idgebr') ? ', of geef het IDGebr-bestand mee met --idgebr' : ''}.`,
    );
  }
  return template;
}

/**
 * The whole convert: read → normalise → map → join → enrich → validate → write. Shared by `convert`, the wizard
 * and the yearly scripted run; they differ only in where the settings and hooks come from.
 */
/** The files shred would refuse as read-only (io/shred's own test), for a note beside its command. */
async function readOnly(paths: string[]): Promise<string[]> {
  const flags = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        (st) => writable(p, st).then((w) => !w),
        () => false,
      ),
    ),
  );
  return paths.filter((_, i) => flags[i]);
}

export async function runConvert(s: ConvertSettings, hooks: ConvertHooks = {}): Promise<ConvertReport> {
  const prepared = prepare(s);
  refuseFolderName(s.out, '--out');
  refuseFolderName(s.previousReport, '--previous-report');
  // CSV text in a file named .xlsx: Excel warns that it is damaged, and Numo's import wants a .csv.
  for (const [flag, path] of [
    ['--out', s.out],
    ['--previous-report', s.previousReport],
  ] as const) {
    const problem = path && csvNameProblem(path);
    if (problem) throw new UserError(`${flag} ${path}: ${problem}`);
  }
  // A dry run checks the files the real run would write as that run does: its "klaar" must not be followed by a
  // refusal of the real run (an --out that exists, is an input or has no folder).
  const target = s.out ?? defaultOutput(s.export);
  const output = s.dryRun ? undefined : target;
  const inputs = [s.export, s.mapping, s.idgebr, s.opleidingen, s.previous, s.config].filter((p): p is string => Boolean(p));
  // A missing export is "niet gevonden", also when last run's output is still there ("bestaat al" would mislead).
  await stat(s.export).catch((err: unknown) => {
    throw fileError(s.export, err);
  });
  if (s.mapping) {
    await refuseSameAsInput(s.mapping, '--mapping', [
      { path: s.export, what: 'de export' },
      { path: s.idgebr, what: 'het IDGebr-bestand' },
      { path: s.opleidingen, what: 'de lijst met opleidingen' },
      { path: s.previous, what: 'het bestand van vorig jaar' },
    ]);
  }
  await checkTarget(target, { force: s.force, inputs });
  if (s.previousReport) await checkTarget(s.previousReport, { force: s.force, inputs, flag: '--previous-report', output: target });
  const staleTemps = await recoverStaleTemps(
    [target, s.previousReport, s.mapping].filter((p): p is string => Boolean(p)).map((p) => dirname(p)),
    { dryRun: s.dryRun },
  );
  if (staleTemps.removed.length || staleTemps.remaining.length) hooks.onStaleTemps?.(staleTemps);

  hooks.onPhase?.('read');
  // The list first: a code it has is taken from the mapping whatever its shape.
  const list = s.opleidingen ? await loadOpleidingen(s.opleidingen) : undefined;
  const knownCodes = list && new Map(list.map((o) => [o.code.toLowerCase(), o.code]));
  let mapping = s.mapping ? await loadMapping(s.mapping, knownCodes && new Set(knownCodes.keys())) : new Mapping();
  let idgebr: { index: IdgebrIndex; name: string } | undefined;
  if (s.idgebr) idgebr = await loadIdgebr(s.idgebr);
  const previous = s.previous ? await loadPrevious(s.previous, { keepPasswords: s.keepPasswords, rol: s.rol }) : undefined;

  const input = await loadInput(s.export);
  const toSave = new Map<string, string>();
  for (;;) {
    const located = await locateExport(input, { role: s.rol, ...(s.bron ? { source: s.bron } : {}), ...(s.columns ? { overrides: s.columns } : {}) });
    const { table } = located;
    // --no-sso: this time without SSO, so without the export's IDGebr column too (as without the config's file).
    const idgebrColumnDropped = s.sso === false && table.columns.idgebr !== undefined;
    if (idgebrColumnDropped) delete table.columns.idgebr;
    const gebruikersnaam = gebruikersnaamFor(prepared, table, s.rol, Boolean(s.idgebr), settingName(s, '--gebruikersnaam', 'gebruikersnaam'));
    // A password template's field without a column: every password would be only its other parts (--password-template
    // "{klas}{random4}" on a staff list was 4 random characters).
    const noColumn = prepared.password.kind === 'template' ? unfilledFields(prepared.password.template, table, Boolean(s.idgebr)) : [];
    if (noColumn.length) {
      throw new UserError(
        `${settingName(s, '--password-template', 'passwordTemplate')}: ${noColumn.map((f) => `{${f}}`).join(', ')} ${noColumn.length === 1 ? 'heeft' : 'hebben'} geen kolom in de export${noColumn.includes('idgebr') ? ' (en er is geen --idgebr)' : ''}, dus elk wachtwoord zou zonder dat deel zijn. Kies een sjabloon met velden die de export heeft.`,
      );
    }
    const findings = new Findings();
    findings.merge(prepared.settingsFindings);
    findings.merge(located.findings);
    if (previous?.encodingWarning) findings.warn('encoding', previous.encodingWarning);
    if (idgebrColumnDropped) findings.info('idgebr-column-unused', 'Zonder SSO: de kolom IDGebr van de export wordt niet gebruikt');
    missingOptionalColumns(table, located.source, s.rol, findings, s.columns, located.lookalikeFields);
    if (located.loginColumn) {
      findings.warn(
        'unused-login',
        `Kolom '${located.loginColumn}' lijkt een login maar wordt niet gebruikt: de gebruikersnaam is ${gebruikersnaam.source}`,
        undefined,
        `Is dat de login in de elo (voor SSO)? Zet dan in numo-prep.config.json bij "columns" (tussen de { }) "login": ${JSON.stringify(located.loginColumn)} en gebruik --gebruikersnaam "{login}". Anders: laat de kolom weg uit de export.`,
      );
    }
    const codesInExport = !s.mapping && located.holdsNumoCodes;
    // Only the study column renamed to Numo's 'opleiding' (manual steps 7 and 10 half done): a value Numo's list
    // has is that code; any other value needs a mapping line, as in any export.
    const listedCodes = !s.mapping && !codesInExport && located.numoStudieHeader;

    // With --password none nobody gets a new password: no word about an empty one last year.
    const year = previous
      ? new YearOverYear(previous.students, {
          fileName: previous.name,
          keepPasswords: s.keepPasswords && prepared.password.kind !== 'none',
          filtered: Boolean(s.klas?.length || s.studie?.length),
          // numo-prep writes a BOM with its default encoding: a file without one was saved again by a spreadsheet.
          savedBy: previous.bom ? 'numo-prep' : s.encoding === 'utf8-bom' ? 'spreadsheet' : 'unknown',
          zerosChosen: s.stamnrCijfers !== undefined,
          otherRole: { keys: previous.otherRoleKeys, name: s.rol === 'docent' ? 'leerling' : 'docent' },
        })
      : undefined;
    const file = output ? await AtomicFile.create(output, { replace: s.force, flag: '--out' }) : undefined;
    try {
      let encoder: CsvEncoder | undefined;
      let batch: NumoRow[] = [];
      const flush = async () => {
        if (file && encoder && batch.length) await file.write(encoder.rows(batch));
        batch = [];
      };
      const withIdgebr = Boolean(idgebr) || table.columns.idgebr !== undefined;
      for (const w of policyWarnings({ password: s.password, withIdgebr, keepsPasswords: Boolean(year && s.keepPasswords), staff: s.rol === 'docent' }))
        findings.warn(w.code, w.message, undefined, POLICY_HINTS[w.code]);
      if (file) {
        encoder = new CsvEncoder({ encoding: s.encoding, delimiter: s.delimiter }, withIdgebr);
        await file.write(encoder.header());
      }
      const result = await runPipeline(
        table.rows,
        {
          columns: table.columns,
          mapping: codesInExport ? identityMapping() : listedCodes && knownCodes ? mapping.with(new Map([...knownCodes.values()].map((code) => [code, code]))) : mapping,
          ...(codesInExport ? { codesAsIs: true } : {}),
          ...(!s.mapping && !codesInExport && !(listedCodes && knownCodes) ? { noMapping: { hint: noMappingHint(s.export, s.cwd, Boolean(s.config)) } } : {}),
          ...(idgebr ? { idgebr: idgebr.index, idgebrFileName: idgebr.name } : {}),
          filter: { ...(s.klas ? { klas: s.klas } : {}), ...(s.studie ? { studie: s.studie } : {}) },
          encoding: s.encoding,
          gebruikersnaam,
          password: prepared.password,
          rol: s.rol,
          ...(knownCodes ? { knownCodes, namedInList: inList(list) } : {}),
          ...(s.stamnrCijfers !== undefined ? { stamnrDigits: s.stamnrCijfers } : {}),
          ...(located.roleWatch ? { roleWatch: located.roleWatch } : {}),
          ...(located.statusColumn !== undefined ? { statusColumn: located.statusColumn } : {}),
          ...(located.teacherColumn !== undefined ? { teacherColumn: located.teacherColumn } : {}),
          ...(located.functionColumn !== undefined ? { functionColumn: located.functionColumn } : {}),
          ...(located.leerjaarColumn && !codesInExport ? { leerjaarColumn: located.leerjaarColumn } : {}),
          ...(located.chosenEmpty ? { chosenEmpty: located.chosenEmpty } : {}),
          ...(located.firstNameColumn ? { firstNameColumn: located.firstNameColumn } : {}),
          ...(located.passwordColumn ? { passwordColumn: located.passwordColumn } : {}),
          ...(located.otherLogin ? { otherLogin: located.otherLogin } : {}),
          ...(located.twins ? { twins: located.twins } : {}),
          ...(input.format === 'csv' ? { csvHeaders: table.headers } : {}),
          ...(year ? { year } : {}),
          ...(year && s.keepPasswords ? { keepPassword: (g: string, st: Student) => year.passwordOf(g, st) } : {}),
        },
        (row) => {
          if (!file) return;
          batch.push(row);
          return batch.length >= BATCH ? flush() : undefined;
        },
      );
      // Students only: the school's config serves its staff list too, and an IDGebr file lists students.
      if (s.sso && s.rol === 'leerling' && !idgebr && !result.idgebrInExport) {
        throw new UserError(
          `SSO staat aan (${s.config ? `"sso": true in ${basename(s.config)}, of --sso` : '--sso'}), maar er is geen IDGebr: geen --idgebr, en geen gevulde kolom IDGebr in de export. ` +
            'Geef het IDGebr-bestand van dit jaar mee met --idgebr <bestand>, of zet SSO dit keer uit met --no-sso.',
        );
      }
      year?.finish(findings);
      // This run without any IDGebr (no file, no filled column): every returning student would lose the school's
      // login. Not said when SSO is off on purpose (--no-sso); a few missing IDGebrs are said per row.
      const ssoLost = s.sso === false || idgebr || result.idgebrInExport ? undefined : year?.ssoLost();
      if (ssoLost !== undefined) {
        findings.warn(
          'previous-sso-lost',
          `${formatNumber(ssoLost)} van de ${formatNumber(year!.returning)} terugkerende gebruikers hadden in ${previous!.name} een IDGebr (SSO), en nu niet`,
          undefined,
          `Zonder IDGebr kunnen ze niet via de school (SSO) inloggen. Geef het IDGebr-bestand van dit jaar met --idgebr${s.config ? ` (of zet "idgebr" en "sso": true in ${basename(s.config)})` : ''}; is SSO bewust uit, gebruik dan --no-sso.`,
        );
      }
      if (previous?.otherRole) {
        findings.info(
          'previous-other-role',
          `${plural(previous.otherRole, s.rol === 'docent' ? 'leerling' : 'docent', s.rol === 'docent' ? 'leerlingen' : 'docenten')} in ${previous.name} ${previous.otherRole === 1 ? 'telt' : 'tellen'} niet mee: deze run is voor ${s.rol === 'docent' ? 'docenten' : 'leerlingen'}`,
        );
      }
      // Numo's bijwerken gives them the new password: the students' own stops working.
      if (year?.returning && !s.keepPasswords && prepared.password.kind !== 'none') {
        findings.warn(
          'previous-new-passwords',
          `${formatNumber(year.returning)} ${s.rol === 'docent' ? (year.returning === 1 ? 'docent' : 'docenten') : year.returning === 1 ? 'leerling' : 'leerlingen'} uit ${previous!.name} ${year.returning === 1 ? 'krijgt' : 'krijgen'} een nieuw wachtwoord; bijwerken in Numo verandert ${year.returning === 1 ? 'het' : 'hun'} wachtwoord`,
          undefined,
          'Moeten ze hun wachtwoord van vorig jaar houden, gebruik dan --keep-passwords.',
        );
      }
      findings.merge(result.findings);
      if (codesInExport && !knownCodes) uncheckedCodes(result.perOpleiding, findings, 'export');
      // A mapping line that gives a Studie itself as its code ("2 havo;2 havo") is a conversion not yet done, unless
      // the Studie is a Numo code, which only Numo's list can tell.
      if (s.mapping && !knownCodes) {
        const same = new Map([...result.perOpleiding].filter(([code]) => studieKey(mapping.get(code) ?? '') === studieKey(code)));
        if (same.size) uncheckedCodes(same, findings, 'mapping');
      }
      if (listedCodes && !knownCodes && result.unmapped.size) {
        findings.info(
          'codes-in-opleiding',
          `Staan in kolom '${table.headers[table.columns.studie!]}' al Numo-opleidingscodes? Geef dan Numo's lijst mee met --opleidingen <bestand> (tabblad Opleidingen van het inleesbestand): codes uit die lijst worden overgenomen.`,
        );
      }
      if (table.merged?.length) reportMergedCells(table.merged, table.columns, table.headers, result, findings);

      // Only when the new Studies are all that stops the run: answers to a run that fails anyway would be lost.
      const otherErrors = findings.list('error').some((f) => !['unmapped-studie', 'unmapped-studie-more', 'undecided-studie'].includes(f.code));
      if (result.unmapped.size && hooks.resolveUnmapped && !otherErrors) {
        const answer = await hooks.resolveUnmapped(result.unmapped, mapping);
        if (answer?.codes.size) {
          await file?.abort();
          mapping = mapping.with(answer.codes);
          if (answer.save) for (const [studie, code] of answer.codes) toSave.set(studie, code);
          continue;
        }
      }

      const ok = !findings.hasErrors;
      hooks.onPhase?.('write');
      // Every file is prepared in full, then all are put in place or none (--dry-run prepares nothing).
      const pending: PendingWrite[] = [];
      let mappingUpdate: MappingUpdate | undefined;
      if (file) {
        if (ok) {
          await flush();
          await file.finish();
          pending.push(file);
          try {
            if (year && s.previousReport) pending.push(await preparePreviousReport(s.previousReport, year.changes, s));
            if (toSave.size && s.mapping) {
              mappingUpdate = await prepareMappingUpdate(
                s.mapping,
                [...toSave].map(([studie, code]) => ({ studie, code })),
              );
              if (mappingUpdate.write) pending.push(mappingUpdate.write);
            }
          } catch (err) {
            await Promise.all(pending.map((p) => p.abort()));
            throw err;
          }
        } else await file.abort();
      }
      // A temp name the commit could not remove holds personal data: named, and in the shred command.
      const leftOver = pending.length ? await commitAll(pending) : [];
      hooks.onPhase?.('done');
      const reportWritten = ok && Boolean(year && s.previousReport && !s.dryRun);
      // Absolute: the shred line is run later, often from another folder, where a relative name is another file.
      const personalFiles = await Promise.all(
        [s.export, s.idgebr, s.previous, ok ? output : undefined, reportWritten ? s.previousReport : undefined, ...staleTemps.remaining, ...leftOver]
          .filter((p): p is string => Boolean(p))
          .map((p) => linkTarget(p)),
      );
      return {
        exitCode: ok ? EXIT.ok : EXIT.data,
        export: s.export,
        ...(output ? { output } : {}),
        written: ok && Boolean(file),
        files: pending.map((p) => p.target),
        ...(mappingUpdate ? { mappingUpdate } : {}),
        staleTemps,
        leftOver,
        dryRun: s.dryRun,
        // Nothing was written on a failed run, whatever rows passed before the first error.
        counts: ok ? result.counts : { ...result.counts, written: 0 },
        perOpleiding: perOpleidingShown(result.perOpleiding, codesInExport),
        findings,
        detected: located.detected,
        source: located.source,
        rol: s.rol,
        shredCommand: shredCommand(personalFiles),
        personalFiles,
        readOnlyFiles: await readOnly(personalFiles),
        unmapped: result.unmapped,
        ...(year && ok ? { yearOverYear: year.counts } : {}),
        ...(reportWritten ? { previousReport: s.previousReport! } : {}),
      };
    } catch (err) {
      // After commitAll this is a no-op: its temp file is gone or already in place.
      await file?.abort();
      throw err;
    }
  }
}

/**
 * The file a symbolic link names, else the path itself: shred refuses a link (it would remove the link and leave
 * the data), so the shred line names the file that holds it.
 */
async function linkTarget(path: string): Promise<string> {
  try {
    return (await lstat(path)).isSymbolicLink() ? await realpath(path) : path;
  } catch {
    return path;
  }
}

/**
 * Codes no list holds them against: taken from the export as they are, or given by the mapping as their own Studie.
 * Named, so that school names ("2 havo", Numo's manual step 10 not yet done) do not pass unseen.
 */
function uncheckedCodes(perOpleiding: ReadonlyMap<string, number>, findings: Findings, from: 'export' | 'mapping'): void {
  // A code of the wrong shape is an error per row already (RowValidator's codeShape).
  const codes = [...perOpleiding.keys()].filter((c) => !codeShapeProblem(c)).sort(compareNl);
  if (!codes.length) return;
  // A mapping's code is the admin's own text, shown unless it looks like a name (as RowValidator shows it).
  const shown = codes.filter((c) => (from === 'mapping' ? !looksLikePersonName(c) : shareable(c, perOpleiding.get(c)!))).slice(0, 5);
  const more = codes.length - shown.length;
  const counted = `${formatNumber(more)} ${more === 1 ? 'code' : 'codes'}`;
  const named = `${shown.map((c) => `'${c}'`).join(', ')}${shown.length && more ? ` en ${counted} meer` : shown.length ? '' : counted}`;
  findings.warn(
    'codes-unchecked',
    from === 'export'
      ? `De kolom opleiding is zonder mapping overgenomen: ${named}; numo-prep kan niet zien of dat Numo-codes zijn`
      : `De mapping geeft als code de Studie zelf: ${named}; numo-prep kan niet zien of dat Numo-codes zijn`,
    undefined,
    from === 'export'
      ? "Staan er nog namen van studies in, zet ze dan om met een mapping (--mapping). Geef anders Numo's lijst mee (--opleidingen <bestand>, tabblad Opleidingen van het inleesbestand): dan controleert convert elke code."
      : "Vul in de mapping de Numo-codes in (tabblad Opleidingen van Numo's inleesbestand). Zijn het al Numo-codes, geef dan die lijst mee (--opleidingen <bestand>): dan controleert convert elke code.",
  );
}

/**
 * A value from the export's own opleiding column that may be shown: one several students share, shaped like a
 * Studie and not like a person's name (a name typed or pasted into that column is someone's).
 */
const shareable = (value: string, count: number) => count >= 3 && looksLikeStudie(value) && soundsLikeStudie(value) && !looksLikePersonName(value);

/** The count per code, with the codes taken from the export that may not be shown (see shareable) counted as one. */
function perOpleidingShown(perOpleiding: ReadonlyMap<string, number>, codesInExport: boolean): Record<string, number> {
  const out = new Map<string, number>();
  for (const [code, n] of perOpleiding) {
    const key = !codesInExport || shareable(code, n) ? code : 'andere waarden';
    out.set(key, (out.get(key) ?? 0) + n);
  }
  return Object.fromEntries([...out].sort(([a], [b]) => compareNl(a, b)));
}

/** Used when the export's column already holds Numo codes: every value maps to itself. */
function identityMapping(): Mapping {
  return new (class extends Mapping {
    override get(studie: string): string {
      return studie;
    }
  })();
}
