/**
 * The seed-2 experiment in miniature (DESIGN.md §4): one producer feeds four consumers over a
 * rebalance edge; consumer 2 is four times slower. With round robin it receives a quarter of
 * the records anyway, its backlog reaches the limit, and the producer is back-pressured down
 * to four times the slow consumer's pace. With backlog-based selection the producer steers
 * buffers away from the backlogged channel, so consumer 2 gets fewer records and the job
 * moves more in total.
 *
 * Virtual costs only, and the test asserts directions, never timings.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { buildExecutionGraph } from '../plan/executionGraph';
import type { ChannelSelection } from './config';
import { LocalNetwork } from './LocalNetwork';
import type { ResultPartition } from './ResultPartition';
import { TaskTimeAccount } from './TaskTimeAccount';
import { TestPrng } from './testing';

const TICK_MS = 1;
const TOTAL_RECORDS = 24_000;
const RECORDS_PER_TICK = 120;
const FAST_RECORDS_PER_TICK = 40;
const SLOW_CONSUMER = 2;
const SLOWDOWN = 4;
const MAX_TICKS = 10_000;

const JOB: JobGraph = {
  sluice: 'job/1',
  name: 'straggler',
  operators: [
    { id: 'src', kind: 'datagen', name: 'Source', parallelism: 1 },
    { id: 'work', kind: 'map', name: 'Work', parallelism: 4 },
  ],
  edges: [{ from: 'src', to: 'work', partitioner: 'rebalance' }],
};

interface Result {
  /** Records each consumer processed. */
  consumed: number[];
  /** Ticks until every record was processed. */
  ticks: number;
  producerBackPressuredMs: number;
  /** Records sent to the slow channel during each half of the run (for the live switch). */
  slowShareByPhase: number[];
}

/**
 * A bounded producer (TOTAL_RECORDS, at most RECORDS_PER_TICK per tick, stopping when
 * back-pressured) and four consumers with fixed per-tick capacities, until all is consumed.
 * `selectionAt(tick)` is applied before each tick, so a test can flip it mid-run.
 */
function simulate(selectionAt: (tick: number) => ChannelSelection): Result {
  const net = new LocalNetwork(buildExecutionGraph(JOB), {
    prng: new TestPrng(42),
    config: { bufferCapacity: 16, channelSelection: selectionAt(0) },
  });
  const producer = { operatorId: 'src', index: 0 };
  const out = net.outputs(producer)[0]!;
  const producerTime = new TaskTimeAccount();
  const consumed = [0, 0, 0, 0];
  const phaseStart = { records: 0, slow: 0 };
  const slowShareByPhase: number[] = [];
  let emitted = 0;
  let tick = 0;
  for (; tick < MAX_TICKS && consumed.reduce((a, b) => a + b, 0) < TOTAL_RECORDS; tick++) {
    const selection = selectionAt(tick);
    if (selection !== out.channelSelection) {
      slowShareByPhase.push(share(out, phaseStart, emitted));
      net.setChannelSelection(selection);
    }
    let sent = 0;
    while (sent < RECORDS_PER_TICK && emitted < TOTAL_RECORDS && !net.isBackpressured(producer)) {
      out.emitRecord({ n: emitted++ }, null);
      sent++;
    }
    const stoppedBy = sent < RECORDS_PER_TICK && emitted < TOTAL_RECORDS ? 'backpressured' : 'idle';
    producerTime.recordTick(TICK_MS, (sent / RECORDS_PER_TICK) * 0.2 * TICK_MS, stoppedBy);
    for (let index = 0; index < 4; index++) consumed[index] = (consumed[index] as number) + consume(net, index);
    net.endTick();
  }
  slowShareByPhase.push(share(out, phaseStart, emitted));
  return { consumed, ticks: tick, producerBackPressuredMs: producerTime.snapshot().totalBackPressuredMs, slowShareByPhase };
}

/** One consumer's tick: read up to its capacity. */
function consume(net: LocalNetwork, index: number): number {
  const capacity = index === SLOW_CONSUMER ? FAST_RECORDS_PER_TICK / SLOWDOWN : FAST_RECORDS_PER_TICK;
  const input = net.input({ operatorId: 'work', index })!;
  let budget = capacity;
  while (budget > 0) {
    const item = input.poll(budget);
    if (item === null) break;
    if (item.kind === 'records') budget -= item.end - item.start;
  }
  return capacity - budget;
}

/** Fraction of the records emitted since the phase began that went to the slow channel. */
function share(out: ResultPartition, phaseStart: { records: number; slow: number }, emitted: number): number {
  const slow = out.metrics().channels[SLOW_CONSUMER]!.recordsOut;
  const fraction = (slow - phaseStart.slow) / Math.max(1, emitted - phaseStart.records);
  phaseStart.records = emitted;
  phaseStart.slow = slow;
  return fraction;
}

describe('backlog-based channel selection (seed 2)', () => {
  const roundRobin = simulate(() => 'round-robin');
  const backlog = simulate(() => 'backlog');

  it('processes every record in both modes', () => {
    expect(roundRobin.consumed.reduce((a, b) => a + b, 0)).toBe(TOTAL_RECORDS);
    expect(backlog.consumed.reduce((a, b) => a + b, 0)).toBe(TOTAL_RECORDS);
  });

  it('round robin: every consumer gets a quarter, so the slow one back-pressures the producer', () => {
    for (const count of roundRobin.consumed) expect(count).toBe(TOTAL_RECORDS / 4);
    expect(roundRobin.producerBackPressuredMs).toBeGreaterThan(roundRobin.ticks * TICK_MS * 0.5);
  });

  it('backlog-based: the slow consumer receives fewer records than with round robin and than its peers', () => {
    expect(backlog.consumed[SLOW_CONSUMER]).toBeLessThan(roundRobin.consumed[SLOW_CONSUMER] as number);
    for (const fast of [0, 1, 3]) {
      expect(backlog.consumed[SLOW_CONSUMER]).toBeLessThan(backlog.consumed[fast] as number);
    }
  });

  it('backlog-based: the job finishes sooner (higher throughput) and the producer is less back-pressured', () => {
    expect(backlog.ticks).toBeLessThan(roundRobin.ticks);
    expect(backlog.producerBackPressuredMs).toBeLessThan(roundRobin.producerBackPressuredMs);
  });

  it('switching live moves the run from one regime to the other', () => {
    const switched = simulate((tick) => (tick < 100 ? 'round-robin' : 'backlog'));
    const [before, after] = switched.slowShareByPhase as [number, number];
    expect(before).toBeCloseTo(0.25, 2);
    expect(after).toBeLessThan(before);
    expect(switched.ticks).toBeLessThan(roundRobin.ticks);
    expect(switched.ticks).toBeGreaterThan(backlog.ticks);
  });
});
