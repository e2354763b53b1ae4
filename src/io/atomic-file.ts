import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { trackTemp, untrackTemp } from './cleanup.js';

export interface TargetCheck {
  force: boolean;
  /** Files this run reads; the output may never replace one of them. */
  inputs: string[];
}

async function samePath(a: string, b: string): Promise<boolean> {
  try {
    const [sa, sb] = await Promise.all([stat(a), stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return resolve(a) === resolve(b);
  }
}

/** Refuses an output path that would lose data or write somewhere unexpected — before any work is done. */
export async function checkTarget(target: string, o: TargetCheck): Promise<void> {
  const dir = dirname(resolve(target));
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error();
  } catch {
    throw new UserError(`De map ${dir} bestaat niet. Maak de map eerst aan of kies met --out een andere plek.`);
  }
  for (const input of o.inputs) {
    if (await samePath(target, input)) {
      throw new UserError(`Het uitvoerbestand ${target} is ook een invoerbestand. Kies met --out een andere naam; invoer wordt nooit overschreven.`);
    }
  }
  let existing;
  try {
    existing = await lstat(target);
  } catch {
    return;
  }
  if (existing.isSymbolicLink()) throw new UserError(`${target} is een snelkoppeling (symlink); numo-prep schrijft daar niet doorheen. Kies met --out een gewoon pad.`);
  if (!existing.isFile()) throw new UserError(`${target} bestaat al en is geen gewoon bestand. Kies met --out een andere naam.`);
  if (!o.force) throw new UserError(`${target} bestaat al. Kies met --out een andere naam, of gebruik --force om het te vervangen.`);
}

const committed: string[] = [];

/** Every file committed by this process so far, in order; the CLI says which were written when a run fails later. */
export function committedFiles(): readonly string[] {
  return committed;
}

/**
 * Output written whole or not at all: a 0600 temp file beside the target, renamed over it at the end.
 * The temp file is removed on abort, on a signal and on exit.
 */
export class AtomicFile {
  private constructor(
    readonly target: string,
    private readonly tempPath: string,
    private handle: FileHandle | undefined,
  ) {}

  static async create(target: string): Promise<AtomicFile> {
    const dir = dirname(resolve(target));
    const tempPath = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    trackTemp(tempPath);
    try {
      const handle = await open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
      return new AtomicFile(target, tempPath, handle);
    } catch (err) {
      untrackTemp(tempPath);
      throw new UserError(`Kan niet schrijven in ${dir} (${(err as NodeJS.ErrnoException).code}). Controleer de rechten of kies met --out een andere map.`);
    }
  }

  async write(data: Buffer): Promise<void> {
    if (data.length) await this.handle!.write(data);
  }

  async commit(): Promise<void> {
    const h = this.handle!;
    this.handle = undefined;
    await h.sync();
    await h.close();
    await rename(this.tempPath, this.target);
    untrackTemp(this.tempPath);
    committed.push(resolve(this.target));
    await syncDir(dirname(resolve(this.target)));
  }

  async abort(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close().catch(() => {});
    await unlink(this.tempPath).catch(() => {});
    untrackTemp(this.tempPath);
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
