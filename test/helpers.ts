import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';
import { writeZip } from '../fixtures/zip-writer.js';
import { main } from '../src/cli.js';
import { matchColumns } from '../src/core/columns.js';
import type { Mapping } from '../src/core/mapping.js';
import type { PipelineOptions } from '../src/core/pipeline.js';
import type { RawRow } from '../src/core/raw-row.js';
import { sourceColumns } from '../src/core/sources.js';
import { compileTemplate, RandomChars } from '../src/core/template.js';
import { readZipDirectory } from '../src/io/zip.js';
import { tempDir } from './temp.js';

/** Magister's student headers (all its layouts): the header set most tests read with. */
export const EXPORT_COLUMNS = sourceColumns('magister', 'leerling');

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'numo-prep.js');
export const fixture = (name: string) => join(ROOT, 'fixtures', name);
export const MAPPING = join(ROOT, 'mappings', 'voorbeeld.csv');
/** A file of the generated corpus (test/corpus/). */
export const corpus = (name: string) => join(ROOT, 'test', 'corpus', name);
/** `node --import` hook for spawnCli: announces (and with NUMO_PREP_TEST_HOLD=1 holds) writes to the output. */
export const HOLD_OUTPUT = join(ROOT, 'test', 'hooks', 'hold-output.mjs');

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
  /** What stdin holds (a string is ended after it; a stream is handed over as it is). */
  input?: string | NodeJS.ReadableStream;
  /** In-process only: pretend stdin and stdout are a terminal, so numo-prep may ask (answer through `input`). */
  tty?: boolean;
  /** In-process only: TerminalIo.adaptToWork (the real process tunes V8 there; a test only records it). */
  adaptToWork?: (bytes: number) => void;
  /** Child process only: extra node arguments before the bin (e.g. --import of a test hook). */
  nodeArgs?: string[];
  /** Child process only: killed (SIGKILL) after this long, so a hang fails the test instead of stalling it. */
  timeoutMs?: number;
}

/** A run that takes longer than this is taken for a hang (a run of the whole corpus file takes seconds). */
const HANG_MS = Number(process.env.NUMO_PREP_TEST_HANG_MS ?? 120_000);

let watchdog: Int32Array | undefined;
let runs = 0;

/**
 * A hang inside an in-process run (an endless loop on a fuzzed file) would also stop vitest's own timeout, which
 * runs on the same thread. A watchdog thread ends the test process instead, so the run fails rather than hangs:
 * slot 0 holds the number of the run in progress (0: none).
 */
function watch(): Int32Array {
  if (watchdog) return watchdog;
  const shared = new SharedArrayBuffer(4);
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
    const slot = new Int32Array(workerData);
    for (;;) {
      Atomics.wait(slot, 0, 0);
      const run = Atomics.load(slot, 0);
      if (run !== 0 && Atomics.wait(slot, 0, run, ${HANG_MS}) === 'timed-out') {
        require('node:fs').writeSync(2, 'runCli: numo-prep did not finish within ${HANG_MS / 1000} s (a hang?); ending the test process.\\n');
        process.kill(process.pid, 'SIGKILL');
      }
    }`,
    { eval: true, workerData: shared },
  );
  worker.unref();
  watchdog = new Int32Array(shared);
  return watchdog;
}

function signalRun(slot: Int32Array, run: number): void {
  Atomics.store(slot, 0, run);
  Atomics.notify(slot, 0);
}

/**
 * numo-prep as the admin runs it, in-process: main() with collected stdout/stderr and its own working folder:
 * relative paths in `args` resolve against `cwd`, which main() is given; the process never changes folder.
 */
export async function runCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const cwd = resolve(o.cwd ?? ROOT);
  const slot = watch();
  signalRun(slot, ++runs);
  try {
    const code = await main(['node', 'numo-prep', ...args], {
      stdout,
      stderr,
      stdin: typeof o.input === 'object' ? o.input : Readable.from([o.input ?? '']),
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      isTTY: Boolean(o.tty),
      ...(o.adaptToWork ? { adaptToWork: o.adaptToWork } : {}),
    });
    return { code, stdout: out, stderr: err };
  } finally {
    signalRun(slot, 0);
  }
}

/**
 * The installed command as a child process (bin/numo-prep.js on the dist/npm/ build, which test/global-setup.ts
 * rebuilt when stale): only for what needs a real process — signals, pipes, the bin itself.
 */
export function spawnCli(args: string[], o: CliOptions & { onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void; closeStdout?: boolean } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, ...args], {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // The reading end closed before numo-prep writes a byte: every write it makes meets EPIPE.
    if (o.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      o.onStderr?.(stderr, (signal) => child.kill(signal));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(typeof o.input === 'string' ? o.input : '');
  });
}

// In a module of their own, so that the mocking files that need nothing else do not load src/cli.ts (each of them
// loads its imports afresh, test/temp.ts).
export { listDir, tempDir } from './temp.js';

/** Converts a copy of a corpus file in a fresh folder (with the example mapping), so the folder shows what the run left. */
export async function convertCorpusCopy(name: string): Promise<{ dir: string; input: string; r: CliResult }> {
  const dir = tempDir();
  const input = join(dir, name);
  copyFileSync(corpus(name), input);
  const r = await runCli(['convert', input, '--mapping', MAPPING, '--out', join(dir, 'numo.csv')]);
  return { dir, input, r };
}

export async function* rowsOf(rows: (string | number)[][], firstRow = 2): AsyncGenerator<RawRow> {
  let n = firstRow;
  for (const cells of rows) yield { row: n++, cells: cells.map(String) };
}

/** No stack trace may ever reach the admin. */
export function expectNoStack(r: CliResult): void {
  const all = r.stdout + r.stderr;
  if (/\n\s+at .+:\d+:\d+/.test(all) || /TypeError|ReferenceError|node:internal/.test(all)) throw new Error(`stack trace in output:\n${all}`);
}

/** The header row the pipeline tests feed: a Magister deelnemersexport's columns. */
export const PIPELINE_HEADERS = ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'E-mail'];

/** PipelineOptions for PIPELINE_HEADERS: gebruikersnaam {stamnr}, random passwords of 10, rol leerling. */
export function pipelineOptions(mapping: Mapping, extra: Partial<PipelineOptions> = {}): PipelineOptions {
  return {
    columns: matchColumns(PIPELINE_HEADERS, EXPORT_COLUMNS),
    mapping,
    filter: {},
    encoding: 'utf8-bom',
    gebruikersnaam: compileTemplate('{stamnr}', '--gebruikersnaam'),
    password: { kind: 'random', length: 10, rng: new RandomChars(randomFillSync) },
    rol: 'leerling',
    ...extra,
  };
}

/** A zip (an .xlsx of inlineStringXlsx) with its parts as `edit` returns them, given each part's name and text. */
export function editedZip(base: Buffer, edit: (name: string, data: string) => string): Buffer {
  return writeZip(
    [...readZipDirectory(base).values()].map((e) => {
      const start = e.localOffset + 30 + base.readUInt16LE(e.localOffset + 26) + base.readUInt16LE(e.localOffset + 28);
      return { name: e.name, data: edit(e.name, inflateRawSync(base.subarray(start, start + e.compressedSize)).toString()) };
    }),
  );
}
