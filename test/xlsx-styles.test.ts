import { describe, expect, it } from 'vitest';
import { writeZip } from '../fixtures/zip-writer.js';
import { xlsxSheets } from '../src/io/xlsx.js';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet workbook with the given workbook.xml body, styles.xml and cells (value, style index) in row 1. */
function book(o: { workbook?: string; workbookOpen?: string; styles: string; cells: [string, number][]; rawCells?: string }): Buffer {
  const open = o.workbookOpen ?? `<workbook xmlns="${MAIN}" xmlns:r="${REL}">`;
  const close = open.startsWith('<x:') ? '</x:workbook>' : '</workbook>';
  const cells = o.rawCells ?? o.cells.map(([v, s], i) => `<c r="${String.fromCharCode(65 + i)}1" s="${s}"><v>${v}</v></c>`).join('');
  return writeZip([
    {
      name: '_rels/.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `${open}${o.workbook ?? ''}<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets>${close}`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    },
    { name: 'xl/styles.xml', data: `<styleSheet xmlns="${MAIN}">${o.styles}</styleSheet>` },
    { name: 'xl/worksheets/sheet1.xml', data: `<worksheet xmlns="${MAIN}"><sheetData><row r="1">${cells}</row></sheetData></worksheet>` },
  ]);
}

async function row(buf: Buffer): Promise<string[]> {
  const [sheet] = await xlsxSheets('t.xlsx', buf);
  for await (const r of sheet!.rows) return r.cells;
  return [];
}

const xfs = (...ids: number[]) => `<cellXfs count="${ids.length}">${ids.map((id) => `<xf numFmtId="${id}" xfId="0"/>`).join('')}</cellXfs>`;

describe('number formats from styles.xml', () => {
  it('read built-in date ids (14–22, 27–36, 45–47, 50–58) without a numFmt definition', async () => {
    const ids = [0, 14, 15, 17, 20, 22, 27, 31, 32, 46, 50, 57, 1];
    const cells = ids.map((_, i): [string, number] => [i === ids.length - 1 ? '1234' : '45658.75', i]);
    expect(await row(book({ styles: xfs(...ids), cells }))).toEqual([
      '45658.75',
      '2025-01-01',
      '2025-01-01',
      '2025-01-01',
      '18:00:00',
      '2025-01-01 18:00:00',
      '2025-01-01',
      '2025-01-01',
      '18:00:00',
      '1095810:00:00',
      '2025-01-01',
      '2025-01-01',
      '1234',
    ]);
  });

  it('use a custom numFmt, also one that redefines a built-in id, and zero-pad a Stamnr', async () => {
    const styles = `<numFmts count="3"><numFmt numFmtId="164" formatCode="[h]:mm"/><numFmt numFmtId="14" formatCode="0.00"/><numFmt numFmtId="165" formatCode="000000"/></numFmts>${xfs(164, 14, 165)}`;
    expect(
      await row(
        book({
          styles,
          cells: [
            ['1.5', 0],
            ['45658', 1],
            ['1234', 2],
          ],
        }),
      ),
    ).toEqual(['36:00', '45658', '001234']);
  });

  it('ignore numFmt inside dxfs and extLst, and the xfs of cellStyleXfs', async () => {
    const styles =
      `<numFmts count="1"><numFmt numFmtId="164" formatCode="0.00"/></numFmts>` +
      `<cellStyleXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellStyleXfs>${xfs(164, 0)}` +
      `<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></dxf></dxfs>` +
      `<extLst><ext uri="{x}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dxfs><x14:dxf><x14:numFmt numFmtId="164" formatCode="d-m-yy"/></x14:dxf></x14:dxfs></ext></extLst>`;
    expect(
      await row(
        book({
          styles,
          cells: [
            ['45658', 0],
            ['45658', 1],
          ],
        }),
      ),
    ).toEqual(['45658', '45658']);
  });

  it('read a style index out of range or a broken numFmtId as a plain number', async () => {
    const styles = `<cellXfs count="2"><xf numFmtId="x14"/><xf numFmtId="-14"/></cellXfs>`;
    expect(
      await row(
        book({
          styles,
          cells: [
            ['45658', 0],
            ['45658', 1],
            ['45658', 7],
          ],
        }),
      ),
    ).toEqual(['45658', '45658', '45658']);
  });
});

describe('hostile styles.xml', () => {
  it('refuses more cell formats than any workbook has, instead of growing without bound', async () => {
    const styles = `<cellXfs>${'<xf/>'.repeat(1_000_001)}</cellXfs>`;
    await expect(row(book({ styles, cells: [['1', 0]] }))).rejects.toThrow(/t\.xlsx is geen leesbaar Excel-bestand \(meer dan een miljoen celopmaken/);
  });

  it('refuses number formats whose codes together are longer than Excel allows (parsing them ran out of memory)', async () => {
    const code = 'd\\a'.repeat(1_300);
    const styles = `<numFmts>${Array.from({ length: 80 }, (_, i) => `<numFmt numFmtId="${164 + i}" formatCode="${code}"/>`).join('')}</numFmts><cellXfs><xf numFmtId="164"/></cellXfs>`;
    await expect(row(book({ styles, cells: [['1', 0]] }))).rejects.toThrow(/t\.xlsx is geen leesbaar Excel-bestand \(te veel of te lange getalnotaties/);
    // Excel's own maximum, 250 formats of 255 characters, reads.
    const most = `<numFmts>${Array.from({ length: 250 }, (_, i) => `<numFmt numFmtId="${164 + i}" formatCode="${'0'.repeat(255)}"/>`).join('')}</numFmts><cellXfs><xf numFmtId="164"/></cellXfs>`;
    await expect(row(book({ styles: most, cells: [['1', 0]] }))).resolves.toBeDefined();
  });

  it('reads deeply nested elements with a depth count, not a stack of names', async () => {
    const styles = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}${xfs(14)}`;
    expect(await row(book({ styles, cells: [['45658', 0]] }))).toEqual(['2025-01-01']);
  });
});

describe('formula results marked stale (calcPr fullCalcOnLoad, as XlsxWriter writes)', () => {
  // XlsxWriter stores 0 for a formula whose value it was not given, and asks Excel to recalculate; a value it was
  // given (x, 5) is the result.
  const rawCells = '<c r="A1"><f>B1</f><v>0</v></c><c r="B1" t="str"><f>"x"</f><v>x</v></c><c r="C1"><v>7</v></c><c r="D1"><f>2+3</f><v>5</v></c>';

  async function first(workbook: string) {
    const [sheet] = await xlsxSheets('t.xlsx', book({ workbook, styles: '', cells: [], rawCells }));
    for await (const r of sheet!.rows) return r;
    throw new Error('no row');
  }

  it("reads a formula's stored 0 as no result; other results and plain values stay", async () => {
    const r = await first('<calcPr fullCalcOnLoad="1"/>');
    expect(r.cells.slice(1)).toEqual(['x', '7', '5']);
    expect(r.problems).toEqual([{ column: 0, kind: 'formula-without-result' }]);
  });

  it('trusts the stored results without the flag, or with it off or in another namespace', async () => {
    for (const workbook of ['<calcPr calcId="191029"/>', '<calcPr fullCalcOnLoad="0"/>', '<o:calcPr xmlns:o="urn:other" fullCalcOnLoad="1"/>']) {
      const r = await first(workbook);
      expect(r.cells).toEqual(['0', 'x', '7', '5']);
      expect(r.problems).toBeUndefined();
    }
  });
});

describe('the 1904 date system', () => {
  const styles = xfs(14);
  const cells: [string, number][] = [['0', 0]];

  it('is set by workbookPr date1904 of the main namespace, with any prefix', async () => {
    expect(await row(book({ workbook: '<workbookPr date1904="1"/>', styles, cells }))).toEqual(['1904-01-01']);
    expect(await row(book({ workbook: '<workbookPr date1904="true"/>', styles, cells }))).toEqual(['1904-01-01']);
    expect(await row(book({ workbookOpen: `<x:workbook xmlns:x="${MAIN}" xmlns:r="${REL}">`, workbook: '<x:workbookPr date1904="1"/>', styles, cells }))).toEqual(['1904-01-01']);
    const strict = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
    expect(await row(book({ workbookOpen: `<workbook xmlns="${strict}" xmlns:r="${REL}">`, workbook: '<workbookPr date1904="1"/>', styles, cells }))).toEqual(['1904-01-01']);
  });

  it('is not set by x15:workbookPr inside extLst, nor by a workbookPr of another namespace', async () => {
    const ext = `<workbookPr/><extLst><ext uri="{x}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:workbookPr date1904="1" chartTrackingRefBase="1"/></ext></extLst>`;
    expect(await row(book({ workbook: ext, styles, cells }))).toEqual(['1900-01-00']);
    expect(await row(book({ workbook: '<o:workbookPr xmlns:o="urn:other" date1904="1"/>', styles, cells }))).toEqual(['1900-01-00']);
    expect(await row(book({ workbook: '<workbookPr date1904="0"/>', styles, cells }))).toEqual(['1900-01-00']);
  });
});
