import { lstatSync, renameSync, unlinkSync } from 'node:fs';

// Temp files that hold personal data until they are renamed into place. On an unexpected exit they are removed
// synchronously: no partial output may stay behind. Signals are the edge's business (onSignal in cli.ts, which
// bin/numo-prep.js installs): it calls removePendingTemps() and decides what to say and how to exit.
const pending = new Set<string>();
// While a run puts its files in place (atomic-file.ts, commitAll), how to take back each one already in place:
// an interrupt at that moment must leave all or none too.
const undos = new Map<() => void, string>();
let installed = false;
// What an interrupt by signal must add to its message while it applies (the wizard: answers not kept).
let interruptNote: (() => string | undefined) | undefined;

/** Sets (or, with undefined, clears) what an interrupt by signal adds to its message. */
export function noteOnInterrupt(note: (() => string | undefined) | undefined): void {
  interruptNote = note;
}

export function interruptNoteText(): string | undefined {
  return interruptNote?.();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removePendingTemps);
}

/**
 * Takes back files already put in place by an unfinished commit, then removes every temp file still pending.
 * `removed`: a temp file was removed; `rolledBack`: files of a commit were taken back; `kept`: targets whose undo
 * failed, so they stay as written.
 */
export function removePendingTemps(): { removed: boolean; rolledBack: boolean; kept: string[]; oldRemoved: boolean } {
  const removed = pending.size > 0;
  const undone = undos.size;
  const oldRemoved = oldCopies.size > 0;
  const kept: string[] = [];
  for (const [probe, path] of probes) {
    try {
      if (lstatSync(probe, { throwIfNoEntry: false })) renameSync(probe, path);
    } catch {
      // it keeps the probe's name; nothing else can be done here
    }
  }
  probes.clear();
  for (const [undo, target] of [...undos].reverse()) {
    try {
      undo();
    } catch {
      kept.push(target);
    }
  }
  undos.clear();
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
  for (const path of oldCopies) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  oldCopies.clear();
  return { removed, rolledBack: undone > kept.length, kept, oldRemoved };
}

// The old version of a file this run replaced, while it is overwritten after the commit: an interrupt removes it
// (not half-written output: the new file is complete).
const oldCopies = new Set<string>();

export function trackOldCopy(path: string): void {
  install();
  oldCopies.add(path);
}

export function untrackOldCopy(path: string): void {
  oldCopies.delete(path);
}

// Files shred renamed for a moment to test the right to delete them (io/shred.ts): an interrupt gives them back
// their name, whatever else it does.
const probes = new Map<string, string>();

export function trackProbe(probe: string, path: string): void {
  install();
  probes.set(probe, path);
}

export function untrackProbe(probe: string): void {
  probes.delete(probe);
}

export function trackTemp(path: string): void {
  install();
  pending.add(path);
}

/** Registers a synchronous undo of `target` for an interrupt; the returned function drops it again (false: it already ran). */
export function trackUndo(undo: () => void, target: string): () => boolean {
  install();
  undos.set(undo, target);
  return () => undos.delete(undo);
}

export function untrackTemp(path: string): void {
  pending.delete(path);
}

// Files a shred has not finished yet: on an interrupt the CLI names them, the one half overwritten apart from those
// not touched, so the admin knows what is still on disk (and what is no longer any use) and runs shred again.
const shredding = new Map<string, { started: boolean; hidden?: string }>();

export function trackShred(paths: readonly string[]): void {
  for (const p of paths) shredding.set(p, { started: false });
}

/** Its overwrite begins: from here on the file is no longer what it was. */
export function shredStarted(path: string): void {
  const s = shredding.get(path);
  if (s) s.started = true;
}

/**
 * The target is about to get this random name (see removeOverwritten). Said before the rename: a signal during it
 * finds the file under either name, whichever is there.
 */
export function shredRenaming(path: string, hidden: string): void {
  const s = shredding.get(path);
  if (s) s.hidden = hidden;
}

export function untrackShred(path: string): void {
  shredding.delete(path);
}

// Every file this process committed (atomic-file.ts), in order, never cleared: the CLI says which were written when
// a run fails later. Here, not in atomic-file.ts, because cli.ts reads it on its exit path, and the start-up bundle
// must not hold the writing code (docs/PERFORMANCE.md, "Opstarten").
const committed: string[] = [];

export function noteCommitted(paths: readonly string[]): void {
  committed.push(...paths);
}

export function committedFiles(): readonly string[] {
  return committed;
}

// Files this shred run has overwritten and removed: an interrupt says so instead of "nothing written".
const shredded: string[] = [];
// Every file this process shredded, never cleared: a run whose report could not be written names its own (from a
// mark, as committedFiles) instead of "nothing written".
const shreddedEver: string[] = [];

export function noteShredded(path: string): void {
  shredded.push(path);
  shreddedEver.push(path);
}

export function shreddedFiles(): readonly string[] {
  return shreddedEver;
}

/** The end of a shred run (a test runs many in one process). */
export function forgetShredded(): void {
  shredded.length = 0;
}

export function shreddedSoFar(): string[] {
  return [...shredded];
}

// Inputs convert --shred-inputs removes once the run's files are written: an interrupt after the write names them
// as not yet removed (before it, the admin simply runs convert again).
const shredAfterWrite = new Set<string>();

export function trackShredAfterWrite(paths: readonly string[]): void {
  for (const p of paths) shredAfterWrite.add(p);
}

/** The end of a run (a test runs many in one process). */
export function forgetShredAfterWrite(): void {
  shredAfterWrite.clear();
}

/**
 * Files a shred of this process did not finish, under the name they have now (if still there), and whether their
 * overwrite had begun; with `written`, also the inputs --shred-inputs was still to remove.
 */
export function unfinishedShreds(written = false): { path: string; damaged: boolean }[] {
  const there = (p: string | undefined) => p !== undefined && Boolean(lstatSync(p, { throwIfNoEntry: false }));
  const found: { path: string; damaged: boolean }[] = [];
  for (const [path, s] of shredding) {
    const now = there(s.hidden) ? s.hidden : there(path) ? path : undefined;
    if (now) found.push({ path: now, damaged: s.started });
  }
  if (written) for (const p of shredAfterWrite) if (!shredding.has(p) && there(p)) found.push({ path: p, damaged: false });
  return found;
}
