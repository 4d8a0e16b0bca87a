/**
 * Bloom filters for the per-shard "is this key possibly stored?" test (DESIGN.md §5, read
 * path): a read of a key the filter has never seen is answered as absent without touching
 * IndexedDB. A Bloom filter has no false negatives by construction (bits are only ever set,
 * never cleared, so deletes cannot hide a key); false positives cost one IndexedDB read.
 *
 * - Sizing (Bloom 1970; formulas as in Broder & Mitzenmacher, "Network Applications of Bloom
 *   Filters: A Survey", 2004): for `n` keys and false-positive rate `p`,
 *   `m = ceil(-n ln p / (ln 2)^2)` bits and `k = round(m / n · ln 2)` hash functions.
 * - Hashing: two 32-bit hashes of the key in one pass, combined as `h1 + i·h2` (Kirsch &
 *   Mitzenmacher, "Less Hashing, Same Performance", 2006), which keeps the asymptotic FPR of
 *   k independent hashes.
 * - Growth: a shard's key count is unknown up front, so {@link ScalableBloomFilter} chains
 *   filters of doubling capacity and tightening rate `p0 · r^i` (Almeida, Baquero, Preguiça &
 *   Hutchison, "Scalable Bloom Filters", 2007). With `r = 1/2` and `p0 = p/2` the compound
 *   rate stays below `p` however many keys arrive.
 */
import { mix32 } from '../engine/random';

/** Two independent-enough 32-bit hashes of a string in one pass (FNV-1a and a Murmur-style lane), each finalised by fmix32. */
export function hashPair(text: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[0] = mix32(a ^ text.length);
  // An odd step visits distinct positions for every power-of-two-free modulus of interest.
  out[1] = (mix32(b ^ 0x68e31da4) | 1) >>> 0;
}

const SCRATCH = new Uint32Array(2);

/** A fixed-size Bloom filter sized for `capacity` keys at false-positive rate `fpr`. */
export class BloomFilter {
  readonly bits: number;
  readonly hashes: number;
  private readonly words: Uint32Array;
  /** Keys added (with repeats); a scalable filter opens a new stage past `capacity`. */
  added = 0;

  constructor(readonly capacity: number, readonly fpr: number) {
    if (!(capacity >= 1) || !(fpr > 0 && fpr < 1)) throw new RangeError(`Bloom filter needs capacity ≥ 1 and 0 < fpr < 1, got ${capacity}, ${fpr}.`);
    const ln2 = Math.LN2;
    this.bits = Math.max(64, Math.ceil((-capacity * Math.log(fpr)) / (ln2 * ln2)));
    this.hashes = Math.max(1, Math.round((this.bits / capacity) * ln2));
    this.words = new Uint32Array(Math.ceil(this.bits / 32));
  }

  add(key: string): void {
    hashPair(key, SCRATCH);
    this.addHashed(SCRATCH[0] as number, SCRATCH[1] as number);
  }

  mightContain(key: string): boolean {
    hashPair(key, SCRATCH);
    return this.mightContainHashed(SCRATCH[0] as number, SCRATCH[1] as number);
  }

  addHashed(h1: number, h2: number): void {
    const m = this.bits;
    let h = h1 % m;
    const step = h2 % m;
    for (let i = 0; i < this.hashes; i++) {
      this.words[h >>> 5] = (this.words[h >>> 5] as number) | (1 << (h & 31));
      h += step;
      if (h >= m) h -= m;
    }
    this.added++;
  }

  mightContainHashed(h1: number, h2: number): boolean {
    const m = this.bits;
    let h = h1 % m;
    const step = h2 % m;
    for (let i = 0; i < this.hashes; i++) {
      if (((this.words[h >>> 5] as number) & (1 << (h & 31))) === 0) return false;
      h += step;
      if (h >= m) h -= m;
    }
    return true;
  }

  /** Bytes held by the bit array. */
  get byteLength(): number {
    return this.words.byteLength;
  }
}

/** Growth of successive stages' capacity and tightening of their rates (Almeida et al. use s = 2, r ∈ [0.5, 0.9]). */
const GROWTH = 2;
const TIGHTENING = 0.5;

/** A Bloom filter that grows with its keys while keeping the compound false-positive rate below `fpr`. */
export class ScalableBloomFilter {
  private readonly stages: BloomFilter[] = [];

  /** `initialCapacity`: keys the first stage holds; size it for the keys known at creation. */
  constructor(readonly fpr: number, initialCapacity = 256) {
    this.stages.push(new BloomFilter(Math.max(16, initialCapacity), fpr * (1 - TIGHTENING)));
  }

  add(key: string): void {
    hashPair(key, SCRATCH);
    const h1 = SCRATCH[0] as number;
    const h2 = SCRATCH[1] as number;
    // Already (possibly) present: adding again would only use up capacity.
    for (const stage of this.stages) if (stage.mightContainHashed(h1, h2)) return;
    let last = this.stages[this.stages.length - 1] as BloomFilter;
    if (last.added >= last.capacity) {
      last = new BloomFilter(last.capacity * GROWTH, last.fpr * TIGHTENING);
      this.stages.push(last);
    }
    last.addHashed(h1, h2);
  }

  mightContain(key: string): boolean {
    hashPair(key, SCRATCH);
    const h1 = SCRATCH[0] as number;
    const h2 = SCRATCH[1] as number;
    for (const stage of this.stages) if (stage.mightContainHashed(h1, h2)) return true;
    return false;
  }

  /**
   * Adds every key `other` holds (the union of two filters: a key is possibly present when any
   * stage says so). Its non-empty stages are shared, not copied (empty ones would only cost
   * memory); `other` must not be used afterwards.
   */
  absorb(other: ScalableBloomFilter): void {
    const taken = other.stages.filter((stage) => stage.added > 0);
    if (taken.length === 0) return;
    const active = this.stages.pop() as BloomFilter;
    this.stages.push(...taken, active);
  }

  get byteLength(): number {
    let n = 0;
    for (const stage of this.stages) n += stage.byteLength;
    return n;
  }

  get stageCount(): number {
    return this.stages.length;
  }
}
