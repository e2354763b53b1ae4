import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { syntheticStudents } from '../fixtures/students.js';
import { inlineStringXlsx, type XCell } from '../fixtures/zip-writer.js';
import { main } from '../src/cli.js';
import { UserError } from '../src/core/errors.js';
import { decodeCp1252, encodeCp1252 } from '../src/io/cp1252.js';
import { fileError, loadInput, sheetsOf } from '../src/io/input.js';
import { defaultOutput } from '../src/run/convert.js';
import { type CliResult, editedZip, expectNoStack, fixture, listDir, MAPPING, runCli, tempDir } from './helpers.js';

const all = (r: CliResult) => r.stdout + r.stderr;

/** A CSV of these lines (CRLF) in `dir`. */
function csvFile(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

/** `numo-prep check` on a Numo CSV with this text, in a folder of its own. */
async function checkNumo(text: string): Promise<CliResult> {
  const path = join(tempDir(), 'numo.csv');
  writeFileSync(path, text);
  return runCli(['check', path]);
}

/** A one-sheet workbook as SheetJS writes it (an .ods with its mimetype compressed, as SheetJS does). */
async function sheetjsFile(path: string, rows: unknown[][], bookType: 'xlsx' | 'ods' = 'xlsx'): Promise<void> {
  const XLSX = await import('@e965/xlsx');
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Blad1');
  writeFileSync(path, XLSX.write(wb, { bookType, type: 'buffer', compression: bookType === 'ods' }));
}

function exportIn(dir: string, name = 'magister-export.xlsx'): string {
  const path = join(dir, name);
  copyFileSync(fixture(name), path);
  return path;
}

describe('small but visible', () => {
  it('the wizard in a folder it cannot list says so, not "onverwachte fout … controleer het invoerbestand"', async () => {
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    // A folder that cannot be listed (EACCES on a Mac's Desktop without access; here, as root, a file as folder).
    writeFileSync(join(dir, 'geen-map'), '');
    const r = await runCli(['wizard', join(dir, 'export.xlsx')], { cwd: join(dir, 'geen-map') });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`numo-prep: Kan de map ${join(dir, 'geen-map')} niet lezen: een deel van het pad is geen map.\n`);
  });

  it('a working folder deleted under the terminal: every command says so in Dutch with exit 2 (process.cwd() threw a stack), --help still works', async () => {
    vi.spyOn(process, 'cwd').mockImplementation(() => {
      throw Object.assign(new Error('ENOENT: process.cwd failed, uv_cwd'), { code: 'ENOENT' });
    });
    const run = async (args: string[]) => {
      let err = '';
      const stderr = new PassThrough().on('data', (d) => (err += d));
      const code = await main(['node', 'numo-prep', ...args], { stdout: new PassThrough(), stderr, stdin: Readable.from(['']), env: { ...process.env, NO_COLOR: '1' }, isTTY: false });
      return { code, stderr: err };
    };
    // Files of a folder of its own: were the check gone, shred would remove what it names.
    const dir = tempDir();
    writeFileSync(join(dir, 'numo.csv'), 'x');
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    for (const args of [['check', join(dir, 'numo.csv')], ['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--dry-run'], ['shred', '--yes', join(dir, 'numo.csv')], ['wizard']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('numo-prep: De map waarin je werkt, bestaat niet meer (verwijderd of verplaatst?). Ga met cd naar een bestaande map en probeer opnieuw.\n');
    }
    expect((await run(['--help'])).code).toBe(0);
    expect(listDir(dir)).toEqual(['export.xlsx', 'numo.csv']);
  });

  it('text from the file (a part name with an escape sequence and a line break) reaches the terminal without its control characters', async () => {
    const base = inlineStringXlsx([{ name: 'Blad1', rows: [['Stamnr']] }]);
    const dir = tempDir();
    writeFileSync(
      join(dir, 'x.xlsx'),
      editedZip(base, (name, data) => (name === 'xl/_rels/workbook.xml.rels' ? data.replace('worksheets/sheet1.xml', '\u001b[2J&#10;numo-prep: alles in orde') : data)),
    );
    const r = await runCli(['convert', join(dir, 'x.xlsx'), '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\uFFFD[2J\uFFFDnumo-prep: alles in orde ontbreekt');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a web page saved as .xls is named as one, also with a byte order mark or a comment before it', async () => {
    const dir = tempDir();
    const page = '<html><body><table><tr><td>Stamnr</td></tr></table></body></html>';
    const variants: [string, Buffer][] = [
      ['bom.xls', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page)])],
      ['utf16.xls', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page, 'utf16le')])],
      ['utf16be.xls', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(page, 'utf16le').swap16()])],
      ['comment.xls', Buffer.from(`<!-- gemaakt door het rooster -->\n${page}`)],
    ];
    for (const [name, bytes] of variants) {
      writeFileSync(join(dir, name), bytes);
      const r = await runCli(['convert', join(dir, name), '--mapping', MAPPING, '--no-config', '--dry-run']);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain(`${name} is een webpagina (HTML)`);
    }
  });

  it('a WAAR/ONWAAR cell (a formula without its else part) in a name part or Klas is an error, not a name', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    await sheetjsFile(path, [
      ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie'],
      [100001, 'Jesse', 'van der', 'Prins', '1A', '1 havo'],
      [100002, 'Daniel', false, 'Celik', '1A', '1 havo'],
      [100003, 'Saar', '', 'Hendriks', true, '1 havo'],
    ]);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code, all(r)).toBe(1);
    expect(r.stderr).toContain('WAAR of ONWAAR in kolom tussenvoegsel: de uitkomst van een formule, geen gegevens (1×): rij 3 (Stamnr 100002)');
    expect(r.stderr).toContain('WAAR of ONWAAR in kolom klas: de uitkomst van een formule, geen gegevens (1×): rij 4 (Stamnr 100003)');
    expect(listDir(dir)).toEqual(['export.xlsx']);
    // The same file saved as CSV by Excel (Dutch or English), and a mapping whose code cell holds such a formula.
    const csv = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', '100002;Daniel;FALSE;Celik;1A;1 havo', '100003;Saar;;Hendriks;ONWAAR;1 havo']);
    const c = await runCli(['convert', csv, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('WAAR of ONWAAR in kolom tussenvoegsel: de uitkomst van een formule, geen gegevens (1×): rij 2 (Stamnr 100002)');
    expect(c.stderr).toContain('WAAR of ONWAAR in kolom klas: de uitkomst van een formule, geen gegevens (1×): rij 3 (Stamnr 100003)');
    // A surname TRUE in capitals in a CSV is a name; the same in a WAAR cell of an .xlsx is not.
    const caps = csvFile(dir, 'caps.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', '100004;EMMA;;TRUE;1A;1 havo']);
    expect((await runCli(['convert', caps, '--mapping', MAPPING, '--no-config', '--dry-run'])).code).toBe(0);
    await sheetjsFile(join(dir, 'surname.xlsx'), [
      ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie'],
      [100004, 'Emma', '', true, '1A', '1 havo'],
    ]);
    const cell = await runCli(['convert', join(dir, 'surname.xlsx'), '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(cell.stderr).toContain('WAAR of ONWAAR in kolom achternaam: de uitkomst van een formule, geen gegevens (1×): rij 2 (Stamnr 100004)');
    const mapping = csvFile(dir, 'mapping.csv', ['Studie;Opleidingscode', '1 havo;ONWAAR']);
    const m = await runCli(['convert', csv, '--mapping', mapping, '--no-config', '--dry-run']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('Dat is WAAR of ONWAAR, de uitkomst van een formule: zet de opleidingscode zelf in de cel');
  });

  it('a line break between words of a cell (Alt+Enter in Excel) is read as a space, with a warning; one at the end is nothing', async () => {
    const dir = tempDir();
    await sheetjsFile(join(dir, 'breaks.xlsx'), [
      ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie'],
      [100001, 'Anne\nFleur', '', 'Hart\r\nJansen', '1A', '1 havo'],
      [100002, 'Emma', '', 'Bos', '1A\n', '1 havo'],
      // Unicode's own line separator, as some programs paste it.
      [100003, 'Sem', '', 'de\u2028Wit', '1A', '1 havo'],
    ]);
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', join(dir, 'breaks.xlsx'), '--mapping', MAPPING, '--no-config', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Regeleinde in kolom Roepnaam (Alt+Enter in Excel), gelezen als spatie (1×): rij 2 (Stamnr 100001)');
    expect(r.stderr).not.toContain('rij 3');
    expect(r.stderr).toContain('Regeleinde in kolom Achternaam (Alt+Enter in Excel), gelezen als spatie (2×): rij 2 (Stamnr 100001), rij 4 (Stamnr 100003)');
    expect(readFileSync(out, 'utf8')).toContain(';Anne Fleur;;Hart Jansen;1A;');
  });

  it('a cell written as ="001234" (a script keeping leading zeros for Excel) is refused with the way out, in either quoting', async () => {
    const dir = tempDir();
    for (const cell of ['="001234"', '"=""001234"""']) {
      const csv = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Achternaam;Klas;Studie', `${cell};Anna;Jong;1A;1 havo`]);
      const r = await runCli(['convert', csv, '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `export.csv, rij 2: een cel als ="001234", een Excel-formule die voorloopnullen bewaart; die leest numo-prep niet als tekst. Open het bestand in Excel en sla het op als CSV UTF-8 (dan staat er 001234), of exporteer zonder ="…".`,
      );
      expect(listDir(dir)).toEqual(['export.csv']);
    }
  });

  it('an IDGebr file with Stamnr 0 on two rows (a lookup formula on empty cells) names no student and no Stamnr twice', async () => {
    const dir = tempDir();
    const csv = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Achternaam;Klas;Studie', '100001;Anna;Jong;1A;1 havo']);
    const ids = csvFile(dir, 'idgebr.csv', ['Stamnr;IDGebr', '100001;30001', '0;30002', '0;30003']);
    const r = await runCli(['convert', csv, '--mapping', MAPPING, '--idgebr', ids, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('meer dan eens');
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain(';30001\r\n');
  });

  it("a vertical tab (FileMaker's line break in a field) or a separator control between words is a space, never glued", async () => {
    const dir = tempDir();
    const csv = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussen\u2013voegsel;Achternaam;Klas;Studie', '100001;Anna\u000bFleur;de;Jong\u001fSmit;1A;1 havo']);
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', csv, '--mapping', MAPPING, '--no-config', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Regeleinde in kolom Roepnaam (Alt+Enter in Excel), gelezen als spatie (1×): rij 2 (Stamnr 100001)');
    expect(r.stderr).toContain('Regeleinde in kolom Achternaam (Alt+Enter in Excel), gelezen als spatie (1×): rij 2 (Stamnr 100001)');
    // The header with an en dash (Word's autocorrect) is the tussenvoegsel: the name keeps its "de".
    expect(readFileSync(out, 'utf8')).toContain(';Anna Fleur;de;Jong Smit;1A;');
  });

  it('a Windows-1252 CSV: symbols in a notes column and ‘ in a name are read; a symbol in a name (another code page) is an error per row', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    const rows = ['Stamnr;Roepnaam;Achternaam;Klas;Studie;Notities', '100001;Sa\u2018id;Berg;1A;1 havo;VWO\u00b3, T\u00bd, 1\u00bdu', '100002;Els;Smit;1A;1 havo;\u00b1vijf weken, cm\u00b3'];
    writeFileSync(src, encodeCp1252(`${rows.join('\r\n')}\r\n`));
    const ok = await runCli(['convert', src, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(ok.code, ok.stderr).toBe(0);
    // ISO-8859-15's š read as ISO-8859-1: Milo¨.
    writeFileSync(src, Buffer.from(`${rows[0]}\r\n100003;Milo\u00a8;Berg;1A;1 havo;\r\n`, 'latin1'));
    const bad = await runCli(['convert', src, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Teken \u00a8 in kolom voornaam: dat staat in geen naam (het bestand is gelezen in een andere tekencodering');
  });

  it('a Studie with a look-alike letter says so, since it reads the same as the mapping line; an invisible mark is no difference', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n100001;Jan;Berg;1A;1 h\u0430vo\r\n100002;Els;Smit;1A;1 havo\u200E\r\n');
    const r = await runCli(['convert', src, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Studie '1 h\u0430vo' staat niet in de mapping (1 leerling); let op: er staat een Griekse of Cyrillische letter in die eruitziet als een Latijnse");
    expect(r.stderr).not.toContain('rij 3');
  });

  it('a sheet of formulas without stored results (written by a program, never opened in Excel) says so in its error', async () => {
    const dir = tempDir();
    const XLSX = await import('@e965/xlsx');
    /** The sheet as SheetJS writes it (a formula without `v` has no stored result), converted as a dry run. */
    const convertSheet = (name: string, ws: import('@e965/xlsx').WorkSheet) => {
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, 'Blad1');
      writeFileSync(join(dir, name), XLSX.write(wb, { bookType: 'xlsx', type: 'buffer' }));
      return runCli(['convert', join(dir, name), '--mapping', MAPPING, '--no-config', '--dry-run']);
    };
    const ws = XLSX.utils.aoa_to_sheet([['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie']]);
    for (let r = 2; r <= 4; r++) for (const c of 'ABCDE') ws[`${c}${r}`] = { t: 's', f: `"x${r}"` };
    ws['!ref'] = 'A1:E4';
    const r = await convertSheet('formules.xlsx', ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '✖ Geen leerlingen gevonden onder de kopregel: 3 rijen hebben formules zonder opgeslagen uitkomst\n    → Open het bestand in Excel, laat het herberekenen en sla het op.',
    );
    // One such row between students is a student missing; one below them may be a total.
    const mixed = XLSX.utils.aoa_to_sheet([['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie'], [100001, 'Emma', 'Bos', '1A', '1 havo'], [], [100003, 'Sem', 'Dam', '1A', '1 havo'], []]);
    for (const c of 'ABCDE') {
      mixed[`${c}3`] = { t: 's', f: '"x"' };
      mixed[`${c}5`] = { t: 'n', f: 'COUNT(A2:A4)' };
    }
    mixed['!ref'] = 'A1:E5';
    const half = await convertSheet('half.xlsx', mixed);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('✖ 1 rij tussen de leerlingen heeft alleen formules zonder opgeslagen uitkomst: die leerling ontbreekt (rij 3)');
    expect(half.stderr).not.toContain('(rij 3, 5)');
    // A row empty in the used columns with a formula only in a helper column (a check beside the list) is no student.
    const helper = XLSX.utils.aoa_to_sheet([['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie', 'Controle'], [100001, 'Emma', 'Bos', '1A', '1 havo'], [], [100003, 'Sem', 'Dam', '1A', '1 havo']]);
    helper.F3 = { t: 's', f: 'IF(A3="","leeg","")' };
    helper['!ref'] = 'A1:F4';
    const separated = await convertSheet('hulp.xlsx', helper);
    expect(separated.code, separated.stderr).toBe(0);
  });

  it('a gebruikersnaam of {idgebr} without an IDGebr column or file is refused at once, as {login} without its column is', async () => {
    const dir = tempDir();
    const r = await runCli(['convert', exportIn(dir), '--mapping', MAPPING, '--gebruikersnaam', '{idgebr}', '--no-config', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--gebruikersnaam {idgebr}: {idgebr} heeft geen kolom in de export (en er is geen --idgebr), dus elke gebruikersnaam zou onvolledig zijn.');
  });

  it('a list of people given as the mapping or the list of codes is refused: its names never reach the workbook or a message', async () => {
    const dir = tempDir();
    const lastYear = csvFile(dir, 'export-2025.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail', '100001;Sanne;;Verhoef;1A;1 havo;s@x.nl']);
    const numo = csvFile(dir, 'numo-2025.csv', ['gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol', '100001;Sanne;;Verhoef;1A;VB-HAVO-1;;;leerling']);
    const staff = csvFile(dir, 'docenten.csv', ['Code;Roepnaam;Achternaam', 'AAA;Frank;Aalders']);
    for (const [args, text] of [
      [['convert', exportIn(dir), '--mapping', lastYear, '--dry-run'], "export-2025.csv is geen mapping: de kolom 'Stamnr' hoort bij"],
      [['mapping', exportIn(dir), '--mapping', numo, '--out', join(dir, 'm.xlsx')], "numo-2025.csv is geen mapping: de kolom 'gebruikersnaam' hoort bij"],
      [['mapping', exportIn(dir), '--opleidingen', staff, '--out', join(dir, 'm.xlsx')], "docenten.csv is geen lijst met opleidingscodes: de kolom 'Roepnaam' hoort bij"],
    ] as const) {
      const r = await runCli([...args, '--no-config']);
      expect(r.code, all(r)).toBe(2);
      expect(r.stderr).toContain(text);
      expect(all(r)).not.toMatch(/Sanne|Verhoef|Frank|Aalders/);
    }
    expect(listDir(dir)).toEqual(['docenten.csv', 'export-2025.csv', 'magister-export.xlsx', 'numo-2025.csv']);
    // A hand-made staff list (Code;Naam;Functie) too; a list with a general Nummer column is no list of people.
    const handMade = csvFile(dir, 'personeel.csv', ['Code;Naam;Functie', 'AAA;Frank Aalders;Docent']);
    const h = await runCli(['mapping', exportIn(dir), '--opleidingen', handMade, '--out', join(dir, 'm.xlsx'), '--no-config']);
    expect(h.stderr).toContain("personeel.csv is geen lijst met opleidingscodes: de kolom 'Functie' hoort bij");
    // An mbo mapping with its codes under Crebo reads them there; a third column and no code header is a guess.
    const edu = csvFile(dir, 'edu.csv', ['Stamnr;Roepnaam;Achternaam;Studie', '100001;Sem;Bos;Onderwijsassistent', '100002;Eva;Dam;Onderwijsassistent', '100003;Ali;Kok;Onderwijsassistent']);
    const crebo = csvFile(dir, 'crebo.csv', ['Studie;Niveau;Crebo', 'Onderwijsassistent;4;25655']);
    const c = await runCli(['convert', edu, '--mapping', crebo, '--no-config', '--out', join(dir, 'edu-numo.csv')]);
    expect(c.code, c.stderr).toBe(0);
    expect(readFileSync(join(dir, 'edu-numo.csv'), 'utf8')).toContain(';Bos;;25655;');
    const guess = csvFile(dir, 'guess.csv', ['Studie;Niveau;Kwalificatie', 'Onderwijsassistent;4;25655']);
    const g = await runCli(['convert', edu, '--mapping', guess, '--no-config', '--dry-run']);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain('guess.csv: welke kolom de opleidingscode heeft, is niet zeker (geen kop Opleidingscode, Numo-code, Code of Crebo).');
    // A Studie;Klas list: its klassen would be the codes.
    const klassen = csvFile(dir, 'studie-klas.csv', ['Studie;Klas', '1 havo;1A']);
    const k = await runCli(['convert', exportIn(dir), '--mapping', klassen, '--no-config', '--dry-run']);
    expect(k.code).toBe(2);
    expect(k.stderr).toContain("studie-klas.csv is geen mapping: de codes zouden uit de kolom 'Klas' komen.");
    const numbered = csvFile(dir, 'lijst.csv', ['Nummer;Opleidingscode;Omschrijving', '1;VB-HAVO-1;havo leerjaar 1']);
    const n = await runCli(['mapping', exportIn(dir), '--opleidingen', numbered, '--out', join(dir, 'm.xlsx'), '--no-config']);
    expect(n.code, n.stderr).toBe(0);
  });

  it('an .ods whose mimetype entry is compressed (SheetJS) is still named as one, with how to save it', async () => {
    const path = join(tempDir(), 'lijst.ods');
    await sheetjsFile(
      path,
      [
        ['Stamnr', 'Achternaam', 'Studie'],
        ['100001', 'Berg', '2 havo'],
      ],
      'ods',
    );
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lijst.ods is een OpenDocument-rekenblad (.ods). Open het in LibreOffice of Excel en sla op als .xlsx.');
  });

  it('numo-prep without arguments prints the help in Dutch, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Gebruik: numo-prep [opties] [commando]');
    expect(r.stderr).toContain('convert [opties] <export>');
    expect(all(r)).not.toMatch(/\[options\]|\[command\]/);
  });

  it('help is Dutch down to the usage line', async () => {
    const r = await runCli(['convert', '--help']);
    expect(r.stdout).toMatch(/^Gebruik: numo-prep convert \[opties\] <export>/);
    expect(r.stdout).toContain('--password-length <n>');
    expect(r.stdout).toContain('6–64');
  });

  it('a typo gets "bedoel je", and option errors name the flag and its range, never a camelCase key', async () => {
    const typo = await runCli(['convert', 'x.xlsx', '--mapp', MAPPING]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Onbekende optie --mapp. Bedoel je --mapping?');
    const cmd = await runCli(['convrt', 'x.xlsx']);
    expect(cmd.stderr).toContain('Bedoel je convert?');
    for (const value of ['3', '65', 'tien', '7.5']) {
      const r = await runCli(['convert', 'x.xlsx', '--password-length', value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Ongeldige waarde '${value}' voor --password-length. Kies een geheel getal van 6 tot en met 64.`);
      expect(r.stderr).not.toContain('passwordLength');
    }
    const empty = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--gebruikersnaam', '', '--dry-run']);
    expect(empty.stderr).toContain('Ongeldige waarde voor --gebruikersnaam');
    const passes = await runCli(['shred', 'x.txt', '--passes', '0']);
    expect(passes.stderr).toContain("Ongeldige waarde '0' voor --passes. Kies een geheel getal van 1 tot en met 35.");
  });

  it('a missing export is "niet gevonden", also when a default output is already there', async () => {
    const dir = tempDir();
    const missing = join(dir, 'export.xlsx');
    writeFileSync(defaultOutput(missing), 'oud');
    const r = await runCli(['convert', missing, '--mapping', MAPPING]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Bestand niet gevonden');
    expect(r.stderr).not.toContain('bestaat al');
  });

  it('a file the system will not give says what to do next, whatever the reason (root here cannot provoke most)', () => {
    const errno = (code: string | undefined) => Object.assign(new Error('raw system text'), { code });
    const cases: [string | undefined, RegExp][] = [
      ['EACCES', /^Geen toegang tot x\.xlsx\. Sluit het bestand in Excel en controleer de rechten\.$/],
      ['EPERM', /^Geen toegang tot x\.xlsx\./],
      ['EISDIR', /^x\.xlsx is een map, geen bestand\.$/],
      ['EBUSY', /^x\.xlsx is in gebruik \(open in Excel\?\)\. Sluit het en probeer opnieuw\.$/],
      ['EIO', /^Kan x\.xlsx niet lezen: leesfout van de schijf of het netwerk \(een bestand uit OneDrive dat niet op deze pc staat\?\)\.$/],
      ['ENAMETOOLONG', /^Kan x\.xlsx niet lezen: de naam of het pad is te lang\.$/],
      ['EWHATEVER', /^Kan x\.xlsx niet lezen: onbekende fout \(EWHATEVER\)\.$/],
      [undefined, /^Kan x\.xlsx niet lezen: onbekende fout\.$/],
    ];
    for (const [code, message] of cases) {
      const err = fileError('x.xlsx', errno(code));
      expect(err, String(code)).toBeInstanceOf(UserError);
      expect((err as Error).message, String(code)).toMatch(message);
    }
  });

  it('--json counts nothing as written on a failed run', async () => {
    const dir = tempDir();
    const r = await runCli(['convert', exportIn(dir, 'magister-export-fouten.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'o.csv'), '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ ok: false, written: false, output: null });
    expect(json.counts.written).toBe(0);
    expect(json.counts.read).toBeGreaterThan(0);
  });

  it('--quiet is quiet on a good run, also with a config found in the folder', async () => {
    const dir = tempDir();
    exportIn(dir);
    copyFileSync(MAPPING, join(dir, 'mapping.csv'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'mapping.csv' }));
    const r = await runCli(['convert', 'magister-export.xlsx', '--out', 'o.csv', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const check = await runCli(['check', 'o.csv', '--quiet'], { cwd: dir });
    expect(check.code).toBe(0);
    expect(all(check)).toBe('');
  });

  it('numbers are written as 1.850', async () => {
    const dir = tempDir();
    const rows = syntheticStudents(1850).map((s) => [s.stamnr, s.roepnaam, s.tussenvoegsel, s.achternaam, s.klas, s.studie, s.email].join(';'));
    writeFileSync(join(dir, 'export.csv'), ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail', ...rows, ''].join('\r\n'));
    const r = await runCli(['convert', join(dir, 'export.csv'), '--mapping', MAPPING, '--out', join(dir, 'o.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1.850 leerlingen geschreven');
    const check = await runCli(['check', join(dir, 'o.csv')]);
    expect(check.stdout).toContain('1.850 rijen');
  });

  it('--out with a spreadsheet name is refused: CSV text in a .xlsx is a file Excel calls damaged', async () => {
    const dir = tempDir();
    const r = await runCli(['convert', exportIn(dir), '--mapping', MAPPING, '--out', join(dir, 'numo.xlsx')]);
    expect([r.code, r.stderr.trim()]).toEqual([2, `numo-prep: --out ${join(dir, 'numo.xlsx')}: numo-prep schrijft een CSV-bestand; geef een naam die eindigt op .csv.`]);
    expect(listDir(dir)).toEqual(['magister-export.xlsx']);
  });

  it('the shred hint never lists a file --shred-inputs already shredded', async () => {
    const dir = tempDir();
    const path = exportIn(dir);
    const out = join(dir, 'o.csv');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--out', out, '--shred-inputs', '--yes']);
    expect(r.code).toBe(0);
    expect(existsSync(path)).toBe(false);
    const hint = r.stdout.split('\n').find((l) => l.includes('numo-prep shred'))!;
    expect(hint).toContain(out);
    expect(hint).not.toContain(path);
    copyFileSync(fixture('magister-export.xlsx'), path);
    const json = await runCli(['convert', path, '--mapping', MAPPING, '--out', join(dir, 'p.csv'), '--shred-inputs', '--yes', '--json']);
    expect(JSON.parse(json.stdout).shredCommand).not.toContain(path);
    // Relative names, as typed in the export's folder: the same (the line is absolute, the comparison must be too).
    copyFileSync(fixture('magister-export.xlsx'), path);
    copyFileSync(fixture('idgebr.csv'), join(dir, 'id.csv'));
    const relative = await runCli(['convert', 'magister-export.xlsx', '--idgebr', 'id.csv', '--mapping', MAPPING, '--out', 'q.csv', '--shred-inputs', '--yes'], { cwd: dir });
    expect(relative.code, relative.stderr).toBe(0);
    const line = relative.stdout.split('\n').find((l) => l.includes('numo-prep shred'))!;
    expect(line.trim()).toBe(`numo-prep shred ${join(dir, 'q.csv')}`);
  });

  it('check refuses a CSV with a formula Excel would run (exit 1), without showing it', async () => {
    const dir = tempDir();
    const file = join(dir, 'numo.csv');
    writeFileSync(
      file,
      '\uFEFFgebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n' +
        '1001;Jan;;"=HYPERLINK(""http://x"";""klik"")";2H1;VB-HAVO-2;;Abc12345;leerling\r\n1002;Els;;Smit;2H1;VB-HAVO-2;;@SUM(A1);leerling\r\n',
    );
    const r = await runCli(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Excel voert die uit als formule \(1×\): rij 2 \(Stamnr 1001\)/);
    expect(all(r)).not.toMatch(/HYPERLINK|SUM\(/);
  });
});

describe('configuration that cannot be turned against the user', () => {
  function shared(config: object | ((work: string) => object)): { share: string; path: string; work: string } {
    const share = tempDir('numo-prep-share-');
    const work = tempDir('numo-prep-work-');
    if (typeof config === 'function') config = config(work);
    const path = exportIn(share);
    copyFileSync(MAPPING, join(share, 'mapping.csv'));
    writeFileSync(join(share, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'mapping.csv', ...config }));
    return { share, path, work };
  }

  it('a config beside the export may not send the output outside its folder without a yes: exit 2 without a terminal', async () => {
    const { share, path, work } = shared((work) => ({ out: `../${basename(work)}/numo.csv` }));
    for (const extra of [[], ['--yes']]) {
      const r = await runCli(['convert', path, ...extra], { cwd: work });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/staat naast de export en stuurt out naar .*numo\.csv, buiten die map/);
      expect(r.stderr).toContain('--config');
    }
    expect(listDir(share)).toEqual(['magister-export.xlsx', 'mapping.csv', 'numo-prep.config.json']);
    expect(listDir(work)).toEqual([]);
    // Named with --config, it is the admin's own choice.
    const ok = await runCli(['convert', path, '--config', join(share, 'numo-prep.config.json')], { cwd: work });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('pad buiten de map');
    expect(listDir(work)).toEqual(['numo.csv']);
  });

  it('nor set a weak password template; --json carries the notices of the failed run', async () => {
    const { path, work } = shared({ password: 'template', passwordTemplate: 'Welkom{stamnr}' });
    const r = await runCli(['convert', path, '--json'], { cwd: work });
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.error).toContain('raadbare wachtwoorden');
    expect(json.notices.join('\n')).toContain('Instellingen uit');
    expect(r.stderr).toBe('');
    // A flag that overrides the risky setting removes the risk.
    const flagged = await runCli(['convert', path, '--password', 'random', '--dry-run'], { cwd: work });
    expect(flagged.code).toBe(0);
  });

  it('an option that differs from the config is said in one line, by the option as typed', async () => {
    const dir = tempDir();
    exportIn(dir);
    copyFileSync(MAPPING, join(dir, 'mapping.csv'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'mapping.csv', delimiter: ',', sso: true, idgebr: 'id.csv' }));
    copyFileSync(fixture('idgebr.csv'), join(dir, 'id.csv'));
    const r = await runCli(['convert', 'magister-export.xlsx', '--delimiter', ';', '--no-sso', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^(--delimiter, --no-sso|--no-sso, --delimiter) gaan deze keer voor op numo-prep\.config\.json\.$/m);
    // The same value as the config is no news: also a list in another order and case, a path through a link.
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'mapping.csv', delimiter: ',', klas: ['1A', '2B'] }));
    symlinkSync(join(dir, 'mapping.csv'), join(dir, 'link.csv'));
    const same = await runCli(['convert', 'magister-export.xlsx', '--delimiter', ',', '--mapping', 'link.csv', '--klas', '2b,1a', '--dry-run'], { cwd: dir });
    expect(same.stderr).not.toMatch(/deze keer voor/);
    // --klas '' widens the run to the whole school: said.
    const all = await runCli(['convert', 'magister-export.xlsx', '--klas', '', '--dry-run'], { cwd: dir });
    expect(all.stderr).toContain("--klas '' gaat deze keer voor op numo-prep.config.json.");
  });

  it('a config whose mapping (or IDGebr file, or list) is the config itself says so, not "een opleidingscode die geen code kan zijn"', async () => {
    const dir = tempDir();
    exportIn(dir);
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'numo-prep.config.json' }));
    const r = await runCli(['convert', 'magister-export.xlsx', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`'mapping' in numo-prep.config.json noemt het configbestand zelf (${join(dir, 'numo-prep.config.json')}). Noem daar de mapping`);
    // The mapping command reads the same settings.
    const workbook = await runCli(['mapping', 'magister-export.xlsx', '--out', 'm.xlsx'], { cwd: dir });
    expect(workbook.code).toBe(2);
    expect(workbook.stderr).toContain("'mapping' in numo-prep.config.json noemt het configbestand zelf");
    // Nor does it replace the config with the workbook (a config under an .xlsx name, --force).
    writeFileSync(join(dir, 'instellingen.xlsx'), JSON.stringify({ version: 1 }));
    const over = await runCli(['mapping', 'magister-export.xlsx', '--config', 'instellingen.xlsx', '--out', 'instellingen.xlsx', '--force'], { cwd: dir });
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('is ook een invoerbestand');
    expect(readFileSync(join(dir, 'instellingen.xlsx'), 'utf8')).toBe(JSON.stringify({ version: 1 }));
    const flag = await runCli(['convert', 'magister-export.xlsx', '--mapping', MAPPING, '--idgebr', 'numo-prep.config.json', '--dry-run'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--idgebr noemt het configbestand zelf');
    expect(flag.stderr).toContain('Geef met --idgebr het IDGebr-bestand.');
  });

  it('a dry run refuses the --out and --previous-report the real run would refuse: its "klaar" holds', async () => {
    const dir = tempDir();
    const path = exportIn(dir);
    writeFileSync(join(dir, 'uit.csv'), 'van gisteren\n');
    expect((await runCli(['convert', path, '--mapping', MAPPING, '--out', 'vorig.csv'], { cwd: dir })).code).toBe(0);
    const dry = (...extra: string[]) => runCli(['convert', path, '--mapping', MAPPING, ...extra, '--dry-run'], { cwd: dir });
    for (const [extra, message] of [
      [['--out', 'uit.csv'], 'uit.csv bestaat al'],
      [['--out', 'vorig.csv', '--previous', 'vorig.csv'], 'is ook een invoerbestand'],
      [['--out', join('nergens', 'uit.csv')], `De map ${join(dir, 'nergens')} bestaat niet`],
      [['--out', 'nieuw.csv', '--previous', 'vorig.csv', '--previous-report', 'uit.csv'], 'uit.csv bestaat al'],
    ] as const) {
      const r = await dry(...extra);
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(message);
      // The real run says the same.
      expect((await runCli(['convert', path, '--mapping', MAPPING, ...extra], { cwd: dir })).stderr).toBe(r.stderr);
    }
    // Today's default name, when it is there already.
    writeFileSync(defaultOutput(path), 'van vanochtend\n');
    expect((await dry()).stderr).toContain(`${defaultOutput(path)} bestaat al`);
    expect((await dry('--out', 'uit.csv', '--force')).code).toBe(0);
    expect(readFileSync(join(dir, 'uit.csv'), 'utf8')).toBe('van gisteren\n');
  });

  it('--json carries every notice of a good run too', async () => {
    const dir = tempDir();
    exportIn(dir);
    copyFileSync(MAPPING, join(dir, 'mapping.csv'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'mapping.csv' }));
    const r = await runCli(['convert', 'magister-export.xlsx', '--dry-run', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notices).toEqual([expect.stringContaining('Instellingen uit')]);
  });

  it.skipIf(process.platform === 'win32')(
    '--config /dev/zero is refused at once',
    async () => {
      const r = await runCli(['convert', fixture('magister-export.xlsx'), '--config', '/dev/zero', '--dry-run']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('geen gewoon bestand');
    },
    5000,
  );
});

/** Every shape the fixtures and corpus have, read with numo-prep's own reader, as rows of cells. */
async function shapes(): Promise<{ name: string; rows: string[][] }[]> {
  const out: { name: string; rows: string[][] }[] = [];
  for (const f of ['magister-export.xlsx', 'magister-export-bewerkt.xlsx', 'magister-export-inline.xlsx', 'magister-export-ansi.csv', 'magister-export-fouten.xlsx']) {
    const input = await loadInput(fixture(f));
    const sheets = await sheetsOf(input);
    for (const sheet of sheets) {
      const rows: string[][] = [];
      for await (const r of sheet.rows) rows.push(r.cells.map((c) => c ?? ''));
      if (rows.some((r) => r.some((c) => /^stamnr$/i.test(c.trim())))) out.push({ name: f, rows });
    }
  }
  return out;
}

/** Columns moved against the header, the ways a hand-edited export gets them. */
function shifted(rows: string[][]): { how: string; rows: string[][] }[] {
  const h = rows.findIndex((r) => r.some((c) => /^stamnr$/i.test(c.trim())));
  const map = (f: (r: string[], i: number) => string[]) => rows.map((r, i) => (i <= h ? r : f(r, i)));
  return [
    { how: 'right', rows: map((r) => ['', ...r]) },
    { how: 'left', rows: map((r) => r.slice(1)) },
    { how: 'two-right', rows: map((r) => ['x', 'y', ...r]) },
    { how: 'every-other-row-left', rows: map((r, i) => (i % 2 ? r.slice(1) : r)) },
    { how: 'header-rotated', rows: rows.map((r, i) => (i === h ? [...r.slice(1), r[0]!] : r)) },
  ];
}

const csvOf = (rows: string[][]) => rows.map((r) => r.map((c) => (/[;"\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n');

describe('personal data never in a message, --json or a kept file, whatever the columns hold', () => {
  it('every fixture shape with shifted columns: no name, e-mail or password in stdout, stderr or --json', async () => {
    const people = [...syntheticStudents(40), ...syntheticStudents(12, 17, 500001)];
    const secrets = new Set(people.flatMap((s) => [s.roepnaam, s.achternaam, s.email]).filter((v) => v.length > 3));
    const dir = tempDir();
    const mapping = join(dir, 'mapping.csv');
    copyFileSync(MAPPING, mapping);
    const before = readFileSync(mapping);
    const runs: { label: string; r: CliResult }[] = [];
    for (const shape of await shapes()) {
      for (const { how, rows } of shifted(shape.rows)) {
        const base = join(dir, `${shape.name}-${how}`);
        writeFileSync(`${base}.csv`, csvOf(rows));
        writeFileSync(`${base}.xlsx`, inlineStringXlsx([{ name: 'Deelnemers', rows: rows as XCell[][] }]));
        for (const file of [`${base}.csv`, `${base}.xlsx`]) {
          runs.push({ label: `${file} text`, r: await runCli(['convert', file, '--mapping', mapping, '--dry-run', '--encoding', 'windows-1252']) });
          runs.push({ label: `${file} json`, r: await runCli(['convert', file, '--mapping', mapping, '--dry-run', '--json']) });
        }
      }
    }
    // check on a Numo CSV with passwords, its columns shifted the same ways.
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out])).code).toBe(0);
    const numo = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(';'));
    for (const p of numo.slice(1)) secrets.add(p[7]!);
    for (const { how, rows } of shifted(numo)) {
      const file = join(dir, `numo-${how}.csv`);
      writeFileSync(file, csvOf(rows));
      runs.push({ label: `check ${how}`, r: await runCli(['check', file]) });
      runs.push({ label: `check ${how} json`, r: await runCli(['check', file, '--json']) });
    }
    for (const { label, r } of runs) {
      expectNoStack(r);
      const text = all(r);
      for (const secret of secrets) expect(text.includes(secret), `${label}: ${secret}\n${text}`).toBe(false);
    }
    expect(readFileSync(mapping)).toEqual(before);
  }, 120_000);

  it('a shifted row is named by its number only, unless the Stamnr is its first field: what stands under Stamnr may be another number', async () => {
    const dir = tempDir();
    // A field missing before Stamnr: the BSN after it moves under Stamnr.
    const path = csvFile(dir, 'export.csv', ['Roepnaam;Achternaam;Stamnr;BSN;Studie', 'Anna;Berg;600001;998870011;2 havo', 'Marie;600002;998872222;2 havo']);
    // The IDGebr join names rows too (no IDGebr for this Stamnr).
    const idgebr = csvFile(dir, 'idgebr.csv', ['Stamnr;IDGebr', '600001;11']);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--idgebr', idgebr, '--dry-run', '--json']);
    expect(r.code).toBe(1);
    expect(all(r)).not.toMatch(/998872222|Marie|998870011/);
    const first = csvFile(dir, 'eerst.csv', ['Stamnr;Roepnaam;Achternaam;Studie', '600001;Anna;Berg;2 havo', '600002;Anna;Marie;Bos;2 havo']);
    expect((await runCli(['convert', first, '--mapping', MAPPING, '--no-config', '--dry-run'])).stderr).toMatch(/verschoven kolommen\?\)\W*\(1×\)\W*: rij 3 \(Stamnr 600002\)/);
  });
});

describe('a column whose header is there twice', () => {
  const header = 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail;E-mail';

  it('many times: one problem per row in a few lines, not one per pair of columns', async () => {
    const dir = tempDir();
    const copies = 900;
    const rows = [
      `${header}${';E-mail'.repeat(copies - 2)}`,
      ...Array.from({ length: 30 }, (_, i) => `${600001 + i};Zoe;;Koster;3M3;3 mavo;a${i}@school.nl${Array.from({ length: copies - 1 }, (_, j) => `;b${j}@school.nl`).join('')}`),
    ];
    const r = await runCli(['convert', csvFile(dir, 'export.csv', rows), '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Kolom 'E-mail' staat 900 keer in de kopregel (kolom G, H, I en 897 meer) en ze verschillen (30×): rij 2 (Stamnr 600001), rij 3 (Stamnr 600002)");
    expect(r.stderr.split('\n').length).toBeLessThan(10);
  });

  it('is an error on each row where the two differ, also where only the twin is filled: nothing written, no address shown', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [
      header,
      '600001;Zoe;de;Koster;3M3;3 mavo;600001@school.nl;',
      '600002;Ruben;;Brouwer;2H3;2 havo;600002@school.nl;600002@school.nl',
      '600003;Ana;;Smit;2H3;2 havo;;600003@school.nl',
      '600004;Bo;;Smit;2H3;2 havo;600004@school.nl;ouder@thuis.nl',
    ]);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Kolom 'E-mail' staat twee keer in de kopregel (kolom G en H) en de twee verschillen (2×): rij 4 (Stamnr 600003), rij 5 (Stamnr 600004)");
    // The twin is compared, not offered as an unused e-mail column.
    expect(all(r)).not.toContain('wordt niet gebruikt');
    expect(all(r)).not.toMatch(/ouder@|600003@/);
    expect(listDir(dir)).toEqual(['export.csv']);
  });

  it('is harmless when the twin is empty or the same on every row', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;Zoe;de;Koster;3M3;3 mavo;600001@school.nl;', '600002;Ruben;;Brouwer;2H3;2 havo;600002@school.nl;600002@school.nl']);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(0);
    expect(all(r)).not.toContain('twee keer');
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toContain(';600002@school.nl;');
  });

  it('an empty first twin of a required column is refused with advice that can be followed (a config names columns by header)', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;Roepnaam', '600001;;de;Koster;3M3;3 mavo;Zoe', '600002;;;Brouwer;2H3;2 havo;Ruben']);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("kolom 'Roepnaam' staat twee keer in de kopregel (kolom B en G); de eerste is leeg in de eerste 2 rijen, de tweede niet. Haal de lege kolom weg");
    expect(r.stderr).not.toContain('numo-prep.config.json');
  });

  it('two spellings of the student number (Stamnr and Leerlingnummer) are compared too; 001234 and 1234 are one Stamnr', async () => {
    const dir = tempDir();
    const lines = ['Leerlingnummer;Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', '1001;001001;Zoe;de;Koster;3M3;3 mavo', '2002;1002;Ruben;;Brouwer;2H3;2 havo', ';1003;Ana;;Smit;2H3;2 havo'];
    const path = csvFile(dir, 'export.csv', lines);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Kolom 'Stamnr' en kolom 'Leerlingnummer' zijn twee namen voor hetzelfde gegeven (kolom B en A) en de twee verschillen (1×): rij 3 (Stamnr 1002)");
    expect(listDir(dir)).toEqual(['export.csv']);
    // A config that names the column is the admin's choice, made with both columns in view.
    const config = join(dir, 'cfg.json');
    writeFileSync(config, JSON.stringify({ version: 1, columns: { stamnr: 'Leerlingnummer' } }));
    const chosen = await runCli(['convert', path, '--mapping', MAPPING, '--config', config, '--dry-run']);
    expect(chosen.stderr).not.toContain('twee namen');
  });

  it.each([
    [
      'a column twice names that file',
      ['Stamnr;IDGebr;IDGebr', '600001;11;11', '600002;12;13'],
      "Kolom 'IDGebr' staat twee keer in de kopregel van idgebr.csv (kolom B en C) en de twee verschillen (1×): rij 3 (Stamnr 600002)",
    ],
    [
      'two spellings of the Stamnr are compared',
      ['Stamnr;Leerlingnummer;IDGebr', '600001;600001;11', '600002;600003;12'],
      "Kolom 'Stamnr' en kolom 'Leerlingnummer' zijn twee namen voor hetzelfde gegeven in idgebr.csv (kolom A en B) en de twee verschillen (1×): rij 3 (Stamnr 600002)",
    ],
    [
      'a row with a field too many is an error: its IDGebr cell holds the column next to it',
      ['Stamnr;Achternaam;Leerjaar;IDGebr', '600001;Koster;3;30001', '600002;Brouwer;jr;2;30002'],
      'Aantal velden wijkt af van de kopregel van idgebr.csv (verschoven kolommen?) (1×): rij 3 (Stamnr 600002)',
    ],
    [
      'a Stamnr written back as a float (pandas) is named per row, not as a file of another school',
      ['Stamnr;IDGebr', '600001.0;30001.0', '600002.0;30002.0'],
      'Stamnr in idgebr.csv is een getal dat Excel of een script veranderde (zoals 100001.0 of 1,00001E+05): zo koppelt het aan geen leerling (2×): rij 2, rij 3',
    ],
  ])('in the IDGebr file: %s', async (_, lines, message) => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;Zoe;de;Koster;3M3;3 mavo;;', '600002;Ruben;;Brouwer;2H3;2 havo;;']);
    const idgebr = csvFile(dir, 'idgebr.csv', lines);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--idgebr', idgebr, '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('Geen enkele Stamnr');
    expect(listDir(dir)).toEqual(['export.csv', 'idgebr.csv']);
  });

  it('a Studie column the config chooses that holds people (Mentor) is refused, in convert and in mapping: its names would be shown and saved', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;Mentor', '600001;Zoe;de;Koster;3M3;2 havo;Jan de Vries', '600002;Sem;;Bos;3M3;2 havo;Jan de Vries']);
    const config = join(dir, 'cfg.json');
    writeFileSync(config, JSON.stringify({ version: 1, columns: { studie: 'Mentor' } }));
    const message = `Het instellingenbestand kiest bij "columns": "studie" de kolom 'Mentor': die noemt personen, geen opleiding.`;
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--config', config, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('Jan de Vries');
    const m = await runCli(['mapping', path, '--config', config, '--out', join(dir, 'm.xlsx')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(message);
    expect(listDir(dir)).toEqual(['cfg.json', 'export.csv']);
    // Other people and compounds that still name them.
    for (const header of [
      'Mentornaam',
      'Coach',
      'SLB',
      'Tutor',
      'Docentcode',
      'Naam begeleider',
      'Studiecoach',
      'Loopbaanbegeleider',
      'Klassendocent',
      'Leerlingbegeleidernaam',
      'Klassenleider',
      'Decaan',
      'Afdelingsleider',
      'Teamleider',
      'Zorgcoördinator',
    ]) {
      writeFileSync(config, JSON.stringify({ version: 1, columns: { studie: header } }));
      const people = csvFile(dir, 'mensen.csv', [`Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;${header}`, '600001;Zoe;de;Koster;3M3;2 havo;Jan de Vries']);
      const p = await runCli(['convert', people, '--mapping', MAPPING, '--config', config, '--dry-run']);
      expect(p.stderr, header).toContain(`de kolom '${header}': die noemt personen`);
    }
    // A word that only contains such a word names no people.
    const other = csvFile(dir, 'export2.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Leerroute docentenopleiding', '600001;Zoe;de;Koster;3M3;2 havo']);
    writeFileSync(config, JSON.stringify({ version: 1, columns: { studie: 'Leerroute docentenopleiding' } }));
    const ok = await runCli(['convert', other, '--mapping', MAPPING, '--config', config, '--dry-run']);
    expect(ok.code).toBe(0);
  });

  it("a column choice from last year's export that drops this year's data is named: no column for tussenvoegsel, or a chosen column that is empty", async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [
      'Stamnr;Roepnaam;Tussenv.;Voorvoegsel;Achternaam;Klas;Studie;E-mail',
      '600001;Zoe;van der;;Berg;3M3;2 havo;z@school.nl',
      '600002;Sem;;;Bos;3M3;2 havo;s@school.nl',
    ]);
    const config = join(dir, 'cfg.json');
    for (const choice of ['', 'Voorvoegsel']) {
      writeFileSync(config, JSON.stringify({ version: 1, columns: { tussenvoegsel: choice } }));
      const r = await runCli(['convert', path, '--mapping', MAPPING, '--config', config, '--out', join(dir, 'numo.csv')]);
      // "No column" is certain: an error. A chosen column empty in the first rows may fill later: a warning, and an
      // error once it stayed empty in every row.
      expect(r.code, choice).toBe(1);
      if (choice) expect(r.stderr).toContain("Kolom 'Voorvoegsel', die numo-prep.config.json kiest voor tussenvoegsel, is in alle rijen leeg, maar kolom 'Tussenv.' heeft gegevens");
      expect(r.stderr).toContain(
        choice
          ? `Kolom 'Tussenv.' lijkt een tussenvoegsel en heeft gegevens, maar numo-prep.config.json kiest bij "columns" voor tussenvoegsel kolom 'Voorvoegsel', die in de eerste 2 rijen leeg is: staan de gegevens in de goede kolom?`
          : `Kolom 'Tussenv.' lijkt een tussenvoegsel en heeft gegevens, maar numo-prep.config.json zegt bij "columns" "tussenvoegsel": "" (geen kolom): die gegevens komen niet in Numo`,
      );
      expect(r.stderr).toContain('zet dan in numo-prep.config.json bij "columns" "tussenvoegsel": "Tussenv."');
      expect(listDir(dir)).toEqual(['cfg.json', 'export.csv']);
    }
    // Filled below the first rows: a warning only.
    const late = csvFile(dir, 'laat.csv', [
      'Stamnr;Roepnaam;Tussenv.;Voorvoegsel;Achternaam;Klas;Studie;E-mail',
      ...Array.from({ length: 260 }, (_, i) => `${600100 + i};Zoe;${i % 3 ? '' : 'van'};${i === 250 ? 'de' : ''};Berg;3M3;2 havo;z${i}@school.nl`),
    ]);
    writeFileSync(config, JSON.stringify({ version: 1, columns: { tussenvoegsel: 'Voorvoegsel' } }));
    const later = await runCli(['convert', late, '--mapping', MAPPING, '--config', config, '--dry-run']);
    expect(later.code).toBe(0);
    expect(later.stderr).toContain('die in de eerste 200 rijen leeg is');
    // Klas or e-mail left out on purpose is the school's choice; a chosen klas column that is empty is named.
    writeFileSync(config, JSON.stringify({ version: 1, columns: { email: '' } }));
    expect((await runCli(['convert', path, '--mapping', MAPPING, '--config', config, '--dry-run'])).stderr).not.toContain('heeft gegevens');
    writeFileSync(config, JSON.stringify({ version: 1, columns: { klas: 'Voorvoegsel' } }));
    const klas = await runCli(['convert', path, '--mapping', MAPPING, '--config', config, '--dry-run']);
    expect(klas.code).toBe(0);
    expect(klas.stderr).toContain(`Kolom 'Klas' lijkt een klas en heeft gegevens, maar numo-prep.config.json kiest bij "columns" voor klas kolom 'Voorvoegsel', die in de eerste 2 rijen leeg is`);
  });

  it.each([
    // Another required field's own column.
    ['Achternaam', `Het instellingenbestand kiest bij "columns" "studie" de kolom 'Achternaam', maar dat is de kolom Achternaam, die numo-prep ook nodig heeft.`, "Kolom 'Achternaam' niet gevonden"],
    // A column the export lacks.
    ['Leerroute', `export.csv heeft geen kolom 'Leerroute', die het instellingenbestand kiest bij "columns": "studie".`, "Kolom 'Studie' niet gevonden"],
  ])("a Studie column the config chooses (%s) that cannot be used is named as the config's choice", async (studie, message, notMessage) => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;Zoe;de;Koster;3M3;2 havo;;']);
    const config = join(dir, 'cfg.json');
    writeFileSync(config, JSON.stringify({ version: 1, columns: { studie } }));
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--config', config, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain(notMessage);
  });

  it("the line to add for an unmapped Studie follows the mapping file's own column order", async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;Zoe;de;Koster;3M3;2 havo;;']);
    const mapping = csvFile(dir, 'mapping.csv', ['Opleidingscode;Omschrijving;Studie', 'VB-HAVO-3;derde klas;3 havo']);
    const r = await runCli(['convert', path, '--mapping', mapping, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Voeg deze regel toe aan mapping.csv: <opleidingscode>;;2 havo  (of -;;2 havo als deze leerlingen niet naar Numo gaan)');
    // Added as told, it is read as meant.
    writeFileSync(mapping, 'Opleidingscode;Omschrijving;Studie\r\nVB-HAVO-3;derde klas;3 havo\r\nVB-HAVO-2;;2 havo\r\n');
    const again = await runCli(['convert', path, '--mapping', mapping, '--no-config', '--dry-run']);
    expect(again.code).toBe(0);
  });

  it('check never shows a name that stands where the opleidingscode goes, and says where to correct it', async () => {
    const dir = tempDir();
    const numo = join(dir, 'numo.csv');
    writeFileSync(
      numo,
      'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n600001;Zoe;;Koster;3M3;Jan de Vries;;Geheim-12345;leerling\r\n600002;Sem;;Bos;3M3;VB-HAVO-9;;Geheim-12345;leerling\r\n',
    );
    const list = csvFile(dir, 'opleidingen.csv', ['Opleidingscode;Omschrijving', 'VB-HAVO-2;Havo 2']);
    const r = await runCli(['check', numo, '--opleidingen', list]);
    expect(r.code).toBe(1);
    expect(all(r)).not.toContain('Jan de Vries');
    // With shifted columns the cell may hold a name or a password: no value of the file is shown.
    expect(all(r)).toContain('Opleidingscode staat niet in de lijst met Numo-opleidingen (2×): rij 2 (Stamnr 600001), rij 3 (Stamnr 600002)');
    expect(all(r)).toContain('Verbeter de code in het bestand');
  });

  it('a mapping that is the export or the IDGebr file is refused before anything is read: new lines would go into an input', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;Zoe;de;Koster;3M3;3 mavo;;']);
    const idgebr = csvFile(dir, 'idgebr.csv', ['Stamnr;IDGebr', '600001;30001']);
    const before = readFileSync(path);
    const r = await runCli(['convert', path, '--mapping', `${dir}/./export.csv`, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--mapping ${dir}/export.csv is hetzelfde bestand als de export. Geef met --mapping het eigen bestand; invoer wordt nooit gewijzigd.`);
    const id = await runCli(['convert', path, '--mapping', idgebr, '--idgebr', idgebr, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(id.code).toBe(2);
    expect(id.stderr).toContain('is hetzelfde bestand als het IDGebr-bestand');
    expect(readFileSync(path)).toEqual(before);
    expect(listDir(dir)).toEqual(['export.csv', 'idgebr.csv']);
  });

  it('--out - and --out in a folder that is a file are refused with what they are', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;Zoe;de;Koster;3M3;3 mavo;;']);
    const dash = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', '-'], { cwd: dir });
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain(`--out ${join(dir, '-')}: numo-prep schrijft een bestand, niet naar het scherm`);
    const inFile = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', join(path, 'numo.csv')]);
    expect(inFile.code).toBe(2);
    expect(inFile.stderr).toContain(`${path} is een bestand, geen map. Kies met --out een andere plek.`);
    expect(listDir(dir)).toEqual(['export.csv']);
  });

  it("'t and 's whose apostrophe Excel dropped are a warning; with their apostrophe, and surnames like Sanders, not", async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [
      header,
      '600001;Zoe;s;Gravesande;3M3;3 mavo;;',
      '600002;Ruben;;s-Gravesande;2H3;2 havo;;',
      "600003;Sem;'s;Jacob;2H3;2 havo;;",
      '600004;Eva;;Sanders;2H3;2 havo;;',
      "600005;Bo;van 's;Gravenzande;2H3;2 havo;;",
    ]);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "t of s zonder apostrof in het tussenvoegsel of aan het begin van de achternaam (zoals 't Hart of 's-Gravesande): Excel laat een ' aan het begin van een cel weg (2×): rij 2 (Stamnr 600001), rij 3 (Stamnr 600002)",
    );
  });

  it('a Stamnr or gebruikersnaam that a spreadsheet wrote back as a float or in scientific notation is named as such', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001.0;Zoe;de;Koster;3M3;3 mavo;;', '6,00002E+05;Ruben;;Brouwer;2H3;2 havo;;', '600003;Sem;;Bos;2H3;2 havo;;']);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Stamnr is een getal dat Excel of een script veranderde (zoals 100001.0 of 1,00001E+05): zo koppelt het aan geen leerling (2×): rij 2, rij 3');
    expect(r.stderr).not.toContain('Stamnr is geen nummer');
    expect(r.stderr).not.toContain('Gebruikersnaam is een getal');
    const numo = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';
    const check = await checkNumo(`${numo}\r\n600001.0;Zoe;;Koster;3M3;VB-HAVO-3;;Geheim-12345;leerling\r\n1,23457E+11;Sem;;Bos;3M3;VB-HAVO-3;;Geheim-12345;leerling\r\n`);
    expect(check.code).toBe(1);
    expect(all(check)).toContain('Gebruikersnaam is een getal dat Excel of een script veranderde (zoals 100001.0 of 1,23457E+11) (2×): rij 2, rij 3');
    // A login from another column ({login}) is named by convert too: check would refuse what it wrote.
    const logins = csvFile(dir, 'logins.csv', ['Stamnr;Roepnaam;Achternaam;Studie;Loginaccount.Naam', '600001;Zoe;Koster;3 mavo;100001.0', '600002;Ruben;Brouwer;2 havo;100002']);
    const login = await runCli(['convert', logins, '--mapping', MAPPING, '--no-config', '--dry-run', '--gebruikersnaam', '{login}']);
    expect(login.code).toBe(1);
    expect(login.stderr).toMatch(/Gebruikersnaam is een getal dat Excel of een script veranderde \(zoals 100001\.0 of 1,23457E\+11\)\W*\(1×\)\W*: rij 2 \(Stamnr 600001\)\n/);
  });

  it('a name double-encoded at the end of a word (Martí, Vilà, MILOŠ: Ã or Å and a soft hyphen or no-break space) is refused', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;MartÃ\u00ad;;Koster;3M3;3 mavo;;', '600002;Ruben;;VilÃ\u00a0 Puig;2H3;2 havo;;', '600003;MILOÅ\u00a0;;Bos;2H3;2 havo;;']);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Letters als Ã« \(voor ë\) in kolom voornaam[^\n]*\(2×\): rij 2 \(Stamnr 600001\), rij 4 \(Stamnr 600003\)/);
    expect(r.stderr).toMatch(/Letters als Ã« \(voor ë\) in kolom achternaam[^\n]*: rij 3 \(Stamnr 600002\)/);
  });

  it('an IDGebr workbook with a second list names that sheet', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [header, '600001;Zoe;de;Koster;3M3;3 mavo;;', '600002;Ruben;;Brouwer;2H3;2 havo;;']);
    const idgebr = join(dir, 'idgebr.xlsx');
    writeFileSync(
      idgebr,
      inlineStringXlsx([
        {
          name: 'Vorig jaar',
          rows: [
            ['Stamnr', 'IDGebr'],
            [600001, 11],
          ],
        },
        {
          name: 'Nu',
          rows: [
            ['Stamnr', 'IDGebr'],
            [600001, 11],
            [600002, 12],
          ],
        },
      ]),
    );
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--idgebr', idgebr, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Ook werkblad 'Nu' van idgebr.xlsx heeft de kolommen Stamnr en IDGebr; gelezen is 'Vorig jaar'");
  });

  it('in a Numo file for check is an error whatever the values: which of the two Numo reads is not known', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'numo.csv', [
      'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol;voornaam',
      '600001;Zoe;de;Koster;3M3;VB-HAVO-2;;Geheim-12345;leerling;Zoe',
    ]);
    const r = await runCli(['check', path]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("Kolom 'voornaam' staat twee keer in de kopregel (kolom B en J)");
  });

  it('check: one IDGebr on two rows is an error', async () => {
    const dir = tempDir();
    const head = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol;IDGebr';
    const path = csvFile(dir, 'numo.csv', [head, '600001;Zoe;de;Koster;3M3;VB-HAVO-2;;Geheim-12345;leerling;30001', '600002;Bo;;Bos;3M3;VB-HAVO-2;;Geheim-12346;leerling;30001']);
    const r = await runCli(['check', path]);
    expect(r.code).toBe(1);
    expect(all(r)).toMatch(/IDGebr komt dubbel voor: .*\(1×\): rij 3 .*eerder in rij 2\)/);
  });
});

