import { UserError } from './errors.js';
import { LIMITS } from './limits.js';
import type { Student } from './schema.js';

/** Fields of a student a template may use, all public within the school. */
const FIELDS = {
  stamnr: (s: Student) => s.stamnr,
  voornaam: (s: Student) => s.roepnaam,
  roepnaam: (s: Student) => s.roepnaam,
  tussenvoegsel: (s: Student) => s.tussenvoegsel,
  achternaam: (s: Student) => s.achternaam,
  klas: (s: Student) => s.klas,
  idgebr: (s: Student) => s.idgebr,
  email: (s: Student) => s.email,
  login: (s: Student) => s.login,
  code: (s: Student) => s.code,
} as const;

/** Readable for 12-year-olds: no 0/O, 1/l/I look-alikes. */
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALPHABET = LOWER + UPPER + DIGITS;
const ALPHABET_CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** Fills a buffer with cryptographically strong random bytes (node:crypto's randomFillSync at the edge). */
export type RandomFill = (buf: Uint8Array) => void;

/**
 * Uniform random characters from an injected byte source. Bytes are drawn in blocks; per-character calls were the
 * slowest part of a 100k run.
 */
export class RandomChars {
  private readonly pool = Buffer.alloc(4096);
  private pos = this.pool.length;

  constructor(private readonly fill: RandomFill) {}

  /** Uniform integer below n (n <= 256), by rejection sampling so no character is more likely than another. */
  below(n: number): number {
    const limit = 256 - (256 % n);
    for (;;) {
      if (this.pos >= this.pool.length) {
        this.fill(this.pool);
        this.pos = 0;
      }
      const b = this.pool[this.pos++]!;
      if (b < limit) return b % n;
    }
  }
}

/**
 * A random password with at least one lower case letter, one capital and one digit: every character drawn from the
 * whole alphabet, and a draw without all three drawn again. So every such password is equally likely, and it takes
 * fewer random bytes (and less time at 100,000 rows) than placing one of each and shuffling.
 */
export function randomPassword(length: number, rng: RandomChars): string {
  // Three kinds need three characters; fewer would never end.
  if (length < 3) throw new RangeError(`randomPassword: length ${length} < 3`);
  // Character codes, made into a string once: adding characters one by one makes a string per character.
  const codes: number[] = new Array(length);
  for (;;) {
    let kinds = 0;
    for (let i = 0; i < length; i++) {
      const k = rng.below(ALPHABET.length);
      codes[i] = ALPHABET_CODES[k]!;
      kinds |= k < LOWER.length ? 1 : k < LOWER.length + UPPER.length ? 2 : 4;
    }
    if (kinds === 7) return String.fromCharCode(...codes);
  }
}

type Part = string | ((s: Student) => string);

export interface Template {
  source: string;
  parts: Part[];
  /** Placeholders that use data others can know (Stamnr, names, klas …). */
  publicFields: string[];
  /** How many random characters ({randomN}) each value gets: the part nobody else knows. */
  randomChars: number;
}

/**
 * The first field of the template that is empty for this student, other than the tussenvoegsel (most people have
 * none): `ll{login}` with no login gives "ll", a gebruikersnaam nobody's login is, and the same for every such row.
 */
export function emptyField(t: Template, s: Student): string | undefined {
  for (const name of t.publicFields) if (name !== 'tussenvoegsel' && !FIELDS[name as keyof typeof FIELDS](s)) return name;
  return undefined;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The field names a template's placeholders name, as compileTemplate reads them (' Stamnr ' is stamnr). */
export const templateFields = (source: string): string[] => [...source.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim().toLowerCase());
/** The most random characters one {randomN} gives: no password needs more. */
const MAX_RANDOM_CHARS = 64;

/**
 * Compiles '{stamnr}', 'll{stamnr}', 'Welkom{random4}' …; an unknown placeholder is a usage error named after
 * `option` (the caller's name for the setting). {randomN} is allowed only when a random source is given.
 */
export function compileTemplate(source: string, option: string, rng?: RandomChars): Template {
  const parts: Part[] = [];
  const publicFields: string[] = [];
  let randomChars = 0;
  let last = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    parts.push(source.slice(last, m.index));
    last = m.index! + m[0].length;
    const name = m[1]!.trim().toLowerCase();
    const random = /^random(\d*)$/.exec(name);
    if (random && rng) {
      const n = Number(random[1] || 4);
      if (n < 1 || n > MAX_RANDOM_CHARS) throw new UserError(`${option}: {${m[1]}} kan niet; kies 1 tot ${MAX_RANDOM_CHARS} willekeurige tekens, zoals {random4}.`);
      randomChars += n;
      parts.push(() => randomPassword(Math.max(3, n), rng).slice(0, n));
    } else if (Object.hasOwn(FIELDS, name)) {
      // hasOwn, not `in`: {constructor} or {__proto__} would reach Object.prototype.
      parts.push(FIELDS[name as keyof typeof FIELDS]);
      publicFields.push(name);
    } else {
      const allowed = [...Object.keys(FIELDS), ...(rng ? ['random4'] : [])].map((f) => `{${f}}`).join(', ');
      throw new UserError(`${option}: onbekend veld {${m[1]}}. Toegestaan: ${allowed}.`);
    }
  }
  parts.push(source.slice(last));
  return { source, parts: parts.filter((p) => p !== ''), publicFields, randomChars };
}

/**
 * Template text that would give every row a value nobody chose: a { or } outside a field, a space around it (a login has none, and a
 * password with one is not what the admin typed at the prompt); for a gebruikersnaam also a space inside it, no
 * field at all (everyone the same name), or a start Excel reads as a formula (a ' would go before every login).
 * A password that starts so is written as it is, with a warning per row (RowValidator).
 */
export function templateShapeProblem(source: string, kind: 'gebruikersnaam' | 'wachtwoord'): string | undefined {
  // ll{stamnr}}, {{stamnr}}, Welkom{random4: a typo, which would otherwise be a { or } in every login or password.
  if (/[{}]/.test(source.replace(PLACEHOLDER, ''))) return 'heeft een { of } zonder veld: een veld staat tussen één { en één }, zoals {stamnr}';
  if (source !== source.trim()) return 'begint of eindigt met een spatie';
  // Every value would be longer than Numo takes (and each row would hold a copy).
  if (source.length > LIMITS.fieldChars) return `is langer dan ${LIMITS.fieldChars} tekens`;
  if (kind === 'wachtwoord') return undefined;
  if (/\s/.test(source.replace(PLACEHOLDER, ''))) return 'bevat een spatie, en een gebruikersnaam (een login) heeft die niet';
  if (!/\{[^{}]+\}/.test(source)) return 'heeft geen veld zoals {stamnr}, dus iedereen zou dezelfde gebruikersnaam krijgen';
  if (/^[=+\-@]/.test(source)) return "begint met = + - of @; zo begint geen login (in de CSV kwam er een ' voor)";
  return undefined;
}

/**
 * Random characters a password needs, besides any text or fields: with fewer, others can guess it (from fields
 * classmates know, or one of the few values). Known data next to four or more ({stamnr}{random4}) is as strong as
 * Welkom{random4}. The one rule of convert's warnings (policyWarnings) and of a config found beside the export.
 */
export const MIN_RANDOM_CHARS = 4;

/** A password template others can guess (MIN_RANDOM_CHARS), from its text: a config is judged before compiling. */
export function weakPasswordTemplate(source: string): boolean {
  let random = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    const r = /^random(\d*)$/.exec(m[1]!.trim().toLowerCase());
    if (r) random += Math.min(MAX_RANDOM_CHARS, Math.max(1, Number(r[1] || 4)));
  }
  return random < MIN_RANDOM_CHARS;
}

/** Runs for every row (gebruikersnaam, password): no array per call. */
export function renderTemplate(t: Template, s: Student): string {
  let out = '';
  for (const p of t.parts) out += typeof p === 'string' ? p : p(s);
  return out;
}
