/**
 * Telemetry frames for subscribers (ClusterApi.subscribe): coalesced to at most one per
 * `intervalMs` of wall time through the host's clock, each with the status, the metrics, the
 * events since that subscriber's previous frame and the latest sink records. A subscriber that
 * throws (a closed port) is dropped; the run goes on.
 */
import type { MetricsSnapshot, RunStatus, TelemetryFrame } from '../runtime/telemetry';
import type { JobManagerCore } from './JobManagerCore';

/** The wall clock part of LocalCluster's HostClock. */
interface FeedClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

interface Subscriber {
  onFrame: (frame: TelemetryFrame) => void;
  eventCursor: number;
  /** Per recovery already sent: whether it was sent resumed (an update is sent again). */
  recoveriesSent: boolean[];
}

export interface FrameParts {
  status: RunStatus;
  metrics: MetricsSnapshot;
  jm: JobManagerCore | null;
}

/** Checkpoints per frame (the newest); `checkpoints()` has the whole history. */
export const FRAME_CHECKPOINTS = 10;

export class TelemetryFeed {
  private readonly subscribers: Subscriber[] = [];
  private lastFrameWall = Number.NEGATIVE_INFINITY;
  private frameScheduled = false;

  constructor(
    private readonly clock: FeedClock,
    private readonly parts: () => FrameParts,
    private readonly intervalMs: number,
    private readonly recordsPerSink: number,
  ) {}

  subscribe(onFrame: (frame: TelemetryFrame) => void): void {
    this.subscribers.push({ onFrame, eventCursor: 0, recoveriesSent: [] });
    this.lastFrameWall = Number.NEGATIVE_INFINITY;
    this.request();
  }

  /** A new run: every subscriber gets its events from the first. */
  rewind(): void {
    for (const subscriber of this.subscribers) {
      subscriber.eventCursor = 0;
      subscriber.recoveriesSent = [];
    }
  }

  /** A frame now if the last one is old enough, else one as soon as it is. */
  request(): void {
    if (this.subscribers.length === 0 || this.frameScheduled) return;
    const wait = this.lastFrameWall + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.emit();
      return;
    }
    this.frameScheduled = true;
    void this.clock.sleep(wait).then(() => {
      this.frameScheduled = false;
      this.request();
    });
  }

  private emit(): void {
    this.lastFrameWall = this.clock.now();
    const { status, metrics, jm } = this.parts();
    const outputs = jm?.outputs(this.recordsPerSink) ?? {};
    const checkpoints = jm?.checkpointsReport();
    if (checkpoints !== undefined) checkpoints.history = checkpoints.history.slice(-FRAME_CHECKPOINTS);
    const recoveries = jm?.recoveries() ?? [];
    for (const subscriber of [...this.subscribers]) {
      const events = jm?.eventsSince(subscriber.eventCursor) ?? [];
      subscriber.eventCursor = jm?.eventTotal ?? 0;
      const frame: TelemetryFrame = { status, metrics, events, outputs };
      if (checkpoints?.enabled === true) frame.checkpoints = checkpoints;
      const changed = recoveries.filter((r, i) => subscriber.recoveriesSent[i] !== (r.resumedMs !== undefined));
      if (changed.length > 0) {
        frame.recoveries = changed;
        subscriber.recoveriesSent = recoveries.map((r) => r.resumedMs !== undefined);
      }
      try {
        subscriber.onFrame(frame);
      } catch {
        this.subscribers.splice(this.subscribers.indexOf(subscriber), 1);
      }
    }
  }
}
