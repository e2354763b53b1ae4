import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, onSignal, SMALL_WORK_BYTES, v8FlagsForWork } from '../src/cli.js';
import { CONFIG_KEYS, SETTINGS } from '../src/core/settings.js';
import { AtomicFile, commitAll } from '../src/io/atomic-file.js';
import {
  committedFiles,
  forgetShredAfterWrite,
  forgetShredded,
  noteOnInterrupt,
  noteShredded,
  shredRenaming,
  shredStarted,
  trackShred,
  trackShredAfterWrite,
  trackTemp,
  trackUndo,
  untrackShred,
  untrackTemp,
} from '../src/io/cleanup.js';
import { shredCommand } from '../src/ui/command-line.js';
import { processIo } from '../src/ui/terminal.js';
import { expectNoStack, fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';

/** A terminal's keyboard: the keys are there before the prompt reads them. */
function keys(...typed: string[]): PassThrough {
  const stdin = new PassThrough();
  for (const k of typed) stdin.write(k);
  return stdin;
}

const CTRL_C = '\u0003';
const ENTER = '\r';
const UP = '\u001b[A';

describe('Ctrl+C at a question', () => {
  it('convert with a terminal, asked to map a new Studie: exit 130, nothing written', async () => {
    const dir = tempDir();
    // A new Studie is all that stops this run: only then does convert ask.
    const mapping = join(tempDir(), 'mapping.csv');
    writeFileSync(mapping, readFileSync(MAPPING, 'utf8').replace(/^2 havo;.*\r\n/m, ''));
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--out', join(dir, 'numo.csv')], { tty: true, input: keys(CTRL_C) });
    expectNoStack(r);
    expect(r.stdout).toContain('Nu koppelen?');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('numo-prep: Afgebroken; er is niets weggeschreven.');
    expect(listDir(dir)).toEqual([]);
    expect(readFileSync(mapping, 'utf8')).not.toContain('2 havo');
  });

  it('the wizard: exit 130, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), readFileSync(fixture('magister-export-ansi.csv')));
    const r = await runCli(['wizard'], { cwd: dir, tty: true, input: keys(CTRL_C) });
    expectNoStack(r);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Afgebroken; er is niets weggeschreven.');
    expect(listDir(dir)).toEqual(['export.csv']);
  });

  it('the wizard needs a terminal: exit 2 with the scripted alternative', async () => {
    const dir = tempDir();
    const r = await runCli(['wizard'], { cwd: dir });
    expect(r.code).toBe(2);
    // No mapping yet: the workbook to fill in is the way without questions.
    expect(r.stderr).toContain(
      'zonder terminal maak je de mapping als werkmap in Excel, en zet je daarna om met convert --mapping: numo-prep mapping <export> --out mapping.xlsx (vervang <export> door de naam van de export)',
    );
    // The one export in the folder is named, as the wizard would offer it.
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'Leerlingen 2026.xlsx'));
    const one = await runCli(['wizard'], { cwd: dir });
    expect(one.stderr).toContain("numo-prep mapping 'Leerlingen 2026.xlsx' --out mapping.xlsx");
    rmSync(join(dir, 'Leerlingen 2026.xlsx'));
    // A staff list needs no mapping but its role.
    copyFileSync(fixture('bron-somtoday-medewerkers.csv'), join(dir, 'personeel.csv'));
    const staff = await runCli(['wizard', 'personeel.csv'], { cwd: dir });
    expect(staff.stderr).toContain('numo-prep convert personeel.csv --rol docent');
    writeFileSync(join(dir, 'numo-prep.config.json'), '{"version":1}');
    const again = await runCli(['wizard', 'export 2026.xlsx'], { cwd: dir });
    expect(again.stderr).toContain("numo-prep convert 'export 2026.xlsx' --config numo-prep.config.json");
    // With SSO, convert needs this year's IDGebr file: a command without it would stop.
    writeFileSync(join(dir, 'numo-prep.config.json'), '{"version":1,"sso":true}');
    const sso = await runCli(['wizard', 'export 2026.xlsx'], { cwd: dir });
    expect(sso.stderr).toContain(
      "numo-prep convert 'export 2026.xlsx' --config numo-prep.config.json --idgebr <nieuw-idgebr-bestand> (vervang <nieuw-idgebr-bestand> door het IDGebr-bestand van dit jaar)",
    );
    // A staff list in the students' folder: their settings are not for it.
    expect((await runCli(['wizard', '.'], { cwd: dir })).stderr).toContain('. is een map, geen bestand. Geef het pad naar de export zelf.');
    // A path that cannot be looked at (a file used as a folder) gets the advice, no "onverwachte fout".
    const odd = await runCli(['wizard', 'personeel.csv/x.csv'], { cwd: dir });
    expect([odd.code, odd.stderr]).toEqual([2, expect.stringContaining('heeft daarom een terminal nodig')]);
    // Typed in a terminal with its output redirected (wizard > log.txt): that is what to change, not "use a terminal".
    const typed = Object.assign(Readable.from(['']), { isTTY: true });
    const redirected = await runCli(['wizard'], { cwd: dir, input: typed });
    expect([redirected.code, redirected.stderr]).toEqual([
      2,
      'numo-prep: De wizard stelt zijn vragen op het scherm, maar zijn uitvoer gaat nu naar een bestand of pijp (> of |). Start hem zonder > of |.\n',
    ]);
    const staffHere = await runCli(['wizard', 'personeel.csv'], { cwd: dir });
    expect(staffHere.stderr).toContain('numo-prep convert personeel.csv --rol docent --no-config (de instellingen in numo-prep.config.json zijn voor leerlingen');
    // A folder with two staff lists and no export: the way without questions is convert --rol docent, not a mapping.
    const staffDir = tempDir();
    for (const f of ['personeel-a.csv', 'personeel-b.csv']) writeFileSync(join(staffDir, f), 'Code;Roepnaam;Achternaam;Loginaccount.Naam;Functie.Omschr\r\nAAL;Anna;Aalst;aaalst;Docent\r\n');
    const two = await runCli(['wizard'], { cwd: staffDir });
    expect(two.stderr).toContain('numo-prep convert <export> --rol docent');
    // The one list of codes in a students' folder goes along, as the wizard with a terminal would use it.
    const studentDir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(studentDir, 'export.xlsx'));
    copyFileSync(fixture('opleidingen.csv'), join(studentDir, 'opleidingen.csv'));
    expect((await runCli(['wizard'], { cwd: studentDir })).stderr).toContain('numo-prep mapping export.xlsx --opleidingen opleidingen.csv --out mapping.xlsx');
    // The mapping command on a staff list says what it is, not "add the Studie in Magister".
    const mapping = await runCli(['mapping', 'personeel-a.csv', '--out', 'm.xlsx', '--no-config'], { cwd: staffDir });
    expect(mapping.code).toBe(2);
    expect(mapping.stderr).toContain("personeel-a.csv is een personeelslijst (kolom 'Functie.Omschr'): die heeft geen Studies en dus geen mapping.");
    expect(mapping.stderr).not.toContain('Kolommenkiezer');
  });
});

