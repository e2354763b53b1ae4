import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AtomicFile } from '../src/io/atomic-file.js';
import { listDir, tempDir } from './temp.js';

// Excel on Windows holds an open CSV without sharing: opening it for writing fails (EBUSY), and so does a rename
// over it or removing a second name of it.
const held = vi.hoisted(() => ({ path: '' }));
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  const busy = () => Object.assign(new Error('resource busy or locked'), { code: 'EBUSY' });
  return {
    ...real,
    open: vi.fn(async (...args: Parameters<typeof real.open>) => {
      if (args[0] === held.path && args[1] === 'r+') throw busy();
      return real.open(...args);
    }),
    rename: vi.fn(async (from: string, to: string) => {
      if (to === held.path) throw busy();
      return real.rename(from, to);
    }),
    // A second name of the held file (the backup link) cannot be removed either.
    unlink: vi.fn(async (path: string) => {
      if (held.path && path !== held.path && (await real.stat(path)).ino === (await real.stat(held.path)).ino) throw busy();
      return real.unlink(path);
    }),
  };
});

describe('--force over an output another program holds open', () => {
  it('stops before making a backup name, so nothing is left behind and the old file is untouched', async () => {
    const dir = tempDir();
    const target = join(dir, 'uit.csv');
    writeFileSync(target, 'oud');
    const file = await AtomicFile.create(target, { replace: true });
    await file.write(Buffer.from('nieuw'));
    held.path = target;
    await expect(file.commit()).rejects.toThrow(/Er is niets geschreven/);
    held.path = '';
    expect(readFileSync(target, 'utf8')).toBe('oud');
    expect(listDir(dir)).toEqual(['uit.csv']);
  });
});
