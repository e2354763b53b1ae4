import { NUMO_COLUMNS, reportTwinHeaders, twinColumns } from '../core/columns.js';
import { byHeader, detectionLine, secretColumn, sourceCandidates } from '../core/detect.js';
import { UserError } from '../core/errors.js';
import { Findings, type RowRef } from '../core/findings.js';
import { namedFew, plural } from '../core/format.js';
import { reportControl } from '../core/normalise.js';
import { columnLetters, isBlankRow, rowBatches } from '../core/raw-row.js';
import { type NumoRow, ROLES, type Rol } from '../core/schema.js';
import { fieldsFit, rolLike } from '../core/shape.js';
import { bestLayout, type SourceId } from '../core/sources.js';
import { MIN_RANDOM_CHARS } from '../core/template.js';
import { headerKey, lostControl, normaliseText } from '../core/text.js';
import { EmailRuns, passwordHiddenChars, RowValidator, startsLikeFormula } from '../core/validate.js';
import { type InputFile, loadInput, sheetsOf } from '../io/input.js';
import { locateBest, locateTable } from '../io/table.js';
import { loadOpleidingen } from './load-tables.js';

const NUMO_ONLY = new Set(['wachtwoord', 'rol']);
/**
 * Columns whose value Numo matches as it is: a login, an address, an SSO key, a password, and the codes it looks
 * up (an opleiding, a rol). What it looks like after normalising is not what Numo gets.
 */
const EXACT = new Set(['gebruikersnaam', 'email', 'idgebr', 'wachtwoord', 'opleiding', 'rol']);

const PUBLIC_HINT = `Geef wachtwoorden met minstens ${MIN_RANDOM_CHARS} willekeurige tekens (numo-prep convert maakt die).`;

/** The Numo column (its label) whose data a header other than Numo's speaks of: Tussenv., E-mailadres, password. */
function numoLookalike(header: string): string | undefined {
  if (secretColumn(header)) return 'wachtwoord';
  if (/idgeb/.test(headerKey(header))) return 'IDGebr';
  const kind = byHeader(header);
  const labels: Partial<Record<NonNullable<typeof kind>, string>> = {
    tussenvoegsel: 'tussenvoegsel',
    klas: 'klas',
    email: 'e-mail',
    roepnaam: 'voornaam',
    achternaam: 'achternaam',
    studie: 'opleiding',
  };
  return kind && labels[kind];
}

/** An export from a recognised source, given to check by mistake: "Herkend als Somtoday-export (Connect)." */
async function recogniseExport(input: InputFile): Promise<string | undefined> {
  for (const role of ['leerling', 'docent'] as const) {
    try {
      const t = await locateBest(input.name, await sheetsOf(input), sourceCandidates(role));
      await t.rows[Symbol.asyncIterator]().return?.();
      // Numo's own names with a column missing: an unfinished Numo file, and the missing column is the message. A
      // wachtwoord or rol column is Numo's too: no export has one.
      if (bestLayout(t.candidate as SourceId, role, t.headers)?.numoHeaders || t.headers.some((h) => NUMO_ONLY.has(headerKey(h)))) return undefined;
      const line = detectionLine(t.candidate as SourceId, role, t.headers);
      return role === 'docent' ? line.replace('-export', '-personeelslijst') : line;
    } catch {
      // not this role
    }
  }
  return undefined;
}

export interface CheckReport {
  file: string;
  rows: number;
  findings: Findings;
}

