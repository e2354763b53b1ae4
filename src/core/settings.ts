import { formatNumber } from './format.js';
import { LIMITS } from './limits.js';
import { DELIMITER_OPTIONS, type DelimiterOption, OUTPUT_ENCODINGS, type OutputEncoding, PASSWORD_KINDS, type PasswordKind, ROLES, type Rol } from './schema.js';
import { EXPORT_FIELD_KEYS, REQUIRED, SOURCE_IDS, type SourceId } from './sources.js';

/** Header names in this school's export for columns numo-prep did not recognise by itself. */
export type ColumnOverrides = Partial<Record<string, string>>;
const COLUMN_KEYS: readonly string[] = EXPORT_FIELD_KEYS;
/** Columns a student export cannot do without (REQUIRED.leerling): no "" for them in the config. */
const NEEDED_COLUMNS: readonly string[] = REQUIRED.leerling;

export type SettingKind =
  | { kind: 'path' }
  | { kind: 'text' }
  | { kind: 'list' }
  | { kind: 'boolean' }
  | { kind: 'columns' }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'int'; min: number; max: number };

export type SettingSpec = SettingKind & {
  /** Kept in numo-prep.config.json (paths there are relative to the file). */
  config: boolean;
  default?: unknown;
};

/**
 * The one declaration of every convert setting: the config file's keys and checks (run/config.ts), commander's
 * choices and the defaults named in --help (cli.ts), the defaults applied below and the wizard's choices all come
 * from here. The order is the order the config keys are listed in messages.
 */
export const SETTINGS = {
  mapping: { kind: 'path', config: true },
  columns: { kind: 'columns', config: true },
  idgebr: { kind: 'path', config: true },
  // The wizard notes that the school uses SSO with an IDGebr file, which is shredded after each run.
  sso: { kind: 'boolean', config: true },
  opleidingen: { kind: 'path', config: true },
  out: { kind: 'path', config: true },
  // No default here: STUDENT_GEBRUIKERSNAAM for students, the login or teacher code for staff (core/detect
  // defaultGebruikersnaam).
  gebruikersnaam: { kind: 'text', config: true },
  rol: { kind: 'choice', choices: ROLES, config: true, default: 'leerling' },
  bron: { kind: 'choice', choices: SOURCE_IDS, config: true },
  // A Stamnr has at most 12 digits (core/shape.ts).
  stamnrCijfers: { kind: 'int', min: 0, max: 12, config: true },
  klas: { kind: 'list', config: true },
  studie: { kind: 'list', config: true },
  password: { kind: 'choice', choices: PASSWORD_KINDS, config: true, default: 'random' },
  passwordTemplate: { kind: 'text', config: true },
  passwordLength: { kind: 'int', min: 6, max: 64, config: true, default: 10 },
  encoding: { kind: 'choice', choices: OUTPUT_ENCODINGS, config: true, default: 'utf8-bom' },
  delimiter: { kind: 'choice', choices: Object.keys(DELIMITER_OPTIONS) as DelimiterOption[], config: true, default: ';' },
  force: { kind: 'boolean', config: false, default: false },
  dryRun: { kind: 'boolean', config: false, default: false },
  previous: { kind: 'path', config: false },
  previousReport: { kind: 'path', config: false },
  keepPasswords: { kind: 'boolean', config: false, default: false },
} as const satisfies Record<string, SettingSpec>;

/** A student's gebruikersnaam without --gebruikersnaam: the Stamnr. */
export const STUDENT_GEBRUIKERSNAAM = '{stamnr}';

/** shred's settings (no config key: a shred is never a default). */
export const SHRED_PASSES = { min: 1, max: 35, default: 1 } as const;

export type SettingKey = keyof typeof SETTINGS;
export const CONFIG_KEYS = (Object.keys(SETTINGS) as SettingKey[]).filter((k) => SETTINGS[k].config);
export const PATH_KEYS = (Object.keys(SETTINGS) as SettingKey[]).filter((k) => SETTINGS[k].kind === 'path');

