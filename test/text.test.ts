import { describe, expect, it } from 'vitest';
import { compareNl } from '../src/core/collate.js';
import { wildcardMatcher } from '../src/core/filter.js';
import { formatNumber } from '../src/core/format.js';
import { looksLikeDate } from '../src/core/shape.js';
import { compactKey, headerKey, normaliseText, stamnrKey, studieKey } from '../src/core/text.js';

describe('normaliseText', () => {
  it('makes decomposed (macOS) and composed Zoë one name', () => {
    expect(normaliseText('Zoe\u0308')).toBe('Zoë');
    expect(normaliseText('Zoe\u0308')).toBe(normaliseText('Zo\u00eb'));
  });
  it('removes zero-width and control characters, collapses (non-breaking) spaces', () => {
    expect(normaliseText('\u200BJan\u00a0\u00a0 de\tVries\u0007 ')).toBe('Jan de Vries');
    // Bidi marks, invisible operators, the grapheme joiner, variation selectors, Hangul fillers and tag characters:
    // left in, Jansen and Jansen+LRM are two logins that look the same.
    for (const mark of ['\u200E', '\u200F', '\u061C', '\u2061', '\u2063', '\u2065', '\uFFF9', '\uFFFC', '\u034F', '\u180E', '\uFE0F', '\u3164', '\uDB40\uDC41', '\uD834\uDD73']) {
      expect(normaliseText(`Jan${mark}sen${mark}`), mark.codePointAt(0)!.toString(16)).toBe('Jansen');
    }
    expect(normaliseText('\uFEFFStamnr')).toBe('Stamnr');
    expect(normaliseText('Jan\u2800Jansen\u2800')).toBe('Jan Jansen');
    expect(normaliseText('a\r\nb')).toBe('a b');
    // The C0 controls that separate (a vertical tab is FileMaker's line break in a field): a space, never glued.
    for (const c of ['\u000b', '\u000c', '\u001c', '\u001d', '\u001e', '\u001f']) expect(normaliseText(`Anna${c}Fleur${c}`)).toBe('Anna Fleur');
    expect(normaliseText('Anna\u0001Fleur')).toBe('AnnaFleur');
  });
  it('keeps a double-encoded í, à or Š (Ã or Å before a soft hyphen or no-break space), and normalises around it', () => {
    expect(normaliseText(' \u200BMart\u00c3\u00adn\u00a0 de\u00a0\u00a0Vries\u00c3\u00a0')).toBe('Mart\u00c3\u00adn de Vries\u00c3\u00a0');
    expect(normaliseText('\u00c5\u00a0imon')).toBe('\u00c5\u00a0imon');
    expect(normaliseText('Andr\u00e9\u00a0\u00adJan')).toBe('Andr\u00e9 Jan');
    // At the end of a word too: Martí, Vilà Puig, MILOŠ (the validator refuses them; removed, they would pass).
    expect(normaliseText('Mart\u00c3\u00ad')).toBe('Mart\u00c3\u00ad');
    expect(normaliseText('Vil\u00c3\u00a0 Puig')).toBe('Vil\u00c3\u00a0 Puig');
    expect(normaliseText('MILO\u00c5\u00a0')).toBe('MILO\u00c5\u00a0');
    // Ä with a no-break space after the last letter of a name in capitals: no pair of a double encoding.
    expect(normaliseText('M\u00c4KEL\u00c4\u00a0VIRTANEN')).toBe('M\u00c4KEL\u00c4 VIRTANEN');
    expect(normaliseText('JO\u00c3O\u00a0HEIKKIL\u00c4\u00a0')).toBe('JO\u00c3O HEIKKIL\u00c4');
  });
  it('leaves a text as it is exactly when the full normalisation would (the shortcut for plain cells)', async () => {
    const fc = (await import('fast-check')).default;
    // The rule written out once more, without the shortcut: the oracle.
    const full = (v: string) =>
      v
        .normalize('NFC')
        .replace(/[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\u00AD\u0000-\u0008\u000E-\u001B\u007F-\u009F]/g, '')
        .replace(/[\s\u001C-\u001F\u00A0\u2007\u202F]+/g, ' ')
        .trim();
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '1', '~', '!', ' ', '  ', '\t', '\n', '\u00a0', '\u200b', '\u007f', 'e\u0308', 'ë', '\u0000', '\u000b', '\u001f'), maxLength: 8 });
    fc.assert(
      fc.property(text, (v) => {
        expect(normaliseText(v)).toBe(full(v));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('keys', () => {
  it('matches headers ignoring case, dots, spaces and hyphens', () => {
    expect(headerKey('Tussenv.')).toBe('tussenv');
    expect(headerKey(' E-mail ')).toBe('email');
    expect(headerKey('stamnr_str')).toBe('stamnrstr');
    // Excel's UPPER on a Turkish PC (\u0130), and a dotless i: the same header.
    expect(headerKey('\u0130DGEBR')).toBe('idgebr');
    expect(headerKey('STUD\u0130E')).toBe('studie');
    expect(headerKey('E-MA\u0130L')).toBe('email');
    expect(headerKey('Stud\u0131e')).toBe('studie');
    // Any dash (Word's autocorrect, a non-breaking hyphen): the same header.
    for (const dash of ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D']) {
      expect(headerKey(`E${dash}mail`)).toBe('email');
      expect(headerKey(`Tussen${dash}voegsel`)).toBe('tussenvoegsel');
    }
  });
  it('joins Stamnr written with leading zeros or as number', () => {
    expect(stamnrKey('00123')).toBe('123');
    expect(stamnrKey(' 123 ')).toBe('123');
    expect(stamnrKey('0')).toBe('0');
  });
  it('matches Studie ignoring case and spaces', () => {
    expect(studieKey('  3 VWO  gymn ')).toBe(studieKey('3 vwo gymn'));
  });
  it('supports simple wildcards', () => {
    expect(wildcardMatcher('1*')('1A')).toBe(true);
    expect(wildcardMatcher('1*')('21A')).toBe(false);
    expect(wildcardMatcher('?h1')('2H1')).toBe(true);
    expect(wildcardMatcher('a.b')('axb')).toBe(false);
  });
});

describe('compactKey', () => {
  it('gives two texts the same key only when they are the same text', async () => {
    const fc = (await import('fast-check')).default;
    const text = fc.string({ unit: fc.constantFrom('0', '1', '9', 'a', ' ', '.', 'e', '-'), maxLength: 17 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(compactKey(a) === compactKey(b)).toBe(a === b);
      }),
      { numRuns: 5000 },
    );
    expect(compactKey('100001')).toBe(100001);
    expect(compactKey('0')).toBe(0);
    for (const t of ['', '007', '1e3', '-1', ' 1', '1.0', '9007199254740993']) expect(compactKey(t)).toBe(t);
  });
});

describe('exact stand-ins for ICU (its first call costs tens of ms)', () => {
  it('compareNl orders as localeCompare(…, "nl", { numeric: true }), also on strings it hands to ICU', async () => {
    const fc = (await import('fast-check')).default;
    const sign = (n: number) => Math.sign(n);
    const simple = fc.string({ unit: fc.constantFrom('a', 'b', 'z', 'A', 'B', 'Z', '0', '1', '2', '9', ' ', '_', '-', '.'), maxLength: 9 });
    const any = fc.string({ unit: fc.constantFrom('a', 'A', 'ë', 'É', '0', '1', '-', ',', '/', 'ß', ' '), maxLength: 6 });
    for (const arb of [simple, any]) {
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          expect(sign(compareNl(a, b))).toBe(sign(a.localeCompare(b, 'nl', { numeric: true })));
        }),
        { numRuns: 2000 },
      );
    }
    const codes = ['VB-HAVO-10', 'vb-havo-2', 'VB-HAVO-2', 'VB-VWO-1', 'VB VWO 1', 'VB_VWO_1', 'VB.VWO.1', '2 havo', '10 havo', '02 havo', ''];
    expect([...codes].sort(compareNl)).toEqual([...codes].sort((a, b) => a.localeCompare(b, 'nl', { numeric: true })));
  });
  it('formatNumber writes what toLocaleString("nl-NL") writes', () => {
    const numbers = [
      0,
      -0,
      1,
      7,
      999,
      1000,
      1850,
      9999,
      10_000,
      100_000,
      999_999,
      1_000_000,
      1_234_567_890,
      -1,
      -1850,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 60,
      1.5,
      0.125,
      Number.NaN,
    ];
    for (let n = 1; n < 1e15; n = n * 7 + 3) numbers.push(n, -n);
    for (const n of numbers) expect(formatNumber(n), String(n)).toBe(n.toLocaleString('nl-NL'));
  });
});

