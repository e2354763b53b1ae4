import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { makeFilter } from '../src/core/filter.js';
import { Findings, formatRefs } from '../src/core/findings.js';
import { IdgebrIndex } from '../src/core/idgebr.js';
import { Mapping, parseMappingRows } from '../src/core/mapping.js';
import { parseOpleidingen } from '../src/core/opleidingen.js';
import { type PipelineOptions, runPipeline } from '../src/core/pipeline.js';
import type { NumoRow, Student } from '../src/core/schema.js';
import { codeLeerjaar, hiddenStudie, leerjaarValue, looksLikeKlas, looksLikeStamnr, looksLikeStudieColumn, studieShape } from '../src/core/shape.js';
import { compileTemplate, RandomChars } from '../src/core/template.js';
import { RowValidator } from '../src/core/validate.js';
import { locateTable } from '../src/io/table.js';
import { runCheck } from '../src/run/check.js';
import { loadConfig } from '../src/run/config.js';
import { loadIdgebr, loadMapping, loadOpleidingen, loadPrevious } from '../src/run/load-tables.js';
import { createUi } from '../src/ui/terminal.js';
import { EXPORT_COLUMNS, fixture, PIPELINE_HEADERS, pipelineOptions, rowsOf, runCli, tempDir } from './helpers.js';

const mapping = new Mapping([
  { studie: '2 havo', code: 'VB-HAVO-2' },
  { studie: '1 kader', code: 'vb-vmbo-kb-1' },
]);

const options = (extra: Partial<PipelineOptions> = {}) => pipelineOptions(mapping, extra);

async function run(rows: (string | number)[][], extra: Partial<PipelineOptions> = {}) {
  const out: NumoRow[] = [];
  const result = await runPipeline(rowsOf(rows), options(extra), (r) => void out.push(r));
  const text =
    JSON.stringify(result.findings.list()) +
    result.findings
      .list()
      .map((f) => formatRefs(f))
      .join('\n');
  return { ...result, out, text, codes: result.findings.list().map((f) => `${f.level}:${f.code}`) };
}

/** Everything a message could show, for "is this value anywhere in it?". */
const shown = (findings: Findings) => JSON.stringify(findings.list());

