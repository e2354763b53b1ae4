import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { convertSettings } from '../src/core/settings.js';
import { AtomicFile, commitAll, type PendingWrite, thisPc, windowsNameProblem } from '../src/io/atomic-file.js';
import { removePendingTemps as onSignalCleanup, trackUndo } from '../src/io/cleanup.js';
import { overwriteInPlace, removeOverwritten, removeOwnFile } from '../src/io/shred.js';
import { removeLeftover } from '../src/io/stale-temps.js';
import { runConvert } from '../src/run/convert.js';
import { promptUnmapped } from '../src/run/map-studies.js';
import { prepareMappingUpdate } from '../src/run/mapping-file.js';
import { prepareShredAfterConvert, runShred } from '../src/run/shred.js';
import { inquirerPrompter } from '../src/ui/prompter.js';
import { BIN, fixture, HOLD_OUTPUT, listDir, MAPPING, runCli, spawnCli, tempDir } from './helpers.js';
import { untilScreen } from './inquirer-screen.js';

const isRoot = process.getuid?.() === 0;

/** When the prompts that `run` shows reach `pattern`, act (press keys). */
async function on(run: Promise<unknown>, pattern: RegExp, act: () => void): Promise<void> {
  await untilScreen(pattern, run);
  act();
}

/** A clean export with one Studie ('4 vwo') the example mapping does not have. */
function exportWithNewStudie(dir: string): string {
  const src = join(dir, 'export.csv');
  writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n500001;Anna;Bakker;1A;1 havo\r\n500002;Bram;Smit;4V;4 vwo\r\n');
  return src;
}

