import { compareNl } from './collate.js';
import { UserError } from './errors.js';
import { formatNumber } from './findings.js';
import { isBlankRow, type RawRow } from './raw-row.js';
import type { MappingEntry } from './schema.js';
import { looksLikeStudie } from './shape.js';
import { headerKey, normaliseText, studieKey } from './text.js';

/**
 * Studie (matched ignoring case and surrounding spaces) → opleidingscode. A Studie listed without a code is
 * "undecided": the admin has seen it but not chosen yet (a wizard stopped half-way, a workbook not filled in).
 */
export class Mapping {
  private readonly byKey = new Map<string, MappingEntry>();
  private readonly undecidedByKey = new Map<string, string>();

  constructor(entries: Iterable<MappingEntry> = []) {
    for (const e of entries) this.set(e.studie, e.code);
  }

  get(studie: string): string | undefined {
    return this.byKey.get(studieKey(studie))?.code;
  }

  set(studie: string, code: string): void {
    this.byKey.set(studieKey(studie), { studie: normaliseText(studie), code: normaliseText(code) });
    this.undecidedByKey.delete(studieKey(studie));
  }

  /** Listed without a code; a code set later wins. */
  markUndecided(studie: string): void {
    if (!this.byKey.has(studieKey(studie))) this.undecidedByKey.set(studieKey(studie), normaliseText(studie));
  }

  isUndecided(studie: string): boolean {
    return this.undecidedByKey.has(studieKey(studie));
  }

  undecided(): string[] {
    return [...this.undecidedByKey.values()].sort(compareNl);
  }

  entries(): MappingEntry[] {
    return [...this.byKey.values()].sort((a, b) => compareNl(a.studie, b.studie));
  }

  get size(): number {
    return this.byKey.size;
  }

  /** A new mapping with these Studie -> code pairs added (the admin just mapped new Studie values). */
  with(added: Map<string, string>): Mapping {
    const next = new Mapping([...this.entries(), ...[...added].map(([studie, code]) => ({ studie, code }))]);
    for (const u of this.undecided()) next.markUndecided(u);
    return next;
  }
}

const HEADER_WORDS = /^(studie|studies|magister|naam|studienaam|opleiding|opleidingscode|code|numo|numocode)$/;

/**
 * Mapping rows as the admin keeps them in Excel: a header row, then Studie and opleidingscode in the first two
 * columns (more columns, as in the workbook `numo-prep mapping` writes, are help for the admin and ignored). A
 * row without a code is "not decided yet": kept as undecided, so convert can say so; two different codes for one
 * Studie is an error the admin must resolve.
 */
export function parseMappingRows(fileName: string, rows: RawRow[]): Mapping {
  const data = rows.filter((r) => !isBlankRow(r));
  const first = data[0];
  if (first?.cells.slice(0, 2).some((c) => HEADER_WORDS.test(headerKey(c)))) data.shift();
  const mapping = new Mapping();
  const seen = new Map<string, { code: string; row: number }>();
  const conflicts: string[] = [];
  for (const r of data) {
    const studie = normaliseText(r.cells[0] ?? '');
    const code = normaliseText(r.cells[1] ?? '');
    if (!studie) continue;
    if (!code) {
      mapping.markUndecided(studie);
      continue;
    }
    const prev = seen.get(studieKey(studie));
    if (prev && prev.code !== code) {
      // Rows, and the Studie when it looks like one; never the codes: a wrong file (the export) has names there.
      conflicts.push(`${looksLikeStudie(studie) ? `'${studie}' ` : ''}(rij ${prev.row} en rij ${r.row})`);
    }
    seen.set(studieKey(studie), { code, row: r.row });
    mapping.set(studie, code);
  }
  if (conflicts.length) {
    const more = conflicts.length > 5 ? ` en ${formatNumber(conflicts.length - 5)} meer` : '';
    throw new UserError(`${fileName}: een Studie met twee verschillende opleidingscodes: ${conflicts.slice(0, 5).join('; ')}${more}. Laat per Studie één regel staan.`);
  }
  return mapping;
}
