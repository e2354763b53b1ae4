import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NOTHING_WRITTEN, UserError } from '../core/errors.js';
import { parseList } from '../core/filter.js';
import { formatNumber } from '../core/format.js';
import { LIMITS } from '../core/limits.js';
import {
  CONFIG_KEYS,
  type ConvertSettings,
  type ConvertSettingsInput,
  isObject,
  MAX_NAMED,
  PATH_KEYS,
  SETTINGS,
  type SettingSpec,
  STUDENT_GEBRUIKERSNAAM,
  settingProblems,
  unknownKeys,
  withDefaults,
} from '../core/settings.js';
import { EXPORT_FIELD_KEYS } from '../core/sources.js';
import { templateFields, weakPasswordTemplate } from '../core/template.js';
import { clip } from '../core/text.js';
import { sameFile, samePath } from '../io/atomic-file.js';
import { readRegularFile } from '../io/input.js';
import { programCommand, shellQuote } from '../ui/command-line.js';

export const CONFIG_FILE = 'numo-prep.config.json';

/**
 * A path the admin typed, made absolute against the folder numo-prep works in (TerminalIo.cwd), not the process's:
 * main() runs in-process in tests, which never change folder. A trailing / or \ stays, as it says "a folder"
 * (refuseFolderName). On macOS and Linux a `..` goes up from where a link leads (link/../x is beside the link's
 * target), as the shell and ls take it; path.resolve only drops the link's name, which named another file (shred
 * removed it). So there the folder part of a path with `..` is resolved on disk; Windows itself drops the name.
 */
export function typedPathIn(cwd: string, typed: string, platform: NodeJS.Platform = process.platform): string {
  const trailing = /[\\/]$/.test(typed) ? sep : '';
  let abs = resolve(cwd, typed);
  if (platform !== 'win32' && typed.split('/').includes('..')) {
    // The longest leading part that exists, resolved on disk. What follows it does not exist: with a `..` in it the
    // path names nothing (as for the shell), so it is kept as typed and the run says "niet gevonden".
    const rest: string[] = [];
    for (let head = typed.startsWith('/') ? typed : `${cwd}/${typed}`; head !== dirname(head); head = dirname(head)) {
      rest.unshift(basename(head));
      const real = realpathOrUndefined(dirname(head));
      if (real === undefined) continue;
      abs = rest.includes('..') ? [real.replace(/\/$/, ''), ...rest].join('/') : resolve(real, ...rest);
      break;
    }
  }
  return /[\\/]$/.test(abs) ? abs : abs + trailing;
}

/** The folder as the system resolves it: the native call (Node's own realpathSync drops `x/..` first, by its text). */
function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** convert's path flags, each resolved against the working folder (typedPathIn). */
const TYPED_PATH_FLAGS = ['mapping', 'idgebr', 'opleidingen', 'out', 'previous', 'previousReport'] as const;
/** A real config is under 1 kB; this refuses a wrong file (or /dev/zero) before it fills the memory. */
const CONFIG_MAX_BYTES = 1024 * 1024;

type ConfigKey = (typeof CONFIG_KEYS)[number];

/** numo-prep.config.json: this school's choices, kept for next year. Paths are relative to the config file. */
export type Config = { $schema?: string; version: 1 } & Partial<Pick<ConvertSettings, ConfigKey>>;

/**
 * The config file's checks, from SETTINGS (the one declaration of every setting): each key's problems in the
 * order of SETTINGS, then keys numo-prep does not know. Returns the config with its keys in that order and
 * version 1 filled in, or every problem found.
 */
function checkConfig(file: unknown): { config: Config } | { problems: string[] } {
  // [] or "…": valid JSON, but no settings file (the wizard writes one that starts with {).
  if (!isObject(file)) return { problems: ['dit is geen instellingenbestand: het begint niet met { zoals het bestand dat de wizard schrijft'] };
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  if (file.$schema !== undefined) {
    if (typeof file.$schema !== 'string') problems.push(`sleutel '$schema': verwacht tekst`);
    config.$schema = file.$schema;
  }
  if (file.version !== undefined && file.version !== 1) problems.push(`sleutel 'version': toegestaan is 1`);
  config.version = 1;
  for (const key of CONFIG_KEYS) {
    if (file[key] === undefined) continue;
    // A list written as the flag takes it ("klas": "1A,2*") means the same as ["1A", "2*"].
    const value = SETTINGS[key].kind === 'list' && typeof file[key] === 'string' ? (parseList(file[key] as string) ?? []) : file[key];
    settingProblems(SETTINGS[key], value, key, problems);
    config[key] = value;
  }
  const known: readonly string[] = ['$schema', 'version', ...CONFIG_KEYS];
  const unknown = Object.keys(file).filter((k) => !known.includes(k));
  if (unknown.length) problems.push(unknownKeys('', unknown, ['version', ...CONFIG_KEYS]));
  if (problems.length > MAX_NAMED) problems.splice(MAX_NAMED, problems.length, `en nog ${problems.length - MAX_NAMED} andere problemen`);
  return problems.length ? { problems } : { config: config as Config };
}

