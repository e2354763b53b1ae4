import { describe, expect, it } from 'vitest';
import { IdgebrIndex } from '../src/core/idgebr.js';
import { Mapping } from '../src/core/mapping.js';
import { type PipelineOptions, runPipeline } from '../src/core/pipeline.js';
import type { NumoRow } from '../src/core/schema.js';
import { compileTemplate } from '../src/core/template.js';
import { pipelineOptions, rowsOf } from './helpers.js';

const mapping = new Mapping([
  { studie: '2 havo', code: 'HAVO-2' },
  { studie: '1 kader', code: 'VMBO-KB-1' },
  { studie: 'ISK', code: '-' },
]);

const options = (extra: Partial<PipelineOptions> = {}) => pipelineOptions(mapping, extra);

async function run(rows: (string | number)[][], extra: Partial<PipelineOptions> = {}) {
  const out: NumoRow[] = [];
  const result = await runPipeline(rowsOf(rows), options(extra), (r) => void out.push(r));
  return { ...result, out, errors: result.findings.list('error'), warnings: result.findings.list('warning') };
}

const jan = [1001, 'Jan', 'de', 'Vries', '2H1', '2 havo', 'jan@school.nl'];

describe('runPipeline', () => {
  it('maps, renames and enriches a student', async () => {
    const r = await run([jan]);
    expect(r.errors).toEqual([]);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatchObject({ gebruikersnaam: '1001', voornaam: 'Jan', tussenvoegsel: 'de', achternaam: 'Vries', klas: '2H1', opleiding: 'HAVO-2', 'e-mail': 'jan@school.nl', rol: 'leerling' });
    expect(r.out[0]!.wachtwoord).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{10}$/);
    expect(r.out[0]!.IDGebr).toBeUndefined();
  });

  it('matches Studie ignoring case and spaces, and leaves out "not for Numo"', async () => {
    const r = await run([
      [...jan.slice(0, 5), '  2 HAVO ', ''],
      [1002, 'A', '', 'B', 'ISK1', 'ISK', ''],
    ]);
    expect(r.out.map((o) => o.opleiding)).toEqual(['HAVO-2']);
    expect(r.counts.notForNumo).toBe(1);
  });

  it('lists each unmapped Studie once with its count and the line to add', async () => {
    const r = await run([
      [1, 'A', '', 'B', '4H', '4 havo', ''],
      [2, 'C', '', 'D', '4H', '4 havo', ''],
      [3, 'E', '', 'F', '5V', '5 vwo', ''],
    ]);
    const unmapped = r.errors.filter((e) => e.code === 'unmapped-studie');
    expect(unmapped.map((e) => e.message)).toEqual(["Studie '4 havo' staat niet in de mapping (2 leerlingen)", "Studie '5 vwo' staat niet in de mapping (1 leerling)"]);
    expect(unmapped[0]!.hint).toContain('4 havo;<opleidingscode>');
    // A Studie with a ; is quoted in the line to add, so the mapping reads it back whole.
    const semi = await run([[4, 'G', '', 'H', '6V', '6 vwo; extra', '']]);
    const hint = semi.errors.find((e) => e.code === 'unmapped-studie')!.hint!;
    expect(hint).toContain('"6 vwo; extra";<opleidingscode>');
    const { parse } = await import('csv-parse/sync');
    expect(parse(hint.slice(hint.indexOf('"6')).split('  ')[0]!.replace('<opleidingscode>', 'VWO-6'), { delimiter: ';' })).toEqual([['6 vwo; extra', 'VWO-6']]);
    expect(r.unmapped).toEqual(
      new Map([
        ['4 havo', 2],
        ['5 vwo', 1],
      ]),
    );
  });

  it('reports duplicates, missing Stamnr/achternaam/Studie and bad e-mail all at once, by row and Stamnr only', async () => {
    const r = await run([
      jan,
      [1001, 'Piet', '', 'Jansen', '2H1', '2 havo', ''],
      ['', 'Kees', '', 'Bakker', '2H1', '2 havo', ''],
      [1003, 'Anna', '', '', '2H1', '2 havo', ''],
      [1004, 'Els', '', 'Smit', '2H1', '', ''],
      [1005, 'Tom', '', 'Bos', '2H1', '2 havo', 'tom@school'],
    ]);
    // The gebruikersnaam twice is the Stamnr twice: said once, as the Stamnr.
    expect(r.errors.map((e) => e.code).sort()).toEqual(['duplicate-stamnr', 'email-invalid', 'missing-achternaam', 'missing-gebruikersnaam', 'missing-stamnr', 'missing-studie']);
    expect(r.errors.find((e) => e.code === 'duplicate-stamnr')!.refs).toEqual([{ row: 3, stamnr: '1001', first: 2 }]);
    const text = JSON.stringify(r.findings.list());
    for (const name of ['Piet', 'Jansen', 'Kees', 'Bakker', 'tom@school']) expect(text).not.toContain(name);
    expect(r.counts.written).toBe(1);
  });

  it('one student twice is an error whatever the gebruikersnaam: 001234 and 1234 are the same Stamnr, as for the IDGebr join', async () => {
    const r = await run(
      [
        ['001234', 'Jan', '', 'Jansen', '2H1', '2 havo', ''],
        [1234, 'Piet', '', 'Smit', '2H1', '2 havo', ''],
        [1235, 'Jan', '', 'Jansen', '2H1', '2 havo', ''],
      ],
      { gebruikersnaam: compileTemplate('{roepnaam}.{stamnr}', '--gebruikersnaam') },
    );
    expect(r.errors.map((e) => [e.code, e.message, e.refs])).toEqual([['duplicate-stamnr', 'Stamnr komt dubbel voor', [{ row: 3, stamnr: '1234', first: 2 }]]]);
    // The same with an IDGebr file, which keeps the first row per Stamnr it lists (and a table the rest).
    const idgebr = new IdgebrIndex();
    idgebr.add('1234', '30001', 2);
    const joined = await run(
      [
        ['001234', 'Jan', '', 'Jansen', '2H1', '2 havo', ''],
        [1234, 'Piet', '', 'Smit', '2H1', '2 havo', ''],
        [1235, 'Jan', '', 'Jansen', '2H1', '2 havo', ''],
        ['01235', 'Kees', '', 'Bos', '2H1', '2 havo', ''],
      ],
      { gebruikersnaam: compileTemplate('{roepnaam}.{stamnr}', '--gebruikersnaam'), idgebr },
    );
    expect(joined.errors.filter((e) => e.code === 'duplicate-stamnr').map((e) => [e.message, e.refs])).toEqual([
      [
        'Stamnr komt dubbel voor',
        [
          { row: 3, stamnr: '1234', first: 2 },
          { row: 5, stamnr: '01235', first: 4 },
        ],
      ],
    ]);
  });

  it('keeps only the selected klassen and studies, with wildcards, and counts the rest', async () => {
    const r = await run([jan, [1002, 'A', '', 'B', '1K2', '1 kader', ''], [1003, 'C', '', 'D', '2H2', '2 havo', '']], { filter: { klas: ['2H1', '1*'] } });
    expect(r.out.map((o) => o.gebruikersnaam)).toEqual(['1001', '1002']);
    expect(r.counts.filtered).toBe(1);
    expect(r.warnings.map((w) => w.code)).toContain('filtered');
  });

  it('joins IDGebr and reports students without one and IDGebr rows for unknown students', async () => {
    const idgebr = new IdgebrIndex();
    idgebr.add('1001', '35895', 2);
    idgebr.add('9999', '1', 3);
    const r = await run([jan, [1002, 'A', '', 'B', '1K2', '1 kader', '']], { idgebr });
    expect(r.out.map((o) => o.IDGebr)).toEqual(['35895', '']);
    expect(r.warnings.find((w) => w.code === 'no-idgebr')!.refs).toEqual([{ row: 3, stamnr: '1002' }]);
    expect(r.warnings.find((w) => w.code === 'idgebr-unknown')!.message).toMatch(/^1 regel/);
  });

  it('one IDGebr for two students is an error (with SSO one would log in as the other), and so is an export that disagrees with the file', async () => {
    const idgebr = new IdgebrIndex();
    idgebr.add('1001', '30001', 2);
    idgebr.add('1002', '30001', 3);
    idgebr.add('1003', '30003', 4);
    const columns = { ...pipelineOptions(mapping).columns, idgebr: 7 };
    const r = await run(
      [
        [1001, 'Jan', '', 'Jansen', '2H1', '2 havo', '', ''],
        [1002, 'Piet', '', 'Smit', '2H1', '2 havo', '', ''],
        [1003, 'Ans', '', 'Bos', '2H1', '2 havo', '', '39999'],
        [1004, 'Bo', '', 'Bos', '2H1', '2 havo', '', '30004'],
      ],
      { idgebr, idgebrFileName: 'idgebr.csv', columns },
    );
    expect(r.errors.map((e) => [e.code, e.message, e.refs])).toEqual([
      ['duplicate-idgebr', 'IDGebr komt dubbel voor: met SSO komt de een in het account van de ander', [{ row: 3, stamnr: '1002', first: 2 }]],
      ['idgebr-conflict', 'IDGebr in de export verschilt van die in idgebr.csv', [{ row: 4, stamnr: '1003' }]],
    ]);
    expect(JSON.stringify(r.findings.list())).not.toMatch(/3000|39999/);
  });

  it('does not take a trailing total row for a student, but checks one in the middle', async () => {
    const r = await run([jan, ['Totaal: 2'], [1002, 'A', '', 'B', '1K2', '1 kader', ''], ['', '', '', '', '', '', ''], ['Totaal: 2']]);
    expect(r.counts.read).toBe(3);
    expect(r.errors.map((e) => e.code)).toContain('missing-achternaam');
    expect(r.findings.list('info').map((f) => f.code)).toContain('footer');
  });

  it('refuses names that Windows-1252 cannot hold, naming the row, when that encoding is chosen', async () => {
    const r = await run([[1001, 'Şükrü', '', 'Yılmaz', '2H1', '2 havo', '']], { encoding: 'windows-1252' });
    const e = r.errors.filter((f) => f.code === 'not-cp1252');
    expect(e.length).toBeGreaterThan(0);
    expect(e[0]!.refs[0]).toEqual({ row: 2, stamnr: '1001' });
  });

  it('reports values that would be formulas in Excel', async () => {
    const r = await run([[1001, "=cmd|' /C calc'!A0", '', '+Vries', '2H1', '2 havo', '']]);
    expect(r.warnings.filter((w) => w.code === 'formula-like')).toHaveLength(2);
    expect(r.warnings.find((w) => w.code === 'formula-like')!.hint).toContain('in de export');
    // A code from the mapping is the mapping's cell, not the export's.
    const fromMapping = await run([jan], { mapping: new Mapping([{ studie: '2 havo', code: '=VB-V3' }]) });
    expect(fromMapping.warnings.find((w) => w.code === 'formula-like')!.hint).toContain('mappingbestand');
  });

  it('fails when there are no students', async () => {
    const r = await run([]);
    expect(r.errors.map((e) => e.code)).toEqual(['no-students']);
  });
});
