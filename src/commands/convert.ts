import { existsSync } from 'node:fs';
import { EXIT, UserError } from '../core/errors.js';
import { type ConvertFlags, convertSettingsFrom } from '../run/config.js';
import { type ConvertHooks, runConvert } from '../run/convert.js';
import { prepareShredAfterConvert } from '../run/shred.js';
import { programCommand, shredCommand } from '../ui/command-line.js';
import { inquirerPrompter } from '../ui/prompter.js';
import { convertReportJson, printConvertReport, printStaleTemps } from '../ui/report.js';
import { createUi, type TerminalIo, type Ui } from '../ui/terminal.js';
import { shredAfterConvert } from './shred.js';

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
  // Absolute (settings are), as the report's personal files are: each must match its entry there.
  const named = flags.shredInputs ? [settings.export, settings.idgebr].filter((p): p is string => Boolean(p)) : [];
  const inputs = settings.dryRun ? [] : named;
  const readAs = named.length
    ? await prepareShredAfterConvert(named, { yes: Boolean(flags.yes), canAsk: io.isTTY && !flags.json, dryRun: settings.dryRun }).catch((err: unknown) => {
        if (err instanceof UserError) err.notices = notices;
        throw err;
      })
    : [];
  const spinner = ui.spinner('Export lezen…');
  const hooks: ConvertHooks = {
    onPhase: (phase) => {
      if (phase === 'write') spinner.text = 'Schrijven…';
      if (phase === 'done') spinner.stop();
    },
    onStaleTemps: (t) => printStaleTemps(ui, t, settings.dryRun),
  };
  if (canAsk) {
    // Only a run in a terminal that meets a Studie without a code asks about it.
    const { promptUnmapped } = await import('../run/map-studies.js');
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
  const toShred = report.written ? inputs : [];
  // The shred hint never lists a file --shred-inputs is about to remove; one that survives is named after it.
  const later = report.personalFiles.filter((f) => !toShred.includes(f));
  if (!flags.json) printConvertReport(ui, toShred.length ? { ...report, shredCommand: shredCommand(later) } : report);
  let code: number = report.exitCode;
  if (toShred.length) {
    try {
      // --json: what the shred says on stderr (a cloud folder, the caveat, what stayed) goes into the notices.
      const shredUi: Ui = flags.json ? { ...ui, err: (l = '') => notices.push(l.replace(/\u001b\[[0-9;]*m/g, '')) } : ui;
      code = await shredAfterConvert(shredUi, io, toShred, { ...flags, readAs });
    } catch (err) {
      // A shred that stopped part-way: --json says what went, and what the shred said before.
      if (err instanceof UserError) Object.assign(err, { notices, shredded: toShred.filter((f) => !existsSync(f)) });
      throw err;
    } finally {
      // Also when the shred refused or failed: the line above left these out, they are still there.
      const left = toShred.filter((f) => existsSync(f));
      if (left.length) ui.err(ui.color.yellow(`Nog niet verwijderd: ${shredCommand(left)}`));
    }
  }
  const remaining = report.personalFiles.filter((f) => !toShred.includes(f) || existsSync(f));
  if (flags.json) {
    const shredded = toShred.filter((f) => !existsSync(f));
    io.stdout.write(`${JSON.stringify({ ...convertReportJson({ ...report, shredCommand: shredCommand(remaining) }), shredded, notices }, null, 2)}\n`);
  }
  return code !== EXIT.ok ? code : report.exitCode;
}
