import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import type { RawRow } from '../src/core/raw-row.js';
import { normaliseText } from '../src/core/text.js';
import { loadInput, sheetsOf } from '../src/io/input.js';
import { locateTable } from '../src/io/table.js';
import { DIFFERENT_SHAPES, ORACLE_SHAPES, PLAIN_SHAPE } from './corpus/shapes.js';
import { corpus, EXPORT_COLUMNS, editedZip, fixture, tempDir } from './helpers.js';

async function readExport(path: string) {
  const input = await loadInput(path);
  const table = await locateTable(input.name, await sheetsOf(input), EXPORT_COLUMNS);
  const rows: RawRow[] = [];
  for await (const r of table.rows) rows.push(r);
  return { table, rows };
}

/** A workbook written by exceljs (sheet 'x'), in a fresh folder; returns its path. */
async function exceljsBook(file: string, rows: ExcelJS.CellValue[][]): Promise<string> {
  const path = join(tempDir(), file);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('x');
  for (const row of rows) ws.addRow(row);
  await wb.xlsx.writeFile(path);
  return path;
}

describe('xlsx reading', () => {
  it('a sheet whose bytes are damaged is named damaged (CRC), also when the garbage reads as odd content first', async () => {
    const { inlineStringXlsx, writeZip } = await import('../fixtures/zip-writer.js');
    const { readZipDirectory } = await import('../src/io/zip.js');
    const { inflateRawSync } = await import('node:zlib');
    const base = inlineStringXlsx([
      {
        name: 'Blad1',
        rows: [
          ['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie'],
          [100001, 'Emma', 'Bos', '1A', '1 havo'],
        ],
      },
    ]);
    // The same parts, the sheet stored (not compressed), so that its bytes can be changed in place after the CRC.
    const parts = [...readZipDirectory(base).values()].map((e) => {
      const start = e.localOffset + 30 + base.readUInt16LE(e.localOffset + 26) + base.readUInt16LE(e.localOffset + 28);
      return { name: e.name, data: inflateRawSync(base.subarray(start, start + e.compressedSize)), store: e.name.includes('worksheets') };
    });
    const zip = writeZip(parts);
    const cell = Buffer.from('<c r="A2"><v>100001</v></c>');
    const at = zip.indexOf(cell);
    expect(at).toBeGreaterThan(0);
    Buffer.from('<c r="A2"><v>1</v><v>22</v>').copy(zip, at);
    const path = join(tempDir(), 'beschadigd.xlsx');
    writeFileSync(path, zip);
    await expect(readExport(path)).rejects.toThrow(/^beschadigd\.xlsx is een beschadigd bestand \(controlegetal \(CRC\)/);
  });

  it('passes over a hidden sheet without a part (an old macro sheet); a visible one is still a broken file', async () => {
    const { inlineStringXlsx } = await import('../fixtures/zip-writer.js');
    const base = inlineStringXlsx([
      {
        name: 'Blad1',
        rows: [
          ['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie'],
          [100001, 'Emma', 'Bos', '1A', '1 havo'],
        ],
      },
    ]);
    const withSheet = (sheet: string) => {
      const path = join(tempDir(), 'macro.xlsx');
      writeFileSync(
        path,
        editedZip(base, (name, data) => (name === 'xl/workbook.xml' ? data.replace('</sheets>', `${sheet}</sheets>`) : data)),
      );
      return path;
    };
    for (const sheet of ['<sheet name="Module1" sheetId="9" state="veryHidden" r:id=""/>', '<sheet name="Macro1" sheetId="9" state="hidden"/>']) {
      const { rows } = await readExport(withSheet(sheet));
      expect(rows.map((r) => r.cells)).toEqual([['100001', 'Emma', 'Bos', '1A', '1 havo']]);
    }
    await expect(readExport(withSheet('<sheet name="Module1" sheetId="9" r:id=""/>'))).rejects.toThrow("werkblad 'Module1' ontbreekt");
    await expect(readExport(withSheet('<sheet name="Module1" sheetId="9" state="veryHidden" r:id="rId99"/>'))).rejects.toThrow("werkblad 'Module1' ontbreekt");
  });

  it('finds the header under title rows on the second sheet, with reordered and extra columns', async () => {
    const { table, rows } = await readExport(fixture('magister-export-bewerkt.xlsx'));
    expect(table.sheet).toBe('Deelnemers');
    expect(table.headerRow).toBe(4);
    expect(table.columns).toMatchObject({ achternaam: 0, tussenvoegsel: 1, roepnaam: 2, stamnr: 4, studie: 5, klas: 6, email: 7 });
    const first = rows[0]!;
    expect(first.row).toBe(5);
    expect(first.cells[4]).toBe('200001'); // a number, not 200001.0
    expect(first.cells[3]).toMatch(/^\d{4}-\d{2}-\d{2}$/); // a date, as ISO
  });

  it('reads hyperlink cells as their text, rich text as plain text and formulas as their cached result', async () => {
    const { rows } = await readExport(fixture('magister-export-bewerkt.xlsx'));
    expect(rows[0]!.cells[7]).toMatch(/^200001@/); // i % 3 === 0: hyperlink
    expect(rows[1]!.cells[0]).toMatch(/^[A-Z][a-zçı ]+$/i); // i % 4 === 1: rich text, joined
    expect(rows[2]!.cells[6]).toMatch(/^\d[A-Z]\d$/); // i % 5 === 2: formula result
    expect(normaliseText(rows[3]!.cells[2]!)).not.toMatch(/\s$/);
  });

  it('reads inline strings without sharedStrings.xml (openpyxl-like zip order)', async () => {
    const { rows } = await readExport(fixture('magister-export-inline.xlsx'));
    expect(rows).toHaveLength(20);
    expect(rows[0]!.cells[0]).toBe('400001');
  });

  it('keeps multi-byte characters intact across stream chunk boundaries', async () => {
    const students = Array.from({ length: 3000 }, (_, i) => [i + 1, `Zoë${i}`, `Çelik-Ğü${i}`, '2 havo']);
    const { rows } = await readExport(await exceljsBook('big.xlsx', [['Stamnr', 'Roepnaam', 'Achternaam', 'Studie'], ...students]));
    expect(rows).toHaveLength(3000);
    expect(rows.every((r, i) => r.cells[1] === `Zoë${i}` && r.cells[2] === `Çelik-Ğü${i}`)).toBe(true);
  });

  it('reports Excel errors (a failed VLOOKUP) and uncalculated formulas as cell problems', async () => {
    const { rows } = await readExport(
      await exceljsBook('f.xlsx', [
        ['Stamnr', 'Roepnaam', 'Achternaam', 'Studie', 'IDGebr'],
        [1, 'A', 'B', '2 havo', { error: '#N/A' }],
        [2, 'C', 'D', { formula: 'X1' }, 5],
      ]),
    );
    expect(rows[0]!.problems).toEqual([{ column: 4, kind: 'excel-error' }]);
    expect(rows[1]!.problems).toEqual([{ column: 3, kind: 'formula-without-result' }]);
  });

  it('reads a cell whose text is the name of a problem kind as that text, not as a problem', async () => {
    const { rows } = await readExport(
      await exceljsBook('t.xlsx', [
        ['Stamnr', 'Roepnaam', 'Achternaam', 'Studie'],
        [1, 'excel-error', 'formula-without-result', '2 havo'],
      ]),
    );
    expect(rows[0]!.cells.slice(1, 3)).toEqual(['excel-error', 'formula-without-result']);
    expect(rows[0]!.problems).toBeUndefined();
  });

  it('says which columns it found when a required one is missing', async () => {
    const path = await exceljsBook('export.xlsx', [['Stamnr', 'Roepnaam', 'Achternaam', 'Klas']]);
    await expect(readExport(path)).rejects.toThrow("Kolom 'Studie' niet gevonden in export.xlsx, blad 'x' (rij 1–1 doorzocht). Gevonden kolommen: Stamnr, Roepnaam, Achternaam, Klas.");
    const empty = join(tempDir(), 'leeg.csv');
    writeFileSync(empty, '\r\n;;\r\n');
    await expect(readExport(empty)).rejects.toThrow(/is leeg/);
  });
});

describe('xlsx from other writers', () => {
  it('reads namespace-prefixed workbook, relationships and sheet XML (Open XML SDK) and cells without r references', async () => {
    const { inlineStringXlsx } = await import('../fixtures/zip-writer.js');
    const base = inlineStringXlsx([{ name: 'Blad1', rows: [['x']] }]);
    const sheet =
      '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row><x:c t="inlineStr"><x:is><x:t>Stamnr</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Roepnaam</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Achternaam</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Studie</x:t></x:is></x:c></x:row>' +
      '<x:row><x:c><x:v>1001</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>Zo</x:t></x:r><x:r><x:t>ë &amp; co</x:t></x:r></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Vries</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>2 havo</x:t></x:is></x:c></x:row>' +
      '</x:sheetData></x:worksheet>';
    const edited = editedZip(base, (name, data) => {
      if (name === 'xl/worksheets/sheet1.xml') return sheet;
      if (name === 'xl/workbook.xml') {
        return '<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="Blad1" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>';
      }
      if (name === 'xl/_rels/workbook.xml.rels') return data.replace(/<(\/?)Relationship/g, '<$1pr:Relationship').replace('xmlns=', 'xmlns:pr=');
      return data;
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'sdk.xlsx'), edited);
    const { rows } = await readExport(join(dir, 'sdk.xlsx'));
    expect(rows).toEqual([{ row: 2, cells: ['1001', 'Zoë & co', 'Vries', '2 havo'] }]);
  });
});

describe('sheets that share a part', () => {
  it('are refused: a thousand sheets of one large part would read it a thousand times', async () => {
    const { inlineStringXlsx } = await import('../fixtures/zip-writer.js');
    const base = inlineStringXlsx([
      { name: 'A', rows: [['x']] },
      { name: 'B', rows: [['y']] },
    ]);
    const dir = tempDir();
    // Also when the second names it with a %-escape.
    for (const second of ['sheet1.xml', '%73heet1.xml']) {
      writeFileSync(
        join(dir, 'same.xlsx'),
        editedZip(base, (name, data) => (name === 'xl/_rels/workbook.xml.rels' ? data.replace('sheet2.xml', second) : data)),
      );
      await expect(readExport(join(dir, 'same.xlsx'))).rejects.toThrow('same.xlsx is geen leesbaar Excel-bestand (twee werkbladen verwijzen naar hetzelfde onderdeel)');
    }
  });
});

describe('empty cells without a reference', () => {
  it('take their places up to XFD; one past it is refused, not read for seconds', async () => {
    const { inlineStringXlsx } = await import('../fixtures/zip-writer.js');
    const base = inlineStringXlsx([{ name: 'A', rows: [['x']] }]);
    const row = (empty: number) => `<row><c t="inlineStr"><is><t>Stamnr</t></is></c>${'<c/>'.repeat(empty)}</row>`;
    const withRow = (empty: number) =>
      editedZip(base, (name, data) => (name === 'xl/worksheets/sheet1.xml' ? data.replace(/<sheetData>.*<\/sheetData>/s, `<sheetData>${row(empty)}</sheetData>`) : data));
    const dir = tempDir();
    writeFileSync(join(dir, 'xfd.xlsx'), withRow(16_383));
    const sheets = await sheetsOf(await loadInput(join(dir, 'xfd.xlsx')));
    const rows: RawRow[] = [];
    for await (const r of sheets[0]!.rows) rows.push(r);
    expect(rows).toEqual([{ row: 1, cells: ['Stamnr'] }]);
    writeFileSync(join(dir, 'past.xlsx'), withRow(16_384));
    await expect(readExport(join(dir, 'past.xlsx'))).rejects.toThrow("past.xlsx is geen leesbaar Excel-bestand (blad 'A', rij 1 heeft meer cellen dan Excel kolommen heeft)");
  });
});

describe('real-world .xlsx shapes read exactly like the plain file', () => {
  async function cells(name: string): Promise<RawRow[]> {
    const input = await loadInput(corpus(name));
    const [sheet] = await sheetsOf(input);
    const rows: RawRow[] = [];
    for await (const r of sheet!.rows) rows.push(r);
    return rows;
  }
  // rij-per-cel and escapes hold other content on purpose; their own tests follow.
  const SAME = ORACLE_SHAPES.filter((n) => !DIFFERENT_SHAPES.has(n));
  for (const name of SAME) {
    it(name, async () => {
      expect(await cells(name)).toEqual(await cells(PLAIN_SHAPE));
    });
  }

  it('reads every shape as openpyxl does, where openpyxl can read it (test/corpus/oracle-openpyxl.json)', async () => {
    const oracle = JSON.parse(readFileSync(corpus('oracle-openpyxl.json'), 'utf8')) as Record<string, RawRow[] | { error: string }>;
    const compared: string[] = [];
    // openpyxl 3.0 leaves _xHHHH_ as written; Excel decodes it (ECMA-376 Part 1, ST_Xstring), as the test below checks.
    const openpyxlDiffers = new Set(['escapes.xlsx']);
    for (const [name, rows] of Object.entries(oracle)) {
      if (!Array.isArray(rows) || openpyxlDiffers.has(name)) continue;
      const ours = (await cells(name)).sort((a, b) => a.row - b.row);
      expect(ours, name).toEqual(rows);
      compared.push(name);
    }
    expect(compared.length).toBeGreaterThanOrEqual(12);
  });

  it('one <row> element per cell, two rows swapped: one row each, numbers kept', async () => {
    const rows = await cells('rij-per-cel.xlsx');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 5, 4, 6, 7, 8, 9]);
    expect(rows.sort((a, b) => a.row - b.row)).toEqual(await cells('vorm-gewoon.xlsx'));
  });

  it('decodes _xHHHH_ in shared and inline strings (_x005F_ escapes the underscore) and reads CRLF as LF', async () => {
    const rows = await cells('escapes.xlsx');
    const plain = await cells('vorm-gewoon.xlsx');
    expect(rows.map((r) => r.cells.slice(0, 7))).toEqual(plain.map((r) => r.cells.slice(0, 7)));
    expect(rows[0]!.cells[7]).toBe('Opmerking');
    expect(rows[1]!.cells[7]).toBe('regel een\nregel twee_x0041_');
  });
});

describe('a file that changes while it is read', () => {
  it('is refused (still being copied or saved), not read cut off', async () => {
    const path = join(tempDir(), 'export.csv');
    writeFileSync(path, 'Stamnr;Roepnaam;Achternaam;Klas;Studie\r\n600001;Zoë;Koster;1A;1 havo\r\n');
    const { open } = await import('node:fs/promises');
    const probe = await open(path);
    const proto = Object.getPrototypeOf(probe) as { stat: () => Promise<{ size: number; mtimeMs: number }> };
    await probe.close();
    const real = proto.stat;
    let calls = 0;
    // The second look (after reading) sees the copy that went on meanwhile.
    const spy = vi.spyOn(proto, 'stat').mockImplementation(async function (this: unknown) {
      const s = await real.call(this);
      return ++calls === 2 ? Object.assign(Object.create(Object.getPrototypeOf(s)), s, { size: s.size + 100 }) : s;
    });
    try {
      await expect(loadInput(path)).rejects.toThrow('export.csv veranderde terwijl numo-prep het las (wordt het nog gekopieerd of opgeslagen?)');
    } finally {
      spy.mockRestore();
    }
    expect((await loadInput(path)).bytes.length).toBeGreaterThan(0);
  });
});
