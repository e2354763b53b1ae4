import { UserError } from './errors.js';
import { isBlankRow, type RawRow } from './raw-row.js';
import { looksLikePersonName, surelyName } from './shape.js';
import { personHeader } from './sources.js';
import { headerKey, normaliseText } from './text.js';

export interface Opleiding {
  code: string;
  label?: string;
}

const LABEL_HEADER = /^(opleiding|omschrijving|naam|opleidingsnaam|beschrijving)$/;
/** Words of mbo qualifications that are no Dutch surname (not Kok, Bakker, Visser). */
const TRADE =
  /\b(medewerker|assistent|helpende|verzorgende|monteur|technicus|verkoper|manager|allround|junior|zelfstandig|pedagogisch|zorg|ict|logistiek|beveiliger|installateur|mecanicien|specialist|begeleider|vakkracht|hovenier|kapper|administratief|commercieel|maatschappelijk|sociaal|dienstverlening|entree|niveau)\b/i;
/** Headers (as wordKey) of people or klassen beside a code: no list of Numo's has them. */
const PEOPLE_HEADER = /^(docent|docenten|docentnaam|naamdocent|mentor|mentoren|mentornaam|teamleider|coach|slb|slber)$/;
const KLAS_HEADER = /^(klas|klassen|groep|stamgroep|lesgroep)$/;

/** A header without its punctuation: "Code (Numo)" is codenumo, "Studie (Magister)" studiemagister. */
export function wordKey(header: string): string {
  return headerKey(header).replace(/[^\p{L}\p{N}]/gu, '');
}

/** A header (as wordKey) of last year's code or Studie, in any words (Oude opleidingscode, Numo-code vorig jaar; not Inhoud). */
export const LAST_YEARS = /^oud|[^h]oud$|oude|vorig/;

/**
 * How surely a header (as wordKey) names the column of Numo's codes, best first, or undefined for no code header:
 * 0 Numo's own (Numo-code, Code (Numo), Opleidingscode Numo), 1 Opleidingscode or a column Numo, 2 Code, 3 a crebo
 * number (mbo codes in some lists). A list or mapping may hold several: the crebo or the school's own code beside
 * Numo's code; two of the best rank are a question the admin answers (see mappingColumns).
 */
export function codeHeaderRank(key: string): number | undefined {
  // Numo with the word code (Numo-code, Code (Numo), Opleidingscode uit Numo). Not last year's (Numo-code vorig
  // jaar, Oude opleidingscode): such a header is no code header at all.
  if (LAST_YEARS.test(key)) return undefined;
  if (/^numo(?:opleidings?)?codes?\d*$|^(?:opleidings?)?codes?(?:in|uit|van)?numo\d*$/.test(key)) return 0;
  // Opleidingscode (with a year: Opleidingscode 2025), Code opleiding, or a column Numo alone (EduArte's mapping:
  // Opleidingscode;Omschrijving;Numo, where Opleidingscode is the Studie): beside each other they are equals.
  if (/^opleidings?codes?\d*$|^codeopleiding$|^oplcode$|^numo$/.test(key)) return 1;
  if (key === 'code' || key === 'codes') return 2;
  if (/^crebo(?:nummer|nr|code)?s?$/.test(key)) return 3;
  return undefined;
}

/** The column with the best code header (codeHeaderRank), the first of equals, not one `skip` names; -1 for none. */
export function codeColumn(keys: readonly string[], skip: (i: number) => boolean = () => false): number {
  let best = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  keys.forEach((k, i) => {
    const rank = codeHeaderRank(k);
    if (rank !== undefined && rank < bestRank && !skip(i)) {
      best = i;
      bestRank = rank;
    }
  });
  return best;
}

/**
 * Numo's list of opleidingscodes, from its template's "Opleidingen" sheet or any list with a code column.
 * Without a code header in the first rows the list is refused (undefined): a header or a title would otherwise
 * become a valid code, and a list of something else would pass every code in it.
 */