describe('output that cannot be written (stdout redirected to a full disk)', () => {
  const fullDisk = () =>
    new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      },
    });

  it('is no stack trace: the run finishes, exit 2, and stderr names what was written; --shred-inputs still shreds', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const full = fullDisk();
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (d) => (said += d));
    const out = join(dir, 'numo.csv');
    const code = await main(['node', 'numo-prep', 'convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--no-config', '--out', out, '--shred-inputs', '--yes', '--json'], {
      stdout: full,
      stderr,
      stdin: Readable.from(['']),
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      isTTY: false,
    });
    expect(code).toBe(2);
    // What --shred-inputs removed is said too: a script reading exit 2 as "nothing happened" would keep looking for it.
    expect(said).toContain(`numo-prep: het verslag kon niet worden geschreven (ENOSPC; schijf vol?). Wel geschreven: ${out}. Wel veilig verwijderd: ${join(dir, 'export.xlsx')}.`);
    expect(said).not.toMatch(/\n\s+at /);
    expect(listDir(dir)).toEqual(['numo.csv']);
  });

  it('shred says which files it removed, not "Er is niets geschreven"', async () => {
    const dir = tempDir();
    for (const f of ['a.csv', 'b.csv']) writeFileSync(join(dir, f), 'Stamnr;Achternaam\r\n1001;Jansen\r\n');
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (d) => (said += d));
    const io = { stderr, stdin: Readable.from(['']), cwd: dir, env: { ...process.env, NO_COLOR: '1' }, isTTY: false };
    const shred = (files: string[]) => main(['node', 'numo-prep', 'shred', ...files, '--yes'], { ...io, stdout: fullDisk() });
    expect(await shred(['a.csv', 'b.csv'])).toBe(2);
    expect(said).toContain(`het verslag kon niet worden geschreven (ENOSPC; schijf vol?). Wel veilig verwijderd: ${join(dir, 'a.csv')}, ${join(dir, 'b.csv')}.\n`);
    expect(listDir(dir)).toEqual([]);
  });
});

