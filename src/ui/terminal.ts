import type { ChalkInstance } from 'chalk';
import { UserError } from '../core/errors.js';

export interface Ui {
  color: ChalkInstance;
  quiet: boolean;
  json: boolean;
  out(line?: string): void;
  err(line?: string): void;
  spinner(text: string): { succeed(text?: string): void; stop(): void; text: string };
}

/** An output stream as the CLI sees it: process.stdout in real use, a string collector in tests. */
export type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * Everything the CLI touches of its process, injected so main() runs in-process in tests. `cwd` is the folder the
 * admin works in: typed paths are resolved against it (typedPathIn), numo-prep looks there for its config file, and
 * the wizard works there.
 */
export interface TerminalIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdin and stdout are both terminals: numo-prep may ask questions. */
  isTTY: boolean;
  /**
   * Told the size of a command's work before it starts. The real process tunes V8 to it (adaptV8ToWork, given
   * by bin/numo-prep.js and the .exe); tests leave it out, so a test worker's V8 stays as it is.
   */
  adaptToWork?: (bytes: number) => void;
}

/**
 * Text from a file (a sheet name, a part name, a header) as the terminal may show it: control characters (escape
 * sequences that clear the screen or set the title, a line break that fakes a line of numo-prep) become \uFFFD.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/**
 * The real process, with `overrides` (tests) on top. stdin and isTTY are read on first use: creating process.stdin
 * loads Node's stream code for a pipe, a file or a terminal, which `--help` and most runs never need (start-up,
 * docs/PERFORMANCE.md).
 */
export function processIo(overrides: Partial<TerminalIo> = {}): TerminalIo {
  const io: TerminalIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    // Read where a command needs it: a folder removed under the terminal (cd'd into, then deleted in Finder or
    // Explorer) makes process.cwd() throw, which --help need not meet and a command says in Dutch.
    get cwd() {
      try {
        return process.cwd();
      } catch {
        throw new UserError('De map waarin je werkt, bestaat niet meer (verwijderd of verplaatst?). Ga met cd naar een bestaande map en probeer opnieuw.');
      }
    },
    env: process.env,
    get stdin() {
      return process.stdin;
    },
    // stdout first: when it is no terminal (a pipe, a file), stdin is never created.
    get isTTY() {
      return Boolean(process.stdout.isTTY && process.stdin.isTTY);
    },
  };
  for (const [key, value] of Object.entries(overrides)) Object.defineProperty(io, key, { value, writable: true, configurable: true, enumerable: true });
  return io;
}

export interface UiOptions {
  quiet?: boolean;
  json?: boolean;
  stdout?: OutStream;
  stderr?: OutStream;
  env?: NodeJS.ProcessEnv;
}

/** Colours honour NO_COLOR and FORCE_COLOR; no spinner without a TTY, with --json or --quiet. */
export async function createUi(o: UiOptions = {}): Promise<Ui> {
  const { Chalk } = await import('chalk');
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const env = o.env ?? process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '' && !env.FORCE_COLOR;
  // chalk decides the default level from the real process; FORCE_COLOR in an injected env is honoured here.
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const color = noColor ? new Chalk({ level: 0 }) : forced ? new Chalk({ level: Math.min(3, Math.max(1, Number(env.FORCE_COLOR) || 1)) as 1 | 2 | 3 }) : new Chalk();
  // A terminal that reports 0 (or very few) columns makes ora's line count Infinity: it would clear lines for
  // ever. Such a terminal gets no spinner, like a pipe.
  const columns = stderr.columns;
  const interactive = Boolean(stderr.isTTY) && columns !== undefined && Number.isFinite(columns) && columns >= 20 && !o.json && !o.quiet && env.CI === undefined;
  const ora = interactive ? (await import('ora')).default : undefined;
  const ui: Ui = {
    color,
    quiet: Boolean(o.quiet),
    json: Boolean(o.json),
    out: (line = '') => {
      if (!o.json && !o.quiet) stdout.write(`${line}\n`);
    },
    err: (line = '') => {
      if (!o.json) stderr.write(`${line}\n`);
    },
    spinner: (text) => {
      if (!ora) return { succeed() {}, stop() {}, text };
      // ora colours with its own chalk, which does not know NO_COLOR: the frame and the ✔ get this Ui's colours.
      const spinner = ora({ text, stream: stderr as NodeJS.WriteStream, discardStdin: false, color: color.level > 0 ? 'cyan' : false }).start();
      return Object.assign(spinner, { succeed: (done?: string) => spinner.stopAndPersist({ symbol: color.green('✔'), ...(done !== undefined ? { text: done } : {}) }) });
    },
  };
  return ui;
}