/** Everything a convert run needs; flags, the config file and the wizard each produce one of these. */
export interface ConvertSettings {
  export: string;
  /** The folder the admin works in: typed paths were resolved against it; convert looks there for a mapping too. */
  cwd: string;
  mapping?: string;
  columns?: ColumnOverrides;
  idgebr?: string;
  /** The school uses SSO with an IDGebr file (the wizard notes it): a run without one, or an IDGebr column, stops. */
  sso?: boolean;
  opleidingen?: string;
  out?: string;
  force: boolean;
  gebruikersnaam?: string;
  rol: Rol;
  /** --bron: only this source's headers; detected from the header when absent. */
  bron?: SourceId;
  /** --stamnr-cijfers: pad numeric Stamnrs to this many digits (0: drop their leading zeros). */
  stamnrCijfers?: number;
  klas?: string[];
  studie?: string[];
  password: PasswordKind;
  passwordTemplate?: string;
  passwordLength: number;
  encoding: OutputEncoding;
  delimiter: DelimiterOption;
  dryRun: boolean;
  previous?: string;
  previousReport?: string;
  keepPasswords: boolean;
  /** The config file these settings came from: an input like any other, never an output. */
  config?: string;
  /** The keys whose value came from that config (no flag gave them): a message names the key, not the flag. */
  fromConfig?: readonly string[];
}

/** The settings SETTINGS gives a default. */
type Defaulted = 'force' | 'rol' | 'password' | 'passwordLength' | 'encoding' | 'delimiter' | 'dryRun' | 'keepPasswords';
export type ConvertSettingsInput = Omit<ConvertSettings, Defaulted> & Partial<Pick<ConvertSettings, Defaulted>>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const quoted = (path: string) => (path ? `'${path}'` : '(hele bestand)');
/** At most this many problems, and unknown keys, are named: a message stays a few lines whatever the file holds. */
export const MAX_NAMED = 5;
/**
 * Unknown keys as the admin would have typed them (a misspelt setting): short and key-like, at most MAX_NAMED.
 * Anything else (long, odd characters, thousands of keys of a JSON file of other data given as --config) is
 * counted, not quoted. Values are never quoted.
 */
export function unknownKeys(prefix: string, keys: string[], allowed: readonly string[]): string {
  const shown = keys.filter((k) => /^[A-Za-z$_][\w$.-]{0,39}$/.test(k)).slice(0, MAX_NAMED);
  const rest = keys.length - shown.length;
  const named = shown.map((k) => `'${prefix}${k}'`).join(', ');
  const what = !shown.length ? `${formatNumber(rest)} onbekende ${rest === 1 ? 'sleutel' : 'sleutels'}` : `onbekende sleutel ${named}${rest ? ` en ${formatNumber(rest)} andere` : ''}`;
  return `${what}; toegestaan: ${allowed.join(', ')}`;
}

/** Problems with one text value, in Dutch, naming its key (`klas.1`, `columns.stamnr`). */
function checkText(value: unknown, path: string, problems: string[]): void {
  if (typeof value !== 'string') problems.push(`sleutel ${quoted(path)}: verwacht tekst`);
  else if (value.length === 0) problems.push(`sleutel ${quoted(path)}: is leeg; vul een waarde in of haal de sleutel weg`);
}

/**
 * The problems of one setting's value, in Dutch, each naming its key as the config file spells it: the config
 * loader's messages, and (no problem at all) what withDefaults accepts after flags and config are merged.
 */
