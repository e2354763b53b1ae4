import { NUMO_COLUMNS } from '../core/columns.js';
import { Findings } from '../core/findings.js';
import { ROLES, type NumoRow, type Rol } from '../core/schema.js';
import { normaliseText } from '../core/text.js';
import { fieldsFit, rolLike } from '../core/shape.js';
import { FORMULA_START, RowValidator } from '../core/validate.js';
import { loadInput, sheetsOf } from '../io/input.js';
import { isBlankRow } from '../core/raw-row.js';
import { locateTable } from '../io/table.js';
import { loadOpleidingen } from './load-tables.js';

export interface CheckReport {
  file: string;
  rows: number;
  findings: Findings;
}

/** Validates a Numo CSV (hand-made or from an earlier run) with the same rules as convert. */
export async function runCheck(path: string, o: { opleidingen?: string } = {}): Promise<CheckReport> {
  const knownCodes = o.opleidingen ? new Map((await loadOpleidingen(o.opleidingen)).map((x) => [x.code.toLowerCase(), x.code])) : undefined;
  const input = await loadInput(path);
  const table = await locateTable(input.name, await sheetsOf(input), NUMO_COLUMNS);
  const findings = new Findings();
  for (const spec of NUMO_COLUMNS) {
    const i = table.columns[spec.key];
    if (i !== undefined && table.headers[i] !== spec.label) {
      findings.warn('header-spelling', `Kolomkop '${table.headers[i]}' heet in Numo '${spec.label}'`, undefined, 'Gebruik precies Numo\'s kolomkoppen.');
    }
  }
  const validator = new RowValidator(findings, 'utf8-bom', knownCodes, { formulas: 'error' });
  const csvHeaders = input.format === 'csv' ? table.headers : undefined;
  const get = (cells: string[], key: (typeof NUMO_COLUMNS)[number]['key']) => {
    const i = table.columns[key];
    return i === undefined ? '' : normaliseText(cells[i] ?? '');
  };
  let rows = 0;
  for await (const r of table.rows) {
    if (isBlankRow(r)) continue;
    rows++;
    const row: NumoRow = {
      gebruikersnaam: get(r.cells, 'gebruikersnaam'),
      voornaam: get(r.cells, 'voornaam'),
      tussenvoegsel: get(r.cells, 'tussenvoegsel'),
      achternaam: get(r.cells, 'achternaam'),
      klas: get(r.cells, 'klas'),
      opleiding: get(r.cells, 'opleiding'),
      'e-mail': get(r.cells, 'email'),
      wachtwoord: get(r.cells, 'wachtwoord'),
      rol: get(r.cells, 'rol') as Rol,
      ...(table.columns.idgebr !== undefined ? { IDGebr: get(r.cells, 'idgebr') } : {}),
    };
    // A numeric gebruikersnaam is the Stamnr; one made from a name must not appear in messages.
    const ref = { row: r.row, ...(/^\d+$/.test(row.gebruikersnaam) ? { stamnr: row.gebruikersnaam } : {}) };
    if (csvHeaders && !fieldsFit(r.cells, csvHeaders)) {
      findings.error('field-count', 'Aantal velden wijkt af van de kopregel (verschoven kolommen?)', ref,
        'Controleer deze rijen: een ; of " in een naam verschuift de kolommen. Open het bestand in Excel en sla opnieuw op als CSV.');
    }
    // On the raw cell: normalising trims the tab or CR that Excel also takes as the start of a formula.
    for (const spec of NUMO_COLUMNS) {
      const i = table.columns[spec.key];
      if (i !== undefined && FORMULA_START.test(r.cells[i] ?? '')) {
        findings.error('formula', `Waarde in kolom ${spec.label} begint met = + - @, tab of regeleinde: Excel voert die uit als formule`, ref,
          'Haal dat teken weg, of zet er een \' voor (zo schrijft numo-prep convert zulke waarden).');
      }
    }
    validator.check(row, ref);
    if (!(ROLES as readonly string[]).includes(row.rol)) {
      // Echo only what is nearly a role: with shifted columns this cell may hold a password.
      const near = rolLike(row.rol, ROLES);
      findings.error('invalid-rol', near ? `Rol '${row.rol}' kent Numo niet` : 'Rol is niet leerling of docent (verschoven kolommen?)', ref,
        near ? `Schrijf precies ${near}.` : 'Gebruik leerling of docent, en controleer of de kolommen op hun plaats staan.');
    }
    if (!row.opleiding) findings.error('missing-opleiding', 'Geen opleiding', ref, 'Vul de Numo-opleidingscode in.');
  }
  if (rows === 0) findings.error('no-students', 'Geen leerlingen gevonden onder de kopregel', undefined, 'Controleer of dit het juiste bestand is.');
  return { file: input.name, rows, findings };
}
