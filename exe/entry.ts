// Entry of the single-file builds (release/numo-prep.cjs and the .exe made from it): what bin/numo-prep.js does for
// the npm package — plus, for the .exe, the window below. One file because a single executable application runs
// one script; bin/ loads the split bundles of dist/npm/ instead (tools/build.mjs).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { isSea } from 'node:sea';
import { adaptV8ToWork, main, onSignal, SIGNAL_EXIT_CODES } from '../src/cli.js';
import { cmdNote, programCommand } from '../src/ui/command-line.js';

// Same console title and V8 tuning (adaptV8ToWork) as bin/numo-prep.js (see there and ARCHITECTURE.md).
if (process.platform === 'win32') process.title = 'numo-prep';
// Deprecations inside libraries stay quiet (see bin/numo-prep.js).
if (!process.noDeprecation) process.noDeprecation = true;

for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.on(signal, () => {
    onSignal(process.stderr);
    process.exit(code);
  });
}

/**
 * The .exe double-clicked in Verkenner (or started from its address bar) gets a console window of its own that
 * Windows closes the moment the program ends: the admin would see a flash, or lose the report. Started so — the
 * parent is explorer.exe — it explains and waits for Enter. Only with a console on stdin; scripts never wait.
 */
function startedFromExplorer(): boolean {
  if (process.platform !== 'win32' || !isSea()) return false;
  try {
    // process.stdin is made here, at its first use; a handle Windows (or Wine's pipe) cannot open throws EBADF.
    if (!process.stdin.isTTY) return false;
    const tasklist = join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'tasklist.exe');
    const row = execFileSync(tasklist, ['/FI', `PID eq ${process.ppid}`, '/FO', 'CSV', '/NH'], { encoding: 'utf8', timeout: 5000, windowsHide: true });
    return /^"explorer\.exe"/i.test(row.trim());
  } catch {
    return false;
  }
}

void main(process.argv, { adaptToWork: adaptV8ToWork }).then((code) => {
  process.exitCode = code;
  if (!startedFromExplorer()) return;
  if (process.argv.length <= 2) {
    // Started from its own folder: .\numo-prep-win-x64.exe, quoted (with PowerShell's &) when a browser named the
    // second download "numo-prep-win-x64 (1).exe".
    const wizard = `${programCommand()} wizard`;
    const note = cmdNote(wizard);
    process.stderr.write(
      `\nnumo-prep werkt in een opdrachtvenster. Open PowerShell in deze map (typ powershell in de adresbalk van ` +
        `Verkenner en druk op Enter) en typ daar:\n  ${wizard}\n${note ? `  ${note}\n` : ''}`,
    );
  } else {
    // A file dropped on the .exe: the command above is the way, typed where this program is.
    process.stderr.write(
      '\nnumo-prep werkt in een opdrachtvenster. Open PowerShell in de map van dit programma (typ powershell in de ' +
        'adresbalk van Verkenner en druk op Enter) en typ daar het commando hierboven, met elk bestand dat erbij hoort.\n',
    );
  }
  process.stderr.write('\nDruk op Enter om dit venster te sluiten.\n');
  process.stdin.once('data', () => process.exit(code));
});
