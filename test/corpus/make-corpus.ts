/**
 * Builds the corpus of broken and hostile inputs in test/corpus/ (committed):
 *   npm run corpus
 * Files LibreOffice makes (.xls, .ods, LibreOffice .xlsx) are only rebuilt where `soffice` is installed.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { syntheticStudents } from '../../fixtures/students.js';
import { inlineStringXlsx, writeZip, type XCell, type ZipInput, type ZipShape } from '../../fixtures/zip-writer.js';
import { readZipDirectory } from '../../src/io/zip.js';
import { ORACLE_SHAPES } from './shapes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = (name: string) => join(root, 'test', 'corpus', name);
const fixture = (name: string) => join(root, 'fixtures', name);
const HEADERS = ['Stamnr', 'Roepnaam', 'Tussenv.', 'Achternaam', 'Klas', 'Studie', 'E-mail'];
const students = syntheticStudents(8, 99, 700001);
const rows: XCell[][] = students.map((s) => [s.stamnr, s.roepnaam, s.tussenvoegsel, s.achternaam, s.klas, s.studie, s.email]);
const csv = (lines: string[][], d = ';', eol = '\r\n') => lines.map((l) => l.join(d)).join(eol) + eol;
const csvRows = [HEADERS, ...rows.map((r) => r.map(String))];

/** A fake OLE compound file: right magic, and the stream names that tell .xls from an encrypted .xlsx. */
function ole(streams: string[]): Buffer {
  const head = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(head);
  const dir = Buffer.concat(
    streams.map((s) => {
      const e = Buffer.alloc(128);
      Buffer.from(s, 'utf16le').copy(e);
      return e;
    }),
  );
  return Buffer.concat([head, dir, Buffer.alloc(1024)]);
}

/** Rewrites one entry of a zip (re-deflated), keeping all others byte for byte. */
function replaceEntry(zip: Buffer, name: string, data: Buffer | string, rawDeflated?: Buffer): Buffer {
  const entries = [...readZipDirectory(zip).values()].map((e) => {
    const p = e.localOffset;
    const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
    const raw = zip.subarray(start, start + e.compressedSize);
    const content = e.method === 8 ? inflateRawSync(raw) : raw;
    return { name: e.name, data: e.name === name ? (Buffer.isBuffer(data) ? data : Buffer.from(data)) : content };
  });
  const rebuilt = writeZip(entries);
  if (!rawDeflated) return rebuilt;
  // Swap in broken compressed bytes for the entry, with its sizes left as they were.
  const e = readZipDirectory(rebuilt).get(name)!;
  const start = e.localOffset + 30 + rebuilt.readUInt16LE(e.localOffset + 26) + rebuilt.readUInt16LE(e.localOffset + 28);
  const copy = Buffer.from(rebuilt);
  rawDeflated.copy(copy, start, 0, Math.min(rawDeflated.length, e.compressedSize));
  return copy;
}

function sheetZip(sheetXml: Buffer | string, declaredSize?: number): Buffer {
  const base = inlineStringXlsx([{ name: 'Blad1', rows: [HEADERS] }]);
  const zip = replaceEntry(base, 'xl/worksheets/sheet1.xml', sheetXml);
  if (declaredSize === undefined) return zip;
  // A lying central directory: claims the sheet is small.
  const e = readZipDirectory(zip).get('xl/worksheets/sheet1.xml')!;
  const copy = Buffer.from(zip);
  copy.writeUInt32LE(declaredSize, e.localOffset + 22);
  const cdStart = copy.readUInt32LE(copy.length - 22 + 16);
  for (let p = cdStart; p < copy.length - 22; ) {
    const nameLen = copy.readUInt16LE(p + 28);
    if (copy.toString('utf8', p + 46, p + 46 + nameLen) === 'xl/worksheets/sheet1.xml') copy.writeUInt32LE(declaredSize, p + 24);
    p += 46 + nameLen + copy.readUInt16LE(p + 30) + copy.readUInt16LE(p + 32);
  }
  return copy;
}

/** A sheet XML of `count` identical rows: megabytes unpacked, kilobytes packed. */
function repeatedSheetZip(rowXml: string, count: number, declaredSize?: number, firstRow = ''): Buffer {
  const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${firstRow}`;
  const tail = '</sheetData></worksheet>';
  const chunk = rowXml.repeat(10_000);
  const parts = [head, ...Array.from({ length: Math.ceil(count / 10_000) }, () => chunk), tail];
  return sheetZip(Buffer.from(parts.join('')), declaredSize);
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** A cell as Excel writes it: numbers as numbers, text as a shared string (or inline when there is no table). */
function cellXml(ref: string, v: XCell, sst?: string[]): string {
  if (v === null || v === '') return '';
  if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
  if (!sst) return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`;
  let i = sst.indexOf(v);
  if (i < 0) i = sst.push(v) - 1;
  return `<c r="${ref}" t="s"><v>${i}</v></c>`;
}

