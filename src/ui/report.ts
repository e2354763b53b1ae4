import { type Finding, type Findings, formatRefs } from '../core/findings.js';
import { formatNumber, namedFew, plural } from '../core/format.js';
import { perLeerjaarHint } from '../core/opleidingen.js';
import { looksLikeStudie } from '../core/shape.js';
import { clip } from '../core/text.js';
import type { ConvertReport } from '../run/convert.js';
import type { MappingUpdate } from '../run/mapping-file.js';
import { cmdNote } from './command-line.js';
import { printable, type Ui } from './terminal.js';

/** Opleidingen named one by one in the report. */
const PER_OPLEIDING_SHOWN = 30;

const PER_LEERJAAR = perLeerjaarHint('met --klas en');
const FAILED_LOOKUP = 'Controleer de formule (zoals VERT.ZOEKEN): een Stamnr als tekst vindt geen Stamnr als getal. Of haal de kolom weg en geef het IDGebr-bestand mee met --idgebr.';

/**
 * Core's hints name no command-line flags (core also serves the wizard and other front ends); on the command line
 * these findings get the hint with the flag to use.
 */
const CLI_HINTS: Record<string, string> = {
  'leerjaar-code': PER_LEERJAAR,
  'idgebr-excel-error': FAILED_LOOKUP,
  'idgebr-column-errors': FAILED_LOOKUP,
  'leerjaar-code-klas': PER_LEERJAAR,
  'studie-leerjaren': PER_LEERJAAR,
  'missing-gebruikersnaam': 'Vul in de export in waar de gebruikersnaam uit komt (Stamnr; bij docenten login of code), of kies bij convert met --gebruikersnaam een ander sjabloon.',
  'duplicate-gebruikersnaam': 'Verwijder de dubbele rij in de export, of maak de gebruikersnaam uniek (bij convert met --gebruikersnaam, bijv. met {stamnr}, of {code} bij docenten).',
  'gebruikersnaam-space': 'Kies bij convert met --gebruikersnaam een sjabloon zonder naamdelen met een spatie (zoals {stamnr}), of haal de spatie weg.',
  'not-cp1252': 'Gebruik --encoding utf8-bom (aanbevolen): dan blijft elke naam heel.',
  'nothing-left': 'Controleer --klas en --studie (of "klas" en "studie" in numo-prep.config.json) en de mapping.',
  'mixed-roles': 'Maak twee exports, een met leerlingen en een met medewerkers, en zet ze apart om: de medewerkers met --rol docent.',
  'students-as-staff': 'Zet leerlingen om zonder --rol docent; gebruik voor docenten een personeelslijst.',
  'staff-as-students': 'Zet medewerkers om met --rol docent.',
  'stamnr-too-long': 'Kies een groter aantal bij --stamnr-cijfers (of bij "stamnrCijfers" in numo-prep.config.json, als het daar staat).',
  'previous-zeros':
    'Haalde een spreadsheet (Excel, LibreOffice) de nullen uit dat bestand, dan is er niets aan de hand. Anders maakt Numo een nieuw account: kies met --stamnr-cijfers de vorm van vorig jaar.',
  'previous-zeros-new':
    'Kijk in Numo: zonder voorloopnullen, geef dan --stamnr-cijfers 0 (of exporteer zonder); met (Excel haalde ze uit dat bestand), geef --stamnr-cijfers met het aantal cijfers. Zet het als "stamnrCijfers" in numo-prep.config.json, dan hoeft het maar één keer.',
  'previous-password-zeros': 'Gebruik het bestand van vorig jaar zoals numo-prep het schreef (niet in Excel opgeslagen), of laat --keep-passwords weg: dan krijgt iedereen een nieuw wachtwoord.',
  'previous-zeros-here': 'Geef --stamnr-cijfers met het aantal cijfers van vorig jaar (bijv. 6), of exporteer opnieuw met voorloopnullen (Magister vraagt ernaar bij het exporteren).',
  'idgebr-stamnr-zeros': 'Is de login in de ELO het Stamnr met voorloopnullen (zoals in het IDGebr-bestand), geef dan --stamnr-cijfers met dat aantal cijfers; anders is er niets aan de hand.',
  'previous-zeros-unknown':
    'Kijk in Numo of de gebruikersnamen voorloopnullen hebben: zo ja, geef --stamnr-cijfers met het aantal cijfers hierboven; zo nee, --stamnr-cijfers 0. Zet het ook als "stamnrCijfers" in numo-prep.config.json, dan hoeft het maar één keer.',
  'previous-zeros-resaved':
    'Kijk in Numo of de gebruikersnamen voorloopnullen hebben: zo ja, geef --stamnr-cijfers met dat aantal cijfers; zo nee, --stamnr-cijfers 0 (dan zwijgt deze melding). Zet het als "stamnrCijfers" in numo-prep.config.json, dan hoeft het maar één keer.',
  'filter-unmatched': 'Controleer --klas en --studie (of "klas" en "studie" in numo-prep.config.json): schrijf de waarde zoals in de export, of laat hem weg als hij er niet meer is.',
  'stamnr-leading-zeros': 'Kies één vorm: --stamnr-cijfers met het aantal cijfers hierboven vult elk Stamnr aan; of exporteer opnieuw zonder voorloopnullen.',
};

