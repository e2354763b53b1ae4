import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

export function runCli(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
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
