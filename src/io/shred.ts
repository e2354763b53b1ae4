import { randomBytes, randomFillSync } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import { syncDir } from './atomic-file.js';

export interface ShredTarget {
  path: string;
  size: number;
  /** Excel's owner file (~$name.xlsx) found next to a named file. */
  lockFile?: boolean;
}

export interface ShredOptions {
  passes: number;
  zero: boolean;
}

const CLOUD = /(^|[\\/])(onedrive[^\\/]*|dropbox|google ?drive|my drive|mijn drive|icloud ?drive|mobile documents)([\\/]|$)/i;

/** Which of these paths lie in a cloud-synced folder (the file has then already left the PC). */
export function cloudSynced(paths: string[], env: NodeJS.ProcessEnv): string[] {
  const roots = [env.OneDrive, env.OneDriveCommercial, env.OneDriveConsumer].filter((r): r is string => Boolean(r));
  return paths.filter((p) => {
    const abs = resolve(p);
    return CLOUD.test(abs) || roots.some((r) => abs.startsWith(r.endsWith(sep) ? r : r + sep));
  });
}

async function problemWith(path: string): Promise<{ size: number } | string> {
  let s;
  try {
    s = await lstat(path);
  } catch {
    return `${path}: bestaat niet`;
  }
  if (s.isSymbolicLink()) return `${path}: is een snelkoppeling (symlink); shred volgt die niet — geef het echte bestand`;
  if (s.isDirectory()) return `${path}: is een map; shred verwijdert alleen losse bestanden`;
  if (!s.isFile()) return `${path}: is geen gewoon bestand (apparaat of pipe)`;
  try {
    await access(path, constants.W_OK);
    const h = await open(path, constants.O_RDWR | (constants.O_NOFOLLOW ?? 0));
    await h.close();
  } catch {
    return `${path}: geen schrijfrechten (open in Excel, of alleen-lezen?)`;
  }
  return { size: s.size };
}

/** Checks every file before touching any, so a typo in one name does not half-run a batch. */
export async function planShred(paths: string[]): Promise<ShredTarget[]> {
  const targets: ShredTarget[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const abs = resolve(path);
    if (seen.has(abs)) continue;
    seen.add(abs);
    const r = await problemWith(path);
    if (typeof r === 'string') problems.push(r);
    else targets.push({ path, size: r.size });
  }
  if (problems.length) throw new UserError(`Niets verwijderd: ${problems.join('; ')}.`);
  for (const t of [...targets]) {
    const name = basename(t.path);
    for (const lock of new Set([`~$${name}`, `~$${name.slice(2)}`])) {
      const lockPath = join(dirname(t.path), lock);
      if (seen.has(resolve(lockPath))) continue;
      const r = await problemWith(lockPath);
      if (typeof r !== 'string') {
        seen.add(resolve(lockPath));
        targets.push({ path: lockPath, size: r.size, lockFile: true });
      }
    }
  }
  return targets;
}

const CHUNK = 64 * 1024;

/** Overwrites the file's own blocks (same inode), fsync after each pass. */
export async function overwriteInPlace(path: string, o: ShredOptions): Promise<void> {
  const h = await open(path, constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const { size } = await h.stat();
    const buf = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
    const passes: ('random' | 'zero')[] = [...Array<'random'>(o.passes).fill('random'), ...(o.zero ? ['zero' as const] : [])];
    for (const kind of passes) {
      if (kind === 'zero') buf.fill(0);
      for (let pos = 0; pos < size; pos += buf.length) {
        if (kind === 'random') randomFillSync(buf);
        await h.write(buf, 0, Math.min(buf.length, size - pos), pos);
      }
      await h.sync();
    }
  } finally {
    await h.close();
  }
}

/** GNU shred --remove=wipesync: overwrite, rename to a random name, truncate, unlink, fsync the folder. */
export async function shredFile(path: string, o: ShredOptions): Promise<void> {
  await overwriteInPlace(path, o);
  const dir = dirname(resolve(path));
  const hidden = join(dir, randomBytes(Math.max(4, Math.min(16, Math.ceil(basename(path).length / 2)))).toString('hex'));
  await rename(path, hidden);
  await syncDir(dir);
  const h = await open(hidden, constants.O_WRONLY);
  try {
    await h.truncate(0);
    await h.sync();
  } finally {
    await h.close();
  }
  await unlink(hidden);
  await syncDir(dir);
}
