import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, Interrupted, NOTHING_WRITTEN, UserError } from './core/errors.js';
import { LIMITS } from './core/limits.js';
import { SETTINGS, SHRED_PASSES, STUDENT_GEBRUIKERSNAAM } from './core/settings.js';
import { committedFiles, forgetShredAfterWrite, forgetShredded, interruptNoteText, removePendingTemps, shreddedFiles, shreddedSoFar, unfinishedShreds } from './io/cleanup.js';
import { cmdNote, programCommand, shellQuote, shredCommand } from './ui/command-line.js';
import { printable, processIo, type TerminalIo } from './ui/terminal.js';

const TITLES: Record<string, string> = {
  'Usage:': 'Gebruik:',
  'Options:': 'Opties:',
  'Commands:': "Commando's:",
  'Arguments:': 'Argumenten:',
  'Global Options:': 'Algemene opties:',
};

/** Commander's usage line in Dutch: "numo-prep convert [opties] <export>". */
const dutchUsage = (usage: string) => usage.replace('[options]', '[opties]').replace('[command]', '[commando]');

/** Commander's messages are English; the admin gets Dutch, with the way forward. */
function translateCommanderError(err: CommanderError, argv: string[]): string {
  const cmd = argv[2] && !argv[2].startsWith('-') ? ` ${argv[2]}` : '';
  const program = programCommand();
  const help = `Zie ${program}${cmd} --help.`;
  const quoted = err.message.match(/'([^']+)'/g)?.map((q) => q.slice(1, -1)) ?? [];
  // commander's own suggestion ("Did you mean --mapping?"), found by edit distance over the real flags.
  const similar = err.message.match(/\(Did you mean (?:one of )?(.*)\?\)/)?.[1];
  const suggestion = similar ? ` Bedoel je ${similar.split(', ').join(' of ')}?` : '';
  switch (err.code) {
    case 'commander.unknownOption':
      return `Onbekende optie ${quoted[0] ?? ''}.${suggestion} ${help}`;
    case 'commander.unknownCommand': {
      const word = quoted[0] ?? '';
      // A file where the command goes: the command left out, or an export dragged onto the .exe.
      if (/\.(xlsx|xlsm|csv|txt)$/i.test(word) || /[\\/]/.test(word)) {
        const line = `${program} convert ${shellQuote(word)}`;
        const note = cmdNote(line);
        return `Eerst het commando, dan het bestand: ${line}, of de eerste keer ${program} wizard ${shellQuote(word)}.${note ? ` ${note}` : ''} Zie ${program} --help.`;
      }
      return `Onbekend commando '${word}'.${suggestion || ' Kies convert, wizard, mapping, check of shred.'} Zie ${program} --help.`;
    }
    case 'commander.missingArgument':
      // check reads what convert wrote, the other commands an export.
      return `Geef het bestand op, bijvoorbeeld: ${program}${cmd} ${cmd === ' check' ? 'numo-import.csv' : 'export.xlsx'}. ${help}`;
    case 'commander.missingMandatoryOptionValue':
      return `Optie ${quoted[0]?.split(' ')[0] ?? ''} is nodig. ${help}`;
    case 'commander.optionMissingArgument':
      return `Optie ${quoted[0] ?? ''} vraagt een waarde. ${help}`;
    case 'commander.invalidArgument': {
      const allowed = err.message.match(/Allowed choices are (.*)\./)?.[1];
      // Our own parsers (intIn) say what is allowed after commander's "is invalid. ".
      const own = err.message.match(/is invalid\. (.*)$/s)?.[1];
      const flag = (quoted[0] ?? 'een optie').split(' ')[0];
      // "';', ',', 'tab'": each choice quoted, as the shell needs a ; to be.
      const choices = allowed
        ?.split(', ')
        .map((c) => `'${c.replace(/^"|"$/g, '')}'`)
        .join(', ');
      return `Ongeldige waarde '${quoted[1] ?? ''}' voor ${flag}.${choices ? ` Toegestaan: ${choices}.` : own ? ` ${own}` : ''} ${help}`;
    }
    case 'commander.excessArguments':
      return `Te veel argumenten. ${help}`;
    default:
      return `${err.message.replace(/^error: /, '')} ${help}`;
  }
}

