import { describe, expect, it } from 'vitest';
import { type ReviewPlan, renderReview } from '../src/ui/review.js';

const plan: ReviewPlan = {
  export: 'export.xlsx',
  students: 40,
  columns: [
    { label: 'Stamnr', header: 'Stamnr' },
    { label: 'Roepnaam', header: 'Roepnaam' },
    { label: 'Tussenv.', header: 'Tussenv.' },
    { label: 'Achternaam', header: 'Achternaam' },
    { label: 'Studie', header: 'Leerroute' },
    { label: 'E-mail' },
  ],
  studies: [
    { studie: '1 havo', count: 10, code: 'VB-HAVO-1', known: true },
    { studie: '1 kader', count: 6, code: 'VB-VMBO-KB-1' },
    { studie: '3 vwo gymn', count: 4, code: '-' },
    { studie: '4 havo', count: 1 },
  ],
  wachtwoorden: 'willekeurig, 10 tekens',
  gebruikersnaam: '{stamnr}',
  rol: 'leerling',
  out: 'numo-import-2026-11-29.csv',
  mapping: 'mappings/school.csv',
  config: 'numo-prep.config.json',
  warnings: ['Geen wachtwoorden en geen IDGebr: niemand kan inloggen'],
};

describe('renderReview', () => {
  it('shows every Studie with count and code, who is left out, the columns and the policies', () => {
    expect(renderReview(plan)).toEqual([
      'Overzicht — er is nog niets geschreven',
      '',
      '  Export          export.xlsx (40 leerlingen, 4 studies)',
      "  Kolommen        Stamnr ← 'Stamnr', Roepnaam ← 'Roepnaam'",
      "                  Tussenv. ← 'Tussenv.', Achternaam ← 'Achternaam'",
      "                  Studie ← 'Leerroute', E-mail ← (geen)",
      '',
      '  Studie → Numo-opleiding',
      '    1 havo      10  VB-HAVO-1  (bekend)',
      '    1 kader      6  VB-VMBO-KB-1',
      '    3 vwo gymn   4  niet voor Numo',
      '    4 havo       1  ? nog niet gekozen',
      "  (bekend) = al in mappings/school.csv; zo'n regel verander je in dat bestand zelf.",
      '  Niet voor Numo: 1 studie, samen 4 leerlingen gaan niet naar Numo.',
      '  Nog niet gekozen: 1 studie (1 leerling); kies eerst een code, dan kan het schrijven.',
      '',
      '  Wachtwoorden    willekeurig, 10 tekens',
      '  Gebruikersnaam  {stamnr}',
      '  Rol             leerling',
      '  Filter          alle klassen en studies',
      '  IDGebr (SSO)    geen',
      '  Uitvoer         numo-import-2026-11-29.csv',
      '  Bewaard         mappings/school.csv en numo-prep.config.json (voor volgend jaar)',
      '  ! Geen wachtwoorden en geen IDGebr: niemand kan inloggen',
    ]);
  });

  it('cuts a very long Studie name so the columns stay aligned', () => {
    const lines = renderReview({ ...plan, studies: [{ studie: 'x'.repeat(80), count: 3, code: 'A' }], warnings: [] });
    expect(lines.find((l) => l.includes('xxx'))).toBe(`    ${'x'.repeat(29)}…  3  A`);
  });
});
