import { UserError } from '../core/errors.js';
import { createUi } from '../ui/terminal.js';
import { inquirerPrompter } from '../wizard/prompter.js';
import { runWizard } from '../wizard/wizard.js';

export async function wizardCommand(exportPath: string | undefined, flags: { opleidingen?: string; mapping?: string }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError('De wizard stelt vragen en heeft daarom een terminal nodig. Gebruik zonder terminal: numo-prep convert <export> --config numo-prep.config.json');
  }
  const ui = await createUi();
  return runWizard(await inquirerPrompter(), ui, {
    ...(exportPath ? { exportPath } : {}),
    ...(flags.opleidingen ? { opleidingen: flags.opleidingen } : {}),
    ...(flags.mapping ? { mapping: flags.mapping } : {}),
    cwd: process.cwd(),
  });
}
