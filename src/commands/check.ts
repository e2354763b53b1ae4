import { EXIT } from '../core/errors.js';
import { plural } from '../core/format.js';
import { runCheck } from '../run/check.js';
import { typedPathIn } from '../run/config.js';
import { findingsJson, printFindings } from '../ui/report.js';
import { createUi, type TerminalIo } from '../ui/terminal.js';

export async function checkCommand(file: string, flags: { opleidingen?: string; json?: boolean; quiet?: boolean }, io: TerminalIo): Promise<number> {
  const ui = await createUi({ quiet: Boolean(flags.quiet), json: Boolean(flags.json), stdout: io.stdout, stderr: io.stderr, env: io.env });
  const report = await runCheck(typedPathIn(io.cwd, file), flags.opleidingen ? { opleidingen: typedPathIn(io.cwd, flags.opleidingen) } : {});
  const exitCode = report.findings.hasErrors ? EXIT.data : EXIT.ok;
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ ok: exitCode === 0, exitCode, rows: report.rows, ...findingsJson(report.findings) }, null, 2)}\n`);
  } else {
    printFindings(ui, report.findings);
    // "Geen problemen" only when nothing was said: after a warning or a note of what was not checked it claims too much.
    const said = report.findings.list().length > 0;
    if (exitCode === 0) ui.out(ui.color.green(`✔ ${report.file}: ${plural(report.rows, 'rij', 'rijen')}, ${said ? 'geen fouten gevonden; lees de meldingen hierboven' : 'geen problemen gevonden'}.`));
    else ui.err(ui.color.red(`${report.file} kan zo niet naar Numo. Los de problemen hierboven op.`));
  }
  return exitCode;
}