describe('an option given twice', () => {
  it('that takes one value is refused (the first would go unread and out of the shred line); --klas and --studie collect', async () => {
    for (const args of [
      ['convert', fixture('magister-export.xlsx'), '--idgebr', fixture('idgebr.csv'), '--idgebr=b.csv', '--dry-run'],
      ['convert', fixture('magister-export.xlsx'), '--rol', 'leerling', '--rol', 'docent', '--dry-run'],
      ['mapping', fixture('magister-export.xlsx'), '--out', 'a.xlsx', '--out', 'b.xlsx'],
      ['shred', 'x.csv', '--passes', '2', '--passes', '3'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Optie --(idgebr|rol|out|passes) staat twee keer in de opdracht; welke waarde bedoeld is, is niet zeker\. Geef hem één keer\./);
    }
    for (const pair of [
      ['--config', 'x.json', '--no-config'],
      ['--no-sso', '--sso'],
    ]) {
      const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, ...pair, '--dry-run']);
      expect(r.code, pair.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Opties --(config|no-sso) en --(no-config|sso) staan allebei in de opdracht; kies er één\./);
    }
    const klas = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--klas', '1A', '--klas', '2*', '--dry-run']);
    expect(klas.stderr).not.toContain('twee keer');
    // A value no student has is named (a typo would drop its class without a word), the others not.
    const typo = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--klas', '2V*,4HV3', '--studie', '2 vwo', '--dry-run']);
    expect(typo.stderr).toContain("Uit het filter staat bij geen enkele leerling in de export: klas '4HV3'\n    → Controleer --klas en --studie");
    // A value that looks like an option is the option's value, not a second option.
    const value = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--gebruikersnaam', '--mapping', '--dry-run']);
    expect(value.stderr).not.toContain('twee keer');
  });
});

describe('--quiet', () => {
  it('convert: nothing on stdout when all is well; problems still on stderr', async () => {
    const dir = tempDir();
    const ok = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'numo.csv'), '--quiet']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(listDir(dir)).toEqual(['numo.csv']);
    const loud = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--dry-run']);
    expect(loud.stdout).toContain('40 leerlingen klaar');
    const bad = await runCli(['convert', fixture('magister-export-fouten.xlsx'), '--mapping', MAPPING, '--dry-run', '--quiet']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("Studie '4 havo' staat niet in de mapping");
  });

  it('check: silent on a good file, errors on a bad one', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out, '--quiet'])).code).toBe(0);
    expect(await runCli(['check', out, '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
    writeFileSync(join(dir, 'hand.csv'), 'gebruikersnaam;voornaam;achternaam;opleiding;e-mail;rol\r\n1;A;B;X;a@b.nl;beheerder\r\n');
    const bad = await runCli(['check', join(dir, 'hand.csv'), '--quiet']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rol/i);
  });

  it('shred: no line per file and no caveat; the files are gone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'x');
    const r = await runCli(['shred', join(dir, 'a.csv'), '--yes', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(listDir(dir)).toEqual([]);
  });
});

describe('--password-length', () => {
  it('sets the length of random passwords', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out, '--password-length', '16'])).code).toBe(0);
    const passwords = readFileSync(out, 'utf8')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(';')[7]!);
    expect(passwords).toHaveLength(40);
    for (const p of passwords) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  });

  it('refuses what is not a length, with exit 2 and nothing written', async () => {
    const dir = tempDir();
    for (const [value, message] of [
      ['0', /Ongeldige waarde '0' voor --password-length\. Kies een geheel getal van 6 tot en met 64\./],
      ['tien', /Ongeldige waarde 'tien' voor --password-length\. Kies een geheel getal van 6 tot en met 64\./],
      ['5', /Ongeldige waarde '5' voor --password-length\. Kies een geheel getal van 6 tot en met 64\./],
      ['65', /Ongeldige waarde '65' voor --password-length\. Kies een geheel getal van 6 tot en met 64\./],
    ] as const) {
      const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'numo.csv'), '--password-length', value]);
      expectNoStack(r);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(listDir(dir)).toEqual([]);
  });
});

