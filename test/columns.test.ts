import { describe, expect, it } from 'vitest';
import { checkTwins, IDGEBR_COLUMNS, matchColumns, missingRequired, reportMergedCells, reportTwinHeaders, twinColumns } from '../src/core/columns.js';
import { Findings } from '../src/core/findings.js';
import { LIMITS } from '../src/core/limits.js';
import { columnLetters } from '../src/core/raw-row.js';
import { sourceColumns } from '../src/core/sources.js';
import { EXPORT_COLUMNS } from './helpers.js';

describe('matchColumns', () => {
  it('finds Magister headers in any order, ignoring extra columns', () => {
    const m = matchColumns(['Mentor', 'Achternaam', 'Studie', 'Tussenv.', 'Roepnaam', 'Stamnr', 'Klas', 'E-mail'], EXPORT_COLUMNS);
    expect(m).toEqual({ achternaam: 1, studie: 2, tussenvoegsel: 3, roepnaam: 4, stamnr: 5, klas: 6, email: 7 });
  });
  it('accepts headers already renamed to Numo and other spellings', () => {
    const m = matchColumns(['gebruikersnaam', 'voornaam', 'tussenvoegsel', 'achternaam', 'klas', 'opleiding', 'e-mail'], EXPORT_COLUMNS);
    expect(missingRequired(m, EXPORT_COLUMNS)).toEqual([]);
    expect(matchColumns(['Stamnummer', 'E-mailadres'], EXPORT_COLUMNS)).toEqual({ stamnr: 0, email: 1 });
    expect(matchColumns(['stamnr_str'], EXPORT_COLUMNS)).toEqual({ stamnr: 0 });
  });
  it('prefers Stamnr over gebruikersnaam when both are present', () => {
    expect(matchColumns(['gebruikersnaam', 'Stamnr'], EXPORT_COLUMNS).stamnr).toBe(1);
  });
  it('reads the migratiehulpbestand', () => {
    expect(matchColumns(['stamnr', 'idgebr', 'externeid', 'realmid'], IDGEBR_COLUMNS)).toEqual({ stamnr: 0, idgebr: 1, realmid: 3 });
  });
});

describe('twinColumns', () => {
  it('finds a used column whose header is there twice, as headerKey compares', () => {
    const headers = ['Stamnr', 'Achternaam', 'E-mail', 'Studie', 'e-mail '];
    expect(twinColumns(headers, matchColumns(headers, EXPORT_COLUMNS))).toEqual([{ key: 'email', header: 'E-mail', twinHeader: 'e-mail ', used: 2, twin: 4 }]);
  });
  it('takes another spelling of a column as a twin when the caller gives its spellings (the student number)', () => {
    const headers = ['Leerlingnummer', 'Roepnaam', 'Stamnr', 'E-mailadres', 'E-mail'];
    const map = matchColumns(headers, EXPORT_COLUMNS);
    const stamnr = sourceColumns('magister', 'leerling', { exportsOnly: true }).filter((s) => s.key === 'stamnr');
    expect(twinColumns(headers, map, stamnr)).toEqual([{ key: 'stamnr', header: 'Stamnr', twinHeader: 'Leerlingnummer', used: 2, twin: 0 }]);
    // Without them, only a header written twice counts.
    expect(twinColumns(headers, map)).toEqual([]);
    // A Numo gebruikersnaam next to the Stamnr is a login, not another spelling of it.
    const login = ['Stamnr', 'Roepnaam', 'Gebruikersnaam'];
    expect(twinColumns(login, matchColumns(login, EXPORT_COLUMNS), stamnr)).toEqual([]);
  });
  it('takes two names of a name part or a Klas (Roepnaam, Voornaam; Klas, Stamklas) for the alias order to decide, not for twins', () => {
    const headers = ['Stamnr', 'Roepnaam', 'Voornaam', 'Achternaam', 'Klas', 'Stamklas'];
    const specs = sourceColumns('somtoday', 'leerling').concat(EXPORT_COLUMNS);
    expect(twinColumns(headers, matchColumns(headers, EXPORT_COLUMNS), specs)).toEqual([]);
  });
  it('names all twins of one column in one problem per row, also under another spelling; check names it once', () => {
    const headers = ['Stamnr', 'Roepnaam', 'Leerlingnummer', 'Stamnr', 'Stamnr'];
    const stamnr = sourceColumns('magister', 'leerling', { exportsOnly: true }).filter((s) => s.key === 'stamnr');
    const twins = twinColumns(headers, matchColumns(headers, EXPORT_COLUMNS), stamnr);
    const findings = new Findings();
    checkTwins(twins, ['1001', 'Sam', '1001', '1002', '1003'], { row: 2 }, findings);
    checkTwins(twins, ['1004', 'Eva', '1004', '1004', ''], { row: 3 }, findings);
    expect(findings.list().map((f) => `${f.message} ${f.count}`)).toEqual(["Kolom 'Stamnr' staat 4 keer in de kopregel, ook onder een andere naam (kolom A, C, D en 1 meer) en ze verschillen 1"]);
    const check = new Findings();
    reportTwinHeaders(twins, check);
    expect(check.list().map((f) => f.message)).toEqual(["Kolom 'Stamnr' staat 4 keer in de kopregel, ook onder een andere naam (kolom A, C, D en 1 meer)"]);
  });
  it('has no twin for a header no column uses', () => {
    const headers = ['Stamnr', 'Mentor', 'Mentor'];
    expect(twinColumns(headers, matchColumns(headers, EXPORT_COLUMNS))).toEqual([]);
  });
});

describe('columnLetters', () => {
  it('names columns as Excel does', () => {
    expect([0, 7, 25, 26, 27, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'H', 'Z', 'AA', 'AB', 'ZZ', 'AAA', 'XFD']);
  });
});

describe('reportMergedCells', () => {
  it('refuses a file with more merged cells to check than four times the row limit, instead of checking a part', () => {
    const findings = new Findings();
    const rows = LIMITS.rows + 1;
    // Five used columns, each one block down the whole list: five times the rows.
    const ranges = [0, 1, 2, 3, 4].map((column) => ({ column, lastColumn: column, first: 2, last: rows }));
    const columns = { stamnr: 0, roepnaam: 1, achternaam: 2, klas: 3, studie: 4 };
    reportMergedCells(ranges, columns, ['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie'], { isStudentRow: () => true, isEmptyCell: () => false, lastStudentRow: rows }, findings);
    expect(findings.list('error').map((f) => f.code)).toEqual(['merged-cells-too-many']);
  });
});
