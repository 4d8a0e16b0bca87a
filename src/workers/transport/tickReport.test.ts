import { describe, expect, it } from 'vitest';
import type { TickDoneMessage } from '../../engine/runtime/protocol';
import { decodeTickDone, encodeTickDone } from './tickReport';

function report(written: number[]): TickDoneMessage {
  return {
    type: 'tick-done', taskManager: 1, tick: 4, subtasks: [], channels: [], events: [], failures: [], outgoing: [], checkpointAcks: [], checkpointDeclines: [],
    sinks: written.map((n, i) => ({
      operatorId: 'out', index: i, committed: n, hash: 1234 + i,
      written: Array.from({ length: n }, (_, r) => ({ key: `k${r % 3}`, value: r, ok: r % 2 === 0, note: null })),
    })),
  };
}

describe('tick reports to the JobManager', () => {
  it('pack many sink records, transfer them, and come back equal', () => {
    const original = report([100, 0, 7]);
    const { message, transfer } = encodeTickDone(original);
    expect(message.type).toBe('tick-done-packed');
    expect(transfer.length).toBeGreaterThan(0);
    expect(decodeTickDone(structuredClone(message, { transfer }))).toEqual(original);
  });

  it('stay as they are with few records', () => {
    const original = report([3]);
    const { message, transfer } = encodeTickDone(original);
    expect(message).toBe(original);
    expect(transfer).toEqual([]);
    expect(decodeTickDone(message)).toBe(original);
  });
});
