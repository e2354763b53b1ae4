import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchColumns } from '../src/core/columns.js';
import { RoleWatch, roleColumns } from '../src/core/detect.js';
import { joinIdgebr, mapStudie, toNumoRow } from '../src/core/enrich.js';
import { makeFilter, parseList } from '../src/core/filter.js';
import { Findings } from '../src/core/findings.js';
import { IdgebrIndex } from '../src/core/idgebr.js';
import { MANY, Mapping, parseMappingRows, shuffledWorkbook } from '../src/core/mapping.js';
import { isBlankStudent, looksLikeFooter, reportCellProblems, toStudent } from '../src/core/normalise.js';
import { parseOpleidingen } from '../src/core/opleidingen.js';
import { previousKey, YearOverYear } from '../src/core/previous.js';
import { prepend, type RawRow, type RowIterator, rowBatches } from '../src/core/raw-row.js';
import type { Student } from '../src/core/schema.js';
import { compileTemplate, RandomChars } from '../src/core/template.js';
import { studieKey } from '../src/core/text.js';
import { EmailRuns, RowValidator } from '../src/core/validate.js';
import { EXPORT_COLUMNS } from './helpers.js';

const rng = new RandomChars(randomFillSync);

const columns = matchColumns(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'E-mail'], EXPORT_COLUMNS);
const student = (over: Partial<Student> = {}): Student => ({
  row: 2,
  stamnr: '1001',
  roepnaam: 'Jan',
  tussenvoegsel: '',
  achternaam: 'Vries',
  klas: '2H1',
  studie: '2 havo',
  email: '',
  idgebr: '',
  login: '',
  code: '',
  ...over,
});

describe('normalise', () => {
  it('turns a raw row into a Student; its Excel errors are reported in used columns only', () => {
    const read = (raw: RawRow, f: Findings) => {
      const s = toStudent(raw, columns, f);
      reportCellProblems(raw, s, columns, f);
      return s;
    };
    const f = new Findings();
    const s = read(
      {
        row: 7,
        cells: [' 1001 ', 'Zoe\u0308', '', 'Vries', '2H1', '', 'x'],
        problems: [
          { column: 5, kind: 'excel-error' },
          { column: 9, kind: 'excel-error' },
        ],
      },
      f,
    );
    expect(s).toMatchObject({ row: 7, stamnr: '1001', roepnaam: 'Zoë', studie: '' });
    expect(f.list().map((x) => [x.code, x.message])).toEqual([['excel-error', 'Excel-foutwaarde (zoals #N/B) in kolom Studie, als leeg gelezen']]);
    expect(f.hasErrors).toBe(false);
    // In a name part the same is an error: the student would reach Numo with another name.
    const g = new Findings();
    read({ row: 8, cells: ['1002', 'Jan', '', 'Berg', '2H1', '2 havo'], problems: [{ column: 2, kind: 'excel-error' }] }, g);
    expect(g.list().map((x) => [x.level, x.message])).toEqual([['error', 'Excel-foutwaarde (zoals #N/B) in kolom Tussenv., als leeg gelezen']]);

    // A stray #N/B in a row with nothing else is no student's name: a warning, as in another column.
    const h = new Findings();
    read({ row: 9, cells: ['', '', '', ''], problems: [{ column: 1, kind: 'excel-error' }] }, h);
    expect(h.list().map((x) => x.level)).toEqual(['warning']);
  });
  it('tells blank and footer rows apart from students', () => {
    expect(isBlankStudent(student({ stamnr: '', roepnaam: '', achternaam: '', klas: '', studie: '' }))).toBe(true);
    const raw = (cells: string[]) => ({ row: 9, cells });
    const f = new Findings();
    expect(looksLikeFooter(raw(['Totaal: 12']), toStudent(raw(['Totaal: 12']), columns, f))).toBe(true);
    expect(looksLikeFooter(raw(['', '', '', '523 deelnemers']), toStudent(raw(['', '', '', '523 deelnemers']), columns, f))).toBe(true);
    expect(looksLikeFooter(raw(['1001', 'Jan', '', 'Vries']), toStudent(raw(['1001', 'Jan', '', 'Vries']), columns, f))).toBe(false);
    expect(looksLikeFooter(raw(['Totaal', '523']), toStudent(raw(['Totaal', '523']), columns, f))).toBe(true);
    // A totals word beside a name is a person (a teacher with the code SOM), not a count.
    expect(looksLikeFooter(raw(['SOM', '', '', 'Ommen']), toStudent(raw(['SOM', '', '', 'Ommen']), columns, f))).toBe(false);
    // Three filled cells are a row to check, whatever they say (a student's row with a count in it is still one).
    expect(looksLikeFooter(raw(['Totaal', '40', 'leerlingen']), toStudent(raw(['Totaal', '40', 'leerlingen']), columns, f))).toBe(false);
  });
});

describe('filter', () => {
  it('splits lists and matches klas and studie with wildcards', () => {
    expect(parseList(['1A, 2*', '3H'])).toEqual(['1A', '2*', '3H']);
    expect(parseList(' , ')).toBeUndefined();
    const keep = makeFilter({ klas: ['2*'], studie: ['2 havo'] });
    expect(keep(student())).toBe(true);
    expect(keep(student({ klas: '1H1' }))).toBe(false);
    expect(keep(student({ studie: '2 vwo' }))).toBe(false);
  });
  it('names the values no student matched, also those a pattern before them shadowed', () => {
    const keep = makeFilter({ klas: ['2*', '2H1', '4HV3'], studie: ['2 havo', '7 gym'] });
    expect(keep.unmatched()).toEqual({ klas: ['2*', '2H1', '4HV3'], studie: ['2 havo', '7 gym'] });
    keep(student());
    keep(student({ klas: '', studie: '' }));
    expect(keep.unmatched()).toEqual({ klas: ['4HV3'], studie: ['7 gym'] });
    expect(makeFilter({}).unmatched()).toEqual({});
    // `*` keeps an empty Klas, so it matched that student.
    const all = makeFilter({ klas: ['*'] });
    expect([all(student({ klas: '' })), all.unmatched()]).toEqual([true, {}]);
  });
});

