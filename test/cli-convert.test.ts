import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { encodeCp1252 } from '../src/io/cp1252.js';
import { workBytes } from '../src/io/input.js';
import { readZipDirectory } from '../src/io/zip.js';
import { defaultOutput } from '../src/run/convert.js';
import { expectNoStack, fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const HEADER = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';

function exportCopy(name = 'magister-export.xlsx'): { dir: string; path: string } {
  const dir = tempDir();
  const path = join(dir, name);
  copyFileSync(fixture(name), path);
  return { dir, path };
}

describe('numo-prep convert', () => {
  it('runs the README quick start: BOM, ;, CRLF, IDGebr last, 0600, inputs untouched', async () => {
    const { dir, path } = exportCopy();
    const out = join(dir, 'numo.csv');
    const before = [sha(path), sha(MAPPING), sha(fixture('idgebr.csv'))];
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--idgebr', fixture('idgebr.csv'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('40 leerlingen geschreven');
    expect(r.stdout).toContain(`numo-prep shred ${path} ${fixture('idgebr.csv')} ${out}`);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith(`${HEADER};IDGebr\r\n`)).toBe(true);
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(42); // header, 40 students, final empty
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(lines[3]).toMatch(/^100003;[^;]+;[^;]*;[^;]+;\w+;VB-[A-Z0-9-]+;100003@leerling\.voorbeeldschool\.nl;[a-km-zA-HJ-NP-Z2-9]{10};leerling;30014$/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect([sha(path), sha(MAPPING), sha(fixture('idgebr.csv'))]).toEqual(before);
    expect(listDir(dir)).toEqual(['magister-export.xlsx', 'numo.csv']);
  });

  it('writes numo-import-<date>.csv beside the export by default, and never overwrites without --force', async () => {
    // One date for all three runs, even across midnight.
    vi.setSystemTime(new Date(2026, 5, 1, 12));
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { dir, path } = exportCopy();
    const r = await runCli(['convert', path, '--mapping', MAPPING]);
    expect(r.code).toBe(0);
    const out = defaultOutput(path);
    expect(existsSync(out)).toBe(true);
    const first = sha(out);
    const again = await runCli(['convert', path, '--mapping', MAPPING]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('bestaat al');
    expect(again.stderr).toContain('--force');
    expect(sha(out)).toBe(first);
    const forced = await runCli(['convert', path, '--mapping', MAPPING, '--force']);
    expect(forced.code).toBe(0);
    expect(sha(out)).not.toBe(first); // new random passwords
    expect(listDir(dir)).toHaveLength(2);
    // Made read-only (as shred keeps it): --force does not replace it either.
    const kept = sha(out);
    chmodSync(out, 0o444);
    const readOnly = await runCli(['convert', path, '--mapping', MAPPING, '--force']);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toContain('is alleen-lezen; --force vervangt het niet');
    expect(sha(out)).toBe(kept);
    chmodSync(out, 0o644);
  });

  it('a read-only export is said beside the shred command, which would refuse it', async () => {
    const { dir, path } = exportCopy('magister-export.xlsx');
    chmodSync(path, 0o444);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ${path} is alleen-lezen: zet dat eerst uit (Windows: Eigenschappen; Mac: Toon info), anders weigert shred.`);
    chmodSync(path, 0o644);
  });

  it('exits 1 with the full list and writes nothing when data has problems', async () => {
    const { dir, path } = exportCopy('magister-export-fouten.xlsx');
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--out', out]);
    expectNoStack(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Studie '4 havo' staat niet in de mapping (2 leerlingen)");
    expect(r.stderr).toContain('4 havo;<opleidingscode>');
    // One student twice: said as the Stamnr, not again as the gebruikersnaam made of it.
    expect(r.stderr).toMatch(/Stamnr komt dubbel voor \(1×\): rij \d+ \(Stamnr \d+, eerder in rij 6\)/);
    expect(r.stderr).not.toContain('Gebruikersnaam komt dubbel voor');
    expect(r.stderr).toContain('Geen geldig e-mailadres (1×): rij 9 (Stamnr 500008)');
    expect(r.stderr).toContain('Geen Stamnr (1×): rij 11');
    expect(r.stderr).toContain('Er is niets weggeschreven');
    expect(r.stderr).not.toContain('geen-adres');
    expect(listDir(dir)).toEqual(['magister-export-fouten.xlsx']);
    // The line to add is spelled with the mapping's own delimiter: a ; line in a , file would not be read.
    writeFileSync(join(dir, 'komma.csv'), readFileSync(MAPPING, 'utf8').replaceAll(';', ','));
    const comma = await runCli(['convert', path, '--mapping', join(dir, 'komma.csv'), '--out', out]);
    expect(comma.stderr).toContain('Voeg deze regel toe aan komma.csv: 4 havo,<opleidingscode>');
    // A line typed with a comma in a ; file is one field, a Studie without a code: the message points at it.
    writeFileSync(join(dir, 'gemengd.csv'), `${readFileSync(MAPPING, 'utf8').trimEnd()}\r\n4 havo,VB-HAVO-4\r\n`);
    const mixed = await runCli(['convert', path, '--mapping', join(dir, 'gemengd.csv'), '--out', out]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain("In het mappingbestand staat '4 havo,VB-HAVO-4' in één veld, met een komma tussen Studie en code; de andere regels gebruiken een puntkomma. Verbeter die regel.");
    expect(listDir(dir)).toEqual(['gemengd.csv', 'komma.csv', 'magister-export-fouten.xlsx']);
  });

  it('reports as JSON, and --dry-run writes nothing', async () => {
    const { dir, path } = exportCopy();
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, exitCode: 0, dryRun: true, written: false, output: null, counts: { read: 40, written: 40 } });
    expect(Object.values(report.perOpleiding as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(40);
    expect(listDir(dir)).toEqual(['magister-export.xlsx']);
    const bad = await runCli(['convert', fixture('magister-export-fouten.xlsx'), '--mapping', MAPPING, '--dry-run', '--json']);
    expect(bad.code).toBe(1);
    const badReport = JSON.parse(bad.stdout);
    expect(badReport.errors.map((e: { code: string }) => e.code)).toContain('unmapped-studie');
    expect(badReport.unmappedStudies).toEqual({ '4 havo': 2 });
  });

  it('reads Magister ANSI CSV and can write Windows-1252 with a tab', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', fixture('magister-export-ansi.csv'), '--mapping', MAPPING, '--out', out, '--encoding', 'windows-1252', '--delimiter', 'tab']);
    expect(r.code).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes[0]).toBe('g'.charCodeAt(0));
    expect(bytes.includes(Buffer.from('Zo\u00eb', 'latin1'))).toBe(true);
    expect(bytes.toString('latin1').split('\r\n')[0]).toBe(HEADER.replace(/;/g, '\t'));
  });

  it('refuses a name Windows-1252 cannot hold instead of writing ?', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Studie\r\n1001;Şükrü;Yılmaz;2 havo\r\n');
    const r = await runCli(['convert', src, '--mapping', MAPPING, '--encoding', 'windows-1252']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Een teken in kolom voornaam past niet in Windows-1252 \(1×\): rij 2 \(Stamnr 1001\)/);
    expect(r.stderr).not.toMatch(/Ş|ı|015E|0131/); // no letter of a name, not even as a code point
    expect(r.stderr).toContain('--encoding utf8-bom');
    expect(listDir(dir)).toEqual(['export.csv']);
  });

  it('filters on klas and studie, with templates for gebruikersnaam and password', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    const r = await runCli([
      'convert',
      fixture('magister-export.xlsx'),
      '--mapping',
      MAPPING,
      '--out',
      out,
      '--klas',
      '1*',
      '--studie',
      '1 havo,1 kader',
      '--gebruikersnaam',
      'll{stamnr}',
      '--password',
      'template',
      '--password-template',
      'W{stamnr}',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('leerlingen kunnen elkaars wachtwoord raden');
    expect(r.stderr).toMatch(/\d+ leerlingen vallen buiten het klas-\/studiefilter/);
    const rows = readFileSync(out, 'utf8')
      .slice(1)
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(';'));
    expect(rows.length).toBeGreaterThan(0);
    for (const cells of rows) {
      expect(cells[0]).toMatch(/^ll1000\d\d$/);
      expect(cells[4]).toMatch(/^1/);
      expect(cells[7]).toBe(`W${cells[0]!.slice(2)}`);
      expect(cells[8]).toBe('leerling');
    }
  });

  it('leaves the password column empty with --password none', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out, '--password', 'none'])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n').slice(1);
    expect(lines.every((l) => l.split(';')[7] === '')).toBe(true);
  });

  it("names mapping lines that give the Studie itself as its code, unless Numo's list holds that code", async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const mapping = join(dir, 'mapping.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n1001;Zoë;Vries;2H1;2 havo\r\n1002;Ada;Kok;1H1;1 havo\r\n1003;Bas;Bos;2V1;2 vwo\r\n');
    writeFileSync(mapping, 'Studie;Opleidingscode\r\n1 havo;1 HAVO\r\n2 havo;2 havo\r\n2 vwo;VB-VWO-2\r\n');
    const r = await runCli(['convert', src, '--mapping', mapping, '--out', join(dir, 'o.csv'), '--no-config']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("De mapping geeft als code de Studie zelf: '1 HAVO', '2 havo'; numo-prep kan niet zien of dat Numo-codes zijn");
    const list = join(dir, 'opleidingen.csv');
    writeFileSync(list, 'Opleidingscode\r\n1 HAVO\r\n2 havo\r\nVB-VWO-2\r\n');
    const listed = await runCli(['convert', src, '--mapping', mapping, '--opleidingen', list, '--out', join(dir, 'p.csv'), '--no-config']);
    expect([listed.code, listed.stderr]).toEqual([0, expect.not.stringContaining('Studie zelf')]);
  });

  it("says when the IDGebr file has leading zeros the export lacks: the username keeps the export's form", async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const ids = join(dir, 'idgebr.csv');
    const mapping = join(dir, 'mapping.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n1238;Zoë;Koster;1A;1 havo\r\n100000;Bram;Smit;1A;1 havo\r\n');
    writeFileSync(ids, 'Stamnr;IDGebr\r\n001238;30001\r\n100000;30003\r\n');
    writeFileSync(mapping, 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n');
    const run = (extra: string[]) => runCli(['convert', src, '--mapping', mapping, '--idgebr', ids, '--out', join(dir, 'o.csv'), '--force', '--no-config', ...extra]);
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('De Stamnrs in idgebr.csv hebben voorloopnullen tot 6 cijfers, die in de export niet (bijv. rij 2, Stamnr 1238)');
    expect(r.stderr).toContain('geef dan --stamnr-cijfers met dat aantal cijfers');
    // Padded as the file is, nothing to say; nor when the export has the zeros itself.
    const padded = await run(['--stamnr-cijfers', '6']);
    expect([padded.code, padded.stderr]).toEqual([0, expect.not.stringContaining('voorloopnullen')]);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8')).toContain('\r\n001238;Zoë;');
    // Last year's Numo file without zeros (a spreadsheet took them out of it too) settles nothing, and Numo may have
    // them: a second account for every returning student, so the admin must look and say which.
    const last = join(dir, 'vorig.csv');
    writeFileSync(last, 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n1238;Zoë;;Koster;1A;VB-HAVO-1;;Abc23456;leerling\r\n');
    rmSync(join(dir, 'o.csv'));
    const unsure = await run(['--previous', last]);
    expect(unsure.code, unsure.stderr).toBe(1);
    expect(unsure.stderr).toContain(
      'De Stamnrs in idgebr.csv hebben voorloopnullen tot 6 cijfers, die in de export en in vorig.csv niet (bijv. rij 2, Stamnr 1238): of de gebruikersnamen in Numo ze hebben, is niet zeker',
    );
    expect(unsure.stderr).toContain('zo nee, --stamnr-cijfers 0');
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
    // 0: no zeros, said once; the usernames are the export's.
    const none = await run(['--previous', last, '--stamnr-cijfers', '0']);
    expect([none.code, none.stderr]).toEqual([0, expect.not.stringContaining('voorloopnullen')]);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8')).toContain('\r\n1238;Zoë;');
    writeFileSync(last, 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n001238;Zoë;;Koster;1A;VB-HAVO-1;;Abc23456;leerling\r\n');
    expect((await run(['--previous', last])).stderr).not.toContain('De Stamnrs in idgebr.csv');
    // Text before the number (ll1238) is kept by a spreadsheet: last year's file shows Numo's form, nothing to ask.
    writeFileSync(last, 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\nll1238;Zoë;;Koster;1A;VB-HAVO-1;;Abc23456;leerling\r\n');
    const prefixed = await run(['--previous', last, '--gebruikersnaam', 'll{stamnr}']);
    expect([prefixed.code, prefixed.stderr]).toEqual([0, expect.not.stringContaining('De Stamnrs in idgebr.csv')]);
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n001238;Zoë;Koster;1A;1 havo\r\n100000;Bram;Smit;1A;1 havo\r\n');
    expect((await run([])).stderr).not.toContain('voorloopnullen');
  });

  it('uses the codes as they are when the admin already renamed Studie to opleiding', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, encodeCp1252('gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail\r\n1001;Zoë;;Vries;2H1;VB-HAVO-2;\r\n'));
    const r = await runCli(['convert', src, '--out', join(dir, 'o.csv')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8')).toContain('1001;Zoë;;Vries;2H1;VB-HAVO-2;;');
    // The codes taken as they are are named only when several students share one: a name in that column is someone's.
    const rows = ['1002;Ada;;Kok;2H1;VB-HAVO-2;', '1003;Bas;;Bos;2H1;VB-HAVO-2;', '1004;Ed;;Dam;2H1;VB-PRO-2;'];
    writeFileSync(src, encodeCp1252(`gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail\r\n1001;Zoë;;Vries;2H1;VB-HAVO-2;\r\n${rows.join('\r\n')}\r\n`));
    const named = await runCli(['convert', src, '--out', join(dir, 'p.csv'), '--json']);
    expect(named.code).toBe(0);
    expect(named.stdout).not.toContain('VB-PRO-2');
    expect(named.stdout).toContain("De kolom opleiding is zonder mapping overgenomen: 'VB-HAVO-2' en 1 code meer");
    expect(JSON.parse(named.stdout).perOpleiding).toEqual({ 'andere waarden': 1, 'VB-HAVO-2': 3 });
    // A name there is no code: refused by its row, never shown.
    writeFileSync(src, encodeCp1252(`gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail\r\n1001;Zoë;;Vries;2H1;Lucas van den Berg;\r\n`));
    const name = await runCli(['convert', src, '--out', join(dir, 'q.csv'), '--json']);
    expect(name.code).toBe(1);
    expect(name.stdout).toContain('Dat lijkt een naam, geen opleidingscode.');
    expect(name.stdout).not.toContain('Lucas');
  });

  it('asks for a mapping when only the study column of an export is headed Opleiding', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Klas;Opleiding;E-mail\r\n600001;Zoë;de;Koster;3M3;3 mavo;\r\n');
    const r = await runCli(['convert', src, '--out', join(dir, 'o.csv'), '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Er is nog geen mapping: 1 Studie heeft een opleidingscode nodig (samen 1 leerling)');
    expect(r.stderr).toContain("Staan in kolom 'Opleiding' al Numo-opleidingscodes? Geef dan Numo's lijst mee met --opleidingen");
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
    // Half renamed (manual steps 7 and 10): a value Numo's list has is taken as that code.
    writeFileSync(src, 'Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Klas;Opleiding;E-mail\r\n600001;Zoë;de;Koster;1H1;vb-havo-1;\r\n');
    const listed = await runCli(['convert', src, '--out', join(dir, 'o.csv'), '--no-config', '--opleidingen', fixture('opleidingen.csv')]);
    expect(listed.code).toBe(0);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8')).toContain(';1H1;VB-HAVO-1;');
    // Renamed to Numo's headers all but the Stamnr (step 7 halfway): still the school's Studies, not "al hernoemd"
    // with '3 havo' written as a code.
    writeFileSync(src, 'Stamnr;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail\r\n100001;Anna;de;Vries;3H1;3 havo;a@x.nl\r\n');
    const half = await runCli(['convert', src, '--out', join(dir, 'h.csv'), '--no-config']);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('Herkend als Magister-export (deelnemersexport).');
    expect(half.stderr).toContain('Er is nog geen mapping: 1 Studie heeft een opleidingscode nodig (samen 1 leerling)');
    expect(existsSync(join(dir, 'h.csv'))).toBe(false);
  });

  it('refuses a gebruikersnaam whose template field is empty on a row', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;E-mail\r\n600001;Zoë;Koster;1A;1 havo;zk@school.nl\r\n600002;Tim;Bos;1A;1 havo;\r\n');
    const r = await runCli(['convert', src, '--mapping', MAPPING, '--gebruikersnaam', 'll{email}', '--out', join(dir, 'o.csv'), '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Gebruikersnaam onvolledig: {email} is leeg in deze rij (1×): rij 3 (Stamnr 600002)');
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
  });

  it('refuses a password column it would replace, and names a login column it leaves unused', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const header = 'Stamnr;Roepnaam;Achternaam;Klas;Studie;E-mail;gebruikersnaam';
    writeFileSync(src, `${header};Wachtwoord\r\n600001;Zoë;Koster;1A;1 havo;;zkoster01;Welkom01\r\n`);
    const out = join(dir, 'o.csv');
    const withPasswords = await runCli(['convert', src, '--mapping', MAPPING, '--out', out, '--no-config']);
    expect(withPasswords.code).toBe(1);
    expect(withPasswords.stderr).toContain("De export heeft een kolom 'Wachtwoord' met wachtwoorden (1 rij); numo-prep gebruikt die niet en zou ze vervangen door nieuwe");
    expect(withPasswords.stderr).not.toContain('Welkom01');
    expect(existsSync(out)).toBe(false);
    // Filled only far below the first rows; and a header that only mentions passwords holds none.
    const many = Array.from({ length: 300 }, (_, i) => `${600001 + i};Zoë;Koster;1A;1 havo;;z${i};${i === 250 ? 'Welkom01' : ''}`);
    writeFileSync(src, `${header};Wachtwoord\r\n${many.join('\r\n')}\r\n`);
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--out', out, '--no-config'])).stderr).toContain('met wachtwoorden (1 rij)');
    // Without passwords nothing is replaced, but the school's do not go along either: a warning, not silence.
    const none = await runCli(['convert', src, '--mapping', MAPPING, '--dry-run', '--no-config', '--password', 'none']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain("De export heeft een kolom 'Wachtwoord' met wachtwoorden (1 rij); die gaan niet mee naar Numo: gekozen is geen wachtwoorden, dus de kolom wachtwoord blijft leeg");
    writeFileSync(src, `${header};Wachtwoord (initieel)\r\n600001;Zoë;Koster;1A;1 havo;;zkoster01;Welkom01\r\n`);
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--out', out, '--no-config'])).stderr).toContain("kolom 'Wachtwoord (initieel)' met wachtwoorden");
    writeFileSync(src, `${header};Wachtwoord gewijzigd op\r\n600001;Zoë;Koster;1A;1 havo;;zkoster01;2026-01-05\r\n`);
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--dry-run', '--no-config'])).code).toBe(0);
    writeFileSync(src, `${header}\r\n600001;Zoë;Koster;1A;1 havo;;zkoster01\r\n`);
    const withLogins = await runCli(['convert', src, '--mapping', MAPPING, '--out', out, '--no-config']);
    expect(withLogins.code).toBe(0);
    expect(withLogins.stderr).toContain("Kolom 'gebruikersnaam' lijkt een login maar wordt niet gebruikt: de gebruikersnaam is {stamnr}");
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ version: 1, columns: { login: 'gebruikersnaam' } }));
    const used = await runCli(['convert', src, '--mapping', MAPPING, '--config', config, '--gebruikersnaam', '{login}', '--out', out, '--force']);
    expect(used.code).toBe(0);
    expect(used.stderr).not.toContain('lijkt een login');
    expect(readFileSync(out, 'utf8').split('\r\n')[1]).toMatch(/^zkoster01;/);
  });

  it('prints the shred line with absolute paths, also for an export named relative to the folder', async () => {
    const out = join(tempDir(), 'o.csv');
    const rel = relative(process.cwd(), fixture('magister-export.xlsx'));
    const r = await runCli(['convert', rel, '--mapping', MAPPING, '--out', out]);
    expect(r.code).toBe(0);
    // Run later from another folder, a relative name would be another file.
    expect(r.stdout).toContain(`numo-prep shred ${fixture('magister-export.xlsx')} ${out}`);
  });

  it('pads a Stamnr after its shape is judged: 123456789 to 10 digits is no phone number', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;E-mail\r\n123456789;Zoë;Koster;1A;1 havo;\r\n0612345678;Tim;Bos;1A;1 havo;\r\n');
    const r = await runCli(['convert', src, '--mapping', MAPPING, '--stamnr-cijfers', '10', '--dry-run', '--no-config']);
    // Only the real phone number is refused.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Stamnr is geen nummer (letters, spaties of tekens; verschoven kolommen?) (1×): rij 3');
  });

  it('warns when the achternaam already starts with the tussenvoegsel', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail\r\n600001;Zoë;de;de Koster;1A;1 havo;\r\n600002;Tim;van;Vliet;1A;1 havo;\r\n600003;Ada;de;Dekker;1A;1 havo;\r\n');
    const r = await runCli(['convert', src, '--mapping', MAPPING, '--dry-run', '--no-config']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Achternaam begint met het tussenvoegsel: in Numo staat het er dan twee keer (1×): rij 2 (Stamnr 600001)');
  });

  it('gives Dutch usage errors with exit 2', async () => {
    const same = join(tempDir(), 'o.csv');
    // A copy: a regression in the same-file guard must not overwrite the repo's example mapping.
    const mapping = join(tempDir(), 'mapping.csv');
    copyFileSync(MAPPING, mapping);
    const exportCopy = join(tempDir(), 'export.xlsx');
    copyFileSync(fixture('magister-export.xlsx'), exportCopy);
    const cases: [string[], RegExp][] = [
      [['convert'], /Geef het bestand op, bijvoorbeeld: numo-prep convert export\.xlsx/],
      // An empty name (a variable that was not set) is a missing file, not an invalid setting or "not found: ".
      [['convert', ''], /^numo-prep: Geef het bestand op, bijvoorbeeld: numo-prep convert export\.xlsx\. Zie numo-prep convert --help\.$/m],
      [['mapping', ' ', '--out', 'm.xlsx'], /^numo-prep: Geef het bestand op, bijvoorbeeld: numo-prep mapping export\.xlsx\./m],
      [['check', ''], /Geef het bestand op, bijvoorbeeld: numo-prep check numo-import\.csv/],
      [['shred', 'a.csv', '', '--yes'], /Geef het bestand op/],
      // An unset variable in a .bat file: without a word, the school's config (and the one beside the export) went.
      [['convert', fixture('magister-export.xlsx'), '--config', ''], /^numo-prep: Ongeldige waarde voor --config\. Verwacht: een niet-lege waarde\. Zie numo-prep convert --help\.$/m],
      [['mapping', fixture('magister-export.xlsx'), '--config', ' ', '--out', 'm.xlsx'], /Ongeldige waarde voor --config/],
      [['mapping', fixture('magister-export.xlsx'), '--out', ''], /^numo-prep: Ongeldige waarde voor --out\. Verwacht: een niet-lege waarde\. Zie numo-prep mapping --help\.$/m],
      [['check'], /bijvoorbeeld: numo-prep check numo-import\.csv/],
      // The command left out, or an export dragged onto the .exe.
      [['export.xlsx'], /^numo-prep: Eerst het commando, dan het bestand: numo-prep convert export\.xlsx, of de eerste keer numo-prep wizard export\.xlsx\./],
      [['convrt'], /Onbekend commando 'convrt'\. Bedoel je convert\?/],
      [['convert', fixture('magister-export.xlsx'), '--bogus'], /Onbekende optie --bogus/],
      [['convert', fixture('magister-export.xlsx'), '--rol', 'admin'], /Ongeldige waarde 'admin' voor --rol\. Toegestaan: 'leerling', 'docent'/],
      [['convert', 'bestaat-niet.xlsx'], /Bestand niet gevonden: \S*[\\/]bestaat-niet\.xlsx\. Controleer/],
      // A Latin-1 name on Linux: the bytes are no UTF-8, Node reads them as �, and no file is called that.
      [['shred', 'leerlingen-\uFFFD\uFFFDn.xlsx', '--yes'], /n\.xlsx: niet gevonden; in de naam staat een teken dat niet als tekst te lezen is \(�\): geef het bestand een naam met gewone letters/],
      [['convert', 'leerlingen-\uFFFD\uFFFDn.xlsx'], /n\.xlsx\. In de naam staat een teken dat niet als tekst te lezen is \(�\); geef het bestand een naam met gewone letters\.$/m],
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', '{naam}'], /onbekend veld \{naam\}/],
      [['convert', fixture('magister-export.xlsx'), '--password', 'template'], /--password-template/],
      [['convert', fixture('magister-export.xlsx'), '--out', '/bestaat/niet/o.csv'], /De map \/bestaat\/niet bestaat niet/],
      [['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--out', mapping, '--force'], /ook een invoerbestand/],
      [['convert', exportCopy, '--out', exportCopy, '--force'], /schrijft een CSV-bestand/],
      [['convert', fixture('magister-export.xlsx'), '--out', 'uitvoer/'], /--out \S*[\\/]uitvoer[\\/] is een map; geef een bestandsnaam, bijvoorbeeld \S*[\\/]uitvoer[\\/]numo-import\.csv\./],
      // The workbook said "geef een naam die eindigt op .xlsx" to a folder.
      [
        ['mapping', fixture('magister-export.xlsx'), '--out', 'uitvoer/', '--no-config'],
        /--out \S*[\\/]uitvoer[\\/] is een map; geef een bestandsnaam, bijvoorbeeld \S*[\\/]uitvoer[\\/]mapping\.xlsx\./,
      ],
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', 'll {stamnr}'], /--gebruikersnaam "ll \{stamnr\}" bevat een spatie/],
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', '{stamnr} '], /begint of eindigt met een spatie/],
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', '-{stamnr}'], /--gebruikersnaam "-\{stamnr\}" begint met = \+ - of @/],
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', 'leerling'], /heeft geen veld zoals \{stamnr\}/],
      // A { or } outside a field would be in every login.
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', 'll{stamnr}}'], /--gebruikersnaam "ll\{stamnr\}\}" heeft een \{ of \} zonder veld/],
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', '{{stamnr}}'], /heeft een \{ of \} zonder veld/],
      [
        ['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', 'll{stamnr'],
        /heeft een \{ of \} zonder veld: een veld staat tussen één \{ en één \}, zoals \{stamnr\}\. Pas het sjabloon aan\./,
      ],
      [['convert', fixture('magister-export.xlsx'), '--password', 'template', '--password-template', 'Welkom{random4'], /^numo-prep: --password-template heeft een \{ of \} zonder veld/m],
      [['convert', fixture('magister-export.xlsx'), '--password', 'template', '--password-template', 'Welkom{random0}'], /\{random0\} kan niet; kies 1 tot 64 willekeurige tekens/],
      [['convert', fixture('magister-export.xlsx'), '--password', 'template', '--password-template', 'Welkom{random100}'], /\{random100\} kan niet/],
      // A password template is not shown: its fixed part is in every password.
      [
        ['convert', fixture('magister-export.xlsx'), '--password', 'template', '--password-template', 'Geheim{random4} '],
        /^numo-prep: --password-template begint of eindigt met een spatie\. Pas het sjabloon aan\.$/m,
      ],
      [
        ['convert', fixture('magister-export.xlsx'), '--previous', fixture('idgebr.csv'), '--previous-report', 'rapport/'],
        /--previous-report \S*[\\/]rapport[\\/] is een map; geef een bestandsnaam, bijvoorbeeld \S*[\\/]rapport[\\/]verschillen\.csv/,
      ],
      [
        ['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', same, '--previous', fixture('idgebr.csv'), '--previous-report', same],
        /--previous-report .*o\.csv is hetzelfde bestand als het Numo-bestand/,
      ],
      [['opruimen'], /Onbekend commando 'opruimen'/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expectNoStack(r);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('colours honour FORCE_COLOR and NO_COLOR', async () => {
    const args = ['convert', fixture('magister-export-fouten.xlsx'), '--mapping', MAPPING, '--dry-run'];
    const coloured = await runCli(args, { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(coloured.stderr).toContain('\u001b[');
    const plain = await runCli(args, { env: { NO_COLOR: '1', FORCE_COLOR: '' } });
    expect(plain.stderr).not.toContain('\u001b[');
  });

  it('shows help in Dutch (what --help loads is checked in layering.test.ts)', async () => {
    const r = await runCli(['convert', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Gebruik: numo-prep convert');
    expect(r.stdout).toContain('--mapping <bestand>');
  });
});

describe('the size of the work, for the process to tune V8 to', () => {
  it('is what the zip declares unpacked for an .xlsx, the bytes of a CSV, Infinity for what cannot be read', async () => {
    const xlsx = fixture('magister-export.xlsx');
    const declared = [...readZipDirectory(readFileSync(xlsx)).values()].reduce((sum, e) => sum + e.size, 0);
    expect(declared).toBeGreaterThan(statSync(xlsx).size);
    expect(await workBytes(xlsx, 1 << 20)).toBe(declared);
    // Larger than readUpTo: its length, unread.
    expect(await workBytes(xlsx, 100)).toBe(statSync(xlsx).size);
    expect(await workBytes(fixture('idgebr.csv'), 1 << 20)).toBe(statSync(fixture('idgebr.csv')).size);
    expect(await workBytes(join(tempDir(), 'weg.xlsx'), 1 << 20)).toBe(Number.POSITIVE_INFINITY);
    expect(await workBytes(tempDir(), 1 << 20)).toBe(Number.POSITIVE_INFINITY);
  });

  it('a command that reads an input tells it once, before any work; shred does not', async () => {
    const sizes: number[] = [];
    const adaptToWork = (b: number) => sizes.push(b);
    const { dir, path } = exportCopy();
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', path, '--mapping', MAPPING, '--out', out], { adaptToWork })).code).toBe(0);
    expect(sizes).toEqual([await workBytes(path, 1 << 30)]);
    expect((await runCli(['check', out], { adaptToWork })).code).toBe(0);
    expect(sizes).toEqual([await workBytes(path, 1 << 30), statSync(out).size]);
    expect((await runCli(['shred', out, '--yes'], { adaptToWork })).code).toBe(0);
    expect(sizes).toHaveLength(2);
  });
});

describe('numo-prep convert with other inputs', () => {
  it("joins IDGebr from Magister's migratiehulpbestand", async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--idgebr', fixture('migratiehulpbestand.csv'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Geen IDGebr');
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[1]).toMatch(/;30000$/);
    expect(lines.slice(1).every((l) => /;\d+$/.test(l))).toBe(true);
    // Its idgebr column sorted on its own in Excel: realmid (idgebr@realm) still says whose each IDGebr is.
    const rows = readFileSync(fixture('migratiehulpbestand.csv'), 'utf8').trim().split(/\r?\n/);
    const ids = rows.slice(1).map((l) => l.split(';')[1]!);
    const sorted = [...ids].sort().reverse();
    const shuffled = [rows[0], ...rows.slice(1).map((l, i) => l.replace(/;\d+;/, `;${sorted[i]};`))].join('\r\n');
    writeFileSync(join(dir, 'migratiehulp.csv'), shuffled);
    const wrong = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--idgebr', join(dir, 'migratiehulp.csv'), '--out', join(dir, 'b.csv')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('IDGebr en realmid noemen een ander nummer in migratiehulp.csv (een kolom apart gesorteerd?)');
    expect(existsSync(join(dir, 'b.csv'))).toBe(false);
  });

  it('names the columns it found when the export lacks the rest, without "en 0 andere"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Onbekend\r\n1001;x\r\n');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Blad1').addRows([['Stamnr'], ['1001']]);
    await wb.xlsx.writeFile(join(dir, 'stamnrs.xlsx'));
    const other = await runCli(['convert', 'export.csv', '--mapping', MAPPING, '--dry-run', '--no-config'], { cwd: dir });
    expect(other.stderr).toContain('Gevonden kolommen: Stamnr, en 1 andere die niet getoond wordt');
    const only = await runCli(['convert', 'stamnrs.xlsx', '--mapping', MAPPING, '--dry-run', '--no-config'], { cwd: dir });
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('Gevonden kolommen: Stamnr. ');
  });

  it('refuses a CSV mapping row with more fields than its header: a delimiter inside a Studie made a code of part of it', async () => {
    const dir = tempDir();
    const mapping = join(dir, 'm.csv');
    writeFileSync(mapping, 'Studie,Opleidingscode\r\n1 havo,VB-HAVO-1\r\n1 havo, tto,VB-HAVO-1-TTO\r\n2 havo,\r\n');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--out', join(dir, 'o.csv'), '--no-config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `m.csv: rij 3 heeft meer velden dan de kopregel (rij 1): staat er een ',' in een Studie, of een opmerking in een kolom zonder kop? Zet zo'n Studie tussen aanhalingstekens ("1 havo, tto"), of geef die kolom een kop (Opmerking).`,
    );
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
    // Quoted, but with a space before the quote: that space is the cause, not a missing quote.
    writeFileSync(mapping, 'Studie,Opleidingscode\r\n1 havo,VB-HAVO-1\r\n "1 havo, tto",VB-HAVO-1-TTO\r\n');
    const spaced = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--out', join(dir, 'o.csv'), '--no-config']);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain(
      `m.csv: rij 3 heeft meer velden dan de kopregel (rij 1): er staat een spatie voor een " (zoals , "1 havo, tto"), en dan telt de ',' in die Studie als scheidingsteken. Haal die spatie weg.`,
    );
    // A title line, most Studies still open (one field each), a quoted comma, a space after the last delimiter: fine.
    writeFileSync(mapping, 'Mapping Testschool 2026\r\nStudie;Opleidingscode\r\n1 havo;\r\n2 havo;VB-HAVO-2; \r\n3 vwo gymn;\r\n1 kader;\r\n"4 havo, tto";VB-HAVO-4\r\n');
    const open = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--dry-run', '--no-config']);
    expect(open.code, open.stderr).toBe(1);
    expect(open.stderr).toContain('nog niet beslist');
    // A third column with a header, filled on one row (a note; the mapping workbook's Suggestie saved as CSV): fine.
    writeFileSync(
      mapping,
      `Studie;Opleidingscode;Opmerking\r\n${readFileSync(MAPPING, 'utf8')
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(1)
        .join('\r\n')
        .replace('1 havo;VB-HAVO-1', '1 havo;VB-HAVO-1;nagevraagd')}`,
    );
    const noted = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--dry-run', '--no-config']);
    expect(noted.code, noted.stderr).toBe(0);
    // A title with two fields (a date in B1) above that header: the header is the line with Studie in it.
    writeFileSync(mapping, `Mapping Het Lyceum;schooljaar 2025-2026\r\n${readFileSync(mapping, 'utf8')}`);
    const titled = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--dry-run', '--no-config']);
    expect(titled.code, titled.stderr).toBe(0);
  });

  it("refuses a side workbook whose sheet is not sure: Excel's copy beside the old one, a hidden one, last year over two sheets", async () => {
    const ExcelJS = (await import('exceljs')).default;
    const dir = tempDir();
    const workbook = async (name: string, sheets: { name: string; hidden?: boolean; rows: string[][] }[]) => {
      const wb = new ExcelJS.Workbook();
      for (const s of sheets) {
        const ws = wb.addWorksheet(s.name, s.hidden ? { state: 'hidden' } : {});
        for (const r of s.rows) ws.addRow(r);
      }
      await wb.xlsx.writeFile(join(dir, name));
      return join(dir, name);
    };
    const codes = (code: string) => [['Studie', 'Opleidingscode'], ...['1 havo', '1 kader', '2 havo', '2 vwo', '3 mavo', '3 vwo gymn'].map((st) => [st, code])];
    const convert = (...extra: string[]) => runCli(['convert', fixture('magister-export.xlsx'), '--no-config', '--dry-run', ...extra]);
    const copied = await workbook('copied.xlsx', [
      { name: 'Mapping (2)', rows: codes('VB-NIEUW') },
      { name: 'Mapping', rows: codes('VB-OUD') },
    ]);
    const twice = await convert('--mapping', copied);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("copied.xlsx heeft 2 bladen die zo heten: 'Mapping (2)', 'Mapping'. Verwijder of hernoem de bladen die niet gelden, zodat er één overblijft.");
    const hidden = await workbook('hidden.xlsx', [
      { name: 'Blad1', rows: codes('VB-NIEUW') },
      { name: 'Mapping', hidden: true, rows: codes('VB-OUD') },
    ]);
    const behind = await convert('--mapping', hidden);
    expect(behind.code).toBe(2);
    expect(behind.stderr).toContain("hidden.xlsx: het blad 'Mapping' is verborgen in Excel.");
    // LibreOffice's copy and any other sheet named so is refused too; a sheet of notes beside it is no second mapping,
    // also when no sheet is called Mapping exactly.
    for (const second of ['Mapping_2', 'Mapping nieuw', 'Mapping 25-26']) {
      const twoNames = await workbook('two.xlsx', [
        { name: 'Mapping', rows: codes('VB-OUD') },
        { name: second, rows: codes('VB-NIEUW') },
      ]);
      expect((await convert('--mapping', twoNames)).code, second).toBe(2);
    }
    // A sheet of notes with an example code: never the mapping, also not as the first visible sheet.
    const uitleg = {
      name: 'Mapping uitleg',
      rows: [
        ['Studie', 'Opleidingscode'],
        ['1 havo', 'VOORBEELD-1'],
      ],
    };
    const notes = await workbook('notes.xlsx', [uitleg, { name: 'Mapping 2025-26 def', rows: codes('VB-HAVO-1') }]);
    const withNotes = await convert('--mapping', notes);
    expect(withNotes.code, withNotes.stderr).toBe(0);
    expect(withNotes.stdout).not.toContain('VOORBEELD');
    // Nor is it the first visible sheet taken when no sheet is called Mapping.
    const notesFirst = await workbook('notes-first.xlsx', [uitleg, { name: 'Blad2', rows: codes('VB-HAVO-1') }]);
    const second = await convert('--mapping', notesFirst, '--json');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('VOORBEELD');
    // Last year's Numo file as a workbook with a class on one sheet and everyone on the other.
    const numo = ['gebruikersnaam', 'voornaam', 'tussenvoegsel', 'achternaam', 'klas', 'opleiding', 'e-mail', 'wachtwoord', 'rol'];
    const previous = await workbook('vorig.xlsx', [
      { name: 'Klas 1A', rows: [numo, ['600001', 'Zoë', '', 'Koster', '1A', 'VB-HAVO-1', '', 'Geheim123', 'leerling']] },
      { name: 'Alle leerlingen', rows: [numo, ['600002', 'Sem', '', 'Bos', '1A', 'VB-HAVO-1', '', 'Anders456', 'leerling']] },
    ]);
    const last = await convert('--mapping', MAPPING, '--previous', previous, '--keep-passwords');
    expect(last.code).toBe(2);
    expect(last.stderr).toMatch(/vorig\.xlsx: ook werkblad .*Alle leerlingen.* heeft de kolommen van Numo, naast .*Klas 1A.*; welk blad vorig jaar is, is niet zeker\./);
  });

  it('reads the mapping from an .xlsx the admin keeps in Excel', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Mapping');
    ws.addRow(['Studie (Magister)', 'Numo-opleidingscode']);
    for (const line of readFileSync(MAPPING, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1))
      ws.addRow(line.split(';').map((v) => v.toUpperCase()));
    await wb.xlsx.writeFile(join(dir, 'mapping.xlsx'));
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', join(dir, 'mapping.xlsx'), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('40 leerlingen klaar');
    // A workbook has no delimiter: what to add is a row, and a Studie with its code in one cell is pointed at.
    const fouten = ['convert', fixture('magister-export-fouten.xlsx'), '--mapping', join(dir, 'mapping.xlsx'), '--dry-run'];
    const missing = await runCli(fouten);
    expect(missing.stderr).toContain('Voeg in mapping.xlsx een rij toe met deze Studie en de opleidingscode (of - als deze leerlingen niet naar Numo gaan)');
    ws.addRow(['4 havo;VB-HAVO-4']);
    await wb.xlsx.writeFile(join(dir, 'mapping.xlsx'));
    const joined = await runCli(fouten);
    expect(joined.stderr).toContain("In het mappingbestand staat '4 havo;VB-HAVO-4' in één cel, met een puntkomma tussen Studie en code. Zet de code in de kolom Opleidingscode.");
  });

  it('reads the export from a visible sheet before a hidden one, and names the sheet it read', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const dir = tempDir();
    const header = ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'E-mail'];
    const workbook = async (file: string, sheets: { name: string; state: 'visible' | 'hidden' | 'veryHidden'; stamnr?: number; without?: string }[]) => {
      const wb = new ExcelJS.Workbook();
      for (const s of sheets) {
        const ws = wb.addWorksheet(s.name, { state: s.state });
        const keep = header.map((h) => h !== s.without);
        if (s.stamnr === undefined) ws.addRow(['Notities']);
        else [header, [s.stamnr, 'Sam', '', 'Jansen', '1A', '1 havo', `${s.stamnr}@school.nl`]].forEach((r) => ws.addRow(r.filter((_, i) => keep[i])));
      }
      await wb.xlsx.writeFile(join(dir, file));
      return join(dir, file);
    };
    const convert = async (file: string, sheets: Parameters<typeof workbook>[1]) => {
      const r = await runCli(['convert', await workbook(file, sheets), '--mapping', MAPPING, '--password', 'none', '--out', join(dir, `${file}.csv`)]);
      expect(r.code).toBe(0);
      return { stderr: r.stderr, csv: readFileSync(join(dir, `${file}.csv`), 'utf8') };
    };
    // Last year's list, hidden, before this year's: this year's is read, and the report says which sheet.
    let r = await convert('beide.xlsx', [
      { name: 'Oud', state: 'hidden', stamnr: 100001 },
      { name: 'Leerlingen', state: 'visible', stamnr: 200001 },
    ]);
    expect(r.csv).toContain('200001;Sam;;Jansen');
    expect(r.csv).not.toContain('100001');
    expect(r.stderr).toContain("werkblad 'Leerlingen' (van 2 bladen)");
    expect(r.stderr).not.toContain('verborgen');
    expect(r.stderr).not.toContain('Ook werkblad');
    // Only a very hidden sheet has the columns: read, with a warning.
    r = await convert('verborgen.xlsx', [
      { name: 'Notities', state: 'visible' },
      { name: 'Export', state: 'veryHidden', stamnr: 300001 },
    ]);
    expect(r.csv).toContain('300001;Sam');
    expect(r.stderr).toContain("Werkblad 'Export' is verborgen in Excel en toch gelezen");
    // Two visible exports: the first is read, with a warning that names the other.
    r = await convert('twee.xlsx', [
      { name: '2025', state: 'visible', stamnr: 400001 },
      { name: 'Notities', state: 'visible' },
      { name: '2024', state: 'visible', stamnr: 500001 },
    ]);
    expect(r.csv).toContain('400001;Sam');
    expect(r.stderr).toContain("Ook werkblad '2024' heeft de kolommen van een export; gelezen is '2025'");
    // This year's list lacks its Studie column, last year's after it is complete: which is meant is a guess.
    const file = await workbook('zonder-studie.xlsx', [
      { name: '2026', state: 'visible', stamnr: 600001, without: 'Studie' },
      { name: '2025', state: 'visible', stamnr: 700001 },
    ]);
    const refused = await runCli(['convert', file, '--mapping', MAPPING, '--out', join(dir, 'x.csv')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("werkblad '2026' lijkt een lijst zonder kolom 'Studie', en werkblad '2025' erna heeft alle kolommen");
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it("refuses a code that is not in Numo's list of opleidingen", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'opl.csv'), 'Opleidingscode\r\nVB-HAVO-1\r\n');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--opleidingen', join(dir, 'opl.csv'), '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Opleidingscode 'VB-HAVO-2' staat niet in de lijst met Numo-opleidingen");
  });

  it('last year, read from its file: another person under a reused Stamnr gets a new password; a spelling or an ANSI save does not count', async () => {
    const dir = tempDir();
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', last])).code).toBe(0);
    const lines = readFileSync(last, 'utf8').split('\r\n');
    const field = (l: string, i: number) => l.split(';')[i]!;
    const rename = (l: string, voornaam: string, achternaam: string) =>
      l
        .split(';')
        .map((f, i) => (i === 1 ? voornaam : i === 3 ? achternaam : f))
        .join(';');
    // Row 2: someone else had this Stamnr. Row 3: the same student, her name without accents or with a ? from an
    // ANSI save (one letter each).
    lines[1] = rename(lines[1]!, 'Noor', 'Visser');
    const same = lines[2]!;
    lines[2] = rename(same, field(same, 1).replace(/^./, '?').toUpperCase(), field(same, 3).toLowerCase());
    writeFileSync(last, lines.join('\r\n'));
    const out = join(dir, 'nu.csv');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--keep-passwords', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `Gebruikersnaam hoorde in vorig-jaar.csv bij iemand met een andere voor- en achternaam: een ander? Die krijgt een nieuw wachtwoord, niet dat van vorig jaar. (1×): rij 2 (Stamnr ${field(lines[1]!, 0)})`,
    );
    const pw = new Map(
      readFileSync(out, 'utf8')
        .split('\r\n')
        .slice(1)
        .map((l) => [field(`${l};;;;;;;;`, 0), field(`${l};;;;;;;;`, 7)]),
    );
    expect(pw.get(field(lines[1]!, 0))).not.toBe(field(lines[1]!, 7));
    expect(pw.get(field(lines[2]!, 0))).toBe(field(lines[2]!, 7));
    // A ? in a gebruikersnaam: that student would silently get a new account and password.
    writeFileSync(last, [lines[0], lines[1]!.replace(/^\d+/, 'Ay?e.Do?an')].join('\r\n'));
    const ansi = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--keep-passwords', '--out', join(dir, 'x.csv')]);
    expect(ansi.code).toBe(2);
    expect(ansi.stderr).toContain('vorig-jaar.csv: rij 2: de gebruikersnaam heeft een ? waar een letter stond');
    // Logins written back as floats (pandas): every student would count as new and as left, no password kept.
    writeFileSync(last, [lines[0], lines[1]!.replace(/^(\d+)/, '$1.0')].join('\r\n'));
    const float = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--keep-passwords', '--out', join(dir, 'x.csv')]);
    expect(float.code).toBe(2);
    expect(float.stderr).toContain('vorig-jaar.csv: rij 2: de gebruikersnaam is een getal dat Excel of een script veranderde');
    expect(listDir(dir)).not.toContain('x.csv');
  });

  it("last year's file is compared for this run's role only: a staff run is no reason to archive every student, nor a student run every teacher", async () => {
    const dir = tempDir();
    const head = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';
    const students = ['100001;Zoe;;Berg;1H1;VB-HAVO-1;;;leerling', '100002;Sem;;Bos;1H1;VB-HAVO-1;;;leerling'];
    const staff = join(dir, 'personeel.csv');
    writeFileSync(staff, 'Code;Roepnaam;Achternaam;Loginaccount.Naam\r\nAAL;Frank;Aalders;faalders\r\n');
    const onlyStudents = join(dir, 'vorig-leerlingen.csv');
    writeFileSync(onlyStudents, [head, ...students].join('\r\n'));
    const r = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--previous', onlyStudents, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vorig-leerlingen.csv heeft alleen leerlingen (kolom rol), en deze run is voor docenten. Geef met --previous het Numo-bestand van vorig jaar met de docenten.');
    const both = join(dir, 'vorig-alles.csv');
    writeFileSync(both, [head, ...students, 'faalders;Frank;;Aalders;;;;;docent'].join('\r\n'));
    const mixed = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--previous', both, '--dry-run', '--json']);
    expect(mixed.code, mixed.stderr).toBe(0);
    const report = JSON.parse(mixed.stdout);
    expect(report.yearOverYear).toMatchObject({ nieuw: 0, vertrokken: 0 });
    expect(JSON.stringify(report)).toContain('2 leerlingen in vorig-alles.csv tellen niet mee: deze run is voor docenten');
    // Not compared, but not forgotten: a student under last year's login of a teacher would get that account.
    const student = join(dir, 'export.csv');
    writeFileSync(student, 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n100003;Frank;Aalders;1H1;1 havo\r\n');
    writeFileSync(both, [head, ...students, 'frank.aalders;Frank;;Aalders;;;;;docent'].join('\r\n'));
    const taken = await runCli(['convert', student, '--mapping', MAPPING, '--no-config', '--gebruikersnaam', '{voornaam}.{achternaam}', '--previous', both, '--dry-run']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('Gebruikersnaam hoorde in vorig-alles.csv bij een docent: Numo zou deze leerling het account van die docent geven (1×): rij 2 (Stamnr 100003)');
  });

  it("--previous: last year's pupils under new numbers (a merger renumbered them) or numbers given to others is exit 1, nothing written", async () => {
    const dir = tempDir();
    const names = ['Daan;;de Jong', 'Emma;van;Dijk', 'Sem;;Bakker', 'Julia;de;Vries', 'Lucas;;Visser', 'Mila;;Smit', 'Finn;;Meijer', 'Tess;;Bos', 'Milan;;Vos', 'Zoë;;Peters'];
    const exportOf = (number: (i: number) => number) => ['Stamnr;Roepnaam;Tussenv.;Achternaam;Studie', ...names.map((n, i) => `${number(i)};${n};2 havo`)].join('\r\n');
    const exportFile = join(dir, 'export.csv');
    writeFileSync(
      exportFile,
      exportOf((i) => 1001 + i),
    );
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--out', last])).code).toBe(0);
    const out = join(dir, 'nu.csv');
    const run = async () => runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', last, '--keep-passwords', '--out', out]);
    // Renumbered from 5001, with the tussenvoegsel now in the surname (another source): a second account for everyone.
    writeFileSync(exportFile, ['Stamnr;Roepnaam;Achternaam;Studie', ...names.map((n, i) => `${5001 + i};${n.split(';')[0]};${n.split(';').slice(1).join(' ').trim()};2 havo`)].join('\r\n'));
    const renumbered = await run();
    expect(renumbered.code, renumbered.stderr).toBe(1);
    expect(renumbered.stderr).toContain(
      'Nieuwe gebruikersnaam voor iemand die in vorig-jaar.csv onder een andere gebruikersnaam staat (zelfde naam): de gebruikersnamen zijn anders gemaakt dan vorig jaar (10×): rij 2 (Stamnr 5001)',
    );
    // The same numbers in another order (alphabetical after a merger): accounts, and passwords, of others.
    writeFileSync(
      exportFile,
      exportOf((i) => 1001 + ((i + 3) % names.length)),
    );
    const shifted = await run();
    expect(shifted.code, shifted.stderr).toBe(1);
    expect(shifted.stderr).toContain('10 van de 10 gebruikersnamen uit vorig-jaar.csv horen nu bij iemand met een andere voor- en achternaam');
    expect(listDir(dir)).not.toContain('nu.csv');
    expect(`${renumbered.stderr}${shifted.stderr}`).not.toMatch(/Daan|Jong|Zoë/);
    // One pupil under a new number: a question, and the run is written.
    writeFileSync(
      exportFile,
      exportOf((i) => (i === 0 ? 9001 : 1001 + i)),
    );
    const one = await run();
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toContain('Nieuwe gebruikersnaam, maar in vorig-jaar.csv staat iemand met dezelfde naam onder een andere: dezelfde persoon? (1×): rij 2 (Stamnr 9001)');
  });

  it("--previous with --klas for the new first-years: namesakes of last year's pupils, who are still at school in 2A, are no renamed accounts", async () => {
    const dir = tempDir();
    const names = ['Daan;;de Jong', 'Emma;van;Dijk', 'Sem;;Bakker', 'Julia;de;Vries', 'Lucas;;Visser', 'Mila;;Smit', 'Finn;;Meijer', 'Tess;;Bos'];
    const head = 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie';
    const exportFile = join(dir, 'export.csv');
    writeFileSync(exportFile, [head, ...names.map((n, i) => `${1001 + i};${n};1A;1 havo`)].join('\r\n'));
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--out', last])).code).toBe(0);
    // A year on: the same pupils in 2A, and new first-years who happen to share their names.
    writeFileSync(exportFile, [head, ...names.map((n, i) => `${1001 + i};${n};2A;2 havo`), ...names.map((n, i) => `${2001 + i};${n};1A;1 havo`)].join('\r\n'));
    const r = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', last, '--klas', '1*', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('dezelfde naam');
  });

  it("a leaver's Stamnr given to a first-year, joined to the leaver's IDGebr by last year's IDGebr file: refused, not the leaver's account and password", async () => {
    const dir = tempDir();
    const head = 'Stamnr;Roepnaam;Achternaam;Klas;Studie';
    const exportFile = join(dir, 'export.csv');
    const idgebr = join(dir, 'idgebr.csv');
    writeFileSync(exportFile, [head, '1001;Daan;Jong;6V2;2 havo', '1002;Emma;Dijk;3H1;2 havo'].join('\r\n'));
    writeFileSync(idgebr, ['Stamnr;IDGebr', '1001;30001', '1002;30002'].join('\r\n'));
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--idgebr', idgebr, '--out', last])).code).toBe(0);
    // Daan left; his number went to a first-year. The IDGebr file is still last year's.
    writeFileSync(exportFile, [head, '1001;Ayoub;Idrissi;1H1;2 havo', '1002;Emma;Dijk;4H1;2 havo'].join('\r\n'));
    const out = join(dir, 'nu.csv');
    const r = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--idgebr', idgebr, '--previous', last, '--keep-passwords', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Gebruikersnaam hoorde in vorig-jaar.csv bij iemand met een andere voor- en achternaam in een hoger leerjaar');
    expect(r.stderr).toContain('rij 2 (Stamnr 1001)');
    expect(r.stderr).toContain('komt het uit het IDGebr-bestand van vorig jaar');
    expect(r.stderr).not.toMatch(/Daan|Ayoub|Idrissi/);
    expect(listDir(dir)).not.toContain('nu.csv');
  });

  it('says when one e-mail address runs down many students (a fill-down in Excel), in convert and in check', async () => {
    const dir = tempDir();
    const exportFile = join(dir, 'export.csv');
    const rows = Array.from({ length: 8 }, (_, i) => `${1001 + i};Jan;Vries${i};2A;2 havo;${i < 2 ? `l${i}@school.example` : 'l2@school.example'}`);
    writeFileSync(exportFile, ['Stamnr;Roepnaam;Achternaam;Klas;Studie;E-mail', ...rows].join('\r\n'));
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Hetzelfde e-mailadres bij 6 leerlingen achter elkaar (rij 4–9)');
    expect(r.stderr).not.toContain('l2@');
    const checked = await runCli(['check', out]);
    expect(checked.stderr).toContain('Hetzelfde e-mailadres bij 6 leerlingen achter elkaar (rij 4–9)');
  });

  it("says when last year's file mixes two encodings: its names are compared and its passwords kept byte for byte", async () => {
    const dir = tempDir();
    const exportFile = join(dir, 'export.csv');
    writeFileSync(exportFile, ['Stamnr;Roepnaam;Achternaam;Klas;Studie', '1001;Zoë;Bos;2A;2 havo', '1002;Miloš;Dijk;2A;2 havo'].join('\r\n'));
    const head = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';
    const last = join(dir, 'vorig.csv');
    // A line added in another program, in Windows-1252, to a UTF-8 file.
    writeFileSync(last, Buffer.concat([Buffer.from(`${head}\r\n1001;Zoë;;Bos;1A;VB-HAVO-1;;Abc23456;leerling\r\n`), encodeCp1252('1002;Miloš;;Dijk;1A;VB-HAVO-1;;Xyz23456;leerling\r\n')]));
    const run = () => runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', last, '--keep-passwords', '--dry-run']);
    const r = await run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('vorig.csv mengt UTF-8 en Windows-1252 (regel 3 in Windows-1252)');
    // As numo-prep wrote it, also as Windows-1252 with a Miloš (a weak sign of a Mac file): nothing to say.
    writeFileSync(last, encodeCp1252(`${head}\r\n1001;Zoë;;Bos;1A;VB-HAVO-1;;Abc23456;leerling\r\n1002;Miloš;;Dijk;1A;VB-HAVO-1;;Xyz23456;leerling\r\n`));
    const fine = await run();
    expect([fine.code, fine.stderr]).toEqual([0, expect.not.stringMatching(/vorig\.csv (mengt|heeft tekens)/)]);
  });

  it("says when neither last year's file, saved again by a spreadsheet, nor the export has leading zeros: Numo may have them", async () => {
    const dir = tempDir();
    const exportFile = join(dir, 'export.csv');
    writeFileSync(exportFile, ['Stamnr;Roepnaam;Achternaam;Studie', '2709;Zoe;Berg;2 havo', '100001;Sem;Bos;2 havo'].join('\r\n'));
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--out', last])).code).toBe(0);
    const run = (...extra: string[]) => runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', last, '--dry-run', ...extra]);
    // As numo-prep wrote it (with a BOM): it settles the form.
    expect((await run()).stderr).not.toContain('voorloopnullen');
    // Saved by LibreOffice (UTF-8 without a BOM): the zeros may have been taken out.
    writeFileSync(last, readFileSync(last, 'utf8').replace(/^\uFEFF/, ''));
    const resaved = await run();
    expect(resaved.code, resaved.stderr).toBe(0);
    expect(resaved.stderr).toContain(
      'De gebruikersnamen in vorig-jaar.csv en in de export zijn Stamnrs zonder voorloopnullen, en vorig-jaar.csv is niet zoals numo-prep het schreef (in Excel of LibreOffice opgeslagen?)',
    );
    expect(resaved.stderr).toContain('zo nee, --stamnr-cijfers 0');
    // Said once, it is settled.
    expect((await run('--stamnr-cijfers', '0')).stderr).not.toContain('voorloopnullen');
  });

  it("refuses zeros new in this year's export when last year's file is as numo-prep wrote it: Numo has the login without them", async () => {
    const dir = tempDir();
    const head = 'Stamnr;Roepnaam;Achternaam;Studie';
    const exportFile = join(dir, 'export.csv');
    writeFileSync(exportFile, [head, '412001;Zoe;Berg;2 havo', '100001;Sem;Bos;2 havo'].join('\r\n'));
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--out', last])).code).toBe(0);
    // This year Magister was asked for leading zeros.
    writeFileSync(exportFile, [head, '0412001;Zoe;Berg;2 havo', '0100001;Sem;Bos;2 havo'].join('\r\n'));
    const out = join(dir, 'nu.csv');
    const run = (...extra: string[]) => runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', last, '--out', out, ...extra]);
    const r = await run();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Gebruikersnaam heeft hier voorloopnullen, in vorig-jaar.csv niet (een CSV zoals numo-prep hem schrijft): Numo zou een tweede account maken (2×)');
    expect(r.stderr).toContain('geef dan --stamnr-cijfers 0');
    expect(existsSync(out)).toBe(false);
    // Said: without zeros, as last year.
    const none = await run('--stamnr-cijfers', '0');
    expect(none.code, none.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('\r\n412001;Zoe;');
  });

  it('--keep-passwords refuses a password of digits from a row whose login lost its leading zeros in a spreadsheet', async () => {
    const dir = tempDir();
    const head = 'Stamnr;Roepnaam;Achternaam;Studie';
    const exportFile = join(dir, 'export.csv');
    writeFileSync(exportFile, [head, '002709;Zoe;Berg;2 havo', '100001;Sem;Bos;2 havo'].join('\r\n'));
    const last = join(dir, 'vorig-jaar.csv');
    const first = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--password', 'template', '--password-template', '{stamnr}', '--yes', '--out', last]);
    expect(first.code).toBe(0);
    // Saved again by a spreadsheet (LibreOffice: UTF-8 without a BOM): 002709;…;002709 became 2709;…;2709.
    writeFileSync(
      last,
      readFileSync(last, 'utf8')
        .replace(/^\uFEFF/, '')
        .replace(/002709/g, '2709'),
    );
    const out = join(dir, 'nu.csv');
    const r = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', last, '--keep-passwords', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Wachtwoord in vorig-jaar\.csv is alleen cijfers, en de gebruikersnaam verloor daar zijn voorloopnullen[^\n]*: rij 2 \(Stamnr 002709\)\n/);
    expect(r.stderr).toContain('of laat --keep-passwords weg');
    expect(listDir(dir)).not.toContain('nu.csv');
    // Without --keep-passwords nothing is taken over: the zeros are a warning only.
    expect((await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', last, '--out', out])).code).toBe(0);
    // Zeros missing from this year's export, last year's file as numo-prep wrote it: its passwords are whole.
    const intact = join(dir, 'intact.csv');
    expect((await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--password', 'template', '--password-template', '{stamnr}', '--yes', '--out', intact])).code).toBe(0);
    writeFileSync(exportFile, [head, '2709;Zoe;Berg;2 havo', '100001;Sem;Bos;2 havo'].join('\r\n'));
    // Not the password check then; but the login lost its zeros here, so Numo would make a second account.
    const now = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', intact, '--keep-passwords', '--out', join(dir, 'nu2.csv')]);
    expect(now.code, now.stderr).toBe(1);
    expect(now.stderr).not.toContain('is alleen cijfers');
    expect(now.stderr).toContain('Gebruikersnaam heeft hier geen voorloopnullen, in intact.csv wel: Numo zou een tweede account maken');
    expect(now.stderr).toContain('--stamnr-cijfers');
    const padded = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', intact, '--keep-passwords', '--stamnr-cijfers', '6', '--out', join(dir, 'nu2.csv')]);
    expect(padded.code, padded.stderr).toBe(0);
    // The same with a prefix in the login (ll002709 last year, ll2709 now).
    const prefixed = join(dir, 'll.csv');
    writeFileSync(
      prefixed,
      readFileSync(intact, 'utf8')
        .replace(/\r\n002709;/, '\r\nll002709;')
        .replace(/\r\n100001;/, '\r\nll100001;'),
    );
    const ll = await runCli(['convert', exportFile, '--mapping', MAPPING, '--no-config', '--previous', prefixed, '--gebruikersnaam', 'll{stamnr}', '--out', join(dir, 'nu3.csv')]);
    expect(ll.code, ll.stderr).toBe(1);
    expect(ll.stderr).toContain('Gebruikersnaam heeft hier geen voorloopnullen, in ll.csv wel');
  });

  it('a staff list with Stamnrs with and without leading zeros: no advice on the login, which is not made of them', async () => {
    const dir = tempDir();
    const path = join(dir, 'personeel.csv');
    writeFileSync(path, ['stamnr_str;Code;Roepnaam;Achternaam;Loginaccount.Naam;E-mail', '9001;AAA;Frank;Aalders;aaa;a@school.nl', '009002;BOB;Bob;Boer;bob;b@school.nl'].join('\r\n'));
    const r = await runCli(['convert', path, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('voorloopnullen');
  });

  it('last year with SSO (an IDGebr for everyone), this year without: a warning, unless --no-sso says it is meant', async () => {
    const dir = tempDir();
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--idgebr', fixture('idgebr.csv'), '--out', last])).code).toBe(0);
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/! \d+ van de \d+ terugkerende gebruikers hadden in vorig-jaar\.csv een IDGebr \(SSO\), en nu niet/);
    expect(r.stderr).toContain('--idgebr');
    const meant = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--no-sso', '--dry-run']);
    expect(meant.stderr).not.toContain('terugkerende gebruikers hadden');
    const still = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--idgebr', fixture('idgebr.csv'), '--dry-run']);
    expect(still.stderr).not.toContain('terugkerende gebruikers hadden');
    // With SSO on and some IDGebrs missing this year, the rows are named one by one; --no-sso would be the wrong advice.
    const idgebr = readFileSync(fixture('idgebr.csv'), 'utf8').split(/\r?\n/);
    writeFileSync(join(dir, 'idgebr-min.csv'), [idgebr[0], ...idgebr.slice(8)].join('\r\n'));
    const fewer = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--idgebr', join(dir, 'idgebr-min.csv'), '--dry-run']);
    expect(fewer.stderr).not.toContain('terugkerende gebruikers hadden');
  });

  it("compares with last year and keeps returning students' passwords", async () => {
    const dir = tempDir();
    const last = join(dir, 'vorig-jaar.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', last])).code).toBe(0);
    const lines = readFileSync(last, 'utf8').split('\r\n');
    // One student left, one changed klas, one more was there last year.
    lines.splice(2, 1);
    lines[5] = lines[5]!.replace(/^([^;]*;[^;]*;[^;]*;[^;]*;)[^;]*/, '$1OUD');
    lines.splice(lines.length - 1, 0, '999999;Oud;;Leerling;6V;VB-VWO-2;;x;leerling');
    writeFileSync(last, lines.join('\r\n'));
    const out = join(dir, 'nu.csv');
    const report = join(dir, 'verschillen.csv');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--previous-report', report, '--keep-passwords', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).yearOverYear).toEqual({ nieuw: 1, vertrokken: 1, klasGewijzigd: 1, opleidingGewijzigd: 0, ongewijzigd: 38 });
    const reportLines = readFileSync(report, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(reportLines[0]).toBe('status;gebruikersnaam;klas_vorig_jaar;klas_nu;opleiding_vorig_jaar;opleiding_nu');
    expect(reportLines).toContain('vertrokken;999999;6V;;VB-VWO-2;');
    const pw = (csv: string) =>
      new Map(
        readFileSync(csv, 'utf8')
          .trim()
          .split('\r\n')
          .slice(1)
          .map((l) => [l.split(';')[0], l.split(';')[7]]),
      );
    const before = pw(last);
    const now = pw(out);
    for (const [g, p] of now) if (before.has(g)) expect(p).toBe(before.get(g));
    expect(statSync(report).mode & 0o777).toBe(0o600);

    // A password is kept byte for byte (no-break space, trailing space, a start Excel reads as a formula).
    const odd = ['Groene\u00a0appel 7 ', '+Welkom12'];
    const kept = lines.map((l, i) => (i === 1 || i === 2 ? l.replace(/;[^;]*;leerling$/, `;${odd[i - 1]};leerling`) : l));
    writeFileSync(last, kept.join('\r\n'));
    const exact = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--keep-passwords', '--out', join(dir, 'exact.csv')]);
    expect(exact.code).toBe(0);
    expect(exact.stderr).toContain('Wachtwoord begint met = + - of @ en staat zo in het bestand');
    const exactPw = pw(join(dir, 'exact.csv'));
    expect([exactPw.get(kept[1]!.split(';')[0]), exactPw.get(kept[2]!.split(';')[0])]).toEqual(odd);
    // Without --keep-passwords the returning students get a new one: said, since bijwerken changes theirs.
    const fresh = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', last, '--out', join(dir, 'nieuw.csv')]);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toContain('39 leerlingen uit vorig-jaar.csv krijgen een nieuw wachtwoord');

    // Last year's file with one gebruikersnaam twice, or a column twice: whose password is whose is a guess.
    const twice = join(dir, 'twee-keer.csv');
    writeFileSync(twice, [...lines.slice(0, 4), lines[3]!.replace(/;[^;]*;leerling$/, ';Anders-123;leerling')].join('\r\n'));
    const refused = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', twice, '--keep-passwords', '--out', join(dir, 'x.csv')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('twee-keer.csv: dezelfde gebruikersnaam staat in rij 4 en rij 5.');
    const column = join(dir, 'kolom.csv');
    writeFileSync(column, lines.map((l, i) => (i === 0 ? `${l};wachtwoord` : l ? `${l};ander` : l)).join('\r\n'));
    const twin = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', column, '--keep-passwords', '--out', join(dir, 'x.csv')]);
    expect(twin.code).toBe(2);
    expect(twin.stderr).toContain("kolom.csv: kolom 'wachtwoord' staat twee keer in de kopregel (kolom H en J)");
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it("matches last year's 1234 with 001234, and stops where whose password or account is whose is a guess", async () => {
    const dir = tempDir();
    const exp = join(dir, 'export.csv');
    writeFileSync(exp, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;IDGebr\r\n001234;Zoe;de;Koster;3M3;2 havo;30001\r\n001235;Lucas;van der;Berg;3V2;2 havo;30002\r\n');
    const header = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol;IDGebr';
    const previous = (name: string, lines: string[]) => {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\r\n')}\r\n`);
      return path;
    };
    const run = (prev: string, ...more: string[]) =>
      runCli(['convert', exp, '--mapping', MAPPING, '--no-config', '--previous', prev, '--keep-passwords', '--out', join(dir, 'numo.csv'), '--force', ...more]);

    // Opened and saved in Excel: the zeros are gone. Still the same students, with a word about the zeros.
    const excel = previous('excel.csv', [header, '1234;Zoe;de;Koster;3M3;VB-HAVO-2;;Oud-12345;leerling;30001', '1235;Lucas;van der;Berg;3V2;VB-HAVO-2;;;leerling;30002']);
    const ok = await run(excel);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain('001234;Zoe;de;Koster;3M3;VB-HAVO-2;;Oud-12345;leerling;30001');
    expect(JSON.parse((await run(excel, '--json')).stdout).yearOverYear).toMatchObject({ nieuw: 0, vertrokken: 0 });
    expect(ok.stderr).toContain('Gebruikersnaam staat in excel.csv zonder of met andere voorloopnullen (2×): rij 2 (Stamnr 001234), rij 3 (Stamnr 001235)');
    expect(ok.stderr).toContain('Geen wachtwoord in excel.csv: deze persoon krijgt een nieuw wachtwoord (1×): rij 3 (Stamnr 001235)');

    // A row with a field too few: the password would come from the column next to it.
    const short = await run(previous('kort.csv', [header, '001234;Zoe;de;Koster;3M3;VB-HAVO-2;;Oud-12345;leerling;30001', '001235;Lucas;Berg;3V2;VB-HAVO-2;;Oud-23456;leerling;30002']));
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('kort.csv: rij 3 heeft een ander aantal velden dan de kopregel (verschoven kolommen?)');
    // No wachtwoord column: --keep-passwords could keep nothing.
    const none = await run(previous('zonder.csv', ['gebruikersnaam;voornaam;achternaam;opleiding;rol', '001234;Zoe;Koster;VB-HAVO-2;leerling']));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('zonder.csv: geen kolom wachtwoord, dus --keep-passwords kan geen wachtwoorden overnemen.');
    // Last year's 001235 had another IDGebr: someone else, whose account Numo would hand on.
    const other = await run(previous('ander.csv', [header, '001235;Lucas;van der;Berg;3V2;VB-HAVO-2;;Oud-23456;leerling;49999']));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('Gebruikersnaam heeft in ander.csv een ander IDGebr (1×): rij 3 (Stamnr 001235)');
    expect(other.stdout + other.stderr).not.toMatch(/Oud-|Lucas|Berg/);
    expect(existsSync(join(dir, 'numo.csv'))).toBe(true);
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain('Oud-12345');
  });
});