/** Two prepared files in dir: a.csv replaces an old one, b.csv is new. */
async function replacingAndNew(dir: string): Promise<[AtomicFile, AtomicFile]> {
  writeFileSync(join(dir, 'a.csv'), 'oud a');
  const a = await AtomicFile.create(join(dir, 'a.csv'), { replace: true });
  await a.write(Buffer.from('nieuw a'));
  const b = await AtomicFile.create(join(dir, 'b.csv'), { replace: false });
  await b.write(Buffer.from('nieuw b'));
  return [a, b];
}
describe('a failed run never replaces anything', () => {
  it.runIf(process.platform === 'linux')('--force with a --previous-report that cannot be written leaves the old output as it was', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const prev = join(dir, 'vorig.csv');
    expect((await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', prev], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'numo.csv'), 'oude uitvoer');
    // /proc refuses new files, also for root.
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv', '--force', '--previous', prev, '--previous-report', '/proc/verschil.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toBe('oude uitvoer');
    expect(listDir(dir)).toEqual(['export.xlsx', 'numo.csv', 'vorig.csv']);
  });

  it('a failure while putting files in place takes back those already in place, also a replaced one', async () => {
    const dir = tempDir();
    const [a, b] = await replacingAndNew(dir);
    const failing: PendingWrite = {
      target: join(dir, 'c.csv'),
      verify: async () => {},
      install: async () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
      abort: async () => {},
    };
    const err = await commitAll([a, b, failing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/c\.csv niet schrijven: de schijf is vol \(of het bestand is te groot voor deze schijf\)\. Maak ruimte vrij op de schijf\. Er is niets geschreven\./);
    expect(listDir(dir)).toEqual(['a.csv']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('oud a');
  });

  it('an interrupt while files are put in place takes back those already in place', async () => {
    const dir = tempDir();
    const [a, b] = await replacingAndNew(dir);
    const interrupted: PendingWrite = {
      target: join(dir, 'c.csv'),
      verify: async () => {},
      install: async () => {
        // What bin/numo-prep.js does on Ctrl+C at this moment (and then exits): whole files taken back, not half-written.
        expect(onSignalCleanup()).toMatchObject({ rolledBack: true });
        throw new Error('interrupted');
      },
      abort: async () => {},
    };
    await expect(commitAll([a, b, interrupted])).rejects.toThrow();
    expect(listDir(dir)).toEqual(['a.csv']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('oud a');
  });

  it('an interrupt while the first replaced file is wiped leaves none of the old files behind (the report was kept under a temp name)', async () => {
    const dir = tempDir();
    const replacing = async (name: string): Promise<PendingWrite> => {
      writeFileSync(join(dir, name), `oud ${name}: persoonsgegevens`);
      const f = await AtomicFile.create(join(dir, name), { replace: true });
      await f.write(Buffer.from(`nieuw ${name}`));
      return f;
    };
    const out = await replacing('numo.csv');
    const report = await replacing('verschillen.csv');
    // What bin/numo-prep.js does on Ctrl+C while the old numo.csv is overwritten (and then it exits).
    const interruptedWipe: PendingWrite = {
      target: out.target,
      verify: () => out.verify(),
      abort: () => out.abort(),
      // Said as what it is: the old file went (unlinked, not overwritten), not a half-written one.
      install: async (arm) => ({ ...(await out.install(arm)), done: async () => void expect(onSignalCleanup()).toEqual({ removed: false, rolledBack: false, kept: [], oldRemoved: true }) }),
    };
    await commitAll([interruptedWipe, report]);
    expect(listDir(dir)).toEqual(['numo.csv', 'verschillen.csv']);
    expect(readFileSync(join(dir, 'verschillen.csv'), 'utf8')).toBe('nieuw verschillen.csv');
  });

  it('an interrupt right after a file is put in place, before its install returns, takes it back too', async () => {
    const dir = tempDir();
    const target = join(dir, 'c.csv');
    const late: PendingWrite = {
      target,
      verify: async () => {},
      install: async (arm) => {
        arm(() => unlinkSync(target));
        writeFileSync(target, 'persoonsgegevens');
        expect(onSignalCleanup().rolledBack).toBe(true);
        throw new Error('interrupted');
      },
      abort: async () => {},
    };
    await expect(commitAll([late])).rejects.toThrow();
    expect(listDir(dir)).toEqual([]);
  });

  it('a disk that fills up while the output is written: exit 2, nothing written, inputs not shredded', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    // A file size limit makes write() write less than asked, as a full disk does (Node ignores SIGXFSZ).
    const child = spawn('sh', ['-c', `ulimit -f 4; exec "${process.execPath}" "${BIN}" convert export.xlsx --mapping "${MAPPING}" --out numo.csv --shred-inputs --yes`], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('niet schrijven: de schijf is vol');
    expect(listDir(dir)).toEqual(['export.xlsx']);
  });
});

describe('a folder moved during the run', () => {
  it('the temp file it took along is wiped through its open handle when the run is dropped', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'uitvoer'));
    const file = await AtomicFile.create(join(dir, 'uitvoer', 'numo.csv'), { replace: false });
    await file.write(Buffer.from('persoonsgegevens van 100.000 leerlingen'));
    renameSync(join(dir, 'uitvoer'), join(dir, 'verplaatst'));
    await file.abort();
    const left = readdirSync(join(dir, 'verplaatst'));
    for (const name of left) expect(statSync(join(dir, 'verplaatst', name)).size).toBe(0);
  });
});

describe('no-replace at the moment of commit', () => {
  it('a file created at the target during the run is not replaced, and a planted symlink is not followed', async () => {
    const dir = tempDir();
    const created = await AtomicFile.create(join(dir, 'numo.csv'), { replace: false });
    await created.write(Buffer.from('persoonsgegevens'));
    writeFileSync(join(dir, 'numo.csv'), 'van iemand anders');
    await expect(created.commit()).rejects.toThrow(/tijdens de run door iets anders aangemaakt.*Er is niets geschreven/);
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toBe('van iemand anders');
    // The hint names the option that names the file; --force replaces an output, never the mapping.
    const mapping = await AtomicFile.create(join(dir, 'school.csv'), { replace: false, flag: '--mapping' });
    writeFileSync(join(dir, 'school.csv'), 'van iemand anders');
    await expect(mapping.commit()).rejects.toThrow(/wordt niet vervangen \(kies met --mapping een andere naam\)\./);

    writeFileSync(join(dir, 'doel.txt'), 'niet overschrijven');
    for (const replace of [false, true]) {
      const planted = await AtomicFile.create(join(dir, `link-${replace}.csv`), { replace });
      await planted.write(Buffer.from('persoonsgegevens'));
      symlinkSync(join(dir, 'doel.txt'), join(dir, `link-${replace}.csv`));
      await expect(planted.commit()).rejects.toThrow(UserError);
      expect(readFileSync(join(dir, 'doel.txt'), 'utf8')).toBe('niet overschrijven');
    }
    expect(listDir(dir)).toEqual(['doel.txt', 'link-false.csv', 'link-true.csv', 'numo.csv', 'school.csv']);
  });
});

describe('file modes whatever the umask', () => {
  it.skipIf(process.platform === 'win32')('the Numo file is 0600, readable by its owner (umask 577 made it write-only, 277 refused it); a mapping is never writable by everyone', async () => {
    const dir = tempDir();
    const before = process.umask();
    onTestFinished(() => {
      process.umask(before);
    });
    for (const [mask, name] of [
      [0o277, 'a.csv'],
      [0o577, 'b.csv'],
      [0o000, 'c.csv'],
    ] as const) {
      process.umask(mask);
      const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--no-config', '--out', name, '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
    process.umask(0o000);
    const update = await prepareMappingUpdate(join(dir, 'mapping.csv'), [{ studie: '1 havo', code: 'VB-HAVO-1' }]);
    await commitAll([update.write!]);
    expect(statSync(join(dir, 'mapping.csv')).mode & 0o777).toBe(0o664);
    process.umask(0o377);
    const other = await prepareMappingUpdate(join(dir, 'tweede.csv'), [{ studie: '1 havo', code: 'VB-HAVO-1' }]);
    await commitAll([other.write!]);
    expect(statSync(join(dir, 'tweede.csv')).mode & 0o777).toBe(0o600);
  });
});

describe("another user's file in a shared folder (sticky bit, as /tmp)", () => {
  it.skipIf(process.platform === 'win32')('--force and shred refuse it before any work: the replace would fail and leave a second name of that file', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o1777);
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    writeFileSync(join(dir, 'numo.csv'), 'van een collega');
    chmodSync(join(dir, 'numo.csv'), 0o666);
    // This run is someone else than the owner of the folder and the file.
    vi.spyOn(process as { getuid(): number }, 'getuid').mockReturnValue((process.getuid?.() ?? 0) + 4321);
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--no-config', '--out', 'numo.csv', '--force'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'numo.csv')} is van een andere gebruiker in een gedeelde map; alleen die kan het vervangen. Kies met --out een andere naam.`);
    const shred = await runCli(['shred', 'numo.csv', '--yes'], { cwd: dir });
    expect(shred.code).toBe(2);
    expect(shred.stderr).toContain('is van een andere gebruiker in een gedeelde map; alleen die gebruiker kan het verwijderen');
    expect(listDir(dir)).toEqual(['export.xlsx', 'numo.csv']);
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toBe('van een collega');
  });
});

describe('--out is never an input', () => {
  it('refuses the config file found beside the export, and an input under another name', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    copyFileSync(MAPPING, join(dir, 'school.csv'));
    const config = JSON.stringify({ mapping: 'school.csv' });
    writeFileSync(join(dir, 'numo-prep.config.json'), config);
    const r = await runCli(['convert', 'export.xlsx', '--out', 'numo-prep.config.json', '--force'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ook een invoerbestand/);
    expect(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).toBe(config);
    linkSync(join(dir, 'school.csv'), join(dir, 'alias.csv'));
    const alias = await runCli(['convert', 'export.xlsx', '--out', 'alias.csv', '--force'], { cwd: dir });
    expect(alias.code).toBe(2);
    expect(readFileSync(join(dir, 'school.csv'))).toEqual(readFileSync(MAPPING));
    const temp = await runCli(['convert', 'export.xlsx', '--out', '.numo-prep-1-abcdefabcdef.tmp'], { cwd: dir });
    expect(temp.code).toBe(2);
    expect(temp.stderr).toMatch(/naam van een tijdelijk bestand/);
  });

  it('on Windows, a device name (NUL, aux.csv) or a name ending in a dot or space is no output: Node would write a file nobody can open or delete', async () => {
    for (const name of ['NUL', 'nul.csv', 'aux.csv', 'CON.csv', 'com1.csv', 'LPT3', 'numo.csv.', 'numo.csv ']) expect(windowsNameProblem(name, 'win32'), name).toBeDefined();
    for (const name of ['numo.csv', 'console.csv', 'nul-lijst.csv', 'com10.csv', 'aux_2025.csv']) expect(windowsNameProblem(name, 'win32'), name).toBeUndefined();
    expect(windowsNameProblem('NUL', 'darwin')).toBeUndefined();
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    vi.spyOn(process, 'platform', 'get').mockReturnValue('win32');
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--no-config', '--out', 'NUL'], { cwd: dir });
    vi.restoreAllMocks();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NUL is op Windows de naam van een apparaat, geen bestand. Kies met --out een andere naam.');
    expect(listDir(dir)).toEqual(['export.xlsx']);
  });
});

