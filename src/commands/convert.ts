import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseList } from '../core/filter.js';
import { ConvertSettings, type ConvertSettingsInput } from '../core/settings.js';
import { EXIT, UserError } from '../errors.js';
import { CONFIG_FILE, loadConfig } from '../run/config.js';
import { runConvert, type ConvertHooks } from '../run/convert.js';
import { convertReportJson, printConvertReport } from '../ui/report.js';
import { createUi } from '../ui/terminal.js';

interface ConvertFlags {
  /** false with --no-config. */
  config?: string | false;
  mapping?: string;
  idgebr?: string;
  opleidingen?: string;
  out?: string;
  force?: boolean;
  gebruikersnaam?: string;
  rol?: 'leerling' | 'docent';
  klas?: string[];
  studie?: string[];
  password?: 'random' | 'template' | 'none';
  passwordTemplate?: string;
  passwordLength?: number;
  encoding?: 'utf8-bom' | 'utf8' | 'windows-1252';
  delimiter?: ';' | ',' | 'tab';
  previous?: string;
  previousReport?: string;
  keepPasswords?: boolean;
  shredInputs?: boolean;
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
  quiet?: boolean;
}

function canPrompt(flags: { yes?: boolean; json?: boolean }): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.yes && !flags.json;
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * The wizard saves numo-prep.config.json in the folder it ran in; next year the same folder (or the export's)
 * is where the admin runs convert, so the settings are found without --config.
 */
function discoverConfig(exportPath: string): string | undefined {
  return [join(process.cwd(), CONFIG_FILE), join(dirname(resolve(exportPath)), CONFIG_FILE)].find((p) => existsSync(p));
}

/** Config first, then flags on top: what the admin types today wins over last year's file. */
async function settingsFrom(exportPath: string, flags: ConvertFlags, notice: (line: string) => void): Promise<ConvertSettings> {
  let base: Partial<ConvertSettingsInput> = {};
  const configPath = flags.config ?? (flags.config === false ? undefined : discoverConfig(exportPath));
  if (configPath) {
    if (!flags.config) notice(`Instellingen uit ${configPath} (andere instellingen: --config <bestand>, geen: --no-config).`);
    const { config, outside } = await loadConfig(configPath);
    const { $schema: _schema, version: _version, ...rest } = config;
    base = rest;
    for (const line of outside) notice(`Let op: pad buiten de map van ${configPath}: ${line}`);
  }
  const klas = parseList(flags.klas);
  const studie = parseList(flags.studie);
  const input: ConvertSettingsInput = {
    ...base,
    ...defined({
      mapping: flags.mapping,
      idgebr: flags.idgebr,
      opleidingen: flags.opleidingen,
      out: flags.out,
      force: flags.force,
      gebruikersnaam: flags.gebruikersnaam,
      rol: flags.rol,
      klas,
      studie,
      password: flags.password,
      passwordTemplate: flags.passwordTemplate,
      passwordLength: flags.passwordLength,
      encoding: flags.encoding,
      delimiter: flags.delimiter,
      dryRun: flags.dryRun,
      previous: flags.previous,
      previousReport: flags.previousReport,
      keepPasswords: flags.keepPasswords,
    }),
    export: exportPath,
    ...(configPath ? { config: configPath } : {}),
  };
  const parsed = ConvertSettings.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`Ongeldige instelling '${issue.path.join('.')}'. Zie numo-prep convert --help.`);
  }
  if (parsed.data.keepPasswords && !parsed.data.previous) throw new UserError('--keep-passwords werkt alleen samen met --previous <Numo-CSV van vorig jaar>.');
  if (parsed.data.previousReport && !parsed.data.previous) throw new UserError('--previous-report werkt alleen samen met --previous <Numo-CSV van vorig jaar>.');
  return parsed.data;
}

export async function convertCommand(exportPath: string, flags: ConvertFlags): Promise<number> {
  const ui = await createUi({ ...defined({ quiet: flags.quiet, json: flags.json }) });
  const settings = await settingsFrom(exportPath, flags, (l) => ui.err(ui.color.yellow(l)));
  const toShred = flags.shredInputs && !settings.dryRun ? [settings.export, settings.idgebr].filter((p): p is string => Boolean(p)) : [];
  if (toShred.length) {
    // Refused before any work: a run that writes the output and then cannot shred leaves the admin half done.
    const { checkShredAfterConvert } = await import('./shred.js');
    await checkShredAfterConvert(toShred, flags);
  }
  const spinner = ui.spinner('Export lezen…');
  const hooks: ConvertHooks = {
    onPhase: (phase) => {
      if (phase === 'write') spinner.text = 'Schrijven…';
      if (phase === 'done') spinner.stop();
    },
  };
  if (canPrompt(flags)) {
    const { promptUnmapped } = await import('../wizard/unmapped.js');
    hooks.resolveUnmapped = async (unmapped) => {
      spinner.stop();
      return promptUnmapped(unmapped, settings);
    };
  }
  let report;
  try {
    report = await runConvert(settings, hooks);
  } finally {
    spinner.stop();
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(convertReportJson(report), null, 2)}\n`);
  else printConvertReport(ui, report);
  if (report.written && toShred.length) {
    const { shredAfterConvert } = await import('./shred.js');
    const code = await shredAfterConvert(ui, toShred, report.files, flags);
    if (code !== EXIT.ok) return code;
  }
  return report.exitCode;
}
