import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { convertSettings } from '../src/core/settings.js';
import { runConvert } from '../src/run/convert.js';
import { promptUnmapped } from '../src/run/map-studies.js';
import { corpus, expectNoStack, fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';
import { ScriptedPrompter, step } from './prompt-double.js';

function yearDir() {
  const dir = tempDir();
  copyFileSync(fixture('magister-export-fouten.xlsx'), join(dir, 'export.xlsx'));
  copyFileSync(MAPPING, join(dir, 'mapping.csv'));
  return dir;
}

describe('yearly runs', () => {
  it('without a TTY: a new Studie is exit 1 without reading stdin, listing the line to add, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ mapping: MAPPING }));
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Studie\r\n1;A;B;2 havo\r\n2;C;D;5 gymnasium\r\n');
    // A scheduled task has no one to answer: stdin that is never ended would hang a run that waits for it.
    let stdinRead = false;
    const stdin = new Readable({
      read() {
        stdinRead = true;
      },
    });
    const r = await runCli(['convert', src, '--config', join(dir, 'numo-prep.config.json')], { input: stdin });
    expect(stdinRead).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('5 gymnasium;<opleidingscode>');
    expect(listDir(dir)).toEqual(['export.csv', 'numo-prep.config.json']);
  });

  it("two configs, the working folder's and one beside the export: exit 2 naming both, nothing written; --config picks one", async () => {
    const here = tempDir();
    const there = yearDir();
    writeFileSync(join(here, 'numo-prep.config.json'), JSON.stringify({ mapping: MAPPING }));
    writeFileSync(join(there, 'numo-prep.config.json'), JSON.stringify({ mapping: 'mapping.csv' }));
    const r = await runCli(['convert', join(there, 'export.xlsx'), '--dry-run'], { cwd: here });
    expectNoStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Er zijn twee instellingenbestanden: ${join(here, 'numo-prep.config.json')} (de map waarin je werkt) en ${join(there, 'numo-prep.config.json')} (naast de export).`);
    expect(listDir(here)).toEqual(['numo-prep.config.json']);
    const chosen = await runCli(['convert', join(there, 'export.xlsx'), '--dry-run', '--config', join(there, 'numo-prep.config.json')], { cwd: here });
    expect(chosen.stderr).not.toContain('twee instellingenbestanden');
    // Run from the export's own folder, the two are one.
    expect((await runCli(['convert', 'export.xlsx', '--dry-run'], { cwd: there })).stderr).not.toContain('twee instellingenbestanden');
  });

  it("a config's klas filter that leaves no one: exit 1, and the hint names the config key as well as the flag", async () => {
    const dir = yearDir();
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ mapping: 'mapping.csv', klas: ['9Z*'] }));
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const r = await runCli(['convert', 'export.xlsx', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Na filter en mapping blijft geen enkele leerling over');
    expect(r.stderr).toContain('Controleer --klas en --studie (of "klas" en "studie" in numo-prep.config.json) en de mapping.');
  });

  it('with a TTY: maps a new Studie on the spot and saves it with the run', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    writeFileSync(join(dir, 'mapping.csv'), readFileSync(MAPPING, 'utf8').replace(/^2 havo;.*\r\n/m, ''));
    const settings = convertSettings({ export: join(dir, 'export.xlsx'), cwd: dir, mapping: join(dir, 'mapping.csv'), out: join(dir, 'o.csv') });
    const prompter = new ScriptedPrompter([
      step(/^1 nieuwe Studie-waarde\(n\) zonder opleidingscode\. Nu koppelen\?$/, true),
      step(/^Studie '2 havo' \(\d+ leerlingen?(, klas .*)?\) → opleidingscode/, 'VB-HAVO-2'),
      step(/Klopt dat\?$/, true),
      step(/^Toevoegen aan .*mapping\.csv/, true),
    ]);
    const report = await runConvert(settings, { resolveUnmapped: (u) => promptUnmapped(prompter, u, settings) });
    prompter.finished();
    expect(report.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'mapping.csv'), 'utf8')).toContain('2 havo;VB-HAVO-2');
    expect(listDir(dir)).toEqual(['export.xlsx', 'mapping.csv', 'o.csv']);
  });

  it('with a TTY and a mapping workbook saved under a .csv name: never offers to add to it (the content says workbook)', async () => {
    const dir = tempDir();
    copyFileSync(corpus('mapping-werkmap-openpyxl.xlsx'), join(dir, 'school.csv'));
    const settings = convertSettings({ export: fixture('magister-export.xlsx'), cwd: dir, mapping: join(dir, 'school.csv'), out: join(dir, 'o.csv') });
    const prompter = new ScriptedPrompter([step(/Nu koppelen\?$/, true), step(/^Studie '7 havo' .*→ opleidingscode/, 'VB-HAVO-7'), step(/Klopt dat\?$/, true)]);
    expect(await promptUnmapped(prompter, new Map([['7 havo', 1]]), settings)).toEqual({ codes: new Map([['7 havo', 'VB-HAVO-7']]), save: false, inWorkbook: true });
    prompter.finished();
  });

  it('with a TTY and more than 20 new Studies: all are asked for, though the report names only 20 (the rest in one line)', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 75 }, (_, i) => `${1001 + i};Jan;Vries;2H1;studie ${Math.floor(i / 3) + 1}`);
    writeFileSync(join(dir, 'export.csv'), ['Stamnr;Roepnaam;Achternaam;Klas;Studie', ...rows].join('\r\n'));
    writeFileSync(join(dir, 'mapping.csv'), 'Studie;Opleidingscode\r\n');
    const settings = convertSettings({ export: join(dir, 'export.csv'), cwd: dir, mapping: join(dir, 'mapping.csv'), out: join(dir, 'o.csv') });
    let asked = 0;
    const report = await runConvert(settings, {
      resolveUnmapped: async (u) => {
        asked = u.size;
        return undefined;
      },
    });
    expect(asked).toBe(25);
    expect(report.exitCode).toBe(1);
  });

  it('with a TTY and other problems in the file: asks nothing (the answers would be lost), names the line to add, saves nothing', async () => {
    const dir = yearDir();
    const settings = convertSettings({ export: join(dir, 'export.xlsx'), cwd: dir, mapping: join(dir, 'mapping.csv'), out: join(dir, 'o.csv') });
    const prompter = new ScriptedPrompter([]);
    const report = await runConvert(settings, { resolveUnmapped: (u) => promptUnmapped(prompter, u, settings) });
    prompter.finished();
    // The other problems in this file (duplicate, e-mail, Stamnr) stop the write anyway.
    expect(report.exitCode).toBe(1);
    expect(report.findings.list('error').find((e) => e.code === 'unmapped-studie')?.hint).toContain('4 havo;<opleidingscode>');
    expect(readFileSync(join(dir, 'mapping.csv'))).toEqual(readFileSync(MAPPING));
    expect(listDir(dir)).toEqual(['export.xlsx', 'mapping.csv']);
  });

  it('finds numo-prep.config.json in the working folder without --config, unless --no-config', async () => {
    const dir = tempDir();
    copyFileSync(MAPPING, join(dir, 'school.csv'));
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ mapping: 'school.csv' }));
    const r = await runCli(['convert', 'export.xlsx', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Instellingen uit ${join(dir, 'numo-prep.config.json')}`);
    const without = await runCli(['convert', 'export.xlsx', '--dry-run', '--no-config'], { cwd: dir });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('Er is nog geen mapping: ');
    expect(without.stderr).toContain('Maak hem met numo-prep wizard export.xlsx, of als werkmap voor Excel met numo-prep mapping export.xlsx --out mapping.xlsx; geef hem daarna mee met --mapping.');
    // Last year's workbook beside it (the config not copied along): named first, and mapping does not offer to
    // replace it with an empty one without saying what --force costs.
    writeFileSync(join(dir, 'mapping.xlsx'), 'x');
    const beside = await runCli(['convert', 'export.xlsx', '--dry-run', '--no-config'], { cwd: dir });
    expect(beside.stderr).toContain(`Is ${join(dir, 'mapping.xlsx')} de mapping, geef hem dan mee: --mapping ${join(dir, 'mapping.xlsx')}. Anders: maak hem met`);
    const again = await runCli(['mapping', 'export.xlsx', '--out', 'mapping.xlsx', '--no-config'], { cwd: dir });
    expect(again.code).toBe(2);
    const workbook = join(dir, 'mapping.xlsx');
    expect(again.stderr).toContain(
      `${workbook} bestaat al. Is dat een ingevulde mapping, geef hem dan mee: aan convert met --mapping ${workbook}, of hier met --mapping ${workbook} en een nieuwe --out (de codes blijven). Vervangen door een lege: --force.`,
    );
  });

  it("a mapping given from another folder, whose school config names it: exit 2 naming that config, not a run without the school's usernames", async () => {
    const school = tempDir();
    mkdirSync(join(school, 'mappings'));
    copyFileSync(MAPPING, join(school, 'mappings', 'school.csv'));
    writeFileSync(join(school, 'numo-prep.config.json'), JSON.stringify({ mapping: 'mappings/school.csv', gebruikersnaam: 'll{stamnr}' }));
    const elsewhere = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(elsewhere, 'export.xlsx'));
    const mapping = join(school, 'mappings', 'school.csv');
    const r = await runCli(['convert', 'export.xlsx', '--mapping', mapping, '--dry-run'], { cwd: elsewhere });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${mapping} hoort bij ${join(school, 'numo-prep.config.json')}, met de instellingen van die school`);
    expect(r.stderr).toContain(`--config ${join(school, 'numo-prep.config.json')}, of werk bewust zonder: --no-config.`);
    expect((await runCli(['convert', 'export.xlsx', '--mapping', mapping, '--dry-run', '--no-config'], { cwd: elsewhere })).code).toBe(0);
    // The workbook holds Studies and codes only: carrying last year's codes into it needs no settings.
    expect((await runCli(['mapping', 'export.xlsx', '--mapping', mapping, '--out', 'mapping.xlsx'], { cwd: elsewhere })).code).toBe(0);
    expect((await runCli(['convert', 'export.xlsx', '--config', join(school, 'numo-prep.config.json'), '--dry-run'], { cwd: elsewhere })).code).toBe(0);
    // A config there that names another mapping says nothing about this one.
    writeFileSync(join(school, 'numo-prep.config.json'), JSON.stringify({ mapping: 'mappings/ander.csv' }));
    expect((await runCli(['convert', 'export.xlsx', '--mapping', mapping, '--dry-run'], { cwd: elsewhere })).code).toBe(0);
    // Without any mapping or config: how to go on includes last year's settings.
    const none = await runCli(['convert', 'export.xlsx', '--dry-run'], { cwd: elsewhere });
    expect(none.stderr).toContain(`Vorig jaar al omgezet? Geef dan de instellingen van toen mee: --config <map van vorig jaar>${sep}numo-prep.config.json.`);
  });

  it('flags override the config, and paths in the config are relative to it', async () => {
    const dir = tempDir();
    copyFileSync(MAPPING, join(dir, 'school.csv'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'school.csv', password: 'none', delimiter: ',' }));
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--config', join(dir, 'numo-prep.config.json'), '--delimiter', ';', '--out', join(dir, 'o.csv')]);
    expect(r.code).toBe(0);
    const line = readFileSync(join(dir, 'o.csv'), 'utf8').split('\r\n')[1]!;
    expect(line.split(';').slice(7)).toEqual(['', 'leerling']);
  });

  it('shows the resolved path when a config path leads out of its folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ mapping: `../../${MAPPING.slice(1)}` }));
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--config', join(dir, 'numo-prep.config.json'), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`pad buiten de map van ${join(dir, 'numo-prep.config.json')}: mapping: ${MAPPING}`);
  });

  it("a file the config names that is gone: the mapping is exit 2 naming the key, Numo's code list a warning", async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    // Last year's folder after the clean-up the AVG asks for: the inleesbestand with the code list is gone.
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'school.csv', opleidingen: 'Numo-inleesbestand.xlsx' }));
    const gone = await runCli(['convert', 'export.xlsx', '--dry-run'], { cwd: dir });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`numo-prep.config.json noemt bij 'mapping' het bestand ${join(dir, 'school.csv')}, maar dat is er niet.`);
    copyFileSync(MAPPING, join(dir, 'school.csv'));
    const r = await runCli(['convert', 'export.xlsx', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`De lijst met Numo-opleidingen uit numo-prep.config.json (${join(dir, 'Numo-inleesbestand.xlsx')}) is er niet meer`);
    // Named on the command line, a missing list is an error as any missing input is.
    expect((await runCli(['convert', 'export.xlsx', '--opleidingen', 'weg.csv', '--dry-run'], { cwd: dir })).code).toBe(2);
    // Staff have no Studies: the students' mapping is not missed.
    copyFileSync(fixture('bron-magister-docenten.csv'), join(dir, 'personeel.csv'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'weg.csv', opleidingen: 'Numo-inleesbestand.xlsx' }));
    const staff = await runCli(['convert', 'personeel.csv', '--rol', 'docent', '--dry-run'], { cwd: dir });
    expect(staff.code, staff.stderr).toBe(0);
    expect(staff.stderr).not.toContain('Numo-opleidingen');
  });

  const configErrors: [string, string | object, RegExp][] = [
    ['not JSON', '{ mapping: ', /numo-prep\.config\.json is geen geldige JSON/],
    ['unknown key', { mappen: 'x.csv' }, /onbekende sleutel 'mappen'; toegestaan: version, mapping, columns/],
    ['bad enum', { rol: 'beheerder' }, /sleutel 'rol': toegestaan is "leerling" of "docent"/],
    ['wrong type', { klas: 12 }, /sleutel 'klas': verwacht een lijst/],
    ['number too small', { passwordLength: 3 }, /sleutel 'passwordLength': te klein of leeg \(minimaal 6\)/],
    ['bad column key', { columns: { naam: 'Naam' } }, /onbekende sleutel 'columns\.naam'; toegestaan: stamnr, roepnaam/],
    ['bad version', { version: 2 }, /sleutel 'version': toegestaan is 1/],
    ['missing file', '', /Bestand niet gevonden/],
  ];
  for (const [what, content, message] of configErrors) {
    it(`config error: ${what} → exit 2 naming the key`, async () => {
      const dir = tempDir();
      const path = join(dir, 'numo-prep.config.json');
      if (content !== '') writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      const r = await runCli(['convert', fixture('magister-export.xlsx'), '--config', path, '--dry-run']);
      expectNoStack(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }
});

describe('numo-prep check', () => {
  it('accepts a CSV written by convert and rejects a hand-made one with problems', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out])).code).toBe(0);
    const ok = await runCli(['check', out, '--opleidingen', fixture('opleidingen.csv')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('40 rijen, geen problemen gevonden');
    // Without Numo's list the codes are checked for their shape only: said, and then no "geen problemen".
    const unchecked = await runCli(['check', out]);
    expect([unchecked.code, unchecked.stdout]).toEqual([0, expect.stringContaining('40 rijen, geen fouten gevonden; lees de meldingen hierboven')]);
    const bad = join(dir, 'hand.csv');
    writeFileSync(bad, 'Gebruikersnaam;voornaam;achternaam;opleiding;e-mail;rol\r\n1;A;B;X;a@b.nl;leerling\r\n1;C;D;;c@d;beheerder\r\n');
    const r = await runCli(['check', bad, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.errors.map((e: { code: string }) => e.code).sort()).toEqual(['duplicate-gebruikersnaam', 'email-invalid', 'invalid-rol', 'missing-opleiding']);
    expect(report.warnings.map((e: { code: string }) => e.code)).toContain('header-spelling');
  });

  it("sees in the data what convert warns of from its settings, and a Numo column under another header is an error, never 'haal hem weg'", async () => {
    const dir = tempDir();
    const file = join(dir, 'numo.csv');
    const header = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';
    const codes = async (text: string) => {
      writeFileSync(file, text);
      const r = await runCli(['check', file, '--json']);
      const report = JSON.parse(r.stdout);
      return { code: r.code, errors: report.errors.map((e: { code: string }) => e.code), warnings: report.warnings.map((e: { code: string }) => e.code), text: r.stdout };
    };
    // Tussenv. (Magister's own spelling) for tussenvoegsel: Numo does not read it, and removing it loses every one.
    const misnamed = await codes(`${header.replace('tussenvoegsel', 'Tussenv.')}\r\n1001;Jan;van;Hof;1A;VB-HAVO-1;;k8Hq2mZp4x;leerling\r\n`);
    expect([misnamed.code, misnamed.errors]).toEqual([1, ['numo-column-misnamed']]);
    expect(misnamed.text).toContain("Een kolom van Numo heeft een andere kop, en dan leest Numo hem niet: kolom C lijkt 'tussenvoegsel'");
    expect(misnamed.warnings).not.toContain('extra-columns');
    // No password and no IDGebr anywhere; one row without; one password for two; a password made of the login.
    const none = await codes(`${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1;;;leerling\r\n1002;Eva;;Bos;1A;VB-HAVO-1;;;leerling\r\n`);
    expect([none.code, none.warnings]).toEqual([0, ['no-login']]);
    const some = await codes(`${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1;;k8Hq2mZp4x;leerling\r\n1002;Eva;;Bos;1A;VB-HAVO-1;;;leerling\r\n`);
    expect(some.warnings).toEqual(['no-login-row']);
    const same = await codes(`${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1;;Welkom01;leerling\r\n1002;Eva;;Bos;1A;VB-HAVO-1;;Welkom01;leerling\r\n`);
    expect(same.warnings).toEqual(['password-repeated']);
    expect(same.text).not.toContain('Welkom01');
    const guessable = await codes(`${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1;;Welkom1001;leerling\r\n1002;Eva;;Bos;1A;VB-HAVO-1;;Welkom1002;leerling\r\n`);
    expect(guessable.warnings).toEqual(['password-public']);
    // {stamnr}{random4}, which convert calls strong, also where two random parts meet by chance in a large file, and
    // a teacher's code inside a random password by chance: no warning.
    const many = Array.from({ length: 300 }, (_, i) => `${2001 + i};Ada;;Kok;1A;VB-HAVO-1;;${2001 + i}${i < 2 ? 'zzzz' : `q${String(i).padStart(3, '0')}`};leerling`);
    const strong = await codes(`${header}\r\n${many.join('\r\n')}\r\nSUN;Sam;;Un;;;;Vh7q8hPSun;docent\r\n`);
    expect(strong.warnings).toEqual([]);
    const short = await codes(`${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1;;1001!;leerling\r\n`);
    expect(short.text).toContain('Het wachtwoord is de gebruikersnaam met minder dan 4 andere tekens: anderen kunnen het raden');
    // prins.a and prins.а (Cyrillic): two logins that look the same.
    const lookalike = await codes(`${header}\r\nprins.a;Anna;;Prins;1A;VB-HAVO-1;;k8Hq2mZp4x;leerling\r\nprins.\u0430;Anna;;Prins;1A;VB-HAVO-1;;p3Wz9kLm2q;leerling\r\n`);
    expect(lookalike.warnings).toEqual(['gebruikersnaam-mixed-script']);
    // A Latin prefix before a name in Cyrillic or Greek is no lookalike.
    const prefixed = await codes(`${header}\r\nll1001.\u0428\u0435\u0432\u0447\u0435\u043d\u043a\u043e;Olena;;Shevchenko;1A;VB-HAVO-1;;k8Hq2mZp4x;leerling\r\n`);
    expect(prefixed.warnings).toEqual([]);
    // One Stamnr behind a prefix, with and without its leading zeros: two accounts for one student.
    const zeros = await codes(`${header}\r\nll1201;Jan;;Hof;1A;VB-HAVO-1;;k8Hq2mZp4x;leerling\r\nll001201;Jan;;Hof;1A;VB-HAVO-1;;p3Wz9kLm2q;leerling\r\n`);
    expect([zeros.code, zeros.errors]).toEqual([1, ['duplicate-gebruikersnaam']]);
    // What Excel leaves where data was: ###### (a column too narrow), 0 (a lookup formula on an empty cell).
    const hashes = await codes(`${header}\r\n######;Jan;;Hof;########;VB-HAVO-1;;k8Hq2mZp4x;leerling\r\n0;Eva;;Bos;1A;0;;p3Wz9kLm2q;leerling\r\n`);
    expect(hashes.code).toBe(1);
    expect(hashes.errors.sort()).toEqual(['excel-hashes', 'excel-hashes', 'gebruikersnaam-zero', 'opleiding-shape'].sort());
    expect(hashes.text).toContain('Waarde in kolom klas is ########: Excel bewaarde wat een te smalle kolom toont, niet de waarde');
    // In a password: a warning that does not show it.
    const hashedPassword = await codes(`${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1;;#####;leerling\r\n`);
    expect(hashedPassword.warnings).toEqual(['excel-hashes']);
    expect(hashedPassword.text).toContain('Waarde in kolom wachtwoord is alleen #-tekens');
    expect(hashedPassword.text).not.toContain('#####');
  });

  it('sees what Numo sees: spaces and invisible characters in logins and headers, a line above the header, a workbook', async () => {
    const dir = tempDir();
    const file = join(dir, 'numo.csv');
    const header = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';
    writeFileSync(file, `${header.replace('rol', 'rol ')}\r\n1001\u200b;Jan;;Hof;1A;VB-HAVO-1;;\u00a0Welkom1;leerling\r\n`);
    const r = await runCli(['check', file, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.errors.map((e: { code: string }) => e.code).sort()).toEqual(['header-hidden-chars', 'hidden-chars']);
    expect(report.warnings.map((e: { code: string }) => e.code)).toContain('password-hidden-chars');
    expect(r.stdout).not.toContain('Welkom1');
    // A code with a space or an invisible character after it is not the code in Numo's list, however it looks.
    writeFileSync(file, `${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1 ;;;leerling\u200b\r\n`);
    const codes = await runCli(['check', file, '--opleidingen', fixture('opleidingen.csv')]);
    expect(codes.code).toBe(1);
    expect(codes.stderr).toContain('kolom opleiding: Numo neemt het over, en dan klopt de opleiding niet');
    expect(codes.stderr).toContain('kolom rol: Numo neemt het over, en dan klopt de rol niet');
    writeFileSync(file, `sep=;\r\n${header}\r\n1001;Jan;;Hof;1A;VB-HAVO-1;;Welkom1;leerling\r\n`);
    expect((await runCli(['check', file])).stderr).toContain('De kopregel staat in regel 2; Numo verwacht hem in de eerste regel');
  });
});
