import { describe, expect, it } from 'vitest';
import { buildExecutionGraph, subtaskKey } from '../plan/executionGraph';
import type { JobGraph } from '../job/types';
import type { StreamElement } from '../runtime/types';
import { BarrierAligner, type AlignmentEvent } from './BarrierAligner';
import { resolveNetworkConfig } from './config';
import { InputGate, type InputItem } from './InputGate';
import { LocalNetwork } from './LocalNetwork';
import type { BufferShipment } from './messages';
import { bufferOf } from './NetworkBuffer';
import { TestPrng } from './testing';

const rec = (value: number): StreamElement => ({ type: 'record', record: { value }, timestamp: value });
const barrier = (checkpointId: number): StreamElement => ({ type: 'barrier', checkpointId });
const eop: StreamElement = { type: 'end-of-partition' };

function gate(channels: number): InputGate {
  const input = new InputGate(
    { operatorId: 'down', index: 0 },
    Array.from({ length: channels }, (_, i) => ({ channelId: i, edgeId: 'up->down', inputIndex: 0, source: i })),
    resolveNetworkConfig({ bufferCapacity: 8, exclusiveBuffersPerChannel: 4 }),
  );
  input.takeCreditAnnouncements();
  return input;
}

/** Ships buffers on channels with increasing sequence numbers. */
class Senders {
  private readonly sequence = new Map<number, number>();
  ship(channel: number, elements: StreamElement[]): BufferShipment {
    const sequenceNumber = this.sequence.get(channel) ?? 0;
    this.sequence.set(channel, sequenceNumber + 1);
    return { channel, sequenceNumber, backlog: 0, buffer: bufferOf(elements) };
  }
}

/**
 * Reads like a task would: records are rendered `ch:value`, barriers and end-of-partition go
 * through the aligner (whose events are rendered too) at virtual time `nowMs`.
 */
function drain(input: InputGate, aligner: BarrierAligner, nowMs: number): string[] {
  const out: string[] = [];
  for (let item: InputItem | null = input.poll(100); item !== null; item = input.poll(100)) {
    if (item.kind === 'records') {
      for (let i = item.start; i < item.end; i++) out.push(`${item.channel}:${String(item.records[i]?.value)}`);
      continue;
    }
    const event = item.event;
    let events: AlignmentEvent[] = [];
    if (event.type === 'barrier') events = aligner.onBarrier(item.channel, event.checkpointId, nowMs);
    else if (event.type === 'end-of-partition') events = aligner.onEndOfPartition(item.channel, nowMs);
    out.push(...events.map(show));
  }
  return out;
}

function show(event: AlignmentEvent): string {
  return event.kind === 'aligned' ? `aligned ${event.checkpointId} in ${event.alignmentMs}` : `cancelled ${event.checkpointId} (${event.reason})`;
}

describe('BarrierAligner', () => {
  it('blocks a channel at its barrier until every channel delivered it, then unblocks all', () => {
    const input = gate(2);
    const aligner = new BarrierAligner(input);
    const senders = new Senders();
    input.receive(senders.ship(0, [rec(1), barrier(1), rec(2)]));
    input.receive(senders.ship(1, [rec(10)]));
    expect(drain(input, aligner, 100)).toEqual(['0:1', '1:10']);
    expect(input.isBlocked(0)).toBe(true);
    expect(aligner.pendingCheckpointId).toBe(1);
    input.receive(senders.ship(1, [rec(11), barrier(1), rec(12)]));
    expect(drain(input, aligner, 130)).toEqual(['1:11', 'aligned 1 in 30', '0:2', '1:12']);
    expect(input.isBlocked(0) || input.isBlocked(1)).toBe(false);
    expect(aligner.metrics()).toEqual({ aligned: 1, cancelled: 0, pendingCheckpointId: null, lastAlignmentMs: 30 });
  });

  it('a single channel aligns at once, with no alignment time', () => {
    const input = gate(1);
    const aligner = new BarrierAligner(input);
    input.receive(new Senders().ship(0, [rec(1), barrier(7), rec(2)]));
    expect(drain(input, aligner, 5)).toEqual(['0:1', 'aligned 7 in 0', '0:2']);
  });

  it('finished channels count as aligned, before and during an alignment', () => {
    const input = gate(3);
    const aligner = new BarrierAligner(input);
    const senders = new Senders();
    input.receive(senders.ship(2, [rec(20), eop]));
    input.receive(senders.ship(0, [barrier(1), rec(1)]));
    expect(drain(input, aligner, 10)).toEqual(['2:20']);
    input.receive(senders.ship(1, [rec(10), eop]));
    expect(drain(input, aligner, 25)).toEqual(['1:10', 'aligned 1 in 15', '0:1']);
  });

  it('a newer barrier cancels the alignment in progress and starts its own', () => {
    const input = gate(2);
    const aligner = new BarrierAligner(input);
    const senders = new Senders();
    input.receive(senders.ship(0, [barrier(1), rec(1), barrier(2), rec(2)]));
    input.receive(senders.ship(1, [barrier(2), rec(10), barrier(1)]));
    // Channel 0 blocks at barrier 1; channel 1's barrier 2 cancels 1, unblocking channel 0,
    // whose barrier 2 then completes alignment 2; the stray barrier 1 is ignored.
    expect(drain(input, aligner, 50)).toEqual([
      'cancelled 1 (newer-barrier)', '0:1', 'aligned 2 in 0', '1:10', '0:2',
    ]);
    expect(aligner.metrics()).toMatchObject({ aligned: 1, cancelled: 1, pendingCheckpointId: null });
  });

  it('an abort cancels the alignment; later barriers of that checkpoint are ignored', () => {
    const input = gate(2);
    const aligner = new BarrierAligner(input);
    const senders = new Senders();
    input.receive(senders.ship(0, [barrier(3), rec(1)]));
    expect(drain(input, aligner, 0)).toEqual([]);
    expect(aligner.abort(3).map(show)).toEqual(['cancelled 3 (aborted)']);
    input.receive(senders.ship(1, [barrier(3), rec(10)]));
    expect(drain(input, aligner, 10)).toEqual(['1:10', '0:1']);
    expect(aligner.abort(9)).toEqual([]);
    input.receive(senders.ship(0, [barrier(9), barrier(10)]));
    input.receive(senders.ship(1, [barrier(10)]));
    expect(drain(input, aligner, 20)).toEqual(['aligned 10 in 0']);
    expect(aligner.latestCheckpointId).toBe(10);
  });

  it('throws on misuse: a barrier from a blocked channel, twice on one channel, a bad id', () => {
    const input = gate(2);
    const aligner = new BarrierAligner(input);
    aligner.onBarrier(0, 1, 0);
    expect(() => aligner.onBarrier(0, 1, 0)).toThrow(/blocked/);
    input.setBlocked(0, false);
    expect(() => aligner.onBarrier(0, 1, 0)).toThrow(/twice/);
    expect(() => aligner.onBarrier(1, 0, 0)).toThrow(RangeError);
    expect(() => aligner.onEndOfPartition(1, 0)).toThrow(/not seen/);
  });
});

