import { EXIT, UserError } from '../errors.js';
import { cloudSynced, executeShred, planShred, SHRED_CAVEAT, type ShredTarget } from '../run/shred.js';
import { createUi, type Ui } from '../ui/terminal.js';

interface ShredFlags {
  passes?: number;
  zero?: boolean;
  yes?: boolean;
  quiet?: boolean;
}

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

const hasTerminal = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

async function confirmTargets(ui: Ui, targets: ShredTarget[], yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!hasTerminal()) {
    throw new UserError('Zonder terminal vraagt shred om --yes, zodat er nooit per ongeluk iets verdwijnt.');
  }
  ui.err('Deze bestanden worden overschreven en verwijderd:');
  for (const t of targets) ui.err(`  ${t.path}  (${size(t.size)})${t.lockFile ? '  — Excel-vergrendelingsbestand' : ''}`);
  const { inquirerPrompter } = await import('../wizard/prompter.js');
  return (await inquirerPrompter()).confirm({ message: 'Definitief verwijderen?', default: false });
}

async function run(ui: Ui, paths: string[], flags: ShredFlags): Promise<number> {
  const targets = await planShred(paths);
  for (const p of cloudSynced(targets.map((t) => t.path))) {
    ui.err(ui.color.yellow(`! ${p} staat in een cloudmap (OneDrive/Dropbox/Google Drive): het bestand is al naar de cloud gekopieerd. Verwijder het daar ook, inclusief de prullenbak en eerdere versies.`));
  }
  if (!(await confirmTargets(ui, targets, flags.yes))) {
    ui.err('Niets verwijderd.');
    return EXIT.ok;
  }
  await executeShred(targets, { passes: flags.passes ?? 1, zero: Boolean(flags.zero) }, (t) => ui.out(ui.color.green(`✔ ${t.path} overschreven en verwijderd`)));
  ui.err(ui.color.dim(SHRED_CAVEAT));
  return EXIT.ok;
}

export async function shredCommand(paths: string[], flags: ShredFlags): Promise<number> {
  const ui = await createUi(flags.quiet ? { quiet: true } : {});
  return run(ui, paths, flags);
}

/** convert --shred-inputs: refused before any work when it could not run afterwards (no --yes without a terminal, a file shred would refuse). */
export async function checkShredAfterConvert(paths: string[], flags: { yes?: boolean }): Promise<void> {
  if (!flags.yes && !hasTerminal()) {
    throw new UserError('--shred-inputs vraagt zonder terminal ook --yes, zodat er nooit per ongeluk iets verdwijnt. Er is niets geschreven.');
  }
  try {
    await planShred(paths);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`--shred-inputs: ${err.message} Er is niets geschreven.`);
    throw err;
  }
}

/** convert --shred-inputs: after a successful write, the export and IDGebr file go. A failure says what was written. */
export async function shredAfterConvert(ui: Ui, paths: string[], written: string[], flags: { yes?: boolean }): Promise<number> {
  ui.out();
  ui.out('Invoerbestanden veilig verwijderen (--shred-inputs):');
  try {
    return await run(ui, paths, flags.yes ? { yes: true } : {});
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${err.message} Wel geschreven: ${written.join(', ')}.`, err.exitCode);
    throw err;
  }
}