/**
 * Where JSON.parse stopped, as line and column — never its message: V8 quotes the text around the error, and a
 * file that is no config (an export picked by mistake) would put a student's name in the message.
 */
function jsonErrorPlace(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return /end of JSON input/.test(message) ? (text.trim() ? ' (het bestand houdt halverwege op)' : ' (het bestand is leeg)') : '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return ` (regel ${line}, kolom ${before.length - before.lastIndexOf('\n')})`;
}

/**
 * A key that one object of the (valid) JSON text holds twice, as the message names it; undefined when none. JSON.parse
 * keeps the last of two: a line pasted below instead of edited ("mapping", or a second "columns") would drop the
 * admin's earlier choice without a word. Only setting names are shown: a file picked by mistake may have anything
 * as a key.
 */
function repeatedKey(text: string): string | undefined {
  // Per open object its keys so far, per open array null; and the top-level key each nested object is under.
  const open: (Set<string> | null)[] = [];
  let under = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') open.push(new Set());
    else if (c === '[') open.push(null);
    else if (c === '}' || c === ']') open.pop();
    else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const keys = open.at(-1);
      let next = i + 1;
      while (' \t\r\n'.includes(text[next] ?? '.')) next++;
      if (!keys || text[next] !== ':') continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (open.length === 1) under = key;
      if (keys.has(key)) {
        const known = (k: string) => (['$schema', 'version', ...CONFIG_KEYS] as string[]).includes(k);
        if (open.length === 2 && under === 'columns' && (EXPORT_FIELD_KEYS as readonly string[]).includes(key)) return `sleutel 'columns.${key}'`;
        if (open.length > 1) return known(under) ? `binnen sleutel '${under}' een sleutel` : 'een sleutel';
        return known(key) ? `sleutel '${key}'` : 'een sleutel';
      }
      keys.add(key);
    }
  }
  return undefined;
}

export interface LoadedConfig {
  config: Config;
  /** Paths that lead out of the config's folder, resolved, to show the admin. */
  outside: { key: string; path: string }[];
}

/** A config's text: UTF-8, without the BOM that Windows Notepad (before 2019) writes in front. */
export const configTextOf = (bytes: Buffer): string => bytes.toString('utf8').replace(/^\uFEFF/, '');

/**
 * The text of a config to use, which must be UTF-8 (as the wizard writes it): saved as ANSI by an older Notepad, a
 * password template "Wachtwörd{random8}" became "Wachtw�rd…" in every password; saved as "Unicode" it was only
 * "geen geldige JSON".
 */
