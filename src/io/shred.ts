import { randomBytes, randomFillSync } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, type FileHandle, lstat, open, realpath, rename, statfs, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import { trackProbe, untrackProbe } from './cleanup.js';

// Secure deletion: the checks before a shred, overwriting in place, and removing a file with its name. Also
// used for numo-prep's own temp files (atomic-file.ts, stale-temps.ts).

export interface ShredTarget {
  path: string;
  size: number;
  /** Excel's owner file (~$name.xlsx) found next to a named file. */
  lockFile?: boolean;
  /** The file as checked; absent on a file system without file ids (FAT on some systems reports 0). */
  id?: FileId;
}

/**
 * Which file a name led to when it was checked. Between the check and the overwrite the admin answers a question:
 * a file put at the name meanwhile (another file, a hard link to one that must survive) is not the one checked.
 * bigint: NTFS file ids pass 2^53, where two files would round to one. The creation time too: a file system gives
 * the number of a file just deleted to the next one made (ext4 does), and a rename (the probe on Windows) keeps
 * it. Where a file system keeps none, Node reports the change time instead and Wine the modification time, which a
 * write changes: shred then refuses a file edited during its question, and compares no time after its own write.
 */
export interface FileId {
  dev: bigint;
  ino: bigint;
  nlink: bigint;
  birthtimeNs?: bigint;
  /** convert --shred-inputs: the file's content as convert read it (a copy over it keeps the file, not the content). */
  mtimeNs?: bigint;
}

const fileId = (s: FileId): FileId => ({ dev: s.dev, ino: s.ino, nlink: s.nlink, birthtimeNs: s.birthtimeNs });

/** The error code of a file that is no longer the one checked (ui: fileProblem). */
export const CHANGED = 'ECHANGED';
const changed = () => Object.assign(new Error('not the file checked'), { code: CHANGED });

/** One file: the same id, and the same creation time where both have one. */
export function sameFileId(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino && (a.birthtimeNs === undefined || b.birthtimeNs === undefined || a.birthtimeNs === b.birthtimeNs);
}

/** The same file as checked, with no name added since (names of the batch may have gone). */
function stillChecked(now: FileId, id: FileId): boolean {
  return sameFileId(now, id) && now.nlink <= id.nlink && (id.mtimeNs === undefined || now.mtimeNs === id.mtimeNs);
}

const CLOUD = /(^|[\\/])(onedrive[^\\/]*|dropbox|google ?drive|my drive|mijn drive|icloud ?drive|mobile documents)([\\/]|$)/i;

/**
 * Which of these paths lie in a cloud-synced folder (the file has then already left the PC), also through a link
 * to such a folder (Documenten that leads into OneDrive).
 */
