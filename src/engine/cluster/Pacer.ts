/**
 * Pacing of a run against the wall clock (the only place wall time enters a cluster, through
 * the host's clock; see LocalCluster's module comment): at a speed factor s, virtual time may
 * advance s × the wall ms since the anchor; falling behind by more than {@link MAX_LAG_WALL_MS}
 * moves the anchor (no burst to catch up); samples of (wall, virtual) over the last wall
 * second give the speed actually reached. At 'max' nothing waits.
 */

/** Falling further behind than this many wall ms of virtual time re-anchors the pacing. */
export const MAX_LAG_WALL_MS = 250;

export class Pacer {
  speed: number | 'max' = 1;
  private anchor = { wall: 0, virtual: 0 };
  private readonly samples: [number, number][] = [];

  constructor(private readonly now: () => number) {}

  /** A new run at `speed`. */
  reset(speed: number | 'max'): void {
    this.speed = speed;
    this.samples.length = 0;
  }

  /** Pacing restarts from here (resume, speed change). */
  reanchor(virtualMs: number): void {
    this.anchor = { wall: this.now(), virtual: virtualMs };
  }

  /** Virtual time the wall clock allows at the current speed, given what is processed. */
  dueVirtualMs(processedMs: number): number {
    if (this.speed === 'max') return Number.POSITIVE_INFINITY;
    const now = this.now();
    const due = this.anchor.virtual + this.speed * (now - this.anchor.wall);
    if (due - processedMs > this.speed * MAX_LAG_WALL_MS) {
      this.anchor = { wall: now - MAX_LAG_WALL_MS, virtual: processedMs };
      return processedMs + this.speed * MAX_LAG_WALL_MS;
    }
    return due;
  }

  /** Wall ms to sleep before the next tick is due, at most `capMs`. */
  wallUntil(nextTickEndMs: number, processedMs: number, capMs: number): number {
    if (this.speed === 'max') return 0;
    const gap = nextTickEndMs - this.dueVirtualMs(processedMs);
    return Math.min(capMs, Math.max(0, gap / this.speed));
  }

  /** Notes progress (virtual ms processed now). */
  sample(virtualMs: number): void {
    const now = this.now();
    this.samples.push([now, virtualMs]);
    while (this.samples.length > 2 && now - (this.samples[0] as [number, number])[0] > 1000) this.samples.shift();
  }

  /** Virtual ms per wall ms over the last wall second of samples. */
  reached(): number | undefined {
    const samples = this.samples;
    if (samples.length < 2) return undefined;
    const [w0, v0] = samples[0] as [number, number];
    const [w1, v1] = samples[samples.length - 1] as [number, number];
    return w1 > w0 ? (v1 - v0) / (w1 - w0) : undefined;
  }
}
