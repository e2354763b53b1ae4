import type { YearChange } from '../core/previous.js';
import type { DelimiterOption } from '../core/schema.js';
import type { AtomicFile } from '../io/atomic-file.js';
import { neutralise, prepareCsvFile } from '../io/csv-write.js';

/**
 * The year-over-year changes as CSV (gebruikersnaam only, no names), in the same delimiter as the Numo CSV;
 * prepared, and committed together with the Numo CSV.
 */
export async function preparePreviousReport(path: string, changes: YearChange[], o: { delimiter: DelimiterOption; force: boolean }): Promise<AtomicFile> {
  return prepareCsvFile(
    path,
    { encoding: 'utf8-bom', delimiter: o.delimiter },
    ['status', 'gebruikersnaam', 'klas_vorig_jaar', 'klas_nu', 'opleiding_vorig_jaar', 'opleiding_nu'],
    changes.map((c) => [c.status, c.gebruikersnaam, c.klasOud, c.klasNieuw, c.opleidingOud, c.opleidingNieuw].map(neutralise)),
    { replace: o.force, flag: '--previous-report' },
  );
}
