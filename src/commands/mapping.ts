import { basename, dirname } from 'node:path';
import { formatNumber, plural } from '../core/format.js';
import { configPathText, convertSettingsFrom, typedPathIn } from '../run/config.js';
import { runMappingWorkbook } from '../run/mapping-workbook.js';
import { cmdNote, programCommand, shellQuote, shownPath } from '../ui/command-line.js';
import { createUi, type TerminalIo } from '../ui/terminal.js';

interface MappingFlags {
  /** false with --no-config. */
  config?: string | false;
  opleidingen?: string;
  mapping?: string;
  out: string;
  force?: boolean;
  quiet?: boolean;
}

export async function mappingCommand(exportPath: string, flags: MappingFlags, io: TerminalIo): Promise<number> {
  const ui = await createUi({ quiet: Boolean(flags.quiet), stdout: io.stdout, stderr: io.stderr, env: io.env });
  // The school's config (as convert finds it) supplies the mapping to start from, the code list and the columns.
  const s = await convertSettingsFrom(
    exportPath,
    { ...(flags.config !== undefined ? { config: flags.config } : {}), ...(flags.mapping ? { mapping: flags.mapping } : {}), ...(flags.opleidingen ? { opleidingen: flags.opleidingen } : {}) },
    { cwd: io.cwd, notice: (l) => ui.err(ui.color.yellow(l)), codesOnly: true },
  );
  const spinner = ui.spinner('Export lezen…');
  let report;
  try {
    report = await runMappingWorkbook(
      {
        export: s.export,
        out: typedPathIn(io.cwd, flags.out),
        force: Boolean(flags.force),
        ...(s.opleidingen ? { opleidingen: s.opleidingen } : {}),
        ...(s.mapping ? { mapping: s.mapping } : {}),
        ...(s.columns ? { columns: s.columns } : {}),
        ...(s.config ? { config: s.config } : {}),
      },
      (rows) => (spinner.text = `Export lezen… ${formatNumber(rows)} rijen`),
    );
  } finally {
    spinner.stop();
  }
  const r = report;
  ui.out(ui.color.green(`✔ ${r.out} geschreven: ${plural(r.studies, 'studie', 'studies')} uit ${plural(r.students, 'leerling', 'leerlingen')}.`));
  ui.out(`  Met code: ${r.decided}; niet voor Numo: ${r.notForNumo}; nog in te vullen: ${r.undecided}.`);
  if (r.keptFromMapping)
    ui.out(
      `  ${plural(r.keptFromMapping, 'studie', 'studies')} uit de bestaande mapping ${r.keptFromMapping === 1 ? 'staat niet in deze export en is' : 'staan niet in deze export en zijn'} behouden (aantal 0).`,
    );
  for (const note of r.notes) ui.err(ui.color.yellow(`! ${note}`));
  if (r.unknownCodes.length) {
    const shown = r.unknownCodes.slice(0, 5).join(', ');
    ui.err(
      ui.color.yellow(
        `! De bestaande mapping gebruikt ${plural(r.unknownCodes.length, 'code', 'codes')} die niet in de lijst van Numo ${r.unknownCodes.length === 1 ? 'staat' : 'staan'}: ${shown}${r.unknownCodes.length > 5 ? ' …' : ''}. Kies daar een code uit de keuzelijst.`,
      ),
    );
  }
  if (!s.opleidingen) ui.out('  Zonder --opleidingen is er geen volledige keuzelijst; de geldige codes staan op numo.nl/inleesbestand, tabblad Opleidingen.');
  ui.out();
  ui.out('Open het bestand in Excel of LibreOffice, kies per Studie de opleidingscode (of - voor niet naar Numo), sla op, en draai:');
  const rel = shownPath(r.out, io.cwd);
  const next = `${programCommand()} convert ${shellQuote(exportPath)} --mapping ${shellQuote(rel)}${flags.opleidingen ? ` --opleidingen ${shellQuote(flags.opleidingen)}` : ''}`;
  ui.out(`  ${ui.color.bold(next)}`);
  const note = cmdNote(next);
  if (note) ui.out(`  ${note}`);
  // The config's mapping is what convert takes next year without --mapping: a workbook written elsewhere is not.
  const config = s.config;
  if (config && !flags.mapping && s.mapping && s.mapping !== r.out) {
    const fromConfig = (p: string) => configPathText(dirname(config), p);
    const target = fromConfig(r.out);
    // A path out of the config's folder is refused for a config found beside the export: move the workbook in.
    const outside = target.startsWith('../');
    const step = outside ? `Zet de werkmap daarna in de map van ${config}, en zet daar in ${basename(config)}` : `Zet daarna in ${basename(config)}`;
    ui.out(`  ${step} "mapping": ${JSON.stringify(outside ? basename(r.out) : target)}; nu noemt het nog '${fromConfig(s.mapping)}', en die neemt convert zonder --mapping.`);
  }
  return 0;
}
