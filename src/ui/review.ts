import { plural } from '../core/format.js';
import { SKIP_CODE } from '../core/schema.js';

/** One Studie as the review shows it; `code` undefined while undecided. */
export interface ReviewStudie {
  studie: string;
  count: number;
  code?: string;
  /** Decided in an earlier year (the existing mapping), not asked this time. */
  known?: boolean;
}

/** Everything the wizard is about to do, as the admin answered it. Paths as they should be shown. */
export interface ReviewPlan {
  export: string;
  students: number;
  /** Numo column label → the export's header, or undefined when the column is not there. */
  columns: { label: string; header?: string }[];
  studies: ReviewStudie[];
  /** Dutch description of the password policy, e.g. "willekeurig, 10 tekens". */
  wachtwoorden: string;
  gebruikersnaam: string;
  rol: string;
  filter?: string;
  idgebr?: string;
  out: string;
  mapping: string;
  /** A workbook the known codes come from (numo-prep mapping): carried over into `mapping` when written. */
  mappingSource?: string;
  config: string;
  /** The same warnings convert would give about these settings. */
  warnings: string[];
}

/** Width of the column list before it wraps, so the review fits an 80-column terminal. */
const WRAP = 62;

export const codeText = (code: string | undefined) => (code === undefined ? '? nog niet gekozen' : code === SKIP_CODE ? 'niet voor Numo' : code);

/**
 * The review screen before anything is written: every Studie with its count and code, who is left out, the
 * columns and the policies. Pure (plain lines, no colour), so it is tested as text and shown in the README.
 */
export function renderReview(p: ReviewPlan): string[] {
  const lines: string[] = ['Overzicht — er is nog niets geschreven', ''];
  const field = (label: string, value: string) => lines.push(`  ${label.padEnd(15)} ${value}`);
  // A staff list has no Studies, no filter, no IDGebr file and no mapping.
  const staff = p.rol === 'docent';
  field(
    'Export',
    staff ? `${p.export} (${plural(p.students, 'docent', 'docenten')})` : `${p.export} (${plural(p.students, 'leerling', 'leerlingen')}, ${plural(p.studies.length, 'studie', 'studies')})`,
  );
  const columns = p.columns.map((c) => `${c.label} ← ${c.header === undefined ? '(geen)' : `'${c.header}'`}`);
  const rows: string[] = [];
  for (const c of columns) {
    if (rows.length && rows.at(-1)!.length + c.length + 2 <= WRAP) rows[rows.length - 1] += `, ${c}`;
    else rows.push(c);
  }
  rows.forEach((r, i) => field(i === 0 ? 'Kolommen' : '', r));
  lines.push('');
  if (!staff) studyLines(p, lines);
  field('Wachtwoorden', p.wachtwoorden);
  field('Gebruikersnaam', p.gebruikersnaam);
  field('Rol', p.rol);
  if (!staff) {
    field('Filter', p.filter ?? 'alle klassen en studies');
    field('IDGebr (SSO)', p.idgebr ?? 'geen');
  }
  field('Uitvoer', p.out);
  field('Bewaard', staff ? `${p.config} (voor volgend jaar)` : `${p.mapping} en ${p.config} (voor volgend jaar)`);
  for (const w of p.warnings) lines.push(`  ! ${w}`);
  return lines;
}

/** Every Studie with its count and code, and who is left out. */
function studyLines(p: ReviewPlan, lines: string[]): void {
  lines.push('  Studie → Numo-opleiding');
  const width = Math.min(30, Math.max(...p.studies.map((s) => s.studie.length), 6));
  const countWidth = Math.max(...p.studies.map((s) => String(s.count).length), 1);
  for (const s of p.studies) {
    const studie = s.studie.length > width ? `${s.studie.slice(0, width - 1)}…` : s.studie.padEnd(width);
    lines.push(`    ${studie}  ${String(s.count).padStart(countWidth)}  ${codeText(s.code)}${s.known ? '  (bekend)' : ''}`);
  }
  if (p.studies.some((s) => s.known)) {
    lines.push(
      p.mappingSource
        ? `  (bekend) = uit ${p.mappingSource}; die komen in ${p.mapping}, verander ze daarna in dat bestand.`
        : `  (bekend) = al in ${p.mapping}; zo'n regel verander je in dat bestand zelf.`,
    );
  }
  const skipped = p.studies.filter((s) => s.code === SKIP_CODE);
  const open = p.studies.filter((s) => s.code === undefined);
  if (skipped.length) {
    const students = skipped.reduce((t, s) => t + s.count, 0);
    lines.push(`  Niet voor Numo: ${plural(skipped.length, 'studie', 'studies')}, samen ${plural(students, 'leerling', 'leerlingen')} ${students === 1 ? 'gaat' : 'gaan'} niet naar Numo.`);
  }
  if (open.length) {
    const students = open.reduce((t, s) => t + s.count, 0);
    lines.push(`  Nog niet gekozen: ${plural(open.length, 'studie', 'studies')} (${plural(students, 'leerling', 'leerlingen')}); kies eerst een code, dan kan het schrijven.`);
  }
  lines.push('');
}
