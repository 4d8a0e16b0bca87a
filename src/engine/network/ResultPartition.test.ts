import { describe, expect, it } from 'vitest';
import type { Partitioner } from '../job/types';
import type { StreamElement } from '../runtime/types';
import { resolveNetworkConfig, type NetworkConfig } from './config';
import type { BufferShipment } from './messages';
import { bufferElements } from './NetworkBuffer';
import { ResultPartition } from './ResultPartition';

function partition(
  partitioner: Partitioner,
  targets: number,
  config: Partial<NetworkConfig> = {},
  extra: { key?: string; firstChannel?: number } = {},
): ResultPartition {
  return new ResultPartition(
    {
      edgeId: 'up->down',
      partitioner,
      subtask: { operatorId: 'up', index: 0 },
      channels: Array.from({ length: targets }, (_, target) => ({ channelId: 100 + target, target })),
      downstreamParallelism: targets,
      downstreamMaxParallelism: 128,
      ...extra,
    },
    resolveNetworkConfig({ bufferCapacity: 3, ...config }),
  );
}

function emitValues(out: ResultPartition, from: number, to: number): void {
  for (let value = from; value < to; value++) out.emitRecord({ value }, value);
}

function values(shipments: BufferShipment[]): unknown[][] {
  return shipments.map((shipment) => shipment.buffer.records.map((record) => record.value));
}

