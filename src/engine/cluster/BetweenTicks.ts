/**
 * Work that must never overlap a tick (a state lookup reads a backend a tick would be
 * writing), run strictly between ticks. While the run loop is active it serves the queue
 * before each tick (`serve`, awaited by the loop); otherwise (paused, or between advances)
 * the work runs at once, and a loop that starts meanwhile waits for it. Work runs one at a
 * time, in arrival order.
 */
type Work = () => Promise<void>;

export class BetweenTicks {
  private readonly queue: Work[] = [];
  private serving: Promise<void> | null = null;
  private loops = 0;

  /** Runs `work` between ticks; resolves or rejects with it. */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(async () => {
        try {
          resolve(await work());
        } catch (error) {
          reject(error);
        }
      });
      if (this.loops === 0) void this.serve();
    });
  }

  /** The run loop starts: queued work now waits for the loop's next `serve`. */
  loopStarted(): void {
    this.loops++;
  }

  /** The run loop ended: serve what queued up during its last tick. */
  loopEnded(): void {
    this.loops--;
    if (this.loops === 0) void this.serve();
  }

  /** Serves the queue; a promise while work runs (await it before the next tick), else undefined. */
  serve(): Promise<void> | undefined {
    if (this.serving !== null) return this.serving;
    if (this.queue.length === 0) return undefined;
    const serving = (async () => {
      try {
        while (this.queue.length > 0) await (this.queue.shift() as Work)();
      } finally {
        // In the same turn as the last empty-queue check, so no work can slip in unserved.
        this.serving = null;
      }
    })();
    this.serving = serving;
    return serving;
  }
}
