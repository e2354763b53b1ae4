// How numbers and lists are written in messages. Its own module: the settings' messages need it, and the start-up
// bundle (what --help loads) should not hold the findings and row checks (docs/PERFORMANCE.md, "Opstarten").

/**
 * Numbers as Dutch readers write them: 1.850, not 1850 or 1,850. Whole numbers (every count) are grouped here,
 * exactly as toLocaleString('nl-NL') does (a test holds the two equal): its first call starts ICU, which cost
 * ~35 ms of a 1,850-row run. Anything else goes to toLocaleString.
 */
export function formatNumber(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('nl-NL');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `.${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/**
 * The first `shown` items joined (by `, ` or `separator`), and "en N meer" for the rest: a message stays a few lines
 * whatever the input holds. `total`: the whole count, when `items` holds only those kept.
 */
export function namedFew(items: readonly string[], shown: number, o: { total?: number; separator?: string } = {}): string {
  const rest = (o.total ?? items.length) - Math.min(shown, items.length);
  return `${items.slice(0, shown).join(o.separator ?? ', ')}${rest > 0 ? ` en ${formatNumber(rest)} meer` : ''}`;
}

/** A count with its noun: '1 leerling', '1.850 leerlingen'. */
export function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
