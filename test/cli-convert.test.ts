import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCp1252 } from '../src/io/cp1252.js';
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
  });

  it('exits 1 with the full list and writes nothing when data has problems', async () => {
    const { dir, path } = exportCopy('magister-export-fouten.xlsx');
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', path, '--mapping', MAPPING, '--out', out]);
    expectNoStack(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Studie '4 havo' staat niet in de mapping (2 leerlingen)");
    expect(r.stderr).toContain('4 havo;<opleidingscode>');
    expect(r.stderr).toContain('Gebruikersnaam komt dubbel voor (eerste keer in rij 6)');
    expect(r.stderr).toContain('Geen geldig e-mailadres (1×): rij 9 (Stamnr 500008)');
    expect(r.stderr).toContain('Geen Stamnr (1×): rij 11');
    expect(r.stderr).toContain('Er is niets weggeschreven');
    expect(r.stderr).not.toContain('geen-adres');
    expect(listDir(dir)).toEqual(['magister-export-fouten.xlsx']);
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
    expect(r.stderr).toMatch(/Teken 'Ş' \(U\+015E\) in kolom voornaam past niet in Windows-1252 \(1×\): rij 2 \(Stamnr 1001\)/);
    expect(r.stderr).toContain('--encoding utf8-bom');
    expect(listDir(dir)).toEqual(['export.csv']);
  });

  it('filters on klas and studie, with templates for gebruikersnaam and password', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    const r = await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out, '--klas', '1*', '--studie', '1 havo,1 kader',
      '--gebruikersnaam', 'll{stamnr}', '--password', 'template', '--password-template', 'W{stamnr}', '--rol', 'docent']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('leerlingen kunnen elkaars wachtwoord raden');
    expect(r.stderr).toMatch(/\d+ leerlingen vallen buiten het klas-\/studiefilter/);
    const rows = readFileSync(out, 'utf8').slice(1).trim().split('\r\n').slice(1).map((l) => l.split(';'));
    expect(rows.length).toBeGreaterThan(0);
    for (const cells of rows) {
      expect(cells[0]).toMatch(/^ll1000\d\d$/);
      expect(cells[4]).toMatch(/^1/);
      expect(cells[7]).toBe(`W${cells[0]!.slice(2)}`);
      expect(cells[8]).toBe('docent');
    }
  });

  it('leaves the password column empty with --password none', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    expect((await runCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out, '--password', 'none'])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n').slice(1);
    expect(lines.every((l) => l.split(';')[7] === '')).toBe(true);
  });

  it('uses the codes as they are when the admin already renamed Studie to opleiding', async () => {
    const dir = tempDir();
    const src = join(dir, 'export.csv');
    writeFileSync(src, encodeCp1252('gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail\r\n1001;Zoë;;Vries;2H1;VB-HAVO-2;\r\n'));
    const r = await runCli(['convert', src, '--out', join(dir, 'o.csv')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8')).toContain('1001;Zoë;;Vries;2H1;VB-HAVO-2;;');
  });

  it('gives Dutch usage errors with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['convert'], /Geef het bestand op/],
      [['convert', fixture('magister-export.xlsx'), '--bogus'], /Onbekende optie --bogus/],
      [['convert', fixture('magister-export.xlsx'), '--rol', 'admin'], /Ongeldige waarde 'admin' voor --rol <rol>\. Toegestaan: leerling, docent/],
      [['convert', 'bestaat-niet.xlsx'], /Bestand niet gevonden: bestaat-niet\.xlsx/],
      [['convert', fixture('magister-export.xlsx'), '--gebruikersnaam', '{naam}'], /onbekend veld \{naam\}/],
      [['convert', fixture('magister-export.xlsx'), '--password', 'template'], /--password-template/],
      [['convert', fixture('magister-export.xlsx'), '--out', '/bestaat/niet/o.csv'], /De map \/bestaat\/niet bestaat niet/],
      [['convert', fixture('magister-export.xlsx'), '--out', fixture('magister-export.xlsx'), '--force'], /ook een invoerbestand/],
      [['opruimen'], /Onbekend commando 'opruimen'/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expectNoStack(r);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('shows help in Dutch, fast, without loading the heavy modules', async () => {
    const r = await runCli(['convert', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Gebruik: numo-prep convert');
    expect(r.stdout).toContain('--mapping <bestand>');
  });
});
