import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../fixtures/zip-writer.js';
import { readZipDirectory, tableCrc32, ZipArchive } from '../src/io/zip.js';

const entries = [
  { name: 'a.xml', data: `<a>${'x'.repeat(300_000)}</a>` },
  { name: 'b\\c.xml', data: 'ë', store: true },
];

async function readAll(zip: ZipArchive, name: string): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const p of zip.read(zip.get(name)!)) pieces.push(p);
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

  it('refuses duplicate names, a part over its cap and an archive over its cap', async () => {
    expect(() => readZipDirectory(writeZip([entries[0]!, { name: 'A.xml', data: '' }]))).toThrow(/twee keer/);
    const small = new ZipArchive(writeZip(entries), { entryBytes: 1000, archiveBytes: 1 << 20 });
    await expect(readAll(small, 'a.xml')).rejects.toMatchObject({ scope: 'entry' });
    const archive = new ZipArchive(writeZip([entries[0]!, { ...entries[0]!, name: 'b.xml' }]), { entryBytes: 1 << 20, archiveBytes: 400_000 });
    expect((await readAll(archive, 'a.xml')).length).toBe(300_007);
    expect((await readAll(archive, 'a.xml')).length).toBe(300_007); // reading a part again doesn't count twice
    await expect(readAll(archive, 'b.xml')).rejects.toMatchObject({ scope: 'archive' });
  });
});
