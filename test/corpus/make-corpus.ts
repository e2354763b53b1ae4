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
import { inlineStringXlsx, writeZip, type XCell } from '../../fixtures/zip-writer.js';
import { readZipDirectory } from '../../src/io/zip.js';

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
  const dir = Buffer.concat(streams.map((s) => {
    const e = Buffer.alloc(128);
    Buffer.from(s, 'utf16le').copy(e);
    return e;
  }));
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
  for (let p = cdStart; p < copy.length - 22;) {
    const nameLen = copy.readUInt16LE(p + 28);
    if (copy.toString('utf8', p + 46, p + 46 + nameLen) === 'xl/worksheets/sheet1.xml') copy.writeUInt32LE(declaredSize, p + 24);
    p += 46 + nameLen + copy.readUInt16LE(p + 30) + copy.readUInt16LE(p + 32);
  }
  return copy;
}

/** A sheet XML of `count` identical rows: megabytes unpacked, kilobytes packed. */
function repeatedSheetZip(rowXml: string, count: number, declaredSize?: number): Buffer {
  const head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const tail = '</sheetData></worksheet>';
  const chunk = rowXml.repeat(10_000);
  const parts = [head, ...Array.from({ length: Math.ceil(count / 10_000) }, () => chunk), tail];
  return sheetZip(Buffer.from(parts.join('')), declaredSize);
}

