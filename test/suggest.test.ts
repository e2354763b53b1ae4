import { describe, expect, it } from 'vitest';
import { classifyHeaders } from '../src/core/file-kind.js';
import type { Opleiding } from '../src/core/opleidingen.js';
import { StudieTally, studieColumnProblem } from '../src/core/studies.js';
import { codeChoices, codeShapeProblem, matchesSearch, NO_SUGGESTION, searchOpleidingen, suggestOpleidingen, tokenize } from '../src/core/suggest.js';
import { askOpleiding } from '../src/run/map-studies.js';
import { ScriptedPrompter, step } from './prompt-double.js';

// A synthetic list shaped like Numo's (codes are made up; descriptions spelled out, as in the issue).
const LIST: Opleiding[] = [];
let n = 100;
for (const [name, years] of [
  ['vmbo basisberoepsgerichte leerweg', 4],
  ['vmbo kaderberoepsgerichte leerweg', 4],
  ['vmbo gemengde leerweg', 4],
  ['vmbo theoretische leerweg', 4],
  ['havo', 5],
  ['vwo', 6],
] as const) {
  for (let y = 1; y <= years; y++) LIST.push({ code: `X${n++}`, label: `${name} leerjaar ${y}` });
}
LIST.push({ code: `X${n++}`, label: 'vwo tweetalig leerjaar 3' });
LIST.push({ code: `X${n++}`, label: 'praktijkonderwijs' });

const top = (studie: string, list = LIST) => suggestOpleidingen(studie, list)[0]?.opleiding.label;

describe('suggestOpleidingen', () => {
  it.each([
    ['1 kader', 'vmbo kaderberoepsgerichte leerweg leerjaar 1'],
    ['kader 1', 'vmbo kaderberoepsgerichte leerweg leerjaar 1'],
    ['3 vwo gymn', 'vwo leerjaar 3'],
    ['3 vwo', 'vwo leerjaar 3'],
    ['2 havo', 'havo leerjaar 2'],
    ['H4', 'havo leerjaar 4'],
    ['3 mavo', 'vmbo theoretische leerweg leerjaar 3'],
    ['2 TL', 'vmbo theoretische leerweg leerjaar 2'],
    ['4 vmbo-b', 'vmbo basisberoepsgerichte leerweg leerjaar 4'],
    ['1 BB/KB', 'vmbo basisberoepsgerichte leerweg leerjaar 1'],
    ['2e klas gemengde leerweg', 'vmbo gemengde leerweg leerjaar 2'],
    ['1 gymnasium', 'vwo leerjaar 1'],
    ['Praktijkonderwijs', 'praktijkonderwijs'],
  ])('%s → %s', (studie, label) => {
    expect(top(studie)).toBe(label);
  });

  it('never suggests another leerjaar first, and nothing for a Studie that shares no word', () => {
    expect(suggestOpleidingen('1 kader', LIST).every((s, i, all) => i === 0 || s.score <= all[0]!.score)).toBe(true);
    expect(
      suggestOpleidingen('1 kader', LIST)
        .slice(0, 1)
        .map((s) => s.opleiding.label),
    ).not.toContain('vmbo kaderberoepsgerichte leerweg leerjaar 3');
    expect(suggestOpleidingen('Schakelklas', LIST)).toEqual([]);
    expect(suggestOpleidingen('', LIST)).toEqual([]);
  });

  it('prefers a gymnasium code when the list has one, and the plain code over a tweetalig one', () => {
    expect(top('3 vwo gymn', [...LIST, { code: 'G3', label: 'gymnasium leerjaar 3' }])).toBe('gymnasium leerjaar 3');
    expect(top('3 vwo')).toBe('vwo leerjaar 3');
    expect(top('3 vwo tto')).toBe('vwo tweetalig leerjaar 3');
  });

  it('scores a list of bare codes on the code, and a described code on its description only', () => {
    const bare: Opleiding[] = [{ code: 'VMBO-KB-1' }, { code: 'VMBO-KB-2' }, { code: 'HAVO-1' }];
    expect(suggestOpleidingen('1 kader', bare)[0]?.opleiding.code).toBe('VMBO-KB-1');
    // The digit in a code does not pose as a leerjaar.
    const described: Opleiding[] = [
      { code: 'VO3', label: 'havo leerjaar 1' },
      { code: 'VO1', label: 'havo leerjaar 3' },
    ];
    expect(suggestOpleidingen('3 havo', described)[0]?.opleiding.code).toBe('VO1');
  });

  it('limits the number of suggestions', () => {
    expect(suggestOpleidingen('vwo', LIST, 3)).toHaveLength(3);
  });
});

