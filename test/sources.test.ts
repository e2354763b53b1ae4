import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchColumns, missingRequired } from '../src/core/columns.js';
import {
  defaultGebruikersnaam,
  detectionLine,
  findLookalikes,
  RoleWatch,
  reportLookalikes,
  roleColumns,
  rowRole,
  sourceCandidates,
  unfilledPlaceholders,
  unusedIdentityColumns,
  valueRole,
} from '../src/core/detect.js';
import { Findings } from '../src/core/findings.js';
import { allSpellings, type Role, SOURCES, type SourceId, sourceColumns, studieHoldsNumoCodes } from '../src/core/sources.js';
import { LeadingZeros, padStamnr } from '../src/core/stamnr.js';
import { headerKey } from '../src/core/text.js';
import { ROOT } from './helpers.js';

/** Which source's candidate fits the header best: the rule locateBest applies per row. */
function detect(headers: string[], role: Role = 'leerling'): SourceId | undefined {
  let best: { id: SourceId; score: number } | undefined;
  for (const c of sourceCandidates(role)) {
    const cols = matchColumns(headers, c.specs);
    if (Object.keys(cols).length === 0 || missingRequired(cols, c.specs).length) continue;
    const score = Object.keys(cols).length + headers.filter((h) => c.known.has(headerKey(h))).length;
    if (!best || score > best.score) best = { id: c.id, score };
  }
  return best?.id;
}

describe('source profiles', () => {
  it('recognise every layout by its own headers, and only by them', () => {
    for (const source of SOURCES) {
      for (const layout of source.layouts) {
        const headers = Object.values(layout.columns).map((spellings) => spellings![0]!);
        expect(detect(headers, layout.role), `${source.name} ${layout.name}`).toBe(source.id);
      }
    }
  });
  it('match every spelling case- and punctuation-insensitively', () => {
    for (const s of allSpellings()) {
      const specs = sourceColumns(SOURCES.find((x) => x.name === s.source)!.id, s.role);
      for (const variant of [s.spelling, s.spelling.toUpperCase(), s.spelling.toLowerCase().replace(/[._]/g, ' ')]) {
        expect(matchColumns([variant], specs)[s.field], `${s.source} ${s.spelling}`).toBe(0);
      }
    }
  });
  it('are all in the README table, per source and layout', () => {
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
    for (const s of SOURCES) {
      for (const l of s.layouts) {
        const row = readme.split('\n').find((line) => line.startsWith(`| ${s.name} | ${l.name} | ${l.role} |`));
        expect(row, `${s.name} ${l.name}`).toBeDefined();
        for (const spelling of Object.values(l.columns).flat()) expect(row).toContain(`\`${spelling}\``);
      }
    }
  });
  it('read the BOM-prefixed webservice header', () => {
    const specs = sourceColumns('magister', 'leerling');
    expect(matchColumns(['\ufeffstamnr_str', 'Roepnaam'], specs)).toEqual({ stamnr: 0, roepnaam: 1 });
  });
  it('tell Somtoday and EduArte from Magister, and name the layout', () => {
    expect(detect(['leerlingnummer', 'roepnaam', 'voorvoegsel', 'achternaam', 'stamgroep', 'opleiding', 'emailadres'])).toBe('somtoday');
    expect(detect(['Nummer', 'Roepnaam', 'Voorvoegsel', 'Achternaam', 'E-mail', 'Opleiding', 'Plaatsingsgroep'])).toBe('eduarte');
    expect(detect(['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie'])).toBe('magister');
    expect(detect(['stamnr_str', 'Code', 'Roepnaam', 'Tussenv', 'Achternaam', 'Loginaccount.Naam'], 'docent')).toBe('magister');
    expect(detect(['medewerkernummer', 'afkorting', 'roepnaam', 'voorvoegsel', 'achternaam', 'emailadres', 'is_docent'], 'docent')).toBe('somtoday');
    expect(detectionLine('somtoday', 'leerling', ['leerlingNummer', 'leerlingRoepnaam'])).toBe('Herkend als Somtoday-export (UmService).');
  });
  it('treat only the Numo-renamed opleiding column as holding codes', () => {
    const numo = ['gebruikersnaam', 'voornaam', 'tussenvoegsel', 'achternaam', 'klas', 'opleiding', 'e-mail'];
    expect(studieHoldsNumoCodes('magister', 'leerling', numo, 'opleiding')).toBe(true);
    expect(studieHoldsNumoCodes('magister', 'leerling', ['Stamnr', 'Roepnaam', 'Achternaam', 'Studie'], 'Studie')).toBe(false);
    expect(studieHoldsNumoCodes('somtoday', 'leerling', numo, 'opleiding')).toBe(false);
    expect(studieHoldsNumoCodes('eduarte', 'leerling', numo, 'Opleiding')).toBe(false);
    // A Magister export whose study column alone is headed Opleiding: the school's names, not Numo codes.
    expect(studieHoldsNumoCodes('magister', 'leerling', ['Leerlingnummer', 'Roepnaam', 'Tussenvoegsel', 'Achternaam', 'Klas', 'Opleiding', 'E-mail'], 'Opleiding')).toBe(false);
  });
  it('let a config override win, and add a field the source has no spelling for', () => {
    const [eduarte] = sourceCandidates('docent', { only: 'eduarte', overrides: { klas: 'Team', stamnr: 'Personeelsnr' } });
    expect(matchColumns(['Personeelsnr', 'Roepnaam', 'Achternaam', 'Team'], eduarte!.specs)).toMatchObject({ stamnr: 0, klas: 3 });
  });
});

