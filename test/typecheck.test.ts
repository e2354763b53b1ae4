import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, TSC } from './build.js';

// The type check of src/ and the tests (tsconfig.test.json), as a test so that `npm test` runs it beside the
// other test files instead of before them (vitest.config.ts starts it first). TypeScript 7 (the native compiler)
// checks the whole project in ~2.5 s of CPU; TypeScript 5.9 took ~10 s.
// A single test file run (`npx vitest run test/x.test.ts`) skips it; `npm run typecheck` runs it alone.
it('src/, test/, fixtures/ and bench/ type-check (tsc -p tsconfig.test.json)', async () => {
  // One thread: the suite keeps both cores busy, and TypeScript 7's parallel checkers cost ~20 % more CPU in all.
  // Incremental, with its state in node_modules/.cache (gone with every npm ci): a run after a small change checks
  // what it touches, ~1.3 instead of ~3 s of CPU when nothing changed.
  const state = join(ROOT, 'node_modules', '.cache', 'numo-prep', 'tsc-test.tsbuildinfo');
  const child = spawn(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.test.json'), '--noEmit', '--pretty', 'false', '--singleThreaded', '--incremental', '--tsBuildInfoFile', state], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(out.trim(), 'tsc').toBe('');
  expect(code).toBe(0);
}, 120_000);