/** A whole number in a range, for commander: its error names the flag, this says the range. */
function intIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`Kies een geheel getal van ${min} tot en met ${max}.`);
    return n;
  };
}

/** Repeated --klas/--studie, in one array (a copy per flag made 20,000 of them quadratic). */
function collect(value: string, previous: string[] | undefined): string[] {
  const list = previous ?? [];
  list.push(value);
  return list;
}

/** `--rol <rol>` with the choices of SETTINGS.rol. */
function choice(flags: string, description: string, key: 'rol' | 'bron' | 'password' | 'encoding' | 'delimiter'): Option {
  return new Option(flags, description).choices(SETTINGS[key].choices);
}

/**
 * Tells the process (TerminalIo.adaptToWork) how much work a command's input is. First, before the command's
 * settings are read: the tiering decision pays only if little code has run hot yet.
 */
async function adaptToInput(io: TerminalIo, path: string | undefined): Promise<void> {
  // A file longer than the small-work size is large work whatever it unpacks to: sized without reading it.
  if (io.adaptToWork && path) io.adaptToWork(await (await import('./io/input.js')).workBytes(path, SMALL_WORK_BYTES));
}

function buildProgram(io: TerminalIo, argv: readonly string[]): Command {
  const program = new Command('numo-prep')
    .description('Zet een Magister deelnemersexport om naar een Numo-importbestand, en ruim daarna de persoonsgegevens op.')
    .version('0.1.0', '-V, --version', 'toon het versienummer')
    .helpOption('-h, --help', 'toon deze hulp')
    .helpCommand('help [commando]', 'toon hulp bij een commando')
    .configureHelp({ styleTitle: (t) => TITLES[t] ?? t, styleUsage: dutchUsage, styleSubcommandTerm: dutchUsage, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (text) => void io.stdout.write(text), writeErr: () => {}, outputError: () => {} });

  program
    .command('convert')
    .description('export uit Magister, Somtoday of EduArte (.xlsx of .csv) → Numo-importbestand (.csv)')
    .argument('<export>', 'de deelnemersexport (of personeelslijst, met --rol docent)')
    .option('--config <bestand>', 'instellingen (standaard numo-prep.config.json in deze map of naast de export); opties gaan voor')
    .option('--no-config', 'geen instellingenbestand gebruiken')
    .option('--mapping <bestand>', 'tabel Studie → Numo-opleidingscode (.csv of .xlsx)')
    .option('--idgebr <bestand>', 'Stamnr/IDGebr-bestand of migratiehulpbestand, voor SSO')
    .option('--sso', 'stoppen als er geen IDGebr is (geen --idgebr en geen kolom IDGebr); de wizard zet dit in de config')
    .option('--no-sso', 'dit keer zonder SSO, ook als de config "sso": true heeft')
    .option('--opleidingen <bestand>', 'lijst met geldige Numo-opleidingscodes (Numo-sjabloon, .xlsx of .csv)')
    .option('--out <bestand>', 'uitvoerbestand (standaard numo-import-<datum>.csv naast de export)')
    .option('--force', 'een bestaand uitvoerbestand vervangen')
    .option('--gebruikersnaam <sjabloon>', `gebruikersnaam, bijv. "{stamnr}" of "ll{stamnr}" (standaard ${STUDENT_GEBRUIKERSNAAM}; docenten: login, anders code)`)
    .addOption(choice('--rol <rol>', `rol in Numo (standaard ${SETTINGS.rol.default}); docent leest een personeelslijst`, 'rol'))
    .addOption(choice('--bron <bron>', 'soort export (standaard: herkend aan de kolomkoppen)', 'bron'))
    .option(
      '--stamnr-cijfers <n>',
      `Stamnr in de gebruikersnaam op n cijfers zetten (voorloopnullen aanvullen of weglaten), ${SETTINGS.stamnrCijfers.min}–${SETTINGS.stamnrCijfers.max}`,
      intIn(SETTINGS.stamnrCijfers.min, SETTINGS.stamnrCijfers.max),
    )
    .option('--klas <lijst>', 'alleen deze klassen, bijv. "1A,2*" (herhaalbaar)', collect)
    .option('--studie <lijst>', 'alleen deze studies, bijv. "1 havo,2*" (herhaalbaar)', collect)
    .addOption(choice('--password <soort>', `wachtwoorden (standaard ${SETTINGS.password.default})`, 'password'))
    .option('--password-template <sjabloon>', 'sjabloon voor --password template, bijv. "Welkom{random4}"')
    .option(
      '--password-length <n>',
      `lengte van willekeurige wachtwoorden, ${SETTINGS.passwordLength.min}–${SETTINGS.passwordLength.max} (standaard ${SETTINGS.passwordLength.default})`,
      intIn(SETTINGS.passwordLength.min, SETTINGS.passwordLength.max),
    )
    .addOption(choice('--encoding <codering>', `tekencodering van de CSV (standaard ${SETTINGS.encoding.default})`, 'encoding'))
    .addOption(choice('--delimiter <teken>', `scheidingsteken (standaard ${SETTINGS.delimiter.default})`, 'delimiter'))
    .option('--previous <bestand>', 'Numo-CSV van vorig jaar: toon nieuwe, vertrokken en gewijzigde leerlingen')
    .option('--previous-report <bestand>', 'schrijf die vergelijking ook als CSV')
    .option('--keep-passwords', 'terugkerende leerlingen houden hun wachtwoord van vorig jaar (met --previous)')
    .option('--shred-inputs', 'de export en het IDGebr-bestand na het schrijven veilig verwijderen')
    .option('--dry-run', 'alleen controleren, niets schrijven')
    .option('--json', 'het verslag als JSON op stdout')
    .option('--yes', 'nooit iets vragen')
    .option('--quiet', 'alleen fouten en waarschuwingen tonen')
    .action(async (exportPath: string, opts: Record<string, unknown>) => {
      await adaptToInput(io, exportPath);
      const { convertCommand } = await import('./commands/convert.js');
      program.setOptionValue('exitCode', await convertCommand(exportPath, opts, io));
    });

  program
    .command('check')
    .description('controleer een Numo-importbestand (zelfgemaakt of van een eerdere run)')
    .argument('<numo-csv>', 'het Numo-importbestand')
    .option('--opleidingen <bestand>', 'lijst met geldige Numo-opleidingscodes')
    .option('--json', 'het verslag als JSON op stdout')
    .option('--quiet', 'alleen fouten en waarschuwingen tonen')
    .action(async (file: string, opts: Record<string, unknown>) => {
      await adaptToInput(io, file);
      const { checkCommand } = await import('./commands/check.js');
      program.setOptionValue('exitCode', await checkCommand(file, opts, io));
    });

  program
    .command('shred')
    .description('overschrijf en verwijder bestanden met persoonsgegevens (na de upload naar Numo)')
    .argument('<bestand...>', 'de bestanden')
    .option(
      '--passes <n>',
      `aantal keer overschrijven met willekeurige gegevens, ${SHRED_PASSES.min}–${SHRED_PASSES.max} (standaard ${SHRED_PASSES.default})`,
      intIn(SHRED_PASSES.min, SHRED_PASSES.max),
    )
    .option('--zero', 'tot slot nog een keer met nullen overschrijven')
    .option('--yes', 'niet om bevestiging vragen')
    .option('--quiet', 'alleen fouten tonen')
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { shredCommand } = await import('./commands/shred.js');
      program.setOptionValue('exitCode', await shredCommand(files, opts, io));
    });

  program
    .command('mapping')
    .description('Excel-werkmap met alle studies uit de export, om de opleidingscodes in Excel in te vullen')
    .argument('<export>', 'de export met leerlingen (Magister, Somtoday of EduArte)')
    .requiredOption('--out <bestand>', 'de werkmap die wordt geschreven, bijv. mapping.xlsx (verplicht)')
    .option('--opleidingen <bestand>', 'Numo-sjabloon (tabblad Opleidingen) of lijst met opleidingscodes: keuzelijst en suggesties')
    .option('--mapping <bestand>', 'bestaande mapping: bekende codes staan al ingevuld')
    .option('--config <bestand>', 'instellingen (standaard numo-prep.config.json in deze map of naast de export): mapping, lijst en kolommen')
    .option('--no-config', 'geen instellingenbestand gebruiken')
    .option('--force', 'een bestaand bestand vervangen')
    .option('--quiet', 'alleen fouten en waarschuwingen tonen')
    .action(async (exportPath: string, opts: { out: string }) => {
      await adaptToInput(io, exportPath);
      const { mappingCommand } = await import('./commands/mapping.js');
      program.setOptionValue('exitCode', await mappingCommand(exportPath, opts, io));
    });

  program
    .command('wizard')
    .description('eerste keer: stap voor stap de mapping en instellingen maken, en het bestand schrijven')
    .argument('[export]', 'de deelnemersexport (anders kies je hem uit de huidige map)')
    .option('--opleidingen <bestand>', 'Numo-sjabloon (tabblad Opleidingen) of lijst met opleidingscodes')
    .option('--mapping <bestand>', 'bestaande mapping om aan te vullen')
    .action(async (exportPath: string | undefined, opts: Record<string, unknown>) => {
      await adaptToInput(io, exportPath);
      const { wizardCommand } = await import('./commands/wizard.js');
      program.setOptionValue('exitCode', await wizardCommand(exportPath, opts, io));
    });

  program.hook('preAction', (_, action) => {
    refuseRepeatedOption(action, argv);
    refuseEmptyPath(action);
  });
  return program;
}