describe('rows hidden in Excel', () => {
  it('are converted (they are in the file) with a warning naming each row: a filter hides rows, it does not remove them', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    for (const n of [1, 2, 3, 4]) ws.addRow([600000 + n, 'Sam', '', 'Jansen', '2H1', '2 havo']);
    ws.getRow(3).hidden = true;
    ws.getRow(5).hidden = true;
    await wb.xlsx.writeFile(join(dir, 'export.xlsx'));
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Rij is in Excel verborgen (een filter of verborgen rij) en toch omgezet (2×): rij 3 (Stamnr 600002), rij 5 (Stamnr 600004)');
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(5);
  });
});

describe('a Klas Excel turned into a number', () => {
  it('shown in scientific notation (1E1 typed, 1,00E+01 shown) is named in a workbook too; a Stamnr so shown is its number', async () => {
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Sam', '', 'Jansen', 10, '2 havo']);
    ws.addRow([600002, 'Eva', '', 'Bos', '2H1', '2 havo']);
    ws.getCell('E2').numFmt = '0.00E+00';
    ws.getCell('A3').numFmt = '0.00E+00';
    await wb.xlsx.writeFile(join(dir, 'export.xlsx'));
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Klas lijkt een getal als 1,00E+01: Excel heeft de klas (zoals 1E1) in een getal veranderd (1×): rij 2 (Stamnr 600001)');
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toMatch(/\r\n600001;Sam;;Jansen;10;VB-HAVO-2;.*\r\n600002;Eva;;Bos;2H1;/);
  });

  it('a fraction (1.10 typed, the number 1.1 kept) is named in a workbook; a whole number (101) and a Tussenvoegsel t are read as they are', async () => {
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Sam', '', 'Jansen', 1.1, '2 havo']);
    ws.addRow([600002, 'Eva', 't', 'Hart', 101, '2 havo']);
    await wb.xlsx.writeFile(join(dir, 'export.xlsx'));
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Klas is in het werkblad een kommagetal (zoals 1.1): een klas als 1.10 is dan 1.1 geworden (1×): rij 2 (Stamnr 600001)');
    expect(r.stderr).toContain(
      "t of s zonder apostrof in het tussenvoegsel of aan het begin van de achternaam (zoals 't Hart of 's-Gravesande): Excel laat een ' aan het begin van een cel weg (1×): rij 3 (Stamnr 600002)",
    );
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toMatch(/\r\n600001;Sam;;Jansen;1\.1;VB-HAVO-2;.*\r\n600002;Eva;t;Hart;101;/);
  });

  it('a Klas its format shows otherwise is named: a fraction rounded by 0 or 00 (1.6 shown as 2), a 0 shown as nothing', async () => {
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Sam', '', 'Jansen', 1.6, '2 havo']);
    ws.addRow([600002, 'Eva', '', 'Bos', 2.4, '2 havo']);
    ws.addRow([600003, 'Ali', '', 'Smit', 0, '2 havo']);
    ws.addRow([600004, 'Mo', '', 'Vos', 3, '2 havo']);
    ws.getCell('E2').numFmt = '0';
    ws.getCell('E3').numFmt = '00';
    ws.getCell('E4').numFmt = '0;-0;;@';
    ws.getCell('E5').numFmt = '00';
    await wb.xlsx.writeFile(join(dir, 'export.xlsx'));
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Klas is in het werkblad een kommagetal (zoals 1.1): een klas als 1.10 is dan 1.1 geworden (2×): rij 2 (Stamnr 600001), rij 3 (Stamnr 600002)');
    expect(r.stderr).toContain("Klas is 0: wat een formule geeft voor een lege cel (Excel laat zo'n 0 soms niet zien) (1×): rij 4 (Stamnr 600003)");
    // The number is read, as ever; a whole one as its format shows it.
    expect(readFileSync(join(dir, 'numo.csv'), 'utf8')).toMatch(/\r\n600001;Sam;;Jansen;1\.6;.*\r\n600002;Eva;;Bos;2\.4;.*\r\n600003;Ali;;Smit;0;.*\r\n600004;Mo;;Vos;03;/);
  });

  it('a mapping workbook code that is a fraction (25168.4, shown as 25168 in a format of 0s) is refused with its row', async () => {
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Mapping');
    ws.addRow(['Studie', 'Opleidingscode']);
    ws.addRow(['1 havo', 25168]);
    ws.addRow(['2 havo', 25168.4]);
    ws.getCell('B3').numFmt = '0';
    await wb.xlsx.writeFile(join(dir, 'mapping.xlsx'));
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', join(dir, 'mapping.xlsx'), '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'mapping.xlsx: een opleidingscode die geen code kan zijn (rij 3: dat is een kommagetal in het werkblad (Excel toont het misschien afgerond): zet de code zelf in de cel)',
    );
    expect(listDir(dir)).toEqual(['mapping.xlsx']);
  });

  it('a Studie that is a fraction (2.10 saved as 2.1 by a spreadsheet) is named: 2.1 and 2.10 would get one code', async () => {
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Sam', '', 'Jansen', '2A', 2.1]);
    await wb.xlsx.writeFile(join(dir, 'export.xlsx'));
    writeFileSync(join(dir, 'map.csv'), 'Studie;Opleidingscode\r\n2.1;VB-HAVO-2\r\n2.10;VB-VWO-2\r\n');
    const r = await runCli(['convert', join(dir, 'export.xlsx'), '--mapping', join(dir, 'map.csv'), '--no-config', '--dry-run']);
    expect(r.stderr).toContain('Studie is in het werkblad een kommagetal (zoals 1.1): een Studie als 1.10 is dan 1.1 geworden (1×): rij 2 (Stamnr 600001)');
  });
});

