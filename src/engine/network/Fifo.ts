/**
 * A first-in first-out queue with O(1) push and shift.
 *
 * `Array.prototype.shift` is O(n): with a deep backlog (a producer outrunning a slow channel)
 * it would turn every shipment into a copy of the whole queue. This keeps a head index and
 * compacts only when the dead prefix outweighs the live part, so each element is moved at
 * most once on average.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  /** Number of queued items. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds an item at the tail. */
  push(item: T): void {
    this.items.push(item);
  }

  /**
   * Removes and returns the head item.
   *
   * @throws Error when the queue is empty: callers check `length` first, so an empty shift
   * is a bookkeeping bug, not a condition to handle.
   */
  shift(): T {
    if (this.head >= this.items.length) throw new Error('Fifo.shift on an empty queue.');
    const item = this.items[this.head] as T;
    // Drop the reference so shipped buffers can be collected before the next compaction.
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 32 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The head item without removing it, or undefined when empty. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The items from head to tail (a copy). */
  toArray(): T[] {
    return this.items.slice(this.head);
  }
}