describe('EmailRuns', () => {
  const said = (emails: string[]) => {
    const runs = new EmailRuns();
    emails.forEach((e, i) => {
      runs.observe(e, i + 2);
    });
    const f = new Findings();
    runs.finish(f);
    return f.list().map((x) => x.message);
  };
  it('names the longest run of one address on five or more students in a row (a fill-down), and how many more', () => {
    const same = (n: number, e = 'info@school.nl') => Array.from({ length: n }, () => e);
    expect(said(['a@x.nl', ...same(6), 'b@x.nl', ...same(5, 'INFO@school.nl'), ...same(5, 'c@x.nl')])).toEqual([
      'Hetzelfde e-mailadres bij 6 leerlingen achter elkaar (rij 3–8), en zo nog 2 reeksen: in Excel doorgetrokken, of het adres van de school?',
    ]);
    // Everyone, up to the last row.
    expect(said(same(5))).toEqual(['Hetzelfde e-mailadres bij 5 leerlingen achter elkaar (rij 2–6): in Excel doorgetrokken, of het adres van de school?']);
    // Four siblings with a parent's address, the same address apart, or empty cells: nothing.
    expect(said([...same(4), 'b@x.nl', ...same(4)])).toEqual([]);
    expect(said(['', '', '', '', '', ''])).toEqual([]);
    // Rows apart (every other one, the rest left out by a filter): no fill-down.
    const apart = new EmailRuns();
    for (const row of [2, 4, 6, 8, 10, 12]) apart.observe('info@school.nl', row);
    const f = new Findings();
    apart.finish(f);
    expect(f.list()).toEqual([]);
  });
});

describe('map', () => {
  it('maps ignoring case and spaces; - means not for Numo', () => {
    const m = new Mapping([
      { studie: '2 HAVO', code: 'H2' },
      { studie: 'isk', code: '-' },
    ]);
    expect(mapStudie(student({ studie: ' 2  havo ' }), m)).toEqual({ kind: 'mapped', code: 'H2' });
    expect(mapStudie(student({ studie: 'ISK' }), m)).toEqual({ kind: 'skip' });
    expect(mapStudie(student({ studie: '3 vwo' }), m)).toEqual({ kind: 'unmapped' });
    expect(mapStudie(student({ studie: '' }), m)).toEqual({ kind: 'empty' });
  });
  it("reads the admin's mapping table: header optional, rows without a code left out, conflicts refused", () => {
    const rows = (lines: string[][]) => lines.map((cells, i) => ({ row: i + 1, cells }));
    expect(
      parseMappingRows(
        'm.csv',
        rows([
          ['Studie', 'Opleidingscode'],
          ['2 havo', 'H2'],
          ['3 havo', ''],
        ]),
      ).entries(),
    ).toEqual([{ studie: '2 havo', code: 'H2' }]);
    expect(parseMappingRows('m.csv', rows([['2 havo', 'H2']])).size).toBe(1);
    // The code column by its header: a column inserted before it in Excel is no code.
    expect(
      parseMappingRows(
        'm.csv',
        rows([
          ['Studie', 'Opmerking', 'Opleidingscode'],
          ['2 havo', 'ok', 'H2'],
          ["'+1 havo", 'ok', 'H1'],
        ]),
      ).entries(),
    ).toEqual([
      { studie: '+1 havo', code: 'H1' },
      { studie: '2 havo', code: 'H2' },
    ]);
    // "Opleiding" is EduArte's Studie, or a code column: it takes the side the other header leaves open.
    for (const [header, row] of [
      [
        ['Opleiding', 'Opleidingscode'],
        ['1 havo', 'H1'],
      ],
      [
        ['Studie', 'Opleiding'],
        ['1 havo', 'H1'],
      ],
      [
        ['Code', 'Studie'],
        ['H1', '1 havo'],
      ],
    ]) {
      expect(parseMappingRows('m.csv', rows([header!, row!])).entries(), header!.join(';')).toEqual([{ studie: '1 havo', code: 'H1' }]);
    }
    // A code no code looks like: refused with its row, never shown (it may be a name or an address).
    expect(() =>
      parseMappingRows(
        'm.csv',
        rows([
          ['Studie', 'Code'],
          ['2 havo', 'jan@school.nl'],
          ['3 vwo', '\u2013'],
          ['4 vwo', 'VB-VWO-4 (voorbeeld)'],
        ]),
      ),
    ).toThrow(
      'm.csv: een opleidingscode die geen code kan zijn (rij 2: Dat lijkt een e-mailadres, geen opleidingscode; rij 3: gebruik een gewoon minteken (-) om over te slaan; rij 4: Dat lijkt een code met uitleg erachter (een geplakte suggestie); laat de uitleg tussen haakjes weg). Verbeter de code in die rij, of laat de cel leeg als je nog niet weet welke.',
    );
    // A code Numo's list has is taken whatever its shape.
    expect(
      parseMappingRows(
        'm.csv',
        rows([
          ['Studie', 'Code'],
          ['4 vwo', 'VB-VWO-4 (tto)'],
        ]),
        new Set(['vb-vwo-4 (tto)']),
      ).get('4 vwo'),
    ).toBe('VB-VWO-4 (tto)');
    expect(() =>
      parseMappingRows(
        'm.csv',
        rows([
          ['2 havo', 'H2'],
          ['2 HAVO', 'H3'],
        ]),
      ),
    ).toThrow(/twee verschillende opleidingscodes/);
  });
});

