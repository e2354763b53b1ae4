import type { Mapping } from '../core/mapping.js';
import { NOT_FOR_NUMO, opleidingChoices, type Opleiding } from '../core/opleidingen.js';
import { SKIP_CODE } from '../core/schema.js';
import type { ConvertSettings } from '../core/settings.js';
import type { Prompter } from '../ui/prompter.js';
import { loadOpleidingen } from './load-tables.js';
import { writeMappingFile } from './mapping-file.js';

const label = (studie: string, count: number) => `Studie '${studie}' (${count} ${count === 1 ? 'leerling' : 'leerlingen'})`;

/**
 * Asks the Numo opleidingscode for one Studie. A known code is only confirmed; with the admin's list of codes it
 * is a search, without one a typed code that is confirmed.
 */
export async function askOpleiding(p: Prompter, studie: string, count: number, list: Opleiding[] | undefined, current?: string): Promise<string> {
  if (current) {
    const keep = await p.select({
      message: `${label(studie, count)}: ${current === SKIP_CODE ? NOT_FOR_NUMO.toLowerCase() : `opleidingscode ${current}`}`,
      choices: [
        { name: 'Zo laten', value: true },
        { name: 'Wijzigen', value: false },
      ],
      default: true,
    });
    if (keep) return current;
  }
  if (list?.length) {
    return p.search({ message: `${label(studie, count)} → Numo-opleiding (typ om te zoeken)`, source: (term) => opleidingChoices(term, list) });
  }
  for (;;) {
    const code = (
      await p.input({
        message: `${label(studie, count)} → Numo-opleidingscode (of - voor niet naar Numo)`,
        validate: (v) => (v.trim() ? true : 'Vul een code in, of - als deze leerlingen niet naar Numo gaan.'),
      })
    ).trim();
    if (code === SKIP_CODE) return code;
    if (await p.confirm({ message: `'${studie}' wordt opleidingscode '${code}'. Klopt dat?`, default: true })) return code;
  }
}

/** convert with a TTY meeting new Studie values: map them right there, and offer to save them. */
export async function promptUnmapped(p: Prompter, unmapped: Map<string, number>, mapping: Mapping, s: ConvertSettings): Promise<Map<string, string> | undefined> {
  const go = await p.confirm({ message: `${unmapped.size} nieuwe Studie-waarde(n) zonder opleidingscode. Nu koppelen?`, default: true });
  if (!go) return undefined;
  const list = s.opleidingen ? await loadOpleidingen(s.opleidingen) : undefined;
  const added = new Map<string, string>();
  for (const [studie, count] of unmapped) added.set(studie, await askOpleiding(p, studie, count, list));
  if (s.mapping && (await p.confirm({ message: `Opslaan in ${s.mapping}, zodat het volgend jaar vanzelf gaat?`, default: true }))) {
    await writeMappingFile(s.mapping, mapping.with(added));
  }
  return added;
}
