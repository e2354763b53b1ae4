import { plural } from '../core/format.js';
import type { Opleiding } from '../core/opleidingen.js';
import { SKIP_CODE } from '../core/schema.js';
import type { ConvertSettings } from '../core/settings.js';
import { type StudieCount, suggestionBasis } from '../core/studies.js';
import { codeChoices, codeShapeProblem } from '../core/suggest.js';
import { normaliseText } from '../core/text.js';
import type { Prompter } from '../ui/prompter.js';
import { loadOpleidingen } from './load-tables.js';
import { isWritableMapping } from './mapping-file.js';

const students = (n: number) => plural(n, 'leerling', 'leerlingen');

const label = (s: StudieCount) =>
  `Studie '${s.studie}' (${students(s.count)}${s.klassen.length ? `, klas ${s.klassen.join(', ')}` : ''}${s.leerjaren?.length ? `, leerjaar ${s.leerjaren.join(', ')}` : ''})`;

/** Where the codes come from, for an admin without the list. */
export const WHERE_CODES = "Numo's inleesbestand (numo.nl/inleesbestand), tabblad Opleidingen";

/** "Not for Numo" is never one keypress away: the admin confirms how many students it leaves out. */
function confirmSkip(p: Prompter, s: StudieCount): Promise<boolean> {
  return p.confirm({ message: `Klopt dat? ${students(s.count)} ${s.count === 1 ? 'gaat' : 'gaan'} niet naar Numo ('${s.studie}').`, default: false });
}

/**
 * Asks the Numo opleidingscode for one Studie. With the list of Numo's codes it is a search whose empty term
 * lists the best suggestions first (Enter takes the top one); without it a typed code of a plausible shape,
 * confirmed. `current` (an earlier answer) comes first or is the default.
 */
export async function askOpleiding(p: Prompter, s: StudieCount, list: Opleiding[] | undefined, current?: string): Promise<string> {
  for (;;) {
    let code: string;
    if (list?.length) {
      const basis = suggestionBasis(s, list);
      // Several leerjaren under one Studie whose codes are per leerjaar: no code is right for all, so none is offered.
      const spans = basis === undefined ? ' — leerjaren door elkaar: één code is voor een deel van hen fout; zet het leerjaar in de Studie' : '';
      code = await p.search({ message: `${label(s)}${spans} → Numo-opleiding (typ om te zoeken)`, source: (term) => codeChoices(term, list, basis ?? '', current) });
      // The "no suggestion" line: no code yet.
      if (!code) continue;
    } else {
      code = normaliseText(
        await p.input({
          message: `${label(s)} → opleidingscode (of - als ze niet naar Numo gaan)`,
          ...(current ? { default: current } : {}),
          validate: (v) => (v.trim() === SKIP_CODE ? true : (codeShapeProblem(v) ?? true)),
        }),
      );
    }
    if (code === SKIP_CODE) {
      if (await confirmSkip(p, s)) return code;
      continue;
    }
    if (list?.length) return code;
    if (await p.confirm({ message: `'${s.studie}' wordt opleidingscode '${code}'. Klopt dat?`, default: true })) return code;
  }
}

/** convert with a TTY meeting new Studie values: map them right there, and offer to save them. */
export async function promptUnmapped(p: Prompter, unmapped: Map<string, number>, s: ConvertSettings): Promise<{ codes: Map<string, string>; save: boolean; inWorkbook?: true } | undefined> {
  const go = await p.confirm({ message: `${unmapped.size} nieuwe Studie-waarde(n) zonder opleidingscode. Nu koppelen?`, default: true });
  if (!go) return undefined;
  const list = s.opleidingen ? await loadOpleidingen(s.opleidingen) : undefined;
  const codes = new Map<string, string>();
  for (const [studie, count] of unmapped) codes.set(studie, await askOpleiding(p, { studie, count, klassen: [] }, list));
  const canSave = Boolean(s.mapping) && !s.dryRun && isWritableMapping(s.mapping ?? '');
  const save = canSave && (await p.confirm({ message: `Toevoegen aan ${s.mapping}, zodat het volgend jaar vanzelf gaat?`, default: true }));
  // A workbook is never written: the caller says so, or next year's run asks again without a word.
  return { codes, save, ...(s.mapping && !s.dryRun && !canSave ? { inWorkbook: true } : {}) };
}
