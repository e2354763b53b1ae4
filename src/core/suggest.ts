import { NOT_FOR_NUMO, type Opleiding } from './opleidingen.js';
import { SKIP_CODE } from './schema.js';
import { isChangedNumber, looksLikeDate, nameNotCode } from './shape.js';
import { normaliseText } from './text.js';

/**
 * Dutch school types as schools abbreviate them in Magister's Studie ("1 kader", "3 vwo gymn", "H3") and as
 * Numo may spell them in its descriptions ("vmbo kaderberoepsgerichte leerweg leerjaar 1", "vmbo GL klas 1").
 * Each concept has full words (a typed prefix of 3+ letters counts: kader, gymn, theo), exact abbreviations,
 * and the broader type it implies (kader is vmbo, gymnasium is vwo), so "1 kader" meets "vmbo … 1".
 */
const CONCEPTS: { id: string; words: string[]; abbr: string[]; implies?: string[] }[] = [
  { id: 'vmbo', words: ['vmbo'], abbr: [] },
  { id: 'bb', words: ['basisberoepsgerichte', 'basisberoepsgericht', 'basis'], abbr: ['bb', 'bbl', 'b'], implies: ['vmbo'] },
  { id: 'kb', words: ['kaderberoepsgerichte', 'kaderberoepsgericht', 'kader'], abbr: ['kb', 'kbl', 'k'], implies: ['vmbo'] },
  { id: 'gl', words: ['gemengde', 'gemengd'], abbr: ['gl'], implies: ['vmbo'] },
  { id: 'tl', words: ['theoretische', 'theoretisch', 'mavo'], abbr: ['tl', 'gt', 't', 'm'], implies: ['vmbo'] },
  { id: 'havo', words: ['havo'], abbr: ['h'] },
  { id: 'vwo', words: ['vwo'], abbr: ['v'] },
  { id: 'gymnasium', words: ['gymnasium', 'gymnasiaal'], abbr: ['gym'], implies: ['vwo'] },
  { id: 'atheneum', words: ['atheneum'], abbr: ['ath'], implies: ['vwo'] },
  { id: 'pro', words: ['praktijkonderwijs'], abbr: ['pro', 'pr'] },
  { id: 'tto', words: ['tweetalig', 'tweetalige'], abbr: ['tto'] },
];

/** Words that only say what a number means ("leerjaar 1", "klas 1") or that every description shares. */
const FILLER = new Set(['leerjaar', 'klas', 'jaar', 'lj', 'leerweg', 'de', 'het', 'en', 'van', 'voor', 'in']);

const MIN_PREFIX = 3;

function conceptOf(word: string): (typeof CONCEPTS)[number] | undefined {
  return CONCEPTS.find((c) => c.abbr.includes(word) || c.words.includes(word) || (word.length >= MIN_PREFIX && c.words.some((w) => w.startsWith(word))));
}

interface Tokens {
  /** Canonical tokens: concept ids, numbers, other words as written (lower case, no accents). */
  main: Set<string>;
  /** Broader types implied by a concept (vmbo for kb), not written. */
  implied: Set<string>;
  /** The raw words, for search-as-you-type prefixes. */
  raw: string[];
}

/** Lower case, accents off, split on anything not a letter or digit and between letters and digits ("H3"). */
function words(text: string): string[] {
  return normaliseText(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(\d)(e|de|ste)\b/g, '$1') // "1e klas", "3de"
    .split(/[^\p{L}\p{N}]+|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u)
    .filter(Boolean);
}

export function tokenize(text: string): Tokens {
  const raw = words(text);
  const main = new Set<string>();
  const implied = new Set<string>();
  for (const w of raw) {
    if (FILLER.has(w)) continue;
    if (/^\d+$/.test(w)) {
      main.add(String(Number(w)));
      continue;
    }
    const c = conceptOf(w);
    if (!c) {
      main.add(w);
      continue;
    }
    main.add(c.id);
    for (const i of c.implies ?? []) implied.add(i);
  }
  for (const t of main) implied.delete(t);
  return { main, implied, raw };
}

