import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { inlineStringXlsx } from '../fixtures/zip-writer.js';
import { AtomicFile } from '../src/io/atomic-file.js';
import { interruptNoteText } from '../src/io/cleanup.js';
import { runWizard, type WizardOptions } from '../src/run/wizard.js';
import { inquirerPrompter } from '../src/ui/prompter.js';
import { createUi } from '../src/ui/terminal.js';
import { fixture, listDir, ROOT, runCli, tempDir } from './helpers.js';
import { untilScreen } from './inquirer-screen.js';
import { CTRL_C, ENTER, meanwhile, ScriptedPrompter, type Step, step } from './prompt-double.js';

// A folder the admin may not write in (as root the real one always is), and a full disk for files made in one.
const fsFault = vi.hoisted(() => ({ readOnly: undefined as string | undefined, full: undefined as string | undefined }));
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return {
    ...real,
    access: vi.fn(async (path: string, mode?: number) => {
      if (path === fsFault.readOnly) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
      return real.access(path, mode);
    }),
    open: vi.fn(async (...args: Parameters<typeof real.open>) => {
      if (fsFault.full && String(args[0]).startsWith(fsFault.full)) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return real.open(...args);
    }),
  };
});

async function quietUi() {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (d) => (text += d));
  const ui = await createUi({ stdout: sink as unknown as NodeJS.WriteStream, stderr: sink as unknown as NodeJS.WriteStream, env: { NO_COLOR: '1' } });
  return { ui, output: () => text };
}

/** Runs the wizard against a script; returns the exit code (or the error), what it printed and the transcript. */
async function wizard(steps: Step[], o: WizardOptions) {
  const p = new ScriptedPrompter(steps);
  const { ui, output } = await quietUi();
  let code: number | undefined;
  let error: Error | undefined;
  try {
    code = await runWizard(p, ui, o);
  } catch (err) {
    error = err as Error;
  }
  if (error && !['Interrupted', 'UserError'].includes(error.name)) throw error;
  p.finished();
  return { code, error, output: output(), transcript: p.transcript.join('\n'), offered: p.offered };
}

function setup() {
  const dir = tempDir();
  copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
  copyFileSync(fixture('opleidingen.csv'), join(dir, 'opleidingen.csv'));
  copyFileSync(fixture('idgebr.csv'), join(dir, 'idgebr.csv'));
  return dir;
}

/** setup(), in a folder this user may not write in (access() refuses it, as on a Mac's Desktop without access). */
function readOnlySetup() {
  const dir = setup();
  fsFault.readOnly = dir;
  onTestFinished(() => {
    fsFault.readOnly = undefined;
  });
  return dir;
}

