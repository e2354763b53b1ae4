import { describe, expect, it } from 'vitest';
import { wildcardMatcher } from '../src/core/filter.js';
import { headerKey, normaliseText, stamnrKey, studieKey } from '../src/core/text.js';

describe('normaliseText', () => {
  it('makes decomposed (macOS) and composed Zoë one name', () => {
    expect(normaliseText('Zoe\u0308')).toBe('Zoë');
    expect(normaliseText('Zoe\u0308')).toBe(normaliseText('Zo\u00eb'));
  });
  it('removes zero-width and control characters, collapses (non-breaking) spaces', () => {
    expect(normaliseText('\u200BJan\u00a0\u00a0 de\tVries\u0007 ')).toBe('Jan de Vries');
    expect(normaliseText('\uFEFFStamnr')).toBe('Stamnr');
    expect(normaliseText('a\r\nb')).toBe('a b');
  });
});

describe('keys', () => {
  it('matches headers ignoring case, dots, spaces and hyphens', () => {
    expect(headerKey('Tussenv.')).toBe('tussenv');
    expect(headerKey(' E-mail ')).toBe('email');
    expect(headerKey('stamnr_str')).toBe('stamnrstr');
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
