import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Most tests import src/ directly. The child-process tests (test/process.test.ts) run bin/numo-prep.js, which
// loads dist/: a build older than the source would test yesterday's code. buildIfStale() rebuilds when any source
// file is newer than its output (or the output is missing), so no run, `npm test` or a single file, can test a
// stale dist/.

export const ROOT = join(import.meta.dirname, '..');
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

function staleOutputs(): string[] {
  const config = mtime(join(ROOT, 'tsconfig.json'));
  return sources(join(ROOT, 'src')).filter((src) => {
    const built = mtime(join(ROOT, 'dist', relative(ROOT, src).replace(/\.ts$/, '.js')));
    return built < mtime(src) || built < config;
  });
}

export function buildIfStale(): void {
  if (staleOutputs().length === 0) return;
  execFileSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
}
