import { stat } from 'node:fs/promises';
import { randomFillSync } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { ExportField } from '../core/columns.js';
import { STUDENT_GEBRUIKERSNAAM, defaultGebruikersnaam, unfilledPlaceholders } from '../core/detect.js';
import type { CompiledPassword } from '../core/enrich.js';
import { Findings } from '../core/findings.js';
import type { IdgebrIndex } from '../core/idgebr.js';
import { Mapping } from '../core/mapping.js';
import { runPipeline, type PipelineCounts } from '../core/pipeline.js';
import { YearOverYear, type YearCounts } from '../core/previous.js';
import type { NumoRow } from '../core/schema.js';
import type { ConvertSettings } from '../core/settings.js';
import { compileTemplate, RandomChars, type Template } from '../core/template.js';
import { sourceColumns, type Role, type SourceId } from '../core/sources.js';
import { EXIT, UserError, type ExitCode } from '../core/errors.js';
import { AtomicFile, checkTarget } from '../io/atomic-file.js';
import { CsvEncoder } from '../io/csv-write.js';
import { fileError, loadInput } from '../io/input.js';
import type { Table } from '../io/table.js';
import { loadIdgebr, loadMapping, loadOpleidingen, loadPrevious } from './load-tables.js';
import { locateExport } from './locate-export.js';
import { writePreviousReport } from './previous-report.js';
import { shredCommand } from './shred-command.js';

export interface ConvertReport {
  exitCode: ExitCode;
  export: string;
  output?: string;
  written: boolean;
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
  unmapped: Map<string, number>;
  /** With --previous: new, gone and changed students. */
  yearOverYear?: YearCounts;
  previousReport?: string;
}

export interface ConvertHooks {
  /** Called when Studie values are unmapped; returns codes to add (then the run starts over) or nothing. */
  resolveUnmapped?: (unmapped: Map<string, number>, mapping: Mapping) => Promise<Map<string, string> | undefined>;
  onPhase?: (phase: 'read' | 'write' | 'done') => void;
}

const BATCH = 500;

export function defaultOutput(exportPath: string, now = new Date()): string {
  const d = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return join(dirname(resolve(exportPath)), `numo-import-${d}.csv`);
}

interface Prepared {
  /** Undefined for staff without --gebruikersnaam: it depends on the columns found. */
  gebruikersnaam?: Template;
  password: CompiledPassword;
  settingsFindings: Findings;
}

/** Options are checked before any file is read, so a typo costs nothing. */
function prepare(s: ConvertSettings): Prepared {
  const settingsFindings = new Findings();
  const rng = new RandomChars(randomFillSync);
  const explicit = s.gebruikersnaam ?? (s.rol === 'leerling' ? STUDENT_GEBRUIKERSNAAM : undefined);
  const gebruikersnaam = explicit === undefined ? undefined : compileTemplate(explicit, '--gebruikersnaam');
  let template: Template | undefined;
  if (s.password === 'template') {
    if (!s.passwordTemplate) throw new UserError('--password template vraagt ook --password-template, bijvoorbeeld --password-template "Welkom{random4}".');
    template = compileTemplate(s.passwordTemplate, '--password-template', rng);
    if (template.publicFields.length) {
      settingsFindings.warn('password-public',
        `Wachtwoorden worden gemaakt uit gegevens die anderen kennen (${template.publicFields.map((f) => `{${f}}`).join(', ')}): leerlingen kunnen elkaars wachtwoord raden`,
        undefined, 'Gebruik --password random (standaard), of voeg {random4} toe aan de sjabloon.');
    } else if (!template.parts.some((p) => typeof p !== 'string')) {
      settingsFindings.warn('password-same', 'Alle leerlingen krijgen hetzelfde wachtwoord', undefined, 'Gebruik --password random (standaard).');
    }
  }
  const password: CompiledPassword =
    s.password === 'random' ? { kind: 'random', length: s.passwordLength, rng } : s.password === 'none' ? { kind: 'none' } : { kind: 'template', template: template! };
  return { ...(gebruikersnaam ? { gebruikersnaam } : {}), password, settingsFindings };
}

