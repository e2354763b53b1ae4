import { setImmediate as nextTurn } from 'node:timers/promises';
import * as zlib from 'node:zlib';

// A zip reader of our own (see README "Grenzen"): the .xlsx is already in memory, so reading the central
// directory is a few lines; we need control that zip libraries don't give together — no temp files, entries
// inflated lazily and in 64 KiB pieces, CRC-32 checked, sizes capped per entry and per archive, overlapping or
// duplicate entries refused, ZIP64 read — and the event loop kept free so Ctrl+C works during a long read.

export interface ZipEntry {
  /** The name as stored, with backslashes turned into slashes and leading slashes dropped. */
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Where the (compressed) data starts, after the local header. */
  dataStart: number;
}

export class ZipFormatError extends Error {}
/** An entry or the whole archive unpacks to more than its cap. */
export class ZipLimitError extends Error {
  constructor(readonly scope: 'entry' | 'archive') {
    super(scope);
  }
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;
const MAX32 = 0xffffffff;
/** Inflated bytes per piece handed to the reader, and between two turns of the event loop. */
const PIECE = 64 * 1024;
const YIELD_EVERY = 1024 * 1024;
/** More parts than this is no workbook (the hostile corpus's 100,000 sheets still fit, and are refused by name). */
const MAX_ENTRIES = 200_000;
/** Entries up to this size are inflated in one synchronous call. */
const SMALL = 256 * 1024;

type Crc = (data: Uint8Array, value: number) => number;
// zlib.crc32 arrived in Node 20.15 / 22.2; the table is for older runtimes only.
const crc32: Crc = (zlib as { crc32?: Crc }).crc32 ?? tableCrc32;

let table: Int32Array | undefined;
/** CRC-32 from a table; exported for the test that holds it equal to zlib's. */
export function tableCrc32(data: Uint8Array, value: number): number {
  table ??= Int32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('zip64-waarde te groot');
  return Number(v);
}

/** The end-of-central-directory record: the last signature whose comment length reaches exactly the end of the file. */
function findEnd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  // Some writers leave junk after the comment; accept the last signature then.
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  throw new ZipFormatError('geen zip-inhoudsopgave');
}

/** A part name for a message: a hostile zip can have names of 64 KiB. */
export function shortName(name: string): string {
  return name.length > 80 ? `${name.slice(0, 77)}…` : name;
}

function normaliseName(raw: string): string {
  let name = raw.includes('\\') ? raw.replaceAll('\\', '/') : raw;
  let i = 0;
  while (name.charCodeAt(i) === 0x2f) i++;
  if (i) name = name.slice(i);
  return name;
}

/**
 * Reads the central directory of an in-memory zip, ZIP64 included. Throws ZipFormatError on anything
 * inconsistent: entries outside the file, overlapping entries, the same name twice (names compare without
 * regard to case, as part names do in .xlsx).
 */
export function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  if (buf.length < 22) throw new ZipFormatError('geen zip-inhoudsopgave');
  const eocd = findEnd(buf);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) throw new ZipFormatError('zip over meerdere delen');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  // The directory must end where the end record (or the ZIP64 end record) starts.
  let dirLimit = eocd;
  const locator = eocd - 20;
  if (locator >= 0 && buf.readUInt32LE(locator) === EOCD64_LOCATOR) {
    const at = u64(buf, locator + 8);
    if (at + 56 > locator || buf.readUInt32LE(at) !== EOCD64) throw new ZipFormatError('zip64-inhoudsopgave beschadigd');
    count = u64(buf, at + 32);
    cdSize = u64(buf, at + 40);
    cdOffset = u64(buf, at + 48);
    dirLimit = at;
  } else if (count === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
    throw new ZipFormatError('zip64-inhoudsopgave ontbreekt');
  }
  const cdEnd = cdOffset + cdSize;
  if (cdEnd > dirLimit) throw new ZipFormatError('zip-inhoudsopgave ligt buiten het bestand');
  // Every entry takes at least 46 bytes of the directory: a count beyond that is a lie.
  if (count > cdSize / 46) throw new ZipFormatError('zip-inhoudsopgave beschadigd');
  // A workbook has dozens of parts; a million empty ones took 11 s and 405 MiB to list, twice, without a turn for Ctrl+C.
  if (count > MAX_ENTRIES) throw new ZipFormatError(`meer dan ${MAX_ENTRIES.toLocaleString('nl-NL')} onderdelen`);

  const entries = new Map<string, ZipEntry>();
  const seen = new Set<string>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cdEnd || buf.readUInt32LE(p) !== CEN) throw new ZipFormatError('zip-inhoudsopgave beschadigd');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > cdEnd) throw new ZipFormatError('zip-inhoudsopgave beschadigd');
    if (buf.readUInt16LE(p + 34) !== 0) throw new ZipFormatError('zip over meerdere delen');
    // Bit 11: the name is UTF-8; otherwise code page 437, which matches UTF-8 for the ASCII names of .xlsx parts.
    const name = normaliseName(buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen));
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    let localOffset = buf.readUInt32LE(p + 42);
    if (size === MAX32 || compressedSize === MAX32 || localOffset === MAX32) {
      const z = zip64Extra(buf, p + 46 + nameLen, extraLen);
      let at = 0;
      const next = () => {
        if (at + 8 > z.length) throw new ZipFormatError('zip64-gegevens ontbreken');
        const v = u64(z, at);
        at += 8;
        return v;
      };
      if (size === MAX32) size = next();
      if (compressedSize === MAX32) compressedSize = next();
      if (localOffset === MAX32) localOffset = next();
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (name === '' || name.endsWith('/')) continue; // folders
    const key = name.toLowerCase();
    if (seen.has(key)) throw new ZipFormatError(`onderdeel ${shortName(name)} staat er twee keer in`);
    seen.add(key);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOC) throw new ZipFormatError(`onderdeel ${shortName(name)} beschadigd`);
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > buf.length) throw new ZipFormatError(`onderdeel ${shortName(name)} is afgekapt`);
    entries.set(name, {
      name,
      flags,
      method,
      crc,
      compressedSize,
      size,
      localOffset,
      dataStart,
    });
  }
  refuseOverlaps([...entries.values()], cdOffset);
  return entries;
}

