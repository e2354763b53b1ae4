import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../src/cli.js';
import type { RawRow } from '../src/core/raw-row.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'numo-prep.js');
export const fixture = (name: string) => join(ROOT, 'fixtures', name);
export const MAPPING = join(ROOT, 'mappings', 'voorbeeld.csv');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Where numo-prep runs (config discovery, the wizard's folder, relative paths); ROOT by default. */
  cwd?: string;
  /** On top of process.env, with NO_COLOR=1. */
  env?: NodeJS.ProcessEnv;
  /** What stdin holds. */
  input?: string;
  /** Child process only: killed after this long. */
  timeoutMs?: number;
}

/**
 * numo-prep as the admin runs it, in-process: main() with collected stdout/stderr and no terminal. Relative paths
 * in `args` resolve against `cwd` (the process changes folder for the call; vitest runs each file in its own
 * process, and the calls of one file one after another).
 */
export async function runCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const cwd = resolve(o.cwd ?? ROOT);
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(['node', 'numo-prep', ...args], {
      stdout,
      stderr,
      stdin: Readable.from([o.input ?? '']),
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      isTTY: false,
    });
    return { code, stdout: out, stderr: err };
  } finally {
    process.chdir(before);
  }
}

/** numo-prep as a child process of the built bin: only for signals, pipes and the installed command. */
export function spawnCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}

export function tempDir(prefix = 'numo-prep-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const listDir = (dir: string) => readdirSync(dir).sort();

export async function* rowsOf(rows: (string | number)[][], firstRow = 2): AsyncGenerator<RawRow> {
  let n = firstRow;
  for (const cells of rows) yield { row: n++, cells: cells.map(String) };
}

/** No stack trace may ever reach the admin. */
export function expectNoStack(r: CliResult): void {
  const all = r.stdout + r.stderr;
  if (/\n\s+at .+:\d+:\d+/.test(all) || /TypeError|ReferenceError|node:internal/.test(all)) throw new Error(`stack trace in output:\n${all}`);
}
