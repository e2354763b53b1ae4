import type { Student } from './schema.js';
import { wildcardMatcher } from './text.js';

export interface StudentFilter {
  klas?: string[];
  studie?: string[];
}

/** Splits "1A, 2*,3H" into patterns. */
export function parseList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** True when the student is in the selection (Optie B is for a selection of students). */
export function makeFilter(filter: StudentFilter): (s: Student) => boolean {
  const klas = filter.klas?.map(wildcardMatcher);
  const studie = filter.studie?.map(wildcardMatcher);
  return (s) => (!klas || klas.some((r) => r.test(s.klas))) && (!studie || studie.some((r) => r.test(s.studie)));
}
