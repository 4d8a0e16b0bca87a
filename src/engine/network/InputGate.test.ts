import { describe, expect, it } from 'vitest';
import type { StreamElement } from '../runtime/types';
import { resolveNetworkConfig, type NetworkConfig } from './config';
import { InputGate, timedRecordsOf, type InputItem } from './InputGate';
import type { BufferShipment } from './messages';
import { bufferOf } from './NetworkBuffer';

const rec = (value: number): StreamElement => ({ type: 'record', record: { value }, timestamp: value });

function gate(channels: number, config: Partial<NetworkConfig> = {}): InputGate {
  return new InputGate(
    { operatorId: 'down', index: 0 },
    Array.from({ length: channels }, (_, i) => ({ channelId: 10 + i, edgeId: 'up->down', inputIndex: 0, source: i })),
    resolveNetworkConfig({ bufferCapacity: 8, ...config }),
  );
}

/** Ships buffers on one channel with increasing sequence numbers. */
class Sender {
  private sequence = 0;
  constructor(readonly channel: number) {}
  ship(elements: StreamElement[], backlog = 0): BufferShipment {
    return { channel: this.channel, sequenceNumber: this.sequence++, backlog, buffer: bufferOf(elements) };
  }
}

/** Polls until nothing is left, rendering items compactly. */
function drain(input: InputGate, maxRecords = 100): string[] {
  const out: string[] = [];
  for (let item = input.poll(maxRecords); item !== null; item = input.poll(maxRecords)) out.push(show(item));
  return out;
}

function show(item: InputItem): string {
  if (item.kind === 'event') return `${item.channel}:${item.event.type}`;
  return `${item.channel}:[${item.records.slice(item.start, item.end).map((r) => String(r.value)).join(',')}]`;
}

describe('InputGate, credit', () => {
  it('announces the exclusive buffers as initial credit, once', () => {
    const input = gate(2);
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 10, credit: 2 }, { channel: 11, credit: 2 }]);
    expect(input.takeCreditAnnouncements()).toEqual([]);
  });

  it('refuses a buffer the sender had no credit for', () => {
    const input = gate(1);
    const sender = new Sender(10);
    expect(() => input.receive(sender.ship([rec(1)]))).toThrow(/without credit/);
  });

  it('returns credit when a buffer is read to its end', () => {
    const input = gate(1, { floatingBuffersPerGate: 0 });
    input.takeCreditAnnouncements();
    const sender = new Sender(10);
    input.receive(sender.ship([rec(1), rec(2)]));
    input.receive(sender.ship([rec(3)]));
    expect(() => input.receive(sender.ship([rec(4)]))).toThrow(/without credit/);
    expect(input.poll(1)).toMatchObject({ kind: 'records', start: 0, end: 1 });
    expect(input.takeCreditAnnouncements()).toEqual([]);
    input.poll(1);
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 10, credit: 1 }]);
  });

  it('checks sequence numbers, channel ids and end-of-partition', () => {
    const input = gate(1);
    input.takeCreditAnnouncements();
    const sender = new Sender(10);
    sender.ship([rec(0)]);
    expect(() => input.receive(sender.ship([rec(1)]))).toThrow(/expected sequence number 0, got 1/);
    expect(() => input.receive(new Sender(99).ship([rec(1)]))).toThrow(/not an input of down#0/);
    const fresh = new Sender(10);
    input.receive(fresh.ship([rec(1), { type: 'end-of-partition' }]));
    expect(() => input.receive(fresh.ship([rec(2)]))).toThrow(/after its end-of-partition/);
    expect(() => input.receiveBacklog({ channel: 10, backlog: 1 })).toThrow(/after its end-of-partition/);
  });

  it('refuses elements after end-of-partition inside a buffer', () => {
    const input = gate(1);
    input.takeCreditAnnouncements();
    const shipment = new Sender(10).ship([{ type: 'end-of-partition' }, rec(1)]);
    expect(() => input.receive(shipment)).toThrow(/after its end-of-partition/);
  });

  it('rejects malformed buffers and backlogs', () => {
    const input = gate(1);
    input.takeCreditAnnouncements();
    expect(() => input.receive(new Sender(10).ship([]))).toThrow(/empty/);
    expect(() => input.receiveBacklog({ channel: 10, backlog: -1 })).toThrow(RangeError);
  });
});

