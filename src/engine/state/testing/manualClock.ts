/** A virtual clock that tests move by hand. */
import type { VirtualClock } from '../types';

export class ManualClock implements VirtualClock {
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  set(time: number): void {
    this.time = time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
