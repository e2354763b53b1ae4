import { randomBytes, randomFillSync } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, rename, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export interface OverwriteOptions {
  passes: number;
  zero: boolean;
}

const CHUNK = 64 * 1024;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

const isZero = (buf: Buffer, n: number) => {
  for (let i = 0; i < n; i++) if (buf[i] !== 0) return false;
  return true;
};

/** Opens for overwriting: read+write when allowed (so holes can be skipped), else write-only. */
async function openForOverwrite(path: string): Promise<{ h: FileHandle; readable: boolean }> {
  try {
    return { h: await open(path, constants.O_RDWR | NOFOLLOW), readable: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    return { h: await open(path, constants.O_WRONLY | NOFOLLOW), readable: false };
  }
}

/**
 * Bytes a write-only overwrite could newly allocate: the holes of a sparse file. A readable file never needs
 * them (all-zero chunks are skipped), so this only matters when the file can be written but not read.
 * Windows reports no block count; there every file counts as fully allocated.
 */
export function unallocatedBytes(s: Stats): number {
  return process.platform === 'win32' || !Number.isFinite(s.blocks) ? 0 : Math.max(0, s.size - s.blocks * 512);
}

/** Free space in the folder, or Infinity where the platform cannot tell. */
export async function freeBytes(dir: string): Promise<number> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return Infinity;
  }
}

/**
 * Overwrites the file's own blocks (same inode), fsync after each pass. A chunk that reads as all zeros holds
 * nothing to erase and is left alone: that is also what every hole of a sparse file reads as, so a sparse file is
 * never filled (a 1 TB sparse file would otherwise fill the disk). A write-only file cannot be read and is
 * overwritten whole; the caller checks beforehand that its holes fit on the disk.
 */
export async function overwriteInPlace(path: string, o: OverwriteOptions): Promise<void> {
  const { h, readable } = await openForOverwrite(path);
  try {
    const { size } = await h.stat();
    const buf = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
    const probe = readable ? Buffer.alloc(buf.length) : undefined;
    const passes: ('random' | 'zero')[] = [...Array<'random'>(o.passes).fill('random'), ...(o.zero ? ['zero' as const] : [])];
    for (const kind of passes) {
      if (kind === 'zero') buf.fill(0);
      for (let pos = 0; pos < size; pos += buf.length) {
        const n = Math.min(buf.length, size - pos);
        if (probe) {
          const { bytesRead } = await h.read(probe, 0, n, pos);
          if (bytesRead === n && isZero(probe, n)) continue;
        }
        if (kind === 'random') randomFillSync(buf);
        await h.write(buf, 0, n, pos);
      }
      await h.sync();
    }
  } finally {
    await h.close();
  }
}

export async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY);
    await h.sync().finally(() => h.close());
  } catch {
    // Not every platform can fsync a directory; the rename is still atomic.
  }
}

/**
 * The last steps of GNU shred --remove=wipesync, after the overwrite: rename to a random name (the name goes
 * too), truncate, unlink, fsync the folder. `onRenamed` learns the random name, so a failure after it can say
 * where the file is.
 */
export async function removeOverwritten(path: string, onRenamed: (hidden: string) => void = () => {}): Promise<void> {
  const dir = dirname(resolve(path));
  const hidden = join(dir, randomBytes(Math.max(4, Math.min(16, Math.ceil(basename(path).length / 2)))).toString('hex'));
  await rename(path, hidden);
  onRenamed(hidden);
  await syncDir(dir);
  const h = await open(hidden, constants.O_WRONLY | NOFOLLOW);
  try {
    await h.truncate(0);
    await h.sync();
  } finally {
    await h.close();
  }
  await unlink(hidden);
  await syncDir(dir);
}

/**
 * Removes a file numo-prep wrote itself (a temp file): overwritten once, then unlinked. When the file has another
 * name (a temp already linked into place by an interrupted commit) it is only unlinked: overwriting would wipe
 * the other name too.
 */
export async function removeOwnFile(path: string): Promise<void> {
  const s = await lstat(path);
  if (!s.isFile()) return;
  if (s.nlink === 1) await overwriteInPlace(path, { passes: 1, zero: false }).catch(() => {});
  await unlink(path);
}