function missingOptionalColumns(table: Table<ExportField>, source: SourceId, role: Role, findings: Findings): void {
  const wanted: ExportField[] = role === 'leerling' ? ['klas', 'email'] : [];
  for (const spec of sourceColumns(source, role)) {
    if (wanted.includes(spec.key) && table.columns[spec.key] === undefined) {
      findings.warn('missing-column', `Kolom '${spec.label}' niet gevonden: de kolom ${spec.key === 'email' ? 'e-mail' : spec.key} blijft leeg`, undefined,
        source === 'magister' ? 'Voeg de kolom toe in Magister (Kolommenkiezer) als Numo hem nodig heeft.' : 'Neem de kolom op in de export als Numo hem nodig heeft.');
    }
  }
}

/** The gebruikersnaam template for this file: the admin's, or the default for the role and the columns found. */
function gebruikersnaamFor(prepared: Prepared, table: Table<ExportField>, role: Role): Template {
  let template = prepared.gebruikersnaam;
  if (!template) {
    const source = defaultGebruikersnaam(role, table.columns);
    if (!source) {
      throw new UserError('Deze personeelslijst heeft geen kolom Loginaccount.Naam (of gebruikersnaam) en geen Code (afkorting). ' +
        'Geef de gebruikersnaam op, bijvoorbeeld --gebruikersnaam "{stamnr}" of --gebruikersnaam "{email}".');
    }
    template = compileTemplate(source, '--gebruikersnaam');
  }
  const unfilled = unfilledPlaceholders(template.publicFields, table.columns);
  if (unfilled.length) {
    throw new UserError(`--gebruikersnaam ${template.source}: ${unfilled.map((f) => `{${f}}`).join(', ')} ${unfilled.length === 1 ? 'heeft' : 'hebben'} geen kolom in de export, dus elke gebruikersnaam zou onvolledig zijn. ` +
      'Kies een sjabloon met velden die de export heeft.');
  }
  return template;
}

/**
 * The whole convert: read → normalise → map → join → enrich → validate → write. Shared by `convert`, the wizard
 * and the yearly scripted run; they differ only in where the settings and hooks come from.
 */