export function parseOpleidingen(fileName: string, rows: RawRow[]): Opleiding[] | undefined {
  const filled = rows.filter((r) => !isBlankRow(r));
  // A staff list has a Code column too (the teacher's): its codes, and its names, would become Numo's list.
  const person = personHeader(filled);
  if (person !== undefined) {
    throw new UserError(
      `${fileName} is geen lijst met opleidingscodes: de kolom '${person}' hoort bij een lijst met leerlingen of medewerkers. Gebruik Numo's inleesbestand (tabblad Opleidingen), of een lijst met een kolom Opleidingscode.`,
    );
  }
  const headerIndex = filled.slice(0, 10).findIndex((r) => codeColumn(r.cells.map(wordKey)) >= 0);
  if (headerIndex < 0) return undefined;
  const keys = filled[headerIndex]!.cells.map(wordKey);
  const codeCol = codeColumn(keys);
  const l = keys.findIndex((k, i) => i !== codeCol && LABEL_HEADER.test(k));
  const labelCol = l >= 0 ? l : undefined;
  // A column of klassen, or of teachers beside codes that nothing describes (Code;Docent, Opleidingscode;Mentor: a
  // staff list, whose codes are the teachers'). Beside an Opleidingscode and its description, a Teamleider column
  // is the school's own note.
  const described = labelCol !== undefined && (codeHeaderRank(keys[codeCol]!) ?? 3) <= 1;
  const people = keys.findIndex((k, i) => i !== codeCol && (KLAS_HEADER.test(k) || (!described && PEOPLE_HEADER.test(k))));
  if (people >= 0) {
    throw new UserError(
      `${fileName} is geen lijst met opleidingscodes: naast de codes staat de kolom '${normaliseText(filled[headerIndex]!.cells[people] ?? '')}', van een klassen- of personeelslijst. Gebruik Numo's inleesbestand (tabblad Opleidingen); is dit wel de lijst met opleidingscodes, haal die kolom er dan uit.`,
    );
  }
  const start = headerIndex + 1;
  const seen = new Set<string>();
  const out: Opleiding[] = [];
  for (const r of filled.slice(start)) {
    const code = normaliseText(r.cells[codeCol] ?? '');
    if (!code || seen.has(code.toLowerCase())) continue;
    seen.add(code.toLowerCase());
    const label = labelCol === undefined ? '' : normaliseText(r.cells[labelCol] ?? '');
    out.push(label ? { code, label } : { code });
  }
  // A staff list (Code;Naam;Vak: a teacher's code and name): its names would be Numo's descriptions, in the workbook.
  // Stamnrs (six digits or more: no crebo number), as the codes or in a column of their own (Nr;Naam;Code), beside
  // names' shapes are a list of students: its names would go into the workbook the school keeps. An mbo
  // qualification has a name's shape too (Pedagogisch Medewerker), and a word of its trade.
  const data = filled.slice(start);
  const numbers = (i: number) => data.filter((r) => /^\d{6,}$/.test(normaliseText(r.cells[i] ?? ''))).length * 2 > data.length;
  const stamnrs = keys.some((_, i) => i !== labelCol && numbers(i));
  const pupil = (label: string) => stamnrs && looksLikePersonName(label) && !TRADE.test(label);
  if (out.length >= 3 && out.filter((o) => o.label && (surelyName(o.label) || pupil(o.label))).length * 2 > out.length) {
    throw new UserError(
      `${fileName} is geen lijst met opleidingscodes: naast de codes staan namen van personen. Gebruik Numo's inleesbestand (tabblad Opleidingen), of een lijst met een kolom Opleidingscode.`,
    );
  }
  return out;
}

/**
 * Whether a Studie is spelled as a code or a description in Numo's list ("Kok" beside 25180 Kok): a Studie then,
 * never a name, whatever its shape or number of students.
 */
export function inList(list: readonly Opleiding[] | undefined): (studie: string) => boolean {
  const names = new Set(list?.flatMap((o) => [o.code, o.label ?? ''].filter(Boolean).map((t) => t.toLowerCase())));
  return (studie) => names.has(studie.toLowerCase());
}

export const NOT_FOR_NUMO = 'Niet voor Numo (deze leerlingen weglaten)';

/**
 * The hint of every finding about a Studie without a year; `how`: how to convert one leerjaar at a time, without a
 * flag in core (ui/report.ts names --klas on the command line).
 */
export const perLeerjaarHint = (how = '(per klas) met') =>
  `Numo's opleidingen zijn per leerjaar. Zet het leerjaar in de Studie (bijv. '5 havo') met een eigen code in de mapping, of zet elk leerjaar apart om ${how} een eigen mapping.`;
