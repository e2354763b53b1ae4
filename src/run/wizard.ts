import { randomFillSync } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { EXPORT_COLUMNS, type ExportField } from '../core/columns.js';
import { STUDENT_GEBRUIKERSNAAM } from '../core/detect.js';
import { parseList } from '../core/filter.js';
import { Mapping } from '../core/mapping.js';
import type { Opleiding } from '../core/opleidingen.js';
import type { PasswordKind, Rol } from '../core/schema.js';
import { convertSettings, SETTINGS, type ColumnOverrides } from '../core/settings.js';
import { compileTemplate, RandomChars } from '../core/template.js';
import { normaliseText, studieKey } from '../core/text.js';
import { EXIT, UserError } from '../core/errors.js';
import { AtomicFile } from '../io/atomic-file.js';
import { loadInput, sheetsOf } from '../io/input.js';
import { locateTable, type Table } from '../io/table.js';
import type { Prompter } from '../ui/prompter.js';
import { printConvertReport } from '../ui/report.js';
import type { Ui } from '../ui/terminal.js';
import { CONFIG_FILE, configText, type Config } from './config.js';
import { defaultOutput, runConvert } from './convert.js';
import { loadMapping, loadOpleidingen } from './load-tables.js';
import { askOpleiding } from './map-studies.js';
import { writeMappingFile } from './mapping-file.js';
import { programCommand, shellQuote } from './shred-command.js';

export interface WizardOptions {
  exportPath?: string;
  opleidingen?: string;
  mapping?: string;
  cwd: string;
}

async function pickExport(p: Prompter, cwd: string): Promise<string> {
  const files = readdirSync(cwd)
    .filter((f) => /\.(xlsx|csv)$/i.test(f) && !f.startsWith('~$') && !f.startsWith('numo-import-') && statSync(join(cwd, f)).isFile())
    .sort();
  if (files.length === 0) throw new UserError('Geen .xlsx- of .csv-bestanden in deze map. Geef de export op: numo-prep wizard export.xlsx');
  return join(cwd, await p.select({ message: 'Welk bestand is de Magister-export?', choices: files.map((f) => ({ name: f, value: f })) }));
}

/** Columns a student export may lack without a word: IDGebr comes from a file, the login only matters for templates. */
const OPTIONAL_QUIET: readonly ExportField[] = ['idgebr', 'login', 'code'];

/** Step 2: show what was recognised, let the admin point out what was not. */
async function fixColumns(p: Prompter, ui: Ui, table: Table<ExportField>): Promise<ColumnOverrides> {
  const overrides: ColumnOverrides = {};
  const used = new Set(Object.values(table.columns));
  ui.out(`Kopregel gevonden in rij ${table.headerRow}${table.sheet ? ` van blad '${table.sheet}'` : ''}:`);
  for (const spec of EXPORT_COLUMNS) {
    const i = table.columns[spec.key];
    if (i === undefined && OPTIONAL_QUIET.includes(spec.key)) continue;
    ui.out(`  ${i === undefined ? ui.color.yellow('?') : ui.color.green('✔')} ${spec.label.padEnd(11)} ${i === undefined ? '(niet gevonden)' : `← '${table.headers[i]}'`}`);
  }
  const unused = table.headers.map((h, i) => ({ h, i })).filter(({ h, i }) => h && !used.has(i));
  if (unused.length) ui.out(`  Niet gebruikt: ${unused.map(({ h }) => h).join(', ')}`);
  for (const spec of EXPORT_COLUMNS) {
    if (table.columns[spec.key] !== undefined || OPTIONAL_QUIET.includes(spec.key) || spec.key === 'tussenvoegsel') continue;
    const choices = unused.filter(({ i }) => !Object.values(table.columns).includes(i)).map(({ h, i }) => ({ name: h, value: i }));
    if (spec.required && choices.length === 0) {
      throw new UserError(`Kolom '${spec.label}' ontbreekt in de export. Voeg hem toe in Magister (Kolommenkiezer) en exporteer opnieuw.`);
    }
    const i = await p.select<number>({
      message: `Welke kolom is '${spec.label}'?`,
      choices: [...choices, ...(spec.required ? [] : [{ name: '(geen — laat leeg)', value: -1 }])],
    });
    if (i >= 0) {
      table.columns[spec.key] = i;
      overrides[spec.key] = table.headers[i]!;
    }
  }
  return overrides;
}

