/**
 * A fixed-capacity ring buffer: pushing beyond the capacity overwrites the oldest item. The
 * timeline keeps what it samples from telemetry frames in these, so a long run costs the same
 * memory and drawing time as a short one.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** Items ever pushed (also those overwritten since). */
  pushed = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new Error(`RingBuffer capacity must be a positive integer, not ${capacity}.`);
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const at = (this.start + this.count) % this.capacity;
    this.items[at] = item;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
    this.pushed += 1;
  }

  /** The `i`-th oldest item kept (0 = oldest). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  /** Replaces the newest item (e.g. a checkpoint whose figures moved on). */
  replaceLast(item: T): void {
    if (this.count === 0) throw new Error('RingBuffer.replaceLast on an empty buffer.');
    this.items[(this.start + this.count - 1) % this.capacity] = item;
  }

  /** Items oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