const isNumber = (t: string) => /^\d+$/.test(t);

/** A token that may match another by prefix: a plain word of MIN_PREFIX letters or more, no number. */
const prefixable = (t: string) => t.length >= MIN_PREFIX && !isNumber(t);

/**
 * Whether `t` is in the set as the same token, or for plain words one a prefix of the other ("techn" ~
 * "techniek"). `words`: the set's prefixable tokens.
 */
function has(set: { all: Set<string>; words: readonly string[] }, t: string): boolean {
  if (set.all.has(t)) return true;
  if (!prefixable(t)) return false;
  for (const d of set.words) if (d.length >= t.length ? d.startsWith(t) : t.startsWith(d)) return true;
  return false;
}

export interface Suggestion {
  opleiding: Opleiding;
  score: number;
}

/**
 * What a code is scored on: its description when the list has one (a code like "VO3" could otherwise lend its
 * digit to the leerjaar), else the code itself. Search looks at both.
 */
interface ScoredTokens extends Tokens {
  /** main and implied together. */
  all: Set<string>;
  /** The numbers among main (a leerjaar). */
  numbers: string[];
  /** The prefixable tokens of all. */
  words: string[];
}
/**
 * Tokens per code, made once: a workbook suggests for each of a ROC's hundreds of Studies from a list of
 * thousands of codes, and the wizard's search runs at every key (tokenizing is the costly part: Unicode regexes).
 */
const scoredCache = new WeakMap<Opleiding, ScoredTokens>();
const searchCache = new WeakMap<Opleiding, Tokens>();
function scoredTokens(o: Opleiding): ScoredTokens {
  let t = scoredCache.get(o);
  if (!t) {
    t = scored(tokenize(o.label || o.code));
    scoredCache.set(o, t);
  }
  return t;
}
function scored(tokens: Tokens): ScoredTokens {
  const all = new Set([...tokens.main, ...tokens.implied]);
  return { ...tokens, all, numbers: [...tokens.main].filter(isNumber), words: [...all].filter(prefixable) };
}
function searchTokens(o: Opleiding): Tokens {
  let t = searchCache.get(o);
  if (!t) searchCache.set(o, (t = tokenize(`${o.code} ${o.label ?? ''}`)));
  return t;
}

/**
 * How well a Numo opleiding fits a Studie: shared words and numbers count, a Studie word the description lacks
 * counts against, and so does a different leerjaar (a Studie "1 kader" is never "… leerjaar 3"). Words the
 * description has on top cost a little, so "vwo leerjaar 3" beats "vwo tweetalig leerjaar 3" for "3 vwo".
 */
function scoreOpleiding(studie: ScoredTokens, o: ScoredTokens): number {
  let score = 0;
  // Shared words, not numbers: a leerjaar alone ("1 hv" and "havo leerjaar 1") is no suggestion to confirm.
  let sharedWords = 0;
  for (const t of studie.main) {
    if (has(o, t)) {
      score += 2;
      if (!isNumber(t)) sharedWords++;
    } else score -= 1;
  }
  for (const t of studie.implied) {
    if (has(o, t)) {
      score += 1;
      sharedWords++;
    }
  }
  if (sharedWords === 0) return 0;
  const sNums = studie.numbers;
  const oNums = o.numbers;
  if (sNums.length && oNums.length && !sNums.some((n) => oNums.includes(n))) score -= 4;
  for (const t of o.main) if (!has(studie, t)) score -= 0.5;
  return score;
}

/** The codes that fit a Studie best, best first; only ones sharing at least one word (a school type, a name). */
export function suggestOpleidingen(studie: string, list: readonly Opleiding[], limit = 5): Suggestion[] {
  const s = scored(tokenize(studie));
  // The best `limit` in one pass, earlier ones first on a tie: no object per code (a ROC's list has thousands).
  const best: Suggestion[] = [];
  for (const opleiding of list) {
    const score = scoreOpleiding(s, scoredTokens(opleiding));
    if (score <= 0 || (best.length === limit && score <= best[limit - 1]!.score)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { opleiding, score });
    if (best.length > limit) best.pop();
  }
  return best;
}

