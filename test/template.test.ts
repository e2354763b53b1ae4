import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { policyWarnings } from '../src/core/policy.js';
import type { Student } from '../src/core/schema.js';
import { compileTemplate, RandomChars, randomPassword, renderTemplate, weakPasswordTemplate } from '../src/core/template.js';

const rng = new RandomChars(randomFillSync);

const s: Student = { row: 2, stamnr: '1001', roepnaam: 'Jan', tussenvoegsel: '', achternaam: 'Vries', klas: '2H1', studie: '2 havo', email: '', idgebr: '77', login: '', code: '' };

describe('passwords', () => {
  it('are random, readable and contain a capital, a lower case letter and a digit', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = randomPassword(10, rng);
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{10}$/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[2-9]/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});

describe('templates', () => {
  it('renders fields and marks public ones', () => {
    const t = compileTemplate('ll{stamnr}-{IDGEBR}', '--gebruikersnaam');
    expect(renderTemplate(t, s)).toBe('ll1001-77');
    expect(t.publicFields).toEqual(['stamnr', 'idgebr']);
  });
  it('allows {randomN} only for passwords', () => {
    const t = compileTemplate('Welkom{random4}', '--password-template', rng);
    expect(renderTemplate(t, s)).toMatch(/^Welkom[a-km-zA-HJ-NP-Z2-9]{4}$/);
    expect(t.publicFields).toEqual([]);
    expect(() => compileTemplate('{random4}', '--gebruikersnaam')).toThrow(/onbekend veld \{random4\}/);
  });
  it('warns about known data in a password only while the random part is shorter than four characters', () => {
    const codes = (source: string) => policyWarnings({ password: 'template', template: compileTemplate(source, '--password-template', rng), withIdgebr: true }).map((w) => w.code);
    expect(codes('W{stamnr}')).toEqual(['password-public']);
    expect(codes('{stamnr}{random2}')).toEqual(['password-public']);
    // The advice says to add {random4}: once it is there, the template is as strong as Welkom{random4}.
    expect(codes('{stamnr}{random4}')).toEqual([]);
    expect(codes('Welkom{random4}')).toEqual([]);
    expect(codes('Welkom')).toEqual(['password-same']);
    expect(codes('Welkom{random2}')).toEqual(['password-few-random']);
  });
  it('a config beside the export may set a password template only by the same rule (four random characters)', () => {
    expect(['{stamnr}', 'Welkom', 'Welkom{random2}', '{voornaam}{random3}'].filter(weakPasswordTemplate)).toHaveLength(4);
    expect(['{voornaam}{random4}', 'Welkom{random}', '{random2}{random2}', '{stamnr}{random8}'].some(weakPasswordTemplate)).toBe(false);
  });
  it('rejects unknown fields with the allowed list', () => {
    expect(() => compileTemplate('{naam}', '--gebruikersnaam')).toThrow(/Toegestaan: \{stamnr\}/);
  });
});