/**
 * An empty file argument ("" from a script, a shortcut or a variable that was not set) is no file: said as a
 * missing one, not as an invalid setting of a flag that does not exist, or "not found: ". An empty file option is
 * said in the words the settings use, for every command (--config "" would silently mean no config, mapping's
 * --out "" the working folder).
 */
function refuseEmptyPath(action: Command, windows = process.platform === 'win32'): void {
  if (action.args.some((a) => a.trim() === '')) action.error("error: missing required argument 'bestand'", { code: 'commander.missingArgument', exitCode: 2 });
  const quoted = (value: string, what: string) => {
    // No Windows file name has a ": cmd read "D:\map\" as an escaped quote, and the rest of the line (--dry-run too)
    // went into this path, which then "disappeared during the run" or was "not found". (A Mac or Linux name may.)
    if (windows && value.includes('"')) {
      action.error(`${what} bevat een aanhalingsteken ("). Eindigt een pad tussen aanhalingstekens op \\ (zoals "D:\\map\\"), laat die laatste \\ dan weg.`, {
        code: 'numo-prep.quotedPath',
        exitCode: 2,
      });
    }
  };
  // A message names the path: one of a megabyte (from a script) would be a megabyte of message.
  const paths = [...action.args, ...action.options.filter((o) => o.flags.includes('<bestand>')).map((o) => action.getOptionValue(o.attributeName()))];
  const long = paths.some((v) => typeof v === 'string' && v.length > LIMITS.pathChars);
  if (long) action.error(`Een pad is langer dan ${LIMITS.pathChars} tekens; zo lang is geen bestandsnaam. Controleer de opdracht.`, { code: 'numo-prep.longPath', exitCode: 2 });
  for (const a of action.args) quoted(a, 'Het bestand');
  for (const o of action.options) {
    const value: unknown = action.getOptionValue(o.attributeName());
    if (o.flags.includes('<bestand>') && typeof value === 'string' && value.trim() === '') {
      action.error(`Ongeldige waarde voor ${o.long}. Verwacht: een niet-lege waarde.`, { code: 'numo-prep.emptyPath', exitCode: 2 });
    }
    if (o.flags.includes('<bestand>') && typeof value === 'string') quoted(value, `De waarde van ${o.long}`);
  }
}