describe('letters lost or changed before numo-prep saw the file', () => {
  const header = 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie';
  const write = (dir: string, lines: string[], encode: (text: string) => Buffer = (t) => Buffer.from(t, 'utf8')) => {
    const path = join(dir, 'export.csv');
    writeFileSync(path, encode(`${[header, ...lines].join('\r\n')}\r\n`));
    return path;
  };

  it('refuses a DOS (cp850) CSV also where the accent ends the word: Zoë and José would read Zo‰ and Jos‚', async () => {
    const dir = tempDir();
    // cp850: ë = 0x89, é = 0x82; the rest is ASCII.
    const path = write(dir, ['600001;Zoe;;Koster;3M3;2 havo', '600002;Zo\u0089;;Smit;3M3;2 havo'], (t) => Buffer.from(t, 'latin1'));
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('export.csv, regel 3: onbekende tekencodering');
    // Not "save it again from Excel": Excel reads it as Windows-1252 too, and its UTF-8 keeps the wrong letters.
    expect(r.stderr).toContain('Maak het bestand opnieuw (een export als Excel-werkmap .xlsx of als CSV UTF-8), of typ die regel opnieuw; openen en opslaan in Excel maakt de letters niet goed.');
  });

  it('is an error for UTF-8 that was read as ANSI and saved again (Zoë as ZoÃ«), and for a control character where a ’ was', async () => {
    const dir = tempDir();
    const path = write(dir, [
      '600001;Zo\u00c3\u00ab;;Koster;3M3;2 havo',
      '600002;Ruben;;D\u0092Souza;2H3;2 havo',
      '600003;\u00c3lvaro;;\u00c5se;2H3;2 havo',
      '600004;Zo\u00eb;;Cel\u00c4\u00b1k;2H3;2 havo',
    ]);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Letters als Ã« (voor ë) in kolom voornaam: de tekst is ooit verkeerd omgezet (UTF-8 als ANSI gelezen en weer opgeslagen) (1×): rij 2 (Stamnr 600001)');
    expect(r.stderr).toContain('in kolom achternaam: de tekst is ooit verkeerd omgezet (UTF-8 als ANSI gelezen en weer opgeslagen) (1×): rij 5 (Stamnr 600004)');
    expect(r.stderr).toContain('Onzichtbaar stuurteken in kolom Achternaam: daar stond een teken dat verkeerd is omgezet (zoals ’ of €) (1×): rij 3 (Stamnr 600002)');
    // Ã, Å and Ä before a letter are real names.
    expect(r.stderr).not.toContain('rij 4');
  });

  it('is an error for í, à and Š double-encoded, whose second character is a soft hyphen or a no-break space', async () => {
    const dir = tempDir();
    const path = write(dir, [
      '600001;Mart\u00c3\u00adn;;Koster;3M3;2 havo',
      '600002;Lu\u00c3\u00ads;;D\u00c3\u00a0vila;2H3;2 havo',
      '600003;\u00c5\u00a0imon;;Jansen;2H3;2 havo',
      '600004;Jo\u00e3o;;Dvo\u0159\u00e1k\u00a0;2H3;2 havo',
    ]);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Letters als Ã« \(voor ë\) in kolom voornaam: .* \(3×\): rij 2 \(Stamnr 600001\), rij 3 \(Stamnr 600002\), rij 4 \(Stamnr 600003\)/);
    expect(r.stderr).toMatch(/Letters als Ã« \(voor ë\) in kolom achternaam: .* \(1×\): rij 3 \(Stamnr 600002\)/);
    expect(r.stderr).not.toContain('rij 5');
    const check = await checkNumo('gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n600001;Mart\u00c3\u00adn;;Koster;3M3;VB-HAVO-2;;Geheim-12345;leerling\r\n');
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain('Letters als Ã« (voor ë) in kolom voornaam');
  });

  it('a correct Windows-1252 export with JOSÉ + no-break space or Strauß–Bauer, and capitals with Ä– or Å—, read as they are', async () => {
    const dir = tempDir();
    const lines = [
      'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie',
      '600001;Chlo\u00eb;;Jansen;3M3;2 havo',
      '600002;JOS\u00c9\u00a0MARIA;;SANTOS;2H3;2 havo',
      '600003;Sophie;;Strau\u00df\u2013Bauer;2H3;2 havo',
      '600004;Aino;;J\u00c4RVEL\u00c4\u2013VIRTANEN;2H3;2 havo',
    ];
    const path = join(dir, 'export.csv');
    writeFileSync(path, encodeCp1252(`${lines.join('\r\n')}\r\n`));
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', out, '--encoding', 'windows-1252', '--password', 'none']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('door elkaar');
    // Ä– before a capital may also be a double-encoded Ė: named, not refused.
    expect(r.stderr).toContain('Ä– of Å– voor een hoofdletter in kolom achternaam: een dubbele naam in hoofdletters (JÄRVELÄ–VIRTANEN), of een verkeerd omgezette Ė of Ŗ (1×): rij 5 (Stamnr 600004)');
    const written = decodeCp1252(readFileSync(out));
    for (const name of ['JOS\u00c9 MARIA', 'Strau\u00df\u2013Bauer', 'J\u00c4RVEL\u00c4\u2013VIRTANEN']) expect(written).toContain(name);
    // check reads convert's own Windows-1252 file as it was written.
    const check = await runCli(['check', out]);
    expect(check.code).toBe(0);
  });

  it('check finds a control character in a Numo file too', async () => {
    const r = await checkNumo('gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol\r\n600001;Ruben;;D\u0092Souza;2H3;VB-HAVO-2;;Geheim-12345;leerling\r\n');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('Onzichtbaar stuurteken in kolom achternaam');
  });
});

