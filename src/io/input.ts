import { constants } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileProblem, UserError } from '../core/errors.js';
import type { Sheet } from '../core/raw-row.js';
import { LIMITS } from './limits.js';
import { readZipDirectory } from './zip.js';

export type InputFormat = 'xlsx' | 'csv';

export interface InputFile {
  path: string;
  name: string;
  bytes: Buffer;
  format: InputFormat;
}

const RESAVE = 'Open het in Excel en kies Opslaan als > Excel-werkmap (.xlsx), of als CSV (gescheiden door lijstscheidingstekens).';
const CHOOSE = 'Kies het juiste bestand (.xlsx of .csv).';

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b];

/** A zip (.xlsx, .ods) or an old Excel file (.xls, encrypted .xlsx) by its first 8 bytes: no text starts so. */
export function isWorkbookHead(head: Buffer): boolean {
  return startsWith(head, ZIP) || startsWith(head, OLE);
}

/** What a file really is, by content — the extension is only what the user (or their PC) called it. */
function sniff(name: string, buf: Buffer): InputFormat {
  if (buf.length === 0) throw new UserError(`${name} is leeg (0 bytes). Kies het juiste bestand, of maak het opnieuw.`);
  // Browsers write a download under these names until it is complete: what is there is the start of the export.
  const partial = /\.(crdownload|part|partial|download|opdownload)$/i.exec(name);
  if (partial) {
    throw new UserError(
      `${name} is een download die nog niet klaar is (of afgebroken). Wacht tot de browser klaar is en kies het bestand zonder .${partial[1]}; lukt dat niet, download het dan opnieuw.`,
    );
  }
  if (startsWith(buf, OLE)) {
    if (buf.includes(Buffer.from('EncryptedPackage', 'utf16le')) || buf.includes(Buffer.from('EncryptionInfo', 'utf16le'))) {
      throw new UserError(
        `${name} is met een wachtwoord beveiligd. Open het in Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen > Versleutelen met wachtwoord: leegmaken) en sla op als .xlsx.`,
      );
    }
    // The same container holds Windows' thumbnail cache (Thumbs.db), Word 97, Outlook messages…
    if (/\.(db|doc|dot|ppt|pps|msg|msi|vsd|pub)$/i.test(name)) throw new UserError(`${name} is geen Excel- of CSV-bestand (een ander Windows- of Office-bestand). ${CHOOSE}`);
    throw new UserError(`${name} is een oud Excel-bestand (.xls, Excel 97–2003); dat leest numo-prep niet. ${RESAVE}`);
  }
  if (startsWith(buf, ZIP)) {
    let names: string[];
    try {
      names = [...readZipDirectory(buf).keys()];
    } catch (err) {
      throw new UserError(`${name} is een beschadigd of afgekapt Excel-bestand (${(err as Error).message}). ${RESAVE}`);
    }
    const lower = new Set(names.map((n) => n.toLowerCase()));
    if (lower.has('xl/workbook.xml')) return 'xlsx';
    // Its mimetype entry says so, stored uncompressed as the format asks; some writers (SheetJS) compress it.
    if ((lower.has('mimetype') || lower.has('meta-inf/manifest.xml')) && (buf.includes(Buffer.from('opendocument.spreadsheet')) || /\.ods$/i.test(name))) {
      throw new UserError(`${name} is een OpenDocument-rekenblad (.ods). Open het in LibreOffice of Excel en sla op als .xlsx.`);
    }
    if (names.some((n) => n.startsWith('word/'))) throw new UserError(`${name} is een Word-document, geen Excel-bestand. ${CHOOSE}`);
    if (names.some((n) => n.startsWith('ppt/'))) throw new UserError(`${name} is een PowerPoint-bestand, geen Excel-bestand. ${CHOOSE}`);
    // An Open Packaging file with its workbook elsewhere: the reader follows _rels/.rels to it.
    if (lower.has('_rels/.rels')) return 'xlsx';
    // A download packed as .zip (the export inside it); macOS adds __MACOSX/._ copies, which are no exports.
    if (names.some((n) => /\.(xlsx|csv)$/i.test(n) && !/(^|\/)(__MACOSX\/|\._)/.test(n))) {
      throw new UserError(`${name} is een zip-archief met daarin een Excel- of CSV-bestand. Pak het eerst uit (Windows: rechtsklik > Alles uitpakken; Mac: dubbelklik) en geef dat bestand.`);
    }
    throw new UserError(`${name} is een zip-bestand zonder Excel-werkmap. ${CHOOSE}`);
  }
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46])) throw new UserError(`${name} is een PDF, geen Excel- of CSV-bestand. Kies het juiste bestand (.xlsx of .csv), of exporteer opnieuw naar Excel.`);
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47]) || startsWith(buf, [0xff, 0xd8, 0xff]) || startsWith(buf, [0x47, 0x49, 0x46, 0x38])) {
    throw new UserError(`${name} is een afbeelding, geen Excel- of CSV-bestand. ${CHOOSE}`);
  }
  const head = textHead(buf);
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<table')) {
    throw new UserError(`${name} is een webpagina (HTML), ook al heet het misschien .xls. ${RESAVE}`);
  }
  if (head.startsWith('<?xml')) throw new UserError(`${name} is een XML-bestand (bijvoorbeeld Excel 2003 XML). ${RESAVE}`);
  if (isBinary(buf)) throw new UserError(`${name} is geen Excel- of CSV-bestand (binaire inhoud). ${CHOOSE}`);
  return 'csv';
}