/** The ZIP64 extended-information field (id 1) among a central header's extra fields. */
function zip64Extra(buf: Buffer, start: number, length: number): Buffer {
  for (let p = start; p + 4 <= start + length; ) {
    const id = buf.readUInt16LE(p);
    const size = buf.readUInt16LE(p + 2);
    if (p + 4 + size > start + length) break;
    if (id === 1) return buf.subarray(p + 4, p + 4 + size);
    p += 4 + size;
  }
  throw new ZipFormatError('zip64-gegevens ontbreken');
}

/** Two entries sharing bytes is how "zip bombs" multiply one compressed block; no writer does it. */
function refuseOverlaps(entries: ZipEntry[], cdOffset: number): void {
  const sorted = entries.slice().sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const end = e.dataStart + e.compressedSize;
    const next = i + 1 < sorted.length ? sorted[i + 1]!.localOffset : cdOffset;
    if (end > next) throw new ZipFormatError('onderdelen overlappen elkaar');
  }
}

function inflateSmall(data: Buffer, e: ZipEntry): Buffer {
  try {
    // One byte more than declared, so that a lying size is seen (account() refuses it) without inflating a bomb.
    return zlib.inflateRawSync(data, { maxOutputLength: e.size + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipFormatError(`onderdeel ${shortName(e.name)} is groter dan opgegeven`);
    throw err;
  }
}

function* slices(whole: Buffer): Generator<Buffer> {
  for (let at = 0; at < whole.length; at += PIECE) yield whole.subarray(at, at + PIECE);
}

/** The zlib stream, for a Node without the handle inflateInPlace uses; exported for the test that holds both equal. */
export async function* inflateStream(data: Buffer): AsyncGenerator<Buffer> {
  const inflater = zlib.createInflateRaw({ chunkSize: PIECE });
  try {
    inflater.end(data);
    yield* inflater as AsyncIterable<Buffer>;
  } finally {
    inflater.destroy();
  }
}

/** What inflateInPlace takes from a zlib stream: the handle and state array Node's own inflateRawSync drives. */
interface ZlibInternals {
  _handle?: { writeSync?: (flush: number, input: Uint8Array, inOff: number, inLength: number, out: Uint8Array, outOff: number, outLength: number) => void };
  /** After a write: the output space left, then the input left. */
  _writeState?: Uint32Array;
}

/**
 * Inflates into one buffer that every piece reuses, in this thread, through the zlib handle of Node's own
 * inflateRawSync (processChunkSync in Node's lib/zlib.js: the same calls on 20, 22 and 24). The stream API sends
 * every 64 KiB to the thread pool and back and allocates a new buffer for each: a 29 MB sheet took 160 ms of CPU
 * that way and takes 55 ms this way (CRC included), mostly because new memory is what costs most on a VM
 * (docs/PERFORMANCE.md).
 * A piece is valid until the next is asked for: the reader decodes each at once. Undefined on a Node without that
 * handle (a test holds it present on the Node that runs it); the stream is used then.
 */
export function inflateInPlace(data: Buffer): Generator<Buffer> | undefined {
  const stream = zlib.createInflateRaw();
  const { _handle: handle, _writeState: state } = stream as unknown as ZlibInternals;
  const write = handle?.writeSync;
  if (!write || !(state instanceof Uint32Array)) {
    stream.close();
    return undefined;
  }
  // A zlib error destroys the stream, which emits it on the next tick: it is thrown from `errored` here instead.
  stream.on('error', () => {});
  return (function* () {
    const out = Buffer.allocUnsafe(PIECE);
    let inOff = 0;
    let inLength = data.length;
    try {
      for (;;) {
        write.call(handle, zlib.constants.Z_FINISH, data, inOff, inLength, out, 0, PIECE);
        if (stream.errored) throw stream.errored;
        const outLeft = state[0]!;
        const inLeft = state[1]!;
        inOff += inLength - inLeft;
        inLength = inLeft;
        if (outLeft < PIECE) yield out.subarray(0, PIECE - outLeft);
        // Output space left over: the stream has ended (or needs input there is no more of: the size check sees it).
        if (outLeft !== 0) return;
      }
    } finally {
      stream.close();
    }
  })();
}

/** An in-memory zip whose entries are inflated on demand, within a per-entry and a per-archive cap. */
export class ZipArchive {
  readonly entries: Map<string, ZipEntry>;
  private readonly byLowerName = new Map<string, ZipEntry>();
  /** The most bytes ever inflated from each entry: re-reading a sheet doesn't count twice. */
  private readonly inflated = new Map<ZipEntry, number>();
  private total = 0;

  constructor(
    readonly buf: Buffer,
    private readonly caps: { entryBytes: number; archiveBytes: number },
  ) {
    this.entries = readZipDirectory(buf);
    for (const e of this.entries.values()) this.byLowerName.set(e.name.toLowerCase(), e);
  }

  /** Looks an entry up by part name, without regard to case. */
  get(name: string): ZipEntry | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  /**
   * The entry's bytes in pieces of at most 64 KiB, each valid until the next is asked for (a large entry is
   * inflated into one buffer, see inflateInPlace): keep a copy, not a piece. The CRC-32 and the size are checked
   * when the last piece has been handed out; a reader that stops early gets no check of what it didn't read. Gives
   * the event loop a turn every MiB so that signals are handled during a long read.
   */
  async *read(e: ZipEntry): AsyncGenerator<Buffer> {
    if (e.flags & 1) throw new ZipFormatError('onderdeel is versleuteld');
    if (e.method !== 0 && e.method !== 8) throw new ZipFormatError(`onbekende compressie (${e.method})`);
    if (e.size > this.caps.entryBytes) throw new ZipLimitError('entry');
    if (this.total - (this.inflated.get(e) ?? 0) + e.size > this.caps.archiveBytes) throw new ZipLimitError('archive');
    const data = this.buf.subarray(e.dataStart, e.dataStart + e.compressedSize);
    if (e.method === 0 && e.compressedSize !== e.size) throw new ZipFormatError(`onderdeel ${shortName(e.name)} beschadigd`);
    let produced = 0;
    let sinceTurn = 0;
    let crc = 0;
    const account = (piece: Buffer): void => {
      produced += piece.length;
      // The declared size is checked against the caps before reading, so a bomb must lie about it: stop there.
      if (produced > e.size) throw new ZipFormatError(`onderdeel ${shortName(e.name)} is groter dan opgegeven`);
      const before = this.inflated.get(e) ?? 0;
      if (produced > before) {
        this.total += produced - before;
        this.inflated.set(e, produced);
      }
      crc = crc32(piece, crc);
    };
    // Small entries (relationships, a workbook, a short sheet) inflate in one call: a zlib stream per part
    // costs more than the part itself.
    const whole = e.method === 0 ? data : e.size <= SMALL ? inflateSmall(data, e) : undefined;
    const pieces = whole ? slices(whole) : (inflateInPlace(data) ?? inflateStream(data));
    for await (const piece of pieces) {
      account(piece);
      yield piece;
      if ((sinceTurn += piece.length) >= YIELD_EVERY) {
        sinceTurn = 0;
        await nextTurn();
      }
    }
    if (produced !== e.size) throw new ZipFormatError(`onderdeel ${shortName(e.name)} is kleiner dan opgegeven`);
    if (crc !== e.crc) throw new ZipFormatError(`controlegetal (CRC) van ${shortName(e.name)} klopt niet`);
  }
}
