import { fchmodSync, readFileSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { link, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AtomicFile, commitAll } from '../src/io/atomic-file.js';
import { findTemps, type Temp } from '../src/io/stale-temps.js';
import { listDir, tempDir } from './temp.js';

// A file system without hard links (FAT, exFAT on a USB stick, some network shares): link() fails with EPERM.
const failOpen = vi.hoisted(() => ({ next: false }));
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return {
    ...real,
    link: vi.fn(async () => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    }),
    rename: vi.fn(real.rename),
    // As Windows' CopyFileW: the copy keeps the original's modification time.
    copyFile: vi.fn(async (...args: Parameters<typeof real.copyFile>) => {
      await real.copyFile(...args);
      const s = await real.stat(args[0]);
      await real.utimes(args[1], s.atime, s.mtime);
    }),
    // The handle's open after the temp file was created (AtomicFile.create): failing once, on request.
    open: vi.fn(async (...args: Parameters<typeof real.open>) => {
      if (failOpen.next) {
        failOpen.next = false;
        throw Object.assign(new Error('too many open files'), { code: 'EMFILE' });
      }
      return real.open(...args);
    }),
  };
});

// FAT and exFAT under Linux keep one mode for every file (from the mount): a chmod that changes the read bits is EPERM.
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return {
    ...real,
    fchmodSync: vi.fn(() => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    }),
  };
});

/** A second file of the run whose install fails (a full disk), after `meanwhile` (another program at work). */
function failingAfter(target: string, meanwhile: () => void = () => {}) {
  return {
    target,
    verify: async () => {},
    install: async () => {
      meanwhile();
      throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    },
    abort: async () => {},
  };
}

describe('commit on a file system without hard links', () => {
  it('still never replaces a file that appeared during the run, nor follows a planted symlink', async () => {
    const dir = tempDir();
    const ok = await AtomicFile.create(join(dir, 'numo.csv'), { replace: false });
    await ok.write(Buffer.from('nieuw'));
    await ok.commit();
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toBe('nieuw');

    const late = await AtomicFile.create(join(dir, 'later.csv'), { replace: false });
    await late.write(Buffer.from('nieuw'));
    writeFileSync(join(dir, 'later.csv'), 'van iemand anders');
    await expect(late.commit()).rejects.toThrow(/tijdens de run door iets anders aangemaakt/);
    expect(readFileSync(join(dir, 'later.csv'), 'utf8')).toBe('van iemand anders');

    writeFileSync(join(dir, 'doel.txt'), 'niet overschrijven');
    const planted = await AtomicFile.create(join(dir, 'link.csv'), { replace: false });
    await planted.write(Buffer.from('nieuw'));
    symlinkSync(join(dir, 'doel.txt'), join(dir, 'link.csv'));
    await expect(planted.commit()).rejects.toThrow();
    expect(readFileSync(join(dir, 'doel.txt'), 'utf8')).toBe('niet overschrijven');
    expect(listDir(dir)).toEqual(['doel.txt', 'later.csv', 'link.csv', 'numo.csv']);
    expect(vi.mocked(link)).toHaveBeenCalled();
  });

  it.skipIf(process.platform === 'win32')('writes where the mode cannot be changed (FAT: the mount decides), as it did before it set modes', async () => {
    const dir = tempDir();
    const before = process.umask(0o000);
    try {
      const file = await AtomicFile.create(join(dir, 'numo.csv'), { replace: false, private: false });
      await file.write(Buffer.from('nieuw'));
      await file.commit();
    } finally {
      process.umask(before);
    }
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toBe('nieuw');
    expect(vi.mocked(fchmodSync)).toHaveBeenCalled();
  });

  it('a temp file whose handle cannot be opened is removed again, not left behind empty', async () => {
    const dir = tempDir();
    failOpen.next = true;
    await expect(AtomicFile.create(join(dir, 'numo.csv'), { replace: false })).rejects.toThrow(/Kan niet schrijven in .*: te veel bestanden tegelijk open\. Los dat op\.$/);
    expect(listDir(dir)).toEqual([]);
    // The option that names the file is the one the message tells the admin to change.
    failOpen.next = true;
    await expect(AtomicFile.create(join(dir, 'verschillen.csv'), { replace: false, flag: '--previous-report' })).rejects.toThrow(/Los dat op of kies met --previous-report een andere map\.$/);
  });

  it('--force: a later failure puts the replaced file back', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'oud a');
    const a = await AtomicFile.create(join(dir, 'a.csv'), { replace: true });
    await a.write(Buffer.from('nieuw a'));
    await expect(commitAll([a, failingAfter(join(dir, 'b.csv'))])).rejects.toThrow(/Er is niets geschreven/);
    expect(listDir(dir)).toEqual(['a.csv']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('oud a');
    // The old file is copied, never moved away: a crash before the new one is in place leaves it under its name.
    expect(vi.mocked(rename).mock.calls.filter(([from]) => from === join(dir, 'a.csv'))).toEqual([]);
  });

  it("--force: the copy of a day-old output is dated now, so that another run does not take it for a killed run's leftover", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'oud a');
    const old = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(join(dir, 'a.csv'), old, old);
    const a = await AtomicFile.create(join(dir, 'a.csv'), { replace: true });
    await a.write(Buffer.from('nieuw a'));
    let seen: Temp[] = [];
    await expect(
      commitAll([
        a,
        {
          ...failingAfter(join(dir, 'b.csv')),
          verify: async () => {},
          install: async () => {
            seen = await findTemps([dir]);
            throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
          },
        },
      ]),
    ).rejects.toThrow();
    expect(seen).toEqual([{ path: expect.stringMatching(/\.tmp$/), busy: true, empty: false, othersInSharedFolder: false }]);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('oud a');
  });

  it('--force: a later failure leaves a file another run has put in place since', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'oud a');
    writeFileSync(join(dir, 'ander.csv'), 'van een andere run');
    const a = await AtomicFile.create(join(dir, 'a.csv'), { replace: true });
    await a.write(Buffer.from('nieuw a'));
    await expect(commitAll([a, failingAfter(join(dir, 'b.csv'), () => renameSync(join(dir, 'ander.csv'), join(dir, 'a.csv')))])).rejects.toThrow();
    expect(listDir(dir)).toEqual(['a.csv']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('van een andere run');
  });
});
