import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCp1252 } from '../src/io/cp1252.js';
import { expectNoStack, fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';

const NUMO_HEADER = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';

async function convert(file: string, extra: string[] = []) {
  const dir = tempDir();
  const out = join(dir, 'numo.csv');
  const r = await runCli(['convert', file, '--no-config', '--mapping', MAPPING, '--password', 'none', '--out', out, ...extra]);
  expectNoStack(r);
  let csv: Buffer | undefined;
  try {
    csv = readFileSync(out);
  } catch {
    csv = undefined;
  }
  return {
    ...r,
    dir,
    csv,
    rows: csv
      ? csv
          .subarray(3)
          .toString('utf8')
          .trim()
          .split('\r\n')
          .map((l) => l.split(';'))
      : [],
  };
}

describe('every recognised source converts to the same Numo rows as the Magister deelnemersexport', () => {
  const cases: [string, RegExp][] = [
    ['bron-magister-webservice.csv', /Herkend als Magister-export \(webservice GetActiveStudents\)/],
    ['bron-magister-decibel.csv', /Herkend als Magister-export \(Decibel-lijst\)/],
    ['bron-somtoday-connect.xlsx', /Herkend als Somtoday-export \(Connect\)/],
    ['bron-somtoday-umservice.csv', /Herkend als Somtoday-export \(UmService\)/],
    ['bron-eduarte.csv', /Herkend als EduArte-export/],
  ];
  it.each(cases)('%s', async (name, detected) => {
    const reference = await convert(fixture('bron-magister-deelnemers.xlsx'));
    expect(reference.code).toBe(0);
    expect(reference.stderr).toContain('Herkend als Magister-export (deelnemersexport).');
    const r = await convert(fixture(name));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(detected);
    // --password none without IDGebr (for a comparable file) is warned about; nothing else is.
    expect(r.stderr).toContain('1 waarschuwing:\n  ! Geen wachtwoorden en geen IDGebr (SSO): niemand kan inloggen in Numo');
    expect(r.stderr.match(/ {2}! /g)).toHaveLength(1);
    expect(r.csv!.equals(reference.csv!)).toBe(true);
    expect(r.rows[0]!.join(';')).toBe(NUMO_HEADER);
  });

  it('can take the ELO login as gebruikersnaam with {login}', async () => {
    const r = await convert(fixture('bron-somtoday-connect.xlsx'), ['--gebruikersnaam', '{login}']);
    expect(r.code).toBe(0);
    expect(r.rows.slice(1).every((c) => /^ll6000\d\d$/.test(c[0]!))).toBe(true);
    const none = await convert(fixture('bron-eduarte.csv'), ['--gebruikersnaam', '{login}']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--gebruikersnaam {login}: {login} heeft geen kolom in de export');
  });

  it('reads headers upper-cased on a Turkish PC (\u0130DGEBR, STUD\u0130E): IDGebr was dropped without a word', async () => {
    const dir = tempDir();
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'STAMNR;ROEPNAAM;TUSSENV.;ACHTERNAAM;KLAS;STUD\u0130E;\u0130DGEBR\r\n1001;Anna;;Bakker;1H1;1 havo;51001\r\n1002;Bram;de;Vries;1H1;1 havo;51002\r\n');
    const r = await runCli(['convert', file, '--mapping', MAPPING, '--out', join(dir, 'numo.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const [header, first] = readFileSync(join(dir, 'numo.csv'), 'utf8').split('\r\n');
    const idgebr = header!.split(';').findIndex((h) => h.toLowerCase() === 'idgebr');
    expect(idgebr).toBeGreaterThan(-1);
    expect(first!.split(';')[idgebr]).toBe('51001');
  });

  it('names the source in the JSON report', async () => {
    const r = await runCli(['convert', fixture('bron-somtoday-umservice.csv'), '--no-config', '--mapping', MAPPING, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, bron: 'somtoday', rol: 'leerling' });
  });

  it('keeps the Somtoday voorvoegsel and stamgroep that were dropped before profiles existed', async () => {
    const r = await convert(fixture('bron-somtoday-connect.xlsx'));
    const rows = r.rows.slice(1);
    expect(rows.filter((c) => c[2] !== '').length).toBeGreaterThan(5);
    expect(rows.every((c) => /^\d[A-Z]\d$/.test(c[4]!))).toBe(true);
  });

  it('reads EduArte ISO-8859-1 and Windows-1252 (Š Œ Ž, €) from the content', async () => {
    const r = await convert(fixture('bron-eduarte-1252.csv'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('gelezen als Windows-1252 (ANSI).');
    expect((await convert(fixture('bron-eduarte.csv'))).stderr).toContain('gelezen als ISO-8859-1');
    expect(r.rows.slice(1).map((c) => `${c[1]} ${c[3]}`)).toEqual(['Šárka Koster', 'Ruben Œzdemir', 'Žofia Peters', 'Bram Huisman']);
  });

  it('a row with an empty Roepnaam and a filled Voornamen (EduArte leaves that column out) is an error naming it', async () => {
    const dir = tempDir();
    const lines = readFileSync(fixture('bron-eduarte.csv'), 'latin1').split('\r\n');
    // Row 3: Ruben's Roepnaam emptied; his Voornamen stays.
    lines[2] = lines[2]!.replace(/^600002;Ruben;/, '600002;;');
    const file = join(dir, 'export.csv');
    writeFileSync(file, Buffer.from(lines.join('\r\n'), 'latin1'));
    const r = await convert(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Geen roepnaam, terwijl kolom 'Voornamen' in deze rij gevuld is: de voornaam zou leeg blijven in Numo (1×): rij 3 (Stamnr 600002)");
    expect(r.stderr).toContain('Geen roepnaam (1×): rij 3 (Stamnr 600002)\n    → Vul de roepnaam in de administratie in: zonder roepnaam heeft het account in Numo geen voornaam.');
  });

  it('an export given as the IDGebr file is named as one, and says where the IDGebr file comes from', async () => {
    const r = await convert(fixture('bron-somtoday-connect.xlsx'), ['--idgebr', fixture('bron-voorloopnullen.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Kolom 'IDGebr' niet gevonden in bron-voorloopnullen.csv");
    expect(r.stderr).toContain('Dit lijkt een export van leerlingen, geen IDGebr-bestand. Het IDGebr-bestand (kolommen Stamnr en IDGebr) krijg je van de applicatiebeheerder van Magister');
    expect(r.stderr).not.toContain('Kolommenkiezer');
    // Nothing recognised at all (EduArte's number is Nummer): the same advice, not "the right export".
    const none = await convert(fixture('bron-somtoday-connect.xlsx'), ['--idgebr', fixture('bron-eduarte.csv')]);
    expect(none.stderr).toContain('Controleer of dit het juiste bestand is en of de kopregel erin staat. Het IDGebr-bestand (kolommen Stamnr en IDGebr) krijg je van');
  });

  it('never offers a year column (STUDYYEAR, Studiejaar) as the Studie: havo and vwo would share a code', async () => {
    const dir = tempDir();
    const file = join(dir, 'decibel.csv');
    writeFileSync(file, 'STAMNR;FIRSTNAME;PREFIX;LASTNAME;EMAIL;CLASS;STUDY;STUDYYEAR\n600001;Anna;;Vries;a@b.nl;1A;;1\n600002;Bram;;Jansen;b@b.nl;1H;;1\n600003;Cas;;Smit;c@b.nl;2V;;2\n');
    const r = await convert(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Geen Studie, dus geen opleiding (3×)');
    expect(r.stderr).not.toContain('STUDYYEAR');
    // Nor support or a level (Leerwegondersteuning ja/nee, Opleidingsniveau).
    const magister = join(dir, 'export.csv');
    writeFileSync(magister, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;Leerwegondersteuning;Opleidingsniveau\n600001;Anna;Vries;1A;;ja;2\n600002;Bram;Jansen;1H;;nee;3\n');
    const m = await convert(magister);
    expect(m.stderr).not.toMatch(/Leerwegondersteuning|Opleidingsniveau/);
  });

  it('names a Studie without a year whose students are in several leerjaren (Somtoday leerjaar next to opleiding)', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const mapping = join(dir, 'map.csv');
    writeFileSync(mapping, 'Studie;Opleidingscode\r\nhavo;VB-HAVO-1\r\nvwo;VB-VWO-2\r\n');
    const rows = ['1001;Jan;;Berg;1H1;havo;1', '1002;Els;;Smit;4H2;havo;4', '1003;Bas;;Bos;2V1;vwo;2', '1004;Ava;;Dam;2V2;vwo;2'];
    writeFileSync(src, `leerlingnummer;roepnaam;voorvoegsel;achternaam;stamgroep;opleiding;leerjaar\r\n${rows.join('\r\n')}\r\n`);
    const r = await runCli(['convert', src, '--no-config', '--mapping', mapping, '--dry-run']);
    expect(r.stderr).toContain("Studie 'havo' (1, 4) heeft leerlingen uit verschillende leerjaren (kolom 'leerjaar'), maar krijgt één opleidingscode voor allemaal");
    // Core's hint names no flag; the command line's does.
    expect(r.stderr).toContain('of zet elk leerjaar apart om met --klas en een eigen mapping.');
    expect(r.stderr).not.toContain("'vwo'");
    // The code is for leerjaar 1 (VB-HAVO-1): wrong for the student in leerjaar 4, as it would be next year for all.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Opleidingscode is voor een ander leerjaar dan de leerling zit \(kolom 'leerjaar'\): de Studie heeft geen jaartal\W*\(1×\)\W*: rij 3 \(Stamnr 1002\)/);
    // After --klas, only the students the filter keeps count.
    const one = await runCli(['convert', src, '--no-config', '--mapping', mapping, '--dry-run', '--klas', '1*,2*']);
    expect(one.stderr).not.toContain('verschillende leerjaren');
    expect(one.code).toBe(0);
    // Codes that are not per leerjaar (an mbo crebo number) are no year's.
    writeFileSync(mapping, 'Studie;Opleidingscode\r\nhavo;25180\r\nvwo;25653\r\n');
    expect((await runCli(['convert', src, '--no-config', '--mapping', mapping, '--dry-run'])).stderr).not.toContain('ander leerjaar');
    // An EduArte (mbo) export: an opleiding runs over several leerjaren, and a code's last digit may be its niveau.
    const mbo = join(dir, 'eduarte.csv');
    const head = 'Nummer;Roepnaam;Voorvoegsel;Achternaam;E-mail;Opleiding;Niveau;Lj;Status';
    writeFileSync(mbo, `${head}\r\n600001;Zoë;;Koster;z@school.nl;Verzorgende IG;3;1;Actief\r\n600002;Sem;;Bos;s@school.nl;Verzorgende IG;3;2;Actief\r\n`);
    writeFileSync(mapping, 'Studie;Opleidingscode\r\nVerzorgende IG;MBO-VIG-3\r\n');
    const edu = await runCli(['convert', mbo, '--no-config', '--mapping', mapping, '--dry-run']);
    expect(edu.code, edu.stderr).toBe(0);
    expect(edu.stderr).not.toMatch(/ander leerjaar|verschillende leerjaren/);
  });

  it("checks a year's code for a Studie without a year by the Klas when the leerjaar column is gone or renamed", async () => {
    // Last year the wizard saw leerjaar 4 for all of 'havo' and suggested VB-HAVO-4; this year's export has no
    // leerjaar column (or calls it otherwise), and the students are in 5H1.
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const mapping = join(dir, 'map.csv');
    writeFileSync(mapping, 'Studie;Opleidingscode\r\nhavo;VB-HAVO-4\r\nVerzorgende IG;MBO-VIG-3\r\n');
    const write = (head: string, rows: string[]) => writeFileSync(src, `Stamnr;Roepnaam;Achternaam;Klas;Studie${head}\r\n${rows.join('\r\n')}\r\n`);
    const run = () => runCli(['convert', src, '--no-config', '--mapping', mapping, '--dry-run']);
    write('', ['1001;Jan;Berg;5H1;havo', '1002;Els;Smit;5H2;havo', '1003;Zoë;Koster;VIG1;Verzorgende IG']);
    const r = await run();
    expectNoStack(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Opleidingscode is voor leerjaar 4, maar de klas begint met leerjaar 5: de Studie heeft geen jaartal\W*\(2×\)\W*: rij 2 \(Stamnr 1001\), rij 3 \(Stamnr 1002\)/);
    // A renamed leerjaar column is still one.
    write(';Leerjaar nu', ['1001;Jan;Berg;H5a;havo;5']);
    expect((await run()).stderr).toContain("Opleidingscode is voor een ander leerjaar dan de leerling zit (kolom 'Leerjaar nu')");
    // A Klas that does not start with its year cannot tell: exit 0, the Studie named.
    write('', ['1001;Jan;Berg;H5a;havo', '1003;Zoë;Koster;VIG1;Verzorgende IG']);
    const unsure = await run();
    expect(unsure.code, unsure.stderr).toBe(0);
    expect(unsure.stderr).toContain("Studie 'havo' → VB-HAVO-4 heeft geen jaartal, maar de opleidingscode is voor één leerjaar; de export heeft geen kolom leerjaar");
    expect(unsure.stderr).not.toContain('Verzorgende');
    // A Studie in a name's shape (Havo Vwo) is named all the same.
    write('', ['1001;Jan;Berg;HV2a;Havo Vwo']);
    writeFileSync(mapping, 'Studie;Opleidingscode\r\nHavo Vwo;VB-HV-1\r\nhavo;VB-HAVO-4\r\n');
    expect((await run()).stderr).toContain('heeft geen jaartal, maar de opleidingscode is voor één leerjaar');
    writeFileSync(mapping, 'Studie;Opleidingscode\r\nhavo;VB-HAVO-4\r\nVerzorgende IG;MBO-VIG-3\r\n');
    // Klassen that confirm the year: nothing to say.
    write('', ['1001;Jan;Berg;4H1;havo', '1002;Els;Smit;4h2;havo']);
    const fine = await run();
    expect(fine.code).toBe(0);
    expect(fine.stderr).not.toMatch(/jaartal/);
  });

  it('counts rows whose status is not active (EduArte Status, Somtoday leerlingActief) and names them by row', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const lines = readFileSync(fixture('bron-eduarte.csv'), 'latin1').split('\r\n');
    lines[3] = lines[3]!.replace(/;Actief$/, ';Beëindigd');
    // EduArte's own statuses of a verbintenis that counts are no 'actief' either, and are no leavers.
    lines[2] = lines[2]!.replace(/;Actief$/, ';Definitief');
    lines[4] = lines[4]!.replace(/;Actief$/, ';Voorlopig');
    writeFileSync(src, Buffer.from(lines.join('\r\n'), 'latin1'));
    const r = await convert(src);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("1 rij heeft een status anders dan actief ('Beëindigd') en is toch omgezet: bijv. rij 4");
    // A student who switched has a row per enrolment: the one to remove is the ended one, which may be either.
    lines.push(lines[3]!.replace(/;Beëindigd$/, ';Actief'));
    writeFileSync(src, Buffer.from(lines.join('\r\n'), 'latin1'));
    const twice = await convert(src);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('houd de rij die nu geldt (status actief) en haal de andere uit de export; dat kan ook de eerste zijn.');
  });

  it('--bron forces a source and names the missing columns', async () => {
    const r = await convert(fixture('bron-magister-deelnemers.xlsx'), ['--bron', 'eduarte']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Kolommen 'Nummer', 'Opleiding' niet gevonden/);
    expect(r.stderr).toContain('Dit lijkt een Magister-export: gebruik --bron magister, of laat --bron weg.');
    expect(listDir(r.dir)).toEqual([]);
    expect((await convert(fixture('bron-somtoday-umservice.csv'), ['--bron', 'somtoday'])).code).toBe(0);
  });
});

describe('columns that look like name parts are never dropped silently', () => {
  it('says the tussenvoegsel column is missing, also beside a surname like El Amrani; whole Dutch names need none', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const run = async (surnames: string[]) => {
      writeFileSync(src, ['Stamnr;Roepnaam;Achternaam;Klas;Studie', ...surnames.map((a, i) => `${1001 + i};Sam;${a};2H1;2 havo`)].join('\r\n'));
      return (await runCli(['convert', src, '--no-config', '--mapping', MAPPING, '--dry-run'])).stderr;
    };
    const plain = Array.from({ length: 12 }, (_, i) => `Berg${i}`);
    const missing = 'Geen kolom met tussenvoegsels gevonden';
    // One surname with another language's particle (el, da, mac) is a whole name of its own: the Dutch ones are lost.
    expect([await run(plain), await run([...plain, 'El Amrani']), await run([...plain, 'Da Silva', 'Mac Donald'])]).toEqual([
      expect.stringContaining(missing),
      expect.stringContaining(missing),
      expect.stringContaining(missing),
    ]);
    // Dutch particles in the surnames: whole names, nothing lost.
    expect(await run([...plain, 'van Dijk', 'de Vries'])).not.toContain(missing);
  });

  it('warns, naming the column, and a config override makes it count', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Infix;Achternaam;Klas;Studie;Privé mail\r\n1001;Jan;van der;Berg;2H1;2 havo;jan@example.nl\r\n');
    const r = await runCli(['convert', src, '--no-config', '--mapping', MAPPING, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Kolom 'Infix' lijkt een tussenvoegsel maar wordt niet gebruikt");
    expect(r.stderr).toContain('"tussenvoegsel": "Infix"');
    expect(r.stderr).toContain("Kolom 'Privé mail' lijkt een e-mailadres");
    expect(r.stderr).not.toMatch(/Berg|jan@example/);
    const config = join(dir, 'cfg.json');
    writeFileSync(config, JSON.stringify({ version: 1, columns: { tussenvoegsel: 'Infix', email: 'Privé mail' } }));
    const out = join(dir, 'o.csv');
    const ok = await runCli(['convert', src, '--config', config, '--mapping', MAPPING, '--password', 'none', '--out', out]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toContain('wordt niet gebruikt');
    expect(readFileSync(out, 'utf8')).toContain('1001;Jan;van der;Berg;2H1;VB-HAVO-2;jan@example.nl;;leerling');
  });

  it('reads a Somtoday list whose e-mail column is headed E-mail as Somtoday; forced to Magister, it names stamgroep', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    // Leerlingnummer, Voorvoegsel and Opleiding are Magister spellings too: without E-mail under Somtoday, Magister won.
    writeFileSync(src, 'Leerlingnummer;Roepnaam;Voorvoegsel;Achternaam;Stamgroep;Opleiding;E-mail\r\n1001;Jan;van der;Berg;2H1;2 havo;jan@example.nl\r\n');
    const r = await convert(src);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Herkend als Somtoday-export (Connect).');
    expect(r.rows[1]!.join(';')).toBe('1001;Jan;van der;Berg;2H1;VB-HAVO-2;jan@example.nl;;leerling');
    const forced = await convert(src, ['--bron', 'magister']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain("Kolom 'Stamgroep' lijkt een klas maar wordt niet gebruikt");
    expect(forced.stderr).toContain('"klas": "Stamgroep"');
    // That warning says what to do; "column not found, add it in Magister" beside it would contradict it.
    expect(forced.stderr).not.toContain("Kolom 'Klas' niet gevonden");
  });

  it('a column the config chose is the only one for its field: missing next year, convert stops instead of taking another', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ version: 1, columns: { email: 'E-mail leerling' } }));
    const year1 = join(dir, 'export-1.csv');
    writeFileSync(year1, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail;E-mail leerling\r\n1001;Jan;;Smit;1A;2 havo;ouder@example.nl;jan@school.nl\r\n');
    const ok = await runCli(['convert', year1, '--config', join(dir, 'cfg.json'), '--mapping', MAPPING, '--password', 'none', '--out', join(dir, 'o1.csv')]);
    expect(ok.code).toBe(0);
    // The parents' column was passed over on purpose: no warning about it.
    expect(ok.stderr).not.toContain("Kolom 'E-mail' lijkt");
    expect(readFileSync(join(dir, 'o1.csv'), 'utf8')).toContain(';jan@school.nl;');
    const year2 = join(dir, 'export-2.csv');
    writeFileSync(year2, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail;Mailadres leerling\r\n1001;Jan;;Smit;1A;2 havo;ouder@example.nl;jan@school.nl\r\n');
    const r = await runCli(['convert', year2, '--config', join(dir, 'cfg.json'), '--mapping', MAPPING, '--password', 'none', '--out', join(dir, 'o2.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`export-2.csv heeft geen kolom 'E-mail leerling', die het instellingenbestand kiest bij "columns": "email".`);
    expect(existsSync(join(dir, 'o2.csv'))).toBe(false);
    // The same config for a staff list: a student's klas column is no column a staff list must have.
    writeFileSync(join(dir, 'cfg-klas.json'), JSON.stringify({ version: 1, columns: { klas: 'Stamgroep' } }));
    const staff = await runCli(['convert', fixture('bron-magister-docenten.csv'), '--config', join(dir, 'cfg-klas.json'), '--rol', 'docent', '--password', 'none', '--out', join(dir, 'o3.csv')]);
    expect(staff.code, staff.stderr).toBe(0);
  });

  it("a header the config chose for one field is no other field's (login: E-mail takes E-mail from the e-mail)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ version: 1, columns: { login: 'E-mail' } }));
    const src = join(dir, 'personeel.csv');
    writeFileSync(src, 'Stamnr;Code;Roepnaam;Tussenv.;Achternaam;E-mail\r\n9001;AAL;Frank;de;Aalders;f.aalders@school.nl\r\n');
    const r = await runCli(['convert', src, '--config', join(dir, 'cfg.json'), '--rol', 'docent', '--password', 'none', '--out', join(dir, 'o.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8').split('\r\n')[1]).toBe('f.aalders@school.nl;Frank;de;Aalders;;;;;docent');
  });

  it('names a header cell of any length in a few words: a message stays a few lines', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const long = Array.from({ length: 50 }, (_, i) => `Kolom${i}${'x'.repeat(30_000)}`);
    writeFileSync(src, `${['Stamnr', 'Roepnaam', 'Achternaam', ...long].join(';')}\r\n1001;Jan;Smit${';'.repeat(50)}\r\n`);
    const r = await runCli(['convert', src, '--no-config', '--mapping', MAPPING, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Gevonden kolommen: Stamnr, Roepnaam, Achternaam, Kolom0x');
    expect(r.stderr).toContain(' en 43 meer.');
    expect(r.stderr.length).toBeLessThan(1200);
  });

  it('names an e-mail column headed with school (Schoolmail, E-mail (school)) when no e-mail column is read', async () => {
    const dir = tempDir();
    for (const header of ['Schoolmail', 'E-mail (school)']) {
      const src = join(dir, 'export.csv');
      writeFileSync(src, `Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;${header};Schoolnaam\r\n1001;Jan;;Berg;2H1;2 havo;jan@example.nl;Het Lyceum\r\n`);
      const r = await runCli(['convert', src, '--no-config', '--mapping', MAPPING, '--dry-run']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Kolom '${header}' lijkt een e-mailadres maar wordt niet gebruikt`);
      // A school's name is no name part.
      expect(r.stderr).not.toContain("'Schoolnaam'");
    }
  });

  it('is an error naming the lookalike when a required column would stay empty', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Familienaam;Studie\r\n1001;Jan;Berg;2 havo\r\n');
    const r = await runCli(['convert', src, '--no-config', '--mapping', MAPPING]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Kolom 'Achternaam' niet gevonden");
    expect(r.stderr).toContain(`Kolom 'Familienaam' lijkt een achternaam: zet in numo-prep.config.json bij "columns" (tussen de { }) "achternaam": "Familienaam" (of kies hem in numo-prep wizard)`);
    // The header as JSON, so that the line can be pasted into the config as it is.
    writeFileSync(src, 'Stamnr;Roepnaam;Familienaam "oud\\";Studie\r\n1001;Jan;Berg;2 havo\r\n');
    const escaped = await runCli(['convert', src, '--no-config', '--mapping', MAPPING]);
    expect(escaped.stderr).toContain(String.raw`"achternaam": "Familienaam \"oud\\\"" (of kies`);
  });

  it('a header quoted as text (a space between ; and ") is named as such, not given as a column to choose', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, '"Stamnr"; "Roepnaam"; "Achternaam"; "Studie"\r\n"1001"; "Jan"; "Berg"; "2 havo"\r\n');
    const r = await runCli(['convert', src, '--no-config', '--mapping', MAPPING]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Kolomkoppen staan als tekst tussen aanhalingstekens ('"Roepnaam"', '"Achternaam"', '"Studie"'): staat er een spatie tussen ; en "?`);
    expect(r.stderr).not.toContain('"columns"');
  });

  it('is an error when a required column is empty while a lookalike column holds the data', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, Buffer.from('Nummer;Roepnaam;Voornamen;Voorvoegsel;Achternaam;Opleiding\r\n1;;Jan Piet;;Berg;2 havo\r\n2;;Els;van;Dijk;2 havo\r\n', 'latin1'));
    const r = await runCli(['convert', src, '--no-config', '--mapping', MAPPING, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`export.csv: kolom 'Roepnaam' is leeg in de eerste 2 rijen, maar kolom 'Voornamen' heeft gegevens.`);
    expect(r.stderr).not.toMatch(/Jan|Berg/);
  });

  it('reads a CSV that mixes UTF-8 and Windows-1252 lines per line, with a warning', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, Buffer.concat([Buffer.from('\ufeffStamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie\r\n1001;Zoë;;Berg;2H1;2 havo\r\n'), encodeCp1252('1002;Chloë;;Dijk;2H1;2 havo\r\n')]));
    const out = join(dir, 'o.csv');
    const r = await runCli(['convert', src, '--no-config', '--mapping', MAPPING, '--password', 'none', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Het bestand mengt UTF-8 en Windows-1252: regel 3 als Windows-1252 gelezen');
    expect(readFileSync(out, 'utf8')).toContain('1002;Chloë;;Dijk');
  });
});

describe('teachers: --rol docent', () => {
  it('turns a Magister staff list into a docent import: login as gebruikersnaam, no opleiding, e-mail consequence', async () => {
    const r = await runCli(['convert', fixture('bron-magister-docenten.csv'), '--no-config', '--rol', 'docent', '--password', 'none', '--out', join(tempDir(), 'd.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6 docenten geschreven');
    expect(r.stderr).toContain('Herkend als Magister-export (webservice GetActiveEmpoyees).');
    // Without passwords the Numo file has none to log in with: only SSO is named.
    expect(r.stderr).toContain("6 docenten zonder e-mailadres: 'Wachtwoord vergeten' werkt in Numo alleen met een e-mailadres, dus zij loggen in via SSO (elo/Entree)\n");
    const out = await convert(fixture('bron-magister-docenten.csv'), ['--rol', 'docent']);
    const rows = out.rows.slice(1);
    expect(rows).toHaveLength(6);
    for (const c of rows) {
      expect(c[0]).toMatch(/^[a-z]{3}$/);
      expect([c[4], c[5], c[6], c[8]]).toEqual(['', '', '', 'docent']);
    }
  });

  it('uses the teacher code when there is no login column, or a --gebruikersnaam template with {code}', async () => {
    const somtoday = await convert(fixture('bron-somtoday-medewerkers.csv'), ['--rol', 'docent']);
    expect(somtoday.code).toBe(0);
    expect(somtoday.rows.slice(1).every((c) => /^[A-Z]{3}$/.test(c[0]!) && c[6]!.endsWith('@voorbeeldschool.nl'))).toBe(true);
    expect(somtoday.stderr).not.toContain('zonder e-mailadres');
    const templated = await convert(fixture('bron-magister-docenten.csv'), ['--rol', 'docent', '--gebruikersnaam', 'mw-{code}']);
    expect(templated.rows.slice(1).every((c) => /^mw-[A-Z]{3}$/.test(c[0]!))).toBe(true);
    const unfilled = await convert(fixture('bron-somtoday-medewerkers.csv'), ['--rol', 'docent', '--gebruikersnaam', '{login}']);
    expect(unfilled.code).toBe(2);
    expect(unfilled.stderr).toContain('{login} heeft geen kolom in de export');
  });

  it('refuses a staff member listed twice (the second time with the first name as login)', async () => {
    const dir = tempDir();
    const src = join(dir, 'personeel.csv');
    writeFileSync(
      src,
      '\ufeff"stamnr_str";"Code";"Roepnaam";"Achternaam";"Loginaccount.Naam"\r\n"9001";"ABC";"Anne";"Aalders";"abc"\r\n"9002";"DEF";"Bas";"Boer";"def"\r\n"9001";"ABC";"Anne";"Aalders";"anne"\r\n',
    );
    const r = await runCli(['convert', src, '--no-config', '--rol', 'docent', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Medewerker staat twee keer in de lijst (zelfde Stamnr) (1×): rij 4 (Stamnr 9001, eerder in rij 2)');
    // Without code, under another number: the same name and address are the same person (two accounts). Two
    // Jansens on one shared address (administratie@, a couple's family address) are two people.
    writeFileSync(
      src,
      'Personeelsnummer;Code;Roepnaam;Achternaam;Loginaccount.Naam;E-mail\r\n9001;AAL;Anna;Aalst;aaalst;a.aalst@school.nl\r\n9050;;Anna;Aalst;anna;A.Aalst@school.nl\r\n9002;JAP;Piet;Jansen;pjansen;administratie@school.nl\r\n9003;JAA;Anna;Jansen;ajansen;administratie@school.nl\r\n',
    );
    const mail = await runCli(['convert', src, '--no-config', '--rol', 'docent', '--dry-run']);
    expect(mail.code).toBe(1);
    expect(mail.stderr).toContain('Medewerker staat twee keer in de lijst (zelfde naam en e-mail) (1×): rij 3');
    expect(mail.stderr).not.toContain('rij 5');
  });

  it('two staff members whose number is 0 (a lookup formula on an empty cell) are two people, not one twice', async () => {
    const dir = tempDir();
    const src = join(dir, 'personeel.csv');
    writeFileSync(src, 'stamnr_str;Code;Roepnaam;Achternaam;Loginaccount.Naam\r\n0;AAA;Anne;Aalders;aaa\r\n0;BOB;Bas;Boer;bob\r\n');
    const r = await runCli(['convert', src, '--no-config', '--rol', 'docent', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('twee keer');
  });

  it('refuses a staff list read as students when every row has a column only staff have', async () => {
    const dir = tempDir();
    const src = join(dir, 'medewerkers.csv');
    // An mbo staff list: Opleiding is the team a teacher works in, so each row also looks like a student's.
    writeFileSync(
      src,
      'Nummer;Afkorting;Roepnaam;Voorvoegsel;Achternaam;E-mail;Functie;Opleiding\r\n9001;AAL;Frank;de;Aalders;aal@roc.nl;Docent;Kok\r\n9002;BOE;Petra;;Boer;boe@roc.nl;Instructeur;Kok\r\n',
    );
    const r = await runCli(['convert', src, '--mapping', MAPPING, '--out', join(dir, 'o.csv'), '--no-config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("medewerkers.csv lijkt een personeelslijst (kolom 'Afkorting', 'Functie' gevuld in elke rij), geen leerlingenlijst. Zet hem om met --rol docent.");
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
  });

  it('refuses a student list with a klas and a study on every row as staff, however the study column is headed', async () => {
    const dir = tempDir();
    const src = join(dir, 'lijst.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Opleiding;Gebruikersnaam\r\n600001;Zoë;Koster;1A;1 havo;zkoster\r\n600002;Tim;Bos;1B;1 vwo;tbos\r\n');
    const r = await runCli(['convert', src, '--rol', 'docent', '--dry-run', '--no-config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'lijst.csv lijkt een leerlingenlijst (kolom \'Klas\', \'Opleiding\' gevuld), geen personeelslijst. Zet leerlingen om zonder --rol docent (en zonder "rol": "docent" in numo-prep.config.json).',
    );
  });

  it('does not take a student list for staff for one such column, or when a Rol column says leerling', async () => {
    const dir = tempDir();
    const src = join(dir, 'leerlingen.csv');
    // A Functie in the leerlingenraad on every row.
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;Functie\r\n600001;Zoë;Koster;1A;1 havo;Klassenvertegenwoordiger\r\n600002;Tim;Bos;1A;1 havo;Lid\r\n');
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--dry-run', '--no-config'])).code).toBe(0);
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;Functie;Afkorting;Rol\r\n600001;Zoë;Koster;1A;1 havo;Lid;ZK;leerling\r\n600002;Tim;Bos;1A;1 havo;Lid;TB;leerling\r\n');
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--dry-run', '--no-config'])).code).toBe(0);
    // Staff columns that say "no" (is_docent 0, Functie Leerling), and a klas on every row: students.
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;is_docent;Functie\r\n600001;Zoë;Koster;1A;1 havo;0;Leerling\r\n600002;Tim;Bos;1A;1 havo;0;Leerling\r\n');
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--dry-run', '--no-config'])).code).toBe(0);
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;Functie;Afkorting\r\n600001;Zoë;Koster;1A;1 havo;Lid;ZK\r\n600002;Tim;Bos;1B;1 havo;Lid;TB\r\n');
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--dry-run', '--no-config'])).code).toBe(0);
  });

  it('names the staff that do not teach (Somtoday is_docent false, Magister Functie.Omschr)', async () => {
    const dir = tempDir();
    const src = join(dir, 'medewerkers.csv');
    writeFileSync(
      src,
      'medewerkernummer;afkorting;roepnaam;voorvoegsel;achternaam;emailadres;gebruikersnaam;is_docent\r\n9001;AAL;Frank;de;Aalders;a@x.nl;faalders;true\r\n9002;CON;Piet;;Bos;p@x.nl;pbos;false\r\n',
    );
    const r = await runCli(['convert', src, '--rol', 'docent', '--password', 'none', '--out', join(dir, 'o.csv'), '--no-config']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 medewerker is volgens de export geen docent en is toch omgezet: bijv. rij 3');
    // Magister has no such column: its Functie.Omschr tells a conciërge or an administrative post (a TOA or mentor
    // may see results, and is not named).
    writeFileSync(
      src,
      // A teacher with such a word in the function (Docent economie en administratie, Docent/roostermaker) teaches.
      'Code;Roepnaam;Achternaam;Loginaccount.Naam;Functie.Omschr\r\nAAL;Anna;Aalst;aaalst;Docent\r\nBOS;Bas;Bos;bbos;Conci\u00ebrge\r\nDIJ;Cor;Dijk;cdijk;Administratief medewerker\r\nVEN;Eva;Ven;even;TOA\r\nECO;Eef;Cox;ecox;Docent economie en administratie\r\nROO;Rob;Oost;roost;Docent/roostermaker\r\nFIN;Fem;Ink;fink;Coördinator financiële beroepen\r\nADM;Ada;Mol;amol;Financieel medewerker\r\nREC;Rik;Eck;reck;Receptionist\r\n',
    );
    const magister = await runCli(['convert', src, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(magister.code).toBe(0);
    expect(magister.stderr).toContain('4 medewerkers zijn volgens de export geen docent en zijn toch omgezet: bijv. rij 3, rij 4, rij 9, rij 10');
  });

  it('does not join the IDGebr file of a student config to a staff list', async () => {
    const dir = tempDir();
    const idgebr = join(dir, 'idgebr.csv');
    // The staff member's Stamnr is also a student's in this IDGebr file.
    const stamnr = readFileSync(fixture('bron-magister-docenten.csv'), 'utf8')
      .split(/\r?\n/)[1]!
      .split(';')[0]!
      .replace(/^\uFEFF/, '');
    writeFileSync(idgebr, `Stamnr;IDGebr\r\n${stamnr};99999\r\n`);
    const config = join(dir, 'numo-prep.config.json');
    writeFileSync(config, JSON.stringify({ version: 1, idgebr: 'idgebr.csv', sso: true }));
    const out = join(dir, 'd.csv');
    const staff = await runCli(['convert', fixture('bron-magister-docenten.csv'), '--config', config, '--rol', 'docent', '--password', 'none', '--out', out]);
    expect(staff.code).toBe(0);
    expect(staff.stderr).toContain('Het IDGebr-bestand uit');
    expect(readFileSync(out, 'utf8')).not.toContain('99999');
  });

  it('keeps bron, stamnrCijfers and rol in the config; a student gebruikersnaam template there does not apply to staff', async () => {
    const dir = tempDir();
    const config = join(dir, 'numo-prep.config.json');
    writeFileSync(config, JSON.stringify({ version: 1, bron: 'magister', gebruikersnaam: 'll{stamnr}', stamnrCijfers: 8 }));
    const staff = await runCli(['convert', fixture('bron-magister-docenten.csv'), '--config', config, '--rol', 'docent', '--password', 'none', '--out', join(dir, 'd.csv')]);
    expect(staff.code).toBe(0);
    expect(staff.stderr).toContain('De gebruikersnaam uit');
    expect(readFileSync(join(dir, 'd.csv'), 'utf8').split('\r\n')[1]).toMatch(/^[a-z]{3};/);
    const students = await runCli(['convert', fixture('bron-magister-deelnemers.xlsx'), '--config', config, '--mapping', MAPPING, '--password', 'none', '--out', join(dir, 'l.csv')]);
    expect(students.code).toBe(0);
    expect(readFileSync(join(dir, 'l.csv'), 'utf8').split('\r\n')[1]).toMatch(/^ll00600001;/);
    const wrongSource = await runCli(['convert', fixture('bron-eduarte.csv'), '--config', config, '--mapping', MAPPING, '--dry-run']);
    expect(wrongSource.code).toBe(2);
    expect(wrongSource.stderr).toContain('Dit lijkt een EduArte-export: gebruik --bron eduarte');
  });

  it('refuses a file with students and staff, a staff list without --rol docent and a student list with it', async () => {
    const mixed = await convert(fixture('bron-gemengd.csv'));
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('Dit bestand bevat leerlingen (bijv. rij 2) én medewerkers (bijv. rij 5)');
    expect(listDir(mixed.dir)).toEqual([]);
    const staff = await convert(fixture('bron-magister-docenten.csv'));
    expect(staff.code).toBe(2);
    expect(staff.stderr).toContain("Dit is een personeelslijst (kolom 'Functie.Omschr'): zet hem om met --rol docent.");
    // Instead of, not after, the hint to add the Studie in Magister.
    expect(staff.stderr).not.toContain('Kolommenkiezer');
    const students = await convert(fixture('bron-magister-deelnemers.xlsx'), ['--rol', 'docent']);
    expect(students.code).toBe(2);
    expect(students.stderr).toContain("lijkt een leerlingenlijst (kolom 'Studie' gevuld)");
    // A student list with an unknown Stamnr header is not sent to --rol docent (which sends it back).
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Lln.nr;Roepnaam;Tussenv.;Achternaam;Klas;Studie\r\n600001;Zoe;de;Koster;3M3;3 mavo\r\n');
    const unknown = await runCli(['convert', join(dir, 'export.csv'), '--mapping', MAPPING, '--no-config']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Kolom 'Stamnr' niet gevonden");
    expect(unknown.stderr).not.toContain('--rol docent');
  });

  it('knows the words a Rol column says staff with (OOP, Leerkracht, Conciërge …), and the headers of such a column', async () => {
    const dir = tempDir();
    const src = join(dir, 'leerlingen.csv');
    const run = async (header: string, value: string, extra: string[] = []) => {
      writeFileSync(src, `Stamnr;Roepnaam;Achternaam;Klas;Studie;${header}\r\n600001;Zoë;Koster;1A;1 havo;${value}\r\n600002;Tim;Bos;1A;1 havo;${value}\r\n`);
      const r = await runCli(['convert', src, '--mapping', MAPPING, '--password', 'none', '--dry-run', '--no-config', ...extra]);
      expectNoStack(r);
      return r;
    };
    // Each a staff member, not a student: as leerling they would get a student's account, exit 0.
    for (const value of ['OOP', 'O.P.', 'Leerkracht', 'Docente', 'Teamleider', 'Conciërge', 'Concierge', 'Directeur', 'LIO', 'Docent/Mentor']) {
      const r = await run('Rol', value);
      expect([value, r.code]).toEqual([value, 1]);
      expect(r.stderr).toContain(`Rol leerling, maar kolom 'Rol' noemt medewerkers (bijv. rij 2: '${value}')\n    → Zet medewerkers om met --rol docent.`);
    }
    for (const header of ['Role', 'Rollen', 'Rol(len)', 'Type gebruiker', 'Gebruikersrol', 'Soort gebruiker']) {
      const r = await run(header, 'Docent');
      expect([header, r.code]).toEqual([header, 1]);
      expect(r.stderr).toContain(`kolom '${header}' noemt medewerkers`);
    }
    // Students stay students, without a word about the role.
    for (const value of ['Leerling', 'leerlingen', 'Student', 'Deelnemer', 'Cursist', 'Scholier']) {
      const r = await run('Rol', value);
      expect([value, r.code]).toEqual([value, 0]);
      expect(r.stderr).not.toMatch(/rol die numo-prep niet kent|medewerkers/);
      // And in a staff run they are students: refused there.
      expect((await run('Rol', value, ['--rol', 'docent'])).code).toBe(2);
    }
    // A role numo-prep does not know (a trainee, a parent, a course name that is also a job) is named, by row only.
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;Rol\r\n600001;Zoë;Koster;1A;1 havo;Leerling\r\n600002;Tim;Bos;1A;1 havo;Stagiair\r\n600003;Sem;Bos;1A;1 havo;Ouder/verzorger\r\n');
    const unknown = await runCli(['convert', src, '--mapping', MAPPING, '--password', 'none', '--dry-run', '--no-config']);
    expect(unknown.code).toBe(0);
    expect(unknown.stderr).toContain("! 2 rijen hebben in kolom 'Rol' een rol die numo-prep niet kent (geen leerling of docent) en zijn toch als leerling omgezet: bijv. rij 3, rij 4");
    expect(unknown.stderr).not.toMatch(/Stagiair|verzorger/);
    // Docent/Leerling says no one role.
    expect((await run('Rol', 'Docent/Leerling')).stderr).toContain('rol die numo-prep niet kent');
    // A Type column may say something else: its other values are not named, and a Rol column beside it decides.
    expect((await run('Type', 'BOL')).stderr).not.toContain('rol die numo-prep niet kent');
    expect((await run('Type', 'Docent')).code).toBe(1);
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;Type;Rol\r\n600001;Zoë;Koster;1A;1 havo;OP;Leerling\r\n600002;Tim;Bos;1A;1 havo;OP;Leerling\r\n');
    expect((await runCli(['convert', src, '--mapping', MAPPING, '--password', 'none', '--dry-run', '--no-config'])).code).toBe(0);
    // Staff and students in one file, by the new words.
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie;Rol\r\n600001;Zoë;Koster;1A;1 havo;Leerling\r\n600002;Tim;Bos;1A;1 havo;OOP\r\n');
    const mixed = await runCli(['convert', src, '--mapping', MAPPING, '--password', 'none', '--dry-run', '--no-config']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('Dit bestand bevat leerlingen (bijv. rij 2) én medewerkers (bijv. rij 3)');
  });

  it('a staff column that names a student (Functie: Leerling in a combined list) marks a student, and a login with a ? is no login', async () => {
    const dir = tempDir();
    const list = join(dir, 'personeel.csv');
    // Also when the row has a staff number too (filled in for everyone). "Student" is a trainee teacher's Functie.
    writeFileSync(
      list,
      'Personeelsnummer;Code;Roepnaam;Achternaam;Loginaccount.Naam;Functie\r\n9001;AAL;Frank;Aalders;faalders;Docent\r\n9002;;Zoe;Koster;zkoster;Leerling\r\n9003;;Sem;Bos;sbos;Student\r\n',
    );
    const mixed = await runCli(['convert', list, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('Dit bestand bevat leerlingen (bijv. rij 3) én medewerkers (bijv. rij 2)');
    writeFileSync(list, 'Personeelsnummer;Code;Roepnaam;Achternaam;Loginaccount.Naam;Functie\r\n9001;AAL;Frank;Aalders;faalders;Docent\r\n9003;;Sem;Bos;sbos;Student\r\n');
    expect((await runCli(['convert', list, '--rol', 'docent', '--no-config', '--dry-run'])).code).toBe(0);
    // Two login columns with other logins: which one the elo knows, only the admin knows.
    writeFileSync(list, 'Code;Roepnaam;Achternaam;Gebruikersnaam;Loginnaam\r\nAAL;Anna;Aalst;aaalst;anna\r\n');
    const two = await runCli(['convert', list, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(two.stderr).toMatch(/Twee kolommen met logins verschillen: de gebruikersnaam komt uit '(Gebruikersnaam|Loginnaam)', niet uit '(Gebruikersnaam|Loginnaam)'/);
    // A gebruikersnaam from the code: neither login column is used, so there is nothing to choose.
    expect((await runCli(['convert', list, '--rol', 'docent', '--no-config', '--gebruikersnaam', '{code}', '--dry-run'])).stderr).not.toContain('Twee kolommen met logins');
    // Once the admin chose one by name (as the hint says), it is quiet: the other was passed over on purpose.
    const config = join(dir, 'cfg.json');
    writeFileSync(config, JSON.stringify({ version: 1, rol: 'docent', columns: { login: 'Gebruikersnaam' } }));
    expect((await runCli(['convert', list, '--config', config, '--dry-run'])).stderr).not.toContain('Twee kolommen met logins');
    // Compared on every row, not only the first ones read for the header; a column about the login (Ja/Nee) is none.
    writeFileSync(
      list,
      ['Code;Roepnaam;Achternaam;Gebruikersnaam;Loginnaam;Loginaccount.Geblokkeerd', ...Array.from({ length: 300 }, (_, i) => `C${i};Anna;Aalst;a${i};${i < 250 ? `a${i}` : `anna${i}`};Nee`)].join(
        '\r\n',
      ),
    );
    const late = await runCli(['convert', list, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(late.stderr).toContain('Twee kolommen met logins verschillen');
    expect(late.stderr).not.toContain('Geblokkeerd');
    // Staff words for staff: an Inlognaam column is a login (not "a name"), a guessable template is about medewerkers,
    // and last year's comparison has no klas or opleiding.
    writeFileSync(list, 'Code;Roepnaam;Achternaam;Loginaccount.Naam;Inlognaam\r\nAAL;Anna;Aalst;aaalst;anna\r\n');
    const previous = join(dir, 'vorig.csv');
    writeFileSync(previous, 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\naaalst;Anna;;Aalst;;;;;docent\r\n');
    const words = await runCli(['convert', list, '--rol', 'docent', '--no-config', '--password', 'template', '--password-template', 'Welkom{code}', '--previous', previous, '--dry-run']);
    expect(words.code, words.stderr).toBe(0);
    expect(words.stderr).toContain("niet uit 'Inlognaam'");
    expect(words.stderr).toContain('medewerkers kunnen elkaars wachtwoord raden');
    expect(words.stdout + words.stderr).toMatch(/Vergeleken met vorig jaar: 0 nieuw, 0 vertrokken \(kandidaten voor archiveren in Numo\)\./);
    // Its report has no columns that would always be empty.
    const report = join(dir, 'verschillen.csv');
    expect((await runCli(['convert', list, '--rol', 'docent', '--no-config', '--previous', previous, '--previous-report', report, '--out', join(dir, 'numo.csv')])).code).toBe(0);
    expect(readFileSync(report, 'utf8').split('\r\n')[0]).toBe('\ufeffstatus;gebruikersnaam');
    // A login that starts like a formula: a ' in front (against Excel) would be another login in Numo.
    writeFileSync(list, 'Code;Roepnaam;Achternaam;Loginaccount.Naam\r\nAAL;Frank;Aalders;-faalders\r\n');
    const formula = await runCli(['convert', list, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(formula.code).toBe(1);
    expect(formula.stderr).toContain("Waarde in kolom gebruikersnaam begint met = + - of @: met een ' ervoor (tegen Excel-formules) zou Numo een andere login krijgen");
    writeFileSync(list, 'Code;Roepnaam;Achternaam;Loginaccount.Naam\r\nAAL;Frank;Aalders;faalders\r\nYIL;Ay\u015fe;Y\u0131lmaz;?.yilmaz\r\n');
    const lost = await runCli(['convert', list, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain('Vraagteken in de gebruikersnaam: een letter is verloren gegaan (export als ANSI/Windows-1252 opgeslagen?) (1×): rij 3');
    expect(lost.stderr).not.toContain('yilmaz');
  });
});

describe('Stamnr with and without leading zeros', () => {
  it('keeps what the export holds, warns about the mix, and pads with --stamnr-cijfers', async () => {
    const kept = await convert(fixture('bron-voorloopnullen.csv'));
    expect(kept.code).toBe(0);
    expect(kept.stderr).toContain('Stamnrs met voorloopnullen tot 6 cijfers (bijv. rij 2) en zonder (bijv. rij 5) door elkaar');
    expect(kept.stderr).toContain('--stamnr-cijfers');
    expect(kept.rows.slice(1).map((c) => c[0])).toEqual(['001201', '001202', '001203', '1204', '1205', '1206']);
    const padded = await convert(fixture('bron-voorloopnullen.csv'), ['--stamnr-cijfers', '6']);
    expect(padded.stderr).not.toContain('voorloopnullen');
    expect(padded.rows.slice(1).map((c) => c[0])).toEqual(['001201', '001202', '001203', '001204', '001205', '001206']);
    // Ten digits with leading zeros is a Stamnr, not a phone number (which never starts with 00).
    const ten = await convert(fixture('bron-voorloopnullen.csv'), ['--stamnr-cijfers', '10']);
    expect(ten.code).toBe(0);
    expect(ten.rows.slice(1).map((c) => c[0])).toEqual(['0000001201', '0000001202', '0000001203', '0000001204', '0000001205', '0000001206']);
    const short = await convert(fixture('bron-voorloopnullen.csv'), ['--stamnr-cijfers', '3']);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Stamnr heeft meer dan 3 cijfers');
  });
});

describe('check knows the sources', () => {
  it('says an export is not a Numo file yet, and accepts docent rows without opleiding', async () => {
    const r = await runCli(['check', fixture('bron-somtoday-connect.xlsx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bron-somtoday-connect.xlsx: Herkend als Somtoday-export (Connect), nog geen Numo-importbestand. Zet het eerst om met numo-prep convert.');
    const dir = tempDir();
    writeFileSync(join(dir, 'half.csv'), 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail\r\n1001;Jan;;Berg;2H1;VB-HAVO-2;\r\n');
    const half = await runCli(['check', join(dir, 'half.csv')]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain("Kolom 'rol' niet gevonden");
    expect(half.stderr).toContain('Een Numo-importbestand heeft de kolommen gebruikersnaam, voornaam');
    const docenten = await convert(fixture('bron-magister-docenten.csv'), ['--rol', 'docent']);
    const check = await runCli(['check', join(docenten.dir, 'numo.csv')]);
    expect(check.code).toBe(0);
  });
});