describe('--dry-run writes nothing', () => {
  it('not even the mapping after an interactive answer', async () => {
    const dir = tempDir();
    copyFileSync(MAPPING, join(dir, 'mapping.csv'));
    const settings = convertSettings({ export: exportWithNewStudie(dir), cwd: dir, mapping: join(dir, 'mapping.csv'), dryRun: true });
    const prompter = await inquirerPrompter();
    const done = runConvert(settings, { resolveUnmapped: (u) => promptUnmapped(prompter, u, settings) });
    await on(done, /1 nieuwe Studie-waarde\(n\)/, () => screen.keypress('enter'));
    await on(done, /Studie '4 vwo'/, () => {
      screen.type('VB-VWO-4');
      screen.keypress('enter');
    });
    await on(done, /Klopt dat\?/, () => screen.keypress('enter'));
    const report = await done;
    expect(report.exitCode).toBe(0);
    expect(report.files).toEqual([]);
    expect(readFileSync(join(dir, 'mapping.csv'))).toEqual(readFileSync(MAPPING));
    expect(listDir(dir)).toEqual(['export.csv', 'mapping.csv']);
  });
});

describe('--shred-inputs', () => {
  it('without --yes and without a terminal: exit 2 before any work', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv', '--shred-inputs'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes.*Er is niets geschreven/);
    expect(listDir(dir)).toEqual(['export.xlsx']);
  });
});

