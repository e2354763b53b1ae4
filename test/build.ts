import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Most tests import src/ directly. The child-process tests (test/process.test.ts) run bin/numo-prep.js, which
// loads the bundles in dist/npm/ (tools/build.mjs): a build older than the source would test yesterday's code.
// buildIfStale() (test/global-setup.ts, once per vitest run) rebuilds (about 1.5 s) when any source file, the
// build script, the loader, tsconfig.json or the installed packages are newer than the oldest bundle, or when the
// code caches come from another V8; so no run, `npm test` or a single file, can test a stale build.

export const ROOT = join(import.meta.dirname, '..');
const BUILD = join(ROOT, 'tools', 'build.mjs');
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const OUT = join(ROOT, 'dist', 'npm');

const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

/** The code caches are made by the V8 that ran the build (bin/bundles.js): another Node must rebuild to test them. */
function cachesFromThisV8(): boolean {
  try {
    // The line is padded with spaces to a multiple of 8 bytes (bin/bundles.js, cacheHeader).
    const header = readFileSync(join(OUT, 'cli.cjs.v8cache')).subarray(0, 80).toString('latin1').split('\n')[0]!;
    return header.trimEnd().endsWith(` ${process.versions.v8}`);
  } catch {
    return false;
  }
}

export function stale(): boolean {
  if (!cachesFromThisV8()) return true;
  let built: number;
  try {
    const outputs = readdirSync(OUT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cjs'));
    built = outputs.length ? Math.min(...outputs.map((f) => mtime(join(OUT, f)))) : -1;
  } catch {
    return true;
  }
  // Folders too: a deleted source file changes its folder's mtime. package-lock.json changes with every package update,
  // esbuild reads tsconfig.json, and the code caches are made through bin/bundles.js (its wrapper is part of the
  // text V8 compiles).
  const src = join(ROOT, 'src');
  const sources = readdirSync(src, { recursive: true, encoding: 'utf8' }).map((f) => join(src, f));
  const inputs = [src, ...sources, BUILD, join(ROOT, 'bin', 'bundles.js'), join(ROOT, 'tsconfig.json'), join(ROOT, 'package-lock.json')];
  return inputs.some((f) => mtime(f) > built);
}

export function buildIfStale(): void {
  if (stale()) execFileSync(process.execPath, [BUILD], { stdio: 'inherit' });
}