describe('an empty file name', () => {
  it("is a usage error naming the flag (exit 2, nothing written), never the config file's value or no file at all", async () => {
    const dir = tempDir();
    // A config beside the export names a mapping: an empty --mapping must not quietly mean "no mapping" instead.
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: MAPPING }));
    for (const flag of ['--mapping', '--out', '--idgebr', '--opleidingen']) {
      const others = ['--mapping', MAPPING, '--out', join(dir, 'numo.csv')].filter((_, i, a) => a[i - (i % 2)] !== flag);
      const r = await runCli(['convert', fixture('magister-export.xlsx'), ...others, flag, ''], { cwd: dir });
      expectNoStack(r);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toContain(`Ongeldige waarde voor ${flag}. Verwacht: een niet-lege waarde.`);
    }
    expect(listDir(dir)).toEqual(['numo-prep.config.json']);
  });
});

describe('a path with a " in it', () => {
  it('on Windows is exit 2 saying how cmd made it (a \\ before the closing quote), never "disappeared during the run"', async () => {
    const dir = tempDir();
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      // cmd: --out "D:\Leerlingen (def)\" --dry-run gives one argument, the rest of the line in it.
      const out = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', 'D:\\Leerlingen (def)" --dry-run'], { cwd: dir });
      expectNoStack(out);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('De waarde van --out bevat een aanhalingsteken ("). Eindigt een pad tussen aanhalingstekens op \\ (zoals "D:\\map\\"), laat die laatste \\ dan weg.');
      const shred = await runCli(['shred', 'D:\\Leerlingen (def)" export.xlsx', '--yes'], { cwd: dir });
      expect([shred.code, shred.stderr]).toEqual([2, expect.stringContaining('Het bestand bevat een aanhalingsteken (").')]);
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    expect(listDir(dir)).toEqual([]);
  });

  it('on macOS and Linux is a file name like any other', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'Leerlingen "2025".xlsx'));
    const r = await runCli(['convert', 'Leerlingen "2025".xlsx', '--mapping', MAPPING, '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('shred with a terminal', () => {
  it('asks first, Nee by default; Nee leaves the files, Ja removes them', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.xlsx'), 'x');
    const no = await runCli(['shred', join(dir, 'export.xlsx')], { tty: true, input: keys(ENTER) });
    expect(no.code).toBe(0);
    expect(no.stdout).toContain('Definitief verwijderen?');
    expect(no.stderr).toContain('Niets verwijderd.');
    expect(listDir(dir)).toEqual(['export.xlsx']);
    const yes = await runCli(['shred', join(dir, 'export.xlsx')], { tty: true, input: keys(UP, ENTER) });
    expect(yes.code).toBe(0);
    expect(listDir(dir)).toEqual([]);
  });

  it('convert --shred-inputs stopped at its question after the write names the export as not yet removed', async () => {
    const dir = tempDir();
    const exp = join(dir, 'export.xlsx');
    copyFileSync(fixture('magister-export.xlsx'), exp);
    const r = await runCli(['convert', exp, '--mapping', MAPPING, '--out', join(dir, 'numo.csv'), '--shred-inputs'], { tty: true, input: keys(CTRL_C) });
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('Definitief verwijderen?');
    expect(r.stderr).toContain(`numo-prep: Afgebroken; nog niet veilig verwijderd: ${exp}; draai shred voor dat bestand. Wel geschreven: ${join(dir, 'numo.csv')}.`);
    expect(listDir(dir)).toEqual(['export.xlsx', 'numo.csv']);
  });

  it('refuses --passes that is not a positive number', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'x');
    const r = await runCli(['shred', join(dir, 'a.csv'), '--yes', '--passes', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Ongeldige waarde '0' voor --passes.");
    expect(listDir(dir)).toEqual(['a.csv']);
  });
});

