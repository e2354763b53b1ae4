import type { Mapping } from '../core/mapping.js';
import { neutralise, writeCsvFile } from '../io/csv-write.js';

/** The mapping as the admin keeps it in Excel: BOM, ';', a header row, one Studie per line. */
export async function writeMappingFile(path: string, mapping: Mapping): Promise<void> {
  // The code is not neutralised: '-' (not for Numo) is a value, not a formula.
  // An undecided Studie is a line with an empty code: convert names it, the wizard asks it again.
  const rows = [...mapping.entries(), ...mapping.undecided().map((studie) => ({ studie, code: '' }))]
    .sort((a, b) => a.studie.localeCompare(b.studie, 'nl', { numeric: true }))
    .map((e) => [neutralise(e.studie), e.code]);
  await writeCsvFile(path, { encoding: 'utf8-bom', delimiter: ';' }, ['Studie', 'Opleidingscode'], rows);
}