const rowXml = (cells: XCell[], r: number, sst?: string[]) => `<row r="${r}">${cells.map((v, c) => cellXml(`${colName(c)}${r}`, v, sst)).join('')}</row>`;
const sheetDoc = (rowsXml: string) => `${DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData>${rowsXml}</sheetData></worksheet>`;
const sstDoc = (sst: string[], raw: (s: string) => string = xmlEscape) =>
  `${DECL}<sst xmlns="${MAIN_NS}" count="${sst.length}" uniqueCount="${sst.length}">${sst.map((s) => `<si><t xml:space="preserve">${raw(s)}</t></si>`).join('')}</sst>`;

/** The parts of a one-sheet workbook in Excel's layout, as text, for the shapes below to change. */
function bookParts(sheetXml: string, sst?: string): ZipInput[] {
  return [
    {
      name: '[Content_Types].xml',
      data:
        `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        (sst ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : '') +
        '</Types>',
    },
    { name: '_rels/.rels', data: `${DECL}<Relationships xmlns="${PKG_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `${DECL}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `${DECL}<Relationships xmlns="${PKG_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
        (sst ? `<Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
        '</Relationships>',
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml },
    ...(sst ? [{ name: 'xl/sharedStrings.xml', data: sst }] : []),
  ];
}

/** The export (header and students) with shared strings, as Excel writes it. */
function sharedExport(): ZipInput[] {
  const sst: string[] = [];
  const sheet = sheetDoc([HEADERS, ...rows].map((r, i) => rowXml(r, i + 1, sst)).join(''));
  return bookParts(sheet, sstDoc(sst));
}

const withPart = (parts: ZipInput[], name: string, edit: (xml: string) => string): ZipInput[] => parts.map((p) => (p.name === name ? { ...p, data: edit(String(p.data)) } : p));
const zipOf = (parts: ZipInput[], shape?: ZipShape) => writeZip(parts, shape);

/** Every element name in every part gets a prefix (what Python's ElementTree and some .NET writers do). */
function prefixed(xml: string, prefix: string): string {
  return xml.replace(/<(\/?)([A-Za-z][\w.-]*)(?=[\s>/])/g, `<$1${prefix}:$2`).replace(/ xmlns="/g, ` xmlns:${prefix}="`);
}

function encoded(xml: string, encoding: 'utf16le' | 'utf16be' | 'utf8bom'): Buffer {
  if (encoding === 'utf8bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]);
  const text = Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le');
  return encoding === 'utf16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), text]) : Buffer.concat([Buffer.from([0xff, 0xfe]), text]).swap16();
}

/** Strict OOXML (ISO 29500 strict): other namespaces and relationship types, the same element names. */
function strict(xml: string): string {
  return xml
    .replaceAll(`${REL_NS}/`, 'http://purl.oclc.org/ooxml/officeDocument/relationships/')
    .replaceAll(MAIN_NS, 'http://purl.oclc.org/ooxml/spreadsheetml/main')
    .replaceAll(REL_NS, 'http://purl.oclc.org/ooxml/officeDocument/relationships')
    .replace('<workbook ', '<workbook conformance="strict" ');
}

/** A sheet of `count` copies of one row, generated in pieces (some are hundreds of MiB unpacked). */
function bigSheet(head: string, piece: string, count: number, tail: string): Buffer {
  const chunk = Buffer.from(piece.repeat(Math.min(count, 10_000)));
  const pieces: Buffer[] = [Buffer.from(head)];
  for (let n = 0; n < count; n += 10_000) pieces.push(n + 10_000 <= count ? chunk : Buffer.from(piece.repeat(count - n)));
  pieces.push(Buffer.from(tail));
  return Buffer.concat(pieces);
}

/** Real-world shapes and hostile files for the own .xlsx reader (see README "Grenzen"). */
function readerShapes(): void {
  const all = [HEADERS, ...rows];
  const plainRowsXml = (sst?: string[]) => all.map((r, i) => rowXml(r, i + 1, sst)).join('');
  writeFileSync(out('vorm-gewoon.xlsx'), zipOf(sharedExport()));

  // Silent corruption before: an empty shared-string cell read as string 0 ("Stamnr").
  {
    const sst: string[] = [];
    const body = all.map((r, i) => rowXml(r, i + 1, sst)).join('');
    const empties = ['<v/>', '<v></v>', '<v> </v>'];
    // Students without a tussenvoegsel get the three empty forms, with the style Excel gives them.
    let n = 0;
    const emptied = body.replace(/<row r="(\d+)">((?:(?!<\/row>).)*)<\/row>/g, (m, r: string, cells: string) => {
      if (r === '1' || cells.includes(`r="C${r}"`) || n >= 3) return m;
      return `<row r="${r}">${cells.replace(`<c r="D${r}"`, `<c r="C${r}" t="s" s="0">${empties[n++]}</c><c r="D${r}"`)}</row>`;
    });
    writeFileSync(out('gedeeld-lege-v.xlsx'), zipOf(bookParts(sheetDoc(emptied), sstDoc(sst))));
    const badIndex = body.replace(/<c r="B3" t="s"><v>\d+<\/v>/, '<c r="B3" t="s"><v>1.5</v>');
    writeFileSync(out('gedeeld-index-fout.xlsx'), zipOf(bookParts(sheetDoc(badIndex), sstDoc(sst))));
  }

  // One <row> element per cell (.NET writers) and rows out of order.
  {
    const sst: string[] = [];
    const perCell = all.map((r, i) => r.map((v, c) => (v === null || v === '' ? '' : `<row r="${i + 1}">${cellXml(`${colName(c)}${i + 1}`, v, sst)}</row>`)).join(''));
    [perCell[3], perCell[4]] = [perCell[4]!, perCell[3]!];
    writeFileSync(out('rij-per-cel.xlsx'), zipOf(bookParts(sheetDoc(perCell.join('')), sstDoc(sst))));
    const again = all.map((r, i) => rowXml(r, i + 1));
    again.splice(4, 0, `<row r="3"><c r="H3"><v>1</v></c></row>`);
    writeFileSync(out('rij-dubbel-verspreid.xlsx'), zipOf(bookParts(sheetDoc(again.join('')))));
  }

  // _xHHHH_ escapes (every shared string starts with one) and raw CRLF in text; an attribute value that looks
  // like an attribute.
  {
    const sst: string[] = [];
    const withNote = all.map((r, i) => rowXml([...r, i === 0 ? 'Opmerking' : null], i + 1, sst)).join('');
    const escapedSst = sstDoc(sst, (t) => `_x${t.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_${xmlEscape(t.slice(1))}`);
    const note = withNote.replace('<row r="2">', '<row r="2"><c r="H2" t="inlineStr"><is><t>regel een\r\nregel_x0020_twee_x005F_x0041_</t></is></c>');
    writeFileSync(out('escapes.xlsx'), zipOf(bookParts(sheetDoc(note), escapedSst)));
    const plain: string[] = [];
    const tricky = plainRowsXml(plain).replace(/<c r="B2" /, `<c note='r="Z9" t="e"' r="B2" `);
    writeFileSync(out('attribuut-in-waarde.xlsx'), zipOf(bookParts(sheetDoc(tricky), sstDoc(plain))));
  }

  // Values XML doesn't allow, numbers that aren't XML numbers, unknown cell types.
  {
    const body = plainRowsXml();
    const a2 = (xml: string) => body.replace(/<c r="A2"><v>\d+<\/v><\/c>/, xml);
    writeFileSync(out('ongeldige-tekenreferentie.xlsx'), zipOf(bookParts(sheetDoc(body.replace(/(<c r="B2" t="inlineStr"><is><t xml:space="preserve">)/, '$1&#0;')))));
    const utf8 = Buffer.from(sheetDoc(body.replace(/(<c r="B2" t="inlineStr"><is><t xml:space="preserve">)/, '$1\u0000MARK')));
    const at = utf8.indexOf('\u0000MARK');
    const bad = Buffer.concat([utf8.subarray(0, at), Buffer.from([0xc3, 0x28]), utf8.subarray(at + 5)]);
    writeFileSync(out('ongeldige-utf8.xlsx'), zipOf(bookParts(bad as unknown as string)));
    writeFileSync(out('hex-getal.xlsx'), zipOf(bookParts(sheetDoc(a2('<c r="A2"><v>0x186A1</v></c>')))));
    writeFileSync(out('onbekend-celtype.xlsx'), zipOf(bookParts(sheetDoc(a2('<c r="A2" t="x"><v>700001</v></c>')))));
  }

  // Must read: encodings, Strict, prefixes, backslashes, the workbook elsewhere, ZIP64, data descriptors, stored.
  {
    const base = sharedExport();
    const recode = (e: 'utf16le' | 'utf16be' | 'utf8bom') => base.map((p) => (p.name.endsWith('.xml') || p.name.endsWith('.rels') ? { ...p, data: encoded(String(p.data), e) } : p));
    writeFileSync(out('utf16le-onderdelen.xlsx'), zipOf(recode('utf16le')));
    writeFileSync(out('utf16be-onderdelen.xlsx'), zipOf(recode('utf16be')));
    writeFileSync(out('utf8-bom-onderdelen.xlsx'), zipOf(recode('utf8bom')));
    writeFileSync(out('strict-ooxml.xlsx'), zipOf(base.map((p) => ({ ...p, data: strict(String(p.data)) }))));
    writeFileSync(out('voorvoegsels.xlsx'), zipOf(base.map((p) => ({ ...p, data: prefixed(String(p.data), 'ns0') }))));
    writeFileSync(out('backslash-namen.xlsx'), zipOf(base.map((p) => ({ ...p, name: p.name.replaceAll('/', '\\') }))));
    const moved = base
      .filter((p) => p.name !== 'xl/_rels/workbook.xml.rels')
      .map((p) => {
        if (p.name === '_rels/.rels') return { ...p, data: String(p.data).replace('Target="xl/workbook.xml"', 'Target="/data/boek.xml"') };
        if (p.name === '[Content_Types].xml') {
          return {
            ...p,
            data: String(p.data).replace('/xl/workbook.xml', '/data/boek.xml').replace('/xl/worksheets/sheet1.xml', '/data/bladen/een.xml').replace('/xl/sharedStrings.xml', '/data/teksten.xml'),
          };
        }
        if (p.name === 'xl/workbook.xml') return { ...p, name: 'data/boek.xml' };
        if (p.name === 'xl/worksheets/sheet1.xml') return { ...p, name: 'data/bladen/een.xml' };
        if (p.name === 'xl/sharedStrings.xml') return { ...p, name: 'data/teksten.xml' };
        return p;
      });
    moved.push({
      name: 'data/_rels/boek.xml.rels',
      data: `${DECL}<Relationships xmlns="${PKG_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="bladen/een.xml"/><Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="../data/teksten.xml"/></Relationships>`,
    });
    writeFileSync(out('werkmap-elders.xlsx'), zipOf(moved));
    writeFileSync(out('zip64.xlsx'), zipOf(base, { zip64: true }));
    writeFileSync(out('data-descriptor.xlsx'), zipOf(base, { descriptor: true }));
    writeFileSync(out('zip64-data-descriptor.xlsx'), zipOf(base, { zip64: true, descriptor: true }));
    writeFileSync(out('opgeslagen-onderdelen.xlsx'), zipOf(base.map((p) => ({ ...p, store: true }))));
    // A stored sheet with one byte changed after the CRC was taken: without the check a name reads differently.
    const stored = zipOf(base.map((p) => ({ ...p, store: true })));
    const at = stored.indexOf('Roepnaam');
    stored[at] = 0x72; // 'R' → 'r'
    writeFileSync(out('crc-fout.xlsx'), stored);
  }

  // Limits count data, not formatting.
  {
    const formatted = all
      .map(
        (r, i) =>
          `<row r="${i + 1}" s="1" customFormat="1">${r.map((v, c) => cellXml(`${colName(c)}${i + 1}`, v)).join('')}` +
          Array.from({ length: (i === 0 ? 16_384 : 1_024) - 7 }, (_, k) => `<c r="${colName(k + 7)}${i + 1}" s="1"/>`).join('') +
          '</row>',
      )
      .join('');
    writeFileSync(out('opgemaakt-tot-xfd.xlsx'), zipOf(bookParts(sheetDoc(`${formatted}<row r="1048576" s="1" customFormat="1"/>`))));
    const wide = all.map((r, i) => rowXml(r, i + 1)).map((x, i) => (i === 2 ? x.replace('</row>', '<c r="ALM3"><v>1</v></c></row>') : x));
    writeFileSync(out('waarde-na-kolom-1000.xlsx'), zipOf(bookParts(sheetDoc(wide.join('')))));
    writeFileSync(out('lege-rijen.xlsx'), zipOf(bookParts(bigSheet(sheetDoc('').replace('</sheetData></worksheet>', ''), '<row/>', 1_000_000, '</sheetData></worksheet>') as unknown as string)));
  }

  // Hostile: each must end within seconds and 300 MiB, with a short message.
  {
    const head = sheetDoc('').replace('</sheetData></worksheet>', '');
    const tail = '</sheetData></worksheet>';
    const header = rowXml(HEADERS, 1);
    writeFileSync(out('tab-lange-token.xlsx'), zipOf(bookParts(`${head}${header}<row r="2"><c\t${'x'.repeat(900_000)}/></row>${tail}`)));
    const manyAttrs = Array.from({ length: 100_000 }, (_, i) => ` a${i}="b"`).join('');
    writeFileSync(
      out('lange-relationship.xlsx'),
      zipOf(withPart(bookParts(sheetDoc(plainRowsXml())), 'xl/_rels/workbook.xml.rels', (x) => x.replace('<Relationship Id="rId1"', `<Relationship${manyAttrs} Id="rId1"`))),
    );
    writeFileSync(out('cdata-ampersands.xlsx'), zipOf(bookParts(`${head}${header}<row r="2"><c r="B2" t="inlineStr"><is><t><![CDATA[${'&'.repeat(200_000)}]]></t></is></c></row>${tail}`)));
    writeFileSync(out('cel-250mib.xlsx'), zipOf(bookParts(bigSheet(`${head}${header}<row r="2"><c r="A2"><v>`, '1'.repeat(1024), 250 * 1024, `</v></c></row>${tail}`) as unknown as string)));
    const blank = bigSheet(head, ' '.repeat(1024), 200 * 1024, tail);
    const three = bookParts(blank as unknown as string);
    three.push({ name: 'xl/worksheets/sheet2.xml', data: blank }, { name: 'xl/worksheets/sheet3.xml', data: blank });
    writeFileSync(
      out('bom-archief.xlsx'),
      zipOf(
        withPart(
          withPart(three, 'xl/workbook.xml', (x) => x.replace('</sheets>', '<sheet name="Blad2" sheetId="2" r:id="rId2"/><sheet name="Blad3" sheetId="3" r:id="rId3"/></sheets>')),
          'xl/_rels/workbook.xml.rels',
          (x) =>
            x.replace(
              '</Relationships>',
              `<Relationship Id="rId2" Type="${REL_NS}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${REL_NS}/worksheet" Target="worksheets/sheet3.xml"/></Relationships>`,
            ),
        ),
      ),
    );
    const sheets = 100_000;
    const workbook = `${DECL}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${Array.from({ length: sheets }, (_, i) => `<sheet name="B${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`;
    const rels = `${DECL}<Relationships xmlns="${PKG_NS}">${Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/${i + 1 === sheets ? 'sheet1' : 'leeg'}.xml"/>`).join('')}</Relationships>`;
    const many = withPart(
      withPart(bookParts(sheetDoc(plainRowsXml())), 'xl/workbook.xml', () => workbook),
      'xl/_rels/workbook.xml.rels',
      () => rels,
    );
    many.push({ name: 'xl/worksheets/leeg.xml', data: sheetDoc('') });
    writeFileSync(out('veel-werkbladen.xlsx'), zipOf(many));
    const parts = sharedExport();
    writeFileSync(out('dubbele-onderdelen.xlsx'), zipOf([...parts, { name: 'XL/worksheets/sheet1.xml', data: sheetDoc(rowXml(['Stamnr'], 1)) }]));
    writeFileSync(out('overlappende-onderdelen.xlsx'), overlapping(zipOf(parts)));
    writeFileSync(
      out('gedeelde-teksten-te-veel.xlsx'),
      zipOf(
        withPart(sharedExport(), 'xl/sharedStrings.xml', () => '').map((p) =>
          p.name === 'xl/sharedStrings.xml' ? { ...p, data: bigSheet(`${DECL}<sst xmlns="${MAIN_NS}">`, '<si><t>a</t></si>', 4_000_001, '</sst>') } : p,
        ),
      ),
    );
    const laughs = `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`;
    writeFileSync(out('doctype.xlsx'), zipOf(bookParts(sheetDoc(plainRowsXml()).replace(DECL, laughs).replace('>Stamnr<', '>&c;<'))));
    writeFileSync(
      out('binair.xlsb'),
      zipOf(
        withPart(bookParts(sheetDoc('')), '_rels/.rels', (x) => x.replace('xl/workbook.xml', 'xl/workbook.bin')).map((p) =>
          p.name === 'xl/workbook.xml' ? { ...p, name: 'xl/workbook.bin', data: Buffer.from([0x83, 1, 0]) } : p,
        ),
      ),
    );
    writeFileSync(out('latin1-onderdeel.xlsx'), zipOf(withPart(bookParts(sheetDoc(plainRowsXml())), 'xl/worksheets/sheet1.xml', (x) => x.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'))));
  }
}

/** The sheet's central-directory entry pointed at the workbook's bytes: two entries share data. */
function overlapping(zip: Buffer): Buffer {
  const dir = readZipDirectory(zip);
  const copy = Buffer.from(zip);
  const target = dir.get('xl/workbook.xml')!.localOffset;
  const cdStart = copy.readUInt32LE(copy.length - 22 + 16);
  for (let p = cdStart; p < copy.length - 22; ) {
    const nameLen = copy.readUInt16LE(p + 28);
    if (copy.toString('utf8', p + 46, p + 46 + nameLen) === 'xl/_rels/workbook.xml.rels') copy.writeUInt32LE(target, p + 42);
    p += 46 + nameLen + copy.readUInt16LE(p + 30) + copy.readUInt16LE(p + 32);
  }
  return copy;
}

async function main(): Promise<void> {
  readerShapes();

  const plain = readFileSync(fixture('magister-export.xlsx'));

  // Not a spreadsheet.
  writeFileSync(out('leeg.xlsx'), '');
  writeFileSync(out('document-pdf.xlsx'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
  writeFileSync(out('plaatje.png'), Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
  let seed = 7;
  writeFileSync(out('willekeurig.xlsx'), Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) & 0xff))));
  writeFileSync(
    out('word.docx'),
    writeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]),
  );
  writeFileSync(out('export.xlsx.html.xls'), '<html><body><table><tr><td>Stamnr</td></tr></table></body></html>');
  // Folder clutter next to a download: the download unfinished, packed in a zip, Windows' thumbnail cache.
  writeFileSync(out('export.xlsx.crdownload'), plain.subarray(0, Math.floor(plain.length / 2)));
  writeFileSync(out('export-download.zip'), writeZip([{ name: 'Deelnemers export.xlsx', data: plain }]));
  writeFileSync(out('Thumbs.db'), ole(['Root Entry', 'Catalog', '256_0123456789abcdef']));

  // Broken Excel files.
  for (const [name, at] of [
    ['afgekapt-10.xlsx', 0.1],
    ['afgekapt-50.xlsx', 0.5],
    ['afgekapt-95.xlsx', 0.95],
  ] as const) {
    writeFileSync(out(name), plain.subarray(0, Math.floor(plain.length * at)));
  }
  writeFileSync(out('kapotte-zip-entry.xlsx'), replaceEntry(plain, 'xl/worksheets/sheet1.xml', readFileSync(fixture('magister-export.xlsx')), Buffer.alloc(64, 0xff)));
  writeFileSync(out('kapotte-sheet-xml.xlsx'), sheetZip('<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Stamnr</t></is></c></row><row r="2"><c r=</sheetData>'));
  writeFileSync(out('oud-excel.xls'), ole(['Root Entry', 'Workbook', '\u0005SummaryInformation']));
  writeFileSync(out('beveiligd.xlsx'), ole(['Root Entry', 'EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']));
  writeFileSync(
    out('rekenblad.ods'),
    writeZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true },
      { name: 'content.xml', data: '<office:document-content/>' },
    ]),
  );

  // Sheets with the wrong contents.
  const noSheets = replaceEntry(
    inlineStringXlsx([{ name: 'Blad1', rows: [HEADERS] }]),
    'xl/workbook.xml',
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
  );
  writeFileSync(out('geen-werkbladen.xlsx'), noSheets);
  writeFileSync(out('leeg-werkblad.xlsx'), inlineStringXlsx([{ name: 'Blad1', rows: [] }]));
  writeFileSync(out('alleen-kopregel.xlsx'), inlineStringXlsx([{ name: 'Blad1', rows: [HEADERS] }]));
  writeFileSync(out('geen-kopregel.xlsx'), inlineStringXlsx([{ name: 'Blad1', rows: [['Overzicht'], [1, 2, 3], [4, 5, 6]] }]));
  writeFileSync(
    out('kop-zonder-studie.xlsx'),
    inlineStringXlsx([{ name: 'Blad1', rows: [['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Mentor'], ...rows.map((r) => [r[0]!, r[1]!, r[3]!, r[4]!, 'X'])] }]),
  );
  writeFileSync(
    out('tweede-blad.xlsx'),
    inlineStringXlsx([
      { name: 'Uitleg', rows: [['Zie het tweede blad'], ['Gemaakt door de administratie']] },
      { name: 'Export', rows: [HEADERS, ...rows] },
    ]),
  );

  // Hostile sizes.
  writeFileSync(out('bom-eerlijk.xlsx'), repeatedSheetZip(' '.repeat(1000), 300_000));
  writeFileSync(out('bom-liegt.xlsx'), repeatedSheetZip(' '.repeat(1000), 300_000, 1000));
  writeFileSync(
    out('miljoen-rijen.xlsx'),
    repeatedSheetZip('<row><c><v>1</v></c></row>', 1_000_000, undefined, `<row>${HEADERS.map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`),
  );
  // test/process.test.ts ("signals during a long read"): 250 students (more than the 200 rows sampled before the
  // output is opened), then 300,000 formatted empty rows, then 8 students: about a second of reading while the output
  // is open. Made here, not in the test: building and deflating its 27 MB sheet cost ~0.8 s of CPU on every run.
  {
    const people = syntheticStudents(258, 5, 700001).map((s) => [s.stamnr, s.roepnaam, s.achternaam, s.klas, s.studie]);
    const base = inlineStringXlsx([{ name: 'Blad1', rows: [['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Studie'], ...people] }]);
    const empty = `<row>${'<c s="1"/>'.repeat(8)}</row>`.repeat(300_000);
    const parts = [...readZipDirectory(base).values()].map((e) => {
      const data = inflateRawSync(base.subarray(e.dataStart, e.dataStart + e.compressedSize)).toString();
      return { name: e.name, data: e.name.endsWith('sheet1.xml') ? data.replace(/(<row\b(?:(?!<row\b).)*?<\/row>){251}/s, (head) => head + empty) : data };
    });
    writeFileSync(out('lange-lege-opmaak.xlsx'), writeZip(parts));
  }
  const wide = Array.from({ length: 16_384 }, (_, i) => `<c r="${colName(i)}1" t="inlineStr"><is><t>k${i}</t></is></c>`).join('');
  writeFileSync(
    out('16384-kolommen.xlsx'),
    sheetZip(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${wide}</row></sheetData></worksheet>`),
  );

  // CSV in every encoding and shape admins produce.
  const text = csv(csvRows);
  writeFileSync(out('utf16le-bom.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(csvRows, '\t'), 'utf16le')]));
  writeFileSync(out('utf16be-bom.csv'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
  writeFileSync(out('windows-1252.csv'), Buffer.from(csv([HEADERS, ['700101', 'Zoë', '', 'Müller', '1A', '2 havo', ''], ['700102', 'José', 'de', 'Brouwer-Émile', '1A', '2 havo', '']]), 'latin1'));
  writeFileSync(out('utf8-bom.csv'), `\uFEFF${text}`);
  writeFileSync(out('utf8.csv'), text);
  writeFileSync(
    out('gemengde-regeleinden.csv'),
    `${csvRows
      .map((r) => r.join(';'))
      .join('\n')
      .replace(/\n(?=7000\d[02468])/g, '\r\n')
      .replace(/\n(?=70000[13579])/g, '\r')}\n`,
  );
  writeFileSync(out('open-aanhalingsteken.csv'), `${HEADERS.join(';')}\r\n700001;"Jan;;Vries;1A;2 havo;\r\n700002;Piet;;Bos;1A;2 havo;\r\n`);
  writeFileSync(out('rafelig.csv'), `${HEADERS.join(';')}\r\n700001;Jan;;Vries;1A;2 havo\r\n700002;Piet;;Bos;1A;2 havo;p@school.nl;extra;nog meer\r\n700003;Els;;Smit;1A;2 havo;\r\n`);
  writeFileSync(out('puntkomma-in-naam.csv'), `${HEADERS.join(';')}\r\n700001;"Jan; Piet";;"Vries; de";1A;2 havo;\r\n`);
  writeFileSync(out('alleen-kopregel.csv'), `${HEADERS.join(';')}\r\n`);
  writeFileSync(out('onbekend-scheidingsteken.csv'), csv(csvRows, '#'));
  writeFileSync(
    out('nfd-en-onzichtbaar.csv'),
    `${HEADERS.join(';')}\r\n700001;Zoe\u0308;;Bakker\u200B;1A;2 havo;\r\n700002;Zo\u00eb;;Bakker\u0007;1A;2 havo;\r\n700003;\u00a0Noor\u00a0\u00a0;van\u00a0der;Berg;1A;2 havo;\r\n`,
  );
  writeFileSync(out('cel-500-tekens.csv'), `${HEADERS.join(';')}\r\n700001;${'A'.repeat(500)};;Vries;1A;2 havo;\r\n`);
  writeFileSync(
    out('formules.csv'),
    `${HEADERS.join(';')}\r\n700001;"=cmd|' /C calc'!A0";;"+31612345678 Vries";1A;2 havo;\r\n700002;"-2+3 Bas";;"@SUM(A1)";1A;2 havo;\r\n700003;"\tTab";;"\r\nRegel";1A;2 havo;\r\n`,
  );

  // Mapping and IDGebr files with the same problems.
  writeFileSync(out('mapping-pdf.csv'), '%PDF-1.4\n%%EOF\n');
  writeFileSync(out('mapping-conflict.csv'), 'Studie;Opleidingscode\r\n2 havo;VB-HAVO-2\r\n2 HAVO ;VB-HAVO-3\r\n');
  writeFileSync(
    out('mapping-utf16.csv'),
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Studie\tOpleidingscode\r\n1 havo\tVB-HAVO-1\r\n1 kader\tVB-VMBO-KB-1\r\n2 havo\tVB-HAVO-2\r\n2 vwo\tVB-VWO-2\r\n3 mavo\tVB-VMBO-GT-3\r\n3 vwo gymn\tVB-VWO-3\r\n', 'utf16le'),
    ]),
  );
  writeFileSync(out('idgebr-beveiligd.xlsx'), ole(['Root Entry', 'EncryptionInfo', 'EncryptedPackage']));
  writeFileSync(out('idgebr-zonder-kop.csv'), '700001;35001\r\n700002;35002\r\n');
  writeFileSync(out('idgebr-dubbel.csv'), 'Stamnr;IDGebr\r\n700001;35001\r\n700001;35009\r\n');
  writeFileSync(out('config-geen-json.json'), '{ "mapping": "x.csv", }');
  writeFileSync(out('config-schema.json'), JSON.stringify({ mapping: 'x.csv', encoding: 'latin1' }));

  // Files other programs write.
  const soffice = ['soffice', 'libreoffice'].find(has);
  if (soffice) {
    const work = mkdtempSync(join(tmpdir(), 'corpus-lo-'));
    copyFileSync(fixture('magister-export-bewerkt.xlsx'), join(work, 'libreoffice.xlsx'));
    for (const [filter, ext] of [
      ['MS Excel 97', 'xls'],
      ['calc8', 'ods'],
      ['Calc MS Excel 2007 XML', 'xlsx'],
    ] as const) {
      const dest = join(work, 'lo');
      execFileSync(soffice, ['--headless', '--convert-to', `${ext}:${filter}`, '--outdir', dest, join(work, 'libreoffice.xlsx')], { stdio: 'ignore' });
      copyFileSync(join(dest, `libreoffice.${ext}`), out(`libreoffice.${ext}`));
    }
    rmSync(work, { recursive: true, force: true });
  } else if (!existsSync(out('libreoffice.xlsx'))) {
    process.stderr.write('soffice ontbreekt: LibreOffice-bestanden niet gemaakt\n');
  }
  const python = ['python3', '/usr/bin/python3'].find((py) => execOk(py, ['-c', 'import openpyxl']));
  if (python) {
    // openpyxl: a title row, Stamnr as numbers, a formula cell without cached value (openpyxl never calculates).
    const py = [
      'import openpyxl, sys, json',
      'rows = json.loads(sys.argv[2])',
      'wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Deelnemers"',
      'ws.append(["Deelnemers overzicht"]); ws.append([])',
      'for r in rows: ws.append(r)',
      'wb.save(sys.argv[1])',
    ].join('\n');
    execFileSync(python, ['-c', py, out('openpyxl.xlsx'), JSON.stringify(csvRows.map((r, i) => (i === 0 ? r : [Number(r[0]), ...r.slice(1)])))]);
  }
  if (python) writeOracle(python);
  process.stdout.write('corpus geschreven\n');
}

function writeOracle(python: string): void {
  // Cells by coordinate (ws._cells), not iter_rows: a sheet formatted up to XFD1048576 would be billions of cells.
  const py = [
    'import openpyxl, sys, json',
    'out = {}',
    'for path in sys.argv[1:]:',
    '    name = path.split("/")[-1]',
    '    try:',
    '        ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]',
    '        rows = {}',
    '        for (r, c), cell in ws._cells.items():',
    '            v = cell.value',
    '            if v is None or v == "": continue',
    '            if isinstance(v, float) and v.is_integer(): v = int(v)',
    '            rows.setdefault(r, {})[c] = str(v)',
    '        out[name] = [{"row": r, "cells": [rows[r].get(c, "") for c in range(1, max(rows[r]) + 1)]} for r in sorted(rows)]',
    '    except Exception as e:',
    '        out[name] = {"error": type(e).__name__}',
    'print(json.dumps(out, ensure_ascii=False, indent=1))',
  ].join('\n');
  const json = execFileSync(python, ['-c', py, ...ORACLE_SHAPES.map(out)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  writeFileSync(out('oracle-openpyxl.json'), json);
}

function execOk(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const has = (cmd: string) => execOk('which', [cmd]);

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

await main();