/**
 * An option that takes one value, given twice (--idgebr a.csv --idgebr b.csv): commander keeps the last and the
 * first would go unread, unmentioned and left out of the shred line. Repeatable ones (--klas, --studie) collect.
 */
function refuseRepeatedOption(action: Command, argv: readonly string[]): void {
  const seen = new Set<string>();
  // --config x and --no-config (or --sso and --no-sso): one of the two would be dropped without a word.
  const setBy = new Map<string, string>();
  const refuse = (message: string) => action.error(message, { code: 'numo-prep.repeatedOption', exitCode: 2 });
  for (let i = 2; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return;
    if (!token.startsWith('--')) continue;
    const [name, inline] = token.split(/=(.*)/s) as [string, string | undefined];
    const option = action.options.find((o) => o.long === name);
    if (!option) continue;
    const other = setBy.get(option.attributeName());
    if (other !== undefined && other !== name) refuse(`Opties ${other} en ${name} staan allebei in de opdracht; kies er één.`);
    setBy.set(option.attributeName(), name);
    if (!(option.required || option.optional)) continue;
    if (inline === undefined) i++;
    if (option.parseArg === collect) continue;
    if (seen.has(name)) refuse(`Optie ${name} staat twee keer in de opdracht; welke waarde bedoeld is, is niet zeker. Geef hem één keer.`);
    seen.add(name);
  }
}