describe('search', () => {
  const kb1 = LIST.find((o) => o.label === 'vmbo kaderberoepsgerichte leerweg leerjaar 1')!;
  it('matches every typed word in any order, by word start or school type', () => {
    expect(matchesSearch('kader 1', kb1)).toBe(true);
    expect(matchesSearch('1 kader', kb1)).toBe(true);
    expect(matchesSearch('kb 1', kb1)).toBe(true);
    expect(matchesSearch('leerjaar 1 vmbo', kb1)).toBe(true);
    expect(matchesSearch('X10', kb1)).toBe(true); // the code itself
    expect(matchesSearch('kader 2', kb1)).toBe(false);
    expect(matchesSearch('havo', kb1)).toBe(false);
    expect(matchesSearch('', kb1)).toBe(true);
  });
  it('"1" is leerjaar 1, not 10 or 12', () => {
    expect(matchesSearch('1', { code: 'A', label: 'havo leerjaar 12' })).toBe(false);
  });
  it('ranks hits by fit with the Studie being mapped', () => {
    const hits = searchOpleidingen('vwo', LIST, '3 vwo gymn');
    expect(hits[0]?.label).toBe('vwo leerjaar 3');
    expect(hits.every((o) => o.label?.includes('vwo'))).toBe(true);
    expect(searchOpleidingen('havo', LIST).map((o) => o.label)).toEqual(['havo leerjaar 1', 'havo leerjaar 2', 'havo leerjaar 3', 'havo leerjaar 4', 'havo leerjaar 5']);
  });
  it('suggests nothing on a shared leerjaar alone', () => {
    const list = [
      { code: 'HAVO-1', label: 'havo leerjaar 1' },
      { code: 'BRUG-HV-1', label: 'brugklas havo/vwo leerjaar 1' },
    ];
    // "hv" is no school type numo-prep knows: only the 1 is shared, which is no reason to mark HAVO-1.
    expect(suggestOpleidingen('1 hv', list)).toEqual([]);
    expect(suggestOpleidingen('1 havo', list)[0]?.opleiding.code).toBe('HAVO-1');
  });
  it('finds the broader type for a school type the list does not name (gymnasium is vwo), and only then', () => {
    const list = [
      { code: 'VWO-3', label: 'vwo leerjaar 3' },
      { code: 'HAVO-3', label: 'havo leerjaar 3' },
      { code: 'KB-1', label: 'vmbo kaderberoepsgerichte leerweg leerjaar 1' },
      { code: 'BB-1', label: 'vmbo basisberoepsgerichte leerweg leerjaar 1' },
    ];
    expect(searchOpleidingen('3 vwo gymn', list, '3 vwo gymn').map((o) => o.code)).toEqual(['VWO-3']);
    expect(searchOpleidingen('gymnasium 3', list).map((o) => o.code)).toEqual(['VWO-3']);
    // The list names kader: typing it does not widen to every vmbo code.
    expect(searchOpleidingen('kader 1', list).map((o) => o.code)).toEqual(['KB-1']);
    expect(searchOpleidingen('gymn 4', list)).toEqual([]);
  });
});

describe('tokenize', () => {
  it('splits letters from digits, drops accents, ordinals and filler, and knows school-type abbreviations', () => {
    const t = tokenize('3e Klas VWO-gymn.');
    expect([...t.main].sort()).toEqual(['3', 'gymnasium', 'vwo']);
    expect([...tokenize('1 kader').implied]).toEqual(['vmbo']);
    expect([...tokenize('Atheneum 5').main].sort()).toEqual(['5', 'atheneum']);
  });
});

describe('codeShapeProblem', () => {
  it.each(['VB-HAVO-1', 'havo 2', '12345', 'VMBO_KB.1', 'vmbo-gt/3', 'vmbo-(g)t 1', 'VMBO B&K 1', 'Entree, niveau 1', 'H2-3', 'mavo 3-4', 'VWO 2.1'])('accepts %s', (code) => {
    expect(codeShapeProblem(code)).toBeUndefined();
  });
  it.each([
    ['', /Vul een opleidingscode in/],
    ['   ', /Vul een opleidingscode in/],
    ['jan.devries@school.nl', /e-mailadres/],
    ['=HYPERLINK("x")', /begint niet met =/],
    ['1001;Jan;Vries', /letters, cijfers/],
    ['x'.repeat(41), /Te lang/],
    ['-', /letters, cijfers/],
    ['#N/B', /letters, cijfers/],
    ['X104 (vmbo kader 1)', /geplakte suggestie/],
    ['12345.0', /getal dat Excel of een script veranderde/],
    ['1,23457E+11', /getal dat Excel of een script veranderde/],
    ['1-2-2025', /datum/],
    ['2025-01-01', /datum/],
    ['1-feb', /datum/],
  ])('refuses %j', (code, message) => {
    expect(codeShapeProblem(code)).toMatch(message);
  });
});