describe('rows above the header', () => {
  const header = ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie'];
  const zoe = ['600001', 'Zoe', 'de', 'Koster', '3M3', '2 havo'];
  const ruben = ['600002', 'Ruben', '', 'Brouwer', '2H3', '2 havo'];

  it('are refused when they hold data in the header columns: a list sorted with its header row in it lost them silently', async () => {
    const dir = tempDir();
    const xlsx = join(dir, 'gesorteerd.xlsx');
    writeFileSync(xlsx, inlineStringXlsx([{ name: 'Blad1', rows: [ruben, header, zoe] }]));
    const csv = join(dir, 'gesorteerd.csv');
    writeFileSync(csv, `${[ruben, header, zoe].map((r) => r.join(';')).join('\r\n')}\r\n`);
    for (const path of [xlsx, csv]) {
      const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
      expect(r.code, path).toBe(2);
      expect(r.stderr).toContain(`${basename(path)}: rij 1 staat boven de kopregel (rij 2) maar heeft gegevens in de kolommen ervan`);
      expect(r.stderr).not.toMatch(/Ruben|Brouwer/);
    }
    expect(existsSync(join(dir, 'numo.csv'))).toBe(false);
  });

  it('are fine as title rows (a cell or two, or no Stamnr in the Stamnr column)', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    writeFileSync(path, inlineStringXlsx([{ name: 'Blad1', rows: [['Deelnemers 2026-2027', 'Vestiging Noord'], ['Gemaakt door', 'Magister', 'op 1-9-2026'], header, zoe, ruben] }]));
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(0);
  });
});