export async function cloudSynced(paths: string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Promise<string[]> {
  // Windows and macOS compare names without case: OneDriveCommercial may say z:\Scholengroep X, the path Z:\scholengroep x.
  const fold = platform === 'win32' || platform === 'darwin' ? (t: string) => t.toLowerCase() : (t: string) => t;
  const roots = [env.OneDrive, env.OneDriveCommercial, env.OneDriveConsumer].filter((r): r is string => Boolean(r)).map((r) => fold(r.endsWith(sep) ? r : r + sep));
  const inCloud = (abs: string) => CLOUD.test(abs) || roots.some((r) => fold(abs).startsWith(r));
  const found: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (inCloud(abs) || inCloud(await realpath(dirname(abs)).catch(() => dirname(abs)))) found.push(p);
  }
  return found;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Whether the mode bits let us write. Root is held to the owner's bits: a file or folder the school made
 * read-only stays refused, also for an admin who runs numo-prep as root (where every access() call succeeds).
 * Others ask the OS, which also knows ACLs. On Windows the mode reflects the read-only attribute.
 */
export async function writable(path: string, s: Stats): Promise<boolean> {
  if (process.platform === 'win32' || isRoot()) return (s.mode & 0o200) !== 0;
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why this user cannot make a file in the folder `dir` (and remove it later), as an errno code; undefined when it
 * can. Making a file needs write and search access; root passes access() everywhere, so for root the mode bits
 * count, as writable() judges a file. Windows knows no read-only folder (Explorer sets the flag on Documents): there
 * access() passes and the write itself says it.
 */
export async function folderWriteDenied(dir: string, folder: Stats): Promise<'EACCES' | 'EPERM' | 'EROFS' | undefined> {
  const code = await access(dir, constants.W_OK | constants.X_OK).then(
    () => undefined,
    (err: NodeJS.ErrnoException) => err.code,
  );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return code;
  return isRoot() && (folder.mode & 0o200) === 0 ? 'EACCES' : undefined;
}

/** Where the admin takes a file's read-only flag away (macOS's pane as a reviewer named it; not checked on a Dutch Mac). */
export const READ_ONLY_HOW = 'Windows: Eigenschappen; Mac: Toon info > Delen en toegangsrechten';

/** Whether the file is on a read-only disk or mount, which no mode bit shows (EROFS). */
export async function onReadOnlyDisk(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'EROFS',
  );
}

const readOnlyDisk = (path: string) => `${path}: staat op een schijf die alleen-lezen is (een beveiligde USB-stick of netwerkschijf?); maak die schrijfbaar en probeer opnieuw`;

/**
 * A file of another user in a shared folder with the sticky bit (such as /tmp): only its owner, or the folder's, may
 * remove or replace it, whatever the file's own mode says.
 */
export function ownedByOtherInStickyFolder(file: Stats, folder: Stats): boolean {
  const uid = process.getuid?.();
  return uid !== undefined && uid !== 0 && (folder.mode & 0o1000) !== 0 && file.uid !== uid && folder.uid !== uid;
}

interface Checked {
  path: string;
  stat: Stats;
  id?: FileId;
}

/** What stands in the way of shredding this one file, or its stat. Nothing is opened for longer than a check. */
async function problemWith(path: string, platform: NodeJS.Platform): Promise<Checked | string> {
  // cmd and PowerShell pass *.csv on as it is (a shell on macOS or Linux fills it in); no Windows name holds * or ?.
  if (platform === 'win32' && /[*?]/.test(basename(path))) return `${path}: Windows vult * en ? niet zelf in; noem elk bestand bij naam`;
  let s;
  try {
    s = await lstat(path);
  } catch {
    // A name in another encoding than the system's (Linux): Node read its bytes as �, and "bestaat niet" would say
    // the file is gone while it is there.
    return path.includes('\uFFFD') ? `${path}: niet gevonden; in de naam staat een teken dat niet als tekst te lezen is (�): geef het bestand een naam met gewone letters` : `${path}: bestaat niet`;
  }
  if (s.isSymbolicLink()) return `${path}: is een snelkoppeling (symlink); shred volgt die niet — geef het echte bestand`;
  if (s.isDirectory()) return `${path}: is een map; shred verwijdert alleen losse bestanden`;
  if (!s.isFile()) return `${path}: is geen gewoon bestand (apparaat of pipe)`;
  if (!(await writable(path, s))) return (await onReadOnlyDisk(path)) ? readOnlyDisk(path) : `${path}: is alleen-lezen; haal dat eerst weg (${READ_ONLY_HOW})`;
  const dir = dirname(resolve(path));
  const d = await lstat(dir).catch(() => undefined);
  // Windows ignores the read-only attribute of a folder (Explorer sets it on Documents, Downloads, …).
  if (!d || (platform !== 'win32' && !(await writable(dir, d)))) return `${path}: de map ${dir} is alleen-lezen, dus het bestand kan er niet uit verwijderd worden`;
  if (ownedByOtherInStickyFolder(s, d)) {
    return `${path}: is van een andere gebruiker in een gedeelde map; alleen die gebruiker kan het verwijderen`;
  }
  try {
    const h = await open(path, constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0));
    await h.close();
  } catch (err) {
    // EBUSY: Windows's sharing violation (Excel holds the file); EROFS: a read-only disk or mount (the mode bits say
    // nothing of it); anything else may be rights as well.
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EBUSY'
      ? `${path}: is in gebruik (nog open in Excel?); sluit het en probeer opnieuw`
      : code === 'EROFS'
        ? readOnlyDisk(path)
        : `${path}: kan niet geopend worden om te overschrijven (geen rechten, of open in een ander programma)`;
  }
  // Windows decides who may delete a file by ACLs that no mode shows (a folder's read-only attribute means nothing):
  // a share may let a user write a file and not delete it, which would leave it overwritten under its name. A
  // rename needs that same right, so the file is renamed and back before any file of the batch is touched.
  if (platform === 'win32') {
    // Back under the name the folder holds, not as typed: NTFS ignores case, so a rename back to "EXPORT.CSV" (or to
    // an 8.3 name such as LEER~GD3.XLS) would rename "Export.csv" for good. realpath asks Windows for that name.
    // Windows's realpath fails on some drives (a RAM disk, some mapped shares): then the name as typed.
    const own = await realpath(path).then(
      (real) => join(dir, basename(real)),
      () => path,
    );
    const probe = join(dir, `.numo-prep-proef-${randomBytes(6).toString('hex')}`);
    // An interrupt between the two renames gives the file its name back (removePendingTemps).
    trackProbe(probe, own);
    try {
      await rename(path, probe);
    } catch {
      untrackProbe(probe);
      return `${path}: mag niet uit de map ${dir} verwijderd worden (geen rechten, of open in een ander programma)`;
    }
    try {
      await rename(probe, own);
    } catch {
      return `${path}: heet nu ${probe} en kon zijn naam niet terugkrijgen; geef het zijn naam terug en probeer opnieuw`;
    } finally {
      untrackProbe(probe);
    }
  }
  return { path, stat: s };
}

