import { stringify } from 'csv-stringify/sync';
import type { Mapping } from '../core/mapping.js';
import { AtomicFile } from '../io/atomic-file.js';
import { neutralise } from '../io/csv-write.js';

/** The mapping as the admin keeps it in Excel: BOM, ';', a header row, one Studie per line. */
export async function writeMappingFile(path: string, mapping: Mapping): Promise<void> {
  const text = stringify([['Studie', 'Opleidingscode'], ...mapping.entries().map((e) => [neutralise(e.studie), e.code])], {
    delimiter: ';',
    record_delimiter: '\r\n',
  });
  const file = await AtomicFile.create(path);
  try {
    await file.write(Buffer.from(`\uFEFF${text}`, 'utf8'));
    await file.commit();
  } catch (err) {
    await file.abort();
    throw err;
  }
}