describe('check says what convert says', () => {
  it('warns about a Klas that Excel made a date, and names misspelt headers in one line', async () => {
    const r = await checkNumo('Gebruikersnaam;Voornaam;tussenvoegsel;Achternaam;klas;Opleiding;e-mail;wachtwoord;rol\r\n600001;Zoe;;Koster;1-feb;VB-HAVO-2;;Geheim-12345;leerling\r\n');
    const text = r.stdout + r.stderr;
    expect(r.code).toBe(0);
    expect(text).toContain('Klas lijkt een datum');
    expect(text).toContain("4 kolomkoppen heten in Numo anders: 'Gebruikersnaam' heet 'gebruikersnaam', 'Voornaam' heet 'voornaam', 'Achternaam' heet 'achternaam' …");
  });

  it('a Numo file without its opleiding column is named as such, not as a staff list', async () => {
    const r = await checkNumo('gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;e-mail;wachtwoord;rol\r\n600001;Zoe;;Koster;2V3;;Geheim-12345;leerling\r\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Kolom 'opleiding' niet gevonden in numo.csv, en 1 leerling heeft er een nodig");
    expect(r.stderr).not.toContain('--rol docent');
    // A file of only docenten needs none: staff have no opleiding in Numo.
    const staff = await checkNumo('gebruikersnaam;voornaam;tussenvoegsel;achternaam;e-mail;wachtwoord;rol\r\naaalst;Anna;;Aalst;a@school.nl;Geheim-12345;docent\r\n');
    expect(staff.code, staff.stderr).toBe(0);
  });

  it('an empty mapping or last-year file is not called an export', async () => {
    const dir = tempDir();
    const empty = join(dir, 'vorig.csv');
    writeFileSync(empty, '');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--previous', empty, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vorig.csv is leeg (0 bytes). Kies het juiste bestand, of maak het opnieuw.');
  });
});

