export const EXIT = {
  ok: 0,
  data: 1,
  usage: 2,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * How an error message says that its operation wrote nothing; every such message ends with it. When other files were
 * written earlier in the same run (the wizard saves its mapping and settings before it converts), the CLI puts
 * "Wel geschreven: …" in its place.
 */
export const NOTHING_WRITTEN = 'Er is niets geschreven.';

/**
 * A problem the user can fix: carries a Dutch message that is shown as-is (no stack trace) and the exit code.
 * Messages must never contain personal data; refer to rows by number and Stamnr.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** Lines shown before the error (a config notice); --json puts them beside it. */
  notices?: string[];
  /** Files securely removed before the error (convert --shred-inputs); --json names them. */
  shredded?: string[];
}

/** Raised when the user presses Ctrl+C in a prompt. */
export class Interrupted extends Error {
  readonly exitCode = EXIT.interrupted;
  constructor() {
    super('Afgebroken.');
    this.name = 'Interrupted';
  }
}

/**
 * A file system error code in words an admin understands, for messages about reading, writing or shredding; a code
 * without words is shown as it is, for whoever helps the admin.
 */
export function fileProblem(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'bestaat niet (meer)';
    case 'EACCES':
    case 'EPERM':
      return 'geen toegang (rechten, of open in een ander programma)';
    case 'EBUSY':
      return 'in gebruik door een ander programma';
    case 'ENAMETOOLONG':
      return 'de naam of het pad is te lang';
    case 'ELOOP':
      return 'een snelkoppeling die (via andere) naar zichzelf verwijst';
    case 'ENOTDIR':
      return 'een deel van het pad is geen map';
    case 'EIO':
      return 'leesfout van de schijf of het netwerk (een bestand uit OneDrive dat niet op deze pc staat?)';
    case 'EROFS':
      return 'de schijf is alleen-lezen';
    // EFBIG: larger than the file system (FAT32: 4 GiB) or a limit on file size allows.
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return 'de schijf is vol (of het bestand is te groot voor deze schijf)';
    case 'EMFILE':
    case 'ENFILE':
      return 'te veel bestanden tegelijk open';
    default:
      return `onbekende fout${code ? ` (${code})` : ''}`;
  }
}