export async function runConvert(s: ConvertSettings, hooks: ConvertHooks = {}): Promise<ConvertReport> {
  const prepared = prepare(s);
  const output = s.dryRun ? undefined : resolve(s.out ?? defaultOutput(s.export));
  const inputs = [s.export, s.mapping, s.idgebr, s.opleidingen, s.previous].filter((p): p is string => Boolean(p));
  // A missing export is "niet gevonden", also when last run's output is still there ("bestaat al" would mislead).
  await stat(s.export).catch((err: unknown) => {
    throw fileError(s.export, err);
  });
  if (output) await checkTarget(output, { force: s.force, inputs });

  hooks.onPhase?.('read');
  let mapping = s.mapping ? await loadMapping(s.mapping) : new Mapping();
  let idgebr: { index: IdgebrIndex; name: string } | undefined;
  if (s.idgebr) idgebr = await loadIdgebr(s.idgebr);
  const knownCodes = s.opleidingen ? new Map((await loadOpleidingen(s.opleidingen)).map((o) => [o.code.toLowerCase(), o.code])) : undefined;
  const previous = s.previous ? await loadPrevious(s.previous) : undefined;
  if (s.previousReport) await checkTarget(s.previousReport, { force: s.force, inputs: [...inputs, ...(output ? [output] : [])] });

  const input = await loadInput(s.export);
  for (;;) {
    const located = await locateExport(input, { role: s.rol, ...(s.bron ? { source: s.bron } : {}), ...(s.columns ? { overrides: s.columns } : {}) });
    const { table } = located;
    const gebruikersnaam = gebruikersnaamFor(prepared, table, s.rol);
    const findings = new Findings();
    findings.merge(prepared.settingsFindings);
    findings.merge(located.findings);
    missingOptionalColumns(table, located.source, s.rol, findings);
    const codesInExport = !s.mapping && located.holdsNumoCodes;

    const year = previous ? new YearOverYear(previous) : undefined;
    const file = output ? await AtomicFile.create(output) : undefined;
    try {
      let encoder: CsvEncoder | undefined;
      let batch: NumoRow[] = [];
      const flush = async () => {
        if (file && encoder && batch.length) await file.write(encoder.rows(batch));
        batch = [];
      };
      const withIdgebr = Boolean(idgebr) || table.columns.idgebr !== undefined;
      if (file) {
        encoder = new CsvEncoder({ encoding: s.encoding, delimiter: s.delimiter }, withIdgebr);
        await file.write(encoder.header());
      }
      const result = await runPipeline(
        table.rows,
        {
          columns: table.columns,
          mapping: codesInExport ? identityMapping() : mapping,
          ...(idgebr ? { idgebr: idgebr.index, idgebrFileName: idgebr.name } : {}),
          filter: { ...(s.klas ? { klas: s.klas } : {}), ...(s.studie ? { studie: s.studie } : {}) },
          encoding: s.encoding,
          gebruikersnaam,
          password: prepared.password,
          rol: s.rol,
          ...(knownCodes ? { knownCodes } : {}),
          ...(s.stamnrCijfers !== undefined ? { stamnrDigits: s.stamnrCijfers } : {}),
          ...(located.roleWatch ? { roleWatch: located.roleWatch } : {}),
          ...(located.statusColumn !== undefined ? { statusColumn: located.statusColumn } : {}),
          ...(input.format === 'csv' ? { csvHeaders: table.headers } : {}),
          ...(year && s.keepPasswords ? { keepPassword: (g: string) => year.passwordOf(g) } : {}),
        },
        (row) => {
          year?.observe(row);
          if (!file) return;
          batch.push(row);
          return batch.length >= BATCH ? flush() : undefined;
        },
      );
      year?.finish();
      findings.merge(result.findings);

      if (result.unmapped.size && hooks.resolveUnmapped) {
        const added = await hooks.resolveUnmapped(result.unmapped, mapping);
        if (added?.size) {
          await file?.abort();
          mapping = mapping.with(added);
          continue;
        }
      }

      const ok = !findings.hasErrors;
      hooks.onPhase?.('write');
      if (file) {
        if (ok) {
          await flush();
          await file.commit();
        } else await file.abort();
      }
      if (ok && year && s.previousReport && !s.dryRun) await writePreviousReport(s.previousReport, year.changes, s);
      hooks.onPhase?.('done');
      const reportWritten = ok && Boolean(year && s.previousReport && !s.dryRun);
      const personalFiles = [s.export, s.idgebr, s.previous, ok ? output : undefined, reportWritten ? s.previousReport : undefined].filter((p): p is string => Boolean(p));
      return {
        exitCode: ok ? EXIT.ok : EXIT.data,
        export: s.export,
        ...(output ? { output } : {}),
        written: ok && Boolean(file),
        dryRun: s.dryRun,
        // Nothing was written on a failed run, whatever rows passed before the first error.
        counts: ok ? result.counts : { ...result.counts, written: 0 },
        perOpleiding: Object.fromEntries([...result.perOpleiding].sort(([a], [b]) => a.localeCompare(b, 'nl', { numeric: true }))),
        findings,
        detected: located.detected,
        source: located.source,
        rol: s.rol,
        shredCommand: shredCommand(personalFiles),
        personalFiles,
        unmapped: result.unmapped,
        ...(year && ok ? { yearOverYear: year.counts } : {}),
        ...(reportWritten ? { previousReport: resolve(s.previousReport!) } : {}),
      };
    } catch (err) {
      await file?.abort();
      throw err;
    }
  }
}

/** Used when the export's column already holds Numo codes: every value maps to itself. */
function identityMapping(): Mapping {
  return new (class extends Mapping {
    override get(studie: string): string {
      return studie;
    }
  })();
}