function wantsJson(argv: string[]): boolean {
  return argv.includes('--json');
}

/**
 * Runs numo-prep with argv as process.argv spells it (node, script, then the arguments) and returns the exit code.
 * Never calls process.exit: bin/numo-prep.js does, and tests call main() in-process with their own streams.
 */
export async function main(argv: string[], io: Partial<TerminalIo> = {}): Promise<number> {
  const t = processIo(io);
  for (const stream of [t.stdout, t.stderr]) watchOutput(stream);
  const mark = committedFiles().length;
  const shredMark = shreddedFiles().length;
  const code = await run(argv, t, mark).finally(forgetShredAfterWrite);
  // A failed write reports its error on a later tick.
  await new Promise((resolve) => setImmediate(resolve));
  const failed = failedOutput.get(t.stdout) ?? failedOutput.get(t.stderr);
  if (failed === undefined) return code;
  // The report (or the JSON a script reads) is incomplete: never exit 0. Said on whichever stream still works.
  const written = committedFiles().slice(mark);
  const shredded = shreddedFiles().slice(shredMark);
  const done = [...(written.length ? [`Wel geschreven: ${listed(written)}.`] : []), ...(shredded.length ? [`Wel veilig verwijderd: ${listed(shredded)}.`] : [])];
  const nothing = argv[2] === 'shred' ? 'Er is niets verwijderd.' : NOTHING_WRITTEN;
  const note = `numo-prep: het verslag kon niet worden geschreven (${failed}; schijf vol?). ${done.length ? done.join(' ') : nothing}\n`;
  if (!failedOutput.has(t.stderr)) t.stderr.write(note);
  // Not after the JSON a script reads from stdout: the exit code says it.
  else if (!failedOutput.has(t.stdout) && !wantsJson(argv)) t.stdout.write(note);
  return code === EXIT.ok ? EXIT.usage : code;
}

/** Output streams that failed with another error than a closed pipe, with its code. */
const failedOutput = new WeakMap<object, string>();
const watched = new WeakSet<object>();

/**
 * `numo-prep … | head` closes the pipe early; that is not an error worth a stack trace. The run goes on and its
 * exit code stands; what could not be shown is lost with the pipe. Any other failure (stdout redirected to a full
 * disk) is no stack trace either: the run goes on and main() says so at the end. The listener stays after main()
 * returns: the error of a last queued write arrives after that.
 */
function watchOutput(stream: NodeJS.WritableStream): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && !failedOutput.has(stream)) failedOutput.set(stream, err.code ?? err.message);
  });
}

