import { lstat, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileProblem, NOTHING_WRITTEN, UserError } from '../core/errors.js';
import { samePath, TEMP_NAME } from '../io/atomic-file.js';
import { forgetShredded, noteShredded, shredRenaming, shredStarted, trackShred, trackShredAfterWrite, untrackShred } from '../io/cleanup.js';
import { CHANGED, cloudSynced, overwriteInPlace, planShred, removeOverwritten, type ShredTarget, sameFileId } from '../io/shred.js';
import { findTemps } from '../io/stale-temps.js';
import { CONFIG_FILE, configPathFrom, configTextOf } from './config.js';

export { planShred, type ShredTarget };

export const SHRED_CAVEAT =
  'Let op: overschrijven wist alleen deze kopie. Kopieën elders blijven: een SSD (de schijf van bijna elke pc en Mac) ' +
  'en sommige bestandssystemen bewaren oude stukken nog een tijd, net als vorige versies, back-ups (Time Machine, Bestandsgeschiedenis) en ' +
  'mappen die met OneDrive, Dropbox of Google Drive synchroniseren. Verwijder de bestanden ook uit Downloads, je ' +
  'e-mail en de Prullenbak; zie in de README "Opruimen: AVG en persoonsgegevens".';

export interface ShredRun {
  passes: number;
  zero: boolean;
  env: NodeJS.ProcessEnv;
  /** Asked once, after every file was checked and before any is touched; false leaves everything in place. */
  confirm: (targets: ShredTarget[]) => Promise<boolean>;
  onCloud: (path: string) => void;
  onShredded: (target: ShredTarget) => void;
  /** A numo-prep temp file named in the command that is gone: its run (still busy when the command was printed) removed it. */
  onGone: (path: string) => void;
  /** A leftover of a killed run found beside the files named (.numo-prep-*.tmp): shredded with them. */
  onLeftover: (path: string) => void;
  /** One whose run may still be busy (see findTemps): left, and named. */
  onBusyLeftover: (path: string) => void;
  /** The folder relative paths are in: its numo-prep.config.json names files that are not shredded (neededFiles). */
  cwd: string;
  /** convert --shred-inputs: the inputs as checked before convert read them; another file at a name since is not shredded. */
  readAs?: readonly ShredTarget[];
}

/**
 * Files a school needs next year, which numo-prep.config.json names: the mapping and the list of codes. "shred *.csv
 * *.xlsx", the way to clear a folder, would take the mapping too. Found through the config in the working folder
 * and in each file's own folder, as file identities (a path spelled another way, with a backslash or in other
 * case is the same file); an unreadable config names nothing. Keyed by "device:inode".
 */
async function neededFiles(paths: readonly string[], cwd: string): Promise<Map<string, { config: string; key: 'mapping' | 'opleidingen' | 'config' }>> {
  const needed = new Map<string, { config: string; key: 'mapping' | 'opleidingen' | 'config' }>();
  const configs = new Set([join(cwd, CONFIG_FILE), ...paths.map((p) => join(dirname(resolve(cwd, p)), CONFIG_FILE))]);
  for (const config of configs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(configTextOf(await readFile(config)));
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    // The settings themselves: the school's choices (usernames, passwords, filters), no personal data.
    const own = await stat(config, { bigint: true }).catch(() => undefined);
    if (own) needed.set(`${own.dev}:${own.ino}`, { config, key: 'config' });
    for (const key of ['mapping', 'opleidingen'] as const) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value !== 'string' || !value) continue;
      const path = configPathFrom(dirname(config), value);
      // bigint: NTFS file ids pass 2^53, where two files would round to one.
      const s = await stat(path, { bigint: true }).catch(() => undefined);
      if (s) needed.set(`${s.dev}:${s.ino}`, { config, key });
    }
  }
  return needed;
}

/** How far one file got; the report of a failed batch lists every file with its state. */
type ShredOutcome =
  | { path: string; state: 'done' }
  | { path: string; state: 'untouched' | 'gone' }
  | { path: string; state: 'failed'; step: 'overwrite' | 'remove'; hidden?: string; code: string | undefined; stillThere: boolean };