describe('what the program entry uses', () => {
  it('V8 flags by the size of the work: no optimising compiler for small work, a young generation that stays small', () => {
    // --max-opt alone is ignored at run time by the V8 of Node 24 and later; the two switches are not.
    expect(v8FlagsForWork(0)).toEqual(['--heap-growing-percent=30', '--semi-space-growth-factor=1', '--max-opt=1', '--no-maglev', '--no-turbofan']);
    expect(v8FlagsForWork(SMALL_WORK_BYTES)).toContain('--max-opt=1');
    expect(v8FlagsForWork(SMALL_WORK_BYTES + 1)).toEqual(['--heap-growing-percent=30', '--semi-space-growth-factor=1']);
    expect(v8FlagsForWork(SMALL_WORK_BYTES + 1)).not.toContain('--max-opt=1');
    expect(v8FlagsForWork(SMALL_WORK_BYTES + 1)).not.toContain('--no-turbofan');
    expect(v8FlagsForWork(Number.POSITIVE_INFINITY)).toContain('--semi-space-growth-factor=1');
  });

  it('processIo reads stdin and isTTY of the real process only when asked', () => {
    const io = processIo({ cwd: '/elders' });
    expect(io.cwd).toBe('/elders');
    expect(io.stdin).toBe(process.stdin);
    expect(io.isTTY).toBe(Boolean(process.stdout.isTTY && process.stdin.isTTY));
  });

  it('a signal removes a half-written file and says so; with none it says that nothing was written', () => {
    const said = new PassThrough();
    let text = '';
    said.on('data', (d) => (text += d));
    const mark = committedFiles().length;
    onSignal(said, mark);
    expect(text).toBe('\nnumo-prep: Afgebroken; er is niets weggeschreven.\n');
    text = '';
    // What an admin asks of shred (stopped at its question, or before its first file): whether anything was deleted.
    onSignal(said, mark, 'shred');
    expect(text).toBe('\nnumo-prep: Afgebroken; er is niets verwijderd.\n');
    text = '';
    // The wizard's note (answers not kept) goes along while it applies.
    noteOnInterrupt(() => '2 antwoorden van deze keer zijn niet bewaard');
    onSignal(said, mark);
    noteOnInterrupt(undefined);
    expect(text).toBe('\nnumo-prep: Afgebroken; er is niets weggeschreven; 2 antwoorden van deze keer zijn niet bewaard.\n');
    text = '';
    // A shred stopped after some files: those are gone, not "nothing written".
    noteShredded('/school/export.xlsx');
    onSignal(said, mark);
    forgetShredded();
    expect(text).toBe('\nnumo-prep: Afgebroken; al overschreven en verwijderd: /school/export.xlsx.\n');
    text = '';
    const dir = tempDir();
    const temp = join(dir, '.numo-prep-1-ab.tmp');
    writeFileSync(temp, 'half');
    trackTemp(temp);
    try {
      onSignal(said, mark);
      expect(text).toBe('\nnumo-prep: Afgebroken; het half geschreven bestand is verwijderd.\n');
      expect(listDir(dir)).toEqual([]);
    } finally {
      untrackTemp(temp);
    }
    // While the files are put in place they are whole: what was placed is taken back.
    text = '';
    let undone = false;
    trackUndo(
      () => {
        undone = true;
      },
      join(dir, 'numo.csv'),
    );
    onSignal(said, mark);
    expect(undone).toBe(true);
    expect(text).toBe('\nnumo-prep: Afgebroken; wat deze run al had neergezet, is teruggedraaid en de tijdelijke bestanden zijn verwijderd.\n');
  });

  it('a signal during a shred names the files still on disk', () => {
    const said = new PassThrough();
    let text = '';
    said.on('data', (d) => (text += d));
    const dir = tempDir();
    const [exp, idgebr, hidden, gone] = ['export.xlsx', 'idgebr.csv', '3fa9c1', 'al-weg.csv'].map((f) => join(dir, f));
    for (const f of [hidden!, idgebr!]) writeFileSync(f, 'x');
    trackShred([exp!, idgebr!, gone!]);
    shredStarted(exp!);
    shredRenaming(exp!, hidden!);
    try {
      onSignal(said, committedFiles().length);
      // The one whose overwrite began is no use any more, said apart; a file already gone is not named: shred would
      // not find it.
      expect(text).toBe(`\nnumo-prep: Afgebroken; half overschreven (niet meer bruikbaar) en nog niet verwijderd: ${hidden}; nog te verwijderen: draai ${shredCommand([hidden!, idgebr!])}.\n`);
      // A signal during the rename itself: the file is found under the name it still has.
      rmSync(hidden!);
      writeFileSync(exp!, 'x');
      text = '';
      onSignal(said, committedFiles().length);
      expect(text).toContain(`half overschreven (niet meer bruikbaar) en nog niet verwijderd: ${exp}; nog te verwijderen: draai ${shredCommand([exp!, idgebr!])}.`);
    } finally {
      for (const f of [exp!, idgebr!, gone!]) untrackShred(f);
    }
  });
});