/**
 * The start of a text file in lower case, for telling HTML and XML by: past a byte order mark (UTF-8 or UTF-16, as
 * a saved web page may have one) and past leading comments.
 */
function textHead(buf: Buffer): string {
  const HEAD = 2048;
  let text: string;
  if (startsWith(buf, [0xff, 0xfe])) text = buf.subarray(2, 2 + 2 * HEAD).toString('utf16le');
  else if (startsWith(buf, [0xfe, 0xff]))
    text = Buffer.from(buf.subarray(2, 2 + Math.min(2 * HEAD, (buf.length - 2) & ~1)))
      .swap16()
      .toString('utf16le');
  else text = buf.subarray(startsWith(buf, [0xef, 0xbb, 0xbf]) ? 3 : 0, HEAD).toString('latin1');
  text = text.trimStart();
  while (text.startsWith('<!--')) {
    const end = text.indexOf('-->');
    if (end < 0) break;
    text = text.slice(end + 3).trimStart();
  }
  return text.toLowerCase();
}

function isBinary(buf: Buffer): boolean {
  const sample = buf.subarray(0, 8192);
  if (startsWith(sample, [0xff, 0xfe]) || startsWith(sample, [0xfe, 0xff])) return false;
  let zeros = 0;
  let controls = 0;
  // Indexed, not for…of: a small run never leaves V8's baseline tiers, where an iterator costs per byte.
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) zeros++;
    else if (b < 9 || (b > 13 && b < 32)) controls++;
  }
  // UTF-16 without BOM has a zero in every other byte; anything else with zeros or many controls is binary.
  const utf16 = zeros > sample.length / 3 && zeros < (sample.length * 2) / 3;
  return (!utf16 && zeros > 0) || controls > sample.length / 20;
}

/**
 * Reads a whole file into memory (never a temp copy), checking what was opened — fstat on the descriptor, not
 * stat on the name, so nothing can be swapped in between. A FIFO, /dev/zero or a directory is refused before
 * one byte is read (O_NONBLOCK: opening a FIFO with no writer must not hang), and never more than maxBytes are read.
 */
export async function readRegularFile(path: string, maxBytes: number, tooBig: (size: number) => string): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw fileError(path, err);
  }
  let bytes: Buffer;
  try {
    const s = await handle.stat();
    if (s.isDirectory()) throw new UserError(`${path} is een map, geen bestand. Geef het pad naar het bestand zelf.`);
    if (!s.isFile()) throw new UserError(`${path} is geen gewoon bestand (maar een apparaat, pipe of socket). Geef het pad naar een bestand.`);
    if (s.size > maxBytes) throw new UserError(tooBig(s.size));
    // Read up to the size it had at the start, so the limit holds.
    bytes = Buffer.alloc(s.size);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    // A file that changed meanwhile (still being copied or saved) would be read cut off: its last row half.
    const after = await handle.stat();
    if (read !== s.size || after.size !== s.size || after.mtimeMs !== s.mtimeMs) {
      throw new UserError(`${basename(path)} veranderde terwijl numo-prep het las (wordt het nog gekopieerd of opgeslagen?). Wacht tot dat klaar is en probeer opnieuw.`);
    }
  } catch (err) {
    await handle.close().catch(() => {});
    throw fileError(path, err);
  }
  // A failing disk or network share may say so only here: said as a file that cannot be read, not unexpectedly.
  try {
    await handle.close();
  } catch (err) {
    throw fileError(path, err);
  }
  return bytes;
}

