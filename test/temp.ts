// tempDir() and listDir() apart from helpers.ts: the mocking files (vitest.config.ts) each load their imports
// afresh, and three of them need only these two. Through helpers.ts they loaded src/cli.ts and its imports as well:
// ~0.2 s of CPU per file.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/** A fresh folder, removed when the test is done (or, made while a file's tests are collected, the file). */
export function tempDir(prefix = 'numo-prep-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove);
  }
  return dir;
}

export const listDir = (dir: string) => readdirSync(dir).sort();