describe('join', () => {
  it('adds IDGebr by Stamnr (leading zeros ignored), falls back to the export column, warns when missing', () => {
    const f = new Findings();
    const index = new IdgebrIndex();
    index.add('1001', '35895', 2);
    expect(joinIdgebr(student({ stamnr: '001001' }), index, f, index.slot('001001')).idgebr).toBe('35895');
    expect(joinIdgebr(student({ stamnr: '1002', idgebr: '77' }), index, f, index.slot('1002')).idgebr).toBe('77');
    expect(joinIdgebr(student({ stamnr: '1003' }), index, f, index.slot('1003')).idgebr).toBe('');
    expect(f.list('warning')[0]!.refs).toEqual([{ row: 2, stamnr: '1003' }]);
    expect(joinIdgebr(student(), undefined, f, undefined)).toEqual(student());
  });
});

describe('enrich', () => {
  const base = { gebruikersnaam: compileTemplate('ll{stamnr}', 'x'), rol: 'leerling' as const, withIdgebr: true };
  it("builds Numo's row with template, password policy and rol", () => {
    const row = toNumoRow(student({ idgebr: '5' }), 'H2', { ...base, password: { kind: 'template', template: compileTemplate('W{stamnr}', 'x', rng) } });
    expect(row).toEqual({
      gebruikersnaam: 'll1001',
      voornaam: 'Jan',
      tussenvoegsel: '',
      achternaam: 'Vries',
      klas: '2H1',
      opleiding: 'H2',
      'e-mail': '',
      wachtwoord: 'W1001',
      rol: 'leerling',
      IDGebr: '5',
    });
    expect(toNumoRow(student(), 'H2', { ...base, password: { kind: 'none' } }).wachtwoord).toBe('');
  });
  it("keeps last year's password for a returning student", () => {
    const row = toNumoRow(student(), 'H2', { ...base, password: { kind: 'random', length: 10, rng }, keepPassword: (g) => (g === 'll1001' ? 'Oud123' : undefined) });
    expect(row.wachtwoord).toBe('Oud123');
  });
});

describe('validate', () => {
  it("checks e-mail plausibility and codes against Numo's list", () => {
    const f = new Findings();
    const v = new RowValidator(f, 'utf8-bom', new Map([['h2', 'H2']]));
    const row = toNumoRow(student({ email: 'jan@school.nl' }), 'H2', { gebruikersnaam: compileTemplate('{stamnr}', 'x'), password: { kind: 'none' }, rol: 'leerling', withIdgebr: false });
    v.check(row, { row: 2 });
    expect(f.list()).toEqual([]);
    v.check({ ...row, gebruikersnaam: '2', 'e-mail': 'a@b.nl; c@d.nl', opleiding: 'X9' }, { row: 3 });
    expect(f.list('error').map((e) => e.code)).toEqual(['email-invalid', 'unknown-opleiding']);
    const bad = ['a@x..nl', 'a.@x.nl', '.a@x.nl', 'a..b@x.nl', 'a@.x.nl', 'a@x', 'a@@x.nl'];
    bad.forEach((email, i) => {
      const g = new Findings();
      new RowValidator(g, 'utf8-bom').check({ ...row, 'e-mail': email }, { row: 10 + i });
      expect([email, g.list('error').map((e) => e.code)]).toEqual([email, ['email-invalid']]);
    });
    for (const email of ['jan.de.vries@school.nl', 'j-v+numo@leerling.school.nl', "o'brien@x.nl"]) {
      const g = new Findings();
      new RowValidator(g, 'utf8-bom').check({ ...row, 'e-mail': email }, { row: 2 });
      expect([email, g.list()]).toEqual([email, []]);
    }
  });

  it('names what a cell holds that looks like a name but is none: half a letter, NULL, look-alike letters, ; and `', () => {
    const row = toNumoRow(student(), 'H2', { gebruikersnaam: compileTemplate('{stamnr}', 'x'), password: { kind: 'none' }, rol: 'leerling', withIdgebr: false });
    const codes = (change: Partial<typeof row>) => {
      const g = new Findings();
      new RowValidator(g, 'utf8-bom').check({ ...row, ...change }, { row: 2 });
      return g.list().map((f) => f.code);
    };
    // A lone surrogate (from _xD83D_) or a noncharacter: written, it becomes U+FFFD, as a lost letter does.
    expect(codes({ achternaam: 'Jans\uD83D' })).toEqual(['lost-letter']);
    expect(codes({ voornaam: '\uDE00an' })).toEqual(['lost-letter']);
    expect(codes({ achternaam: 'Jans\uFFFF' })).toEqual(['lost-letter']);
    expect(codes({ achternaam: 'Jans\uD83D\uDE00' })).toEqual([]);
    for (const value of ['NULL', 'null', '(null)', 'undefined', 'None', 'NaN', 'nan', 'NaT', '<NA>', 'N/A', 'n/a', 'n.v.t.', 'N.v.t.', 'nvt', 'Nvt', 'nvt.', 'NVT']) {
      expect(codes({ tussenvoegsel: value }), value).toEqual(['name-placeholder']);
    }
    // Names of people, not placeholders.
    expect(codes({ achternaam: 'Null' })).toEqual([]);
    expect(codes({ voornaam: 'Nan' })).toEqual([]);
    expect(codes({ klas: 'n.v.t.' })).toEqual(['klas-placeholder']);
    // A lookup formula's empty cell: Numo would make a class 0.
    expect(codes({ klas: '0' })).toEqual(['klas-zero']);
    expect(codes({ klas: '00' })).toEqual(['klas-zero']);
    expect(codes({ klas: '10' })).toEqual([]);
    // 4:1 typed, made a time by Excel: as a workbook cell reads it, and as Excel saves it in a CSV.
    for (const klas of ['04:01:00', '4:01', '4:01 PM', '16:01']) expect(codes({ klas }), klas).toEqual(['klas-time']);
    expect(codes({ klas: '4A:1' })).toEqual([]);
    // An IDGebr 0 links the student to no Magister user; a real one, and a missing one, are no error here.
    expect(codes({ IDGebr: '0' })).toEqual(['idgebr-zero']);
    expect(codes({ IDGebr: '00' })).toEqual(['idgebr-zero']);
    expect(codes({ IDGebr: '10' })).toEqual([]);
    // A username 0 is said as such, also a staff member's from a Stamnr 0 (only a student's Stamnr 0 is said as the Stamnr).
    const zeroLogin = (rol: 'leerling' | 'docent') => {
      const g = new Findings();
      new RowValidator(g, 'utf8-bom').check({ ...row, gebruikersnaam: '0', rol }, { row: 2, stamnr: '0' });
      return g.list().map((f) => f.code);
    };
    expect(zeroLogin('docent')).toEqual(['gebruikersnaam-zero']);
    expect(zeroLogin('leerling')).toEqual([]);
    // Two of them: two cells that look empty in Excel, no duplicate to look for.
    const g = new Findings();
    const v = new RowValidator(g, 'utf8-bom');
    for (const r of [2, 3]) v.check({ ...row, gebruikersnaam: `10000${r}`, IDGebr: '0' }, { row: r });
    expect(g.list().map((f) => [f.code, f.count])).toEqual([['idgebr-zero', 2]]);
    expect(codes({ klas: '2?1' })).toEqual(['klas-lost-letter']);
    expect(codes({ achternaam: 'J\u0430nsen' })).toEqual(['name-mixed-script']);
    expect(codes({ achternaam: '\u0418\u0432\u0430\u043d\u043e\u0432' })).toEqual([]);
    for (const email of ['jan@sch\u043el.nl', 'jan\u2011piet@school.nl', 'jan\u2212piet@school.nl', 'j\uFF41n@school.nl', 'j\u0585n@school.nl', '\uD835\uDC23an@school.nl', 'jan@school.nl\uFFFC']) {
      expect(codes({ 'e-mail': email }), email).toEqual(['email-look-alike']);
    }
    expect(codes({ 'e-mail': 'jos\u00e9.m\u00fcller@school.nl' })).toEqual([]);
    expect(codes({ achternaam: 'Jan;sen' })).toEqual(['name-punctuation']);
    // Another code page read as Windows-1252: ISO-8859-15's š, Windows-1250's Ł and ł, Mac Roman's ß and á.
    for (const name of ['Milo\u00a8', '\u00a3ucja', 'Micha\u00b3', 'Strau\u00a7', 'Ol\u2021']) expect(codes({ achternaam: name }), name).toEqual(['name-symbol']);
    expect(codes({ achternaam: 'd\u00b4Ancona' })).toEqual([]);
    expect(codes({ achternaam: 'O`Neill' })).toEqual(['name-punctuation']);
  });
});