describe('temp files of a killed run', () => {
  it('kill -9 mid-write: the next run in that folder removes the leftover and names it', async () => {
    const dir = tempDir();
    let temp: string | undefined;
    // The test hook holds the first write to the output: its temp file is open and half-written when it says so.
    const killed = await spawnCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'numo.csv')], {
      nodeArgs: ['--import', HOLD_OUTPUT],
      env: { NUMO_PREP_TEST_HOLD_DIR: dir, NUMO_PREP_TEST_HOLD: '1' },
      onStderr: (text, kill) => {
        if (temp !== undefined || !text.includes('[test hook] write 1')) return;
        temp = readdirSync(dir).find((f) => /^\.numo-prep-\d+-[0-9a-f]{8}-[0-9a-f]{12}\.tmp$/.test(f)) ?? '';
        kill('SIGKILL');
      },
    });
    expect(killed.code).toBeNull();
    expect(temp).toMatch(/\.tmp$/);
    expect(listDir(dir)).toEqual([temp]);

    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const next = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'tweede.csv'], { cwd: dir });
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`veilig verwijderd: ${join(dir, temp!)}`);
    expect(listDir(dir)).toEqual(['export.xlsx', 'tweede.csv']);
  });

  it('one that may still be written by a running run is left, reported, and in the shred command', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const busy = `.numo-prep-${process.ppid}-0123456789ab.tmp`;
    const old = `.numo-prep-${process.ppid}-ba9876543210.tmp`;
    writeFileSync(join(dir, busy), 'bezig');
    writeFileSync(join(dir, old), 'oud');
    utimesSync(join(dir, old), new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`niet verwijderd: ${join(dir, busy)}`);
    expect(r.stdout).toMatch(new RegExp(`numo-prep shred .*${busy.replace(/\./g, '\\.')}`));
    expect(listDir(dir)).toEqual([busy, 'export.xlsx', 'numo.csv']);
  });

  it("a running run's backup of a day-old output (a hard link, with that file's age) is busy, not a leftover: another run removed it, and shred too when named", async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    writeFileSync(join(dir, 'oud.csv'), 'oude uitvoer');
    utimesSync(join(dir, 'oud.csv'), new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    const backup = `.numo-prep-${process.ppid}-0123456789ab.tmp`;
    linkSync(join(dir, 'oud.csv'), join(dir, backup));
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`niet verwijderd: ${join(dir, backup)}`);
    // Named twice (./ and in other case on Windows and macOS: one file), it stays all the same; not all that was
    // named is gone, so no exit 0 for a script to go on from.
    const shred = await runCli(['shred', 'numo.csv', backup, `./${backup}`, '--yes'], { cwd: dir });
    expect(shred.code, shred.stderr).toBe(2);
    expect(shred.stderr).toContain(`${join(dir, backup)}: tijdelijk bestand van numo-prep van een run die misschien nog bezig is`);
    expect(shred.stderr).toContain(`Niet alles verwijderd: één genoemd bestand staat er nog (zie hierboven). Als die run klaar is: numo-prep shred ${join(dir, backup)}`);
    // The output it is a backup of, named with it: not "geef die ook op" (it was), but wait for that run.
    const both = await runCli(['shred', 'oud.csv', backup, '--yes'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`Niets verwijderd: ${join(dir, 'oud.csv')} heeft nog een tweede naam, ${join(dir, backup)}, van een run die misschien nog bezig is.`);
    expect(listDir(dir)).toEqual([backup, 'export.xlsx', 'oud.csv']);
    expect(readFileSync(join(dir, backup), 'utf8')).toBe('oude uitvoer');
  });

  it('one written on another PC (a shared folder) is left while it is fresh, whatever its pid; here, a dead pid is removed', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const other = thisPc() === '00000000' ? 'ffffffff' : '00000000';
    // A pid no process has here (pid 1 always runs).
    const elsewhere = `.numo-prep-999999999-${other}-0123456789ab.tmp`;
    const here = `.numo-prep-999999999-${thisPc()}-0123456789ab.tmp`;
    for (const name of [elsewhere, here]) writeFileSync(join(dir, name), 'x');
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`niet verwijderd: ${join(dir, elsewhere)}`);
    expect(r.stderr).toContain(`veilig verwijderd: ${join(dir, here)}`);
    expect(listDir(dir)).toEqual([elsewhere, 'export.xlsx', 'numo.csv']);
  });

  it("a PC whose clock runs days ahead does not take a live run's file for a leftover: the folder's clock counts", async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const live = `.numo-prep-${process.ppid}-${thisPc()}-0123456789ab.tmp`;
    writeFileSync(join(dir, live), 'bezig');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 86_400_000 });
    try {
      const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`niet verwijderd: ${join(dir, live)}`);
    } finally {
      vi.useRealTimers();
    }
    expect(readFileSync(join(dir, live), 'utf8')).toBe('bezig');
  });

  it('one dated more than a day ahead (a clock put right after the run was killed) is a leftover, not busy until that day', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const future = `.numo-prep-${process.ppid}-${thisPc()}-0123456789ab.tmp`;
    writeFileSync(join(dir, future), 'oud');
    utimesSync(join(dir, future), new Date(Date.now() + 400 * 86_400_000), new Date(Date.now() + 400 * 86_400_000));
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`veilig verwijderd: ${join(dir, future)}`);
    expect(listDir(dir)).toEqual(['export.xlsx', 'numo.csv']);
  });

  it("a live run's backup of an output dated days ahead (a wrong clock) is busy: the link's change time says how old the name is", async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    writeFileSync(join(dir, 'oud.csv'), 'oude uitvoer');
    utimesSync(join(dir, 'oud.csv'), new Date(Date.now() + 3 * 86_400_000), new Date(Date.now() + 3 * 86_400_000));
    const backup = `.numo-prep-${process.ppid}-${thisPc()}-0123456789ab.tmp`;
    linkSync(join(dir, 'oud.csv'), join(dir, backup));
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`niet verwijderd: ${join(dir, backup)}`);
    expect(listDir(dir)).toEqual([backup, 'export.xlsx', 'numo.csv', 'oud.csv']);
  });

  it("an empty temp file of a run that may be busy (another run's probe of the folder's clock) is not named: it holds nothing", async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const probe = `.numo-prep-${process.ppid}-${thisPc()}-0123456789ab.tmp`;
    writeFileSync(join(dir, probe), '');
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).not.toContain(probe);
    expect(listDir(dir)).toEqual([probe, 'export.xlsx', 'numo.csv']);
  });

  it('a read-only leftover is left under its own name and named (it could not be overwritten)', async () => {
    const dir = tempDir();
    const path = join(dir, `.numo-prep-999999999-${thisPc()}-0123456789ab.tmp`);
    writeFileSync(path, 'gegevens');
    chmodSync(path, 0o400);
    await expect(removeLeftover(path)).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('gegevens');
    expect(listDir(dir)).toEqual([basename(path)]);
  });

  it('a leftover that cannot be removed after the rename goes back to its own name, where the report names it', async () => {
    const dir = tempDir();
    const path = join(dir, `.numo-prep-999999999-${thisPc()}-0123456789ab.tmp`);
    writeFileSync(path, 'gegevens');
    await expect(
      removeLeftover(path, async () => {
        throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
      }),
    ).rejects.toThrow();
    expect(listDir(dir)).toEqual([basename(path)]);
    expect(readFileSync(path, 'utf8')).toBe('gegevens');
  });

  it("another user's leftover in a shared (sticky) folder is not in this run's shred line: only that user can remove it, and shred refused every file for it", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o1777);
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const theirs = `.numo-prep-999999999-${thisPc()}-0123456789ab.tmp`;
    writeFileSync(join(dir, theirs), 'van een collega');
    // This run is someone else than the owner of the folder and the leftover.
    vi.spyOn(process as { getuid(): number }, 'getuid').mockReturnValue((process.getuid?.() ?? 0) + 4321);
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--no-config', '--out', 'numo.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(theirs);
    expect(readFileSync(join(dir, theirs), 'utf8')).toBe('van een collega');
  });

  it('a leftover larger than numo-prep ever writes (a sparse file of gigabytes) is named, not read through for minutes', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const big = `.numo-prep-999999999-${thisPc()}-0123456789ab.tmp`;
    writeFileSync(join(dir, big), '');
    truncateSync(join(dir, big), 4 * 1024 ** 3);
    const r = await runCli(['convert', 'export.xlsx', '--mapping', MAPPING, '--no-config', '--out', 'numo.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`niet verwijderd: ${join(dir, big)}`);
    expect(listDir(dir)).toEqual([big, 'export.xlsx', 'numo.csv']);
  });

  it('a leftover is renamed before a byte of it is overwritten: a writer alive after all cannot put it in place half overwritten', async () => {
    const dir = tempDir();
    const path = join(dir, `.numo-prep-1-${thisPc()}-0123456789ab.tmp`);
    writeFileSync(path, 'gegevens');
    const seen: string[] = [];
    await removeLeftover(path, async (claimed) => {
      expect(existsSync(path)).toBe(false);
      expect(readFileSync(claimed, 'utf8')).toBe('gegevens');
      seen.push(claimed);
      await removeOwnFile(claimed);
    });
    expect(seen).toHaveLength(1);
    expect(listDir(dir)).toEqual([]);
  });

  it('a run that fails later still names the leftover it removed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), '');
    const old = '.numo-prep-1-aaaaaaaaaaaa.tmp';
    writeFileSync(join(dir, old), 'oud');
    utimesSync(join(dir, old), new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    const r = await runCli(['convert', 'export.csv', '--mapping', MAPPING, '--out', 'numo.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`veilig verwijderd: ${join(dir, old)}`);
    expect(listDir(dir)).toEqual(['export.csv']);
  });
});

describe('the mapping file only grows', () => {
  it('two runs that add a Studie at the same moment keep both lines: written at the size each saw, the second wrote over the first while both said "toegevoegd"', async () => {
    const dir = tempDir();
    const path = join(dir, 'mapping.csv');
    writeFileSync(path, 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n');
    const mine = await prepareMappingUpdate(path, [{ studie: '3 mavo', code: 'VB-VMBO-GT-3' }]);
    const theirs = await prepareMappingUpdate(path, [{ studie: '3 vwo gymn', code: 'VB-VWO-3' }]);
    // The other run passed the same check and writes between this run's check and its write (install arms its undo
    // in that window).
    await mine.write!.install(() => {
      appendFileSync(path, '3 vwo gymn;VB-VWO-3\r\n');
    });
    expect(readFileSync(path, 'utf8')).toBe('Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n3 vwo gymn;VB-VWO-3\r\n3 mavo;VB-VMBO-GT-3\r\n');
    expect(theirs.added).toBe(1);
  });

  it("adds new lines at the end in the file's own encoding, delimiter and line ends; keeps order, mode and inode", async () => {
    const dir = tempDir();
    const path = join(dir, 'mapping.csv');
    // Windows-1252, comma, LF, no BOM, not sorted, no newline at the end.
    const before = Buffer.from('Studie,Opleidingscode\n2 havo,VB-HAVO-2\n1 havo,VB-HAVO-1\nCafé-klas,VB-X', 'latin1');
    writeFileSync(path, before);
    chmodSync(path, 0o640);
    const { ino } = statSync(path);
    const update = await prepareMappingUpdate(path, [
      { studie: '1 havo', code: 'VB-HAVO-1' },
      { studie: '2 havo', code: 'VB-ANDERS' },
      { studie: '4 vwo', code: 'VB-VWO-4' },
      { studie: 'Ærø', code: 'VB-Y' },
    ]);
    expect(update.added).toBe(2);
    expect(update.differs).toEqual([{ studie: '2 havo', inFile: 'VB-HAVO-2', wanted: 'VB-ANDERS' }]);
    expect(readFileSync(path)).toEqual(before); // nothing until the commit
    await commitAll([update.write!]);
    expect(readFileSync(path)).toEqual(Buffer.concat([before, Buffer.from('\n4 vwo,VB-VWO-4\nÆrø,VB-Y\n', 'latin1')]));
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(statSync(path).ino).toBe(ino);
  });

  it('an interrupt during the append takes back exactly what was appended', async () => {
    const path = join(tempDir(), 'mapping.csv');
    const before = 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n';
    writeFileSync(path, before);
    const update = await prepareMappingUpdate(path, [{ studie: '2 havo', code: 'VB-HAVO-2' }]);
    let undo: (() => void) | undefined;
    await update.write!.install((u) => {
      undo = u;
    });
    expect(readFileSync(path, 'utf8')).toContain('2 havo;VB-HAVO-2');
    undo!();
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('an undo that fails on an interrupt names its file as kept', () => {
    const release = trackUndo(() => {
      throw new Error('busy');
    }, '/school/numo.csv');
    expect(onSignalCleanup()).toEqual({ removed: false, rolledBack: false, kept: ['/school/numo.csv'], oldRemoved: false });
    expect(release()).toBe(false);
  });

  it('a mapping changed between the check and the append is left as it is', async () => {
    const path = join(tempDir(), 'mapping.csv');
    writeFileSync(path, 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n');
    const update = await prepareMappingUpdate(path, [{ studie: '2 havo', code: 'VB-HAVO-2' }]);
    // Saved from Excel in the meantime, after commitAll's check: install must not cut it back.
    writeFileSync(path, 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n3 vwo;VB-VWO-3\r\n');
    await expect(update.write!.install(() => {})).rejects.toThrow(/tijdens de run veranderd/);
    expect(readFileSync(path, 'utf8')).toBe('Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n3 vwo;VB-VWO-3\r\n');
  });

  it('adds the Studie and the code in the columns the file keeps them in (found by their headers), so the line reads back', async () => {
    const dir = tempDir();
    const path = join(dir, 'mapping.csv');
    writeFileSync(path, 'Studie;Notitie;Opleidingscode\r\n1 havo;ok;VB-HAVO-1\r\n');
    const update = await prepareMappingUpdate(path, [{ studie: '2 havo', code: 'VB-HAVO-2' }]);
    await commitAll([update.write!]);
    expect(readFileSync(path, 'utf8')).toBe('Studie;Notitie;Opleidingscode\r\n1 havo;ok;VB-HAVO-1\r\n2 havo;;VB-HAVO-2\r\n');
    const { loadMapping } = await import('../src/run/load-tables.js');
    expect((await loadMapping(path)).get('2 havo')).toBe('VB-HAVO-2');
  });

  it('nothing new (every Studie "zo laten"): the file is not touched at all; convert says "bijgewerkt: N regels toegevoegd"', async () => {
    const dir = tempDir();
    const path = join(dir, 'mapping.csv');
    copyFileSync(MAPPING, path);
    const { mtimeMs } = statSync(path);
    const none = await prepareMappingUpdate(path, [{ studie: '1 havo', code: 'VB-HAVO-1' }]);
    expect(none.write).toBeUndefined();
    expect(statSync(path).mtimeMs).toBe(mtimeMs);

    const settings = convertSettings({ export: exportWithNewStudie(dir), cwd: dir, mapping: path, out: join(dir, 'numo.csv') });
    const prompter = await inquirerPrompter();
    const done = runConvert(settings, { resolveUnmapped: (u) => promptUnmapped(prompter, u, settings) });
    await on(done, /1 nieuwe Studie-waarde\(n\)/, () => screen.keypress('enter'));
    await on(done, /Studie '4 vwo'/, () => {
      screen.type('VB-VWO-4');
      screen.keypress('enter');
    });
    await on(done, /Klopt dat\?/, () => screen.keypress('enter'));
    await on(done, /Toevoegen aan .*mapping\.csv/, () => screen.keypress('enter'));
    const report = await done;
    expect(report.exitCode).toBe(0);
    expect(report.files).toEqual([join(dir, 'numo.csv'), path]);
    expect(readFileSync(path)).toEqual(Buffer.concat([readFileSync(MAPPING), Buffer.from('4 vwo;VB-VWO-4\r\n')]));
    const { mappingUpdateLine } = await import('../src/ui/report.js');
    expect(mappingUpdateLine(report.mappingUpdate!)).toMatch(/bijgewerkt: 1 regel toegevoegd/);
  });

  it('a workbook mapping: a Studie mapped on the spot is not saved (a workbook is never written), and the admin hears so', async () => {
    const dir = tempDir();
    const mapping = join(dir, 'mapping.xlsx');
    const made = await runCli(['mapping', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', mapping, '--no-config']);
    expect(made.code, made.stderr).toBe(0);
    const before = readFileSync(mapping);
    const done = runCli(['convert', exportWithNewStudie(dir), '--mapping', mapping, '--out', join(dir, 'numo.csv'), '--no-config'], { tty: true });
    await on(done, /1 nieuwe Studie-waarde\(n\)/, () => screen.keypress('enter'));
    await on(done, /Studie '4 vwo'/, () => {
      screen.type('VB-VWO-4');
      screen.keypress('enter');
    });
    await on(done, /Klopt dat\?/, () => screen.keypress('enter'));
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`! ${mapping} is een Excel-werkmap; daar schrijft numo-prep niet in. Zet deze studie er zelf in`);
    expect(readFileSync(mapping)).toEqual(before);
  });

  it('a Studie already in the file with another code is kept and named, never dropped without a word', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.csv');
    writeFileSync(path, '\uFEFFStudie;Opleidingscode\r\n2 havo;VB-HAVO-2\r\n');
    const { prepareMappingUpdate } = await import('../src/run/mapping-file.js');
    const { mappingUpdateLine } = await import('../src/ui/report.js');
    const u = await prepareMappingUpdate(path, [
      { studie: '2 havo', code: 'VB-ANDERS' },
      { studie: '3 vwo', code: 'VB-VWO-3' },
    ]);
    expect(u.added).toBe(1);
    expect(mappingUpdateLine(u)).toBe(
      `Mapping ${path} bijgewerkt: 1 regel toegevoegd. 1 studie staat er al met een andere code in en is niet veranderd: '2 havo'; dit Numo-bestand gebruikt jouw antwoord, maar volgend jaar geldt de regel in de mapping: pas die zelf aan als jouw antwoord klopt.`,
    );
    const same = await prepareMappingUpdate(path, [
      { studie: 'pieter.devries@example.nl', code: 'VB-X' },
      { studie: '2 havo', code: 'VB-ANDERS' },
    ]);
    expect(mappingUpdateLine(same)).not.toContain('example.nl');
  });
});

describe('shred', () => {
  it('checks every file and its folder first: read-only file or folder is refused, also for root; nothing touched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'x');
    writeFileSync(join(dir, 'alleen-lezen.csv'), 'y');
    chmodSync(join(dir, 'alleen-lezen.csv'), 0o444);
    const r = await runCli(['shred', join(dir, 'a.csv'), join(dir, 'alleen-lezen.csv'), '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Niets verwijderd: .*alleen-lezen\.csv: is alleen-lezen/);
    expect(listDir(dir)).toEqual(['a.csv', 'alleen-lezen.csv']);

    const locked = join(dir, 'map');
    mkdirSync(locked);
    writeFileSync(join(locked, 'b.csv'), 'z');
    chmodSync(locked, 0o555);
    const folder = await runCli(['shred', join(dir, 'a.csv'), join(locked, 'b.csv'), '--yes']);
    chmodSync(locked, 0o755);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/de map .* is alleen-lezen/);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('x');
  });

  // chattr +a (append-only: names can be made, none removed) needs root and a file system that has the flag.
  const appendOnly = (dir: string) => isRoot && spawnSync('chattr', ['+a', dir]).status === 0;
  it('a folder where files can be made but not removed is refused before the export is read: the temp name would stay beside the output with the passwords, and shred could not remove it', async (ctx) => {
    const dir = tempDir();
    const out = join(dir, 'drop');
    mkdirSync(out);
    if (!appendOnly(out)) return ctx.skip();
    onTestFinished(() => {
      spawnSync('chattr', ['-a', out]);
    });
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--no-config', '--mapping', MAPPING, '--out', join(out, 'numo.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `numo-prep: In ${out} kan numo-prep bestanden maken maar niet verwijderen: zijn tijdelijke bestand zou blijven staan, en shred zou het Numo-bestand later niet kunnen weghalen. Kies met --out een andere map.\n`,
    );
    // Only empty names stay (nothing can remove them there).
    for (const name of readdirSync(out)) expect(statSync(join(out, name)).size).toBe(0);
    expect(readdirSync(out).some((n) => n === 'numo.csv')).toBe(false);
  });

  it.runIf(isRoot)('as root, an output folder that is read-only by its mode is refused before any work, as shred (which must remove the file later) refuses it', async () => {
    const dir = tempDir();
    const ro = join(dir, 'alleen-lezen');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    onTestFinished(() => chmodSync(ro, 0o755));
    for (const extra of [[], ['--dry-run']]) {
      const r = await runCli(['convert', fixture('magister-export.xlsx'), '--no-config', '--mapping', MAPPING, '--out', join(ro, 'numo.csv'), ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`numo-prep: Kan niet schrijven in ${ro}: geen toegang (rechten, of open in een ander programma). Controleer de rechten of kies met --out een andere map.\n`);
    }
    expect(listDir(ro)).toEqual([]);
  });

  it.runIf(isRoot)('a write-only file works for a normal user', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'alleen-schrijven.csv'), 'Stamnr;Roepnaam\r\n1;Geheim\r\n');
    chmodSync(join(dir, 'alleen-schrijven.csv'), 0o222);
    const child = spawn(process.execPath, [BIN, 'shred', join(dir, 'alleen-schrijven.csv'), '--yes'], { uid: 65534, gid: 65534, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(stderr).not.toMatch(/Niets verwijderd/);
    expect(code).toBe(0);
    expect(listDir(dir)).toEqual([]);
  });

  it('takes only the Office lock file of the named document', async () => {
    const dir = tempDir();
    for (const f of ['abexport.xlsx', '~$abexport.xlsx', '~$export.xlsx', 'notities.txt', '~$notities.txt']) writeFileSync(join(dir, f), 'x');
    const r = await runCli(['shred', join(dir, 'abexport.xlsx'), join(dir, 'notities.txt'), '--yes']);
    expect(r.code).toBe(0);
    expect(listDir(dir)).toEqual(['~$export.xlsx', '~$notities.txt']);
  });

  it.runIf(process.platform !== 'win32')('one file named twice, once through a linked folder, is shredded once: no error for the second name', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'echt'));
    writeFileSync(join(dir, 'echt', 'export.csv'), 'x');
    symlinkSync(join(dir, 'echt'), join(dir, 'link'));
    const r = await runCli(['shred', join(dir, 'echt', 'export.csv'), join(dir, 'link', 'export.csv'), '--yes']);
    expect(r.code).toBe(0);
    expect(listDir(join(dir, 'echt'))).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('a sparse file is not filled: only its data is overwritten', async () => {
    const dir = tempDir();
    const path = join(dir, 'sparse.csv');
    writeFileSync(path, 'Stamnr;Roepnaam\r\n1;Geheim\r\n');
    // 8 MiB: 128 chunks of 64 KiB, all holes but the first; filling them would show as 8 MiB of new blocks.
    truncateSync(path, 8 * 1024 * 1024);
    const before = statSync(path).blocks;
    expect(before * 512).toBeLessThan(1024 * 1024);
    await overwriteInPlace(path, { passes: 2, zero: true });
    // At most the 64 KiB chunk that holds data gets allocated; the holes stay holes.
    expect(statSync(path).blocks * 512).toBeLessThanOrEqual(before * 512 + 64 * 1024);
    expect(
      readFileSync(path)
        .subarray(0, 64)
        .every((b) => b === 0),
    ).toBe(true);
  });

  it('a numo-prep temp file in the command that its run has removed since is said to be gone; the rest is shredded', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.xlsx'), 'Geheim');
    const gone = join(dir, `.numo-prep-999999999-${thisPc()}-0123456789ab.tmp`);
    const r = await runCli(['shred', join(dir, 'export.xlsx'), gone, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`i ${gone}: tijdelijk bestand van numo-prep dat er al niet meer is`);
    expect(listDir(dir)).toEqual([]);
    // Any other missing file still stops shred before it touches anything.
    writeFileSync(join(dir, 'export.xlsx'), 'Geheim');
    const missing = await runCli(['shred', join(dir, 'export.xlsx'), join(dir, 'weg.csv'), '--yes']);
    expect(missing.code).toBe(2);
    expect(listDir(dir)).toEqual(['export.xlsx']);
  });

  it("leftovers of a killed convert beside the files named go with them; one that is a second name of a file loses only that name; a busy run's stays", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.xlsx'), 'Geheim');
    writeFileSync(join(dir, 'numo.csv'), 'Geheim');
    const leftover = join(dir, `.numo-prep-999999999-${thisPc()}-0123456789ab.tmp`);
    writeFileSync(leftover, 'Geheim');
    const backup = join(dir, `.numo-prep-999999999-${thisPc()}-ba9876543210.tmp`);
    linkSync(join(dir, 'numo.csv'), backup);
    const busy = `.numo-prep-${process.ppid}-${thisPc()}-aaaaaaaaaaaa.tmp`;
    writeFileSync(join(dir, busy), 'bezig');
    const r = await runCli(['shred', join(dir, 'export.xlsx'), join(dir, 'numo.csv'), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`i ${leftover}: tijdelijk bestand van een afgebroken run van numo-prep; gaat mee`);
    expect(r.stdout).toContain(`✔ ${leftover} overschreven en verwijderd`);
    expect(r.stderr).toContain(`! ${join(dir, busy)}: tijdelijk bestand van numo-prep van een run die misschien nog bezig is`);
    expect(listDir(dir)).toEqual([busy]);
  });

  describe('a file put at a name while the admin answers "Definitief verwijderen?"', () => {
    const shredWith = (paths: string[], dir: string, confirm: () => void, readAs?: Awaited<ReturnType<typeof prepareShredAfterConvert>>) =>
      runShred(paths, {
        passes: 1,
        zero: false,
        env: {},
        cwd: dir,
        confirm: async () => {
          confirm();
          return true;
        },
        onCloud: () => {},
        onShredded: () => {},
        onGone: () => {},
        onLeftover: () => {},
        onBusyLeftover: () => {},
        ...(readAs ? { readAs } : {}),
      }).then(
        () => new Error('shredded'),
        (e: unknown) => e as Error,
      );

    it('another file, a hard link to one that must stay, or a link: untouched, and said so', async () => {
      for (const swap of ['other', 'hard link', 'symlink'] as const) {
        const dir = tempDir();
        const exportFile = join(dir, 'export.xlsx');
        writeFileSync(exportFile, 'Geheim');
        mkdirSync(join(dir, 'keep'));
        const keep = join(dir, 'keep', 'belangrijk.csv');
        writeFileSync(keep, 'Moet blijven');
        const err = await shredWith([exportFile], dir, () => {
          unlinkSync(exportFile);
          if (swap === 'other') writeFileSync(exportFile, 'Een andere lijst');
          else if (swap === 'hard link') linkSync(keep, exportFile);
          else symlinkSync(keep, exportFile);
        });
        expect(err.message, swap).toBe(
          `Shred gestopt bij een fout. ${exportFile}: is sinds de controle vervangen of veranderd; dat is niet aangeraakt. Los de fout op en draai shred opnieuw voor wat er nog staat.`,
        );
        expect(readFileSync(keep, 'utf8'), swap).toBe('Moet blijven');
        expect(readFileSync(exportFile, 'utf8'), swap).toBe(swap === 'other' ? 'Een andere lijst' : 'Moet blijven');
      }
    });

    it('its own overwrite may change what stands in for a creation time (Wine, file systems without one): still removed', async () => {
      const dir = tempDir();
      const path = join(dir, 'export.xlsx');
      writeFileSync(path, 'Geheim');
      const { dev, ino, nlink, birthtimeNs } = statSync(path, { bigint: true });
      await removeOverwritten(path, () => {}, { dev, ino, nlink, birthtimeNs: birthtimeNs - 1n });
      expect(listDir(dir)).toEqual([]);
    });

    it('one put there between the overwrite and the removal is left as it is', async () => {
      const dir = tempDir();
      const path = join(dir, 'export.xlsx');
      writeFileSync(path, 'Geheim');
      const { dev, ino, nlink, birthtimeNs } = statSync(path, { bigint: true });
      renameSync(path, join(dir, 'elders.xlsx'));
      writeFileSync(path, 'Een andere lijst');
      await expect(removeOverwritten(path, () => {}, { dev, ino, nlink, birthtimeNs })).rejects.toMatchObject({ code: 'ECHANGED' });
      expect(readFileSync(path, 'utf8')).toBe('Een andere lijst');
      expect(listDir(dir)).toEqual(['elders.xlsx', 'export.xlsx']);
      // A link put there: the same.
      rmSync(path);
      symlinkSync(join(dir, 'elders.xlsx'), path);
      await expect(removeOverwritten(path, () => {}, { dev, ino, nlink, birthtimeNs })).rejects.toMatchObject({ code: 'ECHANGED' });
      expect(readFileSync(join(dir, 'elders.xlsx'), 'utf8')).toBe('Geheim');
    });

    it('a name given one more hard link meanwhile is no longer the one file checked', async () => {
      const dir = tempDir();
      const exportFile = join(dir, 'export.xlsx');
      writeFileSync(exportFile, 'Geheim');
      const err = await shredWith([exportFile], dir, () => linkSync(exportFile, join(dir, 'kopie.xlsx')));
      expect(err.message).toContain('is sinds de controle vervangen of veranderd');
      expect(readFileSync(join(dir, 'kopie.xlsx'), 'utf8')).toBe('Geheim');
    });

    it('convert --shred-inputs: an export replaced while convert ran is not the file it read; nothing goes', async () => {
      const dir = tempDir();
      const exportFile = join(dir, 'export.xlsx');
      writeFileSync(exportFile, 'Geheim');
      const readAs = await prepareShredAfterConvert([exportFile], { yes: true, canAsk: false });
      renameSync(exportFile, join(dir, 'oud.xlsx'));
      writeFileSync(exportFile, 'Een andere lijst');
      const err = await shredWith([exportFile], dir, () => {}, readAs);
      expect(err.message).toBe(
        `Niets verwijderd: ${exportFile} is niet meer het bestand dat convert las (vervangen of overschreven terwijl convert liep). Bekijk het, en verwijder het zo nodig met shred.`,
      );
      expect(listDir(dir)).toEqual(['export.xlsx', 'oud.xlsx']);
      // Deleted and written anew: ext4 gives the new file the old one's number; its creation time tells them apart.
      const again = await prepareShredAfterConvert([exportFile], { yes: true, canAsk: false });
      unlinkSync(exportFile);
      writeFileSync(exportFile, 'Nog een andere lijst');
      expect((await shredWith([exportFile], dir, () => {}, again)).message).toContain('is niet meer het bestand dat convert las');
      // Copied over in place while the admin answers the question (the same file, other content): left as it is.
      writeFileSync(exportFile, 'Geheim');
      const read = await prepareShredAfterConvert([exportFile], { yes: true, canAsk: false });
      const copied = await shredWith(
        [exportFile],
        dir,
        () => {
          writeFileSync(exportFile, 'Een lijst die convert nooit las');
          utimesSync(exportFile, new Date(2030, 0, 1), new Date(2030, 0, 1));
        },
        read,
      );
      expect(copied.message).toContain(`${exportFile}: is sinds de controle vervangen of veranderd`);
      expect(readFileSync(exportFile, 'utf8')).toBe('Een lijst die convert nooit las');
    });
  });

  /** Shreds a.csv, b.csv and c.csv in a new folder, calling `onShredded` after each; the error it stops with. */
  const failedShred = async (onShredded: (path: string, dir: string) => void) => {
    const dir = tempDir();
    for (const f of ['a.csv', 'b.csv', 'c.csv']) writeFileSync(join(dir, f), 'Geheim');
    const err = await runShred(
      ['a.csv', 'b.csv', 'c.csv'].map((f) => join(dir, f)),
      {
        passes: 1,
        zero: false,
        env: {},
        cwd: dir,
        confirm: async () => true,
        onCloud: () => {},
        onShredded: (t) => onShredded(t.path, dir),
        onGone: () => {},
        onLeftover: () => {},
        onBusyLeftover: () => {},
      },
    ).catch((e: unknown) => e);
    return { dir, err: err as Error };
  };

  it('a failure on one file names it and what happened to each file', async () => {
    const done: string[] = [];
    const { dir, err } = await failedShred((path, dir) => {
      done.push(path);
      if (path.endsWith('a.csv')) unlinkSync(join(dir, 'b.csv')); // another program deleted it meanwhile
    });
    expect(done).toEqual([join(dir, 'a.csv')]);
    expect(err.message).toBe(
      `Shred gestopt bij een fout. ${join(dir, 'a.csv')}: overschreven en verwijderd; ${join(dir, 'b.csv')}: was al weg voordat shred het overschreef ` +
        `(door iets anders verwijderd); ${join(dir, 'c.csv')}: niet aangeraakt. Los de fout op en draai shred opnieuw voor wat er nog staat.`,
    );
    expect(existsSync(join(dir, 'c.csv'))).toBe(true);
  });

  it('files another shred of the same files removed meanwhile are not said to be untouched (which reads as still there)', async () => {
    const { dir, err } = await failedShred((_, dir) => {
      for (const f of ['b.csv', 'c.csv']) unlinkSync(join(dir, f)); // the other shred, started a moment later
    });
    expect(err.message).toBe(
      `Shred gestopt bij een fout. ${join(dir, 'a.csv')}: overschreven en verwijderd; ${join(dir, 'b.csv')}: was al weg voordat shred het overschreef ` +
        `(door iets anders verwijderd); ${join(dir, 'c.csv')}: ook al weg. Van deze bestanden staat er niets meer.`,
    );
  });
});
