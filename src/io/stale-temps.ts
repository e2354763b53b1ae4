import { lstat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TEMP_NAME, thisPc } from './atomic-file.js';
import { removeOwnFile } from './shred.js';

export interface StaleTemps {
  /** Leftovers of a killed run, overwritten and removed. */
  removed: string[];
  /** Leftovers that stay: possibly a run still busy, or not removable; they belong in the shred command. */
  remaining: string[];
}

/** A run never takes this long, even one waiting at a question overnight. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Whether the process that wrote the temp file may still be running. `pc`: the writer's computer (TEMP_NAME), if the
 * name says; a pid of another PC (a shared folder) cannot be looked up here, so that one may be.
 */
function mayBeRunning(pid: number, pc: string | undefined): boolean {
  if (pc !== undefined && pc !== thisPc()) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temp files of numo-prep in these folders (TEMP_NAME), each with whether its writer may still be running (younger
 * than a day, and its pid alive; or written on another PC).
 */
export async function findTemps(dirs: string[], now = Date.now()): Promise<{ path: string; busy: boolean }[]> {
  const found: { path: string; busy: boolean }[] = [];
  for (const dir of new Set(dirs.map((d) => resolve(d)))) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const m = TEMP_NAME.exec(name);
      if (!m) continue;
      const path = join(dir, name);
      const s = await lstat(path).catch(() => undefined);
      if (!s?.isFile()) continue;
      // A second name of a file (a run's backup of the output it replaces) has that file's modification time: a live
      // run's backup of a day-old output looked like a leftover, and another run removed it. Making the link changed
      // the file's change time, which says how old the name is.
      const age = now - (s.nlink > 1 ? Math.max(s.mtimeMs, s.ctimeMs) : s.mtimeMs);
      found.push({ path, busy: age < MAX_AGE_MS && mayBeRunning(Number(m[1]), m[2]) });
    }
  }
  return found;
}

/**
 * Temp files left by a run that was killed (kill -9, out of memory, power cut) hold personal data. The next run
 * writing into the same folder finds them by their fixed name pattern and removes them securely. A temp file whose
 * writer may still be running is left alone and reported instead; so is one that cannot be removed. With `dryRun`
 * nothing is removed: every leftover is reported as remaining.
 */
export async function recoverStaleTemps(dirs: string[], o: { dryRun: boolean; now?: number }): Promise<StaleTemps> {
  const result: StaleTemps = { removed: [], remaining: [] };
  for (const { path, busy } of await findTemps(dirs, o.now)) {
    if (o.dryRun || busy) {
      result.remaining.push(path);
      continue;
    }
    try {
      await removeOwnFile(path);
      result.removed.push(path);
    } catch {
      result.remaining.push(path);
    }
  }
  return result;
}