describe('opleidingen and previous year', () => {
  it('reads a list of codes with or without a header', () => {
    const rows = (lines: string[][]) => lines.map((cells, i) => ({ row: i + 1, cells }));
    expect(
      parseOpleidingen(
        'lijst.csv',
        rows([
          ['Omschrijving', 'Code'],
          ['vmbo GL klas 1', 'GL1'],
          ['havo 2', 'H2'],
        ]),
      ),
    ).toEqual([
      { code: 'GL1', label: 'vmbo GL klas 1' },
      { code: 'H2', label: 'havo 2' },
    ]);
    expect(parseOpleidingen('lijst.csv', rows([['Code'], ['GL1'], ['H2'], ['gl1']]))).toEqual([{ code: 'GL1' }, { code: 'H2' }]);
    expect(parseOpleidingen('lijst.csv', rows([['GL1'], ['H2'], ['gl1']]))).toBeUndefined();
  });
  it('knows a name an ANSI save gave a ? as the same person, also for a capital İ (two code points in lower case)', () => {
    const old = { gebruikersnaam: '1', klas: '1A', opleiding: 'H1', wachtwoord: 'Oud12345', idgebr: '', voornaam: '?rem', tussenvoegsel: '', achternaam: '?nce' };
    const y = new YearOverYear(new Map([[previousKey('1'), old]]), { fileName: 'vorig.csv', keepPasswords: true });
    expect(y.passwordOf('1', { roepnaam: '\u0130rem', achternaam: '\u0130nce', klas: '1A' })).toBe('Oud12345');
    expect(y.passwordOf('1', { roepnaam: 'Noor', achternaam: 'Visser', klas: '1A' })).toBeUndefined();
  });
  it('counts new, gone and changed students; matches 001234 with 1234; someone with another IDGebr is an error', () => {
    const prev = new Map(
      [
        { gebruikersnaam: '1', klas: '1A', opleiding: 'H1', wachtwoord: 'p1', idgebr: '' },
        { gebruikersnaam: '2', klas: '1A', opleiding: 'H1', wachtwoord: '', idgebr: '' },
        { gebruikersnaam: '3', klas: '1B', opleiding: 'H1', wachtwoord: 'p3', idgebr: '' },
        { gebruikersnaam: '5', klas: '1B', opleiding: 'H1', wachtwoord: '', idgebr: '' },
        { gebruikersnaam: 'Jan.Jansen', klas: '1B', opleiding: 'H1', wachtwoord: 'p6', idgebr: '30001' },
      ].map((p) => [previousKey(p.gebruikersnaam), { ...p, voornaam: '', tussenvoegsel: '', achternaam: '' }]),
    );
    const y = new YearOverYear(prev, { fileName: 'vorig.csv', keepPasswords: true });
    const row = (g: string, klas: string, opleiding: string, IDGebr?: string) => ({
      gebruikersnaam: g,
      voornaam: '',
      tussenvoegsel: '',
      achternaam: '',
      klas,
      opleiding,
      'e-mail': '',
      wachtwoord: '',
      rol: 'leerling' as const,
      ...(IDGebr ? { IDGebr } : {}),
    });
    const findings = new Findings();
    y.observe(row('1', '2A', 'H2'), { row: 2, stamnr: '1' }, findings);
    y.observe(row('3', '1B', 'H1'), { row: 3, stamnr: '3' }, findings);
    y.observe(row('4', '1A', 'H1'), { row: 4, stamnr: '4' }, findings);
    y.observe(row('0005', '1B', 'H1'), { row: 5, stamnr: '0005' }, findings);
    y.observe(row('jan.jansen', '1B', 'H1', '40009'), { row: 6 }, findings);
    y.finish(findings);
    expect(y.counts).toEqual({ nieuw: 1, vertrokken: 1, klasGewijzigd: 1, opleidingGewijzigd: 1, ongewijzigd: 3 });
    // Someone else under last year's account is in the report too: it is where accounts are archived from.
    expect(y.changes.map((c) => [c.status, c.gebruikersnaam])).toEqual([
      ['klas en opleiding gewijzigd', '1'],
      ['nieuw', '4'],
      ['andere persoon?', 'jan.jansen'],
      ['vertrokken', '2'],
    ]);
    const anyone = { roepnaam: '', achternaam: '', klas: '' };
    expect(y.passwordOf('1', anyone)).toBe('p1');
    expect(y.passwordOf('2', anyone)).toBeUndefined();
    expect(y.passwordOf('0003', anyone)).toBe('p3');
    expect(findings.list().map((f) => [f.level, f.code, f.refs.map((r) => r.row)])).toEqual([
      ['warning', 'previous-zeros', [5]],
      ['warning', 'previous-no-password', [5]],
      ['error', 'previous-other-person', [6]],
    ]);
  });

  it('warns when most of last year is gone and most of this year is new: usernames made otherwise, a second account for all', () => {
    const prev = new Map(
      Array.from({ length: 10 }, (_, i) => ({ gebruikersnaam: `ll${1000 + i}`, klas: '1A', opleiding: 'H1', wachtwoord: '', idgebr: '', voornaam: '', tussenvoegsel: '', achternaam: '' })).map((p) => [
        previousKey(p.gebruikersnaam),
        p,
      ]),
    );
    const run = (logins: string[]) => {
      const y = new YearOverYear(prev, { fileName: 'vorig.csv', keepPasswords: false });
      const findings = new Findings();
      logins.forEach((g, i) => {
        y.observe({ gebruikersnaam: g, voornaam: '', tussenvoegsel: '', achternaam: '', klas: '2A', opleiding: 'H2', 'e-mail': '', wachtwoord: '', rol: 'leerling' }, { row: i + 2 }, findings);
      });
      y.finish(findings);
      return findings.list().map((f) => f.message);
    };
    expect(run(Array.from({ length: 10 }, (_, i) => `${1000 + i}`))).toEqual([
      '10 van de 10 gebruikersnamen zijn nieuw en 10 van de 10 uit vorig.csv ontbreken: zijn de gebruikersnamen anders gemaakt dan vorig jaar?',
    ]);
    // One leerjaar at a time (--klas): the others are not gone.
    const y = new YearOverYear(prev, { fileName: 'vorig.csv', keepPasswords: false, filtered: true });
    const f = new Findings();
    y.finish(f);
    expect([f.list(), y.counts.filtered]).toEqual([[], true]);
    // Half moved on, a new first year came: a school year.
    expect(run([...Array.from({ length: 5 }, (_, i) => `ll${1000 + i}`), ...Array.from({ length: 5 }, (_, i) => `ll${2000 + i}`)])).toEqual([]);
  });

  it('matches one account as Numo does (Zoe = Zoë, ll001234 = ll1234), and tells another person or a renamed one', () => {
    const student = (gebruikersnaam: string, idgebr: string, voornaam: string, achternaam: string) => ({
      gebruikersnaam,
      klas: '1A',
      opleiding: 'H1',
      wachtwoord: 'geheim',
      idgebr,
      voornaam,
      tussenvoegsel: '',
      achternaam,
    });
    const prev = new Map(
      [
        student('Zoe.Kaptein', '30387', 'Zoe', 'Kaptein'),
        student('ll001234', '', 'Eva', 'Bos'),
        student('100005', '', 'Noor', 'Visser'),
        student('100006', '', 'Daan', 'Janssen'),
        student('Sem.Janssen', '30390', 'Sem', 'Janssen'),
        // Last year's file saved by Excel as ANSI: letters it cannot hold became ?.
        student('100007', '', '?ukasz', 'Nguy?n'),
      ].map((p) => [previousKey(p.gebruikersnaam), p]),
    );
    const row = (gebruikersnaam: string, voornaam: string, achternaam: string, IDGebr?: string) => ({
      gebruikersnaam,
      voornaam,
      tussenvoegsel: '',
      achternaam,
      klas: '1A',
      opleiding: 'H1',
      'e-mail': '',
      wachtwoord: '',
      rol: 'leerling' as const,
      ...(IDGebr ? { IDGebr } : {}),
    });
    for (const keepPasswords of [true, false]) {
      const y = new YearOverYear(prev, { fileName: 'vorig.csv', keepPasswords });
      const findings = new Findings();
      // Another student whose login is one with last year's in Numo: the IDGebr differs.
      y.observe(row('Zoë.Kaptein', 'Zoë', 'Kaptein', '30501'), { row: 2 }, findings);
      y.observe(row('ll1234', 'Eva', 'Bos'), { row: 3, stamnr: '1234' }, findings);
      // A Stamnr given out again, no SSO: both names differ. A married name: one differs.
      y.observe(row('100005', 'Bram', 'Kok'), { row: 4, stamnr: '100005' }, findings);
      y.observe(row('100006', 'Daan', 'de Wit'), { row: 5, stamnr: '100006' }, findings);
      // A corrected name in a name template: new gebruikersnaam, last year's IDGebr.
      y.observe(row('Sem.Jansen', 'Sem', 'Jansen', '30390'), { row: 6 }, findings);
      y.observe(row('100007', '\u0141ukasz', 'Nguy\u1EC5n'), { row: 7, stamnr: '100007' }, findings);
      y.finish(findings);
      expect(y.passwordOf('ll1234', { roepnaam: 'Eva', achternaam: 'Bos', klas: '1A' })).toBe('geheim');
      // Another person under a Stamnr given out again gets no password somebody else knows, and no refusal: someone
      // who changed both names is the same person.
      expect(y.passwordOf('100005', { roepnaam: 'Bram', achternaam: 'Kok', klas: '1A' })).toBeUndefined();
      expect(y.passwordOf('100007', { roepnaam: '\u0141ukasz', achternaam: 'Nguy\u1EC5n', klas: '1A' })).toBe('geheim');
      expect(findings.list().map((f) => [f.level, f.code, f.refs.map((r) => r.row)])).toEqual([
        ['error', 'previous-other-person', [2]],
        // Matched, but Numo has ll001234: ll1234 would be a second account.
        ['error', 'previous-zeros-here', [3]],
        ['warning', 'previous-other-name', [4]],
        ['warning', 'previous-renamed', [6]],
      ]);
      expect(JSON.stringify(findings.list())).not.toMatch(/Zo|Kaptein|Bram|Noor|Janssen/);
    }
  });

  describe('a year in which the usernames changed hands', () => {
    const first = ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Mila', 'Finn', 'Tess', 'Milan', 'Zoë', 'Levi', 'Sara', 'Noah', 'Evi', 'Liam', 'Saar', 'Bram', 'Lotte', 'Jesse', 'Nora'];
    const last = [
      'de Jong',
      'Jansen',
      'de Vries',
      'van den Berg',
      'van Dijk',
      'Bakker',
      'Janssen',
      'Visser',
      'Smit',
      'Meijer',
      'de Boer',
      'Mulder',
      'de Groot',
      'Bos',
      'Vos',
      'Peters',
      'Hendriks',
      'van Leeuwen',
      'Dekker',
      'Brouwer',
    ];
    const people = first.map((voornaam, i) => ({ voornaam, achternaam: last[i]! }));
    const prev = new Map(
      people.map((p, i) => [previousKey(`${1001 + i}`), { gebruikersnaam: `${1001 + i}`, klas: '1A', opleiding: 'H1', wachtwoord: `Geheim${i}x`, idgebr: '', tussenvoegsel: '', ...p }]),
    );
    type Row = { gebruikersnaam: string; voornaam: string; achternaam: string; klas?: string; IDGebr?: string };
    /** This year's rows (klas 2A unless said) against `previous`; `outside`: students the selection left out. */
    const compare = (previous: typeof prev, rows: Row[], o: { filtered?: boolean; outside?: typeof people } = {}) => {
      const y = new YearOverYear(previous, { fileName: 'vorig.csv', keepPasswords: true, filtered: Boolean(o.filtered) });
      for (const p of o.outside ?? []) y.outside(p.voornaam, '', p.achternaam);
      const findings = new Findings();
      rows.forEach((r, i) => {
        y.observe({ klas: '2A', ...r, tussenvoegsel: '', opleiding: 'H2', 'e-mail': '', wachtwoord: '', rol: 'leerling' }, { row: i + 2 }, findings);
      });
      y.finish(findings);
      return findings.list().map((f) => [f.level, f.code, f.refs.length]);
    };
    const run = (rows: Row[], filtered = false) => compare(prev, rows, { filtered });

    it('numbers given out again (alphabetically after a merger): most accounts would go to someone else, an error', () => {
      // Everyone's number moved one on: each returning number now belongs to the next pupil.
      const shifted = people.map((p, i) => ({ gebruikersnaam: `${1001 + ((i + 1) % people.length)}`, ...p }));
      expect(run(shifted)).toEqual([
        ['warning', 'previous-other-name', 20],
        ['error', 'previous-other-people', 0],
      ]);
      // Two pupils with a new name (a school year): named, no refusal.
      const two = people.map((p, i) => ({ gebruikersnaam: `${1001 + i}`, ...(i < 2 ? { voornaam: `X${p.voornaam}`, achternaam: `Y${p.achternaam}` } : p) }));
      expect(run(two)).toEqual([['warning', 'previous-other-name', 2]]);
    });

    it("new usernames for last year's pupils (another template, source or numbering): a second account for each, an error, also with a filter", () => {
      const renumbered = people.map((p, i) => ({ gebruikersnaam: `ll${2001 + i}`, ...p }));
      expect(run(renumbered)).toEqual([['error', 'previous-renamed-many', 20]]);
      // One leerjaar at a time: "most are new" says nothing then, the names still do.
      expect(run(renumbered.slice(0, 8), true)).toEqual([['error', 'previous-renamed-many', 8]]);
      // With SSO the IDGebr says it for sure: last year's IDGebr under a new gebruikersnaam, for everyone.
      const sso = new Map([...prev].map(([k, p], i) => [k, { ...p, idgebr: `${30001 + i}` }]));
      expect(
        compare(
          sso,
          people.map((p, i) => ({ gebruikersnaam: `ll${1001 + i}`, ...p, IDGebr: `${30001 + i}` })),
        ),
      ).toEqual([
        ['warning', 'previous-renamed', 20],
        ['error', 'previous-renamed-many', 20],
      ]);
      // One pupil under a new number, the rest as last year: a question, not a refusal.
      const one = people.map((p, i) => ({ gebruikersnaam: i === 0 ? '3001' : `${1001 + i}`, ...p }));
      expect(run(one)).toEqual([['warning', 'previous-same-name', 1]]);
      // A tussenvoegsel in its own column or in the surname is one name; another tussenvoegsel is another person.
      const split = new Map([[previousKey('1001'), { ...prev.get(previousKey('1001'))!, tussenvoegsel: 'de', achternaam: 'Jong' }]]);
      const daan = (achternaam: string, klas = '2A'): Row => ({ gebruikersnaam: '5001', voornaam: 'Daan', achternaam, klas });
      expect([compare(split, [daan('de Jong')]), compare(split, [daan('van Jong')])]).toEqual([[['warning', 'previous-same-name', 1]], []]);
      // Run for the first-years only, with a namesake still at school outside the selection: not gone, not renamed.
      expect(compare(prev, [{ gebruikersnaam: '6001', voornaam: 'Emma', achternaam: 'Jansen', klas: '1A' }], { filtered: true, outside: people.slice(1) })).toEqual([]);
      // A new first-year named like last year's examenklas pupil: two leerjaren apart, someone else.
      const graduate = new Map([[previousKey('1001'), { ...prev.get(previousKey('1001'))!, klas: '6V2' }]]);
      expect(compare(graduate, [daan('de Jong', '1H1')])).toEqual([]);
      // A new pupil who shares a name with nobody gone: nothing to say.
      expect(run([...people.map((p, i) => ({ gebruikersnaam: `${1001 + i}`, ...p })), { gebruikersnaam: '3002', voornaam: 'Ayoub', achternaam: 'El Idrissi' }])).toEqual([]);
    });

    it("a leaver's number given out again: another name and a lower leerjaar is someone else, also with last year's IDGebr", () => {
      // Daan de Jong left from 6V2; his number went to a first-year.
      const leaver = new Map([[previousKey('1001'), { ...prev.get(previousKey('1001'))!, klas: '6V2', idgebr: '30001' }]]);
      const pupil = (voornaam: string, achternaam: string, klas: string, IDGebr?: string): Row => ({ gebruikersnaam: '1001', voornaam, achternaam, klas, ...(IDGebr ? { IDGebr } : {}) });
      // Last year's IDGebr file joins the number to the leaver's IDGebr: the IDGebr no longer vouches for the person.
      expect(compare(leaver, [pupil('Ayoub', 'El Idrissi', '1H1', '30001')])).toEqual([['error', 'previous-reissued', 1]]);
      expect(compare(leaver, [pupil('Ayoub', 'El Idrissi', '1H1')])).toEqual([['error', 'previous-reissued', 1]]);
      // Both names new in the same or the next leerjaar: someone who changed both, or not: a question.
      expect(compare(leaver, [pupil('Ayoub', 'El Idrissi', '6V2', '30001')])).toEqual([['warning', 'previous-other-name', 1]]);
      // A sibling under the leaver's number: one name in common, a lower leerjaar. The same name in a lower leerjaar
      // (kept down, or the klas renamed) and one new name in the next (a married name) are the same person.
      expect(compare(leaver, [pupil('Sem', 'de Jong', '1H1')])).toEqual([['warning', 'previous-other-name', 1]]);
      expect([compare(leaver, [pupil('Daan', 'de Jong', '5V2')]), compare(leaver, [pupil('Daan', 'van Dijk', '6V2')])]).toEqual([[], []]);
      // First and last name swapped (corrected after a transliteration): the same person, in any leerjaar.
      expect(compare(leaver, [pupil('de Jong', 'Daan', '1H1')])).toEqual([]);
      // Without a leerjaar (staff, mbo groups): a teacher code passed on within a family name is a question; a new
      // surname alone is a marriage.
      const staff = new Map([[previousKey('1001'), { ...prev.get(previousKey('1001'))!, klas: '' }]]);
      expect([compare(staff, [pupil('Karin', 'de Jong', '')]), compare(staff, [pupil('Daan', 'Bakker', '')])]).toEqual([[['warning', 'previous-other-name', 1]], []]);
      // No password of the leaver for any of those who may be someone else.
      const y = new YearOverYear(leaver, { fileName: 'vorig.csv', keepPasswords: true });
      expect([y.passwordOf('1001', { roepnaam: 'Ayoub', achternaam: 'El Idrissi', klas: '6V2' }), y.passwordOf('1001', { roepnaam: 'Sem', achternaam: 'de Jong', klas: '1H1' })]).toEqual([
        undefined,
        undefined,
      ]);
      expect(y.passwordOf('1001', { roepnaam: 'Daan', achternaam: 'de Jong', klas: '5V2' })).toBe('Geheim0x');
    });
  });
});

