import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { EXPORT_COLUMNS } from '../core/columns.js';
import { UserError } from '../core/errors.js';
import { parseList } from '../core/filter.js';
import { COLUMN_KEYS, CONFIG_KEYS, PATH_KEYS, SETTINGS, withDefaults, type ConvertSettings, type ConvertSettingsInput, type SettingSpec } from '../core/settings.js';
import { fileError } from '../io/input.js';

export const CONFIG_FILE = 'numo-prep.config.json';

type ConfigKey = (typeof CONFIG_KEYS)[number];

/** numo-prep.config.json: this school's choices, kept for next year. Paths are relative to the config file. */
export type Config = { $schema?: string; version: 1 } & Partial<Pick<ConvertSettings, ConfigKey>>;

/** The config file's checks, built from SETTINGS. zod costs ~160 ms to load, so only a run with a config pays it. */
async function configSchema() {
  const { z } = await import('zod');
  const field = (spec: SettingSpec): z.ZodType => {
    switch (spec.kind) {
      case 'path':
      case 'text':
        return z.string().min(1);
      case 'list':
        return z.array(z.string().min(1));
      case 'boolean':
        return z.boolean();
      case 'columns':
        return z.partialRecord(z.enum(COLUMN_KEYS as [string, ...string[]]), z.string().min(1));
      case 'choice':
        return z.enum(spec.choices as [string, ...string[]]);
      case 'int':
        return z.number().int().min(spec.min).max(spec.max);
    }
  };
  return z.strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    ...Object.fromEntries(CONFIG_KEYS.map((k) => [k, field(SETTINGS[k]).optional()])),
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length ? `'${issue.path.join('.')}'` : '(hele bestand)';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
      const allowed = issue.path[0] === 'columns' ? EXPORT_COLUMNS.map((c) => c.key) : ['version', ...CONFIG_KEYS];
      return `onbekende sleutel ${issue.keys.map((k) => `'${prefix}${k}'`).join(', ')}; toegestaan: ${allowed.join(', ')}`;
    }
    case 'invalid_value':
      return `sleutel ${key}: toegestaan is ${issue.values.map((v) => JSON.stringify(v)).join(' of ')}`;
    case 'invalid_type':
      return `sleutel ${key}: verwacht ${({ string: 'tekst', number: 'een getal', array: 'een lijst', object: 'een object', boolean: 'true of false' } as Record<string, string>)[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return `sleutel ${key}: te klein of leeg (minimaal ${String(issue.minimum)})`;
    case 'too_big':
      return `sleutel ${key}: te groot (maximaal ${String(issue.maximum)})`;
    default:
      return `sleutel ${key}: ongeldige waarde`;
  }
}

export interface LoadedConfig {
  config: Config;
  /** Paths that lead out of the config's folder, resolved, to show the admin. */
  outside: string[];
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fileError(path, err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError(`${basename(path)} is geen geldige JSON (${(err as Error).message}). Herstel het bestand of maak het opnieuw met numo-prep wizard.`);
  }
  const parsed = (await configSchema()).safeParse(json);
  if (!parsed.success) {
    throw new UserError(`${basename(path)}: ${parsed.error.issues.map(describeIssue).join('; ')}.`);
  }
  const dir = dirname(resolve(path));
  const config = { ...parsed.data } as Config;
  const paths = config as Record<string, unknown>;
  const outside: string[] = [];
  for (const key of PATH_KEYS) {
    const value = paths[key];
    if (typeof value !== 'string' || !value) continue;
    const abs = isAbsolute(value) ? value : resolve(dir, value);
    const rel = relative(dir, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) outside.push(`${key}: ${abs}`);
    paths[key] = abs;
  }
  return { config, outside };
}

/** Paths written relative to the config's folder, so the folder can move as a whole. */
export function configText(config: Config, configPath: string): string {
  const dir = dirname(resolve(configPath));
  const out: Record<string, unknown> = { version: 1 };
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined || k === 'version') continue;
    out[k] = (PATH_KEYS as readonly string[]).includes(k) ? relative(dir, resolve(v as string)) || '.' : v;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** convert's flags as commander hands them over. */
export interface ConvertFlags {
  /** false with --no-config. */
  config?: string | false;
  mapping?: string;
  idgebr?: string;
  opleidingen?: string;
  out?: string;
  force?: boolean;
  gebruikersnaam?: string;
  rol?: ConvertSettings['rol'];
  klas?: string[];
  studie?: string[];
  password?: ConvertSettings['password'];
  passwordTemplate?: string;
  passwordLength?: number;
  encoding?: ConvertSettings['encoding'];
  delimiter?: ConvertSettings['delimiter'];
  previous?: string;
  previousReport?: string;
  keepPasswords?: boolean;
  shredInputs?: boolean;
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
  quiet?: boolean;
}

/**
 * The wizard saves numo-prep.config.json in the folder it ran in; next year the same folder (or the export's)
 * is where the admin runs convert, so the settings are found without --config.
 */
function discoverConfig(exportPath: string, cwd: string): string | undefined {
  return [join(cwd, CONFIG_FILE), join(dirname(resolve(exportPath)), CONFIG_FILE)].find((p) => existsSync(p));
}

/** Config first, then flags on top: what the admin types today wins over last year's file. */
export async function convertSettingsFrom(exportPath: string, flags: ConvertFlags, o: { cwd: string; notice: (line: string) => void }): Promise<ConvertSettings> {
  let base: Partial<ConvertSettingsInput> = {};
  const configPath = flags.config ?? (flags.config === false ? undefined : discoverConfig(exportPath, o.cwd));
  if (configPath) {
    if (!flags.config) o.notice(`Instellingen uit ${configPath} (andere instellingen: --config <bestand>, geen: --no-config).`);
    const { config, outside } = await loadConfig(configPath);
    const { $schema: _schema, version: _version, ...rest } = config;
    base = rest;
    for (const line of outside) o.notice(`Let op: pad buiten de map van ${configPath}: ${line}`);
  }
  const fromFlags: Record<string, unknown> = { ...flags, klas: parseList(flags.klas), studie: parseList(flags.studie) };
  const input: Record<string, unknown> = { ...base };
  for (const key of Object.keys(SETTINGS)) if (fromFlags[key] !== undefined) input[key] = fromFlags[key];
  input.export = exportPath;
  const r = withDefaults(input as unknown as ConvertSettingsInput);
  if ('invalid' in r) throw new UserError(`Ongeldige instelling '${r.invalid}'. Zie numo-prep convert --help.`);
  const s = r.settings;
  if (s.keepPasswords && !s.previous) throw new UserError('--keep-passwords werkt alleen samen met --previous <Numo-CSV van vorig jaar>.');
  if (s.previousReport && !s.previous) throw new UserError('--previous-report werkt alleen samen met --previous <Numo-CSV van vorig jaar>.');
  return s;
}
