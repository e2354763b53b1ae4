import type { ConvertSettings } from '../core/settings.js';
import { loadOpleidingen } from '../run/load-tables.js';
import { askOpleiding } from './ask-opleiding.js';
import { inquirerPrompter, type Prompter } from './prompter.js';

/**
 * convert with a TTY meeting new Studie values: map them right there, and offer to save them. Saving happens
 * with the rest of the run (all files or none); a --dry-run never saves, so it does not ask.
 */
export async function promptUnmapped(
  unmapped: Map<string, number>,
  s: ConvertSettings,
  prompter?: Prompter,
): Promise<{ codes: Map<string, string>; save: boolean } | undefined> {
  const p = prompter ?? (await inquirerPrompter());
  const go = await p.confirm({ message: `${unmapped.size} nieuwe Studie-waarde(n) zonder opleidingscode. Nu koppelen?`, default: true });
  if (!go) return undefined;
  const list = s.opleidingen ? await loadOpleidingen(s.opleidingen) : undefined;
  const codes = new Map<string, string>();
  for (const [studie, count] of unmapped) codes.set(studie, await askOpleiding(p, studie, count, list));
  const canSave = Boolean(s.mapping) && !s.dryRun && /\.(csv|txt)$/i.test(s.mapping ?? '');
  const save = canSave && (await p.confirm({ message: `Toevoegen aan ${s.mapping}, zodat het volgend jaar vanzelf gaat?`, default: true }));
  return { codes, save };
}