const first = { type: '', pick: 'first' as const };
const STUDIES = [/Studie '1 havo' \(10 leerlingen, klas /, /Studie '1 kader'/, /Studie '2 havo'/, /Studie '2 vwo'/, /Studie '3 mavo'/, /Studie '3 vwo gymn' \(4 leerlingen/];
/** The first-time questions after the studies. */
const policies = (idgebr: unknown = { pick: /Geen/ }, out = 'numo.csv'): Step[] => [
  step(/^Wachtwoorden$/, 'random'),
  step(/Gebruikersnaam \(sjabloon\)/, ''),
  step(/IDGebr-bestand/, idgebr),
  step(/Uitvoerbestand/, out),
];
const MAPPING_ALL = '\uFEFFStudie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n1 kader;VB-VMBO-KB-1\r\n2 havo;VB-HAVO-2\r\n2 vwo;VB-VWO-2\r\n3 mavo;VB-VMBO-GT-3\r\n3 vwo gymn;-\r\n';
const rowsWithoutPasswords = (csv: string) =>
  csv.split('\r\n').map((l) =>
    l
      .split(';')
      .filter((_, i) => i !== 7)
      .join(';'),
  );

describe('numo-prep wizard, first year', () => {
  it('suggests a code per Studie, confirms "not for Numo", reviews, then writes CSV, mapping and config', async () => {
    const dir = setup();
    const r = await wizard(
      [
        step(STUDIES[0]!, first),
        step(STUDIES[1]!, { type: 'kader 1', pick: 'first' }),
        step(STUDIES[2]!, first),
        step(STUDIES[3]!, first),
        step(STUDIES[4]!, first),
        // An empty search leaves only "not for Numo": Enter there is asked about, not taken.
        step(STUDIES[5]!, { type: 'mbo', pick: 'first' }),
        step(/Klopt dat\? 4 leerlingen gaan niet naar Numo \('3 vwo gymn'\)/, false),
        step(STUDIES[5]!, { type: '', pick: /Niet voor Numo/ }),
        step(/Klopt dat\? 4 leerlingen gaan niet naar Numo/, true),
        ...policies({ pick: /idgebr\.csv/ }),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir, opleidingen: 'opleidingen.csv' },
    );
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    // The top suggestion comes first and is marked; the rest of the list follows.
    expect(r.offered[0]!.choices[0]).toBe('VB-HAVO-1 — voorbeeld 1 havo  (suggestie)');
    expect(r.offered[1]!.choices).toEqual(['VB-VMBO-KB-1 — voorbeeld 1 kader', 'Niet voor Numo (deze leerlingen weglaten)']);
    expect(r.offered[5]!.choices).toEqual(['Niet voor Numo (deze leerlingen weglaten)']);
    // Only plausible exports are offered: the one export is taken, the others are named.
    expect(r.output).toContain('Niet aangeboden: idgebr.csv (IDGebr-bestand), opleidingen.csv (lijst met opleidingscodes).');
    expect(r.output).toContain('Export: export.xlsx');
    expect(r.output).toMatch(/✔ Roepnaam +← 'Roepnaam' \(bv\. \S+/);
    // The review screen, before anything was written.
    expect(r.output).toContain('Overzicht — er is nog niets geschreven');
    expect(r.output).toMatch(/ {4}3 vwo gymn +4 {2}niet voor Numo\n/);
    expect(r.output).toContain('Niet voor Numo: 1 studie, samen 4 leerlingen gaan niet naar Numo.');
    expect(r.output).toContain('  Wachtwoorden    willekeurig, 10 tekens');
    expect(r.output).toContain('  IDGebr (SSO)    idgebr.csv');
    expect(r.output).toContain('Mapping mappings/school.csv: nieuw (');
    expect(r.output).toContain('numo-prep convert <nieuwe-export.xlsx> --config numo-prep.config.json --idgebr <nieuw-idgebr-bestand>');

    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'mappings', 'numo-prep.config.json', 'numo.csv', 'opleidingen.csv']);
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe(MAPPING_ALL);
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    // The IDGebr file is not kept (it is shredded), but that the school uses SSO is.
    expect(config).toEqual({ version: 1, mapping: 'mappings/school.csv', opleidingen: 'opleidingen.csv', gebruikersnaam: '{stamnr}', rol: 'leerling', password: 'random', sso: true });
    const firstCsv = readFileSync(join(dir, 'numo.csv'), 'utf8');
    expect(firstCsv.split('\r\n')).toHaveLength(36 + 2);

    // Next year without the new IDGebr file: stopped, not a file without SSO.
    const forgot = await runCli(['convert', 'export.xlsx', '--out', 'numo2.csv'], { cwd: dir });
    expect(forgot.code).toBe(2);
    expect(forgot.stderr).toContain('SSO staat aan ("sso": true in numo-prep.config.json, of --sso), maar er is geen IDGebr');
    expect(listDir(dir)).not.toContain('numo2.csv');
    const again = await runCli(['convert', 'export.xlsx', '--idgebr', 'idgebr.csv', '--out', 'numo2.csv'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(rowsWithoutPasswords(readFileSync(join(dir, 'numo2.csv'), 'utf8'))).toEqual(rowsWithoutPasswords(firstCsv));
  });

  it("asks whether the ELO login has the IDGebr file's leading zeros the export lacks, and keeps the answer for every year", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Tussenvoegsel;Achternaam;Klas;Studie;E-mailadres\r\n12001;Jan;;Vries;2H1;2 havo;\r\n120002;Eva;;Bos;2H1;2 havo;\r\n');
    writeFileSync(join(dir, 'idgebr.csv'), 'Stamnr;IDGebr\r\n012001;30001\r\n120002;30002\r\n');
    const zeros = /De Stamnrs in idgebr\.csv hebben voorloopnullen tot 6 cijfers, die in de export niet/;
    const run = (answer: RegExp, out: string) =>
      wizard([step(/Studie '2 havo'/, 'VB-HAVO-2'), step(/Klopt dat\?$/, true), ...policies({ pick: /idgebr\.csv/ }, out), step(zeros, { pick: answer }), step(/Wat wil je doen\?/, 'write')], {
        cwd: dir,
        exportPath: 'export.csv',
      });
    const usernames = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(';')[0]);
    const no = await run(/^Nee/, 'numo.csv');
    expect(no.error).toBeUndefined();
    expect(no.output).toContain('{stamnr} (Stamnr zonder voorloopnullen, ook volgend jaar)');
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).stamnrCijfers).toBe(0);
    expect(usernames('numo.csv')).toEqual(['12001', '120002']);
    // Next year, with last year's file (without zeros, as a spreadsheet would leave it too): settled, no refusal.
    const next = await runCli(['convert', 'export.csv', '--idgebr', 'idgebr.csv', '--previous', 'numo.csv', '--out', 'volgend-jaar.csv'], { cwd: dir });
    expect([next.code, next.stderr]).toEqual([0, expect.not.stringContaining('voorloopnullen')]);
    rmSync(join(dir, 'numo-prep.config.json'));
    rmSync(join(dir, 'mappings'), { recursive: true });
    const yes = await run(/^Ja/, 'n2.csv');
    expect(yes.error).toBeUndefined();
    expect(yes.output).toContain('{stamnr} (Stamnr op 6 cijfers, ook volgend jaar)');
    expect(usernames('n2.csv')).toEqual(['012001', '120002']);
  });

  it('keeps the width of Stamnrs with leading zeros, so that next year an export without them gives the same usernames', async () => {
    const dir = tempDir();
    const rows = (ids: string[]) => `Stamnr;Roepnaam;Tussenvoegsel;Achternaam;Klas;Studie;E-mailadres\r\n${ids.map((id, i) => `${id};Jan;;Vries${i};2H1;2 havo;`).join('\r\n')}\r\n`;
    writeFileSync(join(dir, 'export.csv'), rows(['012001', '012002', '120003']));
    const r = await wizard([step(/Studie '2 havo'/, 'VB-HAVO-2'), step(/Klopt dat\?$/, true), ...policies(), step(/Wat wil je doen\?/, 'write')], { cwd: dir, exportPath: 'export.csv' });
    expect(r.error).toBeUndefined();
    // Said in the review before it is kept.
    expect(r.output).toContain('{stamnr} (Stamnr op 6 cijfers, ook volgend jaar)');
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).stamnrCijfers).toBe(6);
    const usernames = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(';')[0]);
    expect(usernames('numo.csv')).toEqual(['012001', '012002', '120003']);
    // Magister asks about the zeros at each export; this year they were left out.
    writeFileSync(join(dir, 'export.csv'), rows(['12001', '12002', '120003']));
    expect((await runCli(['convert', 'export.csv', '--out', 'volgend-jaar.csv'], { cwd: dir })).code).toBe(0);
    expect(usernames('volgend-jaar.csv')).toEqual(['012001', '012002', '120003']);
    // Stamnrs of different lengths (or none with a zero) say nothing about a width.
    writeFileSync(join(dir, 'export.csv'), rows(['012001', '12002']));
    rmSync(join(dir, 'numo-prep.config.json'));
    rmSync(join(dir, 'mappings'), { recursive: true });
    const other = await wizard([step(/Studie '2 havo'/, 'VB-HAVO-2'), step(/Klopt dat\?$/, true), ...policies(undefined, 'n2.csv'), step(/Wat wil je doen\?/, 'write')], {
      cwd: dir,
      exportPath: 'export.csv',
    });
    expect(other.error).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).stamnrCijfers).toBeUndefined();
  });

  it('without a list: says where codes come from, refuses a code of the wrong shape, confirms "-", and lets the admin point out columns', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Achternaam;Leerroute\r\n1001;Jan;Vries;2 havo\r\n1002;Sem;Bos;2 havo\r\n1003;Noor;Smit;pro\r\n');
    const r = await wizard(
      [
        // No Studie column: this could be a staff list, so the admin says who is in it.
        step(/Wie staan er in deze export\?/, 'leerling'),
        step(/Welke kolom is 'Tussenv\.'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Klas'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Studie'\?/, { pick: /^'Leerroute' \(bv\. 2 havo, pro\)$/ }),
        step(/Welke kolom is 'E-mail'\?/, { pick: /^Geen/ }),
        step(/Studie '2 havo' \(2 leerlingen\) → opleidingscode/, 'jan.vries@school.example'),
        step(/Studie '2 havo'/, '  '),
        step(/Studie '2 havo'/, 'VB-HAVO-2'),
        step(/'2 havo' wordt opleidingscode 'VB-HAVO-2'\. Klopt dat\?/, true),
        step(/Studie 'pro' \(1 leerling\) → opleidingscode/, '-'),
        step(/Klopt dat\? 1 leerling gaat niet naar Numo \('pro'\)/, true),
        step(/^Wachtwoorden$/, 'none'),
        step(/Gebruikersnaam/, ''),
        step(/IDGebr-bestand/, { pick: /^Geen/ }),
        step(/Uitvoerbestand/, 'numo.csv'),
        // Same warnings as convert; any single answer can be changed from the review.
        step(/Wat wil je doen\?/, 'password'),
        step(/^Wachtwoorden$/, 'template'),
        step(/Wachtwoordsjabloon/, 'Welkom{geboortedatum}'),
        step(/Wachtwoordsjabloon/, 'Welkom'),
        step(/Wachtwoordsjabloon/, 'Welkom{stamnr}{random4}'),
        step(/Wat wil je doen\?/, 'password'),
        step(/^Wachtwoorden$/, 'random'),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir, exportPath: 'export.csv' },
    );
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.output).toContain("de codes staan in Numo's inleesbestand (numo.nl/inleesbestand), tabblad Opleidingen");
    expect(r.transcript).toContain('✖ Dat lijkt een e-mailadres, geen opleidingscode.');
    expect(r.transcript).toContain('✖ Vul een opleidingscode in, of - als deze leerlingen niet naar Numo gaan.');
    expect(r.transcript).toMatch(/✖ wachtwoordsjabloon: /);
    expect(r.output).toContain('! Geen wachtwoorden en geen IDGebr (SSO): niemand kan inloggen in Numo');
    // A template without random characters is everyone's password, and the config that keeps it stays for years.
    expect(r.transcript).toContain(
      '✖ Zet {random4} of meer in het sjabloon: zonder willekeurige tekens is het wachtwoord voor iedereen hetzelfde of te raden, en het sjabloon wordt bewaard in numo-prep.config.json.',
    );
    expect(r.output).toContain('  Wachtwoorden    volgens sjabloon Welkom{stamnr}{random4}');
    expect(r.output).toContain("Kolommen        Stamnr ← 'Stamnr', Roepnaam ← 'Roepnaam', Tussenv. ← (geen)\n");
    expect(r.output).toContain("Achternaam ← 'Achternaam', Klas ← (geen), Studie ← 'Leerroute'\n");
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(config.columns).toEqual({ studie: 'Leerroute' });
    expect(config.password).toBe('random');
    expect(config.passwordTemplate).toBeUndefined();
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain('1001;Jan;;Vries;;VB-HAVO-2;;');
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe('\uFEFFStudie;Opleidingscode\r\n2 havo;VB-HAVO-2\r\npro;-\r\n');
    const yearly = await runCli(['convert', 'export.csv', '--out', 'volgend-jaar.csv'], { cwd: dir });
    expect(yearly.code, yearly.stderr).toBe(0);
  });

  it('never asks or saves a Studie that is a name or an address: the review refers to its rows, and to rows without one', async () => {
    const dir = tempDir();
    const rows = ['Stamnr;Roepnaam;Achternaam;Klas;Studie', '1001;Jan;Vries;2H1;2 havo', '1002;Sem;Bos;2H1;2 havo', '1003;Noor;Smit;2H1;2 havo'];
    rows.push('1004;Els;Dijk;2H2;Hendrikje van Oosterzeewolde', '1005;Bas;Kok;2H2;pietje.puk@example.com', '1006;Ada;Kok;2H2;');
    writeFileSync(join(dir, 'export.csv'), `${rows.join('\r\n')}\r\n`);
    const r = await wizard(
      [
        step(/Welke kolom is 'Tussenv\.'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'E-mail'\?/, { pick: /^Geen/ }),
        step(/Studie '2 havo' \(3 leerlingen, klas 2H1\) → opleidingscode/, 'VB-HAVO-2'),
        step(/Klopt dat\?/, true),
        ...policies(),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir, exportPath: 'export.csv' },
    );
    expect(r.code).toBe(1);
    const review = r.output.slice(r.output.indexOf('Overzicht'));
    expect(review).toContain('! 1 leerling heeft geen Studie; vul die in de leerlingadministratie in, anders stopt convert.');
    expect(review).toContain('! 2 leerlingen hebben een Studie die niet getoond of bewaard wordt (een naam, e-mailadres, notitie of #N/B?; rij 5, 6)');
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe('\uFEFFStudie;Opleidingscode\r\n2 havo;VB-HAVO-2\r\n');
    // Only the column screen shows a few values of each column, to recognise it by, on the admin's own screen.
    expect(`${r.output.slice(r.output.indexOf('Overzicht'))}${r.transcript}`).not.toMatch(/Oosterzeewolde|pietje/);
  });

  it('data problems: the answers are saved, the Numo file is not, and the message says exactly that', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Achternaam;Klas;Studie;E-mail\r\n1001;Jan;Vries;2H;2 havo;\r\n1001;Sem;Bos;2H;2 havo;\r\n');
    const r = await wizard(
      [step(/Welke kolom is 'Tussenv\.'\?/, { pick: /^Geen/ }), step(/Studie '2 havo'/, 'VB-HAVO-2'), step(/Klopt dat\?/, true), ...policies(), step(/Wat wil je doen\?/, 'write')],
      { cwd: dir, exportPath: 'export.csv' },
    );
    expect(r.code).toBe(1);
    expect(r.output).toContain('Het Numo-bestand is niet geschreven; de mapping en instellingen wel. Los de problemen hierboven op en draai: numo-prep convert export.csv --out numo.csv');
    expect(r.output).not.toContain('Er is niets weggeschreven');
    expect(listDir(dir)).toEqual(['export.csv', 'mappings', 'numo-prep.config.json']);
  });

  it('in a folder it may not write in: says so before the first question, not "Onverwachte fout" after the last', async () => {
    const dir = readOnlySetup();
    const r = await wizard([], { cwd: dir });
    // Also a Mac's Desktop before Terminal was given access (every file call there is refused): said how to allow it.
    expect(r.error?.message).toBe(
      `Kan niet schrijven in ${dir}: geen toegang (rechten, of open in een ander programma). De wizard bewaart daar de instellingen (numo-prep.config.json); start hem in een map waar je mag schrijven, of op een Mac: geef Terminal toegang tot deze map (Systeeminstellingen > Privacy en beveiliging > Bestanden en mappen).`,
    );
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it('convert --dry-run in a folder it may not write in says what the real run says (its "klaar" was followed by a refusal)', async () => {
    const dir = readOnlySetup();
    const args = ['convert', 'export.xlsx', '--mapping', join(ROOT, 'mappings', 'voorbeeld.csv'), '--out', 'numo.csv', '--no-config'];
    const dry = await runCli([...args, '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toBe(`numo-prep: Kan niet schrijven in ${dir}: geen toegang (rechten, of open in een ander programma). Controleer de rechten of kies met --out een andere map.\n`);
    expect((await runCli(args, { cwd: dir })).stderr).toBe(dry.stderr);
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it('a full disk when the answers are saved: said, and the mappings folder it made goes too', async () => {
    const dir = setup();
    fsFault.full = join(dir, 'mappings');
    onTestFinished(() => {
      fsFault.full = undefined;
    });
    const answers = [...STUDIES.slice(0, 5).map((s) => step(s, first)), step(STUDIES[5]!, { type: '', pick: /Niet voor Numo/ }), step(/Klopt dat/, true), ...policies()];
    const r = await wizard([...answers, step(/Wat wil je doen\?/, 'write')], { cwd: dir, opleidingen: 'opleidingen.csv' });
    expect(r.error?.message).toMatch(/^Kan niet schrijven in .*mappings: de schijf is vol/);
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it('refuses an input file or a spreadsheet name as the Numo file, before anything is written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail\r\n1001;Jan;;Vries;2H;2 havo;j@x.nl\r\n');
    copyFileSync(join(dir, 'export.csv'), join(dir, 'lijst.csv'));
    mkdirSync(join(dir, 'map'));
    const r = await wizard(
      [
        step(/Studie '2 havo'/, 'VB-HAVO-2'),
        step(/Klopt dat\?/, true),
        step(/^Wachtwoorden$/, 'random'),
        step(/Gebruikersnaam/, ''),
        step(/IDGebr-bestand/, { pick: /Geen/ }),
        step(/Uitvoerbestand/, 'EXPORT.csv'.toLowerCase()),
        step(/Uitvoerbestand/, 'numo.xlsx'),
        step(/Uitvoerbestand/, 'sub/numo.csv'),
        step(/Uitvoerbestand/, 'map'),
        step(/Uitvoerbestand/, 'numo.csv'),
        // The mapping is written too: never into another file of the run, nor into a list that is no mapping.
        step(/Wat wil je doen\?/, 'mapping'),
        step(/Mappingbestand/, 'export.csv'),
        step(/Mappingbestand/, 'lijst.csv'),
        // Its own default is fine, though mappings/ is only made when it is saved.
        step(/Wat wil je doen\?/, 'mapping'),
        step(/Mappingbestand/, ''),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir, exportPath: 'export.csv' },
    );
    expect(r.transcript).toContain(`✖ De map ${join(dir, 'sub')} bestaat niet.`);
    expect(r.transcript).toContain('✖ Dat is een map; geef een bestandsnaam.');
    expect(r.output).toContain('! lijst.csv is geen mapping (export); de wizard voegt daar niets aan toe. Kies een ander bestand.');
    expect(readFileSync(join(dir, 'lijst.csv'), 'utf8')).toBe(readFileSync(join(dir, 'export.csv'), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.transcript).toContain('✖ Dat is een ander bestand van deze run; kies een andere naam.');
    expect(r.transcript).toContain('✖ Het Numo-bestand: numo-prep schrijft een CSV-bestand; geef een naam die eindigt op .csv.');
    expect(listDir(dir)).toEqual(['export.csv', 'lijst.csv', 'map', 'mappings', 'numo-prep.config.json', 'numo.csv']);
  });

  it('catches a column chosen as Studie that has a different value on every row, and asks again', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 30 }, (_, i) => `${700100 + i};Sem;Visser;notitie ${i};${i % 2 ? '2 havo' : '3 vwo'}`);
    writeFileSync(join(dir, 'export.csv'), ['Stamnr;Roepnaam;Achternaam;Opmerking;Leerroute', ...rows].join('\r\n'));
    const r = await wizard(
      [
        step(/Wie staan er in deze export\?/, 'leerling'),
        step(/Welke kolom is 'Tussenv\.'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Klas'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Studie'\?/, { pick: /^'Opmerking'/ }),
        step(/Welke kolom is 'E-mail'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Studie'\?/, { pick: /^'Leerroute'/ }),
        step(/Studie '2 havo' \(15 leerlingen\)/, CTRL_C),
      ],
      { cwd: dir, exportPath: 'export.csv' },
    );
    expect(r.output).toContain("! Kolom 'Opmerking' heeft 30 verschillende waarden bij 30 leerlingen; dat is geen kolom Studie");
    expect(r.offered[5]!.choices.some((c) => c.startsWith("'Opmerking'"))).toBe(false);
    // Ctrl+C before any answer: nothing to keep, nothing written.
    expect(r.error?.name).toBe('Interrupted');
    expect(listDir(dir)).toEqual(['export.csv']);
  });

  it('shows no example of a password or BSN column when the admin picks a column', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 6 }, (_, i) => `${700100 + i};Sem;Visser;Geheim${i}x;99887001${i};Start${i}q;OWN5550${i};${i % 2 ? '2 havo' : '3 vwo'}`);
    writeFileSync(join(dir, 'export.csv'), ['Stamnr;Roepnaam;Achternaam;Wachtwoord;BSN;Wachtwoord (initieel);Onderwijsnr;Leerroute', ...rows].join('\r\n'));
    const r = await wizard(
      [
        step(/Wie staan er in deze export\?/, 'leerling'),
        step(/Welke kolom is 'Tussenv\.'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Klas'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Studie'\?/, { pick: /^'Leerroute'/ }),
        step(/Welke kolom is 'E-mail'\?/, { pick: /^Geen/ }),
        step(/Studie '2 havo' \(3 leerlingen\)/, CTRL_C),
      ],
      { cwd: dir, exportPath: 'export.csv' },
    );
    const studie = r.offered[3]!.choices;
    expect(studie).toContain("'Wachtwoord'");
    expect(studie).toContain("'BSN'");
    expect(`${r.output}${r.transcript}${studie.join('\n')}`).not.toMatch(/Geheim|99887001|Start\dq|OWN555/);
    expect(r.error?.name).toBe('Interrupted');
  });

  it('Enter on a required column that was not found takes no column: it says so and asks again', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 6 }, (_, i) => `${700100 + i};Sem;4b;Visser;${i % 2 ? '2 havo' : '3 vwo'}`);
    writeFileSync(join(dir, 'export.csv'), ['Stamnr;Roepnaam;Groep;Veld 4;Studie', ...rows].join('\r\n'));
    const r = await wizard(
      [
        step(/Welke kolom is 'Tussenv\.'\?/, ENTER),
        step(/Welke kolom is 'Achternaam'\?/, ENTER),
        step(/Welke kolom is 'Achternaam'\?/, { pick: /^'Veld 4'/ }),
        step(/Welke kolom is 'Klas'\?/, { pick: /^'Groep'/ }),
        step(/Welke kolom is 'E-mail'\?/, ENTER),
        step(/Studie '2 havo'/, CTRL_C),
      ],
      { cwd: dir, exportPath: 'export.csv' },
    );
    expect(r.offered[1]!.choices[0]).toBe("Kies hieronder de kolom met 'Achternaam'");
    expect(r.offered[2]!.message).toBe("Welke kolom is 'Achternaam'?");
    expect(r.output).toContain("! 'Achternaam' is nodig: kies de kolom waarin die staat.");
    // An optional column: Enter keeps it empty ("Geen" is its default).
    expect(r.offered[0]!.choices.at(-1)).toMatch(/^Geen/);
    expect(r.error?.name).toBe('Interrupted');
  });

  it('does not ask who is in a workbook whose export is on its second sheet (a note on the first)', async () => {
    const dir = tempDir();
    const rows = [
      ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie'],
      [109001, 'Sam', '', 'Berg', '1A', '1 havo'],
    ];
    writeFileSync(
      join(dir, 'export.xlsx'),
      inlineStringXlsx([
        { name: 'Info', rows: [['Export gemaakt door Magister']] },
        { name: 'Deelnemers', rows },
      ]),
    );
    // The first question is about the columns; Ctrl+C there ends the run.
    const p = new ScriptedPrompter([step(/./, CTRL_C)]);
    const { ui } = await quietUi();
    await runWizard(p, ui, { cwd: dir, exportPath: 'export.xlsx' }).catch(() => undefined);
    expect(p.transcript[0]).toMatch(/^\? /);
    expect(p.transcript[0]).not.toContain('Wie staan er in deze export?');
  });

  it('refuses a named file that is not an export', async () => {
    const dir = setup();
    const r = await wizard([], { cwd: dir, exportPath: 'idgebr.csv' });
    expect(r.error?.message).toBe('idgebr.csv is een IDGebr-bestand, geen export. Geef de export op (Magister, Somtoday of EduArte).');
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it("uses Numo's list from the folder when none is given (a typed code is then checked against it), and says so", async () => {
    const dir = setup();
    const r = await wizard([step(STUDIES[0]!, CTRL_C)], { cwd: dir, exportPath: 'export.xlsx' });
    expect(r.error?.name).toBe('Interrupted');
    expect(r.output).toContain('Lijst met Numo-opleidingen uit deze map: opleidingen.csv (een andere: --opleidingen <bestand>).');
    expect(r.output).not.toContain('Zonder --opleidingen');
    // Two lists: neither is guessed; the admin is told to choose.
    copyFileSync(join(dir, 'opleidingen.csv'), join(dir, 'opleidingen-2025.csv'));
    const two = await wizard([step(STUDIES[0]!, CTRL_C)], { cwd: dir, exportPath: 'export.xlsx' });
    expect(two.output).toContain('In deze map staan 2 lijsten met opleidingscodes (opleidingen-2025.csv, opleidingen.csv): kies er een met --opleidingen <bestand>.');
  });

  it('offers only plausible exports in the folder', async () => {
    const dir = setup();
    copyFileSync(join(dir, 'export.xlsx'), join(dir, 'export-2b.xlsx'));
    writeFileSync(join(dir, 'school-mapping.csv'), 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n');
    writeFileSync(join(dir, 'vorig-jaar.csv'), 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n');
    writeFileSync(join(dir, 'numo-import-2026-08-01.csv'), 'x');
    writeFileSync(join(dir, '~$export.xlsx'), 'lock');
    // Exports of the other sources are exports too (EduArte's has an Opleidingscode column, like a code list).
    copyFileSync(fixture('bron-eduarte.csv'), join(dir, 'eduarte.csv'));
    copyFileSync(fixture('bron-somtoday-umservice.csv'), join(dir, 'somtoday.csv'));
    copyFileSync(fixture('bron-somtoday-medewerkers.csv'), join(dir, 'personeel.csv'));
    // Newest first, each with its date: last year's export beside this year's is told apart (noon: no time zone moves a day).
    const at = (f: string, day: number) => utimesSync(join(dir, f), new Date(2026, 8, day, 12), new Date(2026, 8, day, 12));
    [
      ['eduarte.csv', 3],
      ['export-2b.xlsx', 5],
      ['export.xlsx', 1],
      ['personeel.csv', 4],
      ['somtoday.csv', 2],
    ].forEach(([f, day]) => at(f as string, day as number));
    const r = await wizard([step(/Welk bestand is de export\?/, { pick: /export-2b/ }), step(STUDIES[0]!, CTRL_C)], { cwd: dir });
    // A staff list is offered too (it becomes a docent import), named as what it is.
    expect(r.offered[0]!.choices).toEqual([
      'export-2b.xlsx, van 5-9-2026',
      'personeel.csv (personeelslijst), van 4-9-2026',
      'eduarte.csv, van 3-9-2026',
      'somtoday.csv, van 2-9-2026',
      'export.xlsx, van 1-9-2026',
    ]);
    expect(r.output).toContain('Niet aangeboden: idgebr.csv (IDGebr-bestand), opleidingen.csv (lijst met opleidingscodes), school-mapping.csv (mapping), vorig-jaar.csv (Numo-importbestand).');
    expect(r.error?.name).toBe('Interrupted');
    // Two downloads of one day (export.xlsx and export (2).xlsx): their times tell which is the newer.
    utimesSync(join(dir, 'export.xlsx'), new Date(2026, 8, 5, 9, 5), new Date(2026, 8, 5, 9, 5));
    const same = await wizard([step(/Welk bestand is de export\?/, { pick: /export-2b/ }), step(STUDIES[0]!, CTRL_C)], { cwd: dir });
    expect(same.offered[0]!.choices.slice(0, 2)).toEqual(['export-2b.xlsx, van 5-9-2026 12:00', 'export.xlsx, van 5-9-2026 9:05']);
  });
});

describe("numo-prep wizard, last year's mapping from another folder", () => {
  it('whose config lies beside it: stops and names that config, instead of new settings and other usernames', async () => {
    const last = tempDir();
    mkdirSync(join(last, 'mappings'));
    writeFileSync(join(last, 'mappings', 'school.csv'), MAPPING_ALL);
    writeFileSync(join(last, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'mappings/school.csv', gebruikersnaam: 'll{stamnr}' }));
    const dir = setup();
    const r = await wizard([], { cwd: dir, mapping: join(last, 'mappings', 'school.csv') });
    expect(r.error?.message).toContain(`hoort bij ${join(last, 'numo-prep.config.json')}, met de instellingen van die school`);
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });
});

describe('numo-prep wizard, a folder without an export it can read', () => {
  it('names what may be the export (a downloaded zip, an unfinished download, an .xls) with what to do', async () => {
    const dir = tempDir();
    copyFileSync(fixture('idgebr.csv'), join(dir, 'idgebr.csv'));
    for (const f of ['Magister-export.zip', 'export.xlsx.crdownload', 'oud.xls', 'Thumbs.db', '~$export.xlsx']) writeFileSync(join(dir, f), 'x');
    const r = await wizard([], { cwd: dir });
    expect(r.error?.message).toBe(
      `Geen export (Magister, Somtoday of EduArte) gevonden in ${dir} (wel: idgebr.csv (IDGebr-bestand)). Is het export.xlsx.crdownload of Magister-export.zip of oud.xls? Pak een .zip eerst uit, wacht tot een download klaar is, en sla een ander rekenblad (.xls, .ods) op als .xlsx. Geef de export op: numo-prep wizard export.xlsx`,
    );
  });

  it('offers a tab-separated .txt that Excel saved (convert reads it as any CSV)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'leerlingen.txt'), 'Stamnr\tRoepnaam\tTussenv.\tAchternaam\tKlas\tStudie\tE-mail\r\n1001\tJan\t\tVries\t1H1\t1 havo\tj@x.nl\r\n');
    const r = await wizard([step(/Studie '1 havo'/, CTRL_C)], { cwd: dir });
    expect(r.output).toContain('Export: leerlingen.txt');
  });
});

