import { unlinkSync } from 'node:fs';

// Temp files that hold personal data until they are renamed into place. On an unexpected exit they are removed
// synchronously: no partial output may stay behind. Signals are the edge's business (bin/numo-prep.js): it calls
// removePendingTemps() and decides what to say and how to exit.
const pending = new Set<string>();
let installed = false;

/** Removes every temp file still pending; true when there was one (a half-written output). */
export function removePendingTemps(): boolean {
  const had = pending.size > 0;
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
  return had;
}

export function trackTemp(path: string): void {
  if (!installed) {
    installed = true;
    process.on('exit', removePendingTemps);
  }
  pending.add(path);
}

export function untrackTemp(path: string): void {
  pending.delete(path);
}