describe('shuffledWorkbook: a mapping workbook whose Studie column was sorted on its own', () => {
  // The workbook as numo-prep wrote it for an export: per Studie its count and klassen.
  const studies = [
    ['1 havo', 7, '1h1'],
    ['1 kader', 7, '1k1'],
    ['2 havo', 31, '2h1'],
    ['2 vwo', 30, '2v1'],
    ['3 mavo', 6, '3m1'],
  ] as const;
  const workbook = (rows: readonly (readonly [string, number, string])[]) => {
    const m = new Mapping(rows.map(([studie]) => ({ studie, code: 'X' })));
    m.counts = new Map(rows.map(([studie, n]) => [studieKey(studie), n]));
    m.klassen = new Map(rows.map(([studie, , klas]) => [studieKey(studie), [klas]]));
    return m;
  };
  const exported = (rows: readonly (readonly [string, number, string])[]) => ({
    counts: new Map(rows.map(([studie, n]) => [studieKey(studie), n])),
    klassen: new Map(rows.map(([studie, , klas]) => [klas, new Set([studieKey(studie)])])),
  });
  const now = exported(studies);

  it("rows beside another Studie's klassen are moved; the table as written, or sorted whole, is not", () => {
    const names = studies.map((s) => s[0]).reverse();
    expect(shuffledWorkbook(workbook(studies.map((s, i) => [names[i]!, s[1], s[2]] as const)), now.counts, now.klassen)).toBe(4);
    expect(shuffledWorkbook(workbook(studies), now.counts, now.klassen)).toBe(0);
    expect(shuffledWorkbook(workbook([...studies].reverse()), now.counts, now.klassen)).toBe(0);
  });

  it('says nothing when a student changed Studie since (two counts swapped), a Studie was renamed, or a klas has very many Studies', () => {
    const moved = exported(studies.map(([s, n, k]) => [s, s === '2 havo' ? 30 : s === '2 vwo' ? 31 : n, k] as const));
    expect(shuffledWorkbook(workbook(studies), moved.counts, moved.klassen)).toBe(0);
    const renamed = exported(studies.map(([s, n, k]) => [s === '3 mavo' ? '3 mavo/tl' : s, n, k] as const));
    expect(shuffledWorkbook(workbook(studies), renamed.counts, renamed.klassen)).toBe(0);
    // A mentor klas of every leerweg and profiel: its Studies were too many to keep.
    const klassen = new Map([...now.klassen].map(([k, set]) => [k, new Set([...set, MANY])]));
    const names = studies.map((s) => s[0]).reverse();
    expect(shuffledWorkbook(workbook(studies.map((s, i) => [names[i]!, s[1], s[2]] as const)), now.counts, klassen)).toBe(0);
  });
});

