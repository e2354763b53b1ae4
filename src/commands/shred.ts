import { EXIT, UserError } from '../core/errors.js';
import { SHRED_PASSES } from '../core/settings.js';
import { typedPathIn } from '../run/config.js';
import { runShred, SHRED_CAVEAT, type ShredTarget } from '../run/shred.js';
import { shredCommand as shredLine } from '../ui/command-line.js';
import { inquirerPrompter } from '../ui/prompter.js';
import { createUi, type TerminalIo, type Ui } from '../ui/terminal.js';

interface ShredFlags {
  passes?: number;
  zero?: boolean;
  yes?: boolean;
  quiet?: boolean;
}

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

async function confirmTargets(ui: Ui, io: TerminalIo, targets: ShredTarget[], yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!io.isTTY) {
    throw new UserError('Zonder terminal vraagt shred om --yes, zodat er nooit per ongeluk iets verdwijnt.');
  }
  ui.err('Deze bestanden worden overschreven en verwijderd:');
  for (const t of targets) ui.err(`  ${t.path}  (${size(t.size)})${t.lockFile ? '  — Excel-vergrendelingsbestand' : ''}`);
  return (await inquirerPrompter({ input: io.stdin, output: io.stdout })).confirm({ message: 'Definitief verwijderen?', default: false });
}

async function run(ui: Ui, io: TerminalIo, paths: string[], flags: ShredFlags, readAs?: readonly ShredTarget[]): Promise<number> {
  const { confirmed, shredded, left } = await runShred(paths, {
    passes: flags.passes ?? SHRED_PASSES.default,
    zero: Boolean(flags.zero),
    env: io.env,
    confirm: (targets) => confirmTargets(ui, io, targets, flags.yes),
    onCloud: (p) =>
      ui.err(
        ui.color.yellow(
          `! ${p} staat in een cloudmap (OneDrive/Dropbox/Google Drive): het bestand is al naar de cloud gekopieerd. Verwijder het daar ook, inclusief de prullenbak en eerdere versies.`,
        ),
      ),
    onShredded: (t) => ui.out(ui.color.green(`✔ ${t.path} overschreven en verwijderd`)),
    onGone: (p) => ui.err(`i ${p}: tijdelijk bestand van numo-prep dat er al niet meer is (de run die het schreef, heeft het opgeruimd)`),
    onLeftover: (p) => ui.err(`i ${p}: tijdelijk bestand van een afgebroken run van numo-prep; gaat mee`),
    onBusyLeftover: (p) =>
      ui.err(
        ui.color.yellow(
          `! ${p}: tijdelijk bestand van numo-prep van een run die misschien nog bezig is (hier of op een andere pc); niet verwijderd. Draai shred opnieuw als die run klaar is (na een dag telt het als achtergebleven en gaat het mee).`,
        ),
      ),
    cwd: io.cwd,
    ...(readAs ? { readAs } : {}),
  });
  if (!confirmed) {
    ui.err('Niets verwijderd.');
    return EXIT.ok;
  }
  // --quiet: only errors; the caveat is in the README and in every run without --quiet.
  if (!ui.quiet && shredded.length) ui.err(ui.color.dim(SHRED_CAVEAT));
  // A file the admin named that stayed (its run may still be writing it) is no success a script may go on from.
  if (left.length) {
    // The line to run when that run is done names only these: the same line again stopped at the files gone now.
    ui.err(`Niet alles verwijderd: ${left.length === 1 ? 'één genoemd bestand staat' : `${left.length} genoemde bestanden staan`} er nog (zie hierboven). Als die run klaar is: ${shredLine(left)}`);
    return EXIT.usage;
  }
  return EXIT.ok;
}

export async function shredCommand(paths: string[], flags: ShredFlags, io: TerminalIo): Promise<number> {
  const ui = await createUi({ ...(flags.quiet ? { quiet: true } : {}), stdout: io.stdout, stderr: io.stderr, env: io.env });
  return run(
    ui,
    io,
    paths.map((p) => typedPathIn(io.cwd, p)),
    flags,
  );
}

/** convert --shred-inputs: after a successful write, the export and IDGebr file go. */
export async function shredAfterConvert(ui: Ui, io: TerminalIo, paths: string[], flags: { yes?: boolean; readAs: readonly ShredTarget[] }): Promise<number> {
  ui.out();
  ui.out('Invoerbestanden veilig verwijderen (--shred-inputs):');
  return run(ui, io, paths, flags.yes ? { yes: true } : {}, flags.readAs);
}