/** Reads a whole input file into memory and tells what it is. */
export async function loadInput(path: string): Promise<InputFile> {
  const name = basename(path);
  const bytes = await readRegularFile(
    path,
    LIMITS.fileBytes,
    (size) => `${name} is ${(size / 1024 / 1024).toFixed(0)} MiB; numo-prep leest bestanden tot ${LIMITS.fileBytes / 1024 / 1024} MiB. Exporteer alleen de benodigde kolommen.`,
  );
  return { path, name, bytes, format: sniff(name, bytes) };
}

/**
 * For tuning only: what reading the input at path will go through — the bytes of a CSV; for a zip (.xlsx) the sizes
 * its directory declares once unpacked (the zip layer refuses an entry that unpacks to more than it declares, so
 * this bounds the work) — or Infinity when it cannot be read (the real read says why; nothing is judged here).
 * Only a zip of at most readUpTo bytes is read; a larger file is sized by its length, which is no more than its
 * unpacked size give or take a deflate's overhead, so a caller that only asks "is it small?" gets the same answer
 * without holding a big file twice.
 */
export async function workBytes(path: string, readUpTo: number): Promise<number> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return Number.POSITIVE_INFINITY;
    if (st.size > readUpTo) return st.size;
    // The first two bytes say whether it is a zip; anything else is sized by its length, without reading it.
    const head = Buffer.alloc(2);
    const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    await handle.read(head, 0, 2, 0).finally(() => handle.close());
    if (!startsWith(head, [0x50, 0x4b])) return st.size;
    const bytes = await readRegularFile(path, readUpTo, () => '');
    let unpacked = 0;
    for (const e of readZipDirectory(bytes).values()) unpacked += e.size;
    return unpacked;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function fileError(path: string, err: unknown): unknown {
  if (err instanceof UserError) return err;
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      // A name from an old stick or zip in another encoding than the system's (Linux): the shell passes bytes that are
      // no text, Node reads them as �, and no file has that name.
      return new UserError(
        path.includes('\uFFFD')
          ? `Bestand niet gevonden: ${path}. In de naam staat een teken dat niet als tekst te lezen is (�); geef het bestand een naam met gewone letters.`
          : `Bestand niet gevonden: ${path}. Controleer het pad en de naam.`,
      );
    case 'EACCES':
    case 'EPERM':
      return new UserError(`Geen toegang tot ${path}. Sluit het bestand in Excel en controleer de rechten.`);
    case 'EISDIR':
      return new UserError(`${path} is een map, geen bestand.`);
    case 'EBUSY':
      return new UserError(`${path} is in gebruik (open in Excel?). Sluit het en probeer opnieuw.`);
    default:
      return new UserError(`Kan ${path} niet lezen: ${fileProblem((err as NodeJS.ErrnoException)?.code)}.`);
  }
}

/** The sheets of an input file; a CSV is one sheet. Heavy readers load only when needed. */
export async function sheetsOf(input: InputFile, o: { singleColumn?: boolean } = {}): Promise<Sheet[]> {
  // Once per file: a search that tries every source and role (a file that fits none) asks again and again, and
  // decoding a 100 MB CSV or the shared strings of a workbook each time cost seconds and one more copy in memory.
  // A sheet's rows can be read any number of times.
  const key = o.singleColumn ? 'single' : 'table';
  let cached = opened.get(input);
  if (!cached) opened.set(input, (cached = {}));
  cached[key] ??= openSheets(input, o);
  return cached[key];
}

const opened = new WeakMap<InputFile, { single?: Promise<Sheet[]>; table?: Promise<Sheet[]> }>();

async function openSheets(input: InputFile, o: { singleColumn?: boolean }): Promise<Sheet[]> {
  if (input.format === 'xlsx') {
    const { xlsxSheets } = await import('./xlsx.js');
    return xlsxSheets(input.name, input.bytes);
  }
  const { csvSheet } = await import('./csv-read.js');
  return [csvSheet(input.name, input.bytes, o)];
}