describe('rowBatches', () => {
  const rows = (n: number): RawRow[] => Array.from({ length: n }, (_, i) => ({ row: i + 1, cells: [`${i + 1}`] }));
  /** An iterator over `list` that counts return() calls, with or without batches, failing after `failAfter` rows. */
  const source = (list: RawRow[], o: { batches?: boolean; failAfter?: number } = {}) => {
    let i = 0;
    const closed = { count: 0 };
    const it: RowIterator = {
      next: async () => {
        if (o.failAfter !== undefined && i >= o.failAfter) throw new Error('kapot');
        return i < list.length ? { done: false, value: list[i++]! } : { done: true, value: undefined };
      },
      return: async () => {
        closed.count++;
        return { done: true, value: undefined };
      },
    };
    if (o.batches) it.nextBatch = async () => list.slice(i, (i = Math.min(list.length, i + 2)));
    return { iterable: { [Symbol.asyncIterator]: () => it }, closed };
  };
  const all = async (iterable: AsyncIterable<RawRow>) => {
    const out: (readonly RawRow[])[] = [];
    for await (const b of rowBatches(iterable)) out.push(b);
    return out;
  };

  it('hands out the batches an iterator has, or one row at a time, and closes it only when the consumer stops early', async () => {
    const plain = source(rows(3));
    expect((await all(plain.iterable)).map((b) => b.length)).toEqual([1, 1, 1]);
    const batched = source(rows(5), { batches: true });
    expect((await all(batched.iterable)).map((b) => b.map((r) => r.row))).toEqual([[1, 2], [3, 4], [5]]);
    expect([plain.closed.count, batched.closed.count]).toEqual([0, 0]);

    const early = source(rows(5), { batches: true });
    for await (const _ of rowBatches(early.iterable)) break;
    expect(early.closed.count).toBe(1);
    const failing = source(rows(5), { failAfter: 2 });
    await expect(all(failing.iterable)).rejects.toThrow('kapot');
    expect(failing.closed.count).toBe(0);
  });

  it('prepend: the rows taken first as one batch, then the rest in its own batches; return reaches the rest', async () => {
    const rest = source(rows(5).slice(2), { batches: true });
    const it = prepend(rows(2), rest.iterable[Symbol.asyncIterator]());
    expect((await all({ [Symbol.asyncIterator]: () => it })).map((b) => b.map((r) => r.row))).toEqual([[1, 2], [3, 4], [5]]);
    const again = prepend(rows(2), source(rows(3)).iterable[Symbol.asyncIterator]());
    expect([(await again.next()).value?.row, (await again.next()).value?.row, (await again.next()).value?.row]).toEqual([1, 2, 1]);
    await prepend([], rest.iterable[Symbol.asyncIterator]()).return!();
    expect(rest.closed.count).toBe(1);
  });
});