const hintOf = (f: Finding): string | undefined => CLI_HINTS[f.code] ?? f.hint;

function findingLine(ui: Ui, f: Finding): string[] {
  const mark = f.level === 'error' ? ui.color.red('✖') : f.level === 'warning' ? ui.color.yellow('!') : ui.color.cyan('i');
  // Studies that are not shown are found by their rows only: more of them, still a few lines.
  const refs = formatRefs(f, f.code === 'unmapped-studie-hidden' ? 20 : 5);
  const count = f.refs.length ? ` (${formatNumber(f.count)}×)` : '';
  const lines = [`  ${mark} ${printable(f.message)}${count}${refs ? `: ${refs}` : ''}`];
  const hint = hintOf(f);
  if (hint) lines.push(`    ${ui.color.dim('→')} ${printable(hint)}`);
  return lines;
}

export function printFindings(ui: Ui, findings: Findings): void {
  const errors = findings.list('error');
  const warnings = findings.list('warning');
  const infos = findings.list('info');
  if (errors.length) {
    ui.err(ui.color.red.bold(`${plural(errors.length, 'probleem', 'problemen')} gevonden:`));
    for (const f of errors) findingLine(ui, f).forEach((l) => ui.err(l));
  }
  if (warnings.length) {
    ui.err(ui.color.yellow.bold(`${plural(warnings.length, 'waarschuwing', 'waarschuwingen')}:`));
    for (const f of warnings) findingLine(ui, f).forEach((l) => ui.err(l));
  }
  if (!ui.quiet) for (const f of infos) findingLine(ui, f).forEach((l) => ui.err(l));
}

/**
 * Leftovers of a killed earlier run: what was removed, and what stays (and is therefore in the shred command).
 * Shown as soon as they are found, so also a run that fails later names them.
 */
export function printStaleTemps(ui: Ui, t: ConvertReport['staleTemps'], dryRun: boolean): void {
  for (const p of t.removed) ui.err(`${ui.color.cyan('i')} Tijdelijk bestand van een afgebroken run veilig verwijderd: ${p}`);
  for (const p of t.remaining) {
    ui.err(`${ui.color.yellow('!')} Tijdelijk bestand van een afgebroken of nog lopende run ${dryRun ? 'gevonden (proefrun: niet verwijderd)' : 'niet verwijderd'}: ${p}`);
  }
}

/** `failedNext`: what to say instead of "nothing written, run the same command again" (the wizard saved its answers). */
export function printConvertReport(ui: Ui, r: ConvertReport, failedNext?: string): void {
  if (r.detected && !ui.quiet) ui.err(r.detected);
  printFindings(ui, r.findings);
  if (r.exitCode !== 0) {
    ui.err(ui.color.red(r.dryRun ? 'Proefrun: los de problemen hierboven op.' : (failedNext ?? 'Er is niets weggeschreven. Los de problemen hierboven op en draai hetzelfde commando opnieuw.')));
    return;
  }
  const total = r.counts.written;
  const [one, many] = r.rol === 'docent' ? ['docent', 'docenten'] : ['leerling', 'leerlingen'];
  if (r.dryRun) ui.out(ui.color.green(`✔ Proefrun: ${plural(total, one, many)} klaar voor Numo; er is niets weggeschreven.`));
  else ui.out(ui.color.green(`✔ ${plural(total, one, many)} geschreven naar ${r.output}`));
  const per = Object.entries(r.perOpleiding);
  // A few dozen at most (a ROC has hundreds of codes): the rest is counted; the JSON report has them all.
  const shown = per.slice(0, PER_OPLEIDING_SHOWN).map(([code, n]) => `${clip(code, 40)} ${formatNumber(n)}`);
  if (per.length > PER_OPLEIDING_SHOWN) shown.push(`en ${formatNumber(per.length - PER_OPLEIDING_SHOWN)} andere`);
  if (per.length) ui.out(`  Per opleiding: ${shown.join(', ')}`);
  const y = r.yearOverYear;
  if (y) {
    ui.out(
      `  Vergeleken met vorig jaar: ${formatNumber(y.nieuw)} nieuw, ${formatNumber(y.vertrokken)} ${y.filtered ? 'niet in deze selectie (met --klas of --studie ook wie erbuiten valt: archiveer niet op grond hiervan)' : 'vertrokken (kandidaten voor archiveren in Numo)'}` +
        // Staff have neither a klas nor an opleiding.
        `${r.rol === 'docent' ? '' : `, ${formatNumber(y.klasGewijzigd)} andere klas, ${formatNumber(y.opleidingGewijzigd)} andere opleiding`}.`,
    );
    if (r.previousReport) ui.out(`  Overzicht per ${r.rol === 'docent' ? 'docent' : 'leerling'}: ${r.previousReport}`);
  }
  if (r.mappingUpdate) ui.out(`  ${mappingUpdateLine(r.mappingUpdate)}`);
  for (const p of r.leftOver) {
    ui.err(
      `${ui.color.yellow('!')} Tijdelijk bestand met persoonsgegevens niet verwijderd: ${p}. Het Numo-bestand is wel geschreven; verwijder dit bestand zelf (de shred-opdracht hieronder noemt het).`,
    );
  }
  if (!r.dryRun && r.shredCommand) {
    ui.out();
    ui.out('Importeer het bestand in Numo (TOOLS | IMPORTEREN > Kies CSV-bestand). Verwijder daarna volgens de AVG');
    ui.out(`alle bestanden met ${r.rol === 'docent' ? 'personeelsgegevens' : 'leerlinggegevens'} van deze pc:`);
    ui.out(`  ${ui.color.bold(r.shredCommand)}`);
    const note = cmdNote(r.shredCommand);
    if (note) ui.out(`  ${note}`);
    const ro = r.readOnlyFiles;
    if (ro.length) ui.out(`  ${namedFew(ro, 2)} ${ro.length === 1 ? 'is' : 'zijn'} alleen-lezen: zet dat eerst uit (Windows: Eigenschappen; Mac: Toon info), anders weigert shred.`);
  }
}