describe('data that must never pass silently', () => {
  it('a ? in a name (a letter lost in an ANSI export) is an error per row, without the name', async () => {
    const r = await run([
      [1001, 'Ay?e', '', 'Y?lmaz', '2H1', '2 havo', ''],
      [1002, 'Daan', '', 'Jansen', '2H1', '2 havo', ''],
      [1003, 'Ren\uFFFD', '', 'Bos', '2H1', '2 havo', ''],
    ]);
    const lost = r.findings.list('error').filter((f) => f.code === 'lost-letter');
    expect(lost.map((f) => f.refs)).toEqual([
      [
        { row: 2, stamnr: '1001' },
        { row: 4, stamnr: '1003' },
      ],
      [{ row: 2, stamnr: '1001' }],
    ]);
    expect(lost[0]!.hint).toMatch(/\.xlsx.*UTF-8/);
    expect(r.text).not.toMatch(/Ay\?e|Y\?lmaz|Ren/);
  });

  it('a " in a name (a CSV quote read as text) and an IDGebr Excel changed are errors, without the values', async () => {
    const idgebr = new IdgebrIndex();
    idgebr.add('1001', '30001', 2);
    idgebr.add('1002', '3,0005E+04', 3);
    idgebr.add('1003', '30006.0', 4);
    // A number format with leading zeros (000000) on the IDGebr column.
    idgebr.add('1004', '030007', 5);
    const r = await run(
      [
        [1001, 'Jan', '"van der"', 'Vries', '"2H1"', '2 havo', ''],
        [1002, 'Els', '', 'Smit', '2H1', '2 havo', ''],
        [1003, 'Bas', '', 'Bos', '2H1', '2 havo', ''],
        [1004, 'Eva', '', 'Dijk', '2H1', '2 havo', ''],
      ],
      { idgebr },
    );
    const quotes = r.findings.list('error').filter((f) => f.code === 'name-quote');
    expect(quotes.map((f) => f.message)).toEqual([expect.stringContaining('kolom tussenvoegsel'), expect.stringContaining('kolom klas')]);
    expect(quotes[0]!.refs).toEqual([{ row: 2, stamnr: '1001' }]);
    expect(r.findings.list('error').find((f) => f.code === 'idgebr-shape')!.refs).toEqual([
      { row: 3, stamnr: '1002' },
      { row: 4, stamnr: '1003' },
      { row: 5, stamnr: '1004' },
    ]);
    expect(r.text).not.toMatch(/van der|2H1|3,0005E|30006\.0|030007/);
  });

  it('a name that is only a number, a date or a time (shifted columns, a formula placeholder) is an error; a digit beside letters is a warning', async () => {
    const r = await run([
      [1001, '0', '', 'Vries', '2H1', '2 havo', ''],
      [1002, 'Els', '12', 'Smit', '2H1', '2 havo', ''],
      [1003, 'Bas 2', '', 'Bos', '2H1', '2 havo', ''],
      [1004, 'Eva', '', '2025-05-31', '2H1', '2 havo', ''],
      [1005, 'Eline', '10:30:00', 'Ünal', '2H1', '2 havo', ''],
      [1006, 'Anaïs', '-', 'Dijk-2', '2H1', '2 havo', ''],
    ]);
    const numbers = r.findings.list('error').filter((f) => f.code === 'name-number');
    // 0 is a lookup formula's empty cell, which Excel may even show as empty: said so, not "a number or date".
    expect(
      r.findings
        .list('error')
        .filter((f) => f.code === 'name-zero')
        .map((f) => [f.message, f.refs]),
    ).toEqual([["Kolom voornaam is 0: wat een formule geeft voor een lege cel (Excel laat zo'n 0 soms niet zien)", [{ row: 2, stamnr: '1001' }]]]);
    expect(numbers.map((f) => [f.message, f.refs])).toEqual([
      [
        expect.stringContaining('Kolom tussenvoegsel is een getal'),
        [
          { row: 3, stamnr: '1002' },
          { row: 6, stamnr: '1005' },
        ],
      ],
      [expect.stringContaining('Kolom achternaam is een getal'), [{ row: 5, stamnr: '1004' }]],
    ]);
    // Bas 2, Dijk-2: a Klas in the name column (columns swapped) or a number typed into the name.
    const digits = r.findings.list('warning').filter((f) => f.code === 'name-digit');
    expect(digits.map((f) => [f.message, f.refs])).toEqual([
      [expect.stringContaining('Cijfer in kolom voornaam'), [{ row: 4, stamnr: '1003' }]],
      [expect.stringContaining('Cijfer in kolom achternaam'), [{ row: 7, stamnr: '1006' }]],
    ]);
  });

  it("a Stamnr 0 (a lookup formula's empty cell) is an error, as a missing one is, whatever the username", async () => {
    const r = await run(
      [
        [0, 'Emma', '', 'Bos', '1A', '2 havo', ''],
        ['000', 'Sem', '', 'Mol', '1A', '2 havo', ''],
        [100003, 'Eva', '', 'Smit', '1A', '2 havo', ''],
      ],
      { gebruikersnaam: compileTemplate('{voornaam}.{achternaam}', '--gebruikersnaam') },
    );
    // Two of them are two cells that look empty in Excel, not one student twice (whose row the advice would remove).
    expect(r.codes).toEqual(['error:stamnr-zero']);
    expect(r.findings.list('error').find((f) => f.code === 'stamnr-zero')?.refs).toEqual([
      { row: 2, stamnr: '0' },
      { row: 3, stamnr: '000' },
    ]);
    // With the Stamnr as the username: said once, as the Stamnr.
    const own = await run([[0, 'Emma', '', 'Bos', '1A', '2 havo', '']]);
    expect(own.codes).toEqual(['error:stamnr-zero']);
  });

  it('an address with a lost letter (? or U+FFFD from an ANSI save, Ã« from a wrong conversion) is an error', async () => {
    const r = await run([
      [1001, 'Zoe', '', 'Vries', '2H1', '2 havo', 'zo\uFFFD@school.nl'],
      [1002, 'Zoe', '', 'Smit', '2H1', '2 havo', 'zo\u00C3\u00AB@school.nl'],
      [1003, 'Jose', '', 'Bos', '2H1', '2 havo', 'jo?se@school.nl'],
      [1004, 'Zoë', '', 'Dijk', '2H1', '2 havo', 'zoë@school.nl'],
    ]);
    const lost = r.findings.list('error').filter((f) => f.code === 'email-lost-letter');
    expect(lost.map((f) => f.refs.map((ref) => ref.row))).toEqual([[2, 3, 4]]);
    expect(r.text).not.toContain('school.nl');
  });

  it('a surname in the sort form of a name list (Berg, van den) is a warning; a comma in another surname is not', async () => {
    const r = await run([
      [1001, 'Zoe', 'van den', 'Berg, van den', '2H1', '2 havo', ''],
      [1002, 'Els', '', "Hart, 't", '2H1', '2 havo', ''],
      [1003, 'Bas', '', 'Bos, jr.', '2H1', '2 havo', ''],
    ]);
    expect(
      r.findings
        .list('warning')
        .find((f) => f.code === 'achternaam-sort-form')
        ?.refs.map((ref) => ref.row),
    ).toEqual([2, 3]);
    expect(r.text).not.toContain('Hart');
  });

  it('a surname that is only a tussenvoegsel (van der: the surname itself lost) is a warning', async () => {
    const r = await run([
      [1001, 'Daan', '', 'van der', '2H1', '2 havo', ''],
      [1002, 'Eva', 'van', "'t", '2H1', '2 havo', ''],
      [1003, 'Bas', 'de', 'Vries', '2H1', '2 havo', ''],
      [1004, 'Ilse', '', 'Vandermeer', '2H1', '2 havo', ''],
    ]);
    expect(
      r.findings
        .list('warning')
        .find((f) => f.code === 'achternaam-only-tussenvoegsel')
        ?.refs.map((ref) => ref.row),
    ).toEqual([2, 3]);
    expect(r.text).not.toContain('Vries');
  });

  it('a login with a space, or two that are one when case and accents do not count (Zoë, Zoe), is an error', async () => {
    const r = await run(
      [
        [1001, 'Anna Sophie', '', 'Smit', '2H1', '2 havo', ''],
        [1002, 'Zo\u00EB', '', 'Jansen', '2H1', '2 havo', ''],
        [1003, 'Zoe', '', 'Jansen', '2H1', '2 havo', ''],
        [1004, 'J\u00F6rg', '', 'Strau\u00DF', '2H1', '2 havo', ''],
        [1005, 'Jorg', '', 'Strauss', '2H1', '2 havo', ''],
        [1006, '\uFF2A\uFF41\uFF4E', '', 'Bos', '2H1', '2 havo', ''],
        [1007, 'Jan', '', 'Bos', '2H1', '2 havo', ''],
        [1008, 'I\u015F\u0131k', '', 'Kaya', '2H1', '2 havo', ''],
        [1009, 'Isik', '', 'Kaya', '2H1', '2 havo', ''],
        [1010, 'Zo\u00EB', '', 'Bakker', '2H1', '2 havo', ''],
        [1011, '\u0141ukasz', '', 'Nowak', '2H1', '2 havo', ''],
        [1012, 'Lukasz', '', 'Nowak', '2H1', '2 havo', ''],
        [1013, '\u00C6sa', '', '\u00D8deg\u00E5rd', '2H1', '2 havo', ''],
        [1014, 'Aesa', '', 'Odegard', '2H1', '2 havo', ''],
      ],
      { gebruikersnaam: compileTemplate('{voornaam}.{achternaam}', '--gebruikersnaam') },
    );
    expect(r.findings.list('error').find((f) => f.code === 'gebruikersnaam-space')?.refs).toEqual([{ row: 2, stamnr: '1001' }]);
    const twice = r.findings.list('error').filter((f) => f.code === 'duplicate-gebruikersnaam');
    expect(twice.flatMap((f) => f.refs.map((ref) => ref.row))).toEqual([4, 6, 8, 10, 13, 15]);
    expect(r.text).not.toMatch(/Zo|Jansen|Anna/);
  });

  it('an Excel error as text (#N/A from a CSV, Err:502 from LibreOffice) is an error in a name or klas; a long name counts characters', async () => {
    const r = await run([
      [1001, 'Jan', '#N/A', 'Vries', '2H1', '2 havo', ''],
      [1002, '#WAARDE!', '', 'Smit', 'Err:502', '2 havo', ''],
      [1003, 'Els', '', '\u{20000}'.repeat(130), '2H1', '2 havo', ''],
      [1004, 'Ed', '', 'x'.repeat(256), '2H1', '2 havo', ''],
      [1005, '#Bas', '', 'Bos', '#2H1', '2 havo', ''],
    ]);
    expect(
      r.findings
        .list('error')
        .map((f) => f.code === 'excel-error-text' && [f.message.slice(0, 40), f.refs.map((ref) => ref.row)])
        .filter(Boolean),
    ).toEqual([
      ['Excel-foutwaarde (zoals #N/B) in kolom t', [2]],
      ['Excel-foutwaarde (zoals #N/B) in kolom v', [3]],
      ['Excel-foutwaarde (zoals #N/B) in kolom k', [3]],
    ]);
    expect(
      r.findings
        .list('error')
        .find((f) => f.code === 'too-long')
        ?.refs.map((ref) => ref.row),
    ).toEqual([5]);
  });

  it('an Excel error is one in any language, and only that is said of it; in a login it may be part of the value', async () => {
    const r = await run(
      [
        [1001, 'Jan', '', '#NAAM?', '#FMT', '2 havo', ''],
        [1002, '#DEEL/0!', '', 'Smit', 'Fout:502', '2 havo', ''],
        [1003, 'Els', '', '#\u00DCBERLAUF!', '2H1', '2 havo', ''],
        [1004, 'Bas', '', 'Bos', '#2', '2 havo', ''],
      ],
      { gebruikersnaam: compileTemplate('ll{voornaam}', '--gebruikersnaam') },
    );
    const errors = r.findings.list('error').filter((f) => f.code === 'excel-error-text');
    expect(errors.map((f) => [f.message.slice(0, 50), f.refs.map((ref) => ref.row)])).toEqual([
      ['Excel-foutwaarde (zoals #N/B) in kolom achternaam:', [2, 4]],
      ['Excel-foutwaarde (zoals #N/B) in kolom klas: een f', [2, 3]],
      ['Excel-foutwaarde (zoals #N/B) in kolom gebruikersn', [3]],
      ['Excel-foutwaarde (zoals #N/B) in kolom voornaam: e', [3]],
    ]);
    // No other explanation of the same cell: the ? of #NAAM? is no lost letter, the 0 of #DEEL/0! no shifted klas.
    expect(r.codes.filter((c) => /lost-letter|name-digit|name-number/.test(c))).toEqual([]);
  });

  it('an Excel error as the Studie is named as one, never offered as a mapping line; an unshown Studie names all its rows', async () => {
    const r = await run([
      [1001, 'Jan', '', 'Vries', '2H1', '#N/B', ''],
      [1002, 'Els', '', 'Smit', '2H1', '#N/B', ''],
      [1003, 'Bas', '', 'Bos', '2H1', 'Eerste monteur elektrotechnische installaties in de woning en utiliteit', ''],
      [1004, 'Eva', '', 'Dijk', '2H1', 'Eerste monteur elektrotechnische installaties in de woning en utiliteit', ''],
    ]);
    expect(r.findings.list('error').find((f) => f.code === 'excel-error-text')).toMatchObject({ message: expect.stringContaining('in kolom Studie'), count: 2 });
    expect(r.codes).not.toContain('error:unmapped-studie');
    const hidden = r.findings.list('error').find((f) => f.code === 'unmapped-studie-hidden')!;
    expect(hidden.refs.map((ref) => ref.row)).toEqual([4, 5]);
    expect(hidden.hint).toContain('zet de Studie dan zelf met de code in de mapping');
    expect(r.text).not.toContain('monteur');
  });

  it('a name part without letters (., -, a dash or …) is an error in the surname and a warning elsewhere; a 50,000-digit run finishes (a backtracking check would not)', async () => {
    const r = await run([
      [1001, 'Jan', '', '.', '2H1', '2 havo', ''],
      [1004, 'Ada', '', '\u2013', '2H1', '2 havo', ''],
      [1002, '-', '-', 'Smit', '2H1', '2 havo', ''],
      [1003, 'Els', '', `${'1'.repeat(50_000)}a`, '2H1', '2 havo', ''],
    ]);
    const noLetter = r.findings.list().filter((f) => f.code === 'name-no-letter');
    expect(noLetter.map((f) => [f.level, f.message, f.refs.map((ref) => ref.row)])).toEqual([
      ['error', 'Achternaam heeft geen letters (zoals . of -)', [2, 3]],
      ['warning', expect.stringContaining('Kolom voornaam'), [4]],
      ['warning', expect.stringContaining('Kolom tussenvoegsel'), [4]],
    ]);
    expect(r.codes).toContain('warning:name-digit');
    expect(r.codes).not.toContain('error:name-number');
  });

  it('a password kept from last year with a space at its end is written as it is, and said, as check says it', () => {
    const findings = new Findings();
    const row: NumoRow = {
      gebruikersnaam: '1001',
      voornaam: 'Jan',
      tussenvoegsel: '',
      achternaam: 'Vries',
      klas: '2H1',
      opleiding: 'VB-HAVO-2',
      'e-mail': '',
      wachtwoord: '=Welkom1 ',
      rol: 'leerling',
    };
    const validator = new RowValidator(findings, 'utf8-bom');
    validator.check(row, { row: 2, stamnr: '1001' });
    // #N/B as last year's password is what Numo has: a warning, not a refusal.
    validator.check({ ...row, gebruikersnaam: '1002', wachtwoord: '#N/B' }, { row: 3, stamnr: '1002' });
    expect(findings.hasErrors).toBe(false);
    expect(findings.list('warning').map((f) => f.code)).toEqual(['password-hidden-chars', 'password-formula-like', 'password-excel-error']);
    expect(shown(findings)).not.toContain('Welkom');
  });

  it('mailto: is taken off with a warning; an address with a space is an error', async () => {
    const r = await run([
      [1001, 'Jan', '', 'Vries', '2H1', '2 havo', 'mailto:1001@school.nl'],
      [1002, 'Els', '', 'Smit', '2H1', '2 havo', '1002 @school.nl'],
    ]);
    expect(r.codes).toContain('warning:email-mailto');
    expect(r.codes).toContain('error:email-space');
    expect(r.out[0]!['e-mail']).toBe('1001@school.nl');
  });

  it('a Klas Excel turned into a date is a warning; a Stamnr with letters is an error that does not show it', async () => {
    const r = await run([
      [1001, 'Jan', '', 'Vries', '2026-02-01', '2 havo', ''],
      [1002, 'Els', '', 'Smit', '1-feb', '2 havo', ''],
      ['Pieter de Vries', 'Els', '', 'Smit', '2H1', '2 havo', ''],
    ]);
    expect(r.findings.list('warning').find((f) => f.code === 'klas-date')?.count).toBe(2);
    const shape = r.findings.list('error').find((f) => f.code === 'stamnr-shape')!;
    expect(shape.refs).toEqual([{ row: 4 }]);
    expect(r.text).not.toContain('Pieter');
    expect(formatRefs(shape)).toBe('rij 4');
  });

  it('a Klas Excel turned into a number in scientific notation (1E1 saved as 1,00E+01) is a warning; 1E1 itself is not', async () => {
    const r = await run([
      [1001, 'Jan', '', 'Vries', '1,00E+01', '2 havo', ''],
      [1002, 'Els', '', 'Smit', '3.00E+02', '2 havo', ''],
      [1003, 'Bas', '', 'Bos', '1E1', '2 havo', ''],
    ]);
    expect(r.findings.list('warning').find((f) => f.code === 'klas-scientific')?.refs).toEqual([
      { row: 2, stamnr: '1001' },
      { row: 3, stamnr: '1002' },
    ]);
  });

  it('a teacher list (rol docent) may have letters in the login column', async () => {
    const r = await run([['JVR', 'Jan', '', 'Vries', '', '2 havo', '']], { rol: 'docent' });
    expect(r.codes).not.toContain('error:stamnr-shape');
  });

  it('with the list of opleidingen, codes are written as the list spells them', async () => {
    const knownCodes = new Map([
      ['vb-havo-2', 'VB-HAVO-2'],
      ['vb-vmbo-kb-1', 'VB-VMBO-KB-1'],
    ]);
    const r = await run([[1001, 'Jan', '', 'Vries', '1K1', '1 kader', '']], { knownCodes });
    expect(r.out[0]!.opleiding).toBe('VB-VMBO-KB-1');
    expect(r.codes).toContain('info:opleiding-spelling');
  });

  it('a code list without a recognisable code column is an error about that file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lijst.csv'), 'Naam\r\nVB-HAVO-2\r\nVB-VWO-2\r\n');
    await expect(loadOpleidingen(join(dir, 'lijst.csv'))).rejects.toThrow(/lijst\.csv: geen kolom met opleidingscodes gevonden/);
  });

  it("Numo's inleesbestand is read from its sheet Opleidingen also when that name goes on (Opleidingen 2026)", async () => {
    const dir = tempDir();
    const XLSX = await import('@e965/xlsx');
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['gebruikersnaam', 'wachtwoord'],
        ['100001', 'x'],
      ]),
      'Leerlingen',
    );
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['Opleidingscode', 'Opleiding'],
        ['VB-HAVO-2', 'havo leerjaar 2'],
      ]),
      'Opleidingen 2026',
    );
    writeFileSync(join(dir, 'inlees.xlsx'), XLSX.write(wb, { bookType: 'xlsx', type: 'buffer' }));
    expect(await loadOpleidingen(join(dir, 'inlees.xlsx'))).toEqual([{ code: 'VB-HAVO-2', label: 'havo leerjaar 2' }]);
  });

  it('template fields are exactly the documented ones', () => {
    for (const field of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(() => compileTemplate(`x{${field}}`, '--password-template', new RandomChars(randomFillSync)), field).toThrow(/onbekend veld/);
    }
  });

  it('--klas wildcards match in linear time, also for *?*?…', () => {
    const keep = makeFilter({ klas: [`${'*?'.repeat(30)}b`] });
    const student = (klas: string): Student => ({ row: 2, stamnr: '1', roepnaam: '', tussenvoegsel: '', achternaam: '', klas, studie: '', email: '', idgebr: '', login: '', code: '' });
    for (let i = 0; i < 1000; i++) expect(keep(student('a'.repeat(200)))).toBe(false);
    expect(keep(student(`${'a'.repeat(30)}b`))).toBe(true);
    expect(keep(student('a'.repeat(29)))).toBe(false);
    // A RegExp took hours here: a backtracking matcher would not finish these calls (no clock needed to see it).
    const glob = makeFilter({ klas: ['2?1', '4*'] });
    expect(['2H1', '2h1', '4vwo', '21', '2H12'].map((k) => glob(student(k)))).toEqual([true, true, true, false, false]);
  });
});