describe('role watch', () => {
  // Numo's own columns with a rol column, as an admin writes them by hand (the manual's steps 7–9).
  const headers = ['gebruikersnaam', 'voornaam', 'achternaam', 'opleiding', 'Code', 'rol'];
  const watch = (role: 'leerling' | 'docent', rows: string[][]) => {
    const w = new RoleWatch(role, roleColumns(headers, matchColumns(headers, EXPORT_COLUMNS)));
    rows.forEach((cells, i) => w.observe(cells, { row: i + 2 }));
    const f = new Findings();
    w.finish(f);
    return f.list().map((x) => [x.code, x.message]);
  };
  const student = ['1', 'Anna', 'Bos', 'VB-HAVO-1', '', 'leerling'];
  const staff = ['2', 'Piet', 'Smit', '', 'SMI', 'docent'];
  it('refuses staff read as students only when a rol cell says so', () => {
    expect(watch('leerling', [staff, staff])).toEqual([['staff-as-students', "Rol leerling, maar kolom 'rol' noemt medewerkers (bijv. rij 2: 'docent')"]]);
    // A staff column filled in a list without Studie is no proof: a student list may have a Code of its own.
    const unstated = [...staff.slice(0, 5), ''];
    expect(watch('leerling', [unstated, unstated])).toEqual([]);
    expect(watch('docent', [staff, staff])).toEqual([]);
  });
  it('refuses students read as staff, and a list of both', () => {
    expect(watch('docent', [staff, student])).toEqual([['mixed-roles', 'Dit bestand bevat leerlingen (bijv. rij 3) én medewerkers (bijv. rij 2)']]);
    expect(watch('leerling', [student, staff])).toEqual([['mixed-roles', 'Dit bestand bevat leerlingen (bijv. rij 2) én medewerkers (bijv. rij 3)']]);
    expect(watch('docent', [student])).toEqual([['students-as-staff', 'Rol docent gekozen, maar dit bestand bevat leerlingen (bijv. rij 2)']]);
    expect(watch('leerling', [student, student])).toEqual([]);
  });
});
