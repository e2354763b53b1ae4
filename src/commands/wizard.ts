import { UserError } from '../core/errors.js';
import { noTerminalAdvice, runWizard } from '../run/wizard.js';
import { inquirerPrompter } from '../ui/prompter.js';
import { createUi, type TerminalIo } from '../ui/terminal.js';

export async function wizardCommand(exportPath: string | undefined, flags: { opleidingen?: string; mapping?: string }, io: TerminalIo): Promise<number> {
  // The scripted run has no one to answer: it gets the command that does the same without questions.
  if (!io.isTTY) {
    // Typed in a terminal, with its output sent elsewhere (wizard > log.txt): the questions would not be seen.
    if (io.stdin.isTTY) throw new UserError('De wizard stelt zijn vragen op het scherm, maar zijn uitvoer gaat nu naar een bestand of pijp (> of |). Start hem zonder > of |.');
    throw await noTerminalAdvice(exportPath, flags, io.cwd);
  }
  const ui = await createUi({ stdout: io.stdout, stderr: io.stderr, env: io.env });
  return runWizard(await inquirerPrompter({ input: io.stdin, output: io.stdout }), ui, {
    ...(exportPath ? { exportPath } : {}),
    ...(flags.opleidingen ? { opleidingen: flags.opleidingen } : {}),
    ...(flags.mapping ? { mapping: flags.mapping } : {}),
    cwd: io.cwd,
  });
}
