import type { Opleiding } from '../core/opleidingen.js';
import { SKIP_CODE } from '../core/schema.js';
import type { Choice, Prompter } from './prompter.js';

const NOT_FOR_NUMO = 'Niet voor Numo (deze leerlingen weglaten)';

/** Type-to-search over Numo's codes; "not for Numo" is always offered. */
function opleidingChoices(term: string | undefined, list: Opleiding[]): Choice<string>[] {
  const t = (term ?? '').trim().toLowerCase();
  const matches = list.filter((o) => !t || o.code.toLowerCase().includes(t) || o.label?.toLowerCase().includes(t));
  return [
    ...matches.map((o) => ({ name: o.label ? `${o.code} — ${o.label}` : o.code, value: o.code })),
    { name: NOT_FOR_NUMO, value: SKIP_CODE },
  ];
}

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
