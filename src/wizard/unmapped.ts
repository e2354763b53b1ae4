import { Mapping } from '../core/mapping.js';
import type { ConvertSettings } from '../core/settings.js';
import { loadOpleidingen } from '../run/load-tables.js';
import { writeMappingFile } from '../run/mapping-file.js';
import { askOpleiding } from './ask-opleiding.js';
import { inquirerPrompter, type Prompter } from './prompter.js';

/** convert with a TTY meeting new Studie values: map them right there, and offer to save them. */
export async function promptUnmapped(unmapped: Map<string, number>, mapping: Mapping, s: ConvertSettings, prompter?: Prompter): Promise<Map<string, string> | undefined> {
  const p = prompter ?? (await inquirerPrompter());
  const go = await p.confirm({ message: `${unmapped.size} nieuwe Studie-waarde(n) zonder opleidingscode. Nu koppelen?`, default: true });
  if (!go) return undefined;
  const list = s.opleidingen ? await loadOpleidingen(s.opleidingen) : undefined;
  const added = new Map<string, string>();
  for (const [studie, count] of unmapped) added.set(studie, await askOpleiding(p, studie, count, list));
  if (s.mapping && (await p.confirm({ message: `Opslaan in ${s.mapping}, zodat het volgend jaar vanzelf gaat?`, default: true }))) {
    await writeMappingFile(s.mapping, new Mapping([...mapping.entries(), ...[...added].map(([studie, code]) => ({ studie, code }))]));
  }
  return added;
}
