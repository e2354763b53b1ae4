import { EXIT } from '../core/errors.js';
import { convertSettingsFrom, type ConvertFlags } from '../run/config.js';
import { runConvert, type ConvertHooks } from '../run/convert.js';
import { convertReportJson, printConvertReport } from '../ui/report.js';
import { createUi, type TerminalIo } from '../ui/terminal.js';

export async function convertCommand(exportPath: string, flags: ConvertFlags, io: TerminalIo): Promise<number> {
  const ui = await createUi({ quiet: Boolean(flags.quiet), json: Boolean(flags.json), stdout: io.stdout, stderr: io.stderr, env: io.env });
  const settings = await convertSettingsFrom(exportPath, flags, { cwd: io.cwd, notice: (l) => ui.err(ui.color.yellow(l)) });
  const spinner = ui.spinner('Export lezen…');
  const hooks: ConvertHooks = {
    onPhase: (phase) => {
      if (phase === 'write') spinner.text = 'Schrijven…';
      if (phase === 'done') spinner.stop();
    },
  };
  if (io.isTTY && !flags.yes && !flags.json) {
    const [{ promptUnmapped }, { inquirerPrompter }] = await Promise.all([import('../run/map-studies.js'), import('../ui/prompter.js')]);
    hooks.resolveUnmapped = async (unmapped, mapping) => {
      spinner.stop();
      return promptUnmapped(await inquirerPrompter({ input: io.stdin, output: io.stdout }), unmapped, mapping, settings);
    };
  }
  let report;
  try {
    report = await runConvert(settings, hooks);
  } finally {
    spinner.stop();
  }
  if (flags.json) io.stdout.write(`${JSON.stringify(convertReportJson(report), null, 2)}\n`);
  else printConvertReport(ui, report);
  if (report.written && flags.shredInputs) {
    const { shredAfterConvert } = await import('./shred.js');
    const code = await shredAfterConvert(ui, io, [settings.export, settings.idgebr].filter((p): p is string => Boolean(p)), flags);
    if (code !== EXIT.ok) return code;
  }
  return report.exitCode;
}
