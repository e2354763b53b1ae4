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

/** True when the student is in the selection (Optie B is for a selection of students). */
export function makeFilter(filter: StudentFilter): (s: Student) => boolean {
  // A value longer than Numo takes is kept, not matched: the match costs value × pattern steps, and the row is
  // refused for its length anyway (left out by the filter, it would be dropped without a word).
  const tooLong = (value: string) => value.length > LIMITS.fieldChars && [...value].length > LIMITS.fieldChars;
  const matches = (patterns: ((value: string) => boolean)[] | undefined, value: string) => !patterns || tooLong(value) || patterns.some((m) => m(value));
  const klas = filter.klas?.map(wildcardMatcher);
  const studie = filter.studie?.map(wildcardMatcher);
  return (s) => matches(klas, s.klas) && matches(studie, s.studie);
}