/**
 * Search as the admin types: every typed word must be found, in any order, as the start of a word of the code
 * or description, or as the same school type ("kader 1" finds "vmbo kaderberoepsgerichte leerweg leerjaar 1").
 * Numbers match whole ("1" is not "12"), except in the start of the code itself ("X10" finds X104).
 * `broader`: a typed school type also finds the type it implies ("gymn" finds "vwo leerjaar 3"), for a list
 * that does not name the narrower type at all.
 */
export function matchesSearch(term: string, o: Opleiding, broader = false): boolean {
  const typed = words(term).filter((w) => !FILLER.has(w));
  if (typed.length === 0) return true;
  if (words(o.code).join('').startsWith(typed.join(''))) return true;
  const t = searchTokens(o);
  const concepts = new Set([...t.main, ...t.implied]);
  return typed.every((w) => {
    if (/^\d+$/.test(w)) return t.main.has(String(Number(w)));
    if (t.raw.some((r) => r.startsWith(w))) return true;
    const c = conceptOf(w);
    return c !== undefined && (concepts.has(c.id) || (broader && (c.implies ?? []).some((i) => concepts.has(i))));
  });
}

/** The search result: matching codes, ranked by fit with the Studie when one is given, else in list order. */
export function searchOpleidingen(term: string, list: readonly Opleiding[], studie?: string): Opleiding[] {
  let hits = list.filter((o) => matchesSearch(term, o));
  if (hits.length === 0) hits = list.filter((o) => matchesSearch(term, o, true));
  if (!studie) return hits;
  const s = scored(tokenize(`${studie} ${term}`));
  return hits
    .map((o, index) => ({ o, index, score: scoreOpleiding(s, scoredTokens(o)) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.o);
}

const ASCII_CODE = /^[A-Za-z0-9][A-Za-z0-9 ._\-/+()&,']*$/;

/**
 * A typed opleidingscode when no list of Numo's codes was given. Numo's codes are not public, so the rule is
 * lenient: up to 40 letters, digits, spaces and - _ . / + ( ) & , ' (as in "vmbo-(g)t 1", "VMBO B&K 1") — enough to
 * refuse an e-mail address, an Excel error (#N/B), a pasted row (; or a tab), a formula, a number or a date
 * Excel changed, or an empty answer: the mistakes that would otherwise reach Numo unnoticed.
 */
export function codeShapeProblem(code: string): string | undefined {
  const c = normaliseText(code);
  if (!c) return 'Vul een opleidingscode in, of - als deze leerlingen niet naar Numo gaan.';
  if (c.includes('@')) return 'Dat lijkt een e-mailadres, geen opleidingscode.';
  if (/^[=+@]/.test(c)) return 'Een opleidingscode begint niet met = of +.';
  if (c.length > 40) return 'Te lang voor een opleidingscode (maximaal 40 tekens).';
  // A formula without its else part (=ALS(C3<>"";C3)) in a workbook's code cell.
  if (/^(?:waar|onwaar|true|false)$/i.test(c)) return 'Dat is WAAR of ONWAAR, de uitkomst van een formule: zet de opleidingscode zelf in de cel.';
  // A lookup formula on an empty cell, pasted as values.
  if (/^0+$/.test(c)) return 'Dat is 0, wat een formule geeft voor een lege cel: zet de opleidingscode zelf in de cel.';
  // A staff or class list read as a mapping: its names land in the code column.
  if (nameNotCode(c)) return 'Dat lijkt een naam, geen opleidingscode.';
  // What admins type for "not for Numo" or "don't know yet", and a column of ja/nee taken as the codes.
  if (/^(?:ja|nee|j|n|yes|no|nvt|n\.v\.t\.?|geen|onbekend|todo|\?+|niet voor numo)$/i.test(c)) {
    return 'Dat is geen opleidingscode: gebruik - voor leerlingen die niet naar Numo gaan, of laat de cel leeg als je het nog niet weet.';
  }
  // A mapping is the file admins keep in Excel, which writes 12345 back as 12345.0 or 1,2345E+04 and makes 1-2 a date.
  if (isChangedNumber(c)) return 'Dat lijkt een getal dat Excel of een script veranderde (zoals 12345.0 of 1,23457E+11): zet de code terug zoals Numo hem heeft.';
  if (looksLikeDate(c)) return 'Dat lijkt een datum (Excel maakt van een code als 1-2 een datum): zet de code terug zoals Numo hem heeft.';
  // "X104 (vmbo kader 1)": a suggestion of the mapping workbook pasted whole; "vmbo-(g)t 1" may be a code (and a code
  // Numo's list has is never judged by its shape: see parseMappingRows).
  if (/ \(.*\)$/.test(c)) return 'Dat lijkt een code met uitleg erachter (een geplakte suggestie); laat de uitleg tussen haakjes weg.';
  // ASCII codes (nearly all) first: the Unicode classes cost ~2 ms to compile, at every convert with a mapping.
  if (!ASCII_CODE.test(c) && !/^[\p{L}\p{N}][\p{L}\p{N} ._\-/+()&,']*$/u.test(c))
    return "Een opleidingscode begint met een letter of cijfer en bestaat uit letters, cijfers, spaties en - _ . / + ( ) & , '.";
  return undefined;
}

const SUGGESTIONS = 5;
const choiceName = (o: Opleiding) => (o.label ? `${o.code} — ${o.label}` : o.code);

/** The first line of a code search without a suggestion: chosen, it answers nothing and the search starts again. */
export const NO_SUGGESTION = 'Geen suggestie: typ een deel van de naam om te zoeken';

/**
 * What the code search offers for a Studie. Without a term: the best suggestions first (the top one marked, so
 * Enter takes it), then the rest of the list; with no suggestion, a line that is no code comes first. With a term:
 * the matches, best fit first. An earlier answer leads. "Not for Numo" is always last, so an empty search never
 * silently becomes it: the caller confirms it. A typed "-" means it, as in the mapping file (not a search for
 * codes with a dash, whose first Enter would take).
 */
export function codeChoices(term: string | undefined, list: readonly Opleiding[], studie: string, current?: string): { name: string; value: string }[] {
  const t = (term ?? '').trim();
  if (t === SKIP_CODE) return [{ name: `${NOT_FOR_NUMO}${current === SKIP_CODE ? '  (huidige keuze)' : ''}`, value: SKIP_CODE }];
  let ordered: Opleiding[];
  let top: Opleiding | undefined;
  if (t) ordered = searchOpleidingen(t, list, studie);
  else {
    const suggested = suggestOpleidingen(studie, list, SUGGESTIONS).map((s) => s.opleiding);
    top = suggested[0];
    ordered = [...suggested, ...list.filter((o) => !suggested.includes(o))];
  }
  const now = current === undefined ? -1 : ordered.findIndex((o) => o.code === current);
  if (now > 0) ordered = [ordered[now]!, ...ordered.slice(0, now), ...ordered.slice(now + 1)];
  // Nothing to suggest and no earlier answer: Enter must not take whatever code the list starts with.
  const unsure = !t && !top && now < 0 ? [{ name: NO_SUGGESTION, value: '' }] : [];
  return [
    ...unsure,
    ...ordered.map((o) => ({
      name: `${choiceName(o)}${o.code === current ? '  (huidige keuze)' : o === top ? '  (suggestie)' : ''}`,
      value: o.code,
    })),
    { name: `${NOT_FOR_NUMO}${current === SKIP_CODE ? '  (huidige keuze)' : ''}`, value: SKIP_CODE },
  ];
}
