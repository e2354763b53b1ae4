import { basename, delimiter, dirname, isAbsolute, relative, resolve } from 'node:path';
import { isSea } from 'node:sea';

// Commands printed for the admin to copy: the shred line after convert, the yearly line after the wizard.
//
// POSIX shells: single quotes, a ' inside written as '\''.
// Windows: one line should work in PowerShell and in cmd.exe. Double quotes mean the same to both as long as the
// text holds no $ or ` (PowerShell expands them inside "…"), no % (cmd expands %NAME%) and no “ ” „ (PowerShell
// takes those as double quotes too); a Windows path cannot hold " itself. That covers spaces, 't and ’t, &, ( and
// drive letters. The rare path with one of those characters is printed in PowerShell's single quotes (every ' ‘ ’
// ‚ ‛ doubled), which cmd does not understand — the README says the printed commands are for PowerShell.

// Not a leading = (zsh, the macOS shell, expands =name to a program's path) or - (below).
const POSIX_BARE = /^[\w@%+:,./][\w@%+=:,./-]*$/;
// No comma (PowerShell reads a,b as a list) and no leading - or @ (an option, a splat).
const WINDOWS_BARE = /^[\w.:\\/][\w.:\\/-]*$/;
const WINDOWS_UNSAFE_IN_DOUBLE = /[$`%\u201c\u201d\u201e]/;

/**
 * Quotes one path for a shell line the admin can copy on this platform. A name that starts with - would be read as
 * an option, quoted or not: it gets ./ (or .\ on Windows) in front.
 */
export function shellQuote(path: string, platform: NodeJS.Platform = process.platform): string {
  const arg = path.startsWith('-') ? `.${platform === 'win32' ? '\\' : '/'}${path}` : path;
  if (platform !== 'win32') return POSIX_BARE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
  if (WINDOWS_BARE.test(arg)) return arg;
  if (!WINDOWS_UNSAFE_IN_DOUBLE.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
}

/**
 * A file as a printed command names it for the admin in folder `cwd`: relative when it is in that folder or below
 * (as typed, mostly), else in full.
 */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A program path as the first word of a command: PowerShell runs a quoted path only after `&`. */
function invoke(path: string, platform: NodeJS.Platform): string {
  const quoted = shellQuote(path, platform);
  return quoted === path || platform !== 'win32' ? quoted : `& ${quoted}`;
}

/**
 * How to start this program again: `numo-prep` when installed with npm, `npx numo-prep` when started so (npm sets
 * npm_command=exec: in a checkout, as the README's quick start does, numo-prep alone is not on PATH); the .exe itself
 * (`.\numo-prep-win-x64.exe` from its own folder, its name when it is on PATH, else its full path); `node <path>`
 * for the one-file build.
 */
export function programCommand(platform: NodeJS.Platform = process.platform): string {
  const same = (a: string, b: string) => (platform === 'win32' ? resolve(a).toLowerCase() === resolve(b).toLowerCase() : resolve(a) === resolve(b));
  if (isSea()) {
    const exe = process.execPath;
    const dir = dirname(exe);
    if (same(dir, process.cwd())) return invoke(`.${platform === 'win32' ? '\\' : '/'}${basename(exe)}`, platform);
    const onPath = (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && same(d, dir));
    if (onPath && WINDOWS_BARE.test(basename(exe))) return basename(exe).replace(/\.exe$/i, '');
    return invoke(exe, platform);
  }
  const script = process.argv[1] ?? '';
  if (script.endsWith('.cjs')) return `node ${shellQuote(resolve(script), platform)}`;
  // Not npm's .cmd shim on Windows (which PowerShell would need, see README): through it cmd.exe parses the
  // arguments again, and a path with & would be cut there.
  return process.env.npm_command === 'exec' ? 'npx numo-prep' : 'numo-prep';
}

/**
 * The line to print under a Windows command: one in PowerShell's single quotes (a path with $ or %) is for
 * PowerShell only; one that starts with PowerShell's `&` (a program path in quotes) runs in cmd.exe without it.
 */
export function cmdNote(command: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32') return undefined;
  if (singleQuotedArgument(command)) return '(alleen in PowerShell)';
  return command.startsWith('& ') ? '(in cmd: zonder de & aan het begin)' : undefined;
}

/** An argument in PowerShell's single quotes: a ' at the start of one, not in a "…" path (School 't Veld). */
function singleQuotedArgument(command: string): boolean {
  let inDouble = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === '"') inDouble = !inDouble;
    else if (c === "'" && !inDouble && (i === 0 || command[i - 1] === ' ')) return true;
  }
  return false;
}

export function shredCommand(files: string[], platform: NodeJS.Platform = process.platform): string {
  return [programCommand(platform), 'shred', ...files.map((f) => shellQuote(f, platform))].join(' ');
}
