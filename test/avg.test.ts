import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { syntheticStudents } from '../fixtures/students.js';
import { AtomicFile } from '../src/io/atomic-file.js';
import { overwriteInPlace } from '../src/io/shred.js';
import { fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';

/** Every file below dir, relative, so a stray copy anywhere shows up. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('no stray copies', () => {
  it('convert and check on every fixture shape create only the named outputs; nothing in TMPDIR', async () => {
    const tmp = tempDir('numo-prep-tmpdir-');
    const work = tempDir('numo-prep-work-');
    for (const f of ['magister-export.xlsx', 'magister-export-bewerkt.xlsx', 'magister-export-inline.xlsx', 'magister-export-ansi.csv', 'magister-export-fouten.xlsx', 'idgebr.csv']) {
      copyFileSync(fixture(f), join(work, f));
    }
    const before = tree(work);
    // os.tmpdir() reads these at each call, so the in-process runs see the empty folder.
    const env = { TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    onTestFinished(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    const outputs: string[] = [];
    for (const f of ['magister-export.xlsx', 'magister-export-bewerkt.xlsx', 'magister-export-inline.xlsx', 'magister-export-ansi.csv']) {
      const out = `out-${f}.csv`;
      // The IDGebr file lists the students of magister-export.xlsx only (one with no Stamnr in common is an error).
      const sso = f === 'magister-export.xlsx' ? ['--idgebr', 'idgebr.csv'] : [];
      const r = await runCli(['convert', f, '--mapping', MAPPING, ...sso, '--out', out], { cwd: work, env });
      expect(r.code, f).toBe(0);
      outputs.push(out);
    }
    expect((await runCli(['convert', 'magister-export-fouten.xlsx', '--mapping', MAPPING, '--out', 'fout.csv'], { cwd: work, env })).code).toBe(1);
    expect((await runCli(['check', outputs[0]!], { cwd: work, env })).code).toBe(0);
    expect((await runCli(['convert', 'magister-export.xlsx', '--mapping', MAPPING, '--dry-run', '--json'], { cwd: work, env })).code).toBe(0);
    expect(tree(tmp)).toEqual([]);
    expect(tree(work)).toEqual([...before, ...outputs].sort());
  });
});

describe('no personal data in messages', () => {
  it('errors, warnings and JSON name rows and Stamnr, never names, e-mails or passwords', async () => {
    const people = [...syntheticStudents(12, 17, 500001), ...syntheticStudents(40)];
    const secrets = new Set(people.flatMap((s) => [s.roepnaam, s.achternaam, s.email]).filter((v) => v.length > 3));
    const runs = [
      await runCli(['convert', fixture('magister-export-fouten.xlsx'), '--mapping', MAPPING, '--dry-run']),
      await runCli(['convert', fixture('magister-export-fouten.xlsx'), '--mapping', MAPPING, '--dry-run', '--json']),
      await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--idgebr', fixture('idgebr.csv'), '--dry-run', '--json']),
    ];
    for (const r of runs) {
      const text = r.stdout + r.stderr;
      for (const secret of secrets) expect(text, secret).not.toContain(secret);
    }
    expect(runs[0]!.stderr).toMatch(/rij \d+ \(Stamnr 5000\d\d\)/);
  });
});

describe('interrupted mid-write', () => {
  it('abort removes the temp file of an output', async () => {
    const dir = tempDir();
    const f = await AtomicFile.create(join(dir, 'x.csv'), { replace: false });
    await f.write(Buffer.from('data'));
    expect(listDir(dir)).toHaveLength(1);
    await f.abort();
    expect(listDir(dir)).toEqual([]);
  });
});

describe('numo-prep shred', () => {
  it('overwrites in place: a second hard link no longer sees the original', async () => {
    const dir = tempDir();
    const original = 'Stamnr;Roepnaam\r\n1001;Geheim\r\n'.repeat(500);
    writeFileSync(join(dir, 'export.csv'), original);
    linkSync(join(dir, 'export.csv'), join(dir, 'link.csv'));
    await overwriteInPlace(join(dir, 'export.csv'), { passes: 1, zero: false });
    const seen = readFileSync(join(dir, 'link.csv'));
    expect(seen.length).toBe(Buffer.byteLength(original));
    expect(seen.toString('latin1')).not.toContain('Geheim');
    await overwriteInPlace(join(dir, 'export.csv'), { passes: 2, zero: true });
    expect(readFileSync(join(dir, 'link.csv')).every((b) => b === 0)).toBe(true);

    // shred itself refuses a file with another name outside the batch, and takes both when both are named.
    const refused = await runCli(['shred', join(dir, 'export.csv'), '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/export\.csv: heeft nog 1 andere naam/);
    expect(listDir(dir)).toEqual(['export.csv', 'link.csv']);
    const r = await runCli(['shred', join(dir, 'export.csv'), join(dir, 'link.csv'), '--yes']);
    expect(r.code).toBe(0);
    expect(listDir(dir)).toEqual([]);
    expect(r.stderr).toContain('SSD');
  });

  it('checks the whole batch first: one bad path and nothing is touched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'x');
    mkdirSync(join(dir, 'map'));
    symlinkSync(join(dir, 'a.csv'), join(dir, 'snelkoppeling.csv'));
    const cases: [string, RegExp][] = [
      [join(dir, 'map'), /is een map/],
      [join(dir, 'snelkoppeling.csv'), /snelkoppeling \(symlink\)/],
      ['/dev/null', /geen gewoon bestand/],
      [join(dir, 'typo.csv'), /bestaat niet/],
    ];
    for (const [bad, message] of cases) {
      const r = await runCli(['shred', join(dir, 'a.csv'), bad, '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Niets verwijderd/);
      expect(r.stderr).toMatch(message);
      expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('x');
    }
  });

  it('an export read through a symbolic link: the shred line convert prints names the file itself, and works', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'echt'));
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'echt', 'export.xlsx'));
    symlinkSync(join(dir, 'echt', 'export.xlsx'), join(dir, 'export.xlsx'));
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'numo.csv'), '--json']);
    expect(r.code).toBe(0);
    const line: string = JSON.parse(r.stdout).shredCommand;
    expect(line).toContain(join(dir, 'echt', 'export.xlsx'));
    const args = [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!).slice(2);
    const shred = await runCli(['shred', ...args, '--yes']);
    expect(shred.code, shred.stderr).toBe(0);
    expect(listDir(join(dir, 'echt'))).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('a .. after a folder link goes up from where the link leads, as the shell takes it: path.resolve made it another file, which shred removed', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'echt', 'diep'), { recursive: true });
    mkdirSync(join(dir, 'werk'));
    symlinkSync(join(dir, 'echt', 'diep'), join(dir, 'werk', 'link'));
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'echt', 'export.xlsx'));
    writeFileSync(join(dir, 'werk', 'export.xlsx'), 'blijft');
    const convert = await runCli(['convert', 'link/../export.xlsx', '--mapping', MAPPING, '--out', 'link/../numo.csv', '--no-config'], { cwd: join(dir, 'werk') });
    expect(convert.code, convert.stderr).toBe(0);
    expect(listDir(join(dir, 'echt'))).toEqual(['diep', 'export.xlsx', 'numo.csv']);
    const shred = await runCli(['shred', 'link/../export.xlsx', 'link/../numo.csv', '--yes'], { cwd: join(dir, 'werk') });
    expect(shred.code, shred.stderr).toBe(0);
    expect(listDir(join(dir, 'echt'))).toEqual(['diep']);
    expect(readFileSync(join(dir, 'werk', 'export.xlsx'), 'utf8')).toBe('blijft');
  });

  it.skipIf(process.platform === 'win32')(
    'an output through a folder that does not exist (nope/../uit.csv) is refused as the shell would: it was written beside it, under a name its shred line could not find',
    async () => {
      const dir = tempDir();
      copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
      for (const [args, flag] of [
        [['convert', 'export.xlsx', '--mapping', MAPPING, '--no-config', '--out', 'nope/../uit.csv'], '--out'],
        [['mapping', 'export.xlsx', '--no-config', '--out', 'nope/../m.xlsx'], '--out'],
      ] as const) {
        const r = await runCli([...args], { cwd: dir });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`De map ${join(dir, 'nope')}/.. bestaat niet. Maak de map eerst aan of kies met ${flag} een andere plek.`);
      }
      expect(listDir(dir)).toEqual(['export.xlsx']);
    },
  );

  it('refuses to remove the mapping or code list the config names, however spelled: "shred *.csv *.xlsx" took next year\'s mapping', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'mappings'));
    for (const f of ['export.xlsx', 'numo.csv', 'mappings/school.csv', 'opleidingen.xlsx']) writeFileSync(join(dir, f), 'x');
    // With the BOM Windows Notepad wrote in front (convert reads such a config, so shred must too).
    writeFileSync(join(dir, 'numo-prep.config.json'), `\uFEFF${JSON.stringify({ version: 1, mapping: 'mappings\\school.csv', opleidingen: 'opleidingen.xlsx', out: 'numo.csv' })}`);
    const r = await runCli(['shred', 'export.xlsx', 'numo.csv', './mappings//school.csv', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Niets verwijderd: ${join(dir, 'mappings', 'school.csv')} is de mapping die ${join(dir, 'numo-prep.config.json')} noemt, en die is volgend jaar weer nodig.`);
    const list = await runCli(['shred', 'numo.csv', 'opleidingen.xlsx', '--yes'], { cwd: dir });
    expect(list.stderr).toContain('is de lijst met opleidingscodes die');
    expect(list.stderr).toContain('haal dan eerst "opleidingen" uit numo-prep.config.json');
    expect(listDir(dir)).toEqual(['export.xlsx', 'mappings', 'numo-prep.config.json', 'numo.csv', 'opleidingen.xlsx']);
    // The settings themselves (the advice above, followed, named them): next year's usernames and passwords.
    const settings = await runCli(['shred', 'export.xlsx', 'numo.csv', 'numo-prep.config.json', '--yes'], { cwd: dir });
    expect(settings.code).toBe(2);
    expect(settings.stderr).toContain(`Niets verwijderd: ${join(dir, 'numo-prep.config.json')} is het instellingenbestand met de keuzes van de school`);
    // Without them: the rest goes.
    expect((await runCli(['shred', 'export.xlsx', 'numo.csv', '--yes'], { cwd: dir })).code).toBe(0);
    expect(listDir(dir)).toEqual(['mappings', 'numo-prep.config.json', 'opleidingen.xlsx']);
  });

  it('needs --yes without a TTY, and takes Excel lock files along', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.xlsx'), 'x');
    writeFileSync(join(dir, '~$export.xlsx'), 'lock');
    const no = await runCli(['shred', join(dir, 'export.xlsx')]);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('--yes');
    expect(listDir(dir)).toHaveLength(2);
    const yes = await runCli(['shred', join(dir, 'export.xlsx'), '--yes']);
    expect(yes.code).toBe(0);
    expect(listDir(dir)).toEqual([]);
  });

  it('warns that a file in a cloud folder has already left the PC', async () => {
    const dir = join(tempDir(), 'OneDrive - Voorbeeldschool');
    mkdirSync(dir);
    writeFileSync(join(dir, 'export.csv'), 'x');
    const r = await runCli(['shred', join(dir, 'export.csv'), '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/staat in een cloudmap/);
    // Also through a link to a folder in it (Documenten that leads into OneDrive).
    mkdirSync(join(dir, 'Documenten'));
    writeFileSync(join(dir, 'Documenten', 'export.csv'), 'x');
    const link = join(dirname(dir), 'Documenten');
    symlinkSync(join(dir, 'Documenten'), link);
    const l = await runCli(['shred', join(link, 'export.csv'), '--yes']);
    expect(l.code).toBe(0);
    expect(l.stderr).toMatch(/staat in een cloudmap/);
  });

  it('a folder the OneDrive client syncs is found by its variable, without case on Windows and macOS', async () => {
    const { cloudSynced } = await import('../src/io/shred.js');
    const root = join(tempDir(), 'Scholengroep X');
    const file = join(root.toLowerCase(), 'numo', 'b.csv');
    const env = { OneDriveCommercial: root.replace('Scholengroep X', 'SCHOLENGROEP X') };
    expect(await cloudSynced([file], env, 'win32')).toEqual([file]);
    expect(await cloudSynced([file], env, 'darwin')).toEqual([file]);
    expect(await cloudSynced([file], env, 'linux')).toEqual([]);
    expect(await cloudSynced([join(root, 'numo', 'b.csv')], { OneDriveCommercial: root }, 'linux')).toHaveLength(1);
  });

  it('convert --shred-inputs removes the export and IDGebr file after a successful write only', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    copyFileSync(fixture('idgebr.csv'), join(dir, 'idgebr.csv'));
    copyFileSync(fixture('magister-export-fouten.xlsx'), join(dir, 'fouten.xlsx'));
    const failed = await runCli(['convert', join(dir, 'fouten.xlsx'), '--mapping', MAPPING, '--shred-inputs', '--yes']);
    expect(failed.code).toBe(1);
    expect(existsSync(join(dir, 'fouten.xlsx'))).toBe(true);
    const args = ['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--idgebr', join(dir, 'idgebr.csv'), '--out', join(dir, 'numo.csv'), '--shred-inputs'];
    // A dry run refuses what the real run would (no --yes without a terminal), and removes nothing.
    const dry = await runCli([...args, '--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('--shred-inputs vraagt zonder terminal (en met --json) ook --yes');
    // --json in a terminal: the question would come without the list of files (that goes into the JSON).
    const asked = await runCli([...args, '--json'], { tty: true });
    expect(asked.code).toBe(2);
    expect(JSON.parse(asked.stdout).error).toContain('--shred-inputs vraagt zonder terminal (en met --json) ook --yes');
    expect((await runCli([...args, '--yes', '--dry-run'])).code).toBe(0);
    expect(listDir(dir)).toEqual(['export.xlsx', 'fouten.xlsx', 'idgebr.csv']);
    // --json says what went, and the caveat a text run prints.
    const r = await runCli([...args, '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(listDir(dir)).toEqual(['fouten.xlsx', 'numo.csv']);
    const json = JSON.parse(r.stdout);
    expect(json.shredded).toEqual([join(dir, 'export.xlsx'), join(dir, 'idgebr.csv')]);
    expect(json.notices).toEqual([expect.stringMatching(/^Let op: overschrijven wist alleen deze kopie/)]);
    expect(r.stderr).toBe('');
  });
});
