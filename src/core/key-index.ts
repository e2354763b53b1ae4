/**
 * A map from compactKey keys (a Stamnr, a gebruikersnaam) to non-negative integers (a slot, a row number).
 * Keys that are integers in [0, 2^31) — every Stamnr in practice — live in an open-addressing table of two
 * typed arrays; any other key in a Map. At 100,000 students a Map took ~1 µs per insert (its table is rebuilt
 * as it grows, and the GC scans every entry); the typed table takes a fraction of that and holds nothing the GC
 * scans. Positions are mixed with a per-instance random seed, so no file can line its keys up in one run of
 * the table (linear probing stays linear in the number of keys).
 */
export class KeyIndex {
  private keys = new Int32Array(1024).fill(EMPTY);
  private values = new Int32Array(1024);
  private count = 0;
  private readonly others = new Map<string | number, number>();
  private readonly seed = (Math.random() * 2 ** 32) >>> 0;

  get(key: string | number): number | undefined {
    if (typeof key !== 'number' || !isSmallInt(key)) return this.others.get(key);
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let at = this.position(key, mask); ; at = (at + 1) & mask) {
      const k = keys[at]!;
      if (k === key) return this.values[at];
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
    if (2 * (this.count + 1) > this.keys.length) this.grow();
    this.place(key, value);
  }

  private place(key: number, value: number): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    let at = this.position(key, mask);
    while (keys[at] !== EMPTY && keys[at] !== key) at = (at + 1) & mask;
    if (keys[at] === EMPTY) this.count++;
    keys[at] = key;
    this.values[at] = value;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(2 * keys.length).fill(EMPTY);
    this.values = new Int32Array(2 * keys.length);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.place(keys[i]!, values[i]!);
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
