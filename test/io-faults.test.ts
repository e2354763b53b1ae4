import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { AtomicFile, checkTarget, TEMP_NAME } from '../src/io/atomic-file.js';
import { prepareCsvFile } from '../src/io/csv-write.js';
import { expectNoStack, fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';

// What a full or failing disk does late in a write (at the fsync, the close, the folder's fsync) and when removing a
// temp name, which no real disk does on demand: the file system calls of src/ fail once where a test says so.

interface Faults {
  /** FileHandle.sync() of a numo-prep temp file fails with this code (once). */
  tempSync?: string;
  /** FileHandle.close() of a numo-prep temp file fails with this code, after closing (once). */
  tempClose?: string;
  /** FileHandle.sync() of this folder fails with this code (once). */
  dirSync?: { path: string; code: string };
  /** FileHandle.close() of this file, opened for reading, fails with this code, after closing (once). */
  readClose?: { path: string; code: string };
  /** unlink() of a numo-prep temp file fails with this code (every time). */
  tempUnlink?: string;
  /** stat() or lstat() of this path fails with this code (every time). */
  stat?: { path: string; code: string };
  /** fstatSync() fails with this code (once). */
  fstatSync?: string;
}

const faults = vi.hoisted(() => ({ now: {} as Faults }));
const fail = (code: string) => Object.assign(new Error(`${code} (test)`), { code });
const isTemp = (p: unknown) => /^\.numo-prep-.*\.tmp$/.test(basename(String(p)));

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  const statLike =
    <F extends (path: string, ...rest: never[]) => Promise<unknown>>(fn: F) =>
    (path: string, ...rest: never[]) => {
      const f = faults.now.stat;
      if (f && String(path) === f.path) return Promise.reject(fail(f.code));
      return fn(path, ...rest);
    };
  return {
    ...real,
    stat: vi.fn(statLike(real.stat as never)),
    lstat: vi.fn(statLike(real.lstat as never)),
    unlink: vi.fn(async (path: string) => {
      if (faults.now.tempUnlink && isTemp(path)) throw fail(faults.now.tempUnlink);
      return real.unlink(path);
    }),
    open: vi.fn(async (...args: Parameters<typeof real.open>) => {
      const h = await real.open(...args);
      const path = String(args[0]);
      const f = faults.now;
      const closeFails = (code: string) => {
        const close = h.close.bind(h);
        h.close = async () => {
          await close();
          throw fail(code);
        };
      };
      if (isTemp(path) && f.tempSync) {
        const code = f.tempSync;
        f.tempSync = undefined;
        h.sync = async () => {
          throw fail(code);
        };
      }
      if (isTemp(path) && f.tempClose) {
        closeFails(f.tempClose);
        f.tempClose = undefined;
      }
      if (f.dirSync && path === f.dirSync.path) {
        const code = f.dirSync.code;
        f.dirSync = undefined;
        h.sync = async () => {
          throw fail(code);
        };
      }
      if (f.readClose && path === f.readClose.path) {
        closeFails(f.readClose.code);
        f.readClose = undefined;
      }
      return h;
    }),
  };
});

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return {
    ...real,
    fstatSync: vi.fn((...args: Parameters<typeof real.fstatSync>) => {
      const code = faults.now.fstatSync;
      if (code) {
        faults.now.fstatSync = undefined;
        throw fail(code);
      }
      return real.fstatSync(...args);
    }),
  };
});

beforeEach(() => {
  faults.now = {};
});

const convert = (dir: string, ...more: string[]) => runCli(['convert', join(dir, 'export.xlsx'), '--no-config', '--mapping', MAPPING, '--out', join(dir, 'numo.csv'), ...more]);

function withExport(): string {
  const dir = tempDir();
  copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
  return dir;
}

describe('a full or failing disk at the end of the output (fsync, close)', () => {
  it('ENOSPC at the fsync: exit 2, says the disk is full and what to do, nothing written, the temp file gone', async () => {
    const dir = withExport();
    faults.now.tempSync = 'ENOSPC';
    const r = await convert(dir);
    expectNoStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('Onverwachte fout');
    expect(r.stderr).toBe(
      `numo-prep: Kan ${join(dir, 'numo.csv')} niet schrijven: de schijf is vol (of het bestand is te groot voor deze schijf). Maak ruimte vrij op de schijf of kies met --out een andere map. Er is niets geschreven.\n`,
    );
    expect(listDir(dir)).toEqual(['export.xlsx']);
  });

  it("EIO at the close, with --force over last run's output: exit 2, a write error, the old file as it was and said so", async () => {
    const dir = withExport();
    writeFileSync(join(dir, 'numo.csv'), 'oude uitvoer');
    faults.now.tempClose = 'EIO';
    const r = await convert(dir, '--force');
    expectNoStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'niet schrijven: schrijffout van de schijf of het netwerk. Probeer het opnieuw of kies met --out een andere map op een andere schijf. numo.csv is niet veranderd. Er is niets geschreven.',
    );
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toBe('oude uitvoer');
    expect(listDir(dir)).toEqual(['export.xlsx', 'numo.csv']);
  });

  it('a small CSV prepared whole (csv-write): a failed close is a UserError and leaves no temp file', async () => {
    const dir = tempDir();
    faults.now.tempClose = 'ENOSPC';
    const err = await prepareCsvFile(join(dir, 'verschillen.csv'), { encoding: 'utf8-bom', delimiter: ';' }, ['a'], [['1']], { replace: false, flag: '--previous-report' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      /verschillen\.csv niet schrijven: de schijf is vol .*Maak ruimte vrij op de schijf of kies met --previous-report een andere map\. Er is niets geschreven\.$/,
    );
    expect(listDir(dir)).toEqual([]);
  });

  it('EIO at the close of the export after reading it: a file that cannot be read, exit 2, not "onverwachte fout"', async () => {
    const dir = withExport();
    faults.now.readClose = { path: join(dir, 'export.xlsx'), code: 'EIO' };
    const r = await convert(dir);
    expectNoStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^numo-prep: Kan .*export\.xlsx niet lezen: leesfout van de schijf of het netwerk/);
    expect(listDir(dir)).toEqual(['export.xlsx']);
  });
});

