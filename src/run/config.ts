import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { fileError } from '../io/input.js';
import { EXPORT_COLUMNS } from '../core/columns.js';
import { DelimiterOption, OutputEncoding, Rol } from '../core/schema.js';
import { ColumnOverrides } from '../core/settings.js';

export const CONFIG_FILE = 'numo-prep.config.json';

/** numo-prep.config.json: this school's choices, kept for next year. Paths are relative to the config file. */
export const Config = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).default(1),
  mapping: z.string().min(1).optional(),
  columns: ColumnOverrides.optional(),
  idgebr: z.string().min(1).optional(),
  opleidingen: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  gebruikersnaam: z.string().min(1).optional(),
  rol: Rol.optional(),
  klas: z.array(z.string().min(1)).optional(),
  studie: z.array(z.string().min(1)).optional(),
  password: z.enum(['random', 'template', 'none']).optional(),
  passwordTemplate: z.string().min(1).optional(),
  passwordLength: z.number().int().min(6).max(64).optional(),
  encoding: OutputEncoding.optional(),
  delimiter: DelimiterOption.optional(),
});
export type Config = z.infer<typeof Config>;

const PATH_KEYS = ['mapping', 'idgebr', 'opleidingen', 'out'] as const;

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length ? `'${issue.path.join('.')}'` : '(hele bestand)';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
      const allowed = issue.path[0] === 'columns' ? EXPORT_COLUMNS.map((c) => c.key) : Object.keys(Config.shape).filter((k) => k !== '$schema');
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
  const parsed = Config.safeParse(json);
  if (!parsed.success) {
    throw new UserError(`${basename(path)}: ${parsed.error.issues.map(describeIssue).join('; ')}.`);
  }
  const dir = dirname(resolve(path));
  const config = { ...parsed.data };
  const outside: string[] = [];
  for (const key of PATH_KEYS) {
    const value = config[key];
    if (!value) continue;
    const abs = isAbsolute(value) ? value : resolve(dir, value);
    const rel = relative(dir, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) outside.push(`${key}: ${abs}`);
    config[key] = abs;
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

/** The keys the wizard asks about; every other key of an existing config survives a wizard re-run. */
const WIZARD_KEYS = ['mapping', 'columns', 'opleidingen', 'gebruikersnaam', 'rol', 'password', 'passwordTemplate', 'klas', 'studie'] as const;

/** `answers` on top of the existing config at `path`, keeping what the wizard did not ask (idgebr, out, encoding, …). */
export async function keepUnaskedKeys(path: string, answers: Config): Promise<Config> {
  let existing: Config;
  try {
    existing = (await loadConfig(path)).config;
  } catch {
    return answers;
  }
  const kept = Object.fromEntries(Object.entries(existing).filter(([k]) => !(WIZARD_KEYS as readonly string[]).includes(k)));
  return { ...kept, ...answers };
}
