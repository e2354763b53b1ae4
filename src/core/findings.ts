import { formatNumber } from './format.js';
import { looksLikeStamnr } from './shape.js';

export type Level = 'error' | 'warning' | 'info';

/**
 * A row in the user's file: its number as the user sees it there, and the Stamnr when it looks like one. Never a
 * name: with shifted columns the "Stamnr" cell may hold one, so Findings drops a Stamnr that is not digits.
 */
export interface RowRef {
  row: number;
  stamnr?: string;
  /** The earlier row of a duplicate: in the reference, so that every duplicate is one finding, not one line each. */
  first?: number;
}

export interface Finding {
  level: Level;
  code: string;
  message: string;
  /** What to do about it. */
  hint?: string;
  count: number;
  refs: RowRef[];
}

/** Keeps memory bounded on huge files where every row has the same problem. */
const MAX_REFS = 1000;
/**
 * Different messages of one kind (a value in the text: an unknown code per row) before the rest goes into one "and
 * more" line: the report stays a few lines whatever the file holds.
 */
const MAX_MESSAGES_PER_CODE = 20;
const MORE = 'En meer van de soort hierboven, met een andere waarde';

/**
 * Collects findings, merging repeats of the same problem into one entry with a count and its rows, so that
 * 100,000 identical problems print as one line.
 */
export class Findings {
  /**
   * Level, then code, then message: nested maps, because a key string built per call cost more than the checks
   * that found the problem (a quarter of the CPU on a file where every row has a few).
   */
  private readonly index = new Map<Level, Map<string, Map<string, Finding>>>();
  /** In order of first appearance (an "and more" line right under its kind). */
  private readonly all: Finding[] = [];
  errorCount = 0;

  private entry(level: Level, code: string, message: string, hint: string | undefined): Finding {
    let byCode = this.index.get(level);
    if (!byCode) this.index.set(level, (byCode = new Map()));
    let byMessage = byCode.get(code);
    if (!byMessage) byCode.set(code, (byMessage = new Map()));
    const found = byMessage.get(message);
    if (found) return found;
    const overflow = byMessage.size >= MAX_MESSAGES_PER_CODE;
    const more = overflow ? byMessage.get(MORE) : undefined;
    if (more) return more;
    const f: Finding = { level, code, message: overflow ? MORE : message, count: 0, refs: [], ...(hint && !overflow ? { hint } : {}) };
    byMessage.set(f.message, f);
    // The "and more" line right under the last line of its kind, not under whatever came last.
    let at = this.all.length;
    if (overflow) while (at > 0 && (this.all[at - 1]!.level !== level || this.all[at - 1]!.code !== code)) at--;
    this.all.splice(at, 0, f);
    return f;
  }

  add(level: Level, code: string, message: string, ref?: RowRef, hint?: string): void {
    const f = this.entry(level, code, message, hint);
    f.count++;
    if (level === 'error') this.errorCount++;
    // One row is listed once, also when it has several problems of one "and more" line.
    if (ref && f.refs.length < MAX_REFS && f.refs[f.refs.length - 1]?.row !== ref.row)
      f.refs.push(ref.stamnr !== undefined && !looksLikeStamnr(ref.stamnr) ? { row: ref.row, ...(ref.first !== undefined ? { first: ref.first } : {}) } : ref);
  }

  error(code: string, message: string, ref?: RowRef, hint?: string): void {
    this.add('error', code, message, ref, hint);
  }

  warn(code: string, message: string, ref?: RowRef, hint?: string): void {
    this.add('warning', code, message, ref, hint);
  }

  info(code: string, message: string, ref?: RowRef): void {
    this.add('info', code, message, ref);
  }

  merge(other: Findings): void {
    for (const f of other.all) {
      const mine = this.entry(f.level, f.code, f.message, f.hint);
      if (f.level === 'error') this.errorCount += f.count;
      mine.count += f.count;
      mine.refs.push(...f.refs.slice(0, MAX_REFS - mine.refs.length));
    }
  }

  list(level?: Level): Finding[] {
    return level ? this.all.filter((f) => f.level === level) : [...this.all];
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }
}

function formatRef(ref: RowRef): string {
  const about = [ref.stamnr && `Stamnr ${ref.stamnr}`, ref.first !== undefined && `eerder in rij ${ref.first}`].filter(Boolean);
  return about.length ? `rij ${ref.row} (${about.join(', ')})` : `rij ${ref.row}`;
}

/** "rij 4 (Stamnr 1001), rij 9 (Stamnr 1002) en 12 meer" */
export function formatRefs(f: Finding, shown = 5): string {
  if (f.refs.length === 0) return '';
  const head = f.refs.slice(0, shown).map(formatRef).join(', ');
  const rest = f.count - Math.min(shown, f.refs.length);
  return rest > 0 ? `${head} en ${formatNumber(rest)} meer` : head;
}