/** Validates a Numo CSV (hand-made or from an earlier run) with the same rules as convert. */
export async function runCheck(path: string, o: { opleidingen?: string } = {}): Promise<CheckReport> {
  const knownCodes = o.opleidingen ? new Map((await loadOpleidingen(o.opleidingen)).map((x) => [x.code.toLowerCase(), x.code])) : undefined;
  const input = await loadInput(path);
  const sheets = await sheetsOf(input);
  let table;
  try {
    table = await locateTable(input.name, sheets, NUMO_COLUMNS, {
      hint: `Een Numo-importbestand heeft de kolommen ${NUMO_COLUMNS.map((c) => c.label).join(', ')}; numo-prep convert maakt het.`,
    });
  } catch (err) {
    const source = err instanceof UserError ? await recogniseExport(input) : undefined;
    if (source) {
      throw new UserError(`${input.name}: ${source.replace(/\.$/, '')}, nog geen Numo-importbestand. Zet het eerst om met numo-prep convert${source.includes('personeel') ? ' --rol docent' : ''}.`);
    }
    throw err;
  }
  const findings = new Findings();
  // Numo reads a CSV from its first line ("Kies CSV-bestand"): a workbook, a title line or Excel's sep=; line is not
  // what it takes, however good the rows are.
  if (input.format !== 'csv') {
    findings.error('not-csv', 'Numo leest alleen CSV, geen Excel-werkmap', undefined, 'Sla het bestand in Excel op als "CSV UTF-8 (door komma\'s gescheiden)" en controleer dat bestand.');
  } else if (table.headerRow > 1) {
    findings.error('header-not-first', `De kopregel staat in regel ${table.headerRow}; Numo verwacht hem in de eerste regel`, undefined, 'Haal de regels boven de kopregel weg (ook een regel sep=;).');
  }
  // Numo reads the whole file in one encoding: the lines in the other one get wrong letters.
  for (const sheet of sheets) {
    if (sheet.mixedEncoding) {
      findings.error(
        'mixed-encoding',
        `Het bestand mengt UTF-8 en Windows-1252 (${sheet.mixedEncoding} in Windows-1252): Numo leest een deel van de regels met verkeerde letters`,
        undefined,
        "Zet de export opnieuw om met numo-prep convert en voeg geen regels toe uit een ander programma: Excel leest zo'n bestand ook in één codering.",
      );
    }
    for (const w of sheet.warnings ?? []) findings.warn('encoding', w);
    if (sheet.secondBom) {
      findings.error(
        'second-bom',
        'Het bestand begint met twee onzichtbare tekens (BOM) in plaats van één: Numo ziet het tweede als deel van de eerste kolomkop',
        undefined,
        'Sla het bestand opnieuw op als "CSV UTF-8 (door komma\'s gescheiden)", of maak het opnieuw met numo-prep convert.',
      );
    }
    // Not one of the encodings convert writes: whether Numo's upload reads it is not known.
    if (sheet.encoding === 'UTF-16') {
      findings.warn(
        'utf16',
        'Het bestand is UTF-16 ("Unicode-tekst"), wat numo-prep nooit schrijft: of Numo het leest, is niet zeker',
        undefined,
        'Sla het op als "CSV UTF-8 (door komma\'s gescheiden)", of maak het opnieuw met numo-prep convert.',
      );
    }
  }
  // A header that normalising changed (a space around it, a no-break space, an invisible character): Numo may not
  // know it, and nothing shows why.
  const blurred = NUMO_COLUMNS.flatMap((spec) => {
    const i = table.columns[spec.key];
    return i !== undefined && table.rawHeaders[i] !== table.headers[i] ? [spec.label] : [];
  });
  if (blurred.length) {
    findings.error(
      'header-hidden-chars',
      `${blurred.length === 1 ? 'Kolomkop' : 'Kolomkoppen'} ${blurred.map((l) => `'${l}'`).join(', ')} ${blurred.length === 1 ? 'heeft' : 'hebben'} een spatie of onzichtbaar teken`,
      undefined,
      'Typ de kolomkop opnieuw, precies zoals Numo hem spelt.',
    );
  }
  // One line for all of them: a file whose headers were all capitalised by hand is one problem, not nine.
  const misspelt = NUMO_COLUMNS.flatMap((spec) => {
    const i = table.columns[spec.key];
    return i !== undefined && table.headers[i] !== spec.label ? [`'${table.headers[i]}' heet '${spec.label}'`] : [];
  });
  if (misspelt.length) {
    findings.warn(
      'header-spelling',
      `${misspelt.length === 1 ? 'Een kolomkop heet' : `${misspelt.length} kolomkoppen heten`} in Numo anders: ${misspelt.slice(0, 3).join(', ')}${misspelt.length > 3 ? ' …' : ''}`,
      undefined,
      "Gebruik precies Numo's kolomkoppen.",
    );
  }
  const twins = twinColumns(table.headers, table.columns);
  reportTwinHeaders(twins, findings);
  // A column Numo does not know (a birth date left in): uploaded to a third party for nothing. Named by letter: a
  // header cell may hold anything.
  const numoColumns = new Set(Object.values(table.columns));
  const extra = new Set(table.headers.flatMap((h, i) => (h && !numoColumns.has(i) && !twins.some((t) => t.twin === i) ? [i] : [])));
  // One without a header (pandas' index) counts once a row fills it.
  const unnamed = table.headers.flatMap((h, i) => (!h && !numoColumns.has(i) ? [i] : []));
  const emailRuns = new EmailRuns();
  const validator = new RowValidator(findings, 'utf8-bom', knownCodes, { rows: 'check', codeShape: !knownCodes, codesFromFile: true });
  const csvHeaders = input.format === 'csv' ? table.headers : undefined;
  // Columns of the current row whose C1 control character normalising dropped (see lostControl).
  const controls: string[] = [];
  // Columns of the current row with a line break inside the cell.
  const breaks: string[] = [];
  let spacedKlas = false;
  // EXACT columns whose cell normalising changed (a space, a no-break space, an invisible character): Numo takes
  // the cell as it is, and then the login, the SSO match or the code is not what it looks like.
  const blurredCells: string[] = [];
  const labelOf = new Map(NUMO_COLUMNS.map((c) => [c.key as string, c.label]));
  const get = (cells: string[], key: (typeof NUMO_COLUMNS)[number]['key']) => {
    const i = table.columns[key];
    if (i === undefined) return '';
    const raw = cells[i] ?? '';
    const value = normaliseText(raw);
    if (value !== raw) {
      if (lostControl(raw, value)) controls.push(table.headers[i]!);
      if (EXACT.has(key)) blurredCells.push(key);
      // Alt+Enter in a name or klas: the file holds the line break that normalising made a space.
      // A vertical tab, form feed or separator control too (convert reads them as a line break): Numo would keep it.
      else if (/[\r\n\u000B\u000C\u001C-\u001F\u2028\u2029]/.test(raw)) breaks.push(labelOf.get(key)!);
      // A klas with a space around it ('3M3 ') may be another klas in Numo than '3M3'.
      else if (key === 'klas') spacedKlas = true;
    }
    return value;
  };
  // The Numo columns this file has, with their index: looked up once, not per row.
  const present = NUMO_COLUMNS.flatMap((spec) => (table.columns[spec.key] === undefined ? [] : [{ key: spec.key as string, label: spec.label, i: table.columns[spec.key]! }]));
  let rows = 0;
  let withoutColumn = 0;
  let withOpleiding = 0;
  // Rows with a password or an IDGebr (SSO), and those with neither; each password with its first row.
  let canLogIn = 0;
  const noLogin: { row: number; stamnr?: string }[] = [];
  // With an IDGebr column: the rows with one, and those that have a password but no IDGebr (no SSO for them).
  let withIdgebr = 0;
  const noIdgebr: RowRef[] = [];
  const passwords = new Map<string, number>();
  // Per password that holds its row's gebruikersnaam, what is left of it, with its row (its rows once it is two);
  // and how many such passwords there are.
  const rests = new Map<string, RowRef | RowRef[]>();
  let withLogin = 0;
  for await (const batch of rowBatches(table.rows)) {
    for (const r of batch) {
      if (isBlankRow(r)) continue;
      rows++;
      for (const i of unnamed) if (!extra.has(i) && normaliseText(r.cells[i] ?? '') !== '') extra.add(i);
      const row: NumoRow = {
        gebruikersnaam: get(r.cells, 'gebruikersnaam'),
        voornaam: get(r.cells, 'voornaam'),
        tussenvoegsel: get(r.cells, 'tussenvoegsel'),
        achternaam: get(r.cells, 'achternaam'),
        klas: get(r.cells, 'klas'),
        opleiding: get(r.cells, 'opleiding'),
        'e-mail': get(r.cells, 'email'),
        wachtwoord: get(r.cells, 'wachtwoord'),
        rol: get(r.cells, 'rol') as Rol,
        ...(table.columns.idgebr !== undefined ? { IDGebr: get(r.cells, 'idgebr') } : {}),
      };
      // A numeric gebruikersnaam is the Stamnr; one made from a name must not appear in messages.
      const ref = { row: r.row, ...(/^\d+$/.test(row.gebruikersnaam) ? { stamnr: row.gebruikersnaam } : {}) };
      if (csvHeaders && !fieldsFit(r.cells, csvHeaders)) {
        findings.error(
          'field-count',
          'Aantal velden wijkt af van de kopregel (verschoven kolommen?)',
          ref,
          'Controleer deze rijen: een ; of " in een naam verschuift de kolommen. Open het bestand in Excel en sla opnieuw op als CSV.',
        );
      }
      for (const label of controls) reportControl(label, ref, findings);
      controls.length = 0;
      for (const label of breaks) {
        findings.error(
          'line-break',
          `Regeleinde in een cel van kolom ${label} (Alt+Enter in Excel): Numo leest de rij misschien als twee, of neemt het regeleinde over`,
          ref,
          'Haal het regeleinde weg, of maak het bestand opnieuw met numo-prep convert (die maakt er een spatie van).',
        );
      }
      breaks.length = 0;
      if (spacedKlas) {
        findings.warn('klas-spaces', 'Spatie of onzichtbaar teken in de klas: Numo maakt er misschien een andere klas van dan zonder', ref, 'Haal de spatie weg (ook een vaste spatie).');
        spacedKlas = false;
      }
      for (const key of blurredCells) {
        if (key === 'wachtwoord') passwordHiddenChars(findings, ref);
        else {
          findings.error(
            'hidden-chars',
            `Spatie, onzichtbaar teken of anders gecodeerde letter in kolom ${labelOf.get(key)}: Numo neemt het over, en dan klopt ${key === 'opleiding' || key === 'rol' ? `de ${key} niet` : 'de login of de SSO-koppeling niet'}`,
            ref,
            'Typ de waarde opnieuw, zonder extra spaties.',
          );
        }
      }
      blurredCells.length = 0;
      // On the raw cell: normalising trims the tab or CR that Excel also takes as the start of a formula.
      for (const { key, label, i } of present) {
        // A password is kept as it is (the validator warns): a ' before it would change it.
        if (label !== 'wachtwoord' && startsLikeFormula(r.cells[i] ?? '')) {
          findings.error(
            'formula',
            `Waarde in kolom ${label} begint met = + - @, tab of regeleinde: Excel voert die uit als formule`,
            ref,
            // A login or code with a ' before it is another login or code in Numo.
            EXACT.has(key) ? "Haal dat teken weg (een ' ervoor helpt niet: Numo neemt de ' over)." : "Haal dat teken weg, of zet er een ' voor (zo schrijft numo-prep convert zulke waarden).",
          );
        }
      }
      validator.check(row, ref);
      emailRuns.observe(row.rol === 'leerling' ? row['e-mail'] : '', r.row);
      // What convert warns of from its settings, seen here in the data (a file edited or made by hand).
      if (row.wachtwoord || row.IDGebr) canLogIn++;
      else noLogin.push(ref);
      if (row.IDGebr) withIdgebr++;
      else if (row.IDGebr !== undefined && row.wachtwoord) noIdgebr.push(ref);
      if (row.wachtwoord) {
        const first = passwords.get(row.wachtwoord);
        if (first === undefined) passwords.set(row.wachtwoord, r.row);
        else
          findings.warn(
            'password-repeated',
            'Hetzelfde wachtwoord als een andere rij: wie het ene weet, kan in het andere account',
            { ...ref, first },
            'Geef ieder een eigen wachtwoord (numo-prep convert maakt willekeurige).',
          );
        // Welkom{stamnr}: the login with the same other part in many rows, or with little beside it, which anyone
        // can guess. Not {stamnr}{random4} (its random rests meet by chance in a large file), nor a staff code that
        // a random password holds by chance.
        const at = row.gebruikersnaam.length >= 3 ? row.wachtwoord.toLowerCase().indexOf(row.gebruikersnaam.toLowerCase()) : -1;
        if (at >= 0) {
          const rest = row.wachtwoord.slice(0, at) + row.wachtwoord.slice(at + row.gebruikersnaam.length);
          if (rest.length < MIN_RANDOM_CHARS) {
            findings.warn('password-public', `Het wachtwoord is de gebruikersnaam met minder dan ${MIN_RANDOM_CHARS} andere tekens: anderen kunnen het raden`, ref, PUBLIC_HINT);
          } else {
            withLogin++;
            const seen = rests.get(rest);
            if (seen === undefined) rests.set(rest, ref);
            else if (Array.isArray(seen)) seen.push(ref);
            else rests.set(rest, [seen, ref]);
          }
        }
      }
      if (!(ROLES as readonly string[]).includes(row.rol)) {
        // Echo only what is nearly a role: with shifted columns this cell may hold a password.
        const near = rolLike(row.rol, ROLES);
        findings.error(
          'invalid-rol',
          near ? `Rol '${row.rol}' kent Numo niet` : 'Rol is niet leerling of docent (verschoven kolommen?)',
          ref,
          near ? `Schrijf precies ${near}.` : 'Gebruik leerling of docent, en controleer of de kolommen op hun plaats staan.',
        );
      }
      if (row.opleiding) withOpleiding++;
      // Staff have no opleiding in Numo (a file of only docenten may leave the column out).
      else if (row.rol !== 'docent') {
        if (table.columns.opleiding === undefined) withoutColumn++;
        else findings.error('missing-opleiding', 'Geen opleiding', ref, 'Vul de Numo-opleidingscode in.');
      }
    }
  }
  if (rows === 0) findings.error('no-students', 'Geen leerlingen gevonden onder de kopregel', undefined, 'Controleer of dit het juiste bestand is.');
  else if (canLogIn === 0) {
    findings.warn(
      'no-login',
      'Geen wachtwoorden en geen IDGebr (SSO): niemand kan inloggen in Numo',
      undefined,
      'Maak het bestand opnieuw met numo-prep convert, met wachtwoorden of met het IDGebr-bestand.',
    );
  } else {
    for (const ref of noLogin) findings.warn('no-login-row', 'Geen wachtwoord en geen IDGebr: deze rij kan niet inloggen in Numo', ref, 'Vul een wachtwoord in, of het IDGebr voor SSO.');
  }
  // As convert says it: some log in with SSO, these cannot (a row with neither is said above).
  if (withIdgebr) {
    for (const ref of noIdgebr)
      findings.warn(
        'no-idgebr',
        'Geen IDGebr, waar andere rijen er een hebben: deze rij kan niet met SSO inloggen',
        ref,
        'Vul het IDGebr in (uit het IDGebr-bestand van Magister), of laat deze rij met het wachtwoord inloggen.',
      );
  }
  // A rest shared by two rows or more, and by at least 1 in 100 of such passwords: the same text beside every login.
  for (const refs of rests.values()) {
    if (!Array.isArray(refs) || refs.length * 100 < withLogin) continue;
    for (const ref of refs) {
      findings.warn('password-public', 'Het wachtwoord is de gebruikersnaam met wat ook bij andere gebruikersnamen staat (zoals Welkom{stamnr}): anderen kunnen het raden', ref, PUBLIC_HINT);
    }
  }
  // An extra column under another spelling of a Numo column this file lacks (Tussenv., E-mailadres, password): Numo
  // does not read it, and "haal hem weg" would lose every tussenvoegsel, address or password.
  const misnamed: string[] = [];
  for (const i of extra) {
    const label = numoLookalike(table.headers[i] ?? '');
    if (label === undefined || present.some((p) => p.label === label)) continue;
    misnamed.push(`kolom ${columnLetters(i)} lijkt '${label}'`);
    extra.delete(i);
  }
  if (misnamed.length) {
    findings.error(
      'numo-column-misnamed',
      `Een kolom van Numo heeft een andere kop, en dan leest Numo hem niet: ${namedFew(misnamed, 3)}`,
      undefined,
      "Geef de kolom precies Numo's kop (zoals numo-prep convert hem schrijft); haal hem niet weg.",
    );
  }
  if (extra.size) {
    const letters = [...extra].sort((a, b) => a - b).map(columnLetters);
    findings.warn(
      'extra-columns',
      `${letters.length === 1 ? 'Kolom' : 'Kolommen'} ${namedFew(letters, 5)} ${letters.length === 1 ? 'hoort' : 'horen'} niet bij Numo's kolommen: Numo gebruikt ${letters.length === 1 ? 'hem' : 'ze'} niet`,
      undefined,
      `Haal ${letters.length === 1 ? 'hem' : 'ze'} weg voor het uploaden: gegevens die Numo niet nodig heeft, horen niet in het bestand (AVG).`,
    );
  }
  if (withoutColumn) {
    findings.error(
      'no-opleiding-column',
      `Kolom 'opleiding' niet gevonden in ${input.name}, en ${plural(withoutColumn, 'leerling heeft', 'leerlingen hebben')} er een nodig`,
      undefined,
      `Een Numo-importbestand heeft de kolommen ${NUMO_COLUMNS.map((c) => c.label).join(', ')}; numo-prep convert maakt het.`,
    );
  }
  emailRuns.finish(findings);
  // Numo's codes are not public: without its list a code is checked for its shape only, and a Studie left in the
  // column ("2 havo": the manual's renaming done, its step 10 not) looks like one. Said, so that "geen problemen"
  // claims no more than was checked.
  if (withOpleiding && !knownCodes) {
    findings.info(
      'codes-unchecked',
      "Opleidingscodes alleen op hun vorm gecontroleerd: geef --opleidingen <bestand> mee (tabblad Opleidingen van Numo's inleesbestand) om ze tegen Numo's lijst te houden.",
    );
  }
  return { file: input.name, rows, findings };
}
