import { describe, expect, it } from 'vitest';
import { IdgebrIndex } from '../src/core/idgebr.js';
import { IntTable, KeyTable } from '../src/core/int-table.js';

describe('IntTable and KeyTable', () => {
  it('hold what a Map holds, for any keys and values, also as they grow (the Map is the oracle)', async () => {
    const fc = (await import('fast-check')).default;
    // Whole numbers as compactKey makes them (up to 15 digits), many sharing their low or high 32 bits, and texts.
    const key = fc.oneof(
      fc.integer({ min: 0, max: 100_000 }),
      fc.integer({ min: 0, max: 50 }).map((k) => k * 0x100000000),
      fc.integer({ min: 0, max: 50 }).map((k) => 999_999_999_999_999 - k * 0x100000000),
      fc.constantFrom('a', 'B', '0123', 'x1', ''),
    );
    // At least 1,000 entries: fast-check's default arrays hold ~10, and the table would never grow.
    let grown = false;
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 0, max: 2 ** 31 - 2 })), { minLength: 1000, maxLength: 2000 }), (entries) => {
        const oracle = new Map<string | number, number>();
        const table = new KeyTable();
        const numbers = new IntTable();
        // Made large at the start (the number of rows known): the same answers.
        const presized = new IntTable(entries.length);
        // Differences collected and compared once: an expect() per entry cost most of this test's second.
        const wrong: unknown[] = [];
        for (const [k, v] of entries) {
          const earlier = oracle.get(k) ?? -1;
          if (table.add(k, v) !== earlier) wrong.push(['KeyTable.add', k]);
          if (typeof k === 'number' && numbers.add(k, v) !== earlier) wrong.push(['IntTable.add', k]);
          if (typeof k === 'number' && presized.add(k, v) !== earlier) wrong.push(['presized IntTable.add', k]);
          if (earlier < 0) oracle.set(k, v);
        }
        for (const [k] of entries) if (table.get(k) !== oracle.get(k)) wrong.push(['get', k]);
        expect(wrong).toEqual([]);
        expect(table.get(123_456_789_012)).toBe(oracle.get(123_456_789_012) ?? -1);
        expect(table.get('nope')).toBe(-1);
        expect(numbers.size).toBe([...oracle.keys()].filter((k) => typeof k === 'number').length);
        grown ||= numbers.size > 512;
      }),
      { numRuns: 25 },
    );
    expect(grown).toBe(true);
  });

  it('keeps 100,000 consecutive Stamnrs apart (the usual file) and finds each', () => {
    const table = new IntTable();
    let added = 0;
    for (let i = 0; i < 100_000; i++) if (table.add(100_001 + i, i) === -1) added++;
    expect(added).toBe(100_000);
    let found = 0;
    for (let i = 0; i < 100_000; i++) if (table.get(100_001 + i) === i) found++;
    expect(found).toBe(100_000);
    expect(table.get(99_999)).toBe(-1);
    expect(table.size).toBe(100_000);
  });
});

describe('IntTable hashing', () => {
  it('spreads keys with a shared pattern of bits (multiples of 2^16, of 2^10, or one apart) over the slots', () => {
    for (const keyOf of [(i: number) => i * 0x10000, (i: number) => i * 1024 + 7, (i: number) => 100_001 + i]) {
      const table = new IntTable();
      const keys = Array.from({ length: 10_000 }, (_, i) => keyOf(i + 1));
      for (const [i, k] of keys.entries()) table.add(k, i);
      // biome-ignore lint/complexity/useLiteralKeys: home() is private; this test looks at where keys start looking.
      const home = (k: number): number => table['home'](k);
      // 10,000 keys in 32,768 slots: a random function fills ~8,600 of them.
      expect(new Set(keys.map(home)).size).toBeGreaterThan(7_000);
      expect(keys.every((k, i) => table.get(k) === i)).toBe(true);
    }
  });
});

describe('IdgebrIndex', () => {
  it('joins number and text Stamnrs and IDGebrs, names the first row of a repeat, counts the unmarked', () => {
    const index = new IdgebrIndex();
    expect(index.add('1001', '35895', 2)).toBeUndefined();
    expect(index.add('ab12', 'id-7', 3)).toBeUndefined();
    expect(index.add('1003', '', 4)).toBeUndefined();
    expect(index.add('0042', '0042', 5)).toBeUndefined();
    for (let i = 0; i < 3000; i++) index.add(String(20_000 + i), String(i), 6 + i);
    expect(index.add('001001', '1', 9000)).toBe(2);
    expect(index.add('AB12', '1', 9001)).toBe(3);
    expect(index.size).toBe(3004);
    expect(index.idgebrAt(index.slot('1001'))).toBe('35895');
    expect(index.idgebrAt(index.slot('Ab12'))).toBe('id-7');
    expect(index.idgebrAt(index.slot('1003'))).toBeUndefined();
    expect(index.idgebrAt(index.slot('42'))).toBe('0042');
    expect(index.idgebrAt(index.slot('22999'))).toBe('2999');
    expect(index.slot('1002')).toBeUndefined();
    expect(index.slot('')).toBeUndefined();
    const marks = new Uint8Array(index.size);
    marks[index.slot('1001')!] = 1;
    marks[index.slot('1003')!] = 1;
    // Every row with an IDGebr but 1001; 1003 has none.
    expect(index.unmarked(marks)).toBe(3004 - 2);
  });
});