/** Excel and Word write `~$` + the document's name beside an open document; only those of the named files go along. */
const OFFICE = /\.(xlsx|xlsm|xlsb|xls|csv|docx|docm|doc)$/i;

/**
 * Checks every file and its folder before touching any, so a typo or a read-only file in one name does not
 * half-run a batch. A file with hard links outside the batch is refused: overwriting would wipe the other name's
 * content while the other name keeps it on disk. A file that can only be written (not read) and is sparse must
 * fit on the disk when its holes are filled; a readable one never has its holes filled (see overwriteInPlace).
 */
export async function planShred(paths: string[], platform: NodeJS.Platform = process.platform): Promise<ShredTarget[]> {
  const checked: Checked[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  // One name of a file, by identity: the same entry reached through two paths (a bind mount, \\localhost\c$ beside
  // C:\) has one name; bigint, since NTFS file ids pass 2^53, where two files would round to one.
  const entries = new Set<string>();
  for (const path of paths) {
    // One file named twice, also through a linked folder (lnk/a.csv and real/a.csv), is shredded once.
    const abs = await canonical(path);
    if (seen.has(abs)) continue;
    seen.add(abs);
    // Before problemWith, whose rename probe on Windows may give the file back its own spelling.
    const id = await lstat(path, { bigint: true }).catch(() => undefined);
    const r = await problemWith(path, platform);
    if (typeof r === 'string') {
      problems.push(r);
      continue;
    }
    const entry = id && `${id.dev}:${id.ino}`;
    // A file with more names (hard links) is counted below; one with one name, reached twice, is shredded once.
    if (entry && id.nlink === 1n && id.ino !== 0n && entries.has(entry)) continue;
    if (entry) entries.add(entry);
    checked.push(id && id.ino !== 0n ? { ...r, id: fileId(id) } : r);
  }
  const names = new Map<string, number>();
  const inode = (s: Stats) => `${s.dev}:${s.ino}`;
  for (const c of checked) names.set(inode(c.stat), (names.get(inode(c.stat)) ?? 0) + 1);
  for (const c of checked) {
    const others = c.stat.nlink - (names.get(inode(c.stat)) ?? 1);
    if (c.stat.ino !== 0 && others > 0) {
      problems.push(`${c.path}: heeft nog ${others} andere naam/namen (harde koppeling) met dezelfde inhoud; geef die ook op, of verwijder ze eerst`);
    }
    if (unallocatedBytes(c.stat) > 0) {
      const readable = await access(c.path, constants.R_OK).then(
        () => true,
        () => false,
      );
      if (!readable && unallocatedBytes(c.stat) > (await freeBytes(dirname(resolve(c.path))))) {
        problems.push(`${c.path}: is een 'sparse' bestand dat niet gelezen mag worden; overschrijven zou de schijf vullen. Maak het eerst leesbaar`);
      }
    }
  }
  // A few lines at most, however many names were given.
  if (problems.length) throw new UserError(`Niets verwijderd: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; en nog ${problems.length - 5} andere` : ''}.`);
  const targets: ShredTarget[] = checked.map((c) => ({ path: c.path, size: c.stat.size, ...(c.id ? { id: c.id } : {}) }));
  for (const t of [...targets]) {
    if (!OFFICE.test(t.path)) continue;
    const lockPath = join(dirname(t.path), `~$${basename(t.path)}`);
    const lockAbs = await canonical(lockPath);
    if (seen.has(lockAbs)) continue;
    const id = await lstat(lockPath, { bigint: true }).catch(() => undefined);
    const r = await problemWith(lockPath, platform);
    if (typeof r !== 'string' && r.stat.nlink === 1) {
      seen.add(lockAbs);
      targets.push({ path: lockPath, size: r.stat.size, lockFile: true, ...(id && id.ino !== 0n ? { id: fileId(id) } : {}) });
    }
  }
  return targets;
}

/**
 * A path with its folder's links resolved (the file itself is not followed: a link to a file is refused). An
 * existing file is resolved as a whole: the native realpath spells it as the disk does, so x.csv and X.CSV on a
 * Windows or macOS disk are one file, not a second name that is gone once the first is shredded.
 */
async function canonical(path: string): Promise<string> {
  const abs = resolve(path);
  const link = await lstat(abs).then(
    (s) => s.isSymbolicLink(),
    () => true,
  );
  if (!link) {
    const real = await realpath(abs).catch(() => undefined);
    if (real) return real;
  }
  const dir = dirname(abs);
  return join(await realpath(dir).catch(() => dir), basename(abs));
}

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

/**
 * Opens for overwriting: read+write when allowed (so holes can be skipped), else write-only. With `id`, only the
 * file checked: a link put at the name (O_NOFOLLOW refuses it: ELOOP) or another file is CHANGED, untouched.
 */
async function openForOverwrite(path: string, id: FileId | undefined): Promise<{ h: FileHandle; readable: boolean }> {
  let opened: { h: FileHandle; readable: boolean };
  try {
    try {
      opened = { h: await open(path, constants.O_RDWR | NOFOLLOW), readable: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EACCES' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
      opened = { h: await open(path, constants.O_WRONLY | NOFOLLOW), readable: false };
    }
  } catch (err) {
    throw id && (err as NodeJS.ErrnoException).code === 'ELOOP' ? changed() : err;
  }
  if (id && !stillChecked(await opened.h.stat({ bigint: true }), id)) {
    await opened.h.close();
    throw changed();
  }
  return opened;
}

/**
 * Bytes a write-only overwrite could newly allocate: the holes of a sparse file. A readable file never needs
 * them (all-zero chunks are skipped), so this only matters when the file can be written but not read.
 * Windows reports no block count; there every file counts as fully allocated.
 */
function unallocatedBytes(s: Stats): number {
  return process.platform === 'win32' || !Number.isFinite(s.blocks) ? 0 : Math.max(0, s.size - s.blocks * 512);
}

/** Free space in the folder, or Infinity where the platform cannot tell. */
async function freeBytes(dir: string): Promise<number> {
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
export async function overwriteInPlace(path: string, o: OverwriteOptions, id?: FileId): Promise<void> {
  const { h, readable } = await openForOverwrite(path, id);
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
        // On a copy-on-write disk (APFS, btrfs) overwriting needs new blocks, and a full disk writes less.
        await writeAll(h, buf.subarray(0, n), pos);
      }
      await h.sync();
    }
  } finally {
    await h.close();
  }
}

/**
 * All of `data`, or an error. One write() may write less than asked without an error (a disk that fills up, a
 * file size limit): the rest is written on, and a write of nothing is a full disk.
 */
export async function writeAll(h: FileHandle, data: Buffer, position?: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await h.write(data, done, data.length - done, position === undefined ? null : position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** What a directory's fsync (or its open) says when the disk fails, not when the platform cannot. */
const FAILED_SYNC = new Set(['EIO', 'ENOSPC', 'EDQUOT']);

/** Makes the folder's names (a rename, an unlink) durable, where the platform can. */
export async function syncDir(dir: string, o: { strict?: boolean } = {}): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY);
    await h.sync().finally(() => h.close());
  } catch (err) {
    // Not every platform can fsync a directory (Windows: EPERM; others EINVAL, ENOTSUP); the rename is still atomic.
    // A failing or full disk is another matter: with `strict` (a file just put in place) it is thrown, as the new
    // name may not survive a crash. A shred's renames need not: the content is overwritten already.
    if (o.strict && FAILED_SYNC.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  }
}

/**
 * The last steps of GNU shred --remove=wipesync, after the overwrite: rename to a random name (the name goes
 * too), truncate, unlink, fsync the folder. `onRenaming` learns the random name just before the rename, so a failure
 * or a signal after it can say where the file is. With `id`, a file put at the name since the overwrite (a moment
 * ago, no question between) is left alone (CHANGED). Checked before the rename, not after: on a FAT disk Windows
 * numbers a file by the place of its name in the folder, which a longer name may move.
 */
export async function removeOverwritten(path: string, onRenaming: (hidden: string) => void = () => {}, id?: FileId): Promise<void> {
  if (id) {
    // Without the creation time: the overwrite just now changed the change or modification time, which stands in
    // for it where the file system keeps none. Between the overwrite and this there is no question to wait on.
    const now = await lstat(path, { bigint: true });
    if (now.isSymbolicLink() || !stillChecked({ dev: now.dev, ino: now.ino, nlink: now.nlink }, { dev: id.dev, ino: id.ino, nlink: id.nlink })) throw changed();
  }
  const dir = dirname(resolve(path));
  const hidden = join(dir, randomBytes(Math.max(4, Math.min(16, Math.ceil(basename(path).length / 2)))).toString('hex'));
  onRenaming(hidden);
  await rename(path, hidden);
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