describe('InputGate, floating buffers', () => {
  it('hands floating buffers to a channel with backlog, up to backlog + exclusive free', () => {
    const input = gate(2, { floatingBuffersPerGate: 8 });
    input.takeCreditAnnouncements();
    input.receiveBacklog({ channel: 11, backlog: 3 });
    // Channel 11 has 2 free exclusive buffers and needs 3 + 2: three floating buffers.
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 11, credit: 3 }]);
    expect(input.metrics().floatingAvailable).toBe(5);
    expect(input.metrics().channels[1]).toMatchObject({ floatingBuffers: 3, creditGiven: 5 });
  });

  it('keeps `exclusive` buffers free, as Flink does, even without a backlog', () => {
    const input = gate(1, { floatingBuffersPerGate: 8 });
    input.takeCreditAnnouncements();
    const sender = new Sender(10);
    input.receive(sender.ship([rec(1)]));
    input.receive(sender.ship([rec(2)]));
    // Both exclusive buffers hold data: two floating buffers restore backlog (0) + 2 free.
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 10, credit: 2 }]);
    drain(input);
    // Once read, the floating buffers are surplus and go back.
    expect(input.takeCreditAnnouncements()).toEqual([]);
    expect(input.metrics().floatingAvailable).toBe(8);
  });

  it('returns a floating buffer to the pool when the channel no longer needs it', () => {
    const input = gate(1, { floatingBuffersPerGate: 1, exclusiveBuffersPerChannel: 1 });
    input.takeCreditAnnouncements();
    input.receiveBacklog({ channel: 10, backlog: 1 });
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 10, credit: 1 }]);
    const sender = new Sender(10);
    input.receive(sender.ship([rec(1)], 1));
    input.receive(sender.ship([rec(2)], 0));
    drain(input);
    // Backlog 0: one free exclusive buffer is enough; the floating one went back.
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 10, credit: 1 }]);
    expect(input.metrics().floatingAvailable).toBe(1);
  });

  it('shares a small pool fairly, rotating where it starts', () => {
    const input = gate(3, { floatingBuffersPerGate: 2, exclusiveBuffersPerChannel: 0 });
    expect(input.takeCreditAnnouncements()).toEqual([]);
    for (const channel of [10, 11, 12]) input.receiveBacklog({ channel, backlog: 5 });
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 11, credit: 1 }, { channel: 12, credit: 1 }]);
  });

  it('works with floating buffers only (no exclusive buffers)', () => {
    const input = gate(1, { exclusiveBuffersPerChannel: 0, floatingBuffersPerGate: 2 });
    input.receiveBacklog({ channel: 10, backlog: 4 });
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 10, credit: 2 }]);
  });

  it('releases floating buffers when a channel ends', () => {
    const input = gate(2, { floatingBuffersPerGate: 4 });
    input.takeCreditAnnouncements();
    input.receiveBacklog({ channel: 10, backlog: 4 });
    input.takeCreditAnnouncements();
    expect(input.metrics().floatingAvailable).toBe(0);
    input.receive(new Sender(10).ship([rec(1), { type: 'end-of-partition' }]));
    drain(input);
    expect(input.isChannelFinished(0)).toBe(true);
    expect(input.metrics().floatingAvailable).toBe(4);
    input.receiveBacklog({ channel: 11, backlog: 9 });
    expect(input.takeCreditAnnouncements()).toEqual([{ channel: 11, credit: 4 }]);
  });
});