describe('a mis-chosen Studie column', () => {
  const names = Array.from({ length: 1760 }, (_, i) => `Voornaam${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + (Math.floor(i / 26) % 26))} Achter${i % 7}`);

  it('is one finding before any question, with none of its values', async () => {
    const rows = names.map((n, i) => [100000 + i, 'Jan', '', 'Vries', '2H1', n, '']);
    const r = await run(rows);
    expect(r.findings.list('error').map((f) => f.code)).toEqual(['studie-column']);
    expect(r.findings.list('error')[0]!.message).toContain('1.760 verschillende waarden');
    expect(r.unmapped.size).toBe(0);
    expect(r.text).not.toContain('Voornaam');
  });

  it('a ROC: hundreds of opleidingen are a Studie column, and a mapping that knows most of its rows vouches for it', async () => {
    const m = (entries: [string, number][]) => new Map(entries);
    const opleidingen = Array.from({ length: 230 }, (_, i) => `Medewerker ${['ICT', 'Zorg', 'Logistiek', 'Horeca', 'Techniek'][i % 5]} niveau ${(i % 4) + 1} variant ${i}`);
    expect(looksLikeStudieColumn(m(opleidingen.map((o) => [o, 9])))).toBe(true);
    // mbo qualifications and a Magister Studie without its year are single capitalised words too.
    const words = ['Kok', 'Kapper', 'Bakker', 'Verpleegkundige', 'Doktersassistent', 'Kopklas', 'Entree', 'Praktijkonderwijs', 'Havo', 'Vwo', 'Mavo'];
    expect(looksLikeStudieColumn(m(words.map((w) => [w, 30])))).toBe(true);
    // Two new opleidingen this year, in a file of 232: named one by one, no "not the Studie column".
    const known = new Mapping(opleidingen.slice(0, 228).map((studie) => ({ studie, code: 'MBO-1' })));
    const rows = opleidingen.flatMap((o, i) => [0, 1].map((k) => [100000 + i * 2 + k, 'Sam', '', 'Berg', '1A', o, '']));
    const r = await runPipeline(rowsOf(rows), pipelineOptions(known), () => {});
    expect(r.findings.list('error').map((f) => f.code)).toEqual(['unmapped-studie', 'unmapped-studie']);
    // Rows a filter left out vouch for nothing: a column of surnames stays refused with --klas.
    const surnames = Array.from({ length: 300 }, (_, i) => [300000 + i, 'Sam', '', 'Berg', i < 30 ? '1A' : '2A', `Achternaam${i % 110}`, '']);
    const filtered = await runPipeline(rowsOf(surnames), pipelineOptions(new Mapping([]), { filter: { klas: ['1*'] } }), () => {});
    expect(filtered.findings.list('error').map((f) => f.code)).toEqual(['studie-column']);
    // A mapping that lacks many: the 10 largest with the line to add, then one line for the rest.
    const thirty = opleidingen.slice(0, 30).flatMap((o, i) => [0, 1, 2].map((k) => [200000 + i * 3 + k, 'Sam', '', 'Berg', '1A', o, '']));
    const first = await runPipeline(rowsOf(thirty), pipelineOptions(new Mapping([])), () => {});
    expect(first.findings.list('error').map((f) => f.code)).toEqual([...Array(10).fill('unmapped-studie'), 'unmapped-studie-more']);
    expect(first.findings.list('error').at(-1)!.message).toBe('Nog 20 studies staan niet in de mapping (samen 60 leerlingen)');
    // No mapping at all: one line, with how to make one.
    const none = await runPipeline(rowsOf(thirty), pipelineOptions(new Mapping([]), { noMapping: { hint: 'Maak er een.' } }), () => {});
    expect(none.findings.list('error').map((f) => [f.message, f.hint])).toEqual([['Er is nog geen mapping: 30 Studies hebben een opleidingscode nodig (samen 90 leerlingen)', 'Maak er een.']]);
  });

  it('looksLikeStudieColumn: studies yes; names, e-mails, many distinct values no', () => {
    const m = (entries: [string, number][]) => new Map(entries);
    expect(
      looksLikeStudieColumn(
        m([
          ['1 havo', 120],
          ['2 vwo', 90],
          ['3 mavo gymn', 80],
        ]),
      ),
    ).toBe(true);
    expect(looksLikeStudieColumn(m(names.slice(0, 300).map((n) => [n, 1])))).toBe(false);
    expect(looksLikeStudieColumn(m(names.slice(0, 25).map((n) => [n, 1])))).toBe(false);
    expect(
      looksLikeStudieColumn(
        m([
          ['a@school.nl', 1],
          ['b@school.nl', 1],
          ['c@school.nl', 1],
          ['2 havo', 1],
        ]),
      ),
    ).toBe(false);
    expect(looksLikeStudieColumn(m([['2 havo', 1]]))).toBe(true);
    expect(
      looksLikeStudieColumn(
        m([
          ['25168', 40],
          ['25655', 35],
        ]),
      ),
    ).toBe(true); // EduArte crebo codes
    expect(
      looksLikeStudieColumn(
        m([
          ['0612345678', 1],
          ['0687654321', 1],
          ['0611122233', 1],
          ['2 havo', 30],
        ]),
      ),
    ).toBe(false);
    // mbo qualifications are named in up to some 12 words.
    const mbo = [
      'Eerste monteur elektrotechnische installaties in de woning en utiliteit',
      'Medewerker maatschappelijke zorg, begeleider specifieke doelgroepen niveau 4',
      'Junior accountmanager / Commercieel medewerker binnendienst en buitendienst',
    ];
    expect(looksLikeStudieColumn(m([...mbo.map((q): [string, number] => [q, 8]), ['Verzorgende IG', 8]]))).toBe(true);
    expect(mbo.map(studieShape)).toEqual(['long', 'long', 'long']);
    expect(studieShape('Heeft dyslexie en krijgt bij toetsen altijd extra tijd, zie het dossier bij de mentor van de klas')).toBeUndefined();
  });

  it('a long value is shown only when at least 3 students share it: on one row it may be a note about a student', async () => {
    const note = 'Leerling krijgt extra tijd bij toetsen vanwege dyslexie';
    const r = await run([['600001', 'Zoë', '', 'Koster', '2H1', note, '']]);
    expect(r.text).not.toContain('dyslexie');
    expect(r.text).toContain('de waarde wordt niet getoond (lang, en bij minder dan 3 leerlingen)');
  });
});