describe('numo-prep wizard, staff lists', () => {
  it('turns a personeelslijst into a docent import: no Studies, no mapping, login as gebruikersnaam, rol in the config', async () => {
    const dir = tempDir();
    copyFileSync(fixture('bron-magister-docenten.csv'), join(dir, 'personeel.csv'));
    const r = await wizard(
      [
        // Magister's GetActiveEmpoyees has no e-mail column: Enter keeps it empty, never takes some other column.
        step(/Welke kolom is 'E-mail'\?/, ENTER),
        step(/^Wachtwoorden$/, 'random'),
        step(/Gebruikersnaam \(sjabloon\)/, ''),
        step(/Uitvoerbestand/, 'numo.csv'),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir },
    );
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.output).toContain('Export: personeel.csv (personeelslijst)');
    expect(r.output).toMatch(/Export +personeel\.csv \(\d+ docenten\)/);
    expect(r.output).not.toContain('Studie →');
    expect(r.offered.at(-1)!.choices).toEqual([
      'Schrijven: instellingen en het Numo-bestand',
      'Kolommen wijzigen',
      'Wachtwoorden wijzigen',
      'Gebruikersnaam wijzigen',
      'Uitvoerbestand wijzigen',
      'Stoppen zonder het Numo-bestand te schrijven',
    ]);
    expect(r.output).toContain('numo-prep convert <nieuwe-personeelslijst.xlsx> --config numo-prep.config.json');
    expect(listDir(dir)).toEqual(['numo-prep.config.json', 'numo.csv', 'personeel.csv']);
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(config).toEqual({ version: 1, gebruikersnaam: '{login}', rol: 'docent', password: 'random' });
    const rows = readFileSync(join(dir, 'numo.csv'), 'utf8').split('\r\n');
    expect(rows[1]).toMatch(/^aaa;Frank;de;Aalders;;;;[^;]{10};docent$/);
    // Next year, the printed command as it is.
    const yearly = await runCli(['convert', 'personeel.csv', '--config', 'numo-prep.config.json', '--out', 'volgend-jaar.csv'], { cwd: dir });
    expect(yearly.code, yearly.stderr).toBe(0);
    // Or the wizard again: from the config, nothing asked but the review.
    const again = await wizard([step(/Wat wil je doen\?/, 'write')], { cwd: dir, exportPath: 'personeel.csv' });
    expect(again.code).toBe(0);
    expect(again.output).toContain('Instellingen numo-prep.config.json: ongewijzigd.');
  });

  it('asks who is in a list without a Studie: a staff list with only a Code column', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lijst.csv'), 'Stamnr;Code;Roepnaam;Tussenv.;Achternaam;E-mail\r\n9001;AAL;Frank;de;Aalders;f@x.nl\r\n9002;BOE;Els;;Boer;e@x.nl\r\n');
    const r = await wizard(
      [
        step(/Wie staan er in deze export\?/, 'docent'),
        // The Code is the gebruikersnaam: a missing login column is not asked about.
        step(/^Wachtwoorden$/, 'none'),
        step(/Gebruikersnaam \(sjabloon\)/, ''),
        step(/Uitvoerbestand/, 'numo.csv'),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir, exportPath: 'lijst.csv' },
    );
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain('AAL;Frank;de;Aalders;;;f@x.nl;;docent');
  });

  it('refuses a staff list in a folder whose config is for students (and the other way round)', async () => {
    const dir = setup();
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'school.csv' }));
    copyFileSync(fixture('bron-somtoday-medewerkers.csv'), join(dir, 'personeel.csv'));
    const r = await wizard([], { cwd: dir, exportPath: 'personeel.csv' });
    expect(r.error?.message).toBe('numo-prep.config.json in deze map is voor leerlingen, en personeel.csv is een lijst met docenten. Draai de wizard voor docenten in een eigen map.');
  });
});

