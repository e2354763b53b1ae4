import { UserError } from '../core/errors.js';
import { runWizard } from '../run/wizard.js';
import { inquirerPrompter } from '../ui/prompter.js';
import { createUi, type TerminalIo } from '../ui/terminal.js';

export async function wizardCommand(exportPath: string | undefined, flags: { opleidingen?: string; mapping?: string }, io: TerminalIo): Promise<number> {
  if (!io.isTTY) {
    throw new UserError('De wizard stelt vragen en heeft daarom een terminal nodig. Gebruik zonder terminal: numo-prep convert <export> --config numo-prep.config.json');
  }
  const ui = await createUi({ stdout: io.stdout, stderr: io.stderr, env: io.env });
  return runWizard(await inquirerPrompter({ input: io.stdin, output: io.stdout }), ui, {
    ...(exportPath ? { exportPath } : {}),
    ...(flags.opleidingen ? { opleidingen: flags.opleidingen } : {}),
    ...(flags.mapping ? { mapping: flags.mapping } : {}),
    cwd: io.cwd,
  });
}