describe('a temp name that cannot be removed after the output is in place', () => {
  it('--force: the old output under its temp name is named as not removed, the output as written, and the shred line has it', async () => {
    const dir = withExport();
    writeFileSync(join(dir, 'numo.csv'), 'oude uitvoer met persoonsgegevens');
    faults.now.tempUnlink = 'EBUSY';
    const r = await convert(dir, '--force');
    expectNoStack(r);
    expect(r.code).toBe(0);
    const left = listDir(dir).filter((n) => TEMP_NAME.test(n));
    expect(left).toHaveLength(1);
    const path = join(dir, left[0]!);
    expect(r.stderr).toContain(`! Tijdelijk bestand met persoonsgegevens niet verwijderd: ${path}. Het Numo-bestand is wel geschreven; verwijder dit bestand zelf`);
    expect(r.stdout).toContain(`geschreven naar ${join(dir, 'numo.csv')}`);
    expect(r.stdout).toMatch(new RegExp(`shred .*${left[0]!.replaceAll('.', '\\.')}`));
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain('gebruikersnaam;');
  });

  it('without --force: the temp name left as a second name of the output is named; --json lists it', async () => {
    const dir = withExport();
    faults.now.tempUnlink = 'EBUSY';
    const r = await convert(dir, '--json');
    expect(r.code).toBe(0);
    const left = listDir(dir).filter((n) => TEMP_NAME.test(n));
    expect(left).toHaveLength(1);
    const json = JSON.parse(r.stdout);
    expect(json.leftOver).toEqual([join(dir, left[0]!)]);
    expect(json.shredCommand).toContain(left[0]);
  });
});

describe('checkTarget on a folder or output it cannot look at', () => {
  it('says "bestaat niet" only when the folder is not there; no access or a failing disk is said as such', async () => {
    const dir = tempDir();
    const target = join(dir, 'numo.csv');
    faults.now.stat = { path: dir, code: 'EACCES' };
    await expect(checkTarget(target, { force: false, inputs: [] })).rejects.toThrow(
      `Kan de map ${dir} niet openen: geen toegang (rechten, of open in een ander programma). Controleer de rechten of kies met --out een andere plek.`,
    );
    faults.now.stat = { path: dir, code: 'EIO' };
    await expect(checkTarget(target, { force: false, inputs: [] })).rejects.toThrow(/^Kan de map .* niet openen: leesfout van de schijf/);
    faults.now.stat = undefined;
    await expect(checkTarget(join(dir, 'nope', 'numo.csv'), { force: false, inputs: [] })).rejects.toThrow(/De map .*nope bestaat niet/);
  });

  it('an output it cannot look at (EIO) is not taken for one that is not there', async () => {
    const dir = tempDir();
    const target = join(dir, 'numo.csv');
    faults.now.stat = { path: target, code: 'EIO' };
    await expect(checkTarget(target, { force: false, inputs: [] })).rejects.toThrow(/^Kan .*numo\.csv niet bekijken: leesfout van de schijf/);
  });
});

describe("the folder's fsync after the file is put in place", () => {
  it('EIO: the file is taken back (an old one comes back), exit-2 message, nothing left behind', async () => {
    const dir = tempDir();
    const target = join(dir, 'numo.csv');
    for (const old of [undefined, 'oude uitvoer']) {
      if (old) writeFileSync(target, old);
      const file = await AtomicFile.create(target, { replace: Boolean(old), flag: '--out' });
      await file.write(Buffer.from('nieuwe uitvoer'));
      faults.now.dirSync = { path: dir, code: 'EIO' };
      await expect(file.commit()).rejects.toThrow(
        /numo\.csv niet schrijven: schrijffout van de schijf of het netwerk\. Probeer het opnieuw of kies met --out een andere map op een andere schijf\. Er is niets geschreven\.$/,
      );
      expect(listDir(dir)).toEqual(old ? ['numo.csv'] : []);
      if (old) expect(readFileSync(target, 'utf8')).toBe(old);
    }
  });

  it('EPERM, EINVAL, ENOTSUP (platforms that cannot fsync a folder: Windows) stay ignored', async () => {
    for (const code of ['EPERM', 'EINVAL', 'ENOTSUP']) {
      const dir = tempDir();
      const file = await AtomicFile.create(join(dir, 'numo.csv'), { replace: false });
      await file.write(Buffer.from('uitvoer'));
      faults.now.dirSync = { path: dir, code };
      await expect(file.commit()).resolves.toEqual([]);
      expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toBe('uitvoer');
      expect(listDir(dir)).toEqual(['numo.csv']);
    }
  });
});

describe('a temp file whose fstat fails right after it was made', () => {
  it('is removed: no empty temp file stays', async () => {
    const dir = tempDir();
    faults.now.fstatSync = 'EIO';
    const err = await AtomicFile.create(join(dir, 'numo.csv'), { replace: false, flag: '--out' }).catch((e: unknown) => e);
    expect(listDir(dir)).toEqual([]);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`Kan niet schrijven in ${dir}: schrijffout van de schijf of het netwerk. Los dat op of kies met --out een andere map.`);
  });
});
