import { UserError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';

// The readers import the numbers from here with the errors that enforce them; the numbers live in core because
// validation checks the field length too.
export { LIMITS };

export function tooManyRows(fileName: string): UserError {
  return new UserError(`${fileName} heeft meer dan ${LIMITS.rows.toLocaleString('nl-NL')} rijen; dat is de grens van numo-prep. Exporteer per school of per leerjaar.`);
}

export function tooManyColumns(fileName: string, row: number): UserError {
  return new UserError(`${fileName}, rij ${row}: meer dan ${LIMITS.columns.toLocaleString('nl-NL')} kolommen; dat is de grens van numo-prep. Verwijder de lege of overbodige kolommen in Excel en sla opnieuw op.`);
}