class ShredFailed extends UserError {
  constructor(readonly outcomes: ShredOutcome[]) {
    const failed = outcomes.find((o) => o.state === 'failed')!;
    const what =
      failed.state !== 'failed'
        ? ''
        : failed.code === CHANGED
          ? `${failed.path}: ${failed.step === 'remove' ? 'overschreven, maar daarna stond er een ander bestand onder die naam' : 'is sinds de controle vervangen of veranderd'}; dat is niet aangeraakt`
          : failed.step === 'overwrite'
            ? failed.stillThere
              ? `${failed.path}: FOUT bij overschrijven: ${fileProblem(failed.code)}; het bestand staat er nog en is misschien deels overschreven`
              : `${failed.path}: was al weg voordat shred het overschreef (door iets anders verwijderd)`
            : failed.stillThere
              ? `${failed.path}: overschreven, maar FOUT bij verwijderen: ${fileProblem(failed.code)}; het staat er nog ${failed.hidden ? `als ${failed.hidden}` : 'onder die naam'}`
              : `${failed.path}: overschreven, en daarna door iets anders verwijderd (een tweede shred?); het bestaat niet meer`;
    // Every file is accounted for, by name while that stays short, else by count. One that is gone (another shred
    // of the same files at once) is not said to be untouched, which reads as still there.
    const group = (state: 'done' | 'untouched' | 'gone', label: string) => {
      const paths = outcomes.filter((o) => o.state === state).map((o) => o.path);
      if (!paths.length) return [];
      return [paths.length <= 5 ? `${paths.join(', ')}: ${label}` : `${paths.length} bestanden ${label}`];
    };
    const anyLeft = outcomes.some((o) => o.state === 'untouched' || (o.state === 'failed' && o.stillThere));
    super(
      `Shred gestopt bij een fout. ${[...group('done', 'overschreven en verwijderd'), what, ...group('untouched', 'niet aangeraakt'), ...group('gone', 'ook al weg')].join('; ')}. ${anyLeft ? 'Los de fout op en draai shred opnieuw voor wat er nog staat.' : 'Van deze bestanden staat er niets meer.'}`,
    );
  }
}

/**
 * shred, and convert --shred-inputs: check all, warn about cloud copies, confirm, then overwrite and remove each.
 * Stops at the first failure and says what happened to each file (ShredFailed). `left`: files named that stayed, as
 * a run that may still be busy writes them.
 */