async function run(argv: string[], io: TerminalIo, mark: number): Promise<number> {
  const program = buildProgram(io, argv);
  // Without a command there is nothing to do: the help says what there is (on stderr, as a usage error).
  if (argv.length <= 2) {
    io.stderr.write(program.helpInformation());
    return EXIT.usage;
  }
  const written = () => committedFiles().slice(mark);
  try {
    await program.parseAsync(argv);
    return (program.getOptionValue('exitCode') as number | undefined) ?? EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return fail(io, translateCommanderError(err, argv), EXIT.usage, argv, written());
    }
    if (err instanceof UserError) return fail(io, err.message, err.exitCode, argv, written(), err.notices, err.shredded);
    if (err instanceof Interrupted || (err as Error)?.name === 'ExitPromptError') {
      // Stopped at --shred-inputs' question, after the write: the inputs are still there, and the report's shred
      // command left them out.
      const shreds = written().length ? unfinishedShreds(true).map((s) => s.path) : [];
      const still = shreds.length ? `; nog niet veilig verwijderd: ${listed(shreds)}; draai shred voor ${shreds.length === 1 ? 'dat bestand' : 'die bestanden'}` : '';
      // At shred's own question nothing was touched yet.
      const nothing = argv[2] === 'shred' ? '; er is niets verwijderd' : '; er is niets weggeschreven';
      return fail(io, `Afgebroken${written().length ? '' : nothing}${still}.`, EXIT.interrupted, argv, written());
    }
    if (io.env.NUMO_PREP_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    // During a shred (also convert's --shred-inputs) files may be gone already: named, with what to do.
    const gone = shreddedSoFar();
    forgetShredded();
    if (gone.length || argv[2] === 'shred') {
      return fail(
        io,
        `Onverwachte fout tijdens het verwijderen${gone.length ? `; al overschreven en verwijderd: ${listed(gone)}` : '; er is niets verwijderd'}. Kijk welke bestanden er nog zijn en draai shred opnieuw voor die; meld het bij de beheerder van numo-prep.`,
        EXIT.usage,
        argv,
        written(),
      );
    }
    return fail(
      io,
      `Onverwachte fout${written().length ? '' : '; er is niets weggeschreven'}. Controleer het invoerbestand (opnieuw opslaan als .xlsx helpt vaak) en meld het anders bij de beheerder van numo-prep.`,
      EXIT.usage,
      argv,
      written(),
    );
  }
}

/**
 * The one way out with an error: the message, and — if anything was written before it — which files. A message
 * that says its own operation wrote nothing then says that no more: the files written earlier are named instead.
 */
