/**
 * A map from compactKey keys (a Stamnr, a gebruikersnaam) to non-negative integers (a slot, a row number).
 * Keys that are integers in [0, 2^31) — every Stamnr in practice — live in an open-addressing table of two
 * typed arrays; any other key in a Map. At 100,000 students a Map took ~1 µs per insert (its table is rebuilt
 * as it grows, and the GC scans every entry); the typed table takes a fraction of that and holds nothing the GC
 * scans. Positions are mixed with a per-instance random seed, so no file can line its keys up in one run of
 * the table (linear probing stays linear in the number of keys).
 */
export class KeyIndex {
  /** Key and value side by side (one cache line for a lookup), EMPTY keys free. */
  private table = new Int32Array(2 * 1024).fill(EMPTY);
  private count = 0;
  private readonly others = new Map<string | number, number>();
  private readonly seed = (Math.random() * 2 ** 32) >>> 0;

  get(key: string | number): number | undefined {
    if (typeof key !== 'number' || !isSmallInt(key)) return this.others.get(key);
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    for (let at = this.position(key, mask); ; at = (at + 1) & mask) {
      const k = table[2 * at]!;
      if (k === key) return table[2 * at + 1];
      if (k === EMPTY) return undefined;
    }
  }

  /** `value`: an integer in [0, 2^31). */
  set(key: string | number, value: number): void {
    if (typeof key !== 'number' || !isSmallInt(key)) {
      this.others.set(key, value);
      return;
    }
    // At most half full, so a probe ends soon.
    if (4 * (this.count + 1) > this.table.length) this.grow();
    this.place(key, value);
  }

  private place(key: number, value: number): void {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let at = this.position(key, mask);
    while (table[2 * at] !== EMPTY && table[2 * at] !== key) at = (at + 1) & mask;
    if (table[2 * at] === EMPTY) this.count++;
    table[2 * at] = key;
    table[2 * at + 1] = value;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(2 * old.length).fill(EMPTY);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.place(old[i]!, old[i + 1]!);
  }

  /** MurmurHash3's finaliser over the key and the seed: every bit of the key moves the position. */
  private position(key: number, mask: number): number {
    let h = key ^ this.seed;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & mask;
  }
}

const EMPTY = -1;
const isSmallInt = (n: number): boolean => (n | 0) === n && n >= 0;