describe('ResultPartition, one channel', () => {
  it('keeps records in the open buffer until it is full or flushed', () => {
    const out = partition('forward', 1);
    out.addCredit({ channel: 100, credit: 5 });
    emitValues(out, 0, 2);
    expect(out.takeShipments()).toEqual([]);
    emitValues(out, 2, 4);
    const full = out.takeShipments();
    expect(values(full)).toEqual([[0, 1, 2]]);
    out.flush();
    expect(values(out.takeShipments())).toEqual([[3]]);
    out.flush();
    expect(out.takeShipments()).toEqual([]);
  });

  it('ships only with credit, in order, with sequence numbers and the backlog left behind', () => {
    const out = partition('forward', 1);
    emitValues(out, 0, 9);
    expect(out.takeShipments()).toEqual([]);
    expect(out.backlog(0)).toBe(3);
    out.addCredit({ channel: 100, credit: 2 });
    const shipped = out.takeShipments();
    expect(shipped.map((s) => [s.channel, s.sequenceNumber, s.backlog])).toEqual([[100, 0, 2], [100, 1, 1]]);
    expect(values(shipped)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(out.credit(0)).toBe(0);
    out.addCredit({ channel: 100, credit: 4 });
    expect(out.takeShipments().map((s) => [s.sequenceNumber, s.backlog])).toEqual([[2, 0]]);
    expect(out.credit(0)).toBe(3);
    emitValues(out, 9, 10);
    out.flush();
    expect(out.takeShipments().map((s) => s.sequenceNumber)).toEqual([3]);
    expect(out.credit(0)).toBe(2);
  });

  it('reports back-pressure once a backlog reaches the limit, and clears with credit', () => {
    const out = partition('forward', 1, { maxBacklogBuffersPerChannel: 2 });
    emitValues(out, 0, 5);
    expect(out.isBackpressured()).toBe(false);
    emitValues(out, 5, 6);
    expect(out.backlog(0)).toBe(2);
    expect(out.isBackpressured()).toBe(true);
    // Advisory: emitting past the limit still works.
    emitValues(out, 6, 9);
    expect(out.backlog(0)).toBe(3);
    out.addCredit({ channel: 100, credit: 2 });
    expect(out.isBackpressured()).toBe(false);
  });

  it('announces backlog changes only', () => {
    const out = partition('forward', 1);
    expect(out.takeBacklogAnnouncements()).toEqual([]);
    emitValues(out, 0, 6);
    expect(out.takeBacklogAnnouncements()).toEqual([{ channel: 100, backlog: 2 }]);
    expect(out.takeBacklogAnnouncements()).toEqual([]);
    out.addCredit({ channel: 100, credit: 1 });
    // The shipment itself told the receiver the backlog is now 1.
    expect(out.takeShipments()[0]?.backlog).toBe(1);
    expect(out.takeBacklogAnnouncements()).toEqual([]);
  });

  it('refuses credit for a channel it does not own, and bad amounts', () => {
    const out = partition('forward', 1);
    expect(() => out.addCredit({ channel: 7, credit: 1 })).toThrow(/not an output of up#0/);
    expect(() => out.addCredit({ channel: 100, credit: 0 })).toThrow(RangeError);
  });
});

describe('ResultPartition, events', () => {
  it('keeps watermarks in-band without finishing the buffer', () => {
    const out = partition('forward', 1, { bufferCapacity: 8 });
    out.addCredit({ channel: 100, credit: 5 });
    emitValues(out, 0, 1);
    out.emitEvent({ type: 'watermark', timestamp: 0 });
    emitValues(out, 1, 2);
    expect(out.takeShipments()).toEqual([]);
    out.flush();
    const [shipment] = out.takeShipments();
    expect(bufferElements(shipment!.buffer).map((e) => e.type)).toEqual(['record', 'watermark', 'record']);
  });

  it('finishes buffers after a barrier so it leaves at once', () => {
    const out = partition('broadcast', 2, { bufferCapacity: 8 });
    out.addCredit({ channel: 100, credit: 5 });
    out.addCredit({ channel: 101, credit: 5 });
    emitValues(out, 0, 1);
    out.emitEvent({ type: 'barrier', checkpointId: 1 });
    const shipped = out.takeShipments();
    expect(shipped.map((s) => s.channel)).toEqual([100, 101]);
    for (const s of shipped) {
      expect(bufferElements(s.buffer)).toEqual<StreamElement[]>([
        { type: 'record', record: { value: 0 }, timestamp: 0 },
        { type: 'barrier', checkpointId: 1 },
      ]);
    }
  });

  it('counts events against capacity', () => {
    const out = partition('forward', 1, { bufferCapacity: 2 });
    out.addCredit({ channel: 100, credit: 5 });
    out.emitEvent({ type: 'watermark', timestamp: 1 });
    out.emitEvent({ type: 'watermark', timestamp: 2 });
    expect(out.takeShipments()).toHaveLength(1);
  });

  it('closes for good after end-of-partition', () => {
    const out = partition('forward', 1);
    out.addCredit({ channel: 100, credit: 5 });
    emitValues(out, 0, 1);
    out.emitEvent({ type: 'end-of-partition' });
    expect(out.isFinished()).toBe(true);
    expect(out.takeShipments()).toHaveLength(1);
    expect(() => out.emitRecord({ value: 1 }, 1)).toThrow(/already emitted end-of-partition/);
    expect(() => out.emitEvent({ type: 'watermark', timestamp: 3 })).toThrow(/end-of-partition/);
  });
});

describe('ResultPartition, partitioners', () => {
  it('broadcast writes every record to every channel', () => {
    const out = partition('broadcast', 3);
    emitValues(out, 0, 2);
    out.flush();
    expect(out.metrics().channels.map((c) => [c.recordsOut, c.backlog])).toEqual([[2, 1], [2, 1], [2, 1]]);
    expect(out.metrics().recordsOut).toBe(6);
  });

  it('rebalance spreads records round robin from the seeded start', () => {
    const out = partition('rebalance', 3, {}, { firstChannel: 1 });
    emitValues(out, 0, 7);
    out.flush();
    expect(out.metrics().channels.map((c) => c.recordsOut)).toEqual([2, 3, 2]);
  });

  it('backlog-based rebalance fills one buffer at a time and avoids backlogged channels', () => {
    const out = partition('rebalance', 3, { channelSelection: 'backlog' });
    expect(out.channelSelection).toBe('backlog');
    for (const channel of [100, 102]) out.addCredit({ channel, credit: 100 });
    emitValues(out, 0, 30);
    out.flush();
    // Channel 1 has no credit: after its first buffer it has a backlog and is passed over.
    expect(out.metrics().channels.map((c) => c.recordsOut)).toEqual([15, 3, 12]);
    expect(out.backlog(1)).toBe(1);
  });

  it('switches selection live on rebalance and rescale only', () => {
    const rebalance = partition('rebalance', 2);
    rebalance.setChannelSelection('backlog');
    expect(rebalance.channelSelection).toBe('backlog');
    const hash = partition('hash', 2, {}, { key: 'value' });
    hash.setChannelSelection('backlog');
    expect(hash.channelSelection).toBeNull();
    const rescale = partition('rescale', 2);
    rescale.setChannelSelection('backlog');
    expect(rescale.channelSelection).toBe('backlog');
  });

  it('hash routes equal keys to one channel and fails on a null key', () => {
    const out = partition('hash', 4, {}, { key: 'k' });
    for (let i = 0; i < 20; i++) out.emitRecord({ k: 'same', i }, null);
    out.flush();
    expect(out.metrics().channels.filter((c) => c.recordsOut > 0)).toHaveLength(1);
    expect(() => out.emitRecord({ k: null }, null)).toThrow(/Edge 'up->down': the key 'k' is null/);
  });
});

describe('ResultPartition.metrics', () => {
  it('reports plain data with totals', () => {
    const out = partition('rebalance', 2, {}, { firstChannel: 0 });
    out.addCredit({ channel: 100, credit: 1 });
    emitValues(out, 0, 10);
    out.flush();
    const metrics = out.metrics();
    expect(structuredClone(metrics)).toEqual(metrics);
    expect(metrics).toMatchObject({
      edgeId: 'up->down', subtask: { operatorId: 'up', index: 0 }, partitioner: 'rebalance',
      channelSelection: 'round-robin', recordsOut: 10, buffersOut: 1, backlog: 3, backpressured: false,
    });
    expect(metrics.channels[0]).toEqual({
      channel: 100, target: 0, recordsOut: 5, buffersOut: 1, backlog: 1, backlogHighWater: 1, credit: 0,
    });
  });
});
