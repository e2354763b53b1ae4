import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../fixtures/zip-writer.js';
import { rowBatches } from '../src/core/raw-row.js';
import { xlsxSheets } from '../src/io/xlsx.js';
import { fastPaths } from '../src/io/xml-scan.js';

// The worksheet reader takes the common shapes of <row> and <c> (and <c …><v>…</v></c> in one step) on a fast
// path and leaves everything else to the general, validating path. Both must read every sheet the same: the
// same rows, or the same message.

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const SHEET_OPEN = `<worksheet xmlns="${MAIN}" xmlns:x="${MAIN}"><sheetData>`;
/** The reader gets a part in pieces of 64 KiB: a comment long enough that the first piece ends `cut` characters into the rows. */
const padding = (cut: number | undefined) => (cut === undefined ? '' : `<!--${'x'.repeat(64 * 1024 - SHEET_OPEN.length - cut - 7)}-->`);

function book(sheet: string, cut?: number, strings = '<si><t>nul</t></si><si><t>een &amp; twee</t></si><si><t>_x0041_</t></si>'): Buffer {
  return writeZip([
    {
      name: '_rels/.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    { name: 'xl/workbook.xml', data: `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    { name: 'xl/styles.xml', data: `<styleSheet xmlns="${MAIN}"><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="49"/></cellXfs></styleSheet>` },
    { name: 'xl/sharedStrings.xml', data: `<sst xmlns="${MAIN}">${strings}</sst>` },
    { name: 'xl/worksheets/sheet1.xml', data: `${SHEET_OPEN}${padding(cut)}${sheet}</sheetData></worksheet>` },
  ]);
}

/** The fast paths read in batches (as convert does), the general path row by row: the same rows either way. */
async function read(buf: Buffer, fast: boolean): Promise<unknown> {
  fastPaths.enabled = fast;
  try {
    const out: unknown[] = [];
    for (const sheet of await xlsxSheets('t.xlsx', buf)) {
      if (fast) for await (const batch of rowBatches(sheet.rows)) out.push(...batch);
      else for await (const r of sheet.rows) out.push(r);
    }
    return out;
  } catch (err) {
    return `error: ${(err as Error).message}`;
  } finally {
    fastPaths.enabled = true;
  }
}

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** Mostly the shapes real writers use, sometimes an odd one: sheets that fail early test little. */
const mostly = <T>(usual: T[], odd: T[]) => fc.oneof({ arbitrary: pick(...usual), weight: 4 }, { arbitrary: pick(...odd), weight: 1 });
// {row} is the number of the row the cell stands in (numbered): a reference to another row is refused.
const ref = mostly(
  ['', '', '', ' r="AB{row}"'],
  [' r="A{row}"', ' r="C7"', ' r="b{row}"', ' r=" D{row} "', " r='E{row}'", ' r="A0{row}"', ' r="XFE{row}"', ' r="1A"', ' r="AAAA{row}"', ' r=""', ' x:r="F{row}"', ' r="G&#49;"'],
);
const style = mostly(['', ' s="0"', ' s="1"', ' s="2"'], [' s="9"', ' s=" 1"', ' s="1e0"', ' s="-1"', ' s="12345678901"']);
const extra = mostly(['', ' spans="1:3"'], [' note="a>b"', '\tcm="1"', ' r', ' q=x', ' y:z="1"']);
const v = (...xs: string[]) => xs.map((x) => `<v>${x}</v>`);
/** A type with a value that fits it, mostly; sometimes one that does not, or an odd shape. */
const typed = mostly(
  [
    ...['', ' t="n"'].flatMap((t) => v('1', ' 1 ', '1.5', '45000', '-5', '007', '1e3', '').map((c) => [t, c])),
    ...v('0', '1', '2', ' 1 ', '').map((c) => [' t="s"', c]),
    ...v(' 1 ', 'a b', '_x0041_', '', '&amp;').map((c) => [' t="str"', c]),
    ...v('0', '1', 'true', ' 1').map((c) => [' t="b"', c]),
    [' t="e"', '<v>#N/A</v>'],
    [' t="d"', '<v>2024-01-31</v>'],
    [' t="inlineStr"', '<is><t>tekst</t></is>'],
    [' t="inlineStr"', '<is><t>a</t><rPh><t>b</t></rPh></is>'],
    ['', '<f>A1</f>'],
    [' t="str"', '<f>A1</f><v> 2 </v>'],
  ] as [string, string][],
  [
    [' t=" s"', '<v>1</v>'],
    [' t="x"', '<v>1</v>'],
    [' t = "s"', '<v>1</v>'],
    [" t='s'", '<v>1</v>'],
    ['', '<v>abc</v>'],
    ['', '<v>&#48;</v>'],
    ['', '<v><![CDATA[1]]></v>'],
    [' t="s"', '<v>45000</v>'],
    ['', '<v/>'],
    ['', '<x:v>1</x:v>'],
    [' t="str"', '<v>a\tb</v>'],
  ] as [string, string][],
);
const wellFormedCell = fc
  .tuple(
    mostly(['c'], ['x:c', 'c ']),
    ref,
    typed,
    style,
    extra,
    fc.nat(3).map((n) => n === 0),
  )
  .map(([name, r, [t, body], s, e, selfClosing]) => (selfClosing ? `<${name}${r}${t}${s}${e}/>` : `<${name}${r}${t}${s}${e}>${body}</${name.trim()}>`));
/** Now and then a cell whose XML is not nested as it must be: its </c> missing, a value or </c> without a <c>. */
const cell = fc.oneof({ arbitrary: wellFormedCell, weight: 30 }, { arbitrary: pick('<c><v>1</v>', '<c t="s"><v>0</v>', '<v>1</v>', '</c>'), weight: 1 });
const rowNumber = mostly(
  ['', '', ' spans="1:2"'],
  [
    ' r="1"',
    ' r="3"',
    ' spans="1:2" r="4"',
    ' r=" 2"',
    ' r="0"',
    ' r="9999999"',
    ' r="x"',
    ' r="01"',
    ' x:r="5"',
    ' hidden="1"',
    ' r="2" hidden="true"',
    ' hidden="0"',
    ' hidden=" 1 "',
    ' hiddenx="1"',
  ],
);
const row = fc
  .tuple(mostly(['row'], ['x:row']), rowNumber, extra, fc.array(cell, { maxLength: 6 }), fc.boolean())
  .map(([name, r, e, cells, selfClosing]) => (selfClosing && cells.length === 0 ? `<${name}${r}${e}/>` : `<${name}${r}${e}>${cells.join('')}</${name}>`));

/** The rows, each {row} the number of its row: its own r if it has a plain one, else one more than the row before. */
function numbered(rows: string[]): string {
  let n = 0;
  return rows
    .map((r) => {
      n = Number(/^<(?:x:)?row\b[^>]*?\sr="(\d+)"/.exec(r)?.[1] ?? n + 1);
      return r.replaceAll('{row}', String(n));
    })
    .join('');
}

describe('worksheet fast path', () => {
  it('reads every generated sheet exactly as the general path does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), fc.option(fc.nat(300)), async (rows, cut) => {
        const buf = book(numbered(rows), cut ?? undefined);
        expect(await read(buf, true)).toEqual(await read(buf, false));
      }),
      { numRuns: 150 },
    );
  });

  it('reads every generated shared-string table exactly as the general path does', async () => {
    const si = mostly(
      ['<si><t>tekst</t></si>', '<si><t></t></si>', '<si><t>_x0041_b</t></si>', '<si><t> a </t></si>', '<si><t xml:space="preserve"> a </t></si>'],
      [
        '<si/>',
        '<si><t>a &amp; b</t></si>',
        '<si><r><t>a</t></r><r><t>b</t></r></si>',
        '<si><t>a</t><rPh><t>b</t></rPh></si>',
        '<x:si><t>p</t></x:si>',
        '<si ><t>q</t></si>',
        '<si><t/></si>',
        '<rPh>',
        '</rPh>',
        '<t>',
        '<si><t>c<![CDATA[d]]></t></si>',
        '<si><t>niet afgesloten</t>',
        '</si>',
      ],
    );
    await fc.assert(
      fc.asyncProperty(fc.array(si, { maxLength: 8 }), async (strings) => {
        const cells = strings.map((_, i) => `<c t="s"><v>${i}</v></c>`).join('');
        const buf = book(`<row>${cells}</row>`, undefined, strings.join(''));
        expect(await read(buf, true)).toEqual(await read(buf, false));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses XML not nested as it must be where values are, on both paths: a value would be lost or shifted', async () => {
    const refused = (why: string) => `error: t.xlsx is geen leesbaar Excel-bestand (${why}). Open het in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).`;
    const cases: [string, string, string?][] = [
      // A </c> missing: the next cell would start over it.
      ['<row r="1"><c r="A1" t="s"><v>0</v><c r="B1"><v>7</v></c></row>', "blad 'Blad1', cel A1 is niet afgesloten"],
      ['<row r="1"><c r="A1"><v>7</v></row><row r="2"><c r="A2"><v>8</v></c></row>', "blad 'Blad1', cel A1 is niet afgesloten"],
      ['<row r="1"><c r="A1"><v>7</v>', "blad 'Blad1', cel A1 is niet afgesloten"],
      // A <c> missing: the value belongs to no cell.
      ['<row r="1"><c r="A1"><v>7</v></c><v>8</v></c></row>', "blad 'Blad1', <v> buiten een cel in rij 1"],
      ['<row r="1"><c r="A1"><v>7</v></c></c></row>', "blad 'Blad1', </c> buiten een cel in rij 1"],
      // A cell whose reference names another row (C4 inside row 3): oracles put it in row 4, in another student's row.
      ['<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c><c r="C4" t="inlineStr"><is><t>van der</t></is></c></row>', "blad 'Blad1', cel C4 staat in rij 3"],
      ['<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="C4"><v>7</v></c></row>', "blad 'Blad1', cel C4 staat in rij 3"],
      ['<row><c r="A1"><v>1</v></c></row><row><c r="A3"><v>2</v></c><c r="B4"><v>3</v></c></row>', "blad 'Blad1', cel B4 staat in rij 3"],
      ['<row><c r="A3"><v>1</v></c></row><row><c r="A2"><v>2</v></c></row>', "blad 'Blad1', cel A2 staat in rij 4"],
      // A shared string not closed (or closed twice): every later index would name another student's text.
      ['<row r="1"><c r="A1" t="s"><v>1</v></c></row>', 'gedeelde tekst 1 is niet afgesloten', '<si><t>a</t></si><si><t>b</t><si><t>c</t></si>'],
      ['<row r="1"><c r="A1" t="s"><v>1</v></c></row>', '</si> zonder <si> na gedeelde tekst 1', '<si><t>a</t></si><t>b</t></si><si><t>c</t></si>'],
    ];
    for (const [sheet, why, strings] of cases) {
      for (const fast of [true, false]) expect(await read(book(sheet, undefined, strings), fast), `${sheet} fast=${fast}`).toBe(refused(why));
    }
  });

  it('takes a row without r from its first cell when that names a later row (a writer that skips empty rows)', async () => {
    const sheet = '<row><c r="A1"><v>1</v></c></row><row><c r="A3" t="s"><v>1</v></c><c r="B3"><v>5</v></c></row><row><c r="A4"><v>6</v></c></row>';
    for (const fast of [true, false]) {
      expect(await read(book(sheet), fast)).toEqual([
        { row: 1, cells: ['1'] },
        { row: 3, cells: ['een & twee', '5'] },
        { row: 4, cells: ['6'] },
      ]);
      // From then on a cell without a reference has no sure place: openpyxl puts it in another row than this reader.
      for (const after of ['<row><c><v>6</v></c></row>', '<row r="4"><c r="A4"><v>6</v></c><c><v>7</v></c></row>']) {
        expect(await read(book(sheet.replace('<row><c r="A4"><v>6</v></c></row>', after)), fast)).toMatch(/cel zonder verwijzing in rij 4, in een blad waar de cellen de rijen nummeren/);
      }
    }
  });

  it('refuses a cell with two values (two <v>, two <is>) on both paths: gluing them made a Stamnr nobody has', async () => {
    for (const cell of ['<c r="A1"><v>100001</v><v>999999</v></c>', '<c r="A1" t="inlineStr"><is><t>a</t></is><is><t>b</t></is></c>', '<c r="A1"><v/><v>1</v></c>']) {
      for (const fast of [true, false])
        expect(await read(book(`<row r="1">${cell}</row>`), fast), cell).toBe(
          "error: t.xlsx is geen leesbaar Excel-bestand (blad 'Blad1', cel A1 heeft twee waarden). Open het in Excel en sla het opnieuw op als .xlsx (Excel-werkmap).",
        );
    }
  });
});
