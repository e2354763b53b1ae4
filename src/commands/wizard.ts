import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { CONFIG_FILE, loadConfig } from '../run/config.js';
import { folderFiles, kindOf } from '../run/find-exports.js';
import { runWizard } from '../run/wizard.js';
import { cmdNote, programCommand, shellQuote } from '../ui/command-line.js';
import { inquirerPrompter } from '../ui/prompter.js';
import { createUi, type TerminalIo } from '../ui/terminal.js';

/** A folder; anything else, or a path that cannot be looked at (convert says why), is not. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function wizardCommand(exportPath: string | undefined, flags: { opleidingen?: string; mapping?: string }, io: TerminalIo): Promise<number> {
  if (!io.isTTY) {
    // A folder named as the export would only be passed on to a command that refuses it.
    if (exportPath !== undefined && isFolder(resolve(io.cwd, exportPath))) {
      throw new UserError(`${exportPath} is een map, geen bestand. Geef het pad naar de export zelf.`);
    }
    // The scripted run: with the settings of an earlier wizard run when there are any, else with a mapping (a
    // staff list needs none, but its role).
    const config = existsSync(join(io.cwd, CONFIG_FILE));
    // Without a name: the one export in the folder, as the wizard would offer it; else a placeholder said to be one.
    const found = exportPath === undefined ? (await folderFiles(io.cwd)).filter((f) => f.kind === 'export' || f.kind === 'staff') : [];
    const named = exportPath ?? (found.length === 1 ? found[0]!.name : undefined);
    const staff = named !== undefined && (await kindOf(resolve(io.cwd, named))) === 'staff';
    // What the earlier run chose, as far as the command needs it (a config that cannot be read: convert says why).
    const settings = config
      ? await loadConfig(join(io.cwd, CONFIG_FILE)).then(
          (c) => c.config,
          () => undefined,
        )
      : undefined;
    // A staff list in the students' folder: that config is not for it (the wizard with a terminal says the same).
    const ownFolder = config && staff && settings?.rol !== 'docent';
    // A school with SSO gives this year's IDGebr file; without it convert stops.
    const idgebr = config && !ownFolder && settings?.sso === true;
    // The files the admin gave go along. Without a mapping: the workbook numo-prep mapping makes is the way without
    // questions (a mapping named here that does not exist would only send the admin to "niet gevonden").
    const file = named !== undefined ? shellQuote(named) : '<export>';
    const mapping = flags.mapping ?? join('mappings', 'school.csv');
    const list = flags.opleidingen && !staff ? ` --opleidingen ${shellQuote(flags.opleidingen)}` : '';
    const noMapping = !config && !staff && !existsSync(resolve(io.cwd, mapping));
    const line = noMapping
      ? `${programCommand()} mapping ${file}${list} --out mapping.xlsx`
      : `${programCommand()} convert ${file} ${ownFolder ? '--rol docent --no-config' : config ? `--config ${CONFIG_FILE}${idgebr ? ' --idgebr <nieuw-idgebr-bestand>' : ''}` : staff ? '--rol docent' : `--mapping ${shellQuote(mapping)}`}${list}`;
    const note = [
      named === undefined ? '(vervang <export> door de naam van de export)' : undefined,
      idgebr ? '(vervang <nieuw-idgebr-bestand> door het IDGebr-bestand van dit jaar)' : undefined,
      ownFolder ? `(de instellingen in ${CONFIG_FILE} zijn voor leerlingen; bewaar die van docenten in een eigen map)` : undefined,
      cmdNote(line),
    ]
      .filter(Boolean)
      .join(' ');
    const way = noMapping ? 'zonder terminal maak je de mapping als werkmap in Excel, en zet je daarna om met convert --mapping' : 'zonder terminal werkt alleen convert';
    throw new UserError(`De wizard stelt vragen en heeft daarom een terminal nodig. Start hem in een terminal (cmd, PowerShell, Terminal); ${way}: ${line}${note ? ` ${note}` : ''}`);
  }
  const ui = await createUi({ stdout: io.stdout, stderr: io.stderr, env: io.env });
  return runWizard(await inquirerPrompter({ input: io.stdin, output: io.stdout }), ui, {
    ...(exportPath ? { exportPath } : {}),
    ...(flags.opleidingen ? { opleidingen: flags.opleidingen } : {}),
    ...(flags.mapping ? { mapping: flags.mapping } : {}),
    cwd: io.cwd,
  });
}
