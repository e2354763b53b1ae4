import { closeSync, fstatSync, openSync, type Stats, unlinkSync } from 'node:fs';
import { lstat, readdir, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TEMP_NAME, tempPathIn, thisPc } from './atomic-file.js';
import { ownedByOtherInStickyFolder, removeOwnFile, writable } from './shred.js';

export interface StaleTemps {
  /** Leftovers of a killed run, overwritten and removed. */
  removed: string[];
  /** Leftovers that stay: possibly a run still busy, or not removable; they belong in the shred command. */
  remaining: string[];
}

/** Far more than any file numo-prep writes (a Numo file of 250,000 rows is ~30 MB). */
const MAX_LEFTOVER_BYTES = 256 * 1024 * 1024;

/** A run never takes this long, even one waiting at a question overnight. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Whether the process that wrote the temp file may still be running. `pc`: the writer's computer (TEMP_NAME), if the
 * name says; a pid of another PC (a shared folder) cannot be looked up here, so that one may be.
 */
function mayBeRunning(pid: number, pc: string | undefined): boolean {
  if (pc !== undefined && pc !== thisPc()) return true;
  // This process's pid: its own file, or an earlier process's with the same pid (pids are reused; under Wine every
  // first process is 32), or a live run's in another pid namespace (a container, another Wine prefix) on this host.
  // Not told apart: the age decides, so a live file is never taken.
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temp file of numo-prep found in a folder (findTemps). */
export interface Temp {
  path: string;
  /** Its writer may still be running. */
  busy: boolean;
  empty: boolean;
  /** Another user's, in a folder where only the owner may remove a file (sticky: /tmp, a shared folder). */
  othersInSharedFolder: boolean;
}

/**
 * The folder's clock: the modification time of an empty file made there and removed at once. The times of the temp
 * files are the file system's (a shared folder's server stamps them), not this PC's: a PC whose clock ran a day or
 * more ahead took a live run's file for a leftover, and removed it while that run wrote it. Undefined when the folder
 * takes no new file (read-only).
 */
function folderClock(dir: string): number | undefined {
  const probe = tempPathIn(dir);
  // Made, read and removed synchronously: a Ctrl+C (between two JavaScript tasks) never finds it there.
  let fd: number;
  try {
    fd = openSync(probe, 'wx', 0o600);
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).mtimeMs;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // a folder that keeps it (append-only): empty, and never named (recoverStaleTemps)
    }
  }
}

/**
 * Temp files of numo-prep in these folders (TEMP_NAME), each with whether its writer may still be running: written
 * within a day of the folder's clock (before or after: a time ahead of it is a clock that was wrong), and its pid
 * alive; or written on another PC. `now`: this clock instead of the folder's; `probe: false` (a dry run) writes
 * nothing and takes this PC's clock.
 */
export async function findTemps(dirs: string[], o: { now?: number; probe?: boolean } = {}): Promise<Temp[]> {
  const found: Temp[] = [];
  for (const dir of new Set(dirs.map((d) => resolve(d)))) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    let now = o.now;
    // Read at the first temp file: most folders have none.
    let folder: Stats | undefined | null = null;
    for (const name of names.sort()) {
      const m = TEMP_NAME.exec(name);
      if (!m) continue;
      const path = join(dir, name);
      const s = await lstat(path).catch(() => undefined);
      if (!s?.isFile()) continue;
      if (folder === null) folder = await lstat(dir).catch(() => undefined);
      const othersInSharedFolder = Boolean(folder && ownedByOtherInStickyFolder(s, folder));
      // Only a writer that may be running makes the age count: the folder's clock is read for such a file only.
      if (!mayBeRunning(Number(m[1]), m[2])) {
        found.push({ path, busy: false, empty: s.size === 0, othersInSharedFolder });
        continue;
      }
      now ??= (o.probe !== false ? folderClock(dir) : undefined) ?? Date.now();
      // A second name of a file (a run's backup of the output it replaces) has that file's modification time: a live
      // run's backup of a day-old output (or of one dated ahead by a wrong clock) looked like a leftover, and another
      // run removed it. Making the link set the file's change time, which says how old the name is.
      const age = now - (s.nlink > 1 ? s.ctimeMs : s.mtimeMs);
      found.push({ path, busy: Math.abs(age) < MAX_AGE_MS, empty: s.size === 0, othersInSharedFolder });
    }
  }
  return found;
}

/**
 * Removes a leftover under a name of this run first: a writer that is alive after all (its file misjudged) can then
 * no longer put the file in place, and fails, instead of putting in place what is being overwritten here. After the
 * rename nobody can make another name of it; one made before (a commit's link) keeps the content (removeOwnFile).
 * `remove`: what is done with the claimed name (a test checks the order).
 */
export async function removeLeftover(path: string, remove: (claimed: string) => Promise<void> = removeOwnFile): Promise<void> {
  // A read-only leftover could not be overwritten (Windows would delete it all the same): it stays, under its name.
  // So does one larger than numo-prep ever writes (a sparse file of gigabytes took minutes to read through).
  const s = await lstat(path);
  if (!(await writable(path, s)) || s.size > MAX_LEFTOVER_BYTES) throw new Error('not removed here');
  const claimed = tempPathIn(dirname(path));
  await rename(path, claimed);
  try {
    await remove(claimed);
  } catch (err) {
    // Named in the report as it was found: the file goes back to that name.
    await rename(claimed, path).catch(() => {});
    throw err;
  }
}

/**
 * Temp files left by a run that was killed (kill -9, out of memory, power cut) hold personal data. The next run
 * writing into the same folder finds them by their fixed name pattern and removes them securely. A temp file whose
 * writer may still be running is left alone and reported instead; so is one that cannot be removed. With `dryRun`
 * nothing is removed: every leftover is reported as remaining.
 */
export async function recoverStaleTemps(dirs: string[], o: { dryRun: boolean; now?: number }): Promise<StaleTemps> {
  const result: StaleTemps = { removed: [], remaining: [] };
  for (const { path, busy, empty, othersInSharedFolder } of await findTemps(dirs, { ...(o.now !== undefined ? { now: o.now } : {}), probe: !o.dryRun })) {
    // An empty file of a run that may be busy holds no personal data: not named (another run's probe of the folder's
    // clock, or a temp file before its first write). Nor is another user's in a shared (sticky) folder: only that
    // user can remove it, and in this run's shred line it made shred refuse every file.
    if ((busy && empty) || othersInSharedFolder) continue;
    if (o.dryRun || busy) {
      result.remaining.push(path);
      continue;
    }
    try {
      await removeLeftover(path);
      result.removed.push(path);
    } catch {
      result.remaining.push(path);
    }
  }
  return result;
}