describe('check, the last look before Numo', () => {
  const HEADER = 'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol';
  const checkFile = (content: string | Buffer) => {
    const file = join(tempDir(), 'numo.csv');
    writeFileSync(file, content);
    return runCheck(file);
  };

  it('a file with lines in UTF-8 and lines in Windows-1252 is an error naming the lines: Numo reads one encoding', async () => {
    const utf8 = Buffer.from(`\uFEFF${HEADER}\r\n1001;Zo\u00EB;;Vries;2H1;VB-HAVO-2;;Abc23456;leerling\r\n`);
    const ansi = Buffer.from('1002;Zo\xEB;;Smit;2H1;VB-HAVO-2;;Abc23457;leerling\r\n', 'latin1');
    const report = await checkFile(Buffer.concat([utf8, ansi]));
    expect(report.findings.list('error').map((f) => [f.code, f.message])).toEqual([['mixed-encoding', expect.stringContaining('(regel 3 in Windows-1252)')]]);
  });

  it("says the codes were checked for their shape only without Numo's list: a Studie left in the column passes that", async () => {
    const file = [HEADER, '1001;Jan;;Vries;2H1;2 havo;;Abc23456;leerling', ''].join('\r\n');
    const infos = (r: Awaited<ReturnType<typeof runCheck>>) => r.findings.list('info').map((f) => f.code);
    expect(infos(await checkFile(file))).toEqual(['codes-unchecked']);
    const list = join(tempDir(), 'opleidingen.csv');
    writeFileSync(list, 'Opleidingscode\r\n2 havo\r\n');
    const path = join(tempDir(), 'numo.csv');
    writeFileSync(path, file);
    expect(infos(await runCheck(path, { opleidingen: list }))).toEqual([]);
    // A file of staff without opleiding has nothing to check.
    expect(infos(await checkFile([HEADER, '1001;Jan;;Vries;;;;Abc23456;docent', ''].join('\r\n')))).toEqual([]);
  });

  it('a row without IDGebr where others have one is named, as convert names it; one with neither password nor IDGebr once', async () => {
    const report = await checkFile(
      [`${HEADER};IDGebr`, '1001;Jan;;Vries;2H1;VB-HAVO-2;;Abc23456;leerling;5001', '1002;Els;;Smit;2H1;VB-HAVO-2;;Abc23457;leerling;', '1003;Bas;;Bos;2H1;VB-HAVO-2;;;leerling;', ''].join('\r\n'),
    );
    expect(report.findings.list('warning').map((f) => [f.code, f.refs.map((ref) => ref.row)])).toEqual([
      ['no-login-row', [4]],
      ['no-idgebr', [3]],
    ]);
    // Without any IDGebr the column is empty on purpose (no SSO): nothing to say per row.
    const none = await checkFile([`${HEADER};IDGebr`, '1001;Jan;;Vries;2H1;VB-HAVO-2;;Abc23456;leerling;', ''].join('\r\n'));
    expect(none.findings.list('warning')).toEqual([]);
  });

  it('a space in a gebruikersnaam, an Excel error as text and a header with a no-break space are errors', async () => {
    const report = await checkFile(
      [HEADER.replace('e-mail', 'e\u00A0mail'), '1001 2;Jan;;Vries;2H1;VB-HAVO-2;;Abc23456;leerling', '1002;Els;#N/B;Smit;2H1;VB-HAVO-2;;Abc23457;leerling', ''].join('\r\n'),
    );
    expect(report.findings.list('error').map((f) => [f.code, f.refs.map((ref) => ref.row)])).toEqual([
      ['header-hidden-chars', []],
      ['gebruikersnaam-space', [2]],
      ['excel-error-text', [3]],
    ]);
  });
});

describe('a report stays a few lines whatever the file holds', () => {
  it('an export pasted under itself: every duplicate is one finding, the earlier row in its reference', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [1001 + (i % 1000), 'Jan', '', 'Vries', '2H1', '2 havo', '']);
    const r = await run(rows);
    expect(r.findings.list().map((f) => [f.code, f.count])).toEqual([['duplicate-stamnr', 1000]]);
    expect(formatRefs(r.findings.list()[0]!)).toBe(
      'rij 1002 (Stamnr 1001, eerder in rij 2), rij 1003 (Stamnr 1002, eerder in rij 3), rij 1004 (Stamnr 1003, eerder in rij 4), rij 1005 (Stamnr 1004, eerder in rij 5), rij 1006 (Stamnr 1005, eerder in rij 6) en 995 meer',
    );
  });

  it('a kind of finding with a value in its text has at most 20 lines, then one for the rest', () => {
    const findings = new Findings();
    for (let i = 0; i < 500; i++) {
      findings.error('unknown-opleiding', `Opleidingscode 'X-${i}' staat niet in de lijst met Numo-opleidingen`, { row: i + 2 });
      if (i === 300) findings.error('email-invalid', 'Geen geldig e-mailadres', { row: i + 2 });
    }
    const list = findings.list();
    expect(list).toHaveLength(22);
    // Right under its own kind, not under the finding that came last.
    expect(list[20]).toMatchObject({ code: 'unknown-opleiding', message: 'En meer van de soort hierboven, met een andere waarde', count: 480 });
    expect(list[21]!.code).toBe('email-invalid');
    expect(findings.errorCount).toBe(501);
  });
});