describe('numo-prep wizard, columns it did not recognise', () => {
  it('asks for a tussenvoegsel column it did not find, and the review names a lookalike left unused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Voorv.;Achternaam;Klas;Studie;E-mail\r\n1001;Jan;van der;Berg;2H1;2 havo;a@x.nl\r\n1002;Sem;de;Bos;2H1;2 havo;b@x.nl\r\n');
    const answers = (tussenvoegsel: RegExp) => [step(/Welke kolom is 'Tussenv\.'\?/, { pick: tussenvoegsel }), step(/Studie '2 havo'/, 'VB-HAVO-2'), step(/Klopt dat\?/, true), ...policies()];
    const declined = await wizard([...answers(/^Geen/), step(/Wat wil je doen\?/, 'stop'), step(/bewaren/, false)], { cwd: dir, exportPath: 'export.csv' });
    expect(declined.output).toContain("! Kolom 'Voorv.' lijkt een tussenvoegsel maar wordt niet gebruikt");
    const taken = await wizard([...answers(/^'Voorv\.'/), step(/Wat wil je doen\?/, 'write')], { cwd: dir, exportPath: 'export.csv' });
    expect(taken.code).toBe(0);
    expect(taken.output).not.toContain('lijkt een tussenvoegsel');
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain('1001;Jan;van der;Berg;2H1;VB-HAVO-2;a@x.nl;');
  });
});

