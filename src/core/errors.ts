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
}

/** Raised when the user presses Ctrl+C in a prompt. */
export class Interrupted extends Error {
  readonly exitCode = EXIT.interrupted;
  constructor() {
    super('Afgebroken.');
    this.name = 'Interrupted';
  }
}