describe('a signal after the write, with --shred-inputs still to come', () => {
  it('names the inputs as not yet removed; before the write it does not', async () => {
    const said = new PassThrough();
    let text = '';
    said.on('data', (d) => (text += d));
    const dir = tempDir();
    const exp = join(dir, 'export.xlsx');
    writeFileSync(exp, 'x');
    trackShredAfterWrite([exp]);
    try {
      const mark = committedFiles().length;
      onSignal(said, mark);
      expect(text).toBe('\nnumo-prep: Afgebroken; er is niets weggeschreven.\n');
      text = '';
      const out = await AtomicFile.create(join(dir, 'numo.csv'), { replace: false });
      await out.write(Buffer.from('x'));
      await commitAll([out]);
      onSignal(said, mark);
      expect(text).toBe(`\nnumo-prep: Afgebroken; wel geschreven: ${join(dir, 'numo.csv')}; nog niet veilig verwijderd: draai ${shredCommand([exp])}.\n`);
    } finally {
      forgetShredAfterWrite();
    }
  });
});

describe('flags named in messages and comments', () => {
  it('every --flag the source mentions is an option of numo-prep, or one of the V8 flags cli.ts sets or discusses', async () => {
    const options = new Set<string>();
    for (const command of [[], ['convert'], ['check'], ['shred'], ['mapping'], ['wizard']]) {
      const r = await runCli([...command, '--help']);
      for (const flag of r.stdout.match(/--[a-z][a-z0-9-]*/g) ?? []) options.add(flag);
    }
    // GNU shred's own flag, and V8's: named where cli.ts and io/shred.ts say what they do or why not.
    const foreign = new Set(['--remove', '--heap-growing-percent', '--max-opt', '--no-maglev', '--no-turbofan', '--semi-space-growth-factor', '--max-semi-space-size', '--no-concurrent-marking']);
    const src = join(import.meta.dirname, '..', 'src');
    const unknown: string[] = [];
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(join(src, file), 'utf8').matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)) {
        if (!options.has(m[0]) && !foreign.has(m[0])) unknown.push(`${file}: ${m[0]}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});

describe('the settings schema and the command line', () => {
  it('every convert setting of SETTINGS is an option of convert, spelled as its key in kebab case', async () => {
    const help = (await runCli(['convert', '--help'])).stdout;
    const flags = Object.keys(SETTINGS)
      .filter((key) => key !== 'columns') // the config's own: a header per field, no option
      .map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    expect(flags.filter((flag) => !help.includes(`${flag} `) && !help.includes(`${flag}\n`))).toEqual([]);
  });
});

describe('docs/REFERENCE.md', () => {
  it('names every option of every command and every key of the config file', async () => {
    const reference = readFileSync(join(import.meta.dirname, '..', 'docs', 'REFERENCE.md'), 'utf8');
    const missing: string[] = [];
    for (const command of ['convert', 'check', 'shred', 'mapping', 'wizard']) {
      const r = await runCli([command, '--help']);
      for (const flag of new Set(r.stdout.match(/--[a-z][a-z0-9-]*/g))) if (flag !== '--help' && !reference.includes(`\`${flag}`)) missing.push(`${command} ${flag}`);
    }
    for (const key of CONFIG_KEYS) if (!reference.includes(`\`${key}\``)) missing.push(`config ${key}`);
    expect(missing).toEqual([]);
  });
});

