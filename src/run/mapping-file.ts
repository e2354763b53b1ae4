import type { Mapping } from '../core/mapping.js';
import { neutralise, writeCsvFile } from '../io/csv-write.js';

/** The mapping as the admin keeps it in Excel: BOM, ';', a header row, one Studie per line. */
export async function writeMappingFile(path: string, mapping: Mapping): Promise<void> {
  // The code is not neutralised: '-' (not for Numo) is a value, not a formula.
  await writeCsvFile(path, { encoding: 'utf8-bom', delimiter: ';' }, ['Studie', 'Opleidingscode'], mapping.entries().map((e) => [neutralise(e.studie), e.code]));
}
