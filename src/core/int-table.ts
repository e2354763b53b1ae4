/**
 * Whole-number keys (0 <= key < 2^53) to int32 values. Keys up to 2^31 - 1 (every Stamnr and IDGebr of a real
 * export) live in one open-addressing table: an Int32Array of key, value + 1 pairs, so a probe reads one cache line
 * and a slot costs 8 bytes. Larger keys go to a Map. For the 100,000 Stamnrs of a school board: a Map of numbers
 * rebuilds its tables as it grows (at 100,000 rows a fifth of a convert's page faults, and about twice this table's
 * time per key), and the garbage collector has nothing in this one to scan or copy. New memory is what a table
 * costs most on a VM (docs/PERFORMANCE.md), so the slots are as small as the keys allow.
 * The hash is seeded with two random numbers per table, so no file can be made whose keys all land in one place
 * (linear probing would then turn quadratic): the key goes through murmur3's finaliser twice, mixed with a seed
 * before each.
 */
export class IntTable {
  /** Per slot: the key, then the value + 1; a value of 0 marks an empty slot. */
  private pairs: Int32Array;
  /** Keys of 2^31 and more. */
  private big: Map<number, number> | undefined;
  private shift: number;
  private readonly seeds = [(Math.random() * 0x100000000) | 0, (Math.random() * 0x100000000) | 0] as const;
  private count = 0;

  /**
   * `expected`: about how many keys will come, when known. Grown to that size step by step, a table touches twice
   * its final memory; made that large at once, only the slots the keys land in.
   */
  constructor(expected = 0) {
    let bits = 10;
    while (1 << bits < 2 * expected && bits < 20) bits++;
    this.pairs = new Int32Array(2 << bits);
    this.shift = 32 - bits;
  }

  get size(): number {
    return this.count + (this.big?.size ?? 0);
  }

  /** The value of a key, or -1. */
  get(key: number): number {
    if (key > 0x7fffffff) return this.big?.get(key) ?? -1;
    const pairs = this.pairs;
    const mask = (pairs.length >> 1) - 1;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const v = pairs[2 * i + 1]!;
      if (v === 0) return -1;
      if (pairs[2 * i] === key) return v - 1;
    }
  }

  /** Adds key -> value (0 <= value < 2^31 - 1) unless the key is there; returns the value it had, or -1. */
  add(key: number, value: number): number {
    if (key > 0x7fffffff) {
      const big = (this.big ??= new Map());
      const earlier = big.get(key);
      if (earlier !== undefined) return earlier;
      big.set(key, value);
      return -1;
    }
    const pairs = this.pairs;
    const mask = (pairs.length >> 1) - 1;
    let i = this.home(key);
    for (; ; i = (i + 1) & mask) {
      const v = pairs[2 * i + 1]!;
      if (v === 0) break;
      if (pairs[2 * i] === key) return v - 1;
    }
    pairs[2 * i] = key;
    pairs[2 * i + 1] = value + 1;
    // At most half full: probes stay short.
    if (++this.count * 4 > pairs.length) this.grow();
    return -1;
  }

  /** The slot a key starts looking in: the top bits of its seeded hash. */
  private home(key: number): number {
    return mix(mix(key ^ this.seeds[0]) ^ this.seeds[1]) >>> this.shift;
  }

  private grow(): void {
    const old = this.pairs;
    const pairs = new Int32Array(old.length * 2);
    this.pairs = pairs;
    this.shift--;
    const mask = (pairs.length >> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = this.home(old[j]!);
      while (pairs[2 * i + 1] !== 0) i = (i + 1) & mask;
      pairs[2 * i] = old[j]!;
      pairs[2 * i + 1] = old[j + 1]!;
    }
  }
}

/** murmur3's 32-bit finaliser: every bit of the input changes about half the bits of the output. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** compactKey's keys to int32 values: the numbers (as good as all of them) in an IntTable, texts in a Map. */
export class KeyTable {
  private readonly numbers: IntTable;
  private readonly texts = new Map<string, number>();

  /** `expected`: see IntTable. */
  constructor(expected?: number) {
    this.numbers = new IntTable(expected);
  }

  /** The value of a key, or -1. */
  get(key: string | number): number {
    return typeof key === 'number' ? this.numbers.get(key) : (this.texts.get(key) ?? -1);
  }

  /** Adds key -> value unless the key is there; returns the value it had, or -1. */
  add(key: string | number, value: number): number {
    if (typeof key === 'number') return this.numbers.add(key, value);
    const earlier = this.texts.get(key);
    if (earlier !== undefined) return earlier;
    this.texts.set(key, value);
    return -1;
  }
}
