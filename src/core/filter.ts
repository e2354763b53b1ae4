import { LIMITS } from './limits.js';
import type { Student } from './schema.js';
import { normaliseText } from './text.js';

export interface StudentFilter {
  klas?: string[];
  studie?: string[];
}

/** Splits "1A, 2*,3H" into patterns. */
export function parseList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/**
 * A wildcard ("1*", "?H1") as a case-insensitive whole-value test. Hand-written rather than a RegExp: `*?*?*?…`
 * as a RegExp backtracks exponentially (hours for one class list). This greedy two-pointer match remembers only
 * the last `*`, so it takes at most (value length × pattern length) steps.
 */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  // Code points, so `?` is one letter even outside the BMP; runs of `*` are one `*`.
  const p = Array.from(normaliseText(pattern).toLowerCase().replace(/\*+/g, '*'));
  return (value) => {
    const lower = value.toLowerCase();
    // Split into code points only when there are surrogate pairs; a plain string indexes the same way, cheaper.
    const v: ArrayLike<string> = /[\uD800-\uDFFF]/.test(lower) ? Array.from(lower) : lower;
    let i = 0;
    let j = 0;
    let star = -1;
    let resume = 0;
    while (i < v.length) {
      if (j < p.length && (p[j] === '?' || p[j] === v[i])) {
        i++;
        j++;
      } else if (j < p.length && p[j] === '*') {
        star = j++;
        resume = i;
      } else if (star >= 0) {
        j = star + 1;
        i = ++resume;
      } else return false;
    }
    while (p[j] === '*') j++;
    return j === p.length;
  };
}

/** The selection, and the patterns no student's value matched (a typo, or a klas that is gone). */
export type Selection = ((s: Student) => boolean) & { unmatched(): StudentFilter };

/** True when the student is in the selection (Optie B is for a selection of students). */
export function makeFilter(filter: StudentFilter): Selection {
  // A value longer than Numo takes is kept, not matched: the match costs value × pattern steps, and the row is
  // refused for its length anyway (left out by the filter, it would be dropped without a word).
  const tooLong = (value: string) => value.length > LIMITS.fieldChars && [...value].length > LIMITS.fieldChars;
  const matches = (patterns: ((value: string) => boolean)[] | undefined, value: string) => !patterns || tooLong(value) || patterns.some((m) => m(value));
  const klas = filter.klas?.map(wildcardMatcher);
  const studie = filter.studie?.map(wildcardMatcher);
  // Patterns no value matched yet, tried on each row until one does (then never again): `some` above stops at the
  // first pattern that matches, so it cannot tell.
  const open = { klas: new Set(klas?.keys()), studie: new Set(studie?.keys()) };
  const mark = (patterns: ((value: string) => boolean)[], left: Set<number>, value: string) => {
    // An empty value counts, as in matches: `*` keeps an empty Klas.
    if (tooLong(value)) return;
    for (const i of left) if (patterns[i]!(value)) left.delete(i);
  };
  const keep = (s: Student) => {
    if (open.klas.size) mark(klas!, open.klas, s.klas);
    if (open.studie.size) mark(studie!, open.studie, s.studie);
    return matches(klas, s.klas) && matches(studie, s.studie);
  };
  return Object.assign(keep, {
    unmatched: (): StudentFilter => ({
      ...(open.klas.size ? { klas: [...open.klas].map((i) => filter.klas![i]!) } : {}),
      ...(open.studie.size ? { studie: [...open.studie].map((i) => filter.studie![i]!) } : {}),
    }),
  });
}