describe("a workbook with a students' and a staff sheet", () => {
  it("with --rol docent, the staff sheet is read and the students' sheet named as skipped", async () => {
    const path = join(tempDir(), 'lijsten.xlsx');
    const wb = new ExcelJS.Workbook();
    // Two students' sheets (this year's and last year's) before the staff sheet.
    for (const name of ['Leerlingen', 'Leerlingen 2025']) {
      const students = wb.addWorksheet(name);
      students.addRow(['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie']);
      students.addRow([600001, 'Zoe', 'Koster', '1A', '1 havo']);
    }
    const staff = wb.addWorksheet('Medewerkers');
    staff.addRow(['Stamnr', 'Code', 'Roepnaam', 'Achternaam', 'Functie']);
    staff.addRow([9001, 'AAL', 'Frank', 'Aalders', 'Docent']);
    await wb.xlsx.writeFile(path);
    const out = join(tempDir(), 'docenten.csv');
    const r = await runCli(['convert', path, '--rol', 'docent', '--no-config', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("werkblad 'Medewerkers' (van 3 bladen)");
    expect(r.stderr).toContain("Werkbladen 'Leerlingen', 'Leerlingen 2025' zijn leerlingenlijsten en zijn overgeslagen (--rol docent)");
    expect(readFileSync(out, 'utf8').split('\r\n')[1]).toMatch(/^AAL;Frank;;Aalders;;;;[^;]+;docent$/);
  });

  it("a student run on a workbook whose staff sheet comes first reads the students' sheet", async () => {
    const path = join(tempDir(), 'lijsten.xlsx');
    const wb = new ExcelJS.Workbook();
    const staff = wb.addWorksheet('Medewerkers');
    staff.addRow(['Stamnr', 'Code', 'Roepnaam', 'Achternaam', 'Functie', 'Klas']);
    staff.addRow([9001, 'AAL', 'Frank', 'Aalders', 'Docent', '']);
    const students = wb.addWorksheet('Leerlingen');
    students.addRow(['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie']);
    students.addRow([600001, 'Zoe', 'Koster', '1A', '1 havo']);
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("werkblad 'Leerlingen' (van 2 bladen)");
  });

  it('with --rol docent and only students on the other sheet too, the refusal says so for both', async () => {
    const path = join(tempDir(), 'lijsten.xlsx');
    const wb = new ExcelJS.Workbook();
    for (const name of ['Leerlingen', 'Vorig jaar']) {
      const students = wb.addWorksheet(name);
      students.addRow(['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie']);
      students.addRow([600001, 'Zoe', 'Koster', '1A', '1 havo']);
    }
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--rol', 'docent', '--no-config', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("numo-prep: Werkblad 'Leerlingen' is een leerlingenlijst en is overgeslagen (--rol docent). lijsten.xlsx, werkblad 'Vorig jaar', lijkt een leerlingenlijst");
    expect(r.stderr).toContain('Staat de personeelslijst op een ander werkblad? Kopieer dat blad naar een nieuwe werkmap en zet die om met --rol docent.');
  });
});

describe('check takes what Numo takes', () => {
  it("a workbook with Numo's headers is not yet a file Numo reads", async () => {
    const path = join(tempDir(), 'numo.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow(['gebruikersnaam', 'voornaam', 'tussenvoegsel', 'achternaam', 'klas', 'opleiding', 'e-mail', 'wachtwoord', 'rol']);
    ws.addRow(['1001', 'Jan', '', 'Hof', '1A', 'VB-HAVO-1', '', 'Welkom1234', 'leerling']);
    await wb.xlsx.writeFile(path);
    const r = await runCli(['check', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Numo leest alleen CSV, geen Excel-werkmap');
  });

  it('an edited Numo file: what a spreadsheet or a hand edit leaves that Numo would take wrongly', async () => {
    const dir = tempDir();
    const head = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';
    const file = (name: string, lines: string[], prefix = '\ufeff') => {
      const path = join(dir, name);
      writeFileSync(path, prefix + [head, ...lines].join('\r\n'));
      return path;
    };
    const row = (login: string, extra: Partial<Record<'klas' | 'email' | 'pw' | 'opl' | 'voornaam', string>> = {}) =>
      `${login};${extra.voornaam ?? 'Zoe'};;Berg;${extra.klas ?? '1H1'};${extra.opl ?? 'VB-HAVO-1'};${extra.email ?? ''};${extra.pw ?? 'Welkom12ab'};leerling`;
    const cases: [string, string][] = [
      // One Stamnr under two logins: two accounts.
      [file('zeros.csv', [row('001201'), row('1201')]), 'Gebruikersnaam komt dubbel voor (hoofdletters, accenten en voorloopnullen tellen niet mee) (1×): rij 3'],
      // Alt+Enter in a name (quoted, as Excel writes it).
      [file('break.csv', [row('1201', { voornaam: '"Tess\nMaria"' })]), 'Regeleinde in een cel van kolom voornaam (Alt+Enter in Excel)'],
      // FileMaker's line break in a field (a vertical tab), which convert reads as a line break too.
      [file('vt.csv', [row('1201', { voornaam: 'Tess\u000bMaria' })]), 'Regeleinde in een cel van kolom voornaam (Alt+Enter in Excel)'],
      // Excel's text sign typed into a CSV.
      [file('quote.csv', [row("'1201"), row('1202', { email: "'zoe@school.nl" })]), "Waarde in kolom gebruikersnaam begint met ': Numo neemt dat teken over"],
      [file('quote-mail.csv', [row('1202', { email: "'zoe@school.nl" })]), "Waarde in kolom e-mail begint met '"],
      // Python read utf-8 and wrote utf-8-sig: a second BOM.
      [file('bom.csv', [row('1201')], '\ufeff\ufeff'), 'Het bestand begint met twee onzichtbare tekens (BOM) in plaats van één'],
    ];
    for (const [path, message] of cases) {
      const r = await runCli(['check', path]);
      expect(r.code, basename(path)).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/Zoe|Tess|zoe@/);
    }
    // Warnings: a password Excel changed, a column Numo does not use, a UTF-16 file.
    const warned = await runCli(['check', file('warn.csv', [row('1201', { pw: '1,23457E+11' })])]);
    expect(warned.stderr).toContain('Wachtwoord is een getal dat Excel of een script veranderde');
    writeFileSync(join(dir, 'extra.csv'), `\ufeff${head};Geboortedatum\r\n${row('1201')};2010-05-01\r\n`);
    const extra = await runCli(['check', join(dir, 'extra.csv')]);
    expect(extra.code).toBe(0);
    expect(extra.stderr).toContain("Kolom J hoort niet bij Numo's kolommen: Numo gebruikt hem niet");
    // pandas' index: a column without a header, filled.
    writeFileSync(join(dir, 'index.csv'), `\ufeff;${head}\r\n0;${row('1201')}\r\n`);
    expect((await runCli(['check', join(dir, 'index.csv')])).stderr).toContain("Kolom A hoort niet bij Numo's kolommen");
    // A klas with a space at the end: another klas in Numo, perhaps.
    const spaced = await runCli(['check', file('klas.csv', [row('1201', { klas: '3M3 ' })])]);
    expect(spaced.code).toBe(0);
    expect(spaced.stderr).toContain('Spatie of onzichtbaar teken in de klas');
    writeFileSync(join(dir, 'unicode.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([head, row('1201')].join('\r\n').replaceAll(';', '\t'), 'utf16le')]));
    expect((await runCli(['check', join(dir, 'unicode.txt')])).stderr).toContain('Het bestand is UTF-16 ("Unicode-tekst")');
    // With Numo's list, a code in another case is an error, as a rol 'Leerling' is.
    const list = join(dir, 'opleidingen.csv');
    writeFileSync(list, 'Opleidingscode;Omschrijving\r\nVB-HAVO-1;Havo 1\r\n');
    const cased = await runCli(['check', file('case.csv', [row('1201', { opl: 'vb-havo-1' })]), '--opleidingen', list]);
    expect(cased.code).toBe(1);
    expect(cased.stderr).toContain("Opleidingscode 'vb-havo-1' heet in de lijst met Numo-opleidingen 'VB-HAVO-1'");
  });
});

describe('cells merged down in Excel', () => {
  it('every block counts, also after thousands of others (the first 10,000 were kept, a lost tussenvoegsel after them passed)', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    const rows: XCell[][] = [['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'Opmerking']];
    for (let i = 1; i <= 12_000; i++) rows.push([600000 + i, 'Sam', i === 11_001 ? 'van der' : '', 'Berg', '2H1', '2 havo', 'x']);
    const merged = [...Array.from({ length: 12_000 }, (_, i) => `G${i + 2}:H${i + 2}`), 'C11002:C11003'];
    writeFileSync(path, inlineStringXlsx([{ name: 'Blad1', rows, merged }]));
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run', '--password', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Samengevoegde cellen in kolom 'Tussenv.': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde (1×): rij 11003");
  });

  it('a block down to the last row of Excel costs no more than the list, and a later block still counts', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    const rows: XCell[][] = [['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']];
    for (let i = 1; i <= 10; i++) rows.push([600000 + i, 'Sanne', i === 4 ? 'van' : '', 'Berg', '2H1', '2 havo']);
    writeFileSync(path, inlineStringXlsx([{ name: 'Blad1', rows, merged: ['F2:F1048576', 'C5:C6'] }]));
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run', '--password', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Samengevoegde cellen in kolom 'Tussenv.': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde (1×): rij 6");
  });

  it('are named: Excel shows the Klas on each row, the file has it on the top row only', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Zoe', 'de', 'Koster', '2H1', '2 havo']);
    ws.addRow([600002, 'Ruben', '', 'Brouwer', '', '2 havo']);
    ws.addRow([600003, 'Ana', '', 'Smit', '', '2 havo']);
    ws.mergeCells('E2:E4');
    // A merged title above the header is no data.
    ws.insertRow(1, ['Leerlingen 2026']);
    ws.mergeCells('A1:F1');
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Samengevoegde cellen in kolom 'Klas': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde (2×): rij 4, rij 5");
    expect(r.stderr).not.toContain("kolom 'Stamnr'");
  });

  it('are named also in a block over several columns: a name part lost down its column is an error, a column merged with one on its left a warning', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow(['Stamnr', 'Roepnaam', 'Voorletters', 'Tussenv.', 'Achternaam', 'Klas', 'Mentor', 'Studie']);
    ws.addRow([600001, 'Zoe', 'Z.', 'van der', 'Koster', '2H1', 'AAL', '2 havo']);
    ws.addRow([600002, 'Ruben', 'R.', '', 'Koster', '', '', '2 havo']);
    ws.addRow([600003, 'Ana', 'A.', 'de', 'Smit', '', '', '2 havo']);
    ws.addRow([600004, 'Bas', 'B.', '', 'Bos', '3H1', 'BOS', '2 havo']);
    // Tussenv. "van der" merged down over row 3 with the unused Voorletters beside it; Voorletters over Tussenv.
    // on row 5; Klas and Mentor over rows 2-4.
    ws.mergeCells('D2:E3');
    ws.mergeCells('C5:D5');
    ws.mergeCells('F2:G4');
    await wb.xlsx.writeFile(path);
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', out]);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(r.stderr).toContain("✖ Samengevoegde cellen in kolom 'Tussenv.': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde (1×): rij 3");
    // Achternaam is to the right of Tussenv. in D2:E3: empty in the file, on both rows.
    expect(r.stderr).toContain("! Kolom 'Achternaam' is samengevoegd met een kolom links ervan: in het bestand is die cel leeg (2×): rij 2, rij 3");
    expect(r.stderr).toContain("! Kolom 'Tussenv.' is samengevoegd met een kolom links ervan: in het bestand is die cel leeg (1×): rij 5");
    expect(r.stderr).toContain("! Samengevoegde cellen in kolom 'Klas': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde (2×): rij 3, rij 4");
    expect(r.stderr).not.toMatch(/kolom '(Voorletters|Mentor|Stamnr)'/);
  });

  it('a block whose cells the writer kept filled (SheetJS does) lost nothing: no finding', async () => {
    const XLSX = await import('@e965/xlsx');
    const path = join(tempDir(), 'export.xlsx');
    const ws = XLSX.utils.aoa_to_sheet([
      ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie'],
      [600001, 'Zoe', 'van der', 'Koster', '2H1', '2 havo'],
      [600002, 'Ruben', 'van der', 'Koster', '2H1', '2 havo'],
      [600003, 'Ana', '', 'Smit', '', '2 havo'],
    ]);
    ws['!merges'] = [XLSX.utils.decode_range('C2:C3'), XLSX.utils.decode_range('E2:E4'), XLSX.utils.decode_range('F2:F4')];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Blad1');
    writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }));
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    // Only Ana's Klas is empty in the file.
    expect(r.stderr).toContain("! Samengevoegde cellen in kolom 'Klas': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde (1×): rij 4");
    expect(r.stderr).not.toMatch(/kolom '(Tussenv\.|Studie)'/);
  });

  it("a block over three used columns within students' rows is no note: it is reported", async () => {
    const path = join(tempDir(), 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow(['Stamnr', 'Roepnaam', 'Achternaam', 'Studie', 'Klas', 'E-mail', 'Mentor']);
    ws.addRow([600001, 'Zoe', 'Koster', '2 havo', '2H1', 'z@school.nl', 'AAL']);
    ws.addRow([600002, 'Ruben', 'Brouwer', '2 havo', '', '', '']);
    ws.mergeCells('E2:G3');
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.stderr).toContain("! Samengevoegde cellen in kolom 'Klas': in het bestand heeft alleen de bovenste rij van zo'n blok de waarde (1×): rij 3");
    expect(r.stderr).toContain("! Kolom 'E-mail' is samengevoegd met een kolom links ervan: in het bestand is die cel leeg (2×): rij 2, rij 3");
    // One row, but within a student's row (not from the list's first column): reported too.
    ws.unMergeCells('E2:G3');
    ws.mergeCells('E2:G2');
    await wb.xlsx.writeFile(path);
    const row = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(row.stderr).toContain("! Kolom 'E-mail' is samengevoegd met een kolom links ervan: in het bestand is die cel leeg (1×): rij 2");
  });

  it('a note merged across the list between students is reported as a row, not as merged cells of each column', async () => {
    const path = join(tempDir(), 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Zoe', 'de', 'Koster', '2H1', '2 havo']);
    ws.addRow(['Instromers na 1 oktober:']);
    ws.addRow([600002, 'Ruben', '', 'Brouwer', '2H1', '2 havo']);
    ws.mergeCells('A3:F3');
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.stderr).toContain('rij 3');
    expect(r.stderr).not.toContain('samengevoegd');
    // Also from the second column (the first empty); but a block in a row with other data is a student's.
    ws.unMergeCells('A3:F3');
    ws.getCell('A3').value = null;
    ws.getCell('B3').value = 'Instromers na 1 oktober:';
    ws.mergeCells('B3:F3');
    ws.mergeCells('A2:C2');
    await wb.xlsx.writeFile(path);
    const again = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(again.stderr).not.toMatch(/Kolom '(Achternaam|Klas|Studie)' is samengevoegd/);
    expect(again.stderr).toContain("Kolom 'Roepnaam' is samengevoegd met een kolom links ervan: in het bestand is die cel leeg (1×): rij 2");
  });
});

describe('a name typed into the Studie cell', () => {
  it("is shown when the mapping lists it undecided or Numo's list names it; hidden ones are named by up to 20 rows", async () => {
    const dir = tempDir();
    const rows = ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', '600001;Zoe;;Koster;1A;Pedagogisch medewerker', '600002;Bo;;Smit;1A;Timmerman'];
    for (let i = 0; i < 25; i++) rows.push(`${600100 + i};Ada;;Dam;1A;Gastleerling ${String.fromCharCode(65 + i)}x`);
    for (let i = 0; i < 80; i++) rows.push(`${600200 + i};Sam;;Berg;2A;2 havo`);
    const path = csvFile(dir, 'export.csv', rows);
    const mapping = csvFile(dir, 'mapping.csv', ['Studie;Opleidingscode', 'Pedagogisch medewerker;', '2 havo;VB-HAVO-2']);
    const list = csvFile(dir, 'lijst.csv', ['Opleidingscode;Omschrijving', '25698;Timmerman', '25486;Pedagogisch medewerker', 'VB-HAVO-2;havo 2']);
    const r = await runCli(['convert', path, '--mapping', mapping, '--opleidingen', list, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'Pedagogisch medewerker'.*nog niet beslist|nog niet beslist.*'Pedagogisch medewerker'/);
    expect(r.stderr).toContain("Studie 'Timmerman' staat niet in de mapping (1 leerling)");
    expect(r.stderr).toMatch(/de waarde wordt niet getoond .* \(25×\): rij 4 \(Stamnr 600100\), .* rij 23 \(Stamnr 600119\) en 5 meer/);
  });

  it('is not shown when it is on one row only, or on two without a digit or school word: the message names the rows', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.csv');
    const rows = [
      'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie',
      '600001;Zoe;de;Koster;3M3;Lucas van den Berg',
      '600002;Ruben;;Brouwer;2H3;Mavo Plus',
      '600003;Ana;;Smit;2H3;Mavo Plus',
      '600004;Bo;;Smit;2H3;Sport Havo',
      // A mentor's name typed for two students.
      '600005;Ada;;Dam;2H3;Thijs Postma',
      '600006;Bas;;Dam;2H3;Thijs Postma',
    ];
    writeFileSync(path, `${rows.join('\r\n')}\r\n`);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/Lucas|Berg|Thijs|Postma/);
    expect(r.stderr).toContain(
      'Studie staat niet in de mapping; de waarde wordt niet getoond (bij één of twee leerlingen, en geen niveau, leerjaar of code: een naam?) (4×): rij 2 (Stamnr 600001), rij 5 (Stamnr 600004), rij 6 (Stamnr 600005), rij 7 (Stamnr 600006)',
    );
    // On several rows it is a study, and shown with the line to add.
    expect(r.stderr).toContain("Studie 'Mavo Plus' staat niet in de mapping (2 leerlingen)");
  });
});

