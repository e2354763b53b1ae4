import { pipeline, Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export class ZipFormatError extends Error {}
export class ZipLimitError extends Error {}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

/** Reads the central directory of an in-memory zip. Throws ZipFormatError on anything inconsistent. */
export function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('geen zip-inhoudsopgave');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) throw new ZipFormatError('zip64 wordt niet ondersteund');
  if (cdOffset + cdSize > eocd) throw new ZipFormatError('zip-inhoudsopgave ligt buiten het bestand');

  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN) throw new ZipFormatError('zip-inhoudsopgave beschadigd');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    };
    entries.set(entry.name.replace(/^\/+/, ''), entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function entryData(buf: Buffer, e: ZipEntry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOC) throw new ZipFormatError(`onderdeel ${e.name} beschadigd`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new ZipFormatError(`onderdeel ${e.name} is afgekapt`);
  return buf.subarray(start, start + e.compressedSize);
}

/**
 * The entry's content as a stream of UTF-8 *strings* (decoded across chunk boundaries, which exceljs' own
 * per-chunk decoding gets wrong). Never touches the disk. Fails with ZipLimitError past `limit` bytes.
 */
export function openEntryText(buf: Buffer, e: ZipEntry, limit: number): Readable {
  if (e.flags & 1) throw new ZipFormatError('onderdeel is versleuteld');
  if (e.method !== 0 && e.method !== 8) throw new ZipFormatError(`onbekende compressie (${e.method})`);
  const source = Readable.from([entryData(buf, e)], { objectMode: false });
  const BUFFER = 1024 * 1024;
  let total = 0;
  // A deep buffer lets zlib inflate ahead on its own thread while the main thread scans; chunks stay at 64 KiB,
  // under V8's large-object size, so they die young instead of filling the old generation.
  const counter = new Transform({
    highWaterMark: BUFFER,
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      done(total > limit ? new ZipLimitError(e.name) : null, chunk);
    },
  });
  const stages: NodeJS.ReadWriteStream[] = e.method === 8 ? [createInflateRaw({ chunkSize: 64 * 1024 }), counter] : [counter];
  pipeline(source, ...(stages as [Transform]), () => {});
  counter.setEncoding('utf8');
  return counter;
}
