import { describe, expect, it } from 'vitest';
import type { EdgeSpec, JobGraph, OperatorSpec, Partitioner } from '../job/types';
import { buildExecutionGraph } from '../plan/executionGraph';
import type { StreamElement } from '../runtime/types';
import type { InputGate } from './InputGate';
import { LocalNetwork } from './LocalNetwork';
import { gateOf, partitionsOf, wireNetwork } from './networkWiring';
import { TestPrng } from './testing';

function job(parallelism: Record<string, number>, edges: [string, string, Partitioner, string?][]): JobGraph {
  const operators: OperatorSpec[] = Object.entries(parallelism).map(([id, p]) => ({
    id, kind: 'map', name: id, parallelism: p,
  }));
  return {
    sluice: 'job/1', name: 'test', operators,
    edges: edges.map(([from, to, partitioner, key]): EdgeSpec => (key === undefined ? { from, to, partitioner } : { from, to, partitioner, key })),
  };
}

function drainGate(gate: InputGate): StreamElement[] {
  const out: StreamElement[] = [];
  for (let item = gate.poll(1000); item !== null; item = gate.poll(1000)) {
    if (item.kind === 'event') out.push(item.event);
    else for (let i = item.start; i < item.end; i++) out.push({ type: 'record', record: item.records[i]!, timestamp: item.timestamps[i] ?? null });
  }
  return out;
}

describe('wireNetwork', () => {
  const graph = buildExecutionGraph(job({ a: 2, b: 4, c: 2 }, [['a', 'b', 'rescale'], ['b', 'c', 'hash', 'k'], ['a', 'c', 'rebalance']]));

  it('gives each sender its channels ascending by target, with global ids', () => {
    const wiring = wireNetwork(graph, new TestPrng(1));
    expect(wiring.channelCount).toBe(4 + 8 + 4);
    expect(partitionsOf(wiring, { operatorId: 'a', index: 1 }).map((p) => [p.edgeId, p.channels])).toEqual([
      ['a->b', [{ channelId: 2, target: 2 }, { channelId: 3, target: 3 }]],
      ['a->c', [{ channelId: 14, target: 0 }, { channelId: 15, target: 1 }]],
    ]);
  });

  it('gives each receiver its channels edge by edge, then by source', () => {
    const wiring = wireNetwork(graph, new TestPrng(1));
    expect(gateOf(wiring, { operatorId: 'a', index: 0 })).toBeUndefined();
    expect(gateOf(wiring, { operatorId: 'c', index: 1 })?.channels.map((c) => [c.edgeId, c.inputIndex, c.source, c.channelId])).toEqual([
      ['b->c', 0, 0, 5], ['b->c', 0, 1, 7], ['b->c', 0, 2, 9], ['b->c', 0, 3, 11],
      ['a->c', 1, 0, 13], ['a->c', 1, 1, 15],
    ]);
  });

  it('shares one key-group table per hash edge and draws rebalance starts from the seed', () => {
    const one = wireNetwork(graph, new TestPrng(7));
    const hash = one.partitions.filter((p) => p.edgeId === 'b->c');
    expect(hash).toHaveLength(4);
    expect(new Set(hash.map((p) => p.keyGroupTable)).size).toBe(1);
    const again = wireNetwork(graph, new TestPrng(7));
    const starts = (w: typeof one) => w.partitions.filter((p) => p.edgeId === 'a->c').map((p) => p.firstChannel);
    expect(starts(again)).toEqual(starts(one));
    for (const start of starts(one)) expect([0, 1]).toContain(start);
  });
});

