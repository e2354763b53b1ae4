import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkTarget } from '../src/io/atomic-file.js';
import { removePendingTemps } from '../src/io/cleanup.js';
import { planShred } from '../src/io/shred.js';
import { listDir, tempDir } from './temp.js';

// A Windows share that lets a user write a file but not delete it: a rename needs the same right and fails.
const denied = vi.hoisted(() => ({
  readOnlyDisk: new Set<string>(),
  names: new Set<string>(),
  interrupt: undefined as (() => void) | undefined,
  exited: false,
  ownName: new Map<string, string>(),
  noRealpath: false,
}));
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return {
    ...real,
    // NTFS: a path typed in another case (or as an 8.3 name) is the file; realpath gives the name the folder holds.
    realpath: vi.fn(async (path: string) => {
      // Windows's realpath fails on some drives (a RAM disk, some mapped shares).
      if (denied.noRealpath) throw Object.assign(new Error('EISDIR: illegal operation on a directory, realpath'), { code: 'EISDIR' });
      return denied.ownName.get(path) ?? real.realpath(path);
    }),
    // A read-only disk or mount: the mode bits of the file say nothing of it (for root they pass).
    open: vi.fn(async (...args: Parameters<typeof real.open>) => {
      if (denied.readOnlyDisk.has(String(args[0]))) throw Object.assign(new Error('read-only file system'), { code: 'EROFS' });
      return real.open(...args);
    }),
    access: vi.fn(async (path: string, mode?: number) => {
      if (denied.readOnlyDisk.has(path)) throw Object.assign(new Error('read-only file system'), { code: 'EROFS' });
      return real.access(path, mode);
    }),
    rename: vi.fn(async (from: string, to: string) => {
      if (denied.names.has(from) || denied.exited) throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
      await real.rename(from, to);
      // Ctrl+C right after the probe's first rename: the exit cleanup runs, and the process does nothing after it.
      const interrupt = denied.interrupt;
      denied.interrupt = undefined;
      if (interrupt) {
        interrupt();
        denied.exited = true;
      }
    }),
  };
});

describe('shred on Windows checks the right to delete before touching any file', () => {
  it('refuses the whole batch when one file may be written but not deleted, and leaves every name as it was', async () => {
    const dir = tempDir();
    const [ok, locked] = [join(dir, 'idgebr.csv'), join(dir, 'export.csv')];
    writeFileSync(ok, 'Stamnr;IDGebr\r\n1;2\r\n');
    writeFileSync(locked, 'Stamnr;Roepnaam\r\n1;Jan\r\n');
    denied.names.add(locked);
    await expect(planShred([ok, locked], 'win32')).rejects.toThrow(`Niets verwijderd: ${locked}: mag niet uit de map ${dir} verwijderd worden (geen rechten, of open in een ander programma).`);
    expect(listDir(dir)).toEqual(['export.csv', 'idgebr.csv']);
    expect(readFileSync(ok, 'utf8')).toBe('Stamnr;IDGebr\r\n1;2\r\n');
    // Allowed: both planned, under their own names (the probe renamed each and back).
    denied.names.clear();
    expect((await planShred([ok, locked], 'win32')).map((t) => basename(t.path))).toEqual(['idgebr.csv', 'export.csv']);
    expect(listDir(dir)).toEqual(['export.csv', 'idgebr.csv']);
  });

  it('the probe gives the file back the name the folder holds, not the spelling typed (NTFS ignores case)', async () => {
    const dir = tempDir();
    // Stands in for Export.csv typed as EXPORT.CSV: Linux has no case-blind folder, so the file is made under the
    // typed name and Windows's answer to "what is its name" is mocked.
    const typed = join(dir, 'EXPORT.CSV');
    writeFileSync(typed, 'Stamnr;Roepnaam\r\n1;Jan\r\n');
    denied.ownName.set(typed, join(dir, 'Export.csv'));
    await planShred([typed], 'win32');
    denied.ownName.clear();
    expect(listDir(dir)).toEqual(['Export.csv']);
  });

  it('a drive where realpath fails is no reason to refuse: the probe renames back to the name as typed', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Stamnr;Roepnaam\r\n1;Jan\r\n');
    denied.noRealpath = true;
    const targets = await planShred([file], 'win32').finally(() => {
      denied.noRealpath = false;
    });
    expect(targets.map((t) => t.path)).toEqual([file]);
    expect(listDir(dir)).toEqual(['export.csv']);
  });

  it('*.csv as cmd and PowerShell pass it on (no shell fills it in there) is named as such, not "bestaat niet"', async () => {
    const dir = tempDir();
    await expect(planShred([join(dir, '*.csv')], 'win32')).rejects.toThrow(`${join(dir, '*.csv')}: Windows vult * en ? niet zelf in; noem elk bestand bij naam.`);
  });

  it('one file reached through two paths that realpath does not join (a bind mount, \\\\localhost\\c$) is shredded once, without an error for the second', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'echt'));
    symlinkSync(join(dir, 'echt'), join(dir, 'mount'));
    const [real, alias] = [join(dir, 'echt', 'a.csv'), join(dir, 'mount', 'a.csv')];
    writeFileSync(real, 'Stamnr;Roepnaam\r\n1;Jan\r\n');
    // As a bind mount looks: realpath keeps each path as it is.
    denied.ownName.set(alias, alias);
    const targets = await planShred([real, alias], 'linux');
    denied.ownName.clear();
    expect(targets.map((t) => t.path)).toEqual([real]);
  });

  it('an interrupt between the two renames gives the file its name back', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Stamnr;Roepnaam\r\n1;Jan\r\n');
    denied.interrupt = () => removePendingTemps();
    await planShred([file], 'win32').catch(() => {});
    denied.exited = false;
    expect(listDir(dir)).toEqual(['export.csv']);
  });
});

describe('shred on a read-only disk', () => {
  it('says so, not "geen rechten, of open in een ander programma", before touching any file', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Stamnr;Roepnaam\r\n1;Jan\r\n');
    denied.readOnlyDisk.add(file);
    const onDisk = `${file}: staat op een schijf die alleen-lezen is (een beveiligde USB-stick of netwerkschijf?); maak die schrijfbaar en probeer opnieuw`;
    await expect(planShred([file])).rejects.toThrow(onDisk);
    // Also where the mode check comes first (a file without write bits, or a user whose access() says EROFS): not
    // "haal alleen-lezen weg (Eigenschappen)", which is not what stands in the way.
    chmodSync(file, 0o444);
    await expect(planShred([file])).rejects.toThrow(onDisk);
    expect(readFileSync(file, 'utf8')).toBe('Stamnr;Roepnaam\r\n1;Jan\r\n');
  });

  it('convert --force over a file there says the same, not "haal alleen-lezen weg"', async () => {
    const dir = tempDir();
    const file = join(dir, 'numo.csv');
    writeFileSync(file, 'oud');
    chmodSync(file, 0o444);
    denied.readOnlyDisk.add(file);
    await expect(checkTarget(file, { force: true, inputs: [] })).rejects.toThrow(`${file} staat op een schijf die alleen-lezen is. Kies met --out een plek waar je mag schrijven.`);
  });
});
