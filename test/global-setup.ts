import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Most tests import src/ directly. The child-process tests (test/process.test.ts) run bin/numo-prep.js, which
// loads dist/: a build older than the source would test yesterday's code. Rebuild when any source file is newer
// than its output (or the output is missing), so no test run, `npm test` or a single file, can see a stale dist/.

const ROOT = join(import.meta.dirname, '..');

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

export function staleOutputs(): string[] {
  const config = mtime(join(ROOT, 'tsconfig.json'));
  return sources(join(ROOT, 'src')).filter((src) => {
    const out = join(ROOT, 'dist', relative(ROOT, src).replace(/\.ts$/, '.js'));
    const built = mtime(out);
    return built < mtime(src) || built < config;
  });
}

export default function setup(): void {
  const stale = staleOutputs();
  if (stale.length === 0) return;
  process.stderr.write(`dist/ is older than ${stale.length} source file(s): building (tsc -p tsconfig.json)\n`);
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
}