describe('barriers through the network', () => {
  const job: JobGraph = {
    sluice: 'job/1', name: 'barriers',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2 },
      { id: 'sum', kind: 'aggregate', name: 'Sum', parallelism: 1 },
    ],
    edges: [{ from: 'src', to: 'sum', partitioner: 'hash', key: 'key' }],
  };

  it('split the stream exactly: records before the barrier on every channel come before the snapshot', () => {
    const graph = buildExecutionGraph(job);
    const net = new LocalNetwork(graph, { prng: new TestPrng(1), config: { bufferCapacity: 4, exclusiveBuffersPerChannel: 1, floatingBuffersPerGate: 0 } });
    const [src0, src1, sum] = graph.subtasks as [typeof graph.subtasks[0], typeof graph.subtasks[0], typeof graph.subtasks[0]];
    const input = net.input(sum) as InputGate;
    const aligner = new BarrierAligner(input);
    const log: string[] = [];
    let seq = 0;
    for (let tick = 0; tick < 80; tick++) {
      for (const source of [src0, src1]) {
        // Source 1 is slow to reach its barrier: it emits 3 records per tick, source 0 emits 5.
        const perTick = source.index === 0 ? 5 : 3;
        for (let i = 0; i < perTick && tick < 12; i++) {
          for (const out of net.outputs(source)) out.emitRecord({ key: 'k', value: `${source.index}.${seq++}` }, null);
        }
        if (tick === 4) for (const out of net.outputs(source)) out.emitEvent({ type: 'barrier', checkpointId: 1 });
      }
      // The receiver reads at most 2 records per tick, so credit (1 buffer per channel) runs dry.
      for (let budget = 2; budget > 0;) {
        const item = input.poll(budget);
        if (item === null) break;
        if (item.kind === 'records') {
          for (let i = item.start; i < item.end; i++) log.push(String(item.records[i]?.value));
          budget -= item.end - item.start;
        } else if (item.event.type === 'barrier') {
          for (const event of aligner.onBarrier(item.channel, item.event.checkpointId, tick * 10)) log.push(show(event));
        }
      }
      net.endTick();
    }
    const snapshotAt = log.findIndex((line) => line.startsWith('aligned 1'));
    expect(snapshotAt).toBeGreaterThan(0);
    const before = log.slice(0, snapshotAt);
    const after = log.slice(snapshotAt + 1);
    // Everything emitted in ticks 0..4 (before each source's barrier) precedes the snapshot.
    expect(before.filter((v) => v.startsWith('0.'))).toHaveLength(5 * 5);
    expect(before.filter((v) => v.startsWith('1.'))).toHaveLength(5 * 3);
    expect(after).toHaveLength(12 * 8 - 25 - 15);
    // Alignment took a while: source 0's channel waited for source 1's slower barrier.
    expect(aligner.metrics().lastAlignmentMs).toBeGreaterThan(0);
    expect(subtaskKey(sum)).toBe('sum#0');
  });
});
