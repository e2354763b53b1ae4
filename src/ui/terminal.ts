import type { ChalkInstance } from 'chalk';

export interface Ui {
  color: ChalkInstance;
  quiet: boolean;
  json: boolean;
  out(line?: string): void;
  err(line?: string): void;
  spinner(text: string): { succeed(text?: string): void; stop(): void; text: string };
}

export interface UiOptions {
  quiet?: boolean;
  json?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** Colours honour NO_COLOR and FORCE_COLOR; no spinner without a TTY, with --json or --quiet. */
export async function createUi(o: UiOptions = {}): Promise<Ui> {
  const { Chalk } = await import('chalk');
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '' && !process.env.FORCE_COLOR;
  const color = noColor ? new Chalk({ level: 0 }) : new Chalk();
  // A terminal that reports 0 (or very few) columns makes ora's line count Infinity: it would clear lines for
  // ever. Such a terminal gets no spinner, like a pipe.
  const columns = stderr.columns;
  const interactive = Boolean(stderr.isTTY) && Number.isFinite(columns) && columns >= 20 && !o.json && !o.quiet && process.env.CI === undefined;
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
      return ora({ text, stream: stderr, discardStdin: false }).start();
    },
  };
  return ui;
}