describe('lookalike columns: never silently drop a name part', () => {
  const somtodayAsMagister = ['leerlingnummer', 'roepnaam', 'voorvoegsel', 'achternaam', 'stamgroep', 'opleiding'];
  it('names unused columns that look like a tussenvoegsel, klas, e-mail or name by their header', () => {
    const cols = matchColumns(somtodayAsMagister, sourceColumns('magister', 'leerling'));
    // voorvoegsel is a spelling every source knows now; stamgroep is Somtoday's only.
    expect(findLookalikes(somtodayAsMagister, cols).map((l) => [l.header, l.kind])).toEqual([['stamgroep', 'klas']]);
    expect(
      findLookalikes(['Stamnr', 'Roepnaam', 'Infix', 'Achternaam', 'Studie'], matchColumns(['Stamnr', 'Roepnaam', 'Infix', 'Achternaam', 'Studie'], sourceColumns('magister', 'leerling'))).map(
        (l) => l.kind,
      ),
    ).toEqual(['tussenvoegsel']);
    const extra = ['Stamnr', 'Roepnaam', 'Achternaam', 'Studie', 'Familienaam', 'E-mail ouders', 'Mentor', 'Privé mail'];
    const c2 = matchColumns(extra, sourceColumns('magister', 'leerling'));
    expect(findLookalikes(extra, c2).map((l) => l.header)).toEqual(['Familienaam', 'Privé mail']);
  });
  it('names an unused login column only when it holds logins that are not simply the Stamnr', () => {
    const headers = ['Stamnr', 'Roepnaam', 'Achternaam', 'Studie', 'Gebruikersnaam'];
    const cols = matchColumns(headers, sourceColumns('magister', 'leerling'));
    const login = (values: string[]) =>
      unusedIdentityColumns(
        headers,
        cols,
        values.map((v, i) => [`${600001 + i}`, 'A', 'B', '1 havo', v]),
      ).login?.header;
    expect(login(['jhof01', 'abos02'])).toBe('Gebruikersnaam');
    expect(login(['600001', '600002'])).toBeUndefined();
    expect(login(['Jan Hof', 'Ans Bos'])).toBeUndefined();
    expect(login(['', ''])).toBeUndefined();
  });
  it('finds them by content where no column fills that field, and never says a value', () => {
    const headers = ['Stamnr', 'Roepnaam', 'Achternaam', 'Studie', 'Veld1', 'Veld2', 'Veld3', 'Veld4'];
    const sample = [
      ['1', 'Jan', 'Vries', '2 havo', 'de', '2H1', 'a@b.nl', 'x'],
      ['2', 'Piet', 'Berg', '2 havo', 'van den', '2H2', 'c@d.nl', 'y'],
      ['3', 'Kees', 'Dijk', '2 havo', '', '2h3', 'e@f.nl', 'z'],
    ];
    const cols = matchColumns(headers, sourceColumns('magister', 'leerling'));
    expect(findLookalikes(headers, cols, { sample }).map((l) => [l.header, l.kind])).toEqual([
      ['Veld1', 'tussenvoegsel'],
      ['Veld2', 'klas'],
      ['Veld3', 'email'],
    ]);
  });
  it('names at most five columns, whatever the header', () => {
    const headers = ['Stamnr', 'Roepnaam', 'Achternaam', 'Studie', ...Array.from({ length: 500 }, (_, i) => `Naam ${i}`)];
    const f = new Findings();
    reportLookalikes(findLookalikes(headers, matchColumns(headers, sourceColumns('magister', 'leerling'))), f);
    expect(f.list()).toHaveLength(5);
    expect(f.list()[0]!.message).toBe("Nog 496 kolommen lijken een naam, klas of e-mailadres maar worden niet gebruikt (bijv. 'Naam 4')");
  });
  it('leaves out what the source declares as unused, e.g. Voornamen next to roepnaam', () => {
    const headers = ['leerlingnummer', 'roepnaam', 'voornamen', 'voorletters', 'voorvoegsel', 'achternaam', 'opleiding'];
    const [somtoday] = sourceCandidates('leerling', { only: 'somtoday' });
    expect(findLookalikes(headers, matchColumns(headers, somtoday!.specs), { unused: somtoday!.known })).toEqual([]);
  });
});

