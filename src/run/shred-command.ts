/** Quotes a path for a shell line the admin can copy (POSIX and PowerShell both accept single quotes). */
export function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

export function shredCommand(files: string[]): string {
  return ['numo-prep', 'shred', ...files.map(shellQuote)].join(' ');
}