export function settingProblems(spec: SettingSpec, value: unknown, key: string, problems: string[]): void {
  switch (spec.kind) {
    case 'path':
      checkText(value, key, problems);
      // Named in messages: bounded, as on the command line.
      if (typeof value === 'string' && value.length > LIMITS.pathChars) problems.push(`sleutel '${key}': langer dan ${LIMITS.pathChars} tekens`);
      return;
    case 'text':
      checkText(value, key, problems);
      return;
    case 'list':
      if (!Array.isArray(value)) problems.push(`sleutel '${key}': verwacht een lijst, bijvoorbeeld ["1A", "2*"] of "1A,2*"`);
      else if (value.length === 0) problems.push(`sleutel '${key}' is leeg; verwacht een lijst, bijvoorbeeld ["1A", "2*"] of "1A,2*"`);
      // Named by its place in the list, as an admin counts ("klas.0" is JSON's way); a blank one (" ") would be a
      // filter that keeps nobody.
      else {
        value.forEach((item, i) => {
          if (typeof item !== 'string') problems.push(`sleutel '${key}': waarde ${i + 1} is geen tekst`);
          else if (!item.trim()) problems.push(`sleutel '${key}': waarde ${i + 1} is leeg; haal die weg`);
        });
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`sleutel '${key}': verwacht true of false`);
      return;
    case 'columns': {
      if (!isObject(value)) {
        problems.push(`sleutel '${key}': verwacht een object`);
        return;
      }
      const unknown = Object.keys(value).filter((k) => !COLUMN_KEYS.includes(k));
      // "" is a choice too: no column for this field (the wizard's "Geen"), also when a header would match; not for a
      // field a student row cannot do without. A header of spaces would take an empty header cell.
      for (const [k, v] of Object.entries(value)) {
        if (!COLUMN_KEYS.includes(k)) continue;
        if (v === '' && !NEEDED_COLUMNS.includes(k)) continue;
        if (typeof v === 'string' && v.length > 0 && v.trim() === '') problems.push(`sleutel ${quoted(`${key}.${k}`)}: alleen spaties`);
        else checkText(v, `${key}.${k}`, problems);
      }
      if (unknown.length) problems.push(unknownKeys(`${key}.`, unknown, COLUMN_KEYS));
      return;
    }
    case 'choice':
      if (!spec.choices.includes(value as string)) problems.push(`sleutel '${key}': toegestaan is ${spec.choices.map((c) => JSON.stringify(c)).join(' of ')}`);
      return;
    case 'int':
      if (typeof value !== 'number') problems.push(`sleutel '${key}': verwacht een getal`);
      else if (!Number.isInteger(value)) problems.push(`sleutel '${key}': verwacht een geheel getal`);
      else if (value < spec.min) problems.push(`sleutel '${key}': te klein of leeg (minimaal ${spec.min})`);
      else if (value > spec.max) problems.push(`sleutel '${key}': te groot (maximaal ${spec.max})`);
      return;
  }
}

function valid(spec: SettingSpec, v: unknown): boolean {
  const problems: string[] = [];
  settingProblems(spec, v, '', problems);
  return problems.length === 0;
}

/**
 * The settings with every default filled in, or the first key whose value is wrong. Flags were checked by
 * commander and the config file by its loader; this catches what only the combination shows (a too short
 * --password-length, an empty --gebruikersnaam).
 */
export function withDefaults(input: ConvertSettingsInput): { settings: ConvertSettings } | { invalid: string } {
  if (typeof input.export !== 'string' || !input.export) return { invalid: 'export' };
  const out: Record<string, unknown> = { export: input.export, cwd: input.cwd, ...(input.config ? { config: input.config } : {}), ...(input.fromConfig ? { fromConfig: input.fromConfig } : {}) };
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const spec: SettingSpec = SETTINGS[key];
    const value = (input as Record<string, unknown>)[key] ?? spec.default;
    if (value === undefined) continue;
    if (!valid(spec, value)) return { invalid: key };
    out[key] = value;
  }
  return { settings: out as unknown as ConvertSettings };
}

/** withDefaults for settings built by the program itself (wizard, tests): a wrong value is a programming error. */
export function convertSettings(input: ConvertSettingsInput): ConvertSettings {
  const r = withDefaults(input);
  if ('invalid' in r) throw new Error(`invalid setting ${r.invalid}`);
  return r.settings;
}