describe('a Stamnr or a phone number', () => {
  it('a Dutch phone number is no Stamnr (never shown as one); a Stamnr padded to 10 digits is', () => {
    for (const phone of ['0612345678', '0101234567', '0591123456']) expect(looksLikeStamnr(phone)).toBe(false);
    for (const stamnr of ['0001234567', '0000001201', '1234567890', '001201', '1201']) expect(looksLikeStamnr(stamnr)).toBe(true);
  });
  it('a Studie on one row is shown when its words say school (VAVO, Technasium, Gemengde leerweg), hidden when it may be a name', () => {
    for (const studie of [
      'VAVO',
      'VSO Arbeidsmarkt',
      'Technasium',
      'Praktijkschool',
      'Onderbouw',
      'Gemengde leerweg',
      'Kaderberoepsgericht',
      'Entreeopleiding',
      'EOA',
      'LOOT',
      'Kopklas',
      'ISK',
      'mavo/havo',
      '2 havo',
    ])
      expect(hiddenStudie(studie, 1), studie).toBeUndefined();
    for (const name of ['Bakker', 'van Dijk', 'de Bol', 'J. Bakker', 'JANSEN Piet', 'zie mentor', 'Lucas van den Berg', 'Mavo Plus', 'Kim So-yeon']) expect(hiddenStudie(name, 1), name).toBe('name');
    // On two rows a name's shape without a school word is still hidden (a mentor typed for two students); one word
    // or a school word makes it a Studie there (an mbo opleiding of two). On three rows a value is a Studie.
    for (const name of [
      'Thijs Postma',
      'dhr. Postma',
      'mw. de Vries',
      'T. Postma',
      'P. de Jong',
      'Postma, T.',
      'S.Postma',
      'Thijs POSTMA',
      'POSTMA Thijs',
      'Merel VISSER',
      'L Bakker',
      "Sean O'Brien",
      'Sanne McDonald',
      'Mohammed el-Amrani',
    ]) {
      expect(hiddenStudie(name, 2), name).toBe('name');
    }
    // A name beyond doubt (a title, an initial, Surname, Firstname, a common given name in any case) whatever its
    // school words: Bol, Loot and Schakel are surnames too.
    for (const name of [
      'Bakker, Lucas',
      'lucas bakker',
      'LUCAS BAKKER',
      'Lucas Bol',
      'dhr. Bol',
      'L. Bol',
      'Bol, Lucas',
      'Loot, Jan',
      'S. Schakel',
      'Mentor: Bakker',
      'Bakker (mentor)',
      'Lucas van der Berg-de Vries',
      'Bakker, Vera',
      'DE VRIES, Mia',
      'Kader, Vera',
      'J.A. de Vries',
      'A. van Dijk',
      'de Jong S.',
      'mentor Bosman',
      'zie mentor Dijk',
      'SLB Vries',
    ]) {
      expect(hiddenStudie(name, 2), name).toBe('name');
    }
    // Short capitals, a hyphen, "en" or a comma before a leerweg are as likely an mbo opleiding or vmbo profiel of two students; so is one word. A
    // double surname (Jansen-Bakker) on two rows is shown for that reason.
    for (const studie of [
      'Kok',
      'Kapper',
      'Pedagogisch medewerker',
      'Mavo Plus',
      'Anderstaligen',
      'Verzorgende IG',
      'ICT Beheer',
      'AV Specialist',
      'Sport LO',
      'Bouw-Infra',
      'Kok-Gastheer',
      'Zorg en Welzijn',
      'Sport en Bewegen',
      'Economie en Ondernemen',
      'Kok, Bol',
      'Verzorgende IG, Bol',
      'Havo, Tto',
    ]) {
      expect(hiddenStudie(studie, 2), studie).toBeUndefined();
    }
    expect(hiddenStudie('Bakker', 3)).toBeUndefined();
  });
  it('a leerjaar as leerjaar columns write it, and the leerjaar at the end of a code', () => {
    for (const [value, year] of [
      ['4', 4],
      ['04', 4],
      ['H4', 4],
      ['Leerjaar 5', 5],
      ['lj 2', 2],
      ['havo', undefined],
      ['2026', undefined],
      ['4H1', undefined],
    ] as const)
      expect(leerjaarValue(value), value).toBe(year);
    for (const [code, year] of [
      ['VB-HAVO-2', 2],
      ['VO-H4', 4],
      ['25180', undefined],
      ['VB-VWO', undefined],
      ['X7', undefined],
    ] as const)
      expect(codeLeerjaar(code), code).toBe(year);
  });
  it('a klas shown as an example (the mapping workbook) is never a number: a phone number or BSN that shifted into it is not', () => {
    for (const klas of ['2H1', '3 vwo a', 'H2b', '4HA12', '1.10']) expect(looksLikeKlas(klas), klas).toBe(true);
    for (const value of ['612345678', '998870011', '06-12345678', 'a@b.nl', '1-2-2025']) expect(looksLikeKlas(value), value).toBe(false);
  });
});

