/**
 * Whole-number keys (0 <= key < 2^53) to int32 values, in one open-addressing table of typed arrays. For the
 * 100,000 Stamnrs of a school board: a Map of numbers rebuilds its tables as it grows (at 100,000 rows a fifth of
 * a convert's page faults, and about twice this table's time per key), and the garbage collector has nothing in
 * this one to scan or copy.
 * The hash is seeded with two random numbers per table, so no file can be made whose keys all land in one place
 * (linear probing would then turn quadratic): both 32-bit halves of a key go through murmur3's finaliser, each
 * mixed with a seed.
 */
export class IntTable {
  private keys: Float64Array;
  /** value + 1; 0 marks an empty slot. */
  private values: Int32Array;
  private shift: number;
  private readonly seeds = [(Math.random() * 0x100000000) | 0, (Math.random() * 0x100000000) | 0] as const;
  private count = 0;

  constructor() {
    this.keys = new Float64Array(1024);
    this.values = new Int32Array(1024);
    this.shift = 32 - 10;
  }

  get size(): number {
    return this.count;
  }

  /** The value of a key, or -1. */
  get(key: number): number {
    const mask = this.values.length - 1;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const v = this.values[i]!;
      if (v === 0) return -1;
      if (this.keys[i] === key) return v - 1;
    }
  }

  /** Adds key -> value (0 <= value < 2^31 - 1) unless the key is there; returns the value it had, or -1. */
  add(key: number, value: number): number {
    const mask = this.values.length - 1;
    let i = this.home(key);
    for (; ; i = (i + 1) & mask) {
      const v = this.values[i]!;
      if (v === 0) break;
      if (this.keys[i] === key) return v - 1;
    }
    this.keys[i] = key;
    this.values[i] = value + 1;
    // At most half full: probes stay short.
    if (++this.count * 2 > this.values.length) this.grow();
    return -1;
  }

  /** The slot a key starts looking in: the top bits of its seeded hash. */
  private home(key: number): number {
    const high = (key / 0x100000000) | 0;
    return mix(mix(key ^ this.seeds[0]) ^ high ^ this.seeds[1]) >>> this.shift;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.shift--;
    const mask = this.values.length - 1;
    for (let j = 0; j < values.length; j++) {
      if (values[j] === 0) continue;
      let i = this.home(keys[j]!);
      while (this.values[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = keys[j]!;
      this.values[i] = values[j]!;
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
  private readonly numbers = new IntTable();
  private readonly texts = new Map<string, number>();

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