async function main(): Promise<void> {
  const plain = readFileSync(fixture('magister-export.xlsx'));

  // Not a spreadsheet.
  writeFileSync(out('leeg.xlsx'), '');
  writeFileSync(out('document-pdf.xlsx'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
  writeFileSync(out('plaatje.png'), Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
  let seed = 7;
  writeFileSync(out('willekeurig.xlsx'), Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) & 0xff))));
  writeFileSync(out('word.docx'), writeZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>' }]));
  writeFileSync(out('export.xlsx.html.xls'), '<html><body><table><tr><td>Stamnr</td></tr></table></body></html>');

  // Broken Excel files.
  for (const [name, at] of [['afgekapt-10.xlsx', 0.1], ['afgekapt-50.xlsx', 0.5], ['afgekapt-95.xlsx', 0.95]] as const) {
    writeFileSync(out(name), plain.subarray(0, Math.floor(plain.length * at)));
  }
  writeFileSync(out('kapotte-zip-entry.xlsx'), replaceEntry(plain, 'xl/worksheets/sheet1.xml', readFileSync(fixture('magister-export.xlsx')), Buffer.alloc(64, 0xff)));
  writeFileSync(out('kapotte-sheet-xml.xlsx'), sheetZip('<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Stamnr</t></is></c></row><row r="2"><c r=</sheetData>'));
  writeFileSync(out('oud-excel.xls'), ole(['Root Entry', 'Workbook', '\u0005SummaryInformation']));
  writeFileSync(out('beveiligd.xlsx'), ole(['Root Entry', 'EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']));
  writeFileSync(out('rekenblad.ods'), writeZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true }, { name: 'content.xml', data: '<office:document-content/>' }]));

  // Sheets with the wrong contents.
  const noSheets = replaceEntry(inlineStringXlsx([{ name: 'Blad1', rows: [HEADERS] }]), 'xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>');
  writeFileSync(out('geen-werkbladen.xlsx'), noSheets);
  writeFileSync(out('leeg-werkblad.xlsx'), inlineStringXlsx([{ name: 'Blad1', rows: [] }]));
  writeFileSync(out('alleen-kopregel.xlsx'), inlineStringXlsx([{ name: 'Blad1', rows: [HEADERS] }]));
  writeFileSync(out('geen-kopregel.xlsx'), inlineStringXlsx([{ name: 'Blad1', rows: [['Overzicht'], [1, 2, 3], [4, 5, 6]] }]));
  writeFileSync(out('kop-zonder-studie.xlsx'), inlineStringXlsx([{ name: 'Blad1', rows: [['Stamnr', 'Roepnaam', 'Achternaam', 'Klas', 'Mentor'], ...rows.map((r) => [r[0]!, r[1]!, r[3]!, r[4]!, 'X'])] }]));
  writeFileSync(out('tweede-blad.xlsx'), inlineStringXlsx([{ name: 'Uitleg', rows: [['Zie het tweede blad'], ['Gemaakt door de administratie']] }, { name: 'Export', rows: [HEADERS, ...rows] }]));

  // Hostile sizes.
  writeFileSync(out('bom-eerlijk.xlsx'), repeatedSheetZip(' '.repeat(1000), 300_000));
  writeFileSync(out('bom-liegt.xlsx'), repeatedSheetZip(' '.repeat(1000), 300_000, 1000));
  writeFileSync(out('miljoen-rijen.xlsx'), repeatedSheetZip('<row/>', 1_000_000));
  const wide = Array.from({ length: 16_384 }, (_, i) => `<c r="${colName(i)}1" t="inlineStr"><is><t>k${i}</t></is></c>`).join('');
  writeFileSync(out('16384-kolommen.xlsx'), sheetZip(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${wide}</row></sheetData></worksheet>`));

  // CSV in every encoding and shape admins produce.
  const text = csv(csvRows);
  writeFileSync(out('utf16le-bom.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(csvRows, '\t'), 'utf16le')]));
  writeFileSync(out('utf16be-bom.csv'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
  writeFileSync(out('windows-1252.csv'), Buffer.from(csv([HEADERS, ['700101', 'Zoë', '', 'Müller', '1A', '2 havo', ''], ['700102', 'José', 'de', 'Brouwer-Émile', '1A', '2 havo', '']]), 'latin1'));
  writeFileSync(out('utf8-bom.csv'), `\uFEFF${text}`);
  writeFileSync(out('utf8.csv'), text);
  writeFileSync(out('gemengde-regeleinden.csv'), csvRows.map((r) => r.join(';')).join('\n').replace(/\n(?=7000\d[02468])/g, '\r\n').replace(/\n(?=70000[13579])/g, '\r') + '\n');
  writeFileSync(out('open-aanhalingsteken.csv'), `${HEADERS.join(';')}\r\n700001;"Jan;;Vries;1A;2 havo;\r\n700002;Piet;;Bos;1A;2 havo;\r\n`);
  writeFileSync(out('rafelig.csv'), `${HEADERS.join(';')}\r\n700001;Jan;;Vries;1A;2 havo\r\n700002;Piet;;Bos;1A;2 havo;p@school.nl;extra;nog meer\r\n700003;Els;;Smit;1A;2 havo;\r\n`);
  writeFileSync(out('puntkomma-in-naam.csv'), `${HEADERS.join(';')}\r\n700001;"Jan; Piet";;"Vries; de";1A;2 havo;\r\n`);
  writeFileSync(out('alleen-kopregel.csv'), `${HEADERS.join(';')}\r\n`);
  writeFileSync(out('onbekend-scheidingsteken.csv'), csv(csvRows, '#'));
  writeFileSync(out('nfd-en-onzichtbaar.csv'), `${HEADERS.join(';')}\r\n700001;Zoe\u0308;;Bakker\u200B;1A;2 havo;\r\n700002;Zo\u00eb;;Bakker\u0007;1A;2 havo;\r\n700003;\u00a0Noor\u00a0\u00a0;van\u00a0der;Berg;1A;2 havo;\r\n`);
  writeFileSync(out('cel-500-tekens.csv'), `${HEADERS.join(';')}\r\n700001;${'A'.repeat(500)};;Vries;1A;2 havo;\r\n`);
  writeFileSync(out('formules.csv'), `${HEADERS.join(';')}\r\n700001;"=cmd|' /C calc'!A0";;"+31612345678";1A;2 havo;\r\n700002;"-2+3";;"@SUM(A1)";1A;2 havo;\r\n700003;"\tTab";;"\r\nRegel";1A;2 havo;\r\n`);

  // Mapping and IDGebr files with the same problems.
  writeFileSync(out('mapping-pdf.csv'), '%PDF-1.4\n%%EOF\n');
  writeFileSync(out('mapping-conflict.csv'), 'Studie;Opleidingscode\r\n2 havo;VB-HAVO-2\r\n2 HAVO ;VB-HAVO-3\r\n');
  writeFileSync(out('mapping-utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Studie\tOpleidingscode\r\n1 havo\tVB-HAVO-1\r\n1 kader\tVB-VMBO-KB-1\r\n2 havo\tVB-HAVO-2\r\n2 vwo\tVB-VWO-2\r\n3 mavo\tVB-VMBO-GT-3\r\n3 vwo gymn\tVB-VWO-3\r\n', 'utf16le')]));
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
    for (const [filter, ext] of [['MS Excel 97', 'xls'], ['calc8', 'ods'], ['Calc MS Excel 2007 XML', 'xlsx']] as const) {
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
  process.stdout.write('corpus geschreven\n');
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