/** Reads the rows once: the distinct Studie values with their counts, and a 3-row preview. */
async function survey(table: Table<ExportField>) {
  const studies = new Map<string, { studie: string; count: number }>();
  const preview: string[][] = [];
  const col = (cells: string[], k: ExportField) => (table.columns[k] === undefined ? '' : normaliseText(cells[table.columns[k]!] ?? ''));
  for await (const r of table.rows) {
    const studie = col(r.cells, 'studie');
    if (!studie) continue;
    if (preview.length < 3) preview.push(EXPORT_COLUMNS.filter((c) => table.columns[c.key] !== undefined).map((c) => col(r.cells, c.key)));
    const s = studies.get(studieKey(studie)) ?? { studie, count: 0 };
    s.count++;
    studies.set(studieKey(studie), s);
  }
  return { studies: [...studies.values()].sort((a, b) => a.studie.localeCompare(b.studie, 'nl', { numeric: true })), preview };
}

function fileExists(v: string): true | string {
  return !v.trim() || existsSync(v.trim()) ? true : `Bestand niet gevonden: ${v.trim()}`;
}

function templateOk(v: string, option: string, rng?: RandomChars): true | string {
  try {
    compileTemplate(v, option, rng);
    return true;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * First-time setup: a correct Numo CSV plus a saved mapping and config, so later years are one scripted line.
 * Nothing is written before the admin confirms the summary.
 */
export async function runWizard(p: Prompter, ui: Ui, o: WizardOptions): Promise<number> {
  const exportPath = o.exportPath ?? (await pickExport(p, o.cwd));
  const input = await loadInput(exportPath);
  const table = await locateTable(input.name, await sheetsOf(input), EXPORT_COLUMNS, { allowMissing: true });
  const columns = await fixColumns(p, ui, table);
  const { studies, preview } = await survey(table);
  ui.out();
  ui.out('Voorbeeld (eerste 3 leerlingen):');
  for (const row of preview) ui.out(`  ${row.join(' | ')}`);
  ui.out();

  const list: Opleiding[] | undefined = o.opleidingen ? await loadOpleidingen(o.opleidingen) : undefined;
  const existing = o.mapping && existsSync(o.mapping) ? await loadMapping(o.mapping) : new Mapping();
  const mapping = new Mapping(existing.entries());
  ui.out(`${studies.length} verschillende studies. Kies per studie de Numo-opleiding:`);
  for (const { studie, count } of studies) mapping.set(studie, await askOpleiding(p, studie, count, list, existing.get(studie)));

  const password = await p.select<PasswordKind>({
    message: 'Wachtwoorden',
    choices: [
      { name: `Willekeurig (aanbevolen): ${SETTINGS.passwordLength.default} tekens, zonder 0/O/1/l/I`, value: 'random' },
      { name: 'Volgens een sjabloon, bijv. Welkom{random4}', value: 'template' },
      { name: 'Geen (leerlingen loggen in met SSO of vragen zelf een wachtwoord aan)', value: 'none' },
    ],
    default: SETTINGS.password.default,
  });
  const passwordTemplate = password === 'template'
    ? await p.input({ message: 'Wachtwoordsjabloon', default: 'Welkom{random4}', validate: (v) => templateOk(v, 'wachtwoordsjabloon', new RandomChars(randomFillSync)) })
    : undefined;
  const gebruikersnaam = await p.input({ message: 'Gebruikersnaam (sjabloon)', default: STUDENT_GEBRUIKERSNAAM, validate: (v) => templateOk(v, 'gebruikersnaam') });
  const rol = await p.select<Rol>({ message: 'Rol in Numo', choices: SETTINGS.rol.choices.map((r) => ({ name: r, value: r })), default: SETTINGS.rol.default });
  const klas = parseList(await p.input({ message: 'Alleen deze klassen (bijv. 1*,2H1; leeg = alle)', default: '' }));
  const studie = parseList(await p.input({ message: 'Alleen deze studies (leeg = alle)', default: '' }));
  const idgebr = (await p.input({ message: 'IDGebr-bestand voor SSO (leeg = geen)', default: '', validate: fileExists })).trim() || undefined;
  const out = resolve(await p.input({ message: 'Uitvoerbestand', default: defaultOutput(exportPath) }));
  const force = existsSync(out) ? await p.confirm({ message: `${out} bestaat al. Vervangen?`, default: false }) : false;
  if (existsSync(out) && !force) throw new UserError(`${out} bestaat al; kies een andere naam. Er is niets geschreven.`, EXIT.usage);
  const mappingName = await p.input({ message: 'Naam van het mappingbestand (in mappings/)', default: 'school', validate: (v) => (/^[\w.-]+$/.test(v.trim()) ? true : 'Alleen letters, cijfers, - en _.') });
  const mappingPath = o.mapping ?? join(o.cwd, 'mappings', `${mappingName.trim().replace(/\.csv$/i, '')}.csv`);
  const configPath = join(o.cwd, CONFIG_FILE);

  const config: Config = {
    version: 1,
    mapping: mappingPath,
    ...(Object.keys(columns).length ? { columns } : {}),
    ...(o.opleidingen ? { opleidingen: resolve(o.opleidingen) } : {}),
    gebruikersnaam,
    rol,
    password,
    ...(passwordTemplate ? { passwordTemplate } : {}),
    ...(klas ? { klas } : {}),
    ...(studie ? { studie } : {}),
  };
  ui.out();
  ui.out('Samenvatting:');
  ui.out(`  Export:        ${exportPath} (${studies.reduce((n, s) => n + s.count, 0)} leerlingen, ${studies.length} studies)`);
  ui.out(`  Mapping:       ${mappingPath} (${mapping.size} studies)`);
  ui.out(`  Instellingen:  ${configPath}`);
  ui.out(`  Wachtwoorden:  ${password}${passwordTemplate ? ` (${passwordTemplate})` : ''}; gebruikersnaam ${gebruikersnaam}; rol ${rol}`);
  if (klas || studie) ui.out(`  Filter:        ${[klas && `klas ${klas.join(',')}`, studie && `studie ${studie.join(',')}`].filter(Boolean).join('; ')}`);
  ui.out(`  IDGebr:        ${idgebr ?? '(geen)'}`);
  ui.out(`  Uitvoer:       ${out}`);
  if (!(await p.confirm({ message: 'Alles schrijven?', default: true }))) {
    ui.out('Er is niets geschreven.');
    return EXIT.ok;
  }
  if (existsSync(configPath) && !(await p.confirm({ message: `${CONFIG_FILE} bestaat al. Vervangen?`, default: true }))) {
    ui.out('Er is niets geschreven.');
    return EXIT.ok;
  }

  await mkdir(dirname(mappingPath), { recursive: true });
  await writeMappingFile(mappingPath, mapping);
  const configFile = await AtomicFile.create(configPath);
  await configFile.write(Buffer.from(configText(config, configPath)));
  await configFile.commit();

  const { version: _v, ...fromConfig } = config;
  const settings = convertSettings({ ...fromConfig, export: exportPath, out, force, ...(idgebr ? { idgebr } : {}) });
  const report = await runConvert(settings);
  printConvertReport(ui, report);
  ui.out();
  ui.out(`Mapping en instellingen bewaard. Volgend jaar is dit het hele werk (vanuit ${o.cwd}):`);
  const rel = (f: string) => shellQuote(relative(o.cwd, f) || f);
  ui.out(`  ${ui.color.bold(`${programCommand()} convert <nieuwe-export.xlsx> --config ${rel(configPath)}${idgebr ? ' --idgebr <nieuw-idgebr-bestand>' : ''}`)}`);
  return report.exitCode;
}
