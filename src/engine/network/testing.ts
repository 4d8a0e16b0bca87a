/**
 * Test support for the network: a seeded implementation of the runtime's `Prng` port.
 *
 * The run's real generator lives with the runtime; network tests only need something
 * deterministic that honours the port (including `fork`), and never Math.random.
 */
import type { Prng } from '../runtime/types';

/** mulberry32 seeded generator implementing the `Prng` port, for tests. */
export class TestPrng implements Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  fork(label: string): Prng {
    let hash = this.state;
    for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new TestPrng(hash);
  }
}
