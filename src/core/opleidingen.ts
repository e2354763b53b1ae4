import { isBlankRow, type RawRow } from './raw-row.js';
import { headerKey, normaliseText } from './text.js';

export interface Opleiding {
  code: string;
  label?: string;
}

const CODE_HEADER = /^(opleidingscode|code|numocode|opleidingcode)$/;
const LABEL_HEADER = /^(opleiding|omschrijving|naam|opleidingsnaam|beschrijving)$/;

/**
 * Numo's list of opleidingscodes, from its template's "Opleidingen" sheet or any list with a code column.
 * Without a code header in the first rows the list is refused (undefined): a header or a title would otherwise
 * become a valid code, and a list of something else would pass every code in it.
 */
export function parseOpleidingen(rows: RawRow[]): Opleiding[] | undefined {
  const filled = rows.filter((r) => !isBlankRow(r));
  const headerIndex = filled.slice(0, 10).findIndex((r) => r.cells.some((c) => CODE_HEADER.test(headerKey(c))));
  if (headerIndex < 0) return undefined;
  const keys = filled[headerIndex]!.cells.map(headerKey);
  const codeCol = keys.findIndex((k) => CODE_HEADER.test(k));
  const l = keys.findIndex((k, i) => i !== codeCol && LABEL_HEADER.test(k));
  const labelCol = l >= 0 ? l : undefined;
  const start = headerIndex + 1;
  const seen = new Set<string>();
  const out: Opleiding[] = [];
  for (const r of filled.slice(start)) {
    const code = normaliseText(r.cells[codeCol] ?? '');
    if (!code || seen.has(code.toLowerCase())) continue;
    seen.add(code.toLowerCase());
    const label = labelCol === undefined ? '' : normaliseText(r.cells[labelCol] ?? '');
    out.push(label ? { code, label } : { code });
  }
  return out;
}

export const NOT_FOR_NUMO = 'Niet voor Numo (deze leerlingen weglaten)';
