import { stringify } from 'csv-stringify/sync';
import type { YearChange } from '../core/previous.js';
import { DELIMITER_OPTIONS, type DelimiterOption } from '../core/schema.js';
import { AtomicFile } from '../io/atomic-file.js';
import { neutralise } from '../io/csv-write.js';

/**
 * The year-over-year changes as CSV (gebruikersnaam only, no names), in the same delimiter as the Numo CSV;
 * prepared beside its target and committed together with the Numo CSV (commitAll).
 */
export async function preparePreviousReport(path: string, changes: YearChange[], o: { delimiter: DelimiterOption; force: boolean }): Promise<AtomicFile> {
  const text = stringify(
    [
      ['status', 'gebruikersnaam', 'klas_vorig_jaar', 'klas_nu', 'opleiding_vorig_jaar', 'opleiding_nu'],
      ...changes.map((c) => [c.status, c.gebruikersnaam, c.klasOud, c.klasNieuw, c.opleidingOud, c.opleidingNieuw].map(neutralise)),
    ],
    { delimiter: DELIMITER_OPTIONS[o.delimiter], record_delimiter: '\r\n' },
  );
  const file = await AtomicFile.create(path, { replace: o.force });
  try {
    await file.write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    await file.finish();
    return file;
  } catch (err) {
    await file.abort();
    throw err;
  }
}
