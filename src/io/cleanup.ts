import { unlinkSync } from 'node:fs';

// Temp files that hold personal data until they are renamed into place. On Ctrl+C, SIGTERM or an unexpected
// exit they are removed synchronously: no partial output may stay behind.
const pending = new Set<string>();
let installed = false;

function removeAll(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAll);
  // SIGBREAK is Ctrl+Break in a Windows console: without a handler Node ends at once and the temp file stays.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129], ['SIGBREAK', 130]] as const) {
    process.on(signal, () => {
      const hadPartial = pending.size > 0;
      removeAll();
      if (hadPartial) process.stderr.write('\nAfgebroken; het half geschreven bestand is verwijderd.\n');
      process.exit(code);
    });
  }
}

export function trackTemp(path: string): void {
  install();
  pending.add(path);
}

export function untrackTemp(path: string): void {
  pending.delete(path);
}