function configTextIn(name: string, bytes: Buffer): string {
  const resave = 'Sla het op als UTF-8 (Kladblok: Opslaan als > Codering UTF-8), of maak het opnieuw met numo-prep wizard.';
  // A workbook (the mapping, the export) given as --config: a zip, whose NULs looked like UTF-16.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw new UserError(
      `${name} is een Excel-werkmap (of ander zip-bestand), geen instellingenbestand (.json) van numo-prep. Een mapping geef je met --mapping; het instellingenbestand maakt numo-prep wizard.`,
    );
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.subarray(0, 64).includes(0)) {
    throw new UserError(`${name} is opgeslagen als Unicode (UTF-16), niet als UTF-8. ${resave}`);
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${name} is niet als UTF-8 opgeslagen (ANSI?): een letter als ö of é zou verkeerd gelezen worden. ${resave}`);
  }
  return configTextOf(bytes);
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, CONFIG_MAX_BYTES, () => `${basename(path)} is groter dan 1 MiB: dat is geen instellingenbestand van numo-prep. Kies het juiste bestand.`);
  } catch (err) {
    // The wizard makes this file; a school that made its mapping as a workbook has none.
    if (err instanceof UserError && !existsSync(path))
      throw new UserError(`${err.message} Dat bestand maakt de wizard; zonder: laat --config weg en geef de mapping mee met --mapping <bestand>.`, err.exitCode);
    throw err;
  }
  const text = configTextIn(basename(path), bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // What a hand edit adds that JSON has not (as in other programs' settings files).
    const extra = /^\s*\/[/*]|,\s*[}\]]/m.test(text) ? ' Commentaar (// of /* */) en een komma vóór } of ] mogen er niet in.' : '';
    throw new UserError(`${basename(path)} is geen geldige JSON${jsonErrorPlace(text, (err as Error).message)}.${extra} Herstel het bestand of maak het opnieuw met numo-prep wizard.`);
  }
  const twice = repeatedKey(text);
  if (twice) throw new UserError(`${basename(path)}: ${twice} staat er twee keer in; laat er één staan (anders telt alleen de laatste).`);
  const checked = checkConfig(json);
  if ('problems' in checked) throw new UserError(`${basename(path)}: ${checked.problems.join('; ')}.`);
  const dir = dirname(resolve(path));
  const config = checked.config;
  const paths = config as Record<string, unknown>;
  const outside: { key: string; path: string }[] = [];
  for (const key of PATH_KEYS) {
    const raw = paths[key];
    if (typeof raw !== 'string' || !raw) continue;
    // "uitvoer/" names a folder; resolved, it would become a file named uitvoer (--out refuses it the same way).
    if (/[\\/]$/.test(raw)) throw new UserError(`${basename(path)}: sleutel '${key}': ${raw} is een map; geef een bestandsnaam.`);
    // "-" is the terminal to many tools; as a name it is a file nobody would look for.
    if (raw === '-') throw new UserError(`${basename(path)}: sleutel '${key}': - is geen bestandsnaam; geef een naam die eindigt op .csv.`);
    const abs = configPathFrom(dir, raw);
    const rel = relative(dir, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) outside.push({ key, path: abs });
    paths[key] = abs;
  }
  return { config, outside };
}

/** A path as the config in folder `dir` holds it, resolved. */
export function configPathFrom(dir: string, raw: string): string {
  // Written by the wizard on Windows before it wrote / (mappings\school.csv), read on a Mac or Linux: there a \
  // is part of a name, so a relative path with one is read with / instead.
  const value = sep === '/' && raw.includes('\\') && !isAbsolute(raw) ? raw.replaceAll('\\', '/') : raw;
  // As a typed path: "../mappings/school.csv" in a folder reached through a link is beside the link's target.
  return typedPathIn(dir, value);
}

/**
 * A path as a config in folder `dir` writes it: relative to that folder (so the folder can move as a whole), with /
 * also on Windows (which reads it too: the folder may move to a Mac or a shared drive).
 */
export function configPathText(dir: string, path: string): string {
  return (relative(dir, resolve(path)) || '.').replaceAll(sep, '/');
}

/** Paths written relative to the config's folder, so the folder can move as a whole. */
export function configText(config: Config, configPath: string): string {
  const dir = dirname(resolve(configPath));
  const out: Record<string, unknown> = { version: 1 };
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined || k === 'version') continue;
    out[k] = (PATH_KEYS as readonly string[]).includes(k) ? configPathText(dir, v as string) : v;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * The config's list of Numo's codes is gone (often the inleesbestand, deleted after the import as the AVG asks):
 * the run goes on without it, and says what that means.
 */
export function goneListNotice(configPath: string, path: string): string {
  return `De lijst met Numo-opleidingen uit ${basename(configPath)} (${path}) is er niet meer: nieuwe Studies krijgen geen suggesties en codes worden alleen op vorm gecontroleerd. Geef de lijst mee met --opleidingen <bestand> (tabblad Opleidingen van het inleesbestand).`;
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
  bron?: ConvertSettings['bron'];
  stamnrCijfers?: number;
  klas?: string[];
  studie?: string[];
  /** false with --no-sso. */
  sso?: boolean;
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
export async function discoverConfig(exportPath: string, cwd: string): Promise<string | undefined> {
  const found = [join(cwd, CONFIG_FILE), join(dirname(resolve(exportPath)), CONFIG_FILE)].filter((p) => existsSync(p));
  // Two schools' (or locations') folders, each with its settings: run from one on the other's export, the first
  // would map the second's students with the wrong mapping and codes, without a word. Which one is meant, the
  // admin says.
  // One file by identity, not by its path's spelling: `c:\school` beside `C:\School` (or NFD beside NFC on a Mac) is
  // one folder there, and realpathSync keeps the spelling it was given.
  if (found.length === 2 && !(await sameFile(found[0]!, found[1]!))) {
    throw new UserError(
      `Er zijn twee instellingenbestanden: ${found[0]} (de map waarin je werkt) en ${found[1]} (naast de export). Kies er een met --config ${shellQuote(found[1]!)}, of draai vanuit de map van de export.`,
    );
  }
  return found[0];
}

/**
 * The config that names `mapping`, in the mapping's folder or the one above (mappings/school.csv): the school's
 * settings, which a run with only --mapping from another folder would silently leave out (another gebruikersnaam and
 * password for everyone). A config that cannot be read there says nothing about this one.
 */
export async function configOfMapping(mapping: string): Promise<string | undefined> {
  const dir = dirname(resolve(mapping));
  for (const candidate of new Set([join(dir, CONFIG_FILE), join(dirname(dir), CONFIG_FILE)])) {
    if (!existsSync(candidate)) continue;
    const named = await loadConfig(candidate).then(
      ({ config }) => config.mapping,
      () => undefined,
    );
    if (named && (await sameFile(named, mapping))) return candidate;
  }
  return undefined;
}

/** The refusal for a mapping used without the config that names it (configOfMapping), with the way on. */
export function mappingWithoutItsConfig(shown: string, owner: string, wayOn: string): UserError {
  return new UserError(
    `${shown} hoort bij ${owner}, met de instellingen van die school (gebruikersnaam, wachtwoorden, filters); zonder die instellingen krijgt iedereen misschien een andere gebruikersnaam dan vorig jaar. ${wayOn}`,
  );
}

/** What a config beside the export does that needs the admin's yes; only settings no flag overrides count. */
function configRisks(config: Partial<ConvertSettingsInput>, outside: { key: string; path: string }[], fromFlags: Record<string, unknown>): string[] {
  const risks = outside.filter((o) => fromFlags[o.key] === undefined).map((o) => `stuurt ${o.key} naar ${o.path}, buiten die map`);
  const password = fromFlags.password ?? config.password;
  const template = (fromFlags.passwordTemplate ?? config.passwordTemplate) as string | undefined;
  if (password === 'template' && template && fromFlags.passwordTemplate === undefined && weakPasswordTemplate(template)) {
    risks.push('maakt raadbare wachtwoorden (passwordTemplate met minder dan 4 willekeurige tekens; {random4} is genoeg)');
  }
  return risks;
}

/** Whether an option chooses what the config does: a list in any order and case, a path by the file it reaches. */
function sameSetting(kind: string, a: unknown, b: unknown): boolean {
  if (kind === 'list' && Array.isArray(a) && Array.isArray(b)) {
    const key = (l: unknown[]) => JSON.stringify(l.map((v) => String(v).toLowerCase()).sort());
    return key(a) === key(b);
  }
  if (kind === 'path' && typeof a === 'string' && typeof b === 'string') return samePath(realpathOrUndefined(a) ?? a, realpathOrUndefined(b) ?? b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The option of a config key, as typed (passwordLength → --password-length); `off`: the negated boolean (--no-sso). */
const flagOf = (key: string, off = false) => `--${off ? 'no-' : ''}${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function expectedValue(spec: SettingSpec): string {
  switch (spec.kind) {
    case 'int':
      return `een geheel getal van ${spec.min} tot en met ${spec.max}`;
    case 'choice':
      return spec.choices.join(', ');
    case 'list':
      return 'een lijst, bijvoorbeeld 1A,2*';
    case 'boolean':
      return 'true of false';
    default:
      return 'een niet-lege waarde';
  }
}

/** Config first, then flags on top: what the admin types today wins over last year's file. */
export interface SettingsContext {
  cwd: string;
  /** A line for the admin: 'info' is left out with --quiet, 'warning' never. */
  notice: (line: string, level: 'info' | 'warning') => void;
  /** Asks the admin; absent with --yes, --json or without a terminal. */
  confirm?: (question: string) => Promise<boolean>;
  /**
   * For the mapping workbook, which holds Studies and codes only: a --mapping whose school config is elsewhere is
   * no reason to stop (configOfMapping).
   */
  codesOnly?: boolean;
}

export async function convertSettingsFrom(typedExport: string, typedFlags: ConvertFlags, o: SettingsContext): Promise<ConvertSettings> {
  const exportPath = typedPathIn(o.cwd, typedExport);
  const flags: ConvertFlags = { ...typedFlags, ...(typeof typedFlags.config === 'string' ? { config: typedPathIn(o.cwd, typedFlags.config) } : {}) };
  for (const key of TYPED_PATH_FLAGS) if (typedFlags[key] !== undefined) flags[key] = typedPathIn(o.cwd, typedFlags[key]);
  let base: Partial<ConvertSettingsInput> = {};
  const configPath = flags.config ?? (flags.config === false ? undefined : await discoverConfig(exportPath, o.cwd));
  const owner = configPath === undefined && flags.config !== false && flags.mapping && !o.codesOnly ? await configOfMapping(flags.mapping) : undefined;
  if (owner) throw mappingWithoutItsConfig(flags.mapping!, owner, `Geef ze mee met --config ${shellQuote(owner)}, of werk bewust zonder: --no-config.`);
  const fromFlags: Record<string, unknown> = { ...flags, klas: parseList(flags.klas), studie: parseList(flags.studie) };
  if (configPath) {
    if (!flags.config) o.notice(`Instellingen uit ${configPath} (andere instellingen: --config <bestand>, geen: --no-config).`, 'info');
    const { config, outside } = await loadConfig(configPath);
    const { $schema: _schema, version: _version, ...rest } = config;
    base = rest;
    // A config found beside the export (a shared drive) was put there by whoever can write that folder, not
    // necessarily the admin: it may not send files elsewhere or weaken passwords unless the admin says so.
    const beside = !flags.config && resolve(dirname(configPath)) !== resolve(o.cwd);
    const risks = beside ? configRisks(rest, outside, fromFlags) : [];
    if (risks.length) {
      const question = `${configPath} staat naast de export en ${risks.join('; ')}.`;
      if (!o.confirm) {
        throw new UserError(`${question} Dat gebeurt niet zonder bevestiging. Vertrouw je het bestand, geef het dan zelf op: --config ${shellQuote(configPath)}; anders --no-config.`);
      }
      if (!(await o.confirm(`${question} Toch gebruiken?`))) throw new UserError(`Afgebroken. ${NOTHING_WRITTEN}`);
    } else for (const line of outside) o.notice(`Let op: pad buiten de map van ${configPath}: ${line.key}: ${line.path}`, 'warning');
  }
  const input: Record<string, unknown> = { ...base };
  for (const key of Object.keys(SETTINGS)) if (fromFlags[key] !== undefined) input[key] = fromFlags[key];
  // --klas '' (or --studie ''): all klassen this time, whatever the config's filter says. Only '' says that: --klas ','
  // or ' ' (a typo) would silently widen the run to the whole school.
  for (const key of ['klas', 'studie'] as const) {
    if (flags[key] === undefined || fromFlags[key] !== undefined) continue;
    if (flags[key].some((v) => v !== ''))
      throw new UserError(`--${key} '${clip(flags[key].join(','), 20)}' noemt geen ${key}. Geef bijvoorbeeld --${key} '${key === 'klas' ? '1*' : '2 havo'}', of --${key} '' voor alle.`);
    delete input[key];
  }
  // An option beats the config, as documented; said when it chooses otherwise, so that a run with other settings than
  // last year's is never a surprise (--klas '' widens the run to the whole school).
  if (configPath) {
    const overridden: string[] = [];
    for (const [key, value] of Object.entries(base)) {
      if (!(key in SETTINGS)) continue;
      if ((key === 'klas' || key === 'studie') && flags[key] !== undefined && fromFlags[key] === undefined) overridden.push(`--${key} ''`);
      else if (fromFlags[key] !== undefined && !sameSetting(SETTINGS[key as keyof typeof SETTINGS].kind, fromFlags[key], value)) overridden.push(flagOf(key, fromFlags[key] === false));
    }
    if (overridden.length) o.notice(`${overridden.join(', ')} ${overridden.length === 1 ? 'gaat' : 'gaan'} deze keer voor op ${basename(configPath)}.`, 'info');
  }
  // A gebruikersnaam template in the config was made for students unless the config says it is for staff.
  if (input.rol === 'docent' && base.gebruikersnaam && base.rol !== 'docent' && flags.gebruikersnaam === undefined) {
    o.notice(`De gebruikersnaam uit ${configPath} (${base.gebruikersnaam}) is voor leerlingen; docenten krijgen hun login of code (anders: --gebruikersnaam).`, 'warning');
    delete input.gebruikersnaam;
  }
  // And the other way round: a staff folder's config ({login}) run with --rol leerling.
  if (input.rol === 'leerling' && base.gebruikersnaam && base.rol === 'docent' && flags.gebruikersnaam === undefined) {
    o.notice(`De gebruikersnaam uit ${configPath} (${base.gebruikersnaam}) is voor docenten; leerlingen krijgen hun Stamnr (anders: --gebruikersnaam).`, 'warning');
    delete input.gebruikersnaam;
  }
  // --no-sso: this time without SSO, so without the config's IDGebr file too.
  if (flags.sso === false && base.idgebr && flags.idgebr === undefined) {
    o.notice(`Zonder SSO (--no-sso): het IDGebr-bestand uit ${configPath} wordt niet gebruikt.`, 'info');
    delete input.idgebr;
  }
  // So is its klas or studie filter: staff have neither, and the filter would leave nobody.
  for (const key of ['klas', 'studie'] as const) {
    if (input.rol === 'docent' && base[key] && base.rol !== 'docent' && flags[key] === undefined) {
      o.notice(`Het ${key}filter uit ${configPath} is voor leerlingen en wordt bij docenten niet gebruikt.`, 'warning');
      delete input[key];
    }
  }
  // So is its IDGebr file: joined to a staff list by number, a teacher would get the SSO identity of the student
  // with the same number.
  if (input.rol === 'docent' && base.idgebr && base.rol !== 'docent' && flags.idgebr === undefined) {
    o.notice(`Het IDGebr-bestand uit ${configPath} (${base.idgebr}) is voor leerlingen en wordt bij docenten niet gebruikt (anders: --idgebr).`, 'warning');
    delete input.idgebr;
  }
  // An input file the config names that is gone (the folder was cleaned up after last year's import, as the AVG
  // asks): said with the key it came from. Numo's list of codes only helps, so the run goes on without it.
  if (configPath) {
    for (const key of ['mapping', 'idgebr', 'opleidingen'] as const) {
      const path = input[key];
      if (typeof path !== 'string' || fromFlags[key] !== undefined || existsSync(path)) continue;
      // Staff have no Studies: a students' mapping or code list that is gone is not missed.
      if (key !== 'idgebr' && input.rol === 'docent') delete input[key];
      else if (key === 'opleidingen') {
        o.notice(goneListNotice(configPath, path), 'warning');
        delete input.opleidingen;
      } else {
        throw new UserError(
          `${basename(configPath)} noemt bij '${key}' het bestand ${path}, maar dat is er niet. Zet het terug, of geef een ander op met ${flagOf(key)} (of verbeter '${key}' in ${basename(configPath)}).`,
        );
      }
    }
  }
  input.export = exportPath;
  input.cwd = o.cwd;
  if (configPath) {
    // A mapping, IDGebr file or list that is the config itself was read as that file: "een opleidingscode die geen code
    // kan zijn (rij 1)" sent the admin to a file that holds no codes.
    for (const [key, what] of [
      ['mapping', 'de mapping (Studie en code, .csv of .xlsx)'],
      ['idgebr', 'het IDGebr-bestand'],
      ['opleidingen', 'de lijst met opleidingscodes'],
    ] as const) {
      const path = input[key];
      if (typeof path !== 'string' || !(await sameFile(path, configPath))) continue;
      throw new UserError(
        fromFlags[key] !== undefined
          ? `${flagOf(key)} noemt het configbestand zelf (${path}). Geef met ${flagOf(key)} ${what}.`
          : `'${key}' in ${basename(configPath)} noemt het configbestand zelf (${path}). Noem daar ${what}.`,
      );
    }
    input.config = configPath;
    input.fromConfig = Object.keys(base).filter((k) => fromFlags[k] === undefined && input[k] !== undefined);
  }
  const r = withDefaults(input as unknown as ConvertSettingsInput);
  if ('invalid' in r) {
    const spec: SettingSpec | undefined = (SETTINGS as Record<string, SettingSpec>)[r.invalid];
    const want = spec ? ` Verwacht: ${expectedValue(spec)}.` : '';
    // Name it as the admin typed it: the flag, or the key in the config file.
    throw new UserError(
      fromFlags[r.invalid] !== undefined || !configPath
        ? `Ongeldige waarde voor ${flagOf(r.invalid)}.${want} Zie ${programCommand()} convert --help.`
        : `${basename(configPath)}: ongeldige waarde voor sleutel '${r.invalid}'.${want}`,
    );
  }
  const s = r.settings;
  // Bounded: the filter costs rows × patterns × their length (a config under 1 MiB can hold 100,000 of them).
  for (const key of ['klas', 'studie'] as const) {
    const list = s[key] ?? [];
    const too =
      list.length > LIMITS.filterPatterns
        ? `meer dan ${formatNumber(LIMITS.filterPatterns)} waarden`
        : list.some((p) => p.length > LIMITS.fieldChars)
          ? `een waarde langer dan ${LIMITS.fieldChars} tekens`
          : undefined;
    if (too)
      throw new UserError(
        `${fromFlags[key] !== undefined || !configPath ? flagOf(key) : `${basename(configPath)}: sleutel '${key}'`}: ${too}. Geef een kortere lijst (jokers zoals 1* tellen als één).`,
      );
  }
  if (s.keepPasswords && !s.previous) throw new UserError('--keep-passwords werkt alleen samen met --previous <Numo-CSV van vorig jaar>.');
  if (s.previousReport && !s.previous) throw new UserError('--previous-report werkt alleen samen met --previous <Numo-CSV van vorig jaar>.');
  // A password flag the chosen policy ignores would pass without effect: say so (the config may hold either).
  if (fromFlags.passwordTemplate !== undefined && s.password !== 'template') {
    throw new UserError(`--password-template werkt alleen met --password template (nu: ${s.password}).`);
  }
  if (fromFlags.passwordLength !== undefined && s.password !== 'random') {
    throw new UserError(`--password-length werkt alleen met --password random (nu: ${s.password}).`);
  }
  // The same in the config, unless a --password flag overrides what it says.
  if (configPath && fromFlags.password === undefined) {
    const alone =
      base.passwordTemplate !== undefined && s.password !== 'template'
        ? ['passwordTemplate', 'template']
        : base.passwordLength !== undefined && s.password !== 'random'
          ? ['passwordLength', 'random']
          : undefined;
    if (alone)
      throw new UserError(`${basename(configPath)}: sleutel '${alone[0]}' werkt alleen met "password": "${alone[1]}" (nu: ${s.password}). Zet "password" op "${alone[1]}", of haal '${alone[0]}' weg.`);
  }
  // Flags that would do nothing in this run: said, as for the password flags above.
  if (s.rol === 'docent') {
    // A filter would leave nobody, or (dropped) widen the run: refused. A mapping is only unused.
    const filter = (['klas', 'studie'] as const).find((k) => s[k]?.length);
    if (filter) {
      throw new UserError(
        fromFlags[filter] !== undefined || !configPath
          ? `${flagOf(filter)} werkt niet bij docenten: een personeelslijst heeft geen klas of Studie. Laat ${flagOf(filter)} weg.`
          : `${basename(configPath)}: sleutel '${filter}' werkt niet bij docenten: een personeelslijst heeft geen klas of Studie. Haal de sleutel weg.`,
      );
    }
    for (const k of ['mapping', 'opleidingen'] as const) if (fromFlags[k] !== undefined) o.notice(`${flagOf(k)} wordt bij docenten niet gebruikt: een personeelslijst heeft geen Studie.`, 'warning');
  }
  if (flags.stamnrCijfers !== undefined) {
    const username = s.gebruikersnaam ?? (s.rol === 'leerling' ? STUDENT_GEBRUIKERSNAAM : '');
    const usesStamnr = (t: string | undefined) => templateFields(t ?? '').includes('stamnr');
    if (!usesStamnr(username) && !(s.password === 'template' && usesStamnr(s.passwordTemplate))) {
      throw new UserError(`--stamnr-cijfers werkt alleen met {stamnr} in de gebruikersnaam of het wachtwoordsjabloon (nu: ${username || 'login of code'}). Laat --stamnr-cijfers weg.`);
    }
  }
  if (flags.sso === false && fromFlags.idgebr !== undefined) throw new UserError('--no-sso en --idgebr spreken elkaar tegen: met een IDGebr-bestand krijgt het Numo-bestand SSO. Kies er één.');
  return s;
}
