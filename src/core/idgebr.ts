import type { ColumnMap } from './columns.js';
import { Findings } from './findings.js';
import type { RawRow } from './raw-row.js';
import { normaliseText, stamnrKey } from './text.js';

export interface IdgebrIndex {
  byStamnr: Map<string, string>;
  findings: Findings;
}

/** Builds the Stamnr → IDGebr lookup; a Stamnr listed twice is an error (which IDGebr is right is unknowable). */
export async function buildIdgebrIndex(fileName: string, rows: AsyncIterable<RawRow>, columns: ColumnMap<'stamnr' | 'idgebr'>): Promise<IdgebrIndex> {
  const byStamnr = new Map<string, string>();
  const firstRow = new Map<string, number>();
  const findings = new Findings();
  for await (const r of rows) {
    const stamnr = normaliseText(r.cells[columns.stamnr!] ?? '');
    const idgebr = normaliseText(r.cells[columns.idgebr!] ?? '');
    if (!stamnr) continue;
    const key = stamnrKey(stamnr);
    const earlier = firstRow.get(key);
    if (earlier !== undefined) {
      findings.error('idgebr-duplicate', `Stamnr staat meer dan eens in ${fileName}`, { row: r.row, stamnr }, `Laat per Stamnr één regel staan in ${fileName} (eerste keer: rij ${earlier}).`);
      continue;
    }
    firstRow.set(key, r.row);
    if (idgebr) byStamnr.set(key, idgebr);
  }
  return { byStamnr, findings };
}