describe('students and staff', () => {
  const headers = ['Stamnr', 'Code', 'Roepnaam', 'Achternaam', 'Studie'];
  const rc = roleColumns(headers, matchColumns(headers, sourceColumns('magister', 'leerling')));
  it('tells a student row from a staff row', () => {
    expect(rowRole(['1', '', 'Jan', 'Vries', '2 havo'], rc)).toBe('leerling');
    expect(rowRole(['9', 'ABC', 'Els', 'Kok', ''], rc)).toBe('docent');
    expect(rowRole(['9', 'ABC', 'Els', 'Kok', '2 havo'], rc)).toBeUndefined();
    const byValue = roleColumns(['Naam', 'Rol'], {});
    expect(rowRole(['x', 'Medewerker'], byValue)).toBe('docent');
    // Without case, accents, dots or spaces; several words only when they agree; other values are no role.
    expect(['OOP', 'o.o.p.', 'Conciërge', 'CONCIERGE', 'Onderwijzend personeel', 'Docent / Mentor', 'SLB’er'].map(valueRole)).toEqual(Array(7).fill('docent'));
    expect(['Leerling', 'Deelnemers', 'cursist', 'Leerling, Student', 'student;member'].map(valueRole)).toEqual(Array(5).fill('leerling'));
    // eduPersonAffiliation's member beside the role says nothing; OA and TOA are mbo courses too.
    expect(['faculty,member,employee', 'OA', 'TOA', 'member'].map(valueRole)).toEqual(['docent', null, null, null]);
    expect(['Stagiair', 'Ouder/verzorger', 'Docent/Leerling', 'Onderwijsassistent', 'x'.repeat(500)].map(valueRole)).toEqual(Array(5).fill(null));
    expect(valueRole('  ')).toBeUndefined();
    // A Rol column before a Type column, also when the Type column comes first.
    expect(roleColumns(['Type', 'Naam', 'Rol'], {})).toMatchObject({ value: 2, valueHeader: 'Rol', valueOnly: true });
    expect(roleColumns(['Naam', 'Soort'], {})).toMatchObject({ value: 1, valueHeader: 'Soort' });
    expect(roleColumns(['Naam', 'Soort'], {}).valueOnly).toBeUndefined();
  });
  it('refuses a file with both, with a row of each', () => {
    const w = new RoleWatch('leerling', rc);
    w.observe(['1', '', 'Jan', 'Vries', '2 havo'], { row: 2 });
    w.observe(['9', 'ABC', 'Els', 'Kok', ''], { row: 7 });
    const f = new Findings();
    w.finish(f);
    expect(f.list('error')[0]!.message).toBe('Dit bestand bevat leerlingen (bijv. rij 2) én medewerkers (bijv. rij 7)');
  });
  it('gives staff their login, else their code', () => {
    expect(defaultGebruikersnaam('docent', { login: 5, code: 1 })).toBe('{login}');
    expect(defaultGebruikersnaam('docent', { code: 1 })).toBe('{code}');
    expect(defaultGebruikersnaam('docent', {})).toBeUndefined();
    expect(defaultGebruikersnaam('leerling', { login: 5 })).toBe('{stamnr}');
    expect(unfilledPlaceholders(['login', 'stamnr'], { stamnr: 0 })).toEqual(['login']);
  });
});

describe('Stamnr with and without leading zeros', () => {
  it('pads to N digits, drops extra zeros, refuses more digits, leaves non-numbers alone', () => {
    expect(padStamnr('1234', 6)).toBe('001234');
    expect(padStamnr('0001234', 6)).toBe('001234');
    expect(padStamnr('1234567', 6)).toBeUndefined();
    expect(padStamnr('L1234', 6)).toBe('L1234');
    expect([padStamnr('001234', 0), padStamnr('1234567890123', 0)]).toEqual(['1234', '1234567890123']);
  });
  it('warns once when padded and shorter unpadded numbers meet', () => {
    const z = new LeadingZeros();
    z.observe('001201', { row: 2 });
    z.observe('1204', { row: 5 });
    z.observe('1205', { row: 6 });
    const f = new Findings();
    z.finish(f);
    expect(f.list('warning')).toHaveLength(1);
    expect(f.list('warning')[0]!.message).toContain('voorloopnullen tot 6 cijfers (bijv. rij 2) en zonder (bijv. rij 5)');
    const same = new LeadingZeros();
    same.observe('001201', { row: 2 });
    same.observe('123456', { row: 3 });
    const g = new Findings();
    same.finish(g);
    expect(g.list()).toHaveLength(0);
  });
});
