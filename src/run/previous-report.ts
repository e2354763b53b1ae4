import type { YearChange } from '../core/previous.js';
import type { DelimiterOption, Rol } from '../core/schema.js';
import type { AtomicFile } from '../io/atomic-file.js';
import { neutralise, prepareCsvFile } from '../io/csv-write.js';

/**
 * The year-over-year changes as CSV (gebruikersnaam only, no names), in the same delimiter as the Numo CSV;
 * prepared, and committed together with the Numo CSV.
 */
export async function preparePreviousReport(path: string, changes: YearChange[], o: { delimiter: DelimiterOption; force: boolean; rol: Rol }): Promise<AtomicFile> {
  // Staff have neither a klas nor an opleiding: columns that would always be empty are left out.
  const staff = o.rol === 'docent';
  return prepareCsvFile(
    path,
    { encoding: 'utf8-bom', delimiter: o.delimiter },
    staff ? ['status', 'gebruikersnaam'] : ['status', 'gebruikersnaam', 'klas_vorig_jaar', 'klas_nu', 'opleiding_vorig_jaar', 'opleiding_nu'],
    changes.map((c) => (staff ? [c.status, c.gebruikersnaam] : [c.status, c.gebruikersnaam, c.klasOud, c.klasNieuw, c.opleidingOud, c.opleidingNieuw]).map(neutralise)),
    { replace: o.force, flag: '--previous-report' },
  );
}