describe('looksLikeDate', () => {
  it('takes what Excel made of a Klas (1-2, 1-feb) for a date, and no Klas with a word like a month in it', () => {
    for (const v of ['1-feb', '01-feb-26', 'feb-26', '2026-02-01', '1-2-2026', '01/02/26', '1 maart', 'mar-26', '3-Sept', '12 december 2026']) expect(looksLikeDate(v), v).toBe(true);
    for (const v of ['Marketing 22', 'MARK-23', '1 junior', 'DECOR-21', '1 maatwerk', '2H1', '3 vwo a']) expect(looksLikeDate(v), v).toBe(false);
  });
});

describe('fileProblem', () => {
  it('says each file system error in words, and an unknown one with its code', async () => {
    const { fileProblem } = await import('../src/core/errors.js');
    const codes = ['ENOENT', 'EACCES', 'EPERM', 'EBUSY', 'ENAMETOOLONG', 'ELOOP', 'ENOTDIR', 'EIO', 'EROFS', 'ENOSPC', 'EDQUOT', 'EFBIG', 'EMFILE', 'ENFILE'];
    for (const code of codes) expect(fileProblem(code), code).not.toMatch(/^onbekende fout|E[A-Z]+/);
    expect(fileProblem('EXDEV')).toBe('onbekende fout (EXDEV)');
    expect(fileProblem(undefined)).toBe('onbekende fout');
  });
});