describe('numo-prep wizard, other sources', () => {
  it('reads an EduArte export with its own column names', async () => {
    const dir = tempDir();
    copyFileSync(fixture('bron-eduarte.csv'), join(dir, 'eduarte.csv'));
    const r = await wizard([step(/Studie '/, CTRL_C)], { cwd: dir, exportPath: join(dir, 'eduarte.csv') });
    expect(r.error?.name).toBe('Interrupted');
    for (const line of ["Nummer      ← 'Nummer'", "Voorvoegsel ← 'Voorvoegsel'", "Opleiding   ← 'Opleiding'", "Plaatsingsgroep ← 'Plaatsingsgroep'"]) {
      expect(r.output).toContain(line);
    }
  });
});

describe('numo-prep wizard, stopping', () => {
  it('refuses --mapping that is the export or the opleidingen list before it asks anything: its answers would go into an input', async () => {
    const dir = setup();
    const before = readFileSync(join(dir, 'opleidingen.csv'));
    for (const mapping of ['export.xlsx', './opleidingen.csv']) {
      const r = await wizard([], { cwd: dir, exportPath: 'export.xlsx', opleidingen: join(dir, 'opleidingen.csv'), mapping });
      expect(r.error?.message).toMatch(/^--mapping .* is hetzelfde bestand als (de export|de lijst met opleidingen)\. Geef met --mapping het eigen bestand; invoer wordt nooit gewijzigd\.$/);
    }
    expect(readFileSync(join(dir, 'opleidingen.csv'))).toEqual(before);
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it("refuses --mapping that is another list of people (last year's export, the IDGebr list): nothing asked, the file untouched", async () => {
    const dir = setup();
    writeFileSync(join(dir, 'export-2025.csv'), '\uFEFFStamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail\r\n100001;Sanne;;Verhoef;1A;1 havo;s@x.nl\r\n');
    for (const [mapping, column] of [
      ['export-2025.csv', 'Stamnr'],
      ['idgebr.csv', 'Stamnr'],
    ]) {
      const before = readFileSync(join(dir, mapping!));
      const r = await wizard([], { cwd: dir, exportPath: 'export.xlsx', opleidingen: join(dir, 'opleidingen.csv'), mapping: mapping! });
      expect(r.error?.message).toBe(
        `${mapping} is geen mapping: de kolom '${column}' hoort bij een lijst met leerlingen of medewerkers. Kies het bestand met de kolommen Studie en Opleidingscode; is dit wel de mapping, haal die kolom er dan uit.`,
      );
      expect(readFileSync(join(dir, mapping!))).toEqual(before);
    }
    expect(listDir(dir)).toEqual(['export-2025.csv', 'export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it('Ctrl+C after the mapping was edited meanwhile: its lines stay as they are now, and the admin is told which', async () => {
    const dir = setup();
    const edit = () => {
      mkdirSync(join(dir, 'mappings'));
      writeFileSync(join(dir, 'mappings', 'school.csv'), 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-2\r\n');
    };
    const r = await wizard([step(STUDIES[0]!, first), step(STUDIES[1]!, meanwhile(edit, CTRL_C)), step(/Je 1 opleidingscode bewaren in mappings\/school\.csv\?/, true)], {
      cwd: dir,
      opleidingen: 'opleidingen.csv',
    });
    expect(r.error?.name).toBe('Interrupted');
    expect(r.output).toContain("! mappings/school.csv: 1 studie staat er al met een andere code in en is niet veranderd: '1 havo'; pas die regel(s) zelf aan.");
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toMatch(/^Studie;Opleidingscode\r\n1 havo;VB-HAVO-2\r\n/);
  });

  it('Ctrl+C keeps the answers so far in the mapping, the rest undecided; convert names them; the next run asks only those', async () => {
    const dir = setup();
    const r = await wizard(
      [
        step(STUDIES[0]!, first),
        step(STUDIES[1]!, first),
        step(STUDIES[2]!, CTRL_C),
        step(/Je 2 opleidingscodes bewaren in mappings\/school\.csv\? 4 studies zonder keuze komen erin zonder code \(nog niet beslist\)\./, true),
      ],
      { cwd: dir, opleidingen: 'opleidingen.csv' },
    );
    expect(r.error?.name).toBe('Interrupted');
    expect(r.output).toContain('Bewaard in mappings/school.csv: 2 opleidingscodes, 4 studies nog niet beslist. Het Numo-bestand en de instellingen zijn niet geschreven.');
    expect(r.output).toContain('Verder gaan (in deze map): numo-prep wizard export.xlsx --opleidingen opleidingen.csv');
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'mappings', 'opleidingen.csv']);
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe(
      '\uFEFFStudie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n1 kader;VB-VMBO-KB-1\r\n2 havo;\r\n2 vwo;\r\n3 mavo;\r\n3 vwo gymn;\r\n',
    );
    // A mapping holds Studie values and codes only: the usual mode of a new file, not the 0600 of personal data.
    // Never writable for everyone, whatever the umask: convert trusts the mapping it finds.
    if (process.platform !== 'win32') expect(statSync(join(dir, 'mappings', 'school.csv')).mode & 0o777).toBe(((0o666 & ~process.umask()) | 0o600) & ~0o002);

    const convert = await runCli(['convert', 'export.xlsx', '--mapping', 'mappings/school.csv', '--out', 'numo.csv'], { cwd: dir });
    expect(convert.code).toBe(1);
    expect(convert.stderr).toContain("4 studies zonder opleidingscode in de mapping, nog niet beslist (24 leerlingen): '2 havo' (5), '2 vwo' (5), '3 mavo' (10), '3 vwo gymn' (4)");

    const next = await wizard(
      [
        step(STUDIES[2]!, first),
        step(STUDIES[3]!, first),
        step(STUDIES[4]!, first),
        step(STUDIES[5]!, { type: '', pick: /Niet voor Numo/ }),
        step(/Klopt dat\? 4 leerlingen/, true),
        ...policies(),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir, opleidingen: 'opleidingen.csv' },
    );
    expect(next.error).toBeUndefined();
    expect(next.output).toContain('2 studies al bekend uit mappings/school.csv');
    expect(next.output).toMatch(/✔ 1 kader → VB-VMBO-KB-1/);
    expect(next.output).toMatch(/ {4}1 havo +10 {2}VB-HAVO-1 {2}\(bekend\)/);
    expect(next.output).toContain('Mapping mappings/school.csv: bijgewerkt: 4 regels toegevoegd');
    // Append-only: the open lines stay, the decided ones follow them, and a code read later wins.
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe(
      '\uFEFFStudie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n1 kader;VB-VMBO-KB-1\r\n2 havo;\r\n2 vwo;\r\n3 mavo;\r\n3 vwo gymn;\r\n' +
        '2 havo;VB-HAVO-2\r\n2 vwo;VB-VWO-2\r\n3 mavo;VB-VMBO-GT-3\r\n3 vwo gymn;-\r\n',
    );
    const again = await runCli(['convert', 'export.xlsx', '--mapping', 'mappings/school.csv', '--out', 'numo.csv', '--password', 'none'], { cwd: dir });
    expect(again.stderr).not.toContain('nog niet beslist');
  });

  it('a second Ctrl+C at the keep question says clearly that nothing was kept', async () => {
    const dir = setup();
    const r = await wizard([step(STUDIES[0]!, first), step(STUDIES[1]!, CTRL_C), step(/bewaren in/, CTRL_C)], { cwd: dir, opleidingen: 'opleidingen.csv' });
    expect(r.error?.name).toBe('Interrupted');
    expect(r.output).toContain('Er is niets bewaard.');
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });

  it('a signal (no question possible) says how many answers of this run are not kept', async () => {
    const dir = setup();
    const p = new ScriptedPrompter([step(STUDIES[0]!, first), step(STUDIES[1]!, CTRL_C), step(/bewaren in/, false)]);
    // What a signal's message would add, as each question comes up.
    const notes: (string | undefined)[] = [];
    const seen = new Proxy(p, {
      get: (target, key, receiver) => {
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function'
          ? (...args: unknown[]) => {
              notes.push(interruptNoteText());
              return value.apply(target, args);
            }
          : value;
      },
    });
    const { ui } = await quietUi();
    await expect(runWizard(seen, ui, { cwd: dir, opleidingen: 'opleidingen.csv' })).rejects.toThrow();
    expect(notes.slice(0, 2)).toEqual([undefined, '1 antwoord van deze keer is niet bewaard']);
    expect(interruptNoteText()).toBeUndefined();
  });

  it('a signal once Schrijven has put the answers in the mapping does not call them lost', async () => {
    const dir = setup();
    const notes: (string | undefined)[] = [];
    // What a signal would say as each file (mapping, config, Numo file) is started.
    const create = AtomicFile.create.bind(AtomicFile);
    vi.spyOn(AtomicFile, 'create').mockImplementation((...args) => {
      notes.push(interruptNoteText());
      return create(...args);
    });
    const answers = [...STUDIES.slice(0, 5).map((s) => step(s, first)), step(STUDIES[5]!, { type: '', pick: /Niet voor Numo/ }), step(/Klopt dat/, true), ...policies()];
    const r = await wizard([...answers, step(/Wat wil je doen\?/, 'write')], { cwd: dir, opleidingen: 'opleidingen.csv' });
    expect(r.error).toBeUndefined();
    // Before the mapping is in place they are not kept yet; after it (config, then the Numo file) they are.
    expect(notes).toEqual(['6 antwoorden van deze keer zijn niet bewaard', undefined, undefined]);
  });

  it('"Stoppen" at the review: "Nee" keeps nothing and says so, "Ja" keeps the mapping only', async () => {
    const answers = [...STUDIES.slice(0, 5).map((s) => step(s, first)), step(STUDIES[5]!, { type: '', pick: /Niet voor Numo/ }), step(/Klopt dat/, true), ...policies()];
    const dir = setup();
    const no = await wizard([...answers, step(/Wat wil je doen\?/, 'stop'), step(/Je 6 opleidingscodes bewaren in mappings\/school\.csv\?$/, false)], { cwd: dir, opleidingen: 'opleidingen.csv' });
    expect(no.code).toBe(0);
    expect(no.output).toContain('Er is niets bewaard; de antwoorden van deze keer zijn weg.');
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);

    const yes = await wizard([...answers, step(/Wat wil je doen\?/, 'stop'), step(/bewaren in/, true)], { cwd: dir, opleidingen: 'opleidingen.csv' });
    expect(yes.code).toBe(0);
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'mappings', 'opleidingen.csv']);
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe(MAPPING_ALL);
  });

  it('"Stoppen" after another run wrote those Studies into the mapping meanwhile: says nothing was kept (it said "Bewaard: 6 opleidingscodes")', async () => {
    const answers = [...STUDIES.slice(0, 5).map((s) => step(s, first)), step(STUDIES[5]!, { type: '', pick: /Niet voor Numo/ }), step(/Klopt dat/, true), ...policies()];
    const dir = setup();
    const theirs = `\uFEFFStudie;Opleidingscode\r\n${['1 havo', '1 kader', '2 havo', '2 vwo', '3 mavo', '3 vwo gymn'].map((studie) => `${studie};VB-ANDERS`).join('\r\n')}\r\n`;
    const other = () => {
      mkdirSync(join(dir, 'mappings'));
      writeFileSync(join(dir, 'mappings', 'school.csv'), theirs);
    };
    const r = await wizard([...answers, step(/Wat wil je doen\?/, meanwhile(other, 'stop')), step(/bewaren in/, true)], { cwd: dir, opleidingen: 'opleidingen.csv' });
    expect(r.code).toBe(0);
    expect(r.output).toContain('Niets bewaard: mappings/school.csv heeft die studies al. Het Numo-bestand en de instellingen zijn niet geschreven.');
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe(theirs);
  });
});

describe('numo-prep wizard, next year', () => {
  function decidedDir() {
    const dir = setup();
    mkdirSync(join(dir, 'mappings'));
    writeFileSync(join(dir, 'mappings', 'school.csv'), MAPPING_ALL);
    writeFileSync(
      join(dir, 'numo-prep.config.json'),
      `${JSON.stringify({ version: 1, mapping: 'mappings/school.csv', opleidingen: 'opleidingen.csv', gebruikersnaam: '{stamnr}', rol: 'leerling', password: 'random' }, null, 2)}\n`,
    );
    return dir;
  }
  const stamp = (f: string) => [readFileSync(f, 'utf8'), statSync(f).mtimeMs];

  it('"Geen" for a column numo-prep finds by itself is kept: convert leaves it out too', async () => {
    const dir = decidedDir();
    const labels = ['Stamnr', 'Roepnaam', 'Tussenv\\.', 'Achternaam', 'Klas', 'Studie'];
    const r = await wizard(
      [
        step(/Wat wil je doen\?/, 'columns'),
        ...labels.map((l, i) => step(new RegExp(`Welke kolom is '${l}'\\?`), i)),
        step(/Welke kolom is 'E-mail'\?/, { pick: /^Geen/ }),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).columns).toEqual({ email: '' });
    const [out] = listDir(dir).filter((f) => f.startsWith('numo-import-'));
    expect(readFileSync(join(dir, out!), 'utf8').split('\r\n')[1]!.split(';')[6]).toBe('');
    // Next year the same: no e-mail, and no warning that the column was not found.
    const yearly = await runCli(['convert', 'export.xlsx', '--out', 'volgend.csv'], { cwd: dir });
    expect(yearly.code, yearly.stderr).toBe(0);
    expect(yearly.stderr).not.toContain("Kolom 'E-mail'");
    expect(readFileSync(join(dir, 'volgend.csv'), 'utf8').split('\r\n')[1]!.split(';')[6]).toBe('');
  });

  it('"Geen" for a tussenvoegsel column it found with data is refused on the spot: every tussenvoegsel would go', async () => {
    const dir = decidedDir();
    const labels = ['Stamnr', 'Roepnaam'];
    const r = await wizard(
      [
        step(/Wat wil je doen\?/, 'columns'),
        ...labels.map((l, i) => step(new RegExp(`Welke kolom is '${l}'\\?`), i)),
        step(/Welke kolom is 'Tussenv\.'\?/, { pick: /^Geen/ }),
        step(/Welke kolom is 'Tussenv\.'\?/, 2),
        ...['Achternaam', 'Klas', 'Studie', 'E-mail'].map((l, i) => step(new RegExp(`Welke kolom is '${l}'\\?`), i + 3)),
        step(/Wat wil je doen\?/, 'stop'),
      ],
      { cwd: dir },
    );
    expect(r.output).toContain("! Kolom 'Tussenv.' heeft tussenvoegsels; zonder die kolom raken ze kwijt in Numo.");
    expect(r.code).toBe(0);
  });

  it('asks again for a column the config chose that this export lacks, even one it would not ask for otherwise', async () => {
    const dir = decidedDir();
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ ...config, columns: { login: 'ELO-account' } }));
    const r = await wizard([step(/Welke kolom is 'Loginaccount\.Naam'\?/, ENTER), step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).columns).toBeUndefined();
  });

  it('asks again for a column the config chose that this export lacks, instead of stopping later', async () => {
    const dir = decidedDir();
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ ...config, columns: { email: 'E-mail leerling' } }));
    const r = await wizard([step(/Welke kolom is 'E-mail'\?/, { pick: /^'E-mail'/ }), step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    // E-mail is the column numo-prep finds by itself: the config no longer names one.
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).columns).toBeUndefined();
  });

  it('starts from config and mapping: nothing asked but the review, nothing rewritten that did not change', async () => {
    const dir = decidedDir();
    const before = [stamp(join(dir, 'mappings', 'school.csv')), stamp(join(dir, 'numo-prep.config.json'))];
    const r = await wizard([step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.output).toContain('Instellingen van de vorige keer gevonden (numo-prep.config.json)');
    expect(r.output).toContain('6 studies al bekend uit mappings/school.csv');
    expect(r.output).toContain('Mapping mappings/school.csv: ongewijzigd; instellingen numo-prep.config.json: ongewijzigd.');
    expect(r.offered[0]!.choices).not.toContain('Een studie wijzigen');
    expect([stamp(join(dir, 'mappings', 'school.csv')), stamp(join(dir, 'numo-prep.config.json'))]).toEqual(before);
    expect(listDir(dir).filter((f) => f.startsWith('numo-import-'))).toHaveLength(1);
  });

  it('a code list the config names that is gone (deleted after the import): said, the run goes on, the config no longer names it', async () => {
    const dir = decidedDir();
    rmSync(join(dir, 'opleidingen.csv'));
    const r = await wizard([step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.output).toContain(`! De lijst met Numo-opleidingen uit numo-prep.config.json (${join(dir, 'opleidingen.csv')}) is er niet meer`);
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).opleidingen).toBeUndefined();
  });

  it('a config with "sso": true asks for this year\'s IDGebr file (it is never kept), and keeps SSO on', async () => {
    const dir = decidedDir();
    const path = join(dir, 'numo-prep.config.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), sso: true }));
    const r = await wizard([step(/IDGebr-bestand voor inloggen met SSO/, ENTER), step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.output).toContain('IDGebr (SSO)    idgebr.csv');
    expect(JSON.parse(readFileSync(path, 'utf8')).sso).toBe(true);
    const [out] = listDir(dir).filter((f) => f.startsWith('numo-import-'));
    expect(readFileSync(join(dir, out!), 'utf8').split('\r\n')[0]).toMatch(/;IDGebr$/);
    // An export with its own IDGebr column needs no file: nothing asked, SSO stays on.
    writeFileSync(join(dir, 'met-idgebr.csv'), 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail;IDGebr\r\n1001;Jan;;Vries;1H1;1 havo;j@x.nl;7001\r\n');
    const column = await wizard([step(/Wat wil je doen\?/, 'write'), step(/Vervangen\?/, true)], { cwd: dir, exportPath: 'met-idgebr.csv' });
    expect(column.code).toBe(0);
    expect(column.output).toContain("IDGebr (SSO)    kolom 'IDGebr' in de export");
    expect(JSON.parse(readFileSync(path, 'utf8')).sso).toBe(true);
    // An empty IDGebr column gives no SSO: the file is asked for.
    writeFileSync(join(dir, 'leeg-idgebr.csv'), 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail;IDGebr\r\n1001;Jan;;Vries;1H1;1 havo;j@x.nl;\r\n');
    const empty = await wizard([step(/IDGebr-bestand voor inloggen met SSO/, CTRL_C)], { cwd: dir, exportPath: 'leeg-idgebr.csv' });
    expect(empty.error?.name).toBe('Interrupted');
    // "Geen" takes SSO out of the config for good: asked first ("Nee" asks for the file again). With two files, the
    // newest is first and the cursor is on it.
    copyFileSync(join(dir, 'idgebr.csv'), join(dir, 'idgebr-vorig-jaar.csv'));
    utimesSync(join(dir, 'idgebr-vorig-jaar.csv'), new Date(2025, 8, 1, 12), new Date(2025, 8, 1, 12));
    const geen = await wizard(
      [step(/IDGebr-bestand voor inloggen met SSO/, { pick: /^Geen/ }), step(/De instellingen zeggen dat de school SSO gebruikt/, false), step(/IDGebr-bestand voor inloggen met SSO/, CTRL_C)],
      { cwd: dir, exportPath: 'export.xlsx' },
    );
    expect(geen.error?.name).toBe('Interrupted');
    expect(geen.offered[0]!.choices.slice(0, 2)).toEqual([expect.stringMatching(/^idgebr\.csv, van /), 'idgebr-vorig-jaar.csv, van 1-9-2025']);
    rmSync(join(dir, 'idgebr-vorig-jaar.csv'));
    // Without a file in the folder, Enter does not quietly choose "Geen": it asks for the path.
    rmSync(join(dir, 'idgebr.csv'));
    const stopped = await wizard([step(/IDGebr-bestand/, ENTER), step(/Pad naar het IDGebr-bestand/, CTRL_C)], { cwd: dir, exportPath: 'export.xlsx' });
    expect(stopped.error?.name).toBe('Interrupted');
  });

  it('an output that exists is replaced only after "Vervangen? Ja"; "Nee" goes back to the review and leaves it as it was', async () => {
    // One date for the three runs (the output is named after it), even across midnight.
    vi.setSystemTime(new Date(2026, 5, 1, 12));
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const dir = decidedDir();
    expect((await wizard([step(/Wat wil je doen\?/, 'write')], { cwd: dir })).code).toBe(0);
    const [out] = listDir(dir).filter((f) => f.startsWith('numo-import-'));
    const written = stamp(join(dir, out!));
    const kept = await wizard([step(/Wat wil je doen\?/, 'write'), step(/bestaat al\. Vervangen\?$/, false), step(/Wat wil je doen\?/, 'stop')], { cwd: dir });
    expect(kept.code).toBe(0);
    expect(kept.transcript).toContain(`? ${out} bestaat al. Vervangen?`);
    expect(kept.output).toContain('Er is niets geschreven');
    expect(stamp(join(dir, out!))).toEqual(written);
    const replaced = await wizard([step(/Wat wil je doen\?/, 'write'), step(/Vervangen\?$/, true)], { cwd: dir });
    expect(replaced.code).toBe(0);
    // New random passwords: the same students, another file.
    expect(stamp(join(dir, out!))[0]).not.toBe(written[0]);
    expect(listDir(dir).filter((f) => f.startsWith('numo-import-'))).toEqual([out]);
  });

  it('a mapping or config changed while the review waits (in Excel, by another run): nothing written, start again', async () => {
    for (const edit of ['mapping', 'config'] as const) {
      const dir = decidedDir();
      const path = join(dir, edit === 'mapping' ? join('mappings', 'school.csv') : 'numo-prep.config.json');
      const before = listDir(dir);
      const change = () => {
        if (edit === 'mapping') writeFileSync(path, MAPPING_ALL.replace(/;VB-HAVO-1\r?\n/, ';VB-HAVO-2\r\n'));
        else writeFileSync(path, readFileSync(path, 'utf8').replace('"password": "random"', '"password": "random",\n  "klas": ["1H1"]'));
      };
      const r = await wizard([step(/Wat wil je doen\?/, meanwhile(change, 'write'))], { cwd: dir });
      expect(r.error?.name, edit).toBe('UserError');
      expect(r.error?.message, edit).toBe(
        `${edit === 'mapping' ? 'mappings/school.csv' : 'numo-prep.config.json'} is veranderd terwijl de wizard wachtte (in een ander programma, of door een andere run). Er is niets geschreven: start de wizard opnieuw, dan leest hij het zoals het nu is.`,
      );
      expect(listDir(dir), edit).toEqual(before);
    }
  });

  it('starts from a filled mapping workbook and carries its codes over into a CSV mapping', async () => {
    const dir = setup();
    copyFileSync(join(ROOT, 'test', 'corpus', 'mapping-werkmap-half.xlsx'), join(dir, 'mapping.xlsx'));
    const before = readFileSync(join(dir, 'mapping.xlsx'));
    const r = await wizard([step(STUDIES[3]!, first), ...policies(), step(/Wat wil je doen\?/, 'write')], { cwd: dir, mapping: 'mapping.xlsx', opleidingen: 'opleidingen.csv' });
    expect(r.error).toBeUndefined();
    expect(r.output).toContain('De codes uit mapping.xlsx worden overgenomen; de wizard bewaart de mapping als mappings/school.csv.');
    // Known from the workbook, not from a CSV that is not there yet.
    expect(r.output).toContain('5 studies al bekend uit mapping.xlsx (die komen in mappings/school.csv; wijzigen: daarna in dat bestand):');
    expect(r.output).toContain('(bekend) = uit mapping.xlsx; die komen in mappings/school.csv, verander ze daarna in dat bestand.');
    expect(readFileSync(join(dir, 'mapping.xlsx'))).toEqual(before);
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe(MAPPING_ALL);
  });

  it('columns can be chosen again from the review; choosing what was recognised keeps the config as it was', async () => {
    const dir = decidedDir();
    const config = readFileSync(join(dir, 'numo-prep.config.json'), 'utf8');
    const labels = ['Stamnr', 'Roepnaam', 'Tussenv\\.', 'Achternaam', 'Klas', 'Studie', 'E-mail'];
    const r = await wizard([step(/Wat wil je doen\?/, 'columns'), ...labels.map((l, i) => step(new RegExp(`Welke kolom is '${l}'\\?`), i)), step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.offered[1]!.choices[0]).toMatch(/^'Stamnr' \(bv\. \d+, \d+, \d+\)$/);
    expect(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).toBe(config);
    expect(r.output).toContain('instellingen numo-prep.config.json: ongewijzigd');
  });

  it("a config's password template without random characters (written by hand) is asked again, never kept", async () => {
    const dir = decidedDir();
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ ...config, password: 'template', passwordTemplate: 'Welkom2025' }));
    const r = await wizard([step(/^Wachtwoorden$/, 'random'), step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    expect(r.output).toContain('Het wachtwoordsjabloon in numo-prep.config.json heeft geen willekeurige tekens: kies de wachtwoorden opnieuw.');
    expect(r.output).not.toContain('Welkom2025');
    const saved = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(saved.password).toBe('random');
    expect(saved.passwordTemplate).toBeUndefined();
  });

  it('a length kept from random passwords leaves the config when the wizard switches to none: convert would refuse it', async () => {
    const dir = decidedDir();
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ ...config, passwordLength: 12 }));
    const r = await wizard([step(/Wat wil je doen\?/, 'password'), step(/^Wachtwoorden$/, 'none'), step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.error).toBeUndefined();
    const saved = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(saved).toMatchObject({ password: 'none' });
    expect(saved.passwordLength).toBeUndefined();
  });

  it('from the review a column another field has can be chosen: two columns detected the wrong way round are swapped', async () => {
    const dir = decidedDir();
    const r = await wizard(
      [
        step(/Wat wil je doen\?/, 'columns'),
        step(/Welke kolom is 'Stamnr'\?/, 0),
        step(/Welke kolom is 'Roepnaam'\?/, { pick: /^'Achternaam' .* — nu Achternaam$/ }),
        step(/Welke kolom is 'Tussenv\.'\?/, 2),
        // Achternaam has Roepnaam's column now: Enter keeps it.
        step(/Welke kolom is 'Achternaam'\?/, ENTER),
        ...['Klas', 'Studie', 'E-mail'].map((l, i) => step(new RegExp(`Welke kolom is '${l}'\\?`), i + 4)),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir },
    );
    expect(r.error).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8')).columns).toEqual({ roepnaam: 'Achternaam', achternaam: 'Roepnaam' });
    expect(r.output).toContain("Roepnaam ← 'Achternaam'");
  });

  it('every other answer can be changed from the review: gebruikersnaam, filter, IDGebr, output, mapping; keys it does not ask about are kept', async () => {
    const dir = decidedDir();
    const path = join(dir, 'numo-prep.config.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), encoding: 'utf8', passwordLength: 12 }));
    const r = await wizard(
      [
        step(/Wat wil je doen\?/, 'gebruikersnaam'),
        step(/Gebruikersnaam \(sjabloon\)/, 'll{stamnr}'),
        step(/Wat wil je doen\?/, 'filter'),
        step(/Alleen deze klassen/, '1*'),
        step(/Alleen deze studies/, ''),
        step(/Wat wil je doen\?/, 'idgebr'),
        step(/IDGebr-bestand/, { pick: /Ander bestand/ }),
        step(/Pad naar het IDGebr-bestand/, 'bestaat-niet.csv'),
        step(/Pad naar het IDGebr-bestand/, 'export.xlsx'),
        // As pasted from Verkenner's "Als pad kopiëren" (in double quotes) and dragged into macOS Terminal (single).
        step(/Pad naar het IDGebr-bestand/, `"${join(dir, 'idgebr.csv')}"`),
        step(/Wat wil je doen\?/, 'out'),
        step(/Uitvoerbestand/, " 'uit.csv' "),
        // Another mapping file: nothing is known there, so every Studie is open again.
        step(/Wat wil je doen\?/, 'mapping'),
        step(/Mappingbestand/, 'mappings/ander.xlsx'),
        step(/Mappingbestand/, 'mappings/ander.csv'),
        step(/Wat wil je doen\?/, { pick: /De 6 open studies kiezen/ }),
        ...STUDIES.map((x) => step(x, first)),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir },
    );
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.transcript).toContain('✖ Bestand niet gevonden: bestaat-niet.csv');
    // The export itself would fail only after the mapping and config were written.
    expect(r.transcript).toContain('✖ Dat is een export, geen IDGebr-bestand (kolommen Stamnr en IDGebr).');
    expect(r.transcript).toContain('✖ Geef een naam die eindigt op .csv.');
    expect(r.offered.at(-1)!.choices[0]).toBe('Schrijven: mapping, instellingen en het Numo-bestand');
    expect(r.output).toContain('  Filter          klas 1*');
    const config = JSON.parse(readFileSync(join(dir, 'numo-prep.config.json'), 'utf8'));
    expect(config).toMatchObject({ gebruikersnaam: 'll{stamnr}', klas: ['1*'], mapping: 'mappings/ander.csv', encoding: 'utf8', passwordLength: 12 });
    expect(readFileSync(join(dir, 'mappings', 'ander.csv'), 'utf8')).toContain('3 vwo gymn;VB-VWO-3\r\n');
    const csv = readFileSync(join(dir, 'uit.csv'), 'utf8').split('\r\n').filter(Boolean);
    expect(csv[0]).toMatch(/;IDGebr$/);
    expect(csv.slice(1).every((l) => /^ll\d+;/.test(l) && /;1[HK]\d;/.test(l))).toBe(true);
  });

  it('a new Studie with a mapping made read-only: said before the question, not after all of them', async () => {
    const dir = decidedDir();
    const path = join(dir, 'mappings', 'school.csv');
    writeFileSync(path, MAPPING_ALL.replace('2 vwo;VB-VWO-2\r\n', ''));
    chmodSync(path, 0o444);
    const r = await wizard([], { cwd: dir });
    expect(r.error?.message).toBe(
      'mappings/school.csv is alleen-lezen (of niet van jou), en de wizard voegt er de nieuwe studies aan toe. Haal dat eerst weg (Windows: Eigenschappen; Mac: Toon info > Delen en toegangsrechten) en start de wizard opnieuw.',
    );
  });

  it('a read-only mapping chosen in the review is refused there, before its open Studies are asked', async () => {
    const dir = decidedDir();
    const old = join(dir, 'mappings', 'oud.csv');
    writeFileSync(old, MAPPING_ALL.replace('2 vwo;VB-VWO-2\r\n', ''));
    chmodSync(old, 0o444);
    const r = await wizard([step(/Wat wil je doen\?/, 'mapping'), step(/Mappingbestand/, 'mappings/oud.csv'), step(/Wat wil je doen\?/, 'write')], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.output).toContain(
      '! mappings/oud.csv is alleen-lezen (of niet van jou), en de wizard voegt er de nieuwe studies aan toe. Haal dat eerst weg (Windows: Eigenschappen; Mac: Toon info > Delen en toegangsrechten), of kies een ander bestand.',
    );
    expect(r.output).toContain('Mapping mappings/school.csv: ongewijzigd');
  });

  it('asks only a new Studie, and a code changed from the review is saved', async () => {
    const dir = decidedDir();
    const lines = readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8');
    writeFileSync(join(dir, 'nieuw.csv'), 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n1001;Jan;Vries;1H1;1 havo\r\n1002;Sem;Bos;4H1;4 havo\r\n');
    const r = await wizard(
      [
        step(/Studie '4 havo' \(1 leerling, klas 4H1\)/, { type: 'havo', pick: /VB-HAVO-2/ }),
        step(/Wat wil je doen\?/, 'studie'),
        step(/Welke studie\?/, { pick: /^4 havo/ }),
        step(/Studie '4 havo'/, { type: '', pick: /VB-HAVO-1/ }),
        step(/Wat wil je doen\?/, 'write'),
      ],
      { cwd: dir, exportPath: 'nieuw.csv' },
    );
    expect(r.error).toBeUndefined();
    expect(r.offered[1]!.choices).toContain('Een studie wijzigen');
    expect(r.offered[2]!.choices).toEqual(['4 havo (1) → VB-HAVO-2']); // only this run's answers
    expect(r.offered[3]!.choices[0]).toBe('VB-HAVO-2 — voorbeeld 2 havo  (huidige keuze)');
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toBe(`${lines}4 havo;VB-HAVO-1\r\n`);
    expect(r.output).toContain('Mapping mappings/school.csv: bijgewerkt: 1 regel toegevoegd; instellingen numo-prep.config.json: ongewijzigd.');
  });
});

describe('numo-prep wizard through inquirer', () => {
  it('Ctrl+D stops like Ctrl+C: the answers so far are offered to keep (before, the wizard ended with exit 0, all lost)', async () => {
    const dir = setup();
    const { ui } = await quietUi();
    const done = runWizard(await inquirerPrompter({ input: screen.input }), ui, { cwd: dir, opleidingen: join(dir, 'opleidingen.csv') });
    await untilScreen(/Studie '1 havo'/, done);
    screen.keypress('enter');
    await untilScreen(/Studie '1 kader'/, done);
    screen.keypress({ name: 'd', ctrl: true });
    await untilScreen(/Je 1 opleidingscode bewaren in mappings\/school\.csv\?/, done);
    screen.keypress('enter');
    await expect(done).rejects.toMatchObject({ name: 'Interrupted' });
    expect(readFileSync(join(dir, 'mappings', 'school.csv'), 'utf8')).toMatch(/^\uFEFFStudie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n1 kader;\r\n/);
  });

  it('the search prompt finds words in any order, and Ctrl+C without answers writes nothing', async () => {
    const dir = setup();
    const { ui } = await quietUi();
    const done = runWizard(await inquirerPrompter(), ui, { cwd: dir, opleidingen: join(dir, 'opleidingen.csv') });
    await untilScreen(/Studie '1 havo'/, done);
    expect(screen.getScreen()).toMatch(/❯ VB-HAVO-1 — voorbeeld 1 havo {2}\(suggestie\)/);
    screen.type('kader 1');
    await untilScreen(/❯ VB-VMBO-KB-1/, done);
    expect(screen.getScreen()).toMatch(/❯ VB-VMBO-KB-1 — voorbeeld 1 kader/);
    screen.keypress({ name: 'c', ctrl: true });
    await expect(done).rejects.toMatchObject({ name: 'Interrupted' });
    expect(listDir(dir)).toEqual(['export.xlsx', 'idgebr.csv', 'opleidingen.csv']);
  });
});