describe('InputGate, read order', () => {
  it('hands out record runs up to maxRecords, never across an event', () => {
    const input = gate(1);
    input.takeCreditAnnouncements();
    input.receive(new Sender(10).ship([rec(1), rec(2), rec(3), { type: 'watermark', timestamp: 3 }, rec(4)]));
    expect(drain(input, 2)).toEqual(['0:[1,2]', '0:[3]', '0:watermark', '0:[4]']);
    expect(input.poll(5)).toBeNull();
  });

  it('reads a whole buffer, then goes round robin over channels with data', () => {
    const input = gate(3);
    input.takeCreditAnnouncements();
    const senders = [new Sender(10), new Sender(11), new Sender(12)];
    input.receive(senders[0]!.ship([rec(1), rec(2)]));
    input.receive(senders[0]!.ship([rec(3)]));
    input.receive(senders[2]!.ship([rec(20), rec(21)]));
    input.receive(senders[1]!.ship([rec(10)]));
    expect(drain(input, 1)).toEqual(['0:[1]', '0:[2]', '1:[10]', '2:[20]', '2:[21]', '0:[3]']);
  });

  it('keeps its place across ticks', () => {
    const input = gate(2);
    input.takeCreditAnnouncements();
    const a = new Sender(10);
    const b = new Sender(11);
    input.receive(a.ship([rec(1)]));
    input.receive(b.ship([rec(2)]));
    expect(drain(input)).toEqual(['0:[1]', '1:[2]']);
    input.receive(a.ship([rec(3)]));
    input.receive(b.ship([rec(4)]));
    expect(drain(input)).toEqual(['0:[3]', '1:[4]']);
  });

  it('skips a blocked channel mid-buffer and resumes where it stopped', () => {
    const input = gate(2);
    input.takeCreditAnnouncements();
    input.receive(new Sender(10).ship([rec(1), { type: 'barrier', checkpointId: 1 }, rec(2)]));
    input.receive(new Sender(11).ship([rec(10), { type: 'barrier', checkpointId: 1 }, rec(11)]));
    expect(show(input.poll(10)!)).toBe('0:[1]');
    expect(show(input.poll(10)!)).toBe('0:barrier');
    input.setBlocked(0, true);
    expect(input.isBlocked(0)).toBe(true);
    expect(drain(input).slice(0, 2)).toEqual(['1:[10]', '1:barrier']);
    input.setBlocked(0, false);
    expect(drain(input)).toEqual(['0:[2]']);
    expect(input.hasInput()).toBe(false);
  });

  it('finishes once every channel delivered end-of-partition', () => {
    const input = gate(2);
    input.takeCreditAnnouncements();
    input.receive(new Sender(10).ship([{ type: 'end-of-partition' }]));
    expect(drain(input)).toEqual(['0:end-of-partition']);
    expect(input.isFinished()).toBe(false);
    input.receive(new Sender(11).ship([rec(1), { type: 'end-of-partition' }]));
    expect(input.hasInput()).toBe(true);
    drain(input);
    expect(input.isFinished()).toBe(true);
  });

  it('validates its arguments', () => {
    const input = gate(1);
    expect(() => input.poll(0)).toThrow(RangeError);
    expect(() => input.setBlocked(3, true)).toThrow(/does not exist/);
    expect(() => new InputGate({ operatorId: 'x', index: 0 }, [], resolveNetworkConfig())).toThrow(/no channels/);
    const twice = { channelId: 1, edgeId: 'e', inputIndex: 0, source: 0 };
    expect(() => new InputGate({ operatorId: 'x', index: 0 }, [twice, twice], resolveNetworkConfig())).toThrow(/twice/);
    expect(input.channelInfo(0)).toEqual({ channelId: 10, edgeId: 'up->down', inputIndex: 0, source: 0 });
  });

  it('converts a record run to TimedRecord objects', () => {
    const input = gate(1);
    input.takeCreditAnnouncements();
    input.receive(new Sender(10).ship([rec(1), rec(2), rec(3)]));
    input.poll(1);
    const item = input.poll(5);
    expect(item?.kind).toBe('records');
    expect(timedRecordsOf(item as Extract<InputItem, { kind: 'records' }>)).toEqual([
      { record: { value: 2 }, timestamp: 2 }, { record: { value: 3 }, timestamp: 3 },
    ]);
  });

  it('counts what it handed out', () => {
    const input = gate(1);
    input.takeCreditAnnouncements();
    input.receive(new Sender(10).ship([rec(1), rec(2), { type: 'idle' }], 4));
    input.poll(1);
    const metrics = input.metrics();
    expect(structuredClone(metrics)).toEqual(metrics);
    expect(metrics).toMatchObject({ recordsIn: 1, buffersIn: 1, queuedBuffers: 1 });
    expect(metrics.channels[0]).toMatchObject({ senderBacklog: 4, blocked: false, finished: false });
  });
});
