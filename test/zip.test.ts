import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../fixtures/zip-writer.js';
import { inflateInPlace, inflateStream, readZipDirectory, tableCrc32, ZipArchive } from '../src/io/zip.js';

const entries = [
  { name: 'a.xml', data: `<a>${'x'.repeat(300_000)}</a>` },
  { name: 'b\\c.xml', data: 'ë', store: true },
];

async function readAll(zip: ZipArchive, name: string): Promise<string> {
  const pieces: Buffer[] = [];
  // A piece is valid until the next is asked for (inflateInPlace reuses its buffer): kept, it is copied.
  for await (const p of zip.read(zip.get(name)!)) pieces.push(Buffer.from(p));
  return Buffer.concat(pieces).toString();
}

describe('zip reader', () => {
  it('the CRC table used on runtimes without zlib.crc32 gives the same checksum', () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff));
    expect(tableCrc32(data, 0)).toBe(crc32(data));
    expect(tableCrc32(data.subarray(100), tableCrc32(data.subarray(0, 100), 0))).toBe(crc32(data));
  });

  it('reads plain, ZIP64 and data-descriptor zips alike; backslashes are slashes, names case-insensitive', async () => {
    for (const shape of [{}, { zip64: true }, { descriptor: true }, { zip64: true, descriptor: true }]) {
      const zip = new ZipArchive(writeZip(entries, shape), { entryBytes: 1 << 20, archiveBytes: 1 << 20 });
      expect([...zip.entries.keys()]).toEqual(['a.xml', 'b/c.xml']);
      expect(await readAll(zip, 'A.XML')).toBe(entries[0]!.data);
      expect(await readAll(zip, 'b/c.xml')).toBe('ë');
    }
  });

  it('refuses a directory of more than 200,000 parts at once, by its count', () => {
    // A ZIP64 end record that claims 250,000 entries in a directory large enough to hold them.
    const count = 250_000;
    const cd = Buffer.alloc(count * 46);
    const end64 = Buffer.alloc(56);
    end64.writeUInt32LE(0x06064b50, 0);
    end64.writeBigUInt64LE(44n, 4);
    end64.writeBigUInt64LE(BigInt(count), 24);
    end64.writeBigUInt64LE(BigInt(count), 32);
    end64.writeBigUInt64LE(BigInt(cd.length), 40);
    end64.writeBigUInt64LE(0n, 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(cd.length), 8);
    locator.writeUInt32LE(1, 16);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
    expect(() => readZipDirectory(Buffer.concat([cd, end64, locator, end]))).toThrow(/meer dan 200\.000 onderdelen/);
  });

  it('refuses duplicate names, a part over its cap and an archive over its cap', async () => {
    expect(() => readZipDirectory(writeZip([entries[0]!, { name: 'A.xml', data: '' }]))).toThrow(/twee keer/);
    const small = new ZipArchive(writeZip(entries), { entryBytes: 1000, archiveBytes: 1 << 20 });
    await expect(readAll(small, 'a.xml')).rejects.toMatchObject({ scope: 'entry' });
    const archive = new ZipArchive(writeZip([entries[0]!, { ...entries[0]!, name: 'b.xml' }]), { entryBytes: 1 << 20, archiveBytes: 400_000 });
    expect((await readAll(archive, 'a.xml')).length).toBe(300_007);
    expect((await readAll(archive, 'a.xml')).length).toBe(300_007); // reading a part again doesn't count twice
    await expect(readAll(archive, 'b.xml')).rejects.toMatchObject({ scope: 'archive' });
  });

  // Text that compresses like a sheet, 1.5 MB: many pieces, several blocks.
  const sheet = Buffer.from(Array.from({ length: 30_000 }, (_, i) => `<row r="${i}"><c t="s"><v>${(i * 7919) % 10007}</v></c></row>`).join(''));

  it('inflates in place on this Node, piece by piece, to the same bytes as zlib', () => {
    const pieces = inflateInPlace(deflateRawSync(sheet));
    // Present on every Node the package supports: a Node without it would fall back to the stream, unseen.
    expect(pieces).toBeDefined();
    const copies: Buffer[] = [];
    for (const p of pieces!) copies.push(Buffer.from(p));
    expect(copies.length).toBeGreaterThan(10);
    expect(Buffer.concat(copies).equals(sheet)).toBe(true);
  });

  it('the stream a Node without that handle gets gives the same bytes', async () => {
    const copies: Buffer[] = [];
    for await (const p of inflateStream(deflateRawSync(sheet))) copies.push(Buffer.from(p));
    expect(Buffer.concat(copies).equals(sheet)).toBe(true);
  });

  it('a damaged compressed part ends or fails in place just as in zlib', () => {
    const outcome = (read: () => Buffer): string => {
      try {
        return read().toString('latin1');
      } catch (err) {
        return `error ${(err as NodeJS.ErrnoException).code}`;
      }
    };
    const inPlace = (data: Buffer) => () => {
      const copies: Buffer[] = [];
      for (const p of inflateInPlace(data)!) copies.push(Buffer.from(p));
      return Buffer.concat(copies);
    };
    const good = deflateRawSync(sheet);
    const seen = new Set<string>();
    // Every 3,907th byte: 44 places spread over the stream, both outcomes among them (checked below).
    for (let at = 0; at < good.length; at += 3907) {
      const data = Buffer.from(good);
      data[at] ^= 0x5a;
      const expected = outcome(() => inflateRawSync(data));
      expect(outcome(inPlace(data))).toBe(expected);
      seen.add(expected.startsWith('error') ? expected : 'bytes');
    }
    // Both kinds occurred: a data error, and a stream that ends early or differs (the size and CRC checks see that).
    expect(seen).toContain('error Z_DATA_ERROR');
    expect(seen).toContain('bytes');
    const half = good.subarray(0, good.length >> 1);
    expect(outcome(inPlace(half))).toBe(outcome(() => inflateRawSync(half)));
  });

  it('a cut-off or damaged part read from the zip is an error', async () => {
    const cut = new ZipArchive(writeZip([{ name: 's.xml', data: sheet }]), { entryBytes: 1 << 24, archiveBytes: 1 << 24 });
    cut.get('s.xml')!.compressedSize >>= 1;
    await expect(readAll(cut, 's.xml')).rejects.toMatchObject({ code: 'Z_BUF_ERROR' });
    const file = writeZip([{ name: 's.xml', data: sheet }]);
    const zip = new ZipArchive(file, { entryBytes: 1 << 24, archiveBytes: 1 << 24 });
    file[zip.get('s.xml')!.dataStart] = 0x07; // a block of the reserved type
    await expect(readAll(zip, 's.xml')).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
  });
});