describe('LocalNetwork', () => {
  it('delivers at the next tick, never in the same one', () => {
    const net = new LocalNetwork(buildExecutionGraph(job({ a: 1, b: 1 }, [['a', 'b', 'forward']])), { prng: new TestPrng(1) });
    const [out] = net.outputs({ operatorId: 'a', index: 0 });
    const input = net.input({ operatorId: 'b', index: 0 })!;
    out!.emitRecord({ v: 1 }, 5);
    out!.emitEvent({ type: 'watermark', timestamp: 5 });
    expect(input.poll(10)).toBeNull();
    const report = net.endTick();
    expect(report).toMatchObject({ buffersDelivered: 1, recordsDelivered: 1 });
    expect(drainGate(input)).toEqual([{ type: 'record', record: { v: 1 }, timestamp: 5 }, { type: 'watermark', timestamp: 5 }]);
    expect(net.tickCount).toBe(1);
  });

  it('gives every sender the initial credit before tick 0', () => {
    const net = new LocalNetwork(buildExecutionGraph(job({ a: 2, b: 3 }, [['a', 'b', 'rebalance']])), {
      prng: new TestPrng(1), config: { exclusiveBuffersPerChannel: 3 },
    });
    for (const partition of net.partitions) {
      expect(partition.metrics().channels.map((c) => c.credit)).toEqual([3, 3, 3]);
    }
  });

  it('holds buffers at the sender without credit and returns credit one tick after reading', () => {
    const net = new LocalNetwork(buildExecutionGraph(job({ a: 1, b: 1 }, [['a', 'b', 'forward']])), {
      prng: new TestPrng(1), config: { bufferCapacity: 1, exclusiveBuffersPerChannel: 1, floatingBuffersPerGate: 0 },
    });
    const out = net.outputs({ operatorId: 'a', index: 0 })[0]!;
    const input = net.input({ operatorId: 'b', index: 0 })!;
    for (let v = 0; v < 3; v++) out.emitRecord({ v }, null);
    expect(out.backlog(0)).toBe(2);
    net.endTick();
    expect(drainGate(input)).toHaveLength(1);
    // Credit for the freed buffer travels at this tick end; the next buffer arrives a tick later.
    expect(net.endTick().creditAnnouncements).toEqual([{ channel: 0, credit: 1 }]);
    expect(input.poll(10)).toBeNull();
    net.endTick();
    expect(drainGate(input)).toHaveLength(1);
  });

  it('propagates backpressure upstream through a chain', () => {
    const net = new LocalNetwork(buildExecutionGraph(job({ a: 1, b: 1, c: 1 }, [['a', 'b', 'forward'], ['b', 'c', 'forward']])), {
      prng: new TestPrng(1), config: { bufferCapacity: 4, maxBacklogBuffersPerChannel: 2, floatingBuffersPerGate: 0 },
    });
    const a = { operatorId: 'a', index: 0 };
    const b = { operatorId: 'b', index: 0 };
    let aBlockedAt = -1;
    for (let tick = 0; tick < 40 && aBlockedAt < 0; tick++) {
      // a emits 8 per tick unless blocked; b forwards what it reads unless blocked; c never reads.
      if (net.isBackpressured(a)) aBlockedAt = tick;
      else for (let i = 0; i < 8; i++) net.outputs(a)[0]!.emitRecord({ i }, null);
      const bIn = net.input(b)!;
      while (!net.isBackpressured(b)) {
        const item = bIn.poll(4);
        if (item === null) break;
        if (item.kind === 'records') for (let i = item.start; i < item.end; i++) net.outputs(b)[0]!.emitRecord(item.records[i]!, null);
      }
      net.endTick();
    }
    expect(net.isBackpressured(b)).toBe(true);
    expect(aBlockedAt).toBeGreaterThan(0);
  });

  it('switches channel selection on all or one edge', () => {
    const net = new LocalNetwork(buildExecutionGraph(job({ a: 1, b: 2, c: 2 }, [['a', 'b', 'rebalance'], ['a', 'c', 'rebalance']])), {
      prng: new TestPrng(1),
    });
    net.setChannelSelection('backlog', 'a->c');
    expect(net.partitions.map((p) => p.channelSelection)).toEqual(['round-robin', 'backlog']);
    net.setChannelSelection('backlog');
    expect(net.partitions.map((p) => p.channelSelection)).toEqual(['backlog', 'backlog']);
    expect(() => net.setChannelSelection('fast' as never)).toThrow(/unknown/);
  });

  it('answers lookups for sources and sinks', () => {
    const net = new LocalNetwork(buildExecutionGraph(job({ a: 1, b: 1 }, [['a', 'b', 'forward']])), { prng: new TestPrng(1) });
    expect(net.input({ operatorId: 'a', index: 0 })).toBeNull();
    expect(net.outputs({ operatorId: 'b', index: 0 })).toEqual([]);
    const metrics = net.metrics();
    expect(structuredClone(metrics)).toEqual(metrics);
    expect(metrics.outputs).toHaveLength(1);
    expect(metrics.inputs).toHaveLength(1);
  });
});
