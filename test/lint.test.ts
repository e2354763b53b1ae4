import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './build.js';

// Biome (lint and formatting) over the repository, as a test for the same reason as the type check
// (test/typecheck.test.ts): `npm test` runs it beside the other test files instead of before them. `npm run lint`
// runs it alone, `npm run format` fixes what it can.
it('biome check: lint and formatting', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'), 'check', '--colors=off'], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code, out).toBe(0);
}, 120_000);