describe('legitimate files the checks above must let through', () => {
  it('a staff list with Stamnr and Personeelsnummer, or a private EMAIL next to Email_werk (the work address is used)', async () => {
    const dir = tempDir();
    const nummers = csvFile(dir, 'personeel.csv', ['Stamnr;Personeelsnummer;Docentcode;Roepnaam;Achternaam;E-mail', '9001;P12345;AAL;Frank;Aalders;aal@school.nl']);
    expect((await runCli(['convert', nummers, '--rol', 'docent', '--no-config', '--dry-run'])).code).toBe(0);
    const decibel = csvFile(dir, 'decibel.csv', ['STAMNR;CODE;FIRSTNAME;PREFIX;LASTNAME;EMAIL;Email_werk;sis_gebr__login_naam', '9001;AAL;Frank;de;Aalders;frank@thuis.nl;aal@school.nl;aal']);
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', decibel, '--rol', 'docent', '--no-config', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(';aal@school.nl;');
  });

  it('a student export with Stamnr and a Magister login (Gebruikersnaam), and with a school and a private address', async () => {
    const dir = tempDir();
    const path = csvFile(dir, 'export.csv', [
      'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;E-mail;Emailadres;Gebruikersnaam',
      '600001;Zoe;de;Koster;3M3;2 havo;600001@school.nl;zoe@thuis.nl;zkoster01',
    ]);
    expect((await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run'])).code).toBe(0);
  });

  it('a blank line at the end of last year file or the IDGebr file', async () => {
    const dir = tempDir();
    const exp = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', '600001;Zoe;de;Koster;3M3;2 havo']);
    const prev = csvFile(dir, 'vorig.csv', ['gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol', '600001;Zoe;de;Koster;3M3;VB-HAVO-2;;Oud-12345;leerling', '']);
    const idgebr = csvFile(dir, 'idgebr.csv', ['Stamnr;IDGebr', '600001;30001', '']);
    const r = await runCli(['convert', exp, '--mapping', MAPPING, '--no-config', '--previous', prev, '--keep-passwords', '--idgebr', idgebr, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('velden');
  });

  it('a list that ends in a total and a note: neither is read as a student, and a student after them still is', async () => {
    const dir = tempDir();
    const end = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', '600001;Zoe;de;Koster;3M3;2 havo', ';;;;;', 'Totaal: 1;;;;;', 'Gemaakt op 1 september;;;;;']);
    const r = await runCli(['convert', end, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Slotregel (totaal of notitie) niet als leerling gelezen (2×): rij 4, rij 5');
    const middle = csvFile(dir, 'midden.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', 'Totaal: 1;;;;;', '600001;Zoe;de;Koster;3M3;2 havo']);
    const m = await runCli(['convert', middle, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('rij 2');
  });

  it('a totals row whose count formula has no stored result (openpyxl) is a footer, not a student with an empty name', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Zoe', 'de', 'Koster', '3M3', '2 havo']);
    ws.addRow([600002, 'Ruben', '', 'Brouwer', '2H3', '2 havo']);
    ws.addRow(['Totaal', { formula: 'SUBTOTAL(3,B2:B3)' }]);
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Slotregel (totaal of notitie) niet als leerling gelezen (1×): rij 4');
    expect(r.stderr).not.toContain('Formule zonder opgeslagen uitkomst');
  });

  it('a last row with #N/B in its Stamnr and Achternaam may be a student: its Excel errors are reported, exit 1', async () => {
    const path = join(tempDir(), 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Zoe', 'de', 'Koster', '3M3', '2 havo']);
    ws.addRow([{ error: '#N/A' }, 'Jan', '', { error: '#N/A' }]);
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Excel-foutwaarde (zoals #N/B) in kolom Achternaam, als leeg gelezen (1×): rij 3');
  });

  it('a row of counts above the header (=SUBTOTAL over a filtered list), and a note merged down below it', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad1');
    ws.addRow([2, 2, '', 2, 2, 2]);
    ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
    ws.addRow([600001, 'Zoe', 'de', 'Koster', '3M3', '2 havo']);
    ws.addRow([600002, 'Ruben', '', 'Brouwer', '2H3', '2 havo']);
    ws.addRow(['Let op: lijst van 1 september']);
    // Merged down one column, as a Klas over three students would be: no student below it loses a value.
    ws.mergeCells('A5:A7');
    await wb.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Samengevoegde');
  });

  it('--keep-passwords with --password none, an IDGebr column nobody filled, and a Klas called Marketing 22', async () => {
    const dir = tempDir();
    const exp = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;IDGebr', '600001;Zoe;de;Koster;Marketing 22;2 havo;', '600002;Ruben;;Brouwer;MARK-23;2 havo;']);
    const prev = csvFile(dir, 'vorig.csv', ['gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol', '600001;Zoe;de;Koster;3M3;VB-HAVO-2;;;leerling']);
    const r = await runCli(['convert', exp, '--mapping', MAPPING, '--no-config', '--previous', prev, '--keep-passwords', '--password', 'none', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/Geen wachtwoord in|Geen IDGebr|datum/);
  });

  it('--keep-passwords with --password none and no SSO: only the new students cannot log in, and the warning says so', async () => {
    const dir = tempDir();
    const exp = csvFile(dir, 'export.csv', ['Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie', '600001;Zoe;de;Koster;3M3;2 havo', '600002;Ruben;;Brouwer;3M3;2 havo']);
    const prev = csvFile(dir, 'vorig.csv', ['gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol', '600001;Zoe;de;Koster;2M3;VB-HAVO-2;;Geheim123;leerling']);
    const r = await runCli(['convert', exp, '--mapping', MAPPING, '--no-config', '--previous', prev, '--keep-passwords', '--password', 'none', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Geen wachtwoorden voor nieuwe leerlingen en geen IDGebr (SSO): alleen wie vorig jaar een wachtwoord had, kan inloggen in Numo');
    expect(r.stderr).not.toContain('niemand kan inloggen');
    expect(r.stderr).not.toContain('Geheim123');
  });
});

describe('an IDGebr file', () => {
  it('beside a staff list without Stamnrs is no error of its own', async () => {
    const dir = tempDir();
    const staff = csvFile(dir, 'personeel.csv', ['Code;Roepnaam;Achternaam;Loginaccount.Naam', 'AAL;Frank;Aalders;faalders']);
    const idgebr = csvFile(dir, 'idgebr.csv', ['Stamnr;IDGebr', '900001;40001']);
    const r = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--idgebr', idgebr, '--dry-run']);
    expect(r.stderr).not.toContain('Geen enkele Stamnr');
  });

  it("the students' file beside a staff list is an error: a teacher whose number is a student's Stamnr would get that student's SSO identity", async () => {
    const dir = tempDir();
    const staff = csvFile(dir, 'personeel.csv', ['Stamnr;Code;Roepnaam;Achternaam;Loginaccount.Naam', '100001;AAL;Frank;Aalders;faalders', '9002;BOS;Sem;Bos;sbos', '9003;DIJ;Cor;Dijk;cdijk']);
    const students = csvFile(dir, 'idgebr.csv', ['Stamnr;IDGebr', ...Array.from({ length: 40 }, (_, i) => `${100001 + i};${30001 + i}`)]);
    const r = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--idgebr', students, '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('idgebr.csv lijkt het bestand van de leerlingen: 39 van de 40 regels horen bij niemand in deze personeelslijst');
    expect(listDir(dir)).toEqual(['idgebr.csv', 'personeel.csv']);
    // Numbers that overlap the students' (staff 9002 and 9003 are students here too): most staff match, so only the
    // school can tell; said, with what it would mean.
    const overlap = csvFile(dir, 'idgebr-overlap.csv', ['Stamnr;IDGebr', ...Array.from({ length: 40 }, (_, i) => `${9001 + i};${30001 + i}`), '100001;40001']);
    const said = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--idgebr', overlap, '--dry-run']);
    expect(said.stderr).toContain('horen bij niemand in deze personeelslijst: is het een bestand van alle gebruikers?');
    // A file of all users (students and staff), with a line for each teacher: fine.
    const all = csvFile(dir, 'idgebr-alle.csv', ['Stamnr;IDGebr', ...Array.from({ length: 40 }, (_, i) => `${200001 + i};${30001 + i}`), '100001;40001', '9002;40002', '9003;40003']);
    const ok = await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--idgebr', all, '--dry-run']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('with not one Stamnr in common with the export (another location, last year) is an error: nobody would get SSO', async () => {
    const dir = tempDir();
    const other = csvFile(dir, 'idgebr-andere-locatie.csv', ['Stamnr;IDGebr', '900001;40001', '900002;40002']);
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--no-config', '--idgebr', other, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Geen enkele Stamnr uit idgebr-andere-locatie.csv staat in de export: is het het IDGebr-bestand van deze school (en locatie)?');
    expect(existsSync(out)).toBe(false);
  });

  it('with Stamnrs but not one IDGebr (a column never filled, a migratiehulpbestand with only realmids) is an error, also without --sso', async () => {
    const dir = tempDir();
    const empty = csvFile(dir, 'idgebr.csv', ['stamnr;idgebr;externeid;realmid', '100001;;{56C87192};35895@magis.school', '100002;;{56C87193};35896@magis.school']);
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--no-config', '--idgebr', empty, '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('idgebr.csv heeft bij geen enkel Stamnr een IDGebr: de kolom IDGebr is leeg');
    expect(listDir(dir)).toEqual(['idgebr.csv']);
  });
});

describe("the export's own IDGebr column", () => {
  it('--no-sso: the column is not used (this time without SSO), also one of only #N/B', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.csv');
    writeFileSync(path, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;IDGebr\r\n600001;Zoe;de;Koster;3M3;2 havo;30001\r\n600002;Ruben;;Brouwer;2H3;2 havo;30002\r\n');
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--no-sso', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).not.toContain('IDGebr');
    expect(r.stdout + r.stderr).toContain('Zonder SSO: de kolom IDGebr van de export wordt niet gebruikt');
  });

  it('#N/B as text in a CSV (a VLOOKUP saved as CSV) is named as such, not as a bad number or a duplicate', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.csv');
    writeFileSync(path, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;IDGebr\r\n600001;Zoe;de;Koster;3M3;2 havo;#N/B\r\n600002;Ruben;;Brouwer;2H3;2 havo;#N/B\r\n');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Excel-foutwaarde (zoals #N/B) als IDGebr: een opzoekformule (zoals VERT.ZOEKEN) vond dit Stamnr niet (2×)');
    expect(r.stderr).not.toMatch(/dubbel|geen geheel getal/);
  });

  it('of only #N/B (a VLOOKUP that found nothing: Stamnr as text against Stamnr as number) is an error, not "SSO not used"', async () => {
    const dir = tempDir();
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Blad1');
    sheet.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'IDGebr']);
    for (const [i, name] of ['Koster', 'Brouwer'].entries()) {
      sheet.addRow([600001 + i, 'Zoe', '', name, '3M3', '2 havo', { formula: `VLOOKUP(A${i + 2},IDGebr!A:B,2,FALSE)`, result: { error: '#N/A' } }]);
    }
    const path = join(dir, 'export.xlsx');
    await book.xlsx.writeFile(path);
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('De kolom IDGebr van de export heeft geen enkel IDGebr, alleen Excel-foutwaarden (zoals #N/B): de opzoekformule vond niets (2 rijen)');
    expect(r.stderr).toContain('geef het IDGebr-bestand mee met --idgebr');
    expect(listDir(dir)).toEqual(['export.xlsx']);
  });

  it('--sso: an IDGebr column nobody filled is no SSO, so the run stops; a staff list is not held to it', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.csv');
    writeFileSync(path, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;IDGebr\r\n600001;Zoe;de;Koster;3M3;2 havo;\r\n');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--sso', '--out', join(dir, 'numo.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SSO staat aan (--sso), maar er is geen IDGebr: geen --idgebr, en geen gevulde kolom IDGebr in de export.');
    expect(listDir(dir)).toEqual(['export.csv']);
    const staff = join(dir, 'personeel.csv');
    writeFileSync(staff, 'Stamnr;Docentcode;Roepnaam;Achternaam;E-mail\r\n9001;AAL;Frank;Aalders;aal@school.nl\r\n');
    expect((await runCli(['convert', staff, '--rol', 'docent', '--no-config', '--sso', '--dry-run'])).code).toBe(0);
  });

  it('names a student without one when the others have one: that student cannot log in with SSO', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.csv');
    writeFileSync(path, 'Stamnr;Roepnaam;Tussenv.;Achternaam;Klas;Studie;IDGebr\r\n600001;Zoe;de;Koster;3M3;2 havo;30001\r\n600002;Ruben;;Brouwer;2H3;2 havo;\r\n');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--no-config', '--password', 'none', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Leerling zonder IDGebr in de kolom IDGebr van de export: inloggen met SSO kan dan niet (1×): rij 3 (Stamnr 600002)');
  });
});

describe('rules no test reached before (each found by changing the code and seeing the suite pass)', () => {
  const csvRun = async (lines: string[], args: string[]) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), `${lines.join('\r\n')}\r\n`);
    writeFileSync(join(dir, 'mapping.csv'), 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n');
    const r = await runCli(['convert', 'export.csv', '--mapping', 'mapping.csv', '--no-config', '--password', 'none', '--out', 'numo.csv', ...args], { cwd: dir });
    return { ...r, written: existsSync(join(dir, 'numo.csv')) ? readFileSync(join(dir, 'numo.csv'), 'utf8') : undefined };
  };

  it('a teacher twice under one Code with another Stamnr and login: refused, not two accounts', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'personeel.csv'),
      'stamnr_str;Code;Roepnaam;Achternaam;Loginaccount.Naam;E-mail\r\n9001;AAA;Frank;Aalders;aaa;a@school.nl\r\n9002;BOB;Bob;Boer;bob;b@school.nl\r\n9003;AAA;Frank;Aalders;frank;\r\n',
    );
    const r = await runCli(['convert', 'personeel.csv', '--rol', 'docent', '--no-config', '--password', 'none', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Medewerker staat twee keer in de lijst (zelfde Code)');
  });

  it('a last teacher whose code is a totals word (SOM) beside a name is a teacher, not a footer', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'personeel.csv'), 'Code;Roepnaam;Achternaam;E-mail\r\nAAA;Frank;Aalders;a@school.nl\r\nBOB;Bob;Boer;b@school.nl\r\nSOM;;Ommen;\r\n');
    const r = await runCli(['convert', 'personeel.csv', '--rol', 'docent', '--no-config', '--password', 'none', '--dry-run'], { cwd: dir });
    expect(r.stdout).toContain('3 docenten klaar voor Numo');
    expect(r.stderr).not.toContain('Slotregel');
  });

  it('an e-mail address that starts with - (Excel would read a formula) or has a one-letter ending: refused, nothing written', async () => {
    const head = 'Stamnr;Roepnaam;Achternaam;Klas;Studie;E-mail';
    const formula = await csvRun([head, '600001;Zoe;Koster;1A;1 havo;-zk@school.nl', '600002;Tim;Bos;1A;1 havo;tb@school.nl'], []);
    expect([formula.code, formula.written]).toEqual([1, undefined]);
    expect(formula.stderr).toContain("Waarde in kolom e-mail begint met = + - of @: met een ' ervoor (tegen Excel-formules) zou Numo een ander adres krijgen (1×): rij 2 (Stamnr 600001)");
    const tld = await csvRun([head, '600001;Zoe;Koster;1A;1 havo;zk@school.n'], []);
    expect([tld.code, tld.written]).toEqual([1, undefined]);
  });

  it('255 characters is the limit in characters, an emoji counted as one; an IDGebr longer than that is refused too', async () => {
    const head = 'Stamnr;Roepnaam;Achternaam;Klas;Studie;IDGebr';
    const name = (letters: number) => `${'a'.repeat(letters)}\u{1F600}`;
    expect((await csvRun([head, `600001;${name(254)};Koster;1A;1 havo;30001`], [])).code).toBe(0);
    const long = await csvRun([head, `600001;${name(255)};Koster;1A;1 havo;30001`], []);
    expect(long.stderr).toContain('Waarde in kolom voornaam is langer dan 255 tekens');
    const idgebr = await csvRun([head, `600001;Zoe;Koster;1A;1 havo;${'3'.repeat(300)}`], []);
    expect([idgebr.code, idgebr.written]).toEqual([1, undefined]);
    expect(idgebr.stderr).toContain('Waarde in kolom IDGebr is langer dan 255 tekens');
  });

  it('--klas 1A* takes klas 1A itself too, and --studie * every Studie', async () => {
    const rows = ['Stamnr;Roepnaam;Achternaam;Klas;Studie', '600001;Zoe;Koster;1A;1 havo', '600002;Tim;Bos;1A2;1 havo', '600003;Eva;Smit;1B;1 havo'];
    const klas = await csvRun(rows, ['--klas', '1A*']);
    expect(klas.code, klas.stderr).toBe(0);
    expect(
      klas.written
        ?.split('\r\n')
        .filter((l) => /^60000/.test(l))
        .map((l) => l.slice(0, 6)),
    ).toEqual(['600001', '600002']);
    const all = await csvRun(rows, ['--studie', '*']);
    expect(all.written?.split('\r\n').filter((l) => /^60000/.test(l))).toHaveLength(3);
  });

  describe('damaged and unusual workbooks', () => {
    const exported = async (edit: (name: string, data: string) => string) => {
      const dir = tempDir();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Blad1');
      ws.addRow(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie']);
      ws.addRow([600001, 'Jan', '', 'Koster', '1A', '1 havo']);
      ws.addRow([600002, 'Eva', '', 'Bos', '1A', '1 havo']);
      const base = Buffer.from(await wb.xlsx.writeBuffer());
      writeFileSync(join(dir, 'export.xlsx'), editedZip(base, edit));
      writeFileSync(join(dir, 'mapping.csv'), 'Studie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n');
      const r = await runCli(['convert', 'export.xlsx', '--mapping', 'mapping.csv', '--no-config', '--password', 'none', '--out', 'numo.csv'], { cwd: dir });
      return { ...r, written: existsSync(join(dir, 'numo.csv')) ? readFileSync(join(dir, 'numo.csv'), 'utf8') : undefined };
    };
    const count = (sst: string) => (sst.match(/<si>/g) ?? []).length;

    it('a cell that points one past the last shared text: exit 2 in Dutch, no stack', async () => {
      let last = 0;
      const r = await exported((name, data) => {
        if (name === 'xl/sharedStrings.xml') last = count(data);
        return data;
      }).then(async () => exported((name, data) => (name === 'xl/worksheets/sheet1.xml' ? data.replace(/(<c r="B2"[^>]*t="s"[^>]*><v>)\d+</, `$1${last}<`) : data)));
      expectNoStack(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cel B2 verwijst naar een gedeelde tekst die niet bestaat');
    });

    it('one cell written twice in a row: exit 2, not the last value kept', async () => {
      const r = await exported((name, data) => (name === 'xl/worksheets/sheet1.xml' ? data.replace(/(<c r="B2"[^>]*>.*?<\/c>)/, '$1$1') : data));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cel B2 staat er twee keer in');
    });

    it('a name with its phonetic reading (Excel with a Japanese IME: <rPh>) is the name, not both', async () => {
      const r = await exported((name, data) => (name === 'xl/sharedStrings.xml' ? data.replace('<si><t>Jan</t></si>', '<si><t>Jan</t><rPh sb="0" eb="3"><t>ジャン</t></rPh></si>') : data));
      expect(r.code, r.stderr).toBe(0);
      expect(r.written).toContain(';Jan;');
      expect(r.written).not.toContain('ジャン');
    });

    it('text in an element a string does not have (Markup Compatibility, an alternative) is refused, not glued to the name', async () => {
      const mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w14="urn:x" mc:Ignorable="w14"';
      for (const [part, from, to] of [
        ['xl/sharedStrings.xml', '<si><t>Jan</t></si>', `<si ${mc}><w14:placeholder><t>XX</t></w14:placeholder><t>Jan</t></si>`],
        [
          'xl/sharedStrings.xml',
          '<si><t>Jan</t></si>',
          `<si ${mc}><mc:AlternateContent><mc:Choice Requires="w14"><t>Jan</t></mc:Choice><mc:Fallback><t>Jan</t></mc:Fallback></mc:AlternateContent></si>`,
        ],
        // The same in a cell's own (inline) string.
        ['xl/worksheets/sheet1.xml', /<c r="B2"([^>]*?) t="s"([^>]*)><v>\d+<\/v><\/c>/, `<c r="B2"$1 t="inlineStr"$2><is ${mc}><w14:placeholder><t>XX</t></w14:placeholder><t>Jan</t></is></c>`],
      ] as const) {
        const r = await exported((name, data) => (name === part ? data.replace(from, to) : data));
        expect(r.code, to).toBe(2);
        expect(r.stderr).toMatch(/heeft tekst in een onderdeel dat numo-prep niet kent, <(placeholder|AlternateContent)>/);
        expect(r.written).toBeUndefined();
      }
      // Inside a run, the element in it is named (not the run); an end tag without its start changes nothing.
      const inRun = await exported((name, data) =>
        name === 'xl/sharedStrings.xml' ? data.replace('<si><t>Jan</t></si>', `<si ${mc}><r><mc:AlternateContent><t>XX</t></mc:AlternateContent><t>Jan</t></r></si>`) : data,
      );
      expect(inRun.stderr).toContain('heeft tekst in een onderdeel dat numo-prep niet kent, <AlternateContent>');
      const stray = await exported((name, data) => (name === 'xl/sharedStrings.xml' ? data.replace('<si><t>Jan</t></si>', '<si></foo><t>Jan</t></si>') : data));
      expect(stray.code, stray.stderr).toBe(0);
      // A rich-text run is text: a name in two formats is one name.
      const rich = await exported((name, data) => (name === 'xl/sharedStrings.xml' ? data.replace('<si><t>Jan</t></si>', '<si><r><rPr><b/></rPr><t>J</t></r><r><t>an</t></r></si>') : data));
      expect(rich.code, rich.stderr).toBe(0);
      expect(rich.written).toContain(';Jan;');
    });
  });

  it('every cloud folder is named when a file in it is shredded, not only OneDrive', async () => {
    for (const folder of ['Dropbox', 'Google Drive', 'iCloud Drive']) {
      const dir = join(tempDir(), folder);
      mkdirSync(dir);
      writeFileSync(join(dir, 'export.csv'), 'x');
      const r = await runCli(['shred', join(dir, 'export.csv'), '--yes']);
      expect(r.stderr, folder).toContain(`${join(dir, 'export.csv')} staat in een cloudmap`);
    }
  });
});