describe('classifyHeaders', () => {
  it.each([
    [['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'E-mail'], 'export'],
    [['Stamnr', 'Roepnaam', 'Achternaam', 'Leerroute'], 'export'],
    [['gebruikersnaam', 'voornaam', 'achternaam', 'klas', 'opleiding'], 'export'], // renamed in Excel (step 7)
    [['gebruikersnaam', 'voornaam', 'tussenvoegsel', 'achternaam', 'klas', 'opleiding', 'e-mail', 'wachtwoord', 'rol'], 'numo-import'],
    [['Stamnr', 'IDGebr'], 'idgebr'],
    [['stamnr', 'idgebr', 'externeid', 'realmid'], 'idgebr'],
    [['Studie', 'Opleidingscode'], 'mapping'],
    [['Studie', 'Opleidingscode', 'Aantal leerlingen', 'Voorbeeld-klassen', 'Suggestie'], 'mapping'],
    [['Opleidingscode', 'Omschrijving'], 'opleidingen'],
    [['Datum', 'Bedrag'], 'other'],
    // Staff lists, also with only the staff spellings of the names (Somtoday UmService).
    [['stamnr_str', 'Code', 'Roepnaam', 'Tussenv', 'Achternaam', 'Functie.Omschr'], 'staff'],
    [['medewerkerNummer', 'medewerkerAfkorting', 'medewerkerRoepnaam', 'medewerkerVoorvoegsel', 'medewerkerAchternaam', 'medewerkerEmail', 'medewerkerUsername'], 'staff'],
    [['leerlingNummer', 'leerlingRoepnaam', 'leerlingAchternaam', 'leerlingStamgroep', 'leerlingOpleidingCode'], 'export'],
  ] as const)('%j → %s', (headers, kind) => {
    expect(classifyHeaders(headers)).toBe(kind);
  });
});

describe('codeChoices', () => {
  it('puts the top suggestion first, marked, and "not for Numo" last', () => {
    const c = codeChoices(undefined, LIST, '1 kader');
    expect(c[0]).toEqual({ name: 'X104 — vmbo kaderberoepsgerichte leerweg leerjaar 1  (suggestie)', value: 'X104' });
    expect(c).toHaveLength(LIST.length + 1);
    expect(c.at(-1)).toEqual({ name: 'Niet voor Numo (deze leerlingen weglaten)', value: '-' });
  });
  it('an empty search result leaves only "not for Numo"', () => {
    expect(codeChoices('mbo niveau 4', LIST, '1 kader').map((x) => x.value)).toEqual(['-']);
  });
  it('a typed - means "not for Numo", as in the mapping file, not a search for codes with a dash', () => {
    expect(codeChoices(' - ', [...LIST, { code: 'VB-VWO-3' }], '3 vwo').map((x) => x.value)).toEqual(['-']);
  });
  it('without a suggestion, the first line is no code: Enter takes nothing from the list', () => {
    const c = codeChoices(undefined, LIST, 'Kunstklas');
    expect(c[0]).toEqual({ name: NO_SUGGESTION, value: '' });
    expect(c.slice(1).some((x) => /suggestie/.test(x.name))).toBe(false);
    expect(codeChoices(undefined, LIST, 'Kunstklas', 'X105')[0]?.name).toMatch(/^X105 .*\(huidige keuze\)$/);
  });
  it('the line without a code is asked again, not taken as an answer', async () => {
    const p = new ScriptedPrompter([step(/Kunstklas/, { pick: /^Geen suggestie/ }), step(/Kunstklas/, { type: 'X105', pick: /^X105/ })]);
    expect(await askOpleiding(p, { studie: 'Kunstklas', count: 3, klassen: [] }, LIST)).toBe('X105');
  });
  it('an earlier answer leads, marked', () => {
    const c = codeChoices(undefined, LIST, '1 kader', 'X105');
    expect(c[0]?.name).toMatch(/^X105 .*\(huidige keuze\)$/);
    expect(c[1]?.name).toMatch(/\(suggestie\)$/);
    expect(codeChoices(undefined, LIST, '1 kader', '-').at(-1)?.name).toMatch(/\(huidige keuze\)$/);
  });
});

describe('StudieTally', () => {
  it('keeps as example klassen only values shaped like one: a Klas column may hold names or addresses, and the workbook is kept', () => {
    const t = new StudieTally();
    for (const klas of ['2H1', 'jan@mail.nl', 'Jan de Vries', '3 vwo a', '2026-02-01', 'Kopklas']) t.add('2 havo', klas);
    expect(t.list()).toEqual([{ studie: '2 havo', count: 6, klassen: ['2H1', '3 vwo a'] }]);
  });
});

describe('studieColumnProblem', () => {
  const tally = (values: [string, number][]) => {
    const t = new StudieTally();
    for (const [v, n] of values) for (let i = 0; i < n; i++) t.add(v);
    return t;
  };
  it('accepts a few dozen shared studies, refuses names or e-mail addresses, without showing a value', () => {
    expect(studieColumnProblem('Studie', tally(Array.from({ length: 40 }, (_, i) => [`${(i % 6) + 1} havo ${i}`, 30] as [string, number])))).toBeUndefined();
    expect(
      studieColumnProblem(
        'Studie',
        tally([
          ['2 havo', 2],
          ['pro', 1],
        ]),
      ),
    ).toBeUndefined(); // a small test export
    const mails = tally(Array.from({ length: 25 }, (_, i) => [`leerling${i}@school.example`, 1] as [string, number]));
    const message = studieColumnProblem('E-mail', mails);
    expect(message).toMatch(/^Kolom 'E-mail' heeft 25 verschillende waarden bij 25 leerlingen; dat is geen kolom Studie/);
    expect(message).not.toContain('@');
  });
});
