import { constants, type Stats } from 'node:fs';
import { access, lstat, open } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { freeBytes, overwriteInPlace, removeOverwritten, unallocatedBytes, type OverwriteOptions } from '../io/secure-delete.js';

export interface ShredTarget {
  path: string;
  size: number;
  /** Excel's owner file (~$name.xlsx) found next to a named file. */
  lockFile?: boolean;
}

export type ShredOptions = OverwriteOptions;

export const SHRED_CAVEAT =
  'Let op: overschrijven wist alleen deze kopie. Het helpt niet tegen kopieën elders: SSD\'s (wear levelling), ' +
  'journaling- en copy-on-write-bestandssystemen, schaduwkopieën en snapshots, back-ups, en mappen die met de ' +
  'cloud synchroniseren (OneDrive, Dropbox, Google Drive). Verwijder de bestanden ook uit Downloads, e-mail en de Prullenbak.';

const CLOUD = /(^|[\\/])(onedrive[^\\/]*|dropbox|google ?drive|my drive|mijn drive|icloud ?drive|mobile documents)([\\/]|$)/i;

/** Which of these paths lie in a cloud-synced folder (the file has then already left the PC). */
export function cloudSynced(paths: string[]): string[] {
  const roots = [process.env.OneDrive, process.env.OneDriveCommercial, process.env.OneDriveConsumer].filter((r): r is string => Boolean(r));
  return paths.filter((p) => {
    const abs = resolve(p);
    return CLOUD.test(abs) || roots.some((r) => abs.startsWith(r.endsWith(sep) ? r : r + sep));
  });
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Whether the mode bits let us write. Root is held to the owner's bits: a file or folder the school made
 * read-only stays refused, also for an admin who runs numo-prep as root (where every access() call succeeds).
 * Others ask the OS, which also knows ACLs. On Windows the mode reflects the read-only attribute.
 */
async function writable(path: string, s: Stats): Promise<boolean> {
  if (process.platform === 'win32' || isRoot()) return (s.mode & 0o200) !== 0;
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

interface Checked {
  path: string;
  stat: Stats;
}

/** What stands in the way of shredding this one file, or its stat. Nothing is opened for longer than a check. */
async function problemWith(path: string): Promise<Checked | string> {
  let s;
  try {
    s = await lstat(path);
  } catch {
    return `${path}: bestaat niet`;
  }
  if (s.isSymbolicLink()) return `${path}: is een snelkoppeling (symlink); shred volgt die niet — geef het echte bestand`;
  if (s.isDirectory()) return `${path}: is een map; shred verwijdert alleen losse bestanden`;
  if (!s.isFile()) return `${path}: is geen gewoon bestand (apparaat of pipe)`;
  if (!(await writable(path, s))) return `${path}: is alleen-lezen; haal dat eerst weg (Eigenschappen > Alleen-lezen)`;
  const dir = dirname(resolve(path));
  const d = await lstat(dir).catch(() => undefined);
  if (!d || !(await writable(dir, d))) return `${path}: de map ${dir} is alleen-lezen, dus het bestand kan er niet uit verwijderd worden`;
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && d.mode & 0o1000 && s.uid !== uid && d.uid !== uid) {
    return `${path}: is van een andere gebruiker in een gedeelde map; alleen die gebruiker kan het verwijderen`;
  }
  try {
    const h = await open(path, constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0));
    await h.close();
  } catch {
    return `${path}: kan niet geopend worden om te overschrijven (nog open in Excel?)`;
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
export async function planShred(paths: string[]): Promise<ShredTarget[]> {
  const checked: Checked[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const abs = resolve(path);
    if (seen.has(abs)) continue;
    seen.add(abs);
    const r = await problemWith(path);
    if (typeof r === 'string') problems.push(r);
    else checked.push(r);
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
      const readable = await access(c.path, constants.R_OK).then(() => true, () => false);
      if (!readable && unallocatedBytes(c.stat) > (await freeBytes(dirname(resolve(c.path))))) {
        problems.push(`${c.path}: is een 'sparse' bestand dat niet gelezen mag worden; overschrijven zou de schijf vullen. Maak het eerst leesbaar`);
      }
    }
  }
  if (problems.length) throw new UserError(`Niets verwijderd: ${problems.join('; ')}.`);
  const targets: ShredTarget[] = checked.map((c) => ({ path: c.path, size: c.stat.size }));
  for (const t of [...targets]) {
    if (!OFFICE.test(t.path)) continue;
    const lockPath = join(dirname(t.path), `~$${basename(t.path)}`);
    if (seen.has(resolve(lockPath))) continue;
    const r = await problemWith(lockPath);
    if (typeof r !== 'string' && r.stat.nlink === 1) {
      seen.add(resolve(lockPath));
      targets.push({ path: lockPath, size: r.stat.size, lockFile: true });
    }
  }
  return targets;
}

/** How far one file got; the report of a failed batch lists every file with its state. */
export type ShredOutcome =
  | { path: string; state: 'done' }
  | { path: string; state: 'untouched' }
  | { path: string; state: 'failed'; step: 'overwrite' | 'remove'; hidden?: string; code: string; stillThere: boolean };

export class ShredFailed extends UserError {
  constructor(readonly outcomes: ShredOutcome[]) {
    super(
      `Shred gestopt bij een fout. Per bestand: ${outcomes
        .map((o) => {
          if (o.state === 'done') return `${o.path}: overschreven en verwijderd`;
          if (o.state === 'untouched') return `${o.path}: niet aangeraakt`;
          if (o.step === 'overwrite') {
            return `${o.path}: FOUT bij overschrijven (${o.code}); ${o.stillThere ? 'het bestand staat er nog en is misschien deels overschreven' : 'het bestand bestaat niet meer'}`;
          }
          return o.hidden
            ? `${o.path}: overschreven, maar FOUT bij verwijderen (${o.code}); het staat er nog als ${o.hidden}`
            : `${o.path}: overschreven, maar FOUT bij verwijderen (${o.code}); het staat er nog onder die naam`;
        })
        .join('; ')}. Los de fout op en draai shred opnieuw voor wat er nog staat.`,
    );
  }
}

/** Shreds the planned files in order; stops at the first failure and says what happened to each file. */
export async function executeShred(targets: ShredTarget[], o: ShredOptions, onDone: (t: ShredTarget) => void): Promise<void> {
  const outcomes: ShredOutcome[] = targets.map((t) => ({ path: t.path, state: 'untouched' }));
  for (const [i, t] of targets.entries()) {
    let step: 'overwrite' | 'remove' = 'overwrite';
    let hidden: string | undefined;
    try {
      await overwriteInPlace(t.path, o);
      step = 'remove';
      await removeOverwritten(t.path, (h) => (hidden = h));
    } catch (err) {
      const stillThere = Boolean(await lstat(hidden ?? t.path).catch(() => undefined));
      outcomes[i] = { path: t.path, state: 'failed', step, ...(hidden ? { hidden } : {}), code: (err as NodeJS.ErrnoException).code ?? 'onbekend', stillThere };
      throw new ShredFailed(outcomes);
    }
    outcomes[i] = { path: t.path, state: 'done' };
    onDone(t);
  }
}