describe('options against the config and the policy', () => {
  it("--klas '' clears the config's klas filter for this run (it was kept)", async () => {
    const dir = tempDir();
    const config = join(dir, 'cfg.json');
    writeFileSync(config, JSON.stringify({ version: 1, klas: ['9Z'] }));
    const filtered = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--config', config, '--dry-run']);
    expect(filtered.code).toBe(1);
    const all = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--config', config, '--klas', '', '--dry-run']);
    expect(all.code).toBe(0);
    expect(all.stdout + all.stderr).toContain('40 leerlingen');
  });

  it('is a usage error with a policy that has no random passwords, as --password-template is without template: it had no effect', async () => {
    const length = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--no-config', '--dry-run', '--password', 'none', '--password-length', '12']);
    expect(length.code).toBe(2);
    expect(length.stderr).toContain('--password-length werkt alleen met --password random (nu: none).');
    const template = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--no-config', '--dry-run', '--password-template', 'Welkom{stamnr}']);
    expect(template.code).toBe(2);
    expect(template.stderr).toContain('--password-template werkt alleen met --password template (nu: random).');
  });

  it('a password template field without a column is a usage error, and one empty in a row is an error there: the password would be only its other parts', async () => {
    const dir = tempDir();
    const staff = join(dir, 'personeel.csv');
    writeFileSync(staff, 'Code;Roepnaam;Achternaam;Loginaccount.Naam;E-mail\r\nAAL;Frank;Aalders;faalders;aal@school.nl\r\nBOS;Sem;Bos;sbos;\r\n');
    const noKlas = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--password', 'template', '--password-template', '{klas}{random4}', '--dry-run']);
    expect(noKlas.code).toBe(2);
    expect(noKlas.stderr).toContain('--password-template: {klas} heeft geen kolom in de export, dus elk wachtwoord zou zonder dat deel zijn.');
    // From the config, the message names the key there, not a flag nobody typed.
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ version: 1, rol: 'docent', password: 'template', passwordTemplate: '{klas}{random4}' }));
    const fromConfig = await runCli(['convert', staff, '--config', join(dir, 'cfg.json'), '--dry-run']);
    expect(fromConfig.stderr).toContain("'passwordTemplate' in cfg.json: {klas} heeft geen kolom in de export");
    const emptyEmail = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--password', 'template', '--password-template', '{email}{random6}', '--dry-run']);
    expect(emptyEmail.code).toBe(1);
    expect(emptyEmail.stderr).toContain('Wachtwoord onvolledig: {email} is leeg in deze rij (1×): rij 3');
    // A template of that field alone: the password of that row would be empty.
    const alone = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--password', 'template', '--password-template', '{email}', '--dry-run']);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('Wachtwoord onvolledig: {email} is leeg in deze rij (1×): rij 3');
  });

  it("side inputs are bounded before any row is read: templates, filters, paths, code lists, last year's logins", async () => {
    const dir = tempDir();
    const run = (args: string[]) => runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--no-config', '--dry-run', ...args]);
    const long = 'x'.repeat(300);
    const cases: [string[], string][] = [
      [['--gebruikersnaam', `{stamnr}${long}`], `is langer dan 255 tekens`],
      [['--klas', `*${long}`], '--klas: een waarde langer dan 255 tekens.'],
      [['--klas', Array.from({ length: 1001 }, (_, i) => `K${i}`).join(',')], '--klas: meer dan 1.000 waarden.'],
      [['--out', `${'a'.repeat(5000)}.csv`], 'Een pad is langer dan 4096 tekens'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, message).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.length).toBeLessThan(600);
    }
    const list = join(dir, 'opleidingen.csv');
    writeFileSync(list, ['Opleidingscode', ...Array.from({ length: 20_001 }, (_, i) => `VB-${i}`)].join('\r\n'));
    const codes = await run(['--opleidingen', list]);
    expect(codes.code).toBe(2);
    expect(codes.stderr).toContain("opleidingen.csv heeft meer dan 20.000 opleidingscodes: dat is niet Numo's lijst.");
    const previous = join(dir, 'vorig.csv');
    writeFileSync(previous, `gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n${'\u00e9'.repeat(1000)};Zoe;;Berg;1H1;VB-HAVO-1;;;leerling\r\n`);
    const prev = await run(['--previous', previous]);
    expect(prev.code).toBe(2);
    expect(prev.stderr).toContain('vorig.csv: rij 2: de gebruikersnaam is langer dan 255 tekens');
    // A Klas longer than Numo takes is kept by the filter (not matched, which costs value × pattern), and refused.
    const klas = join(dir, 'export.csv');
    writeFileSync(klas, `Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie\r\n600001;Zoe;;Berg;${'1'.repeat(300)};2 havo\r\n`);
    const kept = await runCli(['convert', klas, '--mapping', MAPPING, '--no-config', '--dry-run', '--klas', '1*']);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toContain('Waarde in kolom klas is langer dan 255 tekens');
    // A Studie (not a Numo column) too: kept by --studie, it is refused here instead of written.
    writeFileSync(klas, `Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie\r\n600001;Zoe;;Berg;1H1;4 havo ${'y'.repeat(300)}\r\n`);
    const studie = await runCli(['convert', klas, '--mapping', MAPPING, '--no-config', '--dry-run', '--studie', '1*havo']);
    expect(studie.code).toBe(1);
    expect(studie.stderr).toContain('Studie is langer dan 255 tekens');
  });

  it('a config key or flag that would do nothing in this run is a usage error too, and --klas , is no way to say "everyone"', async () => {
    const dir = tempDir();
    const run = (args: string[]) => runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--dry-run', ...args]);
    const config = (c: object) => {
      writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ version: 1, ...c }));
      return ['--config', join(dir, 'cfg.json')];
    };
    // Functions: each case writes its own config when it runs.
    const cases: [() => string[], string][] = [
      [() => config({ passwordTemplate: 'Welkom{random6}' }), `cfg.json: sleutel 'passwordTemplate' werkt alleen met "password": "template" (nu: random).`],
      [() => config({ password: 'none', passwordLength: 20 }), `cfg.json: sleutel 'passwordLength' werkt alleen met "password": "random" (nu: none).`],
      [() => ['--no-config', '--gebruikersnaam', '{email}', '--stamnr-cijfers', '8'], '--stamnr-cijfers werkt alleen met {stamnr} in de gebruikersnaam of het wachtwoordsjabloon (nu: {email}).'],
      [() => ['--no-config', '--no-sso', '--idgebr', fixture('idgebr.csv')], '--no-sso en --idgebr spreken elkaar tegen'],
      [() => ['--no-config', '--klas', ','], "--klas ',' noemt geen klas."],
      [() => ['--no-config', '--studie', ' '], "--studie ' ' noemt geen studie."],
      [() => config({ klas: [' '] }), "cfg.json: sleutel 'klas': waarde 1 is leeg; haal die weg"],
    ];
    for (const [args, message] of cases) {
      const r = await run(args());
      expect(r.code, message).toBe(2);
      expect(r.stderr).toContain(message);
    }
    // A --password flag chooses this run's kind: the config's template key is then simply not used.
    expect((await run([...config({ password: 'template', passwordTemplate: 'Welkom{random6}' }), '--password', 'random'])).code).toBe(0);
    const staff = join(dir, 'personeel.csv');
    writeFileSync(staff, 'Code;Roepnaam;Achternaam;Loginaccount.Naam\r\nAAL;Frank;Aalders;faalders\r\n');
    const klas = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--klas', '1*', '--dry-run']);
    expect(klas.code).toBe(2);
    expect(klas.stderr).toContain('--klas werkt niet bij docenten: een personeelslijst heeft geen klas of Studie.');
    const staffConfig = await runCli(['convert', staff, ...config({ rol: 'docent', klas: ['1*'] }), '--dry-run']);
    expect(staffConfig.code).toBe(2);
    expect(staffConfig.stderr).toContain("cfg.json: sleutel 'klas' werkt niet bij docenten");
    const fromStudents = await runCli(['convert', staff, '--rol', 'docent', ...config({ klas: ['1*'] }), '--dry-run']);
    expect(fromStudents.code, fromStudents.stderr).toBe(0);
    expect(fromStudents.stderr).toContain('is voor leerlingen en wordt bij docenten niet gebruikt');
    // The other way round: a staff folder's {login} on a student run would give students their Somtoday login.
    const students = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--rol', 'leerling', ...config({ rol: 'docent', gebruikersnaam: '{login}' }), '--dry-run']);
    expect(students.code, students.stderr).toBe(0);
    expect(students.stderr).toContain('(anders: --gebruikersnaam).');
    expect(students.stderr).toContain('is voor docenten; leerlingen krijgen hun Stamnr');
  });
});
