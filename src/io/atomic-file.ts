import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, linkSync, lstatSync, openSync, renameSync, type Stats, truncateSync, unlinkSync } from 'node:fs';
import { copyFile, type FileHandle, link, lstat, open, realpath, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileProblem, NOTHING_WRITTEN, UserError } from '../core/errors.js';
import { noteCommitted, trackOldCopy, trackTemp, trackUndo, untrackOldCopy, untrackTemp } from './cleanup.js';
import { folderWriteDenied, onReadOnlyDisk, ownedByOtherInStickyFolder, READ_ONLY_HOW, removeOwnFile, syncDir, writable, writeAll } from './shred.js';

/**
 * Every temp file numo-prep writes is called `.numo-prep-<pid>-<pc>-<12 hex>.tmp`, beside its target: a later run
 * in the same folder recognises the leftovers of a killed run by that name (see stale-temps.ts), and nothing else
 * ever matches it. `<pc>` (8 hex, a hash of the computer's name, which it does not reveal) tells a run on another
 * PC writing into a shared folder, whose pid means nothing here. Names without it are from before it was added.
 */
export const TEMP_NAME = /^\.numo-prep-(\d{1,10})-(?:([0-9a-f]{8})-)?[0-9a-f]{12}\.tmp$/;

let pcTag: string | undefined;
/** This computer's part of a temp name (see TEMP_NAME). */
export function thisPc(): string {
  pcTag ??= createHash('sha256').update(`numo-prep ${hostname()}`).digest('hex').slice(0, 8);
  return pcTag;
}

/** A fresh temp name of this process in `dir` (TEMP_NAME). */
export function tempPathIn(dir: string): string {
  return join(dir, `.numo-prep-${process.pid}-${thisPc()}-${randomBytes(6).toString('hex')}.tmp`);
}

export interface TargetCheck {
  force: boolean;
  /** Files this run reads (the config file too); the output may never replace one of them. */
  inputs: string[];
  /** Another file this run writes (the Numo file, for --previous-report). */
  output?: string;
  /** The option that names this target, for the message (default --out). */
  flag?: string;
}

const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';

/** Two absolute paths name one file as far as their spelling tells: without case on Windows and macOS. */
export const samePath = (a: string, b: string): boolean => (CASE_INSENSITIVE ? a.toLowerCase() === b.toLowerCase() : a === b);

/**
 * Same file, however it is spelled: dev+ino where the file system has inode numbers, else the real path —
 * compared without case on Windows and macOS, whose usual file systems ignore it.
 */
export async function sameFile(a: string, b: string): Promise<boolean> {
  // bigint: NTFS file ids pass 2^53, where two files would round to one.
  const [sa, sb] = await Promise.all([stat(a, { bigint: true }).catch(() => undefined), stat(b, { bigint: true }).catch(() => undefined)]);
  if (sa && sb && sa.ino !== 0n && sb.ino !== 0n) return sa.dev === sb.dev && sa.ino === sb.ino;
  const real = (p: string) => realpath(p).catch(() => resolve(p));
  return samePath(await real(a), await real(b));
}

/**
 * "uitvoer/" names a folder: resolved, it would become a file named uitvoer that the admin looks for in vain.
 * Checked on the path as typed (resolve() drops the slash). `example`: a file name for the folder, in the message.
 */
export function refuseFolderName(path: string | undefined, flag: string, example = flag === '--out' ? 'numo-import.csv' : 'verschillen.csv'): void {
  if (path && /[\\/]$/.test(path)) throw new UserError(`${flag} ${path} is een map; geef een bestandsnaam, bijvoorbeeld ${path.replace(/[\\/]+$/, '')}${sep}${example}.`);
}

/**
 * Refuses a file that convert may add to (the mapping) when it is one of the run's other inputs: a mapping line
 * appended to the export or the IDGebr file would change an input. `others`: what each is called in the message.
 */