const findingJson = (f: Finding) => {
  const hint = hintOf(f);
  return { code: f.code, message: f.message, ...(hint ? { hint } : {}), count: f.count, rows: f.refs };
};

export function findingsJson(findings: Findings): { errors: object[]; warnings: object[]; info: object[] } {
  return {
    errors: findings.list('error').map(findingJson),
    warnings: findings.list('warning').map(findingJson),
    info: findings.list('info').map(findingJson),
  };
}

/** The report as JSON: counts, findings (row numbers and Stamnr only) and the files involved. */
export function convertReportJson(r: ConvertReport): object {
  return {
    ok: r.exitCode === 0,
    exitCode: r.exitCode,
    dryRun: r.dryRun,
    bron: r.source ?? null,
    rol: r.rol,
    written: r.written,
    output: r.written ? r.output : null,
    files: r.files,
    mappingAdded: r.mappingUpdate?.added ?? 0,
    staleTemps: r.staleTemps,
    leftOver: r.leftOver,
    counts: r.counts,
    perOpleiding: r.perOpleiding,
    unmappedStudies: Object.fromEntries(r.unmapped),
    yearOverYear: r.yearOverYear ?? null,
    ...findingsJson(r.findings),
    shredCommand: r.written ? r.shredCommand : null,
  };
}

/**
 * Studies the file already holds with another code are never rewritten; say so, or the admin's new answer would be
 * lost without a word. A Studie is named only when it looks like one (a shifted file could hold names there).
 * `usedInOutput`: the run's Numo file used the answers (convert); the lines in the file, which next year's run takes,
 * say otherwise (another run or the admin wrote them while this one asked).
 */
export function mappingDiffersNote(u: MappingUpdate, usedInOutput = false): string {
  if (!u.differs.length) return '';
  const named = u.differs.map((d) => d.studie).filter(looksLikeStudie);
  const shown = named.length
    ? `: ${named
        .slice(0, 5)
        .map((st) => `'${st}'`)
        .join(', ')}${named.length > 5 ? ', …' : ''}`
    : '';
  const n = u.differs.length;
  const wayOn = usedInOutput ? 'dit Numo-bestand gebruikt jouw antwoord, maar volgend jaar geldt de regel in de mapping: pas die zelf aan als jouw antwoord klopt' : 'pas die regel(s) zelf aan';
  return ` ${plural(n, 'studie staat', 'studies staan')} er al met een andere code in en ${n === 1 ? 'is' : 'zijn'} niet veranderd${shown}; ${wayOn}.`;
}

/** The Dutch line that says what happened to the mapping file. */
export function mappingUpdateLine(u: MappingUpdate): string {
  const lines = plural(u.added, 'regel', 'regels');
  const done = u.created ? `Mapping ${u.path} aangemaakt: ${lines}.` : u.added ? `Mapping ${u.path} bijgewerkt: ${lines} toegevoegd.` : `Mapping ${u.path} ongewijzigd.`;
  return done + mappingDiffersNote(u, true);
}
