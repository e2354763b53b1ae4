import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.js';
import { type ConvertFlags, convertSettingsFrom } from '../run/config.js';
import { type ConvertHooks, runConvert } from '../run/convert.js';
import { programCommand, shredCommand } from '../ui/command-line.js';
import { convertReportJson, printConvertReport, printStaleTemps } from '../ui/report.js';
import { createUi, type TerminalIo } from '../ui/terminal.js';

export async function convertCommand(exportPath: string, flags: ConvertFlags, io: TerminalIo): Promise<number> {
  const ui = await createUi({ quiet: Boolean(flags.quiet), json: Boolean(flags.json), stdout: io.stdout, stderr: io.stderr, env: io.env });
  // Every notice a text run prints is in the JSON too.
  const notices: string[] = [];
  const notice = (l: string, level: 'info' | 'warning') => {
    notices.push(l);
    if (level === 'warning' || !flags.quiet) ui.err(ui.color.yellow(l));
  };
  const canAsk = io.isTTY && !flags.yes && !flags.json;
  const confirm = async (message: string) => {
    const { inquirerPrompter } = await import('../ui/prompter.js');
    return (await inquirerPrompter({ input: io.stdin, output: io.stdout })).confirm({ message, default: false });
  };
  let settings;
  try {
    settings = await convertSettingsFrom(exportPath, flags, { cwd: io.cwd, notice, ...(canAsk ? { confirm } : {}) });
  } catch (err) {
    // The JSON of a failed run carries the notices printed before it, like a text run shows them.
    if (err instanceof UserError) err.notices = notices;
    throw err;
  }
  const shredTargets = flags.shredInputs && !settings.dryRun ? [settings.export, settings.idgebr].filter((p): p is string => Boolean(p)) : [];
  if (shredTargets.length) {
    // Refused before any work: a run that writes the output and then cannot shred leaves the admin half done.
    const { checkShredAfterConvert } = await import('./shred.js');
    await checkShredAfterConvert(io, shredTargets, flags).catch((err: unknown) => {
      if (err instanceof UserError) err.notices = notices;
      throw err;
    });
  }
  const spinner = ui.spinner('Export lezen…');
  const hooks: ConvertHooks = {
    onPhase: (phase) => {
      if (phase === 'write') spinner.text = 'Schrijven…';
      if (phase === 'done') spinner.stop();
    },
    onStaleTemps: (t) => printStaleTemps(ui, t, settings.dryRun),
  };
  if (canAsk) {
    const [{ promptUnmapped }, { inquirerPrompter }] = await Promise.all([import('../run/map-studies.js'), import('../ui/prompter.js')]);
    hooks.resolveUnmapped = async (unmapped) => {
      spinner.stop();
      const answer = await promptUnmapped(await inquirerPrompter({ input: io.stdin, output: io.stdout }), unmapped, settings);
      if (answer?.inWorkbook) {
        ui.err(
          ui.color.yellow(
            `! ${settings.mapping} is een Excel-werkmap; daar schrijft numo-prep niet in. Zet ${answer.codes.size === 1 ? 'deze studie' : `deze ${answer.codes.size} studies`} er zelf in (of draai ${programCommand()} mapping opnieuw), anders vraagt convert ${answer.codes.size === 1 ? 'hem' : 'ze'} volgend jaar weer.`,
          ),
        );
      }
      return answer;
    };
  }
  let report;
  try {
    report = await runConvert(settings, hooks);
  } catch (err) {
    if (err instanceof UserError) err.notices = notices;
    throw err;
  } finally {
    spinner.stop();
  }
  // Absolute, as the report's personal files are: a relative --idgebr must match its entry there.
  const toShred = report.written && flags.shredInputs ? [settings.export, settings.idgebr].filter((p): p is string => Boolean(p)).map((p) => resolve(p)) : [];
  // The shred hint never lists a file --shred-inputs is about to remove; one that survives is named after it.
  const later = report.personalFiles.filter((f) => !toShred.includes(f));
  if (!flags.json) printConvertReport(ui, toShred.length ? { ...report, shredCommand: shredCommand(later) } : report);
  let code: number = report.exitCode;
  if (toShred.length) {
    const { shredAfterConvert } = await import('./shred.js');
    try {
      code = await shredAfterConvert(ui, io, toShred, flags);
    } finally {
      // Also when the shred refused or failed: the line above left these out, they are still there.
      const left = toShred.filter((f) => existsSync(f));
      if (left.length) ui.err(ui.color.yellow(`Nog niet verwijderd: ${shredCommand(left)}`));
    }
  }
  const remaining = report.personalFiles.filter((f) => !toShred.includes(f) || existsSync(f));
  if (flags.json) io.stdout.write(`${JSON.stringify({ ...convertReportJson({ ...report, shredCommand: shredCommand(remaining) }), notices }, null, 2)}\n`);
  return code !== EXIT.ok ? code : report.exitCode;
}