export async function runShred(paths: string[], o: ShredRun): Promise<{ shredded: ShredTarget[]; confirmed: boolean; left: string[] }> {
  const needed = await neededFiles(paths, o.cwd);
  if (needed.size) {
    for (const path of paths) {
      const s = await stat(resolve(o.cwd, path), { bigint: true }).catch(() => undefined);
      const by = s && needed.get(`${s.dev}:${s.ino}`);
      if (!by) continue;
      if (by.key === 'config') {
        throw new UserError(
          `Niets verwijderd: ${path} is het instellingenbestand met de keuzes van de school (gebruikersnaam, wachtwoorden, mapping), en dat is volgend jaar weer nodig; er staan geen leerlinggegevens in. Laat het weg uit de opdracht.`,
        );
      }
      const what = by.key === 'mapping' ? 'de mapping' : 'de lijst met opleidingscodes';
      throw new UserError(
        `Niets verwijderd: ${path} is ${what} die ${by.config} noemt, en die is volgend jaar weer nodig. Laat het bestand weg uit de opdracht; moet het toch weg (staan er leerlingen in), haal dan eerst "${by.key}" uit ${basename(by.config)}.`,
      );
    }
  }
  // convert names a temp file of a run that may still be busy; when that run ends, it removes the file itself. Gone
  // by now, it is no reason to leave the other files in place.
  const present: string[] = [];
  for (const path of paths) {
    const gone =
      TEMP_NAME.test(basename(path)) &&
      (await lstat(path).then(
        () => false,
        (err: NodeJS.ErrnoException) => err.code === 'ENOENT',
      ));
    if (gone) o.onGone(path);
    else present.push(path);
  }
  // A killed convert leaves its temp files (personal data) beside its output, and shred is the step after the import:
  // they go too. One that is a second name of a file (the backup of a replaced output, a hard link) is only that name.
  // A temp file named by its own name: twice, or in other case on Windows and macOS, it is one. (Not by file
  // identity: the backup of a named output is that file under another name, and loses only that name, below.)
  const names = (path: string) => (p: string) => samePath(resolve(o.cwd, p), path);
  const left: string[] = [];
  for (const { path, busy, othersInSharedFolder } of await findTemps(present.map((p) => dirname(resolve(o.cwd, p))))) {
    // Another user's in a shared (sticky) folder: only that user can remove it; taken along, shred refused every file.
    if (othersInSharedFolder && !present.some(names(path))) continue;
    if (present.some(names(path))) {
      // Named too (convert's shred line names what it found), but a run that may still be writing it keeps it: shred
      // took it, and that run failed after all its work.
      if (busy) {
        for (let i = present.length - 1; i >= 0; i--) if (names(path)(present[i]!)) present.splice(i, 1);
        left.push(path);
        o.onBusyLeftover(path);
      }
      continue;
    }
    if (busy) {
      o.onBusyLeftover(path);
      continue;
    }
    const s = await lstat(path).catch(() => undefined);
    if (!s) continue;
    if (s.nlink > 1) await unlink(path).catch(() => {});
    else {
      present.push(path);
      o.onLeftover(path);
    }
  }
  // A named file whose other name is such a busy temp file (the backup a running convert made of it) waits for
  // that run; "geef die ook op" (planShred) would send the admin in a circle.
  for (const temp of left) {
    const t = await lstat(temp, { bigint: true }).catch(() => undefined);
    if (!t || t.nlink < 2n) continue;
    for (const p of present) {
      const s = await lstat(p, { bigint: true }).catch(() => undefined);
      if (s?.dev === t.dev && s.ino === t.ino) {
        throw new UserError(
          `Niets verwijderd: ${p} heeft nog een tweede naam, ${temp}, van een run die misschien nog bezig is. Draai shred opnieuw als die run klaar is (na een dag gaat die naam mee).`,
        );
      }
    }
  }
  if (!present.length) return { shredded: [], confirmed: true, left };
  const targets = await planShred(present);
  for (const t of targets) {
    const read = o.readAs?.find((r) => r.path === t.path);
    if (!read?.id || !t.id) continue;
    const now = await lstat(t.path, { bigint: true }).catch(() => undefined);
    if (!sameFileId(read.id, t.id) || now?.mtimeNs !== read.id.mtimeNs) {
      throw new UserError(`Niets verwijderd: ${t.path} is niet meer het bestand dat convert las (vervangen of overschreven terwijl convert liep). Bekijk het, en verwijder het zo nodig met shred.`);
    }
    // Also at the overwrite, after the question: a copy over it while the admin answers is not what convert read.
    t.id = { ...t.id, mtimeNs: read.id.mtimeNs };
  }
  for (const p of await cloudSynced(
    targets.map((t) => t.path),
    o.env,
  ))
    o.onCloud(p);
  if (!(await o.confirm(targets))) return { shredded: [], confirmed: false, left };
  const outcomes: ShredOutcome[] = targets.map((t) => ({ path: t.path, state: 'untouched' }));
  const shredded: ShredTarget[] = [];
  // An interrupt from here on names what is still on disk (the CLI's signal handler reads this).
  trackShred(targets.map((t) => t.path));
  // Files already overwritten, by device and inode: another name of one (a hard link named too) changed with it, and
  // where the creation time stands for the change or modification time (Wine, file systems without one) that changed too.
  const overwritten = new Set<string>();
  try {
    for (const [i, t] of targets.entries()) {
      let step: 'overwrite' | 'remove' = 'overwrite';
      let hidden: string | undefined;
      const inode = t.id && `${t.id.dev}:${t.id.ino}`;
      const id = t.id && overwritten.has(inode!) ? { dev: t.id.dev, ino: t.id.ino, nlink: t.id.nlink } : t.id;
      try {
        shredStarted(t.path);
        await overwriteInPlace(t.path, { passes: o.passes, zero: o.zero }, id);
        if (inode) overwritten.add(inode);
        step = 'remove';
        await removeOverwritten(
          t.path,
          (h) => {
            hidden = h;
            shredRenaming(t.path, h);
          },
          id,
        );
      } catch (err) {
        // The random name is known just before the rename: the file is under it only when the rename happened.
        // Only "no such file" means gone: a disk or share that stopped answering (EIO, EACCES) may still hold it.
        const exists = async (p: string | undefined) =>
          p !== undefined &&
          (await lstat(p).then(
            () => true,
            (e: NodeJS.ErrnoException) => e.code !== 'ENOENT' && e.code !== 'ENOTDIR',
          ));
        const renamed = await exists(hidden);
        const stillThere = renamed || (await exists(t.path));
        outcomes[i] = { path: t.path, state: 'failed', step, ...(renamed ? { hidden: hidden! } : {}), code: (err as NodeJS.ErrnoException).code, stillThere };
        for (const later of outcomes.slice(i + 1)) if (!(await exists(later.path))) later.state = 'gone';
        throw new ShredFailed(outcomes);
      }
      untrackShred(t.path);
      noteShredded(t.path);
      outcomes[i] = { path: t.path, state: 'done' };
      shredded.push(t);
      o.onShredded(t);
    }
  } catch (err) {
    // The failure report names every file. An unexpected error leaves the list for cli.ts to name (shreddedSoFar).
    if (err instanceof ShredFailed) forgetShredded();
    throw err;
  } finally {
    for (const t of targets) untrackShred(t.path);
  }
  forgetShredded();
  return { shredded, confirmed: true, left };
}

/**
 * convert --shred-inputs, before any work: refused when the shred could not run afterwards (no --yes without a
 * terminal, or a file shred would refuse), since a run that writes the output and then cannot shred leaves the admin
 * half done. From the write on, an interrupt names the files as still there.
 */
export async function prepareShredAfterConvert(paths: readonly string[], o: { yes: boolean; canAsk: boolean; dryRun?: boolean }): Promise<ShredTarget[]> {
  if (!o.yes && !o.canAsk) throw new UserError(`--shred-inputs vraagt zonder terminal (en met --json) ook --yes, zodat er nooit per ongeluk iets verdwijnt. ${NOTHING_WRITTEN}`);
  let targets: ShredTarget[];
  try {
    targets = await planShred([...paths]);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`--shred-inputs: ${err.message} ${NOTHING_WRITTEN}`);
    throw err;
  }
  // A dry run refuses what the real run would, and removes nothing.
  if (o.dryRun) return [];
  trackShredAfterWrite(paths.map((p) => resolve(p)));
  // The content as convert is about to read it (runShred compares it).
  for (const t of targets) if (t.id) t.id = { ...t.id, mtimeNs: (await lstat(t.path, { bigint: true })).mtimeNs };
  return targets;
}