describe('personal data never in a message', () => {
  it('an unmapped value that is no Studie (an e-mail from a shifted column) is named by row, not shown, not asked', async () => {
    const r = await run([
      [1001, 'Jan', '', 'Vries', '2H1', '2 havo', ''],
      [1002, 'Els', '', 'Smit', '2H1', 'piet.devries@example.nl', ''],
      [1003, 'Bas', '', 'Bos', '2H1', '4 havo', ''],
    ]);
    expect(r.text).not.toContain('piet.devries');
    expect([...r.unmapped.keys()]).toEqual(['4 havo']);
    const hidden = r.findings.list('error').find((f) => f.code === 'unmapped-studie-hidden')!;
    expect(hidden.message).toContain('verschoven kolommen?');
    expect(hidden.refs).toEqual([{ row: 3, stamnr: '1002' }]);
  });

  it('a CSV row with more or fewer fields than the header is its own finding, and its values are not shown', async () => {
    const r = await run(
      [
        ['1001', 'Jan', '', 'Vries', '2H1', '2 havo', ''],
        ['1002', 'Pieter', '', 'de Vries', 'Smit', '2H1', '5 havo', ''], // an unquoted ; in a name
        ['1003', 'Els', '', 'Smit', '2H1', '2 havo'], // a field short
      ],
      { csvHeaders: PIPELINE_HEADERS },
    );
    expect(r.findings.list('error').find((f) => f.code === 'field-count')?.refs).toEqual([
      { row: 3, stamnr: '1002' },
      { row: 4, stamnr: '1003' },
    ]);
    expect(r.text).not.toMatch(/Pieter|5 havo/);
    expect(r.unmapped.size).toBe(0);
  });

  it('a CSV footer ("Totaal: 2") is still a footer, not a row with too few fields', async () => {
    const r = await run([['1001', 'Jan', '', 'Vries', '2H1', '2 havo', ''], ['1002', 'Els', '', 'Smit', '2H1', '2 havo', ''], ['Totaal: 2']], { csvHeaders: PIPELINE_HEADERS });
    expect(r.codes).toEqual(['info:footer']);
  });

  it('a Stamnr that is not a number never reaches a message, whatever finding it rides on', () => {
    const f = new Findings();
    f.error('x', 'Iets', { row: 7, stamnr: 'Pieter de Vries' });
    f.error('x', 'Iets', { row: 8, stamnr: '00123' });
    expect(formatRefs(f.list()[0]!)).toBe('rij 7, rij 8 (Stamnr 00123)');
  });

  it('check: a formula, a password in the Rol column and a name as code are errors that show none of them', async () => {
    const dir = tempDir();
    const file = join(dir, 'numo.csv');
    writeFileSync(
      file,
      [
        'gebruikersnaam;voornaam;tussenvoegsel;achternaam;klas;opleiding;e-mail;wachtwoord;rol',
        '1001;Jan;;"=HYPERLINK(""http://x"")";2H1;VB-HAVO-2;;Abc12345;leerling',
        '1002;Els;;Smit;2H1;VB-HAVO-2;;@SUM(A1);leerling',
        '1003;Bas;;Bos;2H1;VB-HAVO-2;;\uFF1D1+1;leerling',
        '1004;Ada;;Kok;2H1;VB-HAVO-2;;Xyz23456;SuperGeheim99',
        '1005;Ed;;Dam;2H1;VB-HAVO-2;;Xyz23457;Leerling',
        '',
      ].join('\r\n'),
    );
    const report = await runCheck(file);
    const errors = report.findings.list('error');
    expect(errors.filter((f) => f.code === 'formula').flatMap((f) => f.refs.map((x) => x.row))).toEqual([2]);
    // A password is what Numo has: a ' before it would change it, so it is named, not refused.
    expect(
      report.findings
        .list('warning')
        .filter((f) => f.code === 'password-formula-like')
        .flatMap((f) => f.refs.map((x) => x.row)),
    ).toEqual([3, 4]);
    expect(errors.filter((f) => f.code === 'invalid-rol').map((f) => f.message)).toEqual(['Rol is niet leerling of docent (verschoven kolommen?)', "Rol 'Leerling' kent Numo niet"]);
    expect(shown(report.findings)).not.toMatch(/SuperGeheim|HYPERLINK|SUM/);
  });

  it('a config that is no JSON is named by line and column, never quoted', async () => {
    const dir = tempDir();
    const file = join(dir, 'numo-prep.config.json');
    writeFileSync(file, '{\n  "mapping": Pieter de Vries\n}\n');
    await expect(loadConfig(file)).rejects.toThrow(/^numo-prep\.config\.json is geen geldige JSON( \(regel 2, kolom \d+\))?\. Herstel/);
    await expect(loadConfig(file)).rejects.not.toThrow(/Pieter/);
    writeFileSync(file, '');
    await expect(loadConfig(file)).rejects.toThrow(/^numo-prep\.config\.json is geen geldige JSON \(het bestand is leeg\)\. Herstel/);
    // What a hand edit adds that JSON has not: said.
    writeFileSync(file, '{\n  // vorig jaar\n  "version": 1,\n}\n');
    await expect(loadConfig(file)).rejects.toThrow('Commentaar (// of /* */) en een komma vóór } of ] mogen er niet in.');
  });

  it('a config not saved as UTF-8 is refused: saved as ANSI, a password template lost its ö in every password', async () => {
    const dir = tempDir();
    const file = join(dir, 'numo-prep.config.json');
    writeFileSync(file, Buffer.from('{"version":1,"password":"template","passwordTemplate":"Wachtw\xf6rd{random8}"}', 'latin1'));
    await expect(loadConfig(file)).rejects.toThrow(
      'numo-prep.config.json is niet als UTF-8 opgeslagen (ANSI?): een letter als ö of é zou verkeerd gelezen worden. Sla het op als UTF-8 (Kladblok: Opslaan als > Codering UTF-8), of maak het opnieuw met numo-prep wizard.',
    );
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"version":1}', 'utf16le')]));
    await expect(loadConfig(file)).rejects.toThrow('numo-prep.config.json is opgeslagen als Unicode (UTF-16), niet als UTF-8.');
    // A workbook given as --config (the mapping, mixed up): a zip's NUL bytes are no UTF-16.
    await expect(loadConfig(fixture('magister-export.xlsx'))).rejects.toThrow('magister-export.xlsx is een Excel-werkmap (of ander zip-bestand), geen instellingenbestand (.json) van numo-prep.');
  });

  it('a mapping file that is really an export is refused by its header; without one, it names its conflicting rows, not the names in them', () => {
    const data = Array.from({ length: 40 }, (_, i) => [String(100000 + (i % 20)), `Voornaam${i}`]);
    const parse = (rows: string[][]) => {
      try {
        return parseMappingRows(
          'export.csv',
          rows.map((cells, i) => ({ row: i + 1, cells })),
        );
      } catch (e) {
        return e as Error;
      }
    };
    const headed = parse([['Stamnr', 'Roepnaam'], ...data]) as Error;
    expect(headed.message).toBe(
      "export.csv is geen mapping: de kolom 'Stamnr' hoort bij een lijst met leerlingen of medewerkers. Kies het bestand met de kolommen Studie en Opleidingscode; is dit wel de mapping, haal die kolom er dan uit.",
    );
    const bare = parse(data) as Error;
    expect(bare.message).toMatch(/^export\.csv: een Studie met twee verschillende opleidingscodes: '100000' \(rij 1 en rij 21\); .* en 15 meer\./);
    expect(`${headed.message}${bare.message}`).not.toContain('Voornaam');
    // A class list: refused by its header; without one, its conflicting names are rows only.
    const pupils = [
      ['Lucas Bakker', '3A'],
      ['Sanne de Vries', '3A'],
      ['Lucas Bakker', '3B'],
    ];
    expect((parse([['Leerling', 'Klas'], ...pupils]) as Error).message).toMatch(/^export\.csv is geen mapping: de kolom 'Leerling' hoort bij/);
    expect((parse(pupils) as Error).message).toBe('export.csv: een Studie met twee verschillende opleidingscodes: (rij 1 en rij 3). Laat per Studie één regel staan.');
    // Under a title instead of a header: the names would be Studies, their klas the code.
    const titled = parse([['Leerlingen 3A'], ['Lucas Bakker', '3A'], ['Sanne de Vries', '3A'], ['Emma Jansen', '3A'], ['Daan Smit', '3A']]) as Error;
    expect(titled.message).toBe('export.csv is geen mapping: in de kolom Studie staan namen van personen. Kies het bestand met de kolommen Studie en Opleidingscode.');
    // Names without a common given name, with mentor groups as codes; mbo Studies with their leerweg are no names.
    const groups = parse([
      ['Naam', 'Mentorgroep'],
      ['Jelte Visser', 'M3A'],
      ['Ravi de Boer', 'M3A'],
      ['Ode Smit', 'M3B'],
    ]) as Error;
    expect(groups.message).toMatch(/^export\.csv is geen mapping: de codes zouden uit de kolom 'Mentorgroep' komen/);
    const shapes = parse([
      ['Naam', 'Groep'],
      ['Jelte Visser', 'M3A'],
      ['Ravi de Boer', 'M3A'],
      ['Ode Smit', 'M3B'],
    ]) as Error;
    expect(shapes.message).toMatch(/^export\.csv is geen mapping: /);
    const untitled = parse([
      ['Jelte Visser', 'M3A'],
      ['Ravi de Boer', 'M3A'],
      ['Ode Smit', 'M3B'],
    ]) as Error;
    expect(untitled.message).toBe('export.csv is geen mapping: in de kolom Studie staan namen van personen. Kies het bestand met de kolommen Studie en Opleidingscode.');
    const mbo = parse([
      ['Studie', 'Opleidingscode'],
      ['Kok, Bol', '25180'],
      ['Kok, Bbl', '25181'],
      ['Verzorgende IG, Bol', '25491'],
      ['Allround Kapper', '25400'],
    ]);
    expect(mbo).toBeInstanceOf(Mapping);
    // With a header that says Studie and code, a Title Case mbo line with a short code is no class list.
    const short = parse([
      ['Opleiding', 'Numo'],
      ['Allround Kapper', 'MBO3'],
      ['Pedagogisch Medewerker', 'MBO4'],
      ['Zelfstandig Kok', 'MBO3'],
    ]);
    expect(short).toBeInstanceOf(Mapping);
    // A student list, Naam beside Opleiding or Studie: its Studies stand where codes should.
    for (const head of ['Naam', 'Opleiding']) {
      expect(
        (
          parse([
            [head === 'Naam' ? 'Naam' : 'Leerling', 'Opleiding'],
            ['Jelte Visser', 'havo leerjaar 1'],
            ['Ravi de Boer', '3 havo'],
            ['Ode Smit', 'vwo 2'],
          ]) as Error
        ).message,
        head,
      ).toMatch(/^export\.csv is geen mapping/);
    }
    expect(
      (
        parse([
          ['Jelte Visser', 'havo leerjaar 1'],
          ['Ravi de Boer', '3 havo'],
          ['Ode Smit', 'vwo 2'],
        ]) as Error
      ).message,
    ).toMatch(/in de kolom Studie staan namen van personen/);
    // Under the headers Studie and code, a school type makes a Studie named after someone no name.
    const after = parse([
      ['Studie', 'Opleidingscode'],
      ['Hugo de Groot vwo', 'VO-VWO-1'],
      ['Anne Frank havo', 'VO-HAVO-1'],
      ['Thomas More mavo', 'VO-MAVO-1'],
    ]);
    expect(after).toBeInstanceOf(Mapping);
  });

  it("a mapping's code column is the one with the best code header: Numo's code before the crebo or the school's own code", () => {
    const codeOf = (header: string, row: string) =>
      parseMappingRows(
        'mapping.csv',
        [header, row].map((line, i) => ({ row: i + 1, cells: line.split(';') })),
      ).get('Verzorgende IG');
    for (const [header, row] of [
      ['Studie;Crebo;Opleidingscode;Omschrijving', 'Verzorgende IG;25491;NUMO-VIG;zorg'],
      ['Opleiding;Crebo;Niveau;Opleidingscode', 'Verzorgende IG;25491;3;NUMO-VIG'],
      ['Crebo;Studie;Numo-code', '25491;Verzorgende IG;NUMO-VIG'],
      ['Studie;Code;Opleidingscode', 'Verzorgende IG;VIG;NUMO-VIG'],
      // Helper columns first, spellings with more words or brackets.
      ['Niveau;Leerjaar;Studie;Opleidingscode', '3;1;Verzorgende IG;NUMO-VIG'],
      ['Magister studie;Opleidingscode;Opmerking', 'Verzorgende IG;NUMO-VIG;'],
      ['Studie (Magister);Code (Numo);Opmerking', 'Verzorgende IG;NUMO-VIG;'],
      ['Studie;Opmerking;Code Numo', 'Verzorgende IG;;NUMO-VIG'],
      ['Studie;Opleidingscode Numo;Opmerking', 'Verzorgende IG;NUMO-VIG;'],
      // EduArte's Opleidingscode is its Studie, beside the column with Numo's code.
      // Not every header with Numo or Studie in it: a description, a yes/no column, last year's Studie, a year.
      ['Studie;Opleidingscode;Opleiding in Numo', 'Verzorgende IG;NUMO-VIG;Verzorgende IG niveau 3'],
      ['Studie;Opleidingscode;Naar Numo', 'Verzorgende IG;NUMO-VIG;ja'],
      ['Studie;Opleidingscode;Numo', 'Verzorgende IG;NUMO-VIG;ja'],
      ['Studie vorig jaar;Studie;Opleidingscode', 'Helpende;Verzorgende IG;NUMO-VIG'],
      ['Studiejaar;Studie;Opleidingscode', '2;Verzorgende IG;NUMO-VIG'],
      // Studie and Opleiding in other words.
      ['Studienaam (Magister);Numo-code', 'Verzorgende IG;NUMO-VIG'],
      ['Studie uit Magister;Opleidingscode', 'Verzorgende IG;NUMO-VIG'],
      ['Studies 2025-2026;Opleidingscode', 'Verzorgende IG;NUMO-VIG'],
      ['Naam studie;Numo', 'Verzorgende IG;NUMO-VIG'],
      ['Opleiding EduArte;Numo-code', 'Verzorgende IG;NUMO-VIG'],
      ['Opleidingscode (EduArte);Code Numo', 'Verzorgende IG;NUMO-VIG'],
      // Code headers in more words beat the school's own Code; a Numo column of descriptions is no code column.
      ['Studie;Opleidingscode 2025;Code', 'Verzorgende IG;NUMO-VIG;VIG'],
      ['Studie;Opleidingscode (uit Numo);Code', 'Verzorgende IG;NUMO-VIG;VIG'],
      ['Studie;Code opleiding;Code', 'Verzorgende IG;NUMO-VIG;VIG'],
      // Two columns, one of them headed Studie: the other is the code.
      ['Numo id;Studie', 'NUMO-VIG;Verzorgende IG'],
    ]) {
      expect(codeOf(header, row), header).toBe('NUMO-VIG');
    }
    // Two columns that may each be Numo's codes: the admin says which (a guess would be silent if wrong).
    for (const [header, row, named] of [
      ['Studie;Crebo;Code', 'Verzorgende IG;25491;VIG', "'Crebo' en 'Code'"],
      ['Studie;Numo-opleiding;Crebo', 'Verzorgende IG;NUMO-VIG;25491', "'Numo-opleiding' en 'Crebo'"],
      ['Studie;Opleidingscode;Numo', 'Verzorgende IG;NUMO-VIG;verzorgende ig niveau 3', "'Opleidingscode' en 'Numo'"],
      ['Studie;Numo-code vorig jaar;Numo-code 2025;Numo-code 2024', 'Verzorgende IG;OLD;NUMO-VIG;VB-VIG-OUD', "'Numo-code 2025' en 'Numo-code 2024'"],
      // Opleiding is the header of Numo's own import file: of codes (no spaces), beside the school's own code.
      ['Studie;Code;opleiding', 'Verzorgende IG;VIG;NUMO-VIG-3', "'Code' en 'opleiding'"],
      ['Studie;Crebo;opleiding', 'Verzorgende IG;25491;NUMO-VIG-3', "'Crebo' en 'opleiding'"],
    ]) {
      expect(() => codeOf(header!, row!), header).toThrow(
        `mapping.csv: welke kolom de opleidingscode heeft, is niet zeker (kolom ${named}). Zet de kop Opleidingscode alleen boven de kolom met de codes van Numo.`,
      );
    }
    // EduArte's mapping with a column Numo beside its Opleidingscode: which is the Studie is not sure either.
    expect(() => codeOf('Opleidingscode;Omschrijving;Numo', 'Verzorgende IG;zorg;NUMO-VIG')).toThrow(/is niet zeker/);
    // Numo or its code in more words is a code column, also with a word of the list below (Inhoud is no oud).
    for (const header of ['Opleidingscode per leerjaar', 'Numo-code (leerlingen)', 'Numo groep', 'Inhoud']) {
      expect(codeOf(`Studie;${header}`, 'Verzorgende IG;NUMO-VIG'), header).toBe('NUMO-VIG');
    }
    // A Code beside Omschrijving Numo is sure; beside Opleiding (the header of Numo's own import file) it is not:
    // Numo's codes are not public, and a description cannot be told from one.
    expect(codeOf('Studie;Code;Omschrijving Numo', 'Verzorgende IG;NUMO-VIG;verzorgende')).toBe('NUMO-VIG');
    expect(() => codeOf('Studie;Code;Opleiding', 'Verzorgende IG;NUMO-VIG;verzorgende ig 3')).toThrow(/is niet zeker \(kolom 'Code' en 'Opleiding'\)/);
    // Codes with spaces under Numo's own headers are codes.
    expect(codeOf('Studie;Numo opleiding', 'Verzorgende IG;verzorgende ig 3')).toBe('verzorgende ig 3');
    // Not codes whatever their values: teachers, counts, klassen and last year's codes in any words, a Studie column.
    for (const [header, row] of [
      ['Studie;Docentcode', 'Verzorgende IG;BAK'],
      ['Studie;Mentor (code)', 'Verzorgende IG;BAK'],
      ['Studie;Aantal lln', 'Verzorgende IG;28'],
      ['Studie;Lln', 'Verzorgende IG;28'],
      ['Studie;Voorbeeld-klassen', 'Verzorgende IG;3H1, 3H2'],
      ['Studie;Klassen 2025', 'Verzorgende IG;3H1'],
      ['Studie;Studiecode', 'Verzorgende IG;VIG3'],
      ['Studie;Numo-code vorig jaar', 'Verzorgende IG;OLD-VIG'],
      ['Studie;Oude opleidingscode', 'Verzorgende IG;OLD-VIG'],
      ['Naam;Studie', 'Lucas Bakker;Verzorgende IG'],
      ['Studie;Kwalificatie', 'Verzorgende IG;Verzorgende-IG'],
    ]) {
      expect(() => codeOf(header!, row!), header).toThrow(/^mapping\.csv is geen mapping: de codes zouden uit de kolom '.+' komen\./);
    }
    // No codes: ja/nee, placeholders, names (also with a salutation or as Surname, Firstname), a level beside Studie.
    for (const [header, row] of [
      ['Studie;Naar Numo', 'Verzorgende IG;ja'],
      ['Studie;Opleidingscode', 'Verzorgende IG;n.v.t.'],
      ['Studie;Teamleider', 'Verzorgende IG;mw. Bakker'],
      ['Studie;Opleidingscode', 'Verzorgende IG;Bakker, Lucas'],
      ['Studie;Niveau', 'Verzorgende IG;HAVO'],
    ]) {
      expect(() => codeOf(header!, row!), header).toThrow(/^mapping\.csv(: een opleidingscode die geen code kan zijn| is geen mapping)/);
    }
    // An empty Numo-code column beside a filled Crebo is still the code column: its Studies are undecided, not crebos.
    expect(codeOf('Studie;Numo-code;Crebo', 'Verzorgende IG;;25491')).toBeUndefined();
    expect(codeOf('Studie;Oude opleidingscode;Opleidingscode', 'Verzorgende IG;OLD-VIG;NUMO-VIG')).toBe('NUMO-VIG');
    // Numo's list given as the mapping: its codes would be read as Studies.
    expect(() => codeOf('Opleidingscode;Omschrijving', 'NUMO-VIG;Verzorgende IG')).toThrow(
      "mapping.csv heeft geen kolom Studie, alleen codes (kolom 'Opleidingscode') en omschrijvingen: dat is een lijst met opleidingen, geen mapping. Geef Numo's lijst mee als lijst met opleidingen; een mapping heeft de kolommen Studie en Opleidingscode.",
    );
    expect(() => codeOf('Omschrijving;Opleidingscode;Opmerking', 'Verzorgende IG;NUMO-VIG;')).toThrow(
      'mapping.csv: welke kolom de Studie heeft, is niet zeker (geen kop Studie). Zet de kop Studie boven de kolom met de studies uit de export.',
    );
    // The same rule for Numo's list.
    const list = parseOpleidingen('lijst.csv', [
      { row: 1, cells: ['Crebo', 'Opleiding', 'Opleidingscode'] },
      { row: 2, cells: ['25491', 'Verzorgende IG', 'NUMO-VIG'] },
    ]);
    expect(list).toEqual([{ code: 'NUMO-VIG', label: 'Verzorgende IG' }]);
    // A title with Numo in it is no header; a Vak column is no list of people; a staff list's names are.
    const listTitled = parseOpleidingen('lijst.csv', [
      { row: 1, cells: ['Opleidingen in Numo'] },
      { row: 2, cells: ['Omschrijving', 'Opleidingscode', 'Vak'] },
      { row: 3, cells: ['Verzorgende IG', 'NUMO-VIG', 'rekenen'] },
    ]);
    expect(listTitled).toEqual([{ code: 'NUMO-VIG', label: 'Verzorgende IG' }]);
    const staff = ['Jan de Vries', 'Piet Jansen', 'Merel Visser'].map((name, i) => ({ row: i + 2, cells: [`C${i}`, name, 'wiskunde'] }));
    const initials = ['J.A. de Vries', 'A. van Dijk', 'de Jong S.'].map((name, i) => ({ row: i + 2, cells: [`C${i}`, name, 'wiskunde'] }));
    expect(() => parseOpleidingen('personeel.csv', [{ row: 1, cells: ['Code', 'Naam', 'Vak'] }, ...initials])).toThrow(/naast de codes staan namen van personen/);
    // As the mapping, without a header: the names land in the code column and are no codes.
    expect(() =>
      parseMappingRows(
        'docenten.csv',
        [
          ['KUI', 'A. Kuipers'],
          ['JON', 'Youri de Jong'],
        ].map((cells, i) => ({ row: i + 1, cells })),
      ),
    ).toThrow(/^docenten\.csv: een opleidingscode die geen code kan zijn \(rij 1: Dat lijkt een naam, geen opleidingscode/);
    expect(() => parseOpleidingen('personeel.csv', [{ row: 1, cells: ['Code', 'Naam', 'Vak'] }, ...staff])).toThrow(
      "personeel.csv is geen lijst met opleidingscodes: naast de codes staan namen van personen. Gebruik Numo's inleesbestand (tabblad Opleidingen), of een lijst met een kolom Opleidingscode.",
    );
    // A teachers' column beside the codes, or Stamnrs beside names' shapes (given names numo-prep does not know).
    expect(() => parseOpleidingen('personeel.csv', [{ row: 1, cells: ['Code', 'Docent'] }, ...staff.map((r) => ({ ...r, cells: r.cells.slice(0, 2) }))])).toThrow(
      "personeel.csv is geen lijst met opleidingscodes: naast de codes staat de kolom 'Docent', van een klassen- of personeelslijst.",
    );
    const pupils = ['Xander Vos', 'Bente Meijer', 'Ilias Amrani'].map((name, i) => ({ row: i + 2, cells: [`10000${i}`, name] }));
    expect(() => parseOpleidingen('leerlingen.csv', [{ row: 1, cells: ['Code', 'Naam'] }, ...pupils])).toThrow(/naast de codes staan namen van personen/);
    // The Stamnrs in a column of their own; or klassen as the codes.
    const numbered = pupils.map((r, i) => ({ ...r, cells: [...r.cells, `VO-HAVO-${i + 1}`] }));
    expect(() => parseOpleidingen('leerlingen.csv', [{ row: 1, cells: ['Nr', 'Naam', 'Opleidingscode'] }, ...numbered])).toThrow(/naast de codes staan namen van personen/);
    expect(() =>
      parseOpleidingen('klassen.csv', [
        { row: 1, cells: ['Code', 'Klas'] },
        { row: 2, cells: ['2H1', '2H1'] },
      ]),
    ).toThrow(/de kolom 'Klas', van een klassen- of personeelslijst/);
    // Beside an Opleidingscode, a Teamleider column is the school's own note: the list is read.
    const own = [
      { row: 1, cells: ['Opleidingscode', 'Omschrijving', 'Teamleider'] },
      { row: 2, cells: ['VB-HAVO-1', 'havo 1', 'mw. Bakker'] },
    ];
    expect(parseOpleidingen('eigen.csv', own)).toEqual([{ code: 'VB-HAVO-1', label: 'havo 1' }]);
    // Without a description, a Mentor column beside the codes makes them a staff list's.
    expect(() =>
      parseOpleidingen('personeel.xlsx', [
        { row: 1, cells: ['Opleidingscode', 'Mentor'] },
        { row: 2, cells: ['HUW', 'mw. Huisman'] },
      ]),
    ).toThrow(/de kolom 'Mentor'/);
    // Six-digit codes beside mbo names, and a count of teachers, are a list of codes.
    const six = ['Pedagogisch Medewerker', 'Helpende Zorg', 'Allround Kapper'].map((name, i) => ({ row: i + 2, cells: [`25180${i}`, name, '3'] }));
    expect(parseOpleidingen('mbo.csv', [{ row: 1, cells: ['Code', 'Naam', 'Aantal docenten'] }, ...six])).toHaveLength(3);
    // Crebo numbers beside mbo names are a list of codes.
    const crebos = ['Allround Kapper', 'Zelfstandig Kok', 'Verzorgende IG'].map((name, i) => ({ row: i + 2, cells: [`2518${i}`, name] }));
    expect(parseOpleidingen('crebo.csv', [{ row: 1, cells: ['Code', 'Naam'] }, ...crebos])).toHaveLength(3);
    // Under a title, as a mapping made in Excel often is: the header below it counts, not the first two columns.
    const mappingTitled = parseMappingRows(
      'mapping.csv',
      [['Conversietabel Studie -> Numo'], [], ['Studie', 'Aantal leerlingen', 'Opleidingscode'], ['Verzorgende IG', '2', 'NUMO-VIG']].map((cells, i) => ({ row: i + 1, cells })),
    );
    expect(mappingTitled.get('Verzorgende IG')).toBe('NUMO-VIG');
  });

  it('"Gevonden kolommen" never lists a student\'s row (a student called Klas, no header)', async () => {
    const sheet = { rows: rowsOf([['100001', 'Klas', 'Jansen', '2H1', 'klas.jansen@school.nl']], 1) };
    const err = await locateTable('export.xlsx', [sheet], EXPORT_COLUMNS).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/Rij 1 lijkt een rij met gegevens, geen kopregel/);
    expect((err as Error).message).not.toMatch(/Jansen|100001|klas\.jansen/);
    // Nor a row in which only one cell is a known header, even without a number, e-mail address or date in it.
    const named = { rows: rowsOf([['Klas', 'Verhoef', '2 havo', 'LL1234']], 1) };
    const weak = await locateTable('export.csv', [named], EXPORT_COLUMNS).catch((e: Error) => e);
    expect((weak as Error).message).toContain('Gevonden kolommen: Klas, en 3 andere die niet getoond worden (staan daar gegevens, dan ontbreekt de kopregel).');
    expect((weak as Error).message).not.toMatch(/Verhoef|LL1234/);
  });

  it("a student's row with one known header names no lookalike or quoted cell of it either", async () => {
    const dir = tempDir();
    for (const line of ['Klas;Klaske;Verhoef;2 havo', 'Klas; "Verhoef"; "Sanne"']) {
      writeFileSync(join(dir, 'export.csv'), `${line}\r\nSanne;Kuipers;1 havo;LL1235\r\n`);
      const r = await runCli(['convert', join(dir, 'export.csv'), '--no-config', '--dry-run']);
      expect(r.code).toBe(2);
      expect(r.stderr, line).not.toMatch(/Klaske|Verhoef|Sanne|Kuipers/);
    }
  });
});