export async function refuseSameAsInput(path: string, flag: string, others: readonly { path: string | undefined; what: string }[]): Promise<void> {
  for (const other of others) {
    if (other.path && (await sameFile(path, other.path))) {
      throw new UserError(`${flag} ${path} is hetzelfde bestand als ${other.what}. Geef met ${flag} het eigen bestand; invoer wordt nooit gewijzigd.`);
    }
  }
}

/**
 * Why a file name cannot be written on Windows: a device name (NUL, CON, AUX, PRN, COM1, LPT1, also with an
 * extension: aux.csv) or a name that ends in a dot or space. Node writes them anyway (through \\?\ paths), as files
 * that Explorer, Excel and Numo's upload dialog can neither open nor delete; `--out NUL` (the Windows way to throw
 * output away) became such a file full of passwords.
 */
export function windowsNameProblem(name: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32') return undefined;
  if (/^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)(\.[^\\/]*)?$/i.test(name)) return `${name} is op Windows de naam van een apparaat, geen bestand`;
  if (/[. ]$/.test(name)) return `${name} eindigt op een punt of spatie, wat Windows niet als bestandsnaam neemt`;
  return undefined;
}

/** Refuses an output path that would lose data or write somewhere unexpected — before any work is done. */
export async function checkTarget(target: string, o: TargetCheck): Promise<void> {
  const flag = o.flag ?? '--out';
  const windowsProblem = windowsNameProblem(basename(target));
  if (windowsProblem) throw new UserError(`${windowsProblem}. Kies met ${flag} een andere naam.`);
  // The folder as the system finds it, not by the path's text: "nope/../uit.csv" is in no folder when nope is none.
  const dir = dirname(target);
  let folder;
  try {
    folder = await stat(dir);
  } catch (err) {
    // Only these say the folder is not there; any other (no access to a folder above it, a failing disk) is said as it is.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(`De map ${dir} bestaat niet. Maak de map eerst aan of kies met ${flag} een andere plek.`);
    throw new UserError(`Kan de map ${dir} niet openen: ${fileProblem(code)}. ${code === 'EACCES' || code === 'EPERM' ? 'Controleer de rechten of kies' : 'Kies'} met ${flag} een andere plek.`);
  }
  if (!folder.isDirectory()) throw new UserError(`${dir} is een bestand, geen map. Kies met ${flag} een andere plek.`);
  // Said before the export is read, and by a dry run as the real run would say it.
  const denied = await folderWriteDenied(dir, folder);
  if (denied) {
    throw new UserError(`Kan niet schrijven in ${dir}: ${fileProblem(denied)}. ${denied === 'EROFS' ? 'Kies' : 'Controleer de rechten of kies'} met ${flag} een andere map.`);
  }
  // A later run would take such a file for a leftover temp file and remove it.
  if (TEMP_NAME.test(basename(target))) throw new UserError(`${basename(target)} is de naam van een tijdelijk bestand van numo-prep. Kies met ${flag} een andere naam.`);
  for (const input of o.inputs) {
    if (await sameFile(target, input)) {
      const alias = resolve(input) === resolve(target) ? '' : ` (${input})`;
      throw new UserError(`Het uitvoerbestand ${target} is ook een invoerbestand${alias}. Kies met ${flag} een andere naam; invoer wordt nooit overschreven.`);
    }
  }
  if (o.output && (await sameFile(target, o.output))) throw new UserError(`${flag} ${target} is hetzelfde bestand als het Numo-bestand. Kies met ${flag} een andere naam.`);
  let existing;
  try {
    existing = await lstat(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    // Not known to be absent: it may be a file --force alone may replace.
    throw new UserError(`Kan ${target} niet bekijken: ${fileProblem(code)}. Kies met ${flag} een andere naam of plek.`);
  }
  if (existing.isSymbolicLink()) throw new UserError(`${target} is een snelkoppeling (symlink); numo-prep schrijft daar niet doorheen. Kies met ${flag} een gewoon pad.`);
  if (!existing.isFile()) throw new UserError(`${target} bestaat al en is geen gewoon bestand. Kies met ${flag} een andere naam.`);
  if (!o.force) throw new UserError(`${target} bestaat al. Kies met ${flag} een andere naam, of gebruik --force om het te vervangen.`);
  // The replace would fail at the end, and the backup (a second name of that file, with its personal data) could not
  // be removed by this user. Before the mode: such a file is usually not writable for this user either.
  if (ownedByOtherInStickyFolder(existing, folder)) {
    throw new UserError(`${target} is van een andere gebruiker in een gedeelde map; alleen die kan het vervangen. Kies met ${flag} een andere naam.`);
  }
  // Made read-only by the school: kept, as shred keeps it (a rename would replace it all the same).
  if (!(await writable(target, existing))) {
    if (await onReadOnlyDisk(target)) throw new UserError(`${target} staat op een schijf die alleen-lezen is. Kies met ${flag} een plek waar je mag schrijven.`);
    throw new UserError(`${target} is alleen-lezen; --force vervangt het niet. Haal dat eerst weg (${READ_ONLY_HOW}), of kies met ${flag} een andere naam.`);
  }
}

/** One file a run wants to write, prepared in full before any file is put in place (see commitAll). */
export interface PendingWrite {
  readonly target: string;
  /** The option that names the target, for what to do when it cannot be written. */
  readonly flag?: string | undefined;
  /** Checked for every file before the first one is put in place. */
  verify(): Promise<void>;
  /**
   * Puts the file in place; returns how to take that back, and what to clean up once all are in place. `arm` gets
   * the synchronous undo for an interrupt (which cannot wait) before the first step that changes the target: a
   * signal between that step and the return takes it back too. The undo does nothing to a target not yet changed.
   */
  install(arm: (undoSync: () => void) => void): Promise<Installed>;
  /** Drops what was prepared; nothing is left behind. */
  abort(): Promise<void>;
}

interface Installed {
  undo: () => Promise<void>;
  /**
   * After every file of the commit is in place: wipes the old file (`backup`) the target replaced, and removes a
   * temp name still left. Returns such a name that stays (its removal failed): it holds personal data.
   */
  done: () => Promise<string | undefined>;
  backup?: string;
  /**
   * The file is in place, but its folder could not be synced (a failing disk): the new name may not survive a crash.
   * The commit takes it back like any other failure.
   */
  unsynced?: unknown;
}

/** A name of this run that could not be removed: undefined when it is gone after all. */
async function stillThere(path: string, remove: (p: string) => Promise<void>): Promise<string | undefined> {
  try {
    await remove(path);
    return undefined;
  } catch {
    return (await lstat(path).catch(() => undefined)) ? path : undefined;
  }
}

/** Errors of link() on file systems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV', 'EINVAL']);

/**
 * A folder where files can be made but not removed (an append-only folder; a share whose rights allow creating
 * only): the temp name would stay beside the output after the commit, a second name with the passwords, and shred
 * could not remove either. Tried while the temp file is still empty: a second name of it is made and removed.
 * Refused, the two empty names stay (nothing can remove them there; they hold nothing).
 */
function refuseUndeletableFolder(tempPath: string, dir: string, flag: string | undefined): void {
  const probe = tempPathIn(dir);
  // Synchronously, as the temp file is made: a Ctrl+C runs between two JavaScript tasks, so it never meets the second
  // name (an asynchronous link could finish after the signal handler's clean-up, and the name stayed).
  try {
    linkSync(tempPath, probe);
  } catch {
    // No hard links here (FAT, exFAT): nothing to try with, and such a file system has no append-only folders.
    return;
  }
  try {
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EACCES') throw err;
    throw new UserError(
      `In ${dir} kan numo-prep bestanden maken maar niet verwijderen: zijn tijdelijke bestand zou blijven staan, en shred zou het Numo-bestand later niet kunnen weghalen. Kies${flag ? ` met ${flag}` : ''} een andere map.`,
    );
  }
}

/** `flag`: the option that names the target; only an output (not the mapping convert adds to) may be replaced with --force. */
const createdMeanwhile = (target: string, flag: string | undefined) =>
  new UserError(
    `${target} is tijdens de run door iets anders aangemaakt en wordt niet vervangen${flag ? ` (kies met ${flag} een andere naam${flag === '--mapping' ? '' : ', of gebruik --force'})` : ''}.`,
  );

function notRegular(target: string, s: { isSymbolicLink(): boolean; isFile(): boolean }): UserError | undefined {
  if (s.isSymbolicLink()) return new UserError(`${target} is tijdens de run een snelkoppeling (symlink) geworden; numo-prep schrijft daar niet doorheen.`);
  if (!s.isFile()) return new UserError(`${target} is tijdens de run iets anders dan een gewoon bestand geworden.`);
  return undefined;
}

/**
 * Output written whole or not at all: a temp file beside the target (0600 for personal data), put in place by
 * commitAll. Without `replace`, the file is put in place with a no-replace primitive (a hard link, which fails
 * when anything — also a symlink — appeared at the target during the run; where the file system has no hard
 * links, an O_EXCL placeholder that the temp file is then renamed over). With `replace` (--force), the old file
 * stays reachable under a temp name until every file of the run is in place, so a failure can put it back.
 * The temp file is removed on abort, on a signal and on exit.
 */
export class AtomicFile implements PendingWrite {
  private ino = -1;

  private constructor(
    readonly target: string,
    private readonly tempPath: string,
    private handle: FileHandle | undefined,
    private readonly replace: boolean,
    readonly flag: string | undefined,
  ) {}

  /**
   * `mode`: exactly this mode (to keep the mode of a file being replaced); `private: false`: the usual mode for a
   * new file (0666 less the umask); default 0600, for files with personal data. `flag`: the option that names the
   * file, for the messages when its folder cannot be written or the target appeared meanwhile.
   */
  static async create(target: string, o: { replace: boolean; private?: boolean; mode?: number; flag?: string }): Promise<AtomicFile> {
    const dir = dirname(target);
    const tempPath = tempPathIn(dir);
    trackTemp(tempPath);
    let created: Stats | undefined;
    // Made by this call (O_EXCL): removed on a failure, also when fstat could not say what it is.
    let made = false;
    let handle: FileHandle | undefined;
    try {
      const mode = o.private === false ? 0o666 : 0o600;
      const noFollow = constants.O_NOFOLLOW ?? 0;
      // Created synchronously: Ctrl+C runs between two JavaScript tasks, so the file is either there (and removed by
      // the signal handler) or not yet. An asynchronous create could finish on libuv's thread after the handler
      // removed the name, leaving an empty temp file behind. The handle is opened after, without O_CREAT, and must
      // be the file just created (not one put under its name meanwhile).
      const fd = openSync(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, mode);
      made = true;
      try {
        created = fstatSync(fd);
        // The umask only takes bits away: under umask 277 the new file was read-only (and could not be opened
        // again below), under 577 even its owner could not read the passwords in it, under 000 anyone could change
        // a mapping. So the mode is set outright: 0600 for personal data; others as the umask has them (a group that
        // shares the folder may share them), but always readable and writable by the owner and never by everyone.
        // (A mode to keep is set once the file is open for writing: it may be a read-only one. Windows has only a
        // read-only flag, which a new file does not have.) A file system without modes of its own (FAT or exFAT on
        // a USB stick under Linux: one mode from the mount for every file) refuses the change: written as before.
        const wanted = o.private === false ? ((created.mode & 0o777) | 0o600) & ~0o002 : 0o600;
        if (process.platform !== 'win32' && (created.mode & 0o7777) !== wanted) {
          try {
            fchmodSync(fd, wanted);
          } catch (err) {
            if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((err as NodeJS.ErrnoException).code!)) throw err;
          }
        }
      } finally {
        closeSync(fd);
      }
      handle = await open(tempPath, constants.O_WRONLY | noFollow);
      const opened = await handle.stat();
      if (opened.ino !== created.ino || opened.dev !== created.dev) throw Object.assign(new Error('replaced'), { code: 'EEXIST' });
      if (o.mode !== undefined) await handle.chmod(o.mode).catch(() => {});
      refuseUndeletableFolder(tempPath, dir, o.flag);
      return new AtomicFile(target, tempPath, handle, o.replace, o.flag);
    } catch (err) {
      await handle?.close().catch(() => {});
      // The file this call created (an empty one) goes too: nothing else would remove it. Checked to be that file
      // when fstat told what it is; else by its name alone (a random name of this run, as the exit hook removes it).
      if (made) {
        try {
          const now = lstatSync(tempPath);
          if (!created || (now.ino === created.ino && now.dev === created.dev)) unlinkSync(tempPath);
        } catch {
          // gone already
        }
      }
      untrackTemp(tempPath);
      if (err instanceof UserError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const check = code === 'EACCES' || code === 'EPERM' ? 'Controleer de rechten' : 'Los dat op';
      throw new UserError(`Kan niet schrijven in ${dir}: ${writeProblem(code)}. ${check}${o.flag ? ` of kies met ${o.flag} een andere map` : ''}.`);
    }
  }

  async write(data: Buffer): Promise<void> {
    try {
      await writeAll(this.handle!, data);
    } catch (err) {
      throw this.failed(err);
    }
  }

  /**
   * Everything written is on disk; the file waits for commitAll. A full or failing disk often says so only here (at
   * the fsync or the close): said as a failed write, and the caller's abort removes the temp file.
   */
  async finish(): Promise<void> {
    const h = this.handle;
    if (!h) return;
    this.handle = undefined;
    try {
      this.ino = (await h.stat()).ino;
      await h.sync();
    } catch (err) {
      await h.close().catch(() => {});
      throw this.failed(err);
    }
    try {
      await h.close();
    } catch (err) {
      throw this.failed(err);
    }
  }

  /** A failed write of the temp file: nothing is in place yet, and a file it would replace is still as it was. */
  private failed(err: unknown): UserError {
    let kept = '';
    try {
      if (this.replace && lstatSync(this.target, { throwIfNoEntry: false })?.isFile()) kept = ` ${basename(this.target)} is niet veranderd.`;
    } catch {
      // not said then
    }
    return new UserError(`${cannotWrite(this.target, err, this.flag)}${kept} ${NOTHING_WRITTEN}`);
  }

  async verify(): Promise<void> {
    await this.finish();
    let s;
    try {
      s = await lstat(this.target);
    } catch {
      return;
    }
    const bad = notRegular(this.target, s);
    if (bad) throw bad;
    if (!this.replace) throw createdMeanwhile(this.target, this.flag);
  }

  async install(arm: (undoSync: () => void) => void): Promise<Installed> {
    await this.finish();
    const dir = dirname(this.target);
    const ours = (s: { isFile(): boolean; ino: number } | undefined) => Boolean(s?.isFile() && (this.ino === 0 || s.ino === this.ino));
    const removeOurs = async () => {
      if (ours(await lstat(this.target).catch(() => undefined))) await removeOwnFile(this.target);
    };
    const removeOursSync = () => {
      if (ours(lstatSync(this.target, { throwIfNoEntry: false }))) unlinkSync(this.target);
    };
    if (!this.replace) {
      arm(removeOursSync);
      // The temp name, a second name of the new file, when it could not be removed (Windows: a virus scanner holds
      // it): tracked still, so a take-back or the exit removes it too; else named once the commit is done.
      let leftover: string | undefined;
      try {
        await link(this.tempPath, this.target);
        leftover = await stillThere(this.tempPath, unlink);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') throw createdMeanwhile(this.target, this.flag);
        if (!NO_HARD_LINKS.has(code)) throw err;
        let placeholder;
        try {
          placeholder = await open(this.target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw createdMeanwhile(this.target, this.flag);
          throw e;
        }
        await placeholder.close();
        await rename(this.tempPath, this.target);
      }
      if (!leftover) untrackTemp(this.tempPath);
      const dropLeftover = async () => {
        if (leftover) await removeOwnFile(leftover).catch(() => {});
      };
      return {
        undo: async () => {
          await removeOurs();
          await dropLeftover();
        },
        done: async () => {
          if (!leftover) return undefined;
          untrackTemp(leftover);
          return stillThere(leftover, removeOwnFile);
        },
        ...(await unsynced(dir)),
      };
    }
    const old = await lstat(this.target).catch(() => undefined);
    if (old) {
      const bad = notRegular(this.target, old);
      if (bad) throw bad;
    }
    let backup: string | undefined;
    // Puts the old file back. While backup and target are still one file (two links, before the new file is renamed
    // over the target), rename() would do nothing: then only the backup name goes.
    const oneFile = (b: Stats, t: Stats | undefined) => t !== undefined && t.dev === b.dev && t.ino === b.ino && t.ino !== 0;
    // Nor over a file another run has put there since (two runs with --force): that run said it wrote it.
    const restoreSync = (from: string) => {
      const b = lstatSync(from, { throwIfNoEntry: false });
      if (!b) return;
      const t = lstatSync(this.target, { throwIfNoEntry: false });
      if (oneFile(b, t) || (t && !ours(t))) unlinkSync(from);
      else renameSync(from, this.target);
    };
    const restore = async (from: string) => {
      const b = await lstat(from);
      const t = await lstat(this.target).catch(() => undefined);
      if (oneFile(b, t)) await unlink(from);
      else if (t && !ours(t)) await removeOwnFile(from);
      else await rename(from, this.target);
    };
    // Until the backup exists the target is the old file, untouched (with no old file, the target is ours or absent).
    arm(() => {
      if (backup && lstatSync(backup, { throwIfNoEntry: false })) restoreSync(backup);
      else if (!old) removeOursSync();
    });
    if (old) {
      // A file another program holds open without sharing (Excel on Windows) can get a second name, but then neither
      // name can be removed: the backup link stayed behind. Opening it for writing fails the same way, before
      // anything is made (and writes nothing).
      await (await open(this.target, 'r+')).close();
      backup = tempPathIn(dir);
      trackTemp(backup);
      try {
        await link(this.target, backup);
      } catch (err) {
        if (!NO_HARD_LINKS.has((err as NodeJS.ErrnoException).code ?? '')) {
          untrackTemp(backup);
          throw err;
        }
        // A copy, not a rename: the target stays in place until the new file replaces it in one step, so a crash
        // in between leaves the old output (a rename left no file of that name, and the next run shredded the copy).
        await copyFile(this.target, backup, constants.COPYFILE_EXCL);
        // Windows keeps the old file's modification time on a copy: another run would take the copy of a day-old
        // output for a leftover (findTemps) and remove it while this run may still need it.
        const now = new Date();
        await utimes(backup, now, now).catch(() => {});
      }
      // The old file must survive a crash from here on: only the exit hook's list would remove it.
      untrackTemp(backup);
    }
    try {
      await rename(this.tempPath, this.target);
    } catch (err) {
      if (backup) await restore(backup).catch(() => {});
      throw err;
    }
    untrackTemp(this.tempPath);
    return {
      undo: async () => {
        if (backup) await restore(backup);
        else await removeOurs();
      },
      // The replaced output held personal data too: its blocks are overwritten, unless it has other names.
      done: async () => {
        if (!backup) return undefined;
        const left = await stillThere(backup, removeOwnFile);
        untrackOldCopy(backup);
        return left;
      },
      ...(backup ? { backup } : {}),
      ...(await unsynced(dir)),
    };
  }

  async abort(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    const removed = await removeOwnFile(this.tempPath).then(
      () => true,
      () =>
        unlink(this.tempPath).then(
          () => true,
          () => false,
        ),
    );
    // Not found where it was made (the folder was moved or renamed during the run): the open handle still reaches
    // it, so its personal data is overwritten and cut off there; the empty file may stay under its temp name.
    if (!removed && h) await wipeOpen(h).catch(() => {});
    await h?.close().catch(() => {});
    untrackTemp(this.tempPath);
  }

  /** A single file on its own: commit it, or drop it and rethrow. Returns what commitAll returns. */
  async commit(): Promise<string[]> {
    return commitAll([this]);
  }
}

/**
 * Bytes added to the end of an existing file, which is otherwise left exactly as it is (order, encoding, mode,
 * owner, links). The file must not have changed since it was read; a failure later in the commit truncates it
 * back to its old length.
 */
export class PendingAppend implements PendingWrite {
  constructor(
    readonly target: string,
    private readonly seen: { dev: number; ino: number; size: number; mtimeMs: number },
    private readonly bytes: Buffer,
  ) {}

  private changed(): UserError {
    return new UserError(`${this.target} is tijdens de run veranderd; numo-prep schrijft er niets bij (draai het commando opnieuw).`);
  }

  async verify(): Promise<void> {
    const s = await stat(this.target).catch(() => undefined);
    if (!s || s.dev !== this.seen.dev || s.ino !== this.seen.ino || s.size !== this.seen.size || s.mtimeMs !== this.seen.mtimeMs) throw this.changed();
  }

  /**
   * Only this file, as it was seen, with exactly our lines after it: truncating to the old length then takes back
   * what we appended and nothing else. Not a file that took the name meanwhile (Excel saves by replacing), and not
   * lines another run appended after ours.
   */
  private ours(now: { dev: number; ino: number; size: number } | undefined, part = false): boolean {
    const end = this.seen.size + this.bytes.length;
    return now !== undefined && now.dev === this.seen.dev && now.ino === this.seen.ino && (part ? now.size > this.seen.size && now.size <= end : now.size === end);
  }

  async install(arm: (undoSync: () => void) => void): Promise<Installed> {
    // O_APPEND: the system puts each write at the end of the file as it is then. A second run that passed the same
    // size check a moment later (two admins answering a new Studie at once) lands after our lines instead of on
    // them; written at the size we saw, one of the two lines was lost while both runs said "toegevoegd".
    const h = await open(this.target, constants.O_WRONLY | constants.O_APPEND);
    let writing = false;
    try {
      const s = await h.stat();
      if (s.dev !== this.seen.dev || s.ino !== this.seen.ino || s.size !== this.seen.size) throw this.changed();
      arm(() => {
        const now = lstatSync(this.target, { throwIfNoEntry: false });
        // Another file at the name (Excel saves by replacing) holds nothing of ours; nor does this one before our write.
        if (!now || now.dev !== this.seen.dev || now.ino !== this.seen.ino || now.size <= this.seen.size) return;
        // Another run's lines after ours: kept, and the interrupt message names the file.
        if (!this.ours(now, true)) throw this.changed();
        truncateSync(this.target, this.seen.size);
      });
      writing = true;
      // Should another run's lines come first after all (between the check and our write), ours stand after them:
      // both kept, and a Studie both answered is two lines, which the next run refuses as a conflict.
      await writeAll(h, this.bytes);
      await h.sync();
    } catch (err) {
      // A file that changed before we wrote is someone else's now: left as it is; our own lines alone are taken back.
      // (A failed write may have put part of them there.)
      if (writing) await this.takeBack(true).catch(() => {});
      throw err;
    } finally {
      await h.close();
    }
    return { undo: () => this.takeBack(), done: async () => undefined };
  }

  /** Truncates to the old length when the file is still ours (on a handle of its own: Windows truncates no append-only one). */
  private async takeBack(part = false): Promise<void> {
    const u = await open(this.target, constants.O_WRONLY);
    try {
      if (!this.ours(await u.stat(), part)) throw this.changed();
      await u.truncate(this.seen.size);
      await u.sync();
    } finally {
      await u.close();
    }
  }

  async abort(): Promise<void> {}
}

/** Overwrites an open file with zeros and truncates it: for a file that can no longer be reached by its path. */
async function wipeOpen(h: FileHandle): Promise<void> {
  const { size } = await h.stat();
  const zeros = Buffer.alloc(Math.min(size, 1 << 20));
  for (let pos = 0; pos < size; pos += zeros.length) await writeAll(h, zeros.subarray(0, Math.min(zeros.length, size - pos)), pos);
  await h.sync();
  await h.truncate(0);
}

/** The folder's sync after a file was put in place, as Installed.unsynced: only a failing disk counts (syncDir). */
async function unsynced(dir: string): Promise<{ unsynced?: unknown }> {
  try {
    await syncDir(dir, { strict: true });
    return {};
  } catch (err) {
    return { unsynced: err };
  }
}

/** fileProblem, for writing: EIO there is no read error. */
function writeProblem(code: string | undefined): string {
  return code === 'EIO' ? 'schrijffout van de schijf of het netwerk' : fileProblem(code);
}

function describe(err: unknown): string {
  if (err instanceof UserError) return err.message;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'geen schrijfrechten, of het bestand is open in een ander programma';
  // The temp file (or its folder) went away during the run: another program, or a run on another PC in a shared folder.
  if (code === 'ENOENT') return 'het tijdelijke bestand of de map is tijdens de run verdwenen (weggehaald door een ander programma of een andere pc?); probeer het opnieuw';
  return writeProblem(code);
}

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * "Kan <target> niet schrijven: <why>." with what to do about a full or failing disk; without NOTHING_WRITTEN, which
 * the caller adds (or the commit's own words). A UserError keeps its own message. `flag`: the option that names the target.
 */
function cannotWrite(target: string, err: unknown, flag: string | undefined): string {
  if (err instanceof UserError) return bare(err.message);
  const code = (err as NodeJS.ErrnoException).code ?? '';
  // Another folder only where an option names the file (the wizard's settings belong in its own folder).
  const elsewhere = flag ? ` of kies met ${flag} een andere map` : '';
  const todo = DISK_FULL.has(code) ? ` Maak ruimte vrij op de schijf${elsewhere}.` : code === 'EIO' ? ` Probeer het opnieuw${elsewhere ? `${elsewhere} op een andere schijf` : ''}.` : '';
  return `Kan ${target} niet schrijven: ${describe(err)}.${todo}`;
}

/** A message without its "nothing written" and final full stop, for a commit that says that (or more) itself. */
const bare = (message: string): string => message.replace(` ${NOTHING_WRITTEN}`, '').replace(/\.$/, '');

/**
 * Puts every prepared file in place, or none: each is verified first, then installed in order; when one fails,
 * those already in place are taken back (a replaced file comes back). The error says exactly what was written.
 */
export async function commitAll(files: PendingWrite[]): Promise<string[]> {
  try {
    for (const f of files) await f.verify();
  } catch (err) {
    await Promise.all(files.map((f) => f.abort()));
    throw new UserError(`${err instanceof UserError ? bare(err.message) : `Kan niet schrijven (${describe(err)})`}. ${NOTHING_WRITTEN}`);
  }
  const installed: (Installed & { target: string; release: () => boolean })[] = [];
  for (const [i, f] of files.entries()) {
    let release = () => true;
    let placed = false;
    try {
      const done = await f.install((undoSync) => {
        release = trackUndo(undoSync, f.target);
      });
      installed.push({ target: f.target, ...done, release });
      placed = true;
      // In place but not safely on disk: taken back below with the others.
      if (done.unsynced !== undefined) throw done.unsynced;
    } catch (err) {
      // This file took itself back (or never got in place): only its interrupt undo is dropped.
      if (!placed) release();
      const stuck: string[] = [];
      for (const done of installed.reverse()) {
        if (done.release()) await done.undo().catch(() => stuck.push(done.target));
      }
      await Promise.all(files.slice(i).map((g) => g.abort()));
      // What could not be taken back counts as written: the CLI names it ("Wel geschreven: …").
      noteCommitted(stuck.reverse());
      const cause = bare(cannotWrite(f.target, err, f.flag));
      throw new UserError(stuck.length ? `${cause}; terugdraaien lukte niet voor alles.` : `${cause}. ${NOTHING_WRITTEN}`);
    }
  }
  // Every old file (a replaced output or report) is tracked before the first is wiped: an interrupt while one is
  // overwritten removes all that are left, not only that one.
  for (const f of installed) if (f.backup) trackOldCopy(f.backup);
  for (const f of installed) f.release();
  noteCommitted(installed.map((f) => f.target));
  const left: string[] = [];
  for (const f of installed) {
    const name = await f.done();
    if (name) left.push(name);
  }
  return left;
}
