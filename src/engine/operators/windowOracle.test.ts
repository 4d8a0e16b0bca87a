/**
 * Randomised window tests with an oracle (STYLE.md habit 10): random keys, out-of-order
 * timestamps and watermarks go through the window operator and through a brute-force model
 * that recomputes every window from the raw records it accepted. After each step (a batch or a
 * watermark) the emitted results must match as multisets. A failing seed prints a one-line
 * replay command; a seed that once failed becomes a named case in the lists below.
 */
import { describe, expect, it } from 'vitest';
import { createPrng } from '../random';
import type { TimedRecord } from '../runtime/types';
import { at, harness } from './testing/operatorHarness';
import { slidingWindows, tumblingWindow, type TimeWindow } from './windowAssigners';

interface Scenario {
  type: 'tumbling' | 'sliding' | 'session';
  lateness: number;
}

type Step = { kind: 'records'; records: TimedRecord[] } | { kind: 'watermark'; timestamp: number };

function randomSteps(seed: number): Step[] {
  const prng = createPrng(seed);
  const steps: Step[] = [];
  let watermark = 0;
  for (let i = 0; i < 60; i++) {
    const records = Array.from({ length: 1 + prng.nextInt(8) }, () =>
      at(Math.max(0, watermark - 30 + prng.nextInt(80)), { key: `k${prng.nextInt(4)}`, value: prng.nextInt(10) }),
    );
    steps.push({ kind: 'records', records });
    if (prng.nextInt(3) === 0) {
      watermark += prng.nextInt(40);
      steps.push({ kind: 'watermark', timestamp: watermark });
    }
  }
  steps.push({ kind: 'watermark', timestamp: Number.POSITIVE_INFINITY });
  return steps;
}

/** The model: windows as plain arrays of accepted values, fired and purged by brute force. */
class WindowModel {
  private readonly windows = new Map<string, { key: string; window: TimeWindow; values: number[] }>();
  private watermark = Number.NEGATIVE_INFINITY;
  lateDropped = 0;

  constructor(private readonly scenario: Scenario) {}

  add(key: string, ts: number, value: number): string[] {
    const fired: string[] = [];
    const candidates = this.scenario.type === 'session' ? [this.sessionFor(key, ts)] : this.alignedFor(ts);
    let accepted = false;
    for (const window of candidates) {
      if (window.end - 1 + this.scenario.lateness <= this.watermark) continue;
      accepted = true;
      const entry = this.entry(key, window);
      entry.values.push(value);
      if (window.end - 1 <= this.watermark) fired.push(show(key, window, entry.values));
    }
    if (!accepted) this.lateDropped++;
    return fired;
  }

  advance(watermark: number): string[] {
    const fired: string[] = [];
    const previous = this.watermark;
    this.watermark = watermark;
    for (const [id, { key, window, values }] of [...this.windows]) {
      const maxTs = window.end - 1;
      if (maxTs > previous && maxTs <= watermark) fired.push(show(key, window, values));
      if (maxTs + this.scenario.lateness <= watermark) this.windows.delete(id);
    }
    return fired;
  }

  private alignedFor(ts: number): TimeWindow[] {
    return this.scenario.type === 'tumbling' ? [tumblingWindow(ts, 20)] : slidingWindows(ts, 20, 10);
  }

  /** Session: merge every live session of the key that intersects [ts, ts + gap). */
  private sessionFor(key: string, ts: number): TimeWindow {
    let start = ts;
    let end = ts + 15;
    const merged: number[] = [];
    for (const [id, entry] of [...this.windows]) {
      if (entry.key !== key || entry.window.start > end || entry.window.end < start) continue;
      start = Math.min(start, entry.window.start);
      end = Math.max(end, entry.window.end);
      merged.push(...entry.values);
      this.windows.delete(id);
    }
    const window = { start, end };
    if (window.end - 1 + this.scenario.lateness > this.watermark && merged.length > 0) this.entry(key, window).values.push(...merged);
    return window;
  }

  private entry(key: string, window: TimeWindow) {
    const id = `${key}@${window.start}:${window.end}`;
    let entry = this.windows.get(id);
    if (entry === undefined) {
      entry = { key, window, values: [] };
      this.windows.set(id, entry);
    }
    return entry;
  }
}

function show(key: string, window: TimeWindow, values: readonly number[]): string {
  return `${key} [${window.start},${window.end}) sum=${values.reduce((a, b) => a + b, 0)}`;
}

function emitted(out: readonly TimedRecord[]): string[] {
  return out.map(({ record: r }) => `${String(r.key)} [${String(r.windowStart)},${String(r.windowEnd)}) sum=${String(r.value)}`).sort();
}

function check(scenario: Scenario, seed: number): void {
  const config = { type: scenario.type, sizeMs: 20, slideMs: 10, gapMs: 15, fn: 'sum', allowedLatenessMs: scenario.lateness };
  const h = harness('window', { config });
  const model = new WindowModel(scenario);
  const replay = `replay: npx vitest run src/engine/operators/windowOracle.test.ts -t "${scenario.type} lateness ${scenario.lateness} seed ${seed}"`;
  randomSteps(seed).forEach((step, i) => {
    const expected =
      step.kind === 'records'
        ? step.records.flatMap((r) => model.add(r.record.key as string, r.timestamp as number, r.record.value as number))
        : model.advance(step.timestamp);
    const actual = step.kind === 'records' ? emitted(h.push(step.records)) : emitted(h.watermark(step.timestamp));
    expect(actual, `step ${i} (${step.kind}); ${replay}`).toEqual(expected.sort());
  });
  expect(h.runner.ctx.counters.lateRecordsDropped, replay).toBe(model.lateDropped);
  expect(h.runner.ctx.keyed?.backend.metrics().totalEntries, `state left behind; ${replay}`).toBe(0);
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('window operator against a brute-force model (random out-of-order input)', () => {
  for (const scenario of [
    { type: 'tumbling', lateness: 0 },
    { type: 'tumbling', lateness: 25 },
    { type: 'sliding', lateness: 0 },
    { type: 'sliding', lateness: 15 },
    { type: 'session', lateness: 0 },
    { type: 'session', lateness: 20 },
  ] as Scenario[]) {
    for (const seed of SEEDS) {
      it(`${scenario.type} lateness ${scenario.lateness} seed ${seed}`, () => check(scenario, seed));
    }
  }
});