describe('the terminal', () => {
  it('a terminal that reports 0 columns gets no spinner: no hang, no flood', async () => {
    vi.stubEnv('CI', undefined);
    let calls = 0;
    const count = () => {
      // ora clears Infinity lines on such a terminal; stop the flood instead of hanging the test run.
      if (++calls > 10_000) throw new Error('flood');
      return true;
    };
    const stderr = Object.assign(
      new Writable({
        write: (_c, _e, cb) => {
          count();
          cb();
        },
      }),
      {
        isTTY: true,
        columns: 0,
        rows: 0,
        cursorTo: count,
        clearLine: count,
        moveCursor: count,
      },
    ) as unknown as NodeJS.WriteStream;
    const ui = await createUi({ stderr });
    // Fake timers: a spinner's frames (ora: every 80 ms) would all come within the second advanced here.
    vi.useFakeTimers();
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const spinner = ui.spinner('Export lezen…');
    spinner.text = 'Schrijven…';
    vi.advanceTimersByTime(1000);
    spinner.stop();
    expect(calls).toBe(0);
    vi.unstubAllEnvs();
  });

  it('NO_COLOR: the spinner and its ✔ have no colour either (ora colours with a chalk of its own)', async () => {
    vi.stubEnv('CI', undefined);
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    let text = '';
    const stderr = Object.assign(
      new Writable({
        write: (c, _e, cb) => {
          text += String(c);
          cb();
        },
      }),
      { isTTY: true, columns: 80, rows: 24, cursorTo: () => true, clearLine: () => true, moveCursor: () => true },
    ) as unknown as NodeJS.WriteStream;
    const ui = await createUi({ stderr, env: { NO_COLOR: '1' } });
    const spinner = ui.spinner('Export lezen');
    spinner.succeed('Gelezen');
    expect(text).toContain('✔ Gelezen');
    // Colour codes are ESC [ 3x/9x m; cursor codes (hiding it, clearing the line) stay.
    expect(text).not.toMatch(/\u001b\[(3|9)\dm/);
  });
});

describe('configuration that cannot be turned against the user', () => {
  it.skipIf(process.platform === 'win32')(
    'config, mapping, IDGebr, opleidingen and previous must be regular files: /dev/zero and a FIFO are refused at once',
    async () => {
      const dir = tempDir();
      const fifo = join(dir, 'numo-prep.config.json');
      execFileSync('mkfifo', [fifo]);
      for (const path of ['/dev/zero', fifo]) {
        await expect(loadConfig(path), path).rejects.toThrow(/geen gewoon bestand/);
        for (const load of [loadMapping, loadIdgebr, loadOpleidingen, (p: string) => loadPrevious(p, { keepPasswords: false, rol: 'leerling' })])
          await expect(load(path), path).rejects.toThrow(/geen gewoon bestand/);
      }
    },
    5000,
  );

  it('a config file over 1 MiB is refused before it is parsed', async () => {
    const dir = tempDir();
    const file = join(dir, 'groot.json');
    writeFileSync(file, `{"mapping": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    await expect(loadConfig(file)).rejects.toThrow(/groter dan 1 MiB/);
  });
});
