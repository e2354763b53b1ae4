import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { xlsxSheets } from '../src/io/xlsx.js';
import { readZipDirectory } from '../src/io/zip.js';
import { corpus, expectNoStack, fixture, listDir, runCli, spawnCli, tempDir } from './helpers.js';

async function sheetTable(path: string): Promise<Record<string, string[][]>> {
  const out: Record<string, string[][]> = {};
  for (const sheet of await xlsxSheets('x.xlsx', readFileSync(path))) {
    const rows: string[][] = [];
    for await (const r of sheet.rows) rows.push(r.cells);
    out[sheet.name ?? ''] = rows;
  }
  return out;
}

/** Every XML part of an .xlsx as text, to search for what must not be in it. */
function allText(path: string): string {
  const buf = readFileSync(path);
  return [...readZipDirectory(buf).values()]
    .map((e) => {
      const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
      const data = buf.subarray(start, start + e.compressedSize);
      return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
    })
    .join('\n');
}

const HEADER = ['Studie', 'Opleidingscode', 'Aantal leerlingen', 'Voorbeeld-klassen', 'Suggestie'];

describe('numo-prep mapping', () => {
  it('writes one row per Studie with counts, klassen and a suggestion, a dropdown of codes, 0600, and no names', async () => {
    const dir = tempDir();
    const out = join(dir, 'mapping.xlsx');
    const r = await runCli(['mapping', fixture('magister-export.xlsx'), '--opleidingen', fixture('opleidingen.csv'), '--out', out, '--no-config']);
    expectNoStack(r);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('6 studies uit 40 leerlingen');
    expect(r.stdout).toContain('nog in te vullen: 6');
    expect(r.stdout).toMatch(/numo-prep convert .*magister-export\.xlsx --mapping .*mapping\.xlsx/);
    expect(listDir(dir)).toEqual(['mapping.xlsx']);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);

    const sheets = await sheetTable(out);
    expect(Object.keys(sheets)).toEqual(['Mapping', 'Opleidingen', 'Uitleg']);
    const [header, ...rows] = sheets.Mapping!;
    expect(header).toEqual(HEADER);
    expect(rows.map((row) => [row[0], row[1] ?? '', row[2]])).toEqual([
      ['1 havo', '', '10'],
      ['1 kader', '', '6'],
      ['2 havo', '', '5'],
      ['2 vwo', '', '5'],
      ['3 mavo', '', '10'],
      ['3 vwo gymn', '', '4'],
    ]);
    expect(rows.find((row) => row[0] === '1 kader')?.[4]).toBe('VB-VMBO-KB-1 (voorbeeld 1 kader)');
    expect(rows.find((row) => row[0] === '3 vwo gymn')?.[4]).toBe('VB-VWO-3 (voorbeeld 3 vwo gymn)');
    for (const row of rows) expect(row[3]).toMatch(/^\w+(, \w+){0,2}$/);
    expect(sheets.Opleidingen!.map((row) => row[0])).toEqual(['Opleidingscode', '-', 'VB-VMBO-KB-1', 'VB-HAVO-1', 'VB-HAVO-2', 'VB-VWO-2', 'VB-VWO-3', 'VB-VMBO-GT-3']);

    const xml = allText(out);
    expect(xml).toMatch(/<dataValidation type="list"[^>]*errorStyle="stop"[^>]*sqref="B2:B7"><formula1>Opleidingen!\$A\$2:\$A\$8<\/formula1>/);
    // The export's names and e-mail addresses appear nowhere in the workbook.
    const [exportSheet] = await xlsxSheets('export.xlsx', readFileSync(fixture('magister-export.xlsx')));
    const personal = new Set<string>();
    for await (const row of exportSheet!.rows) if (row.row > 1) [row.cells[1], row.cells[3], row.cells[6]].forEach((c) => c && personal.add(c));
    expect(personal.size).toBeGreaterThan(20);
    for (const p of personal) expect(xml).not.toContain(`>${p}<`);
    for (const p of personal) if (p.includes('@')) expect(xml).not.toContain(p);
  });

  it('leaves out a Studie that is a name or an address (as convert never shows one), and says by row', async () => {
    const dir = tempDir();
    const rows = ['Stamnr;Roepnaam;Achternaam;Klas;Studie', ...Array.from({ length: 6 }, (_, i) => `${1001 + i};Jan;Vries;2H1;2 havo`)];
    rows.push('1010;Els;Smit;2H2;Hendrikje van Oosterzeewolde', '1011;Bas;Bos;2H2;pietje.puk@example.com', '1012;Ed;Kok;2H2;pietje.puk@example.com');
    // A name-shaped Studie the school mapped before is its own, and a long mbo name on one row is named by row.
    rows.push('1013;Ada;Dam;2H2;Mavo Plus', '1014;Ali;Dam;2H2;Eerste monteur elektrotechnische installaties in de woning en utiliteit');
    writeFileSync(join(dir, 'export.csv'), `${rows.join('\r\n')}\r\n`);
    writeFileSync(join(dir, 'mapping.csv'), 'Studie;Opleidingscode\r\nMavo Plus;VB-MAVO-3\r\n');
    const r = await runCli(['mapping', join(dir, 'export.csv'), '--mapping', join(dir, 'mapping.csv'), '--out', join(dir, 'mapping.xlsx'), '--no-config']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      '4 leerlingen hebben een Studie die niet getoond of bewaard wordt (een naam, e-mailadres, notitie of #N/B?; rij 8, 9, 10, 12): is het een opleiding (een lange mbo-naam, of een opleiding van één leerling), zet hem dan zelf met de code in de mapping; anders: verbeter de export.',
    );
    const sheets = await sheetTable(join(dir, 'mapping.xlsx'));
    expect(sheets.Mapping!.slice(1).map((row) => [row[0], row[1] ?? '', row[2]])).toEqual([
      ['2 havo', '', '6'],
      ['Mavo Plus', 'VB-MAVO-3', '1'],
    ]);
    expect(`${allText(join(dir, 'mapping.xlsx'))}${r.stdout}${r.stderr}`).not.toMatch(/Oosterzeewolde|pietje|monteur/);
  });

  it('leaves out the Studie of a row whose other columns are wrong (a shifted CSV row, a Stamnr that is no number), and a name on one row', async () => {
    const dir = tempDir();
    const rows = ['Stamnr;Roepnaam;Tussenv.;Achternaam;Studie;Klas;E-mail', ...Array.from({ length: 4 }, (_, i) => `${1001 + i};Jan;;Vries;4 havo;4H1;j${i}@school.nl`)];
    // Anna;Sophie unquoted: the surname lands in Studie. A name where the Stamnr goes; an e-mail without @.
    rows.push('1010;Anna;Sophie;;Oosterzeewolde;4 havo;4H1;a@school.nl', 'Pieter;Jan;;Smit;Brouwersgracht;4H1;p@school.nl', '1012;Ed;;Kok;Kokkelkoren;4H1;geen-adres');
    // On one row, a name of any shape (no level, year or code in it); Kopklas and ISK are Studies.
    rows.push('1013;Ada;;Dam;van Dijkhuizen;4H1;a2@school.nl', '1014;Bo;;Dam;J. Bakkerveld;4H1;b@school.nl', '1015;Cas;;Dam;Kopklas;4H1;c@school.nl', '1016;Di;;Dam;ISK;4H1;d@school.nl');
    writeFileSync(join(dir, 'export.csv'), `${rows.join('\r\n')}\r\n`);
    const r = await runCli(['mapping', join(dir, 'export.csv'), '--out', join(dir, 'mapping.xlsx'), '--no-config']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('3 rijen hebben waarden in de verkeerde kolom (verschoven kolommen, een Stamnr dat geen nummer is of een e-mailadres zonder @; rij 6, 7, 8)');
    expect(r.stderr).toContain('2 leerlingen hebben een Studie die niet getoond of bewaard wordt');
    const sheets = await sheetTable(join(dir, 'mapping.xlsx'));
    expect(sheets.Mapping!.slice(1).map((row) => row[0])).toEqual(['4 havo', 'ISK', 'Kopklas']);
    expect(`${allText(join(dir, 'mapping.xlsx'))}${r.stdout}${r.stderr}`).not.toMatch(/Oosterzeewolde|Brouwersgracht|Kokkelkoren|Dijkhuizen|Bakkerveld/);
    // convert refers to the same rows by number only.
    writeFileSync(join(dir, 'map.csv'), 'Studie;Opleidingscode\r\n4 havo;VB-HAVO-4\r\n');
    const c = await runCli(['convert', join(dir, 'export.csv'), '--mapping', join(dir, 'map.csv'), '--no-config', '--dry-run', '--json']);
    expect(c.code).toBe(1);
    expect(`${c.stdout}${c.stderr}`).not.toMatch(/Oosterzeewolde|Brouwersgracht|Kokkelkoren|Dijkhuizen|Bakkerveld/);
  });

  it('a Studie without a year beside a leerjaar column (Somtoday): suggested for its one leerjaar, or not at all when it spans several', async () => {
    const dir = tempDir();
    const rows = ['leerlingNummer;roepnaam;achternaam;leerjaar;opleiding', ...['2', '2', '4', '4'].map((lj, i) => `${1001 + i};Jan;Vries;${lj};HAVO`)];
    rows.push('1010;Sem;Bos;3;VWO', '1011;Bo;Dam;3;VWO');
    writeFileSync(join(dir, 'export.csv'), `${rows.join('\r\n')}\r\n`);
    const r = await runCli(['mapping', join(dir, 'export.csv'), '--opleidingen', fixture('opleidingen.csv'), '--out', join(dir, 'mapping.xlsx'), '--no-config']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Studie 'HAVO' (leerjaar 2, 4) heeft leerlingen uit verschillende leerjaren, maar krijgt één opleidingscode");
    const sheets = await sheetTable(join(dir, 'mapping.xlsx'));
    expect(sheets.Mapping!.slice(1).map((row) => [row[0], row[4] ?? ''])).toEqual([
      ['HAVO', ''],
      ['VWO', expect.stringMatching(/^VB-VWO-3/)],
    ]);
    // Codes that are not per leerjaar (mbo crebo codes): suggested as they are, whatever the leerjaren.
    writeFileSync(join(dir, 'crebo.csv'), 'Opleidingscode;Omschrijving\r\n25180;Kok\r\n25653;Medewerker ICT\r\n');
    writeFileSync(join(dir, 'mbo.csv'), `${['leerlingNummer;roepnaam;achternaam;leerjaar;opleiding', '1001;Jan;Vries;1;Kok', '1002;Els;Smit;2;Kok'].join('\r\n')}\r\n`);
    const mbo = await runCli(['mapping', join(dir, 'mbo.csv'), '--opleidingen', join(dir, 'crebo.csv'), '--out', join(dir, 'mbo.xlsx'), '--no-config']);
    expect(mbo.code, mbo.stderr).toBe(0);
    expect(mbo.stderr).not.toContain('verschillende leerjaren');
    expect((await sheetTable(join(dir, 'mbo.xlsx'))).Mapping!.slice(1).map((row) => [row[0], row[4] ?? ''])).toEqual([['Kok', expect.stringMatching(/^25180/)]]);
  });

  it('a file whose every row has a Stamnr with letters: the rows are named, not "no Studie"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Achternaam;Studie\r\nab1;Jan;Vries;2 havo\r\nab2;Sem;Bos;2 havo\r\n');
    const r = await runCli(['mapping', join(dir, 'export.csv'), '--out', join(dir, 'mapping.xlsx'), '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('geen enkele leerling met een Studie die getoond mag worden. 2 rijen hebben waarden in de verkeerde kolom');
  });

  it('one dropdown range over the whole code column, also past row 9 (exceljs joined B10:B21 and B2:B21)', async () => {
    const dir = tempDir();
    const rows = ['Stamnr;Roepnaam;Achternaam;Klas;Studie'];
    for (let i = 0; i < 36; i++) rows.push(`${1001 + i};Jan;Vries;${(i % 12) + 1}A;${(i % 12) + 1} havo`);
    writeFileSync(join(dir, 'export.csv'), `${rows.join('\r\n')}\r\n`);
    const r = await runCli(['mapping', join(dir, 'export.csv'), '--out', join(dir, 'mapping.xlsx'), '--no-config']);
    expect(r.code, r.stderr).toBe(0);
    const sqrefs = [...allText(join(dir, 'mapping.xlsx')).matchAll(/<dataValidation [^>]*sqref="([^"]+)"/g)].map((m) => m[1]);
    expect(sqrefs).toEqual(['B2:B13']);
  });

  it('fills in what an existing mapping knows, keeps its other Studies, and without a list still offers its codes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'school.csv'), '\uFEFFStudie;Opleidingscode\r\n1 havo;VB-HAVO-1\r\n3 vwo gymn;-\r\n4 havo;VB-HAVO-4\r\n2 vwo;\r\n');
    const out = join(dir, 'mapping.xlsx');
    const r = await runCli(['mapping', fixture('magister-export.xlsx'), '--mapping', join(dir, 'school.csv'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Met code: 2; niet voor Numo: 1; nog in te vullen: 4.');
    expect(r.stdout).toContain('1 studie uit de bestaande mapping staat niet in deze export en is behouden');
    expect(r.stdout).toContain('numo.nl/inleesbestand, tabblad Opleidingen');
    const { Mapping: rows, Opleidingen: codes } = await sheetTable(out);
    expect(rows!.slice(1).map((row) => [row[0], row[1] ?? '', row[2]])).toEqual([
      ['1 havo', 'VB-HAVO-1', '10'],
      ['1 kader', '', '6'],
      ['2 havo', '', '5'],
      ['2 vwo', '', '5'],
      ['3 mavo', '', '10'],
      ['3 vwo gymn', '-', '4'],
      ['4 havo', 'VB-HAVO-4', '0'],
    ]);
    expect(codes!.map((row) => row[0])).toEqual(['Opleidingscode', '-', 'VB-HAVO-1', 'VB-HAVO-4']);
    expect(allText(out)).toMatch(/<dataValidation type="list"[^>]*errorStyle="warning"/);
  });

  it('reads the Studies and klassen of every source convert reads (Somtoday UmService, Connect, EduArte)', async () => {
    const dir = tempDir();
    for (const name of ['bron-somtoday-umservice.csv', 'bron-somtoday-connect.xlsx', 'bron-eduarte.csv']) {
      const out = join(dir, `${name}.xlsx`);
      const r = await runCli(['mapping', fixture(name), '--out', out, '--no-config']);
      expect(r.code, r.stderr).toBe(0);
      const { Mapping: rows } = await sheetTable(out);
      expect(rows!.length).toBeGreaterThan(1);
      // Every Studie row names example klassen (stamgroep, Plaatsingsgroep).
      expect(rows!.slice(1).every((row) => (row[3] ?? '') !== '')).toBe(true);
    }
  });

  it("starts from the school's config as convert finds it: its mapping, code list and columns", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Stamnr;Roepnaam;Achternaam;Leerroute\r\n1001;Jan;Vries;2 havo\r\n1002;Sem;Bos;pro\r\n');
    writeFileSync(join(dir, 'school.csv'), 'Studie;Opleidingscode\r\n2 havo;VB-HAVO-2\r\n');
    copyFileSync(fixture('opleidingen.csv'), join(dir, 'opleidingen.csv'));
    writeFileSync(join(dir, 'numo-prep.config.json'), JSON.stringify({ version: 1, mapping: 'school.csv', opleidingen: 'opleidingen.csv', columns: { studie: 'Leerroute' } }));
    const r = await runCli(['mapping', 'export.csv', '--out', 'mapping.xlsx'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Instellingen uit');
    // convert takes the config's mapping next year: the admin is told to point it at the new workbook.
    expect(r.stdout).toContain(`Zet daarna in numo-prep.config.json "mapping": "mapping.xlsx"; nu noemt het nog 'school.csv', en die neemt convert zonder --mapping.`);
    // From another folder: the paths as the config reads them, from its own folder.
    const up = await runCli(['mapping', join(basename(dir), 'export.csv'), '--out', join(basename(dir), 'nieuw.xlsx')], { cwd: dirname(dir) });
    expect(up.stdout).toContain(`"mapping": "nieuw.xlsx"; nu noemt het nog 'school.csv'`);
    const { Mapping: rows } = await sheetTable(join(dir, 'mapping.xlsx'));
    expect(rows!.slice(1).map((row) => [row[0], row[1] ?? ''])).toEqual([
      ['2 havo', 'VB-HAVO-2'],
      ['pro', ''],
    ]);
  });

  it('writes nothing but the workbook: no temp files, not in TMPDIR either', async () => {
    const tmp = tempDir('numo-prep-tmpdir-');
    const dir = tempDir();
    copyFileSync(fixture('magister-export.xlsx'), join(dir, 'export.xlsx'));
    const r = await spawnCli(['mapping', 'export.xlsx', '--out', 'mapping.xlsx', '--no-config'], { cwd: dir, env: { TMPDIR: tmp, TMP: tmp, TEMP: tmp } });
    expect(r.code, r.stderr).toBe(0);
    expect(listDir(tmp)).toEqual([]);
    expect(listDir(dir)).toEqual(['export.xlsx', 'mapping.xlsx']);
  });

  it('refuses a missing --out, another extension, an existing file and a Studie column that is not one', async () => {
    const dir = tempDir();
    const exp = fixture('magister-export.xlsx');
    let r = await runCli(['mapping', exp]);
    expect([r.code, r.stderr]).toEqual([2, 'numo-prep: Optie --out is nodig. Zie numo-prep mapping --help.\n']);
    r = await runCli(['mapping', exp, '--out', join(dir, 'mapping.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/eindigt op \.xlsx/);
    writeFileSync(join(dir, 'bestaat.xlsx'), 'x');
    r = await runCli(['mapping', exp, '--out', join(dir, 'bestaat.xlsx')]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'bestaat.xlsx'), 'utf8')).toBe('x');

    // A "Studie" column holding e-mail addresses: every row different.
    const lines = ['Stamnr;Roepnaam;Achternaam;Studie', ...Array.from({ length: 30 }, (_, i) => `${700100 + i};Sem;Visser;sem.visser${i}@school.example`)];
    writeFileSync(join(dir, 'export.csv'), lines.join('\r\n'));
    r = await runCli(['mapping', join(dir, 'export.csv'), '--out', join(dir, 'mapping.xlsx')]);
    expectNoStack(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Kolom 'Studie' heeft 30 verschillende waarden bij 30 leerlingen; dat is geen kolom Studie/);
    expect(r.stderr).not.toContain('@');
    expect(listDir(dir)).toEqual(['bestaat.xlsx', 'export.csv']);
  });
});

describe('convert with a mapping workbook filled by another program', () => {
  it('the committed blank workbook is what numo-prep writes today', async () => {
    const dir = tempDir();
    const out = join(dir, 'mapping.xlsx');
    expect((await runCli(['mapping', fixture('magister-export.xlsx'), '--opleidingen', fixture('opleidingen.csv'), '--out', out, '--no-config'])).code).toBe(0);
    expect(await sheetTable(out)).toEqual(await sheetTable(corpus('mapping-werkmap.xlsx')));
  });

  for (const [program, file] of [
    ['openpyxl', 'mapping-werkmap-openpyxl.xlsx'],
    ['LibreOffice', 'mapping-werkmap-libreoffice.xlsx'],
  ] as const) {
    it(`reads the workbook as ${program} saved it`, async () => {
      const dir = tempDir();
      const out = join(dir, 'numo.csv');
      const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', corpus(file), '--opleidingen', fixture('opleidingen.csv'), '--out', out, '--no-config']);
      expectNoStack(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('36 leerlingen geschreven');
      expect(r.stdout).toContain('Per opleiding: VB-HAVO-1 10, VB-HAVO-2 5, VB-VMBO-GT-3 10, VB-VMBO-KB-1 6, VB-VWO-2 5');
      expect(r.stderr).toContain('4 leerlingen met een Studie die volgens de mapping niet naar Numo gaat');
    });
  }

  it('a workbook whose Studie column was sorted on its own (the codes stayed): exit 1, nothing written; the whole table sorted is fine', async () => {
    const { Mapping: rows } = await sheetTable(corpus('mapping-werkmap-openpyxl.xlsx'));
    const [head, ...body] = rows!;
    const dir = tempDir();
    const run = async (table: string[][]) => {
      const mapping = join(dir, 'mapping.csv');
      writeFileSync(mapping, [head!, ...table].map((r) => r.join(';')).join('\r\n'));
      return runCli(['convert', fixture('magister-export.xlsx'), '--mapping', mapping, '--opleidingen', fixture('opleidingen.csv'), '--out', join(dir, 'numo.csv'), '--no-config']);
    };
    // Z to A on column A only: each Studie now sits beside another's code, count and klassen.
    const studies = body
      .map((r) => r[0]!)
      .sort()
      .reverse();
    const shuffled = await run(body.map((r, i) => [studies[i]!, ...r.slice(1)]));
    expect(shuffled.code, shuffled.stderr).toBe(1);
    expect(shuffled.stderr).toMatch(/In mapping\.csv staan bij \d van de 6 studies de voorbeeldklassen van andere studies uit deze export: de kolom Studie is los van de rest gesorteerd/);
    expect(listDir(dir)).toEqual(['mapping.csv']);
    const whole = await run([...body].reverse());
    expect(whole.code, whole.stderr).toBe(0);
  });

  it('an empty code cell is "not decided yet": convert stops and names the Studie', async () => {
    const dir = tempDir();
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', corpus('mapping-werkmap-half.xlsx'), '--out', join(dir, 'numo.csv'), '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Studie zonder opleidingscode in de mapping, nog niet beslist (5 leerlingen): '2 vwo' (5)");
    expect(r.stderr).toContain('Vul in het mappingbestand de opleidingscode in, of - als deze leerlingen niet naar Numo gaan.');
    expect(listDir(dir)).toEqual([]);
  });

  it('a blank workbook lists every undecided Studie in one line', async () => {
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', corpus('mapping-werkmap.xlsx'), '--out', join(tempDir(), 'numo.csv'), '--no-config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("6 studies zonder opleidingscode in de mapping, nog niet beslist (40 leerlingen): '1 havo' (10), '1 kader' (6), '2 havo' (5), '2 vwo' (5), '3 mavo' (10) en 1 meer");
    expect(r.stderr.split('\n').length).toBeLessThan(8);
  });
});