function fail(io: TerminalIo, message: string, code: number, argv: string[], written: string[], notices: string[] = [], shredded: string[] = []): number {
  const full = written.length ? `${message.replace(` ${NOTHING_WRITTEN}`, '')} Wel geschreven: ${written.join(', ')}.` : message;
  if (wantsJson(argv))
    io.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: full, ...(written.length ? { written } : {}), ...(shredded.length ? { shredded } : {}), notices }, null, 2)}\n`);
  else io.stderr.write(`numo-prep: ${printable(full)}\n`);
  return code;
}

/**
 * The signals the program entry (bin/numo-prep.js, and exe/entry.ts for the single-file builds) handles, and the
 * exit code for each: the shell's 128 + number. SIGBREAK is Ctrl+Break in a Windows console, an abort like
 * Ctrl+C; without a handler Node would end at once and leave a half-written temp file behind.
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGBREAK: 130 } as const;

/** For the entry on one of SIGNAL_EXIT_CODES: remove a half-written output and say so. */
export function onSignal(stderr: NodeJS.WritableStream, writtenSince = 0, command = process.argv[2]): void {
  const parts: string[] = [];
  const { removed, rolledBack, kept, oldRemoved } = removePendingTemps();
  // While the files are put in place they are whole: what was placed is taken back, not "half written".
  if (rolledBack) parts.push('wat deze run al had neergezet, is teruggedraaid en de tijdelijke bestanden zijn verwijderd');
  else if (removed) parts.push('het half geschreven bestand is verwijderd');
  if (oldRemoved) parts.push('de oude versie van een vervangen bestand is verwijderd, maar niet overschreven');
  // A process is one run; a test passes how many files earlier runs in its process wrote. A file put in place
  // whose undo failed counts as written.
  const written = [...committedFiles().slice(writtenSince), ...kept];
  if (written.length) parts.push(`wel geschreven: ${listed(written)}`);
  const shredded = shreddedSoFar();
  if (shredded.length) parts.push(`al overschreven en verwijderd: ${listed(shredded)}`);
  const shreds = unfinishedShreds(written.length > 0);
  // The file whose overwrite had begun is no use any more (an export half random bytes): said apart from the rest.
  const damaged = shreds.filter((s) => s.damaged).map((s) => s.path);
  if (damaged.length) parts.push(`half overschreven (niet meer bruikbaar) en nog niet verwijderd: ${listed(damaged)}`);
  // As a line to run when it stays short; absolute, as the admin may be in another folder by then.
  const paths = shreds.map((s) => s.path);
  if (shreds.length)
    parts.push(
      `${damaged.length ? 'nog te verwijderen' : 'nog niet veilig verwijderd'}: ${shreds.length <= 5 ? `draai ${shredCommand(paths.map((p) => resolve(p)))}` : `${listed(paths)}; draai shred opnieuw voor die bestanden`}`,
    );
  const note = interruptNoteText();
  // At shred's question (or before its first file) nothing was deleted: what an admin asks of shred.
  const nothing = command === 'shred' ? 'er is niets verwijderd' : 'er is niets weggeschreven';
  stderr.write(`\nnumo-prep: Afgebroken; ${parts.length ? parts.join('; ') : nothing}${note ? `; ${note}` : ''}.\n`);
}

/** A few paths, however many there are: a message stays a few lines. */
const listed = (paths: readonly string[]) => `${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` en ${paths.length - 5} meer` : ''}`;

/**
 * Work up to this many bytes (an export of some 6,000 students) is read without V8's optimising compiler: a
 * school's export is over before TurboFan's compiles pay for themselves. Measured crossover (docs/PERFORMANCE.md):
 * between 10,000 and 20,000 rows, so there is room on both sides.
 */
export const SMALL_WORK_BYTES = 2 * 1024 * 1024;

/**
 * For the program entry: the TerminalIo.adaptToWork of the real process, decided once per run and never in a test
 * worker (flags set after start-up cannot be taken back). All are flags V8 reads at each decision, not at start:
 * - a school PC, not a server: the heap grows by 30 % after each full GC instead of V8's throughput-tuned factor
 *   (--heap-growing-percent=30), at no cost in time;
 * - small work runs on V8's interpreter and baseline compiler only (--max-opt=1: no Maglev, no TurboFan;
 *   on Node 20 and 22 alike, 1,850 rows ~0.42 → ~0.30 s CPU). The V8 of Node 24 and later ignores --max-opt set at
 *   run time (115 optimising compiles for 1,850 rows, 0.66 s CPU); --no-maglev and --no-turbofan it takes (0.46 s);
 * - all work keeps the young generation at its first size instead of letting it grow to 2 × 16 MiB
 *   (--semi-space-growth-factor=1): at 100,000 rows ~30 MiB less peak memory at the same CPU time; at 1,850 rows
 *   ~40 fewer page faults, CPU within the noise. The size cap itself (--max-semi-space-size) works only on the command
 *   line, and any V8 flag there costs every start-up ~5 ms (Node's code cache for its own modules no longer matches).
 */
export function adaptV8ToWork(bytes: number): void {
  // Node's own modules come with a code cache that V8 takes only under the flags the process started with: one
  // loaded after the change below is compiled from source. Every command's report loads chalk, which needs these.
  for (const builtin of ['node:tty', 'node:os']) process.getBuiltinModule(builtin);
  const v8 = process.getBuiltinModule('node:v8');
  for (const flag of v8FlagsForWork(bytes)) v8.setFlagsFromString(flag);
}

/**
 * The flags adaptV8ToWork sets. Only flags V8 reads as a number at each decision: changing one that switches GC
 * threads (--no-concurrent-marking …) at run time crashes V8 (tried).
 */
export function v8FlagsForWork(bytes: number): string[] {
  return ['--heap-growing-percent=30', '--semi-space-growth-factor=1', ...(bytes <= SMALL_WORK_BYTES ? ['--max-opt=1', '--no-maglev', '--no-turbofan'] : [])];
}
