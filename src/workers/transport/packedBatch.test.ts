import { describe, expect, it } from 'vitest';
import { hashRecord, EMPTY_RECORD_HASH } from '../../engine/cluster/recordHash';
import { bufferOf } from '../../engine/network/NetworkBuffer';
import type { BufferShipment } from '../../engine/network/messages';
import type { PeerBatch } from '../../engine/runtime/protocol';
import type { StreamElement, StreamRecord } from '../../engine/runtime/types';
import { createPrng } from '../../engine/random';
import { PACKED_BATCH_VERSION, packPeerBatch, transferablesOf, unpackPeerBatch, type PackedPeerBatch } from './packedBatch';
import { decodeBatch, encodeBatch } from './peerTransport';

/** Packs, crosses a (simulated) MessagePort with the buffers transferred, unpacks. */
function roundTrip(batch: PeerBatch): PeerBatch {
  const { message, transfer } = encodeBatch(batch, 'packed');
  const arrived = structuredClone(message, { transfer });
  return decodeBatch(arrived);
}

function batchOf(shipments: BufferShipment[], extra: Partial<PeerBatch> = {}): PeerBatch {
  return { from: 1, to: 2, tick: 7, shipments, backlogs: [], credits: [], ...extra };
}

function shipment(channel: number, elements: StreamElement[], sequenceNumber = 0, backlog = 0): BufferShipment {
  return { channel, sequenceNumber, backlog, buffer: bufferOf(elements) };
}

const rec = (record: StreamRecord, timestamp: number | null = null): StreamElement => ({ type: 'record', record, timestamp });

/** Exact equality: field order, -0, NaN, own `__proto__` fields, and the sink hash of every record. */
function expectSame(actual: PeerBatch, expected: PeerBatch): void {
  expect(actual).toEqual(expected);
  expect(actual.shipments.length).toBe(expected.shipments.length);
  actual.shipments.forEach((s, i) => {
    const e = expected.shipments[i] as BufferShipment;
    expect(s.buffer.records.length).toBe(e.buffer.records.length);
    s.buffer.records.forEach((record, r) => {
      const original = e.buffer.records[r] as StreamRecord;
      expect(Object.keys(record)).toEqual(Object.keys(original));
      for (const name of Object.keys(original)) {
        const a: unknown = record[name];
        const b: unknown = original[name];
        if (typeof b === 'object' && b !== null) expect(a).toEqual(b);
        else expect(Object.is(a, b), `field ${JSON.stringify(name)}`).toBe(true);
      }
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      const ts = s.buffer.timestamps[r] ?? null;
      const ets = e.buffer.timestamps[r] ?? null;
      expect(Object.is(ts, ets)).toBe(true);
      expect(hashRecord(EMPTY_RECORD_HASH, record, ts)).toBe(hashRecord(EMPTY_RECORD_HASH, original, ets));
    });
  });
}

describe('packed peer batches', () => {
  it('round-trips the records the sources make, with event times and in-band events', () => {
    const batch = batchOf([
      shipment(3, [
        { type: 'watermark', timestamp: 0 },
        rec({ key: 'key-1', value: 17, ts: 40 }, 40),
        rec({ key: 'key-2', value: 3, ts: 41 }, 41),
        { type: 'watermark', timestamp: 38 },
        { type: 'barrier', checkpointId: 4 },
        rec({ key: 'key-1', value: 9, ts: 42 }, 42),
        { type: 'end-of-partition' },
      ], 12, 2),
      shipment(5, [{ type: 'idle' }], 0, 0),
    ], {
      backlogs: [{ channel: 9, backlog: 4 }],
      credits: [{ channel: 1, credit: 2 }, { channel: 2, credit: 8 }],
    });
    expectSame(roundTrip(batch), batch);
  });

  it('round-trips an empty batch (credit and backlog only, or nothing at all)', () => {
    const batch = batchOf([], { tick: -1, credits: [{ channel: 0, credit: 2 }] });
    expectSame(roundTrip(batch), batch);
    expectSame(roundTrip(batchOf([])), batchOf([]));
  });

  it('keeps strings exactly: empty, unicode, astral, combining, NUL, lone surrogates, long', () => {
    const values = ['', 'é', 'e\u0301', '日本語', '😀👍🏽', '\u0000', '\uD800', '\uDFFF', 'a\uD83Dz', '\uFFFF', 'x'.repeat(100_000)];
    const batch = batchOf([shipment(0, values.map((s, i) => rec({ key: s, i, copy: s })))]);
    expectSame(roundTrip(batch), batch);
  });

  it('keeps numbers bit-exact: -0, NaN, ±Infinity, extremes', () => {
    const values = [0, -0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 5e-324, Number.MAX_VALUE, 0.1 + 0.2, -1.5];
    const batch = batchOf([shipment(0, values.map((v) => rec({ v }, v)))]);
    expectSame(roundTrip(batch), batch);
  });

  it('keeps booleans, null and undefined fields, and null event times next to numeric ones', () => {
    const batch = batchOf([shipment(1, [
      rec({ a: true, b: false, c: null, d: undefined as unknown as null }, null),
      rec({ a: false, b: true, c: null, d: 1 }, 5),
      rec({ a: null, b: null, c: 'x', d: null }, null),
    ])]);
    expectSame(roundTrip(batch), batch);
  });

  it('keeps hostile field names as own fields, in enumeration order', () => {
    const proto = JSON.parse('{"__proto__": 1, "constructor": "c", "toString": 2, "": "empty", "1": "one", "0": "zero", "ключ": true}') as StreamRecord;
    const batch = batchOf([shipment(0, [rec(proto), rec({ ...proto, __extra: 3 }), rec({})])]);
    const back = roundTrip(batch);
    expectSame(back, batch);
    const first = back.shipments[0]?.buffer.records[0] as StreamRecord;
    expect(Object.hasOwn(first, '__proto__')).toBe(true);
    expect(first['__proto__']).toBe(1);
    expect(Object.keys(first)).toEqual(['0', '1', '__proto__', 'constructor', 'toString', '', 'ключ']);
  });

  it('handles many shapes, shapes sharing a first field, and shapes reused across shipments', () => {
    const elements: StreamElement[] = [];
    for (let i = 0; i < 200; i++) {
      const record: StreamRecord = { key: `k${i % 7}` };
      if (i % 2 === 0) record.value = i;
      if (i % 3 === 0) record.flag = i % 4 === 0;
      if (i % 5 === 0) record[`f${i % 11}`] = null;
      elements.push(rec(record, i));
    }
    const batch = batchOf([shipment(0, elements.slice(0, 120)), shipment(1, elements.slice(120)), shipment(2, elements.slice(0, 10))]);
    expectSame(roundTrip(batch), batch);
  });

  it('carries values outside the record type (lists, objects) by structured clone', () => {
    const batch = batchOf([shipment(0, [rec({ list: ['a', 1, null] as unknown as string, nested: { deep: [1] } as unknown as string, n: 1 })])]);
    expectSame(roundTrip(batch), batch);
  });

  it('shares nothing with the sender and does not modify the input', () => {
    const shared = { key: 'b', value: 1 };
    const batch = batchOf([shipment(0, [rec(shared)]), shipment(1, [rec(shared)])]);
    const before = structuredClone(batch);
    const back = roundTrip(batch);
    expect(batch).toEqual(before);
    expect(back.shipments[0]?.buffer.records[0]).not.toBe(shared);
    expectSame(back, batch);
  });

  it('round-trips a large batch (100k records, 400 buffers of 250)', () => {
    const shipments: BufferShipment[] = [];
    for (let s = 0; s < 400; s++) {
      const elements: StreamElement[] = [];
      for (let i = 0; i < 250; i++) {
        const n = s * 250 + i;
        elements.push(rec({ key: `key-${n % 5000}`, value: n * 0.5, ts: n }, n));
      }
      elements.push({ type: 'watermark', timestamp: s });
      shipments.push(shipment(s % 13, elements, s, s % 3));
    }
    const batch = batchOf(shipments);
    const back = roundTrip(batch);
    expect(back).toEqual(batch);
    const packed = packPeerBatch(batch);
    expect(packed.stringEnds.length).toBeLessThanOrEqual(5000 + 3);
  });

  it('transfers distinct buffers and refuses other versions or truncated data', () => {
    const batch = batchOf([shipment(0, [rec({ key: 'a', value: 1 }, 1)])]);
    const packed = packPeerBatch(batch);
    const buffers = transferablesOf(packed);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(() => unpackPeerBatch({ ...packed, version: 99 as typeof PACKED_BATCH_VERSION })).toThrow(/version 99/);
    expect(() => unpackPeerBatch({ ...packed, num: packed.num.slice(0, 2) })).toThrow(/truncated/);
    expect(() => unpackPeerBatch({ ...packed, tag: packed.tag.slice(0, 1) })).toThrow(/truncated/);
    expect(() => unpackPeerBatch({ ...packed, num: new Float64Array([...packed.num, 1]) })).toThrow(/trailing/);
    expect(() => unpackPeerBatch({ ...packed, stringEnds: new Uint32Array([99]) })).toThrow(/string table/);
    expect(() => unpackPeerBatch({ format: 'nope' } as unknown as PackedPeerBatch)).toThrow(/Not a packed/);
  });

  it('the clone encoding hands the batch over as it is', () => {
    const batch = batchOf([shipment(0, [rec({ key: 'a' }, null)])]);
    const { message, transfer } = encodeBatch(batch, 'clone');
    expect(transfer).toEqual([]);
    expectSame(decodeBatch(structuredClone(message)), batch);
  });

  it('round-trips random batches exactly (seeded; a failure prints the seed)', () => {
    const pool = ['', 'a', 'key-1', 'é', '😀', '\uD800', '__proto__', '0', 'value', 'ts'];
    for (let seed = 1; seed <= 200; seed++) {
      const prng = createPrng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[prng.nextInt(xs.length)] as T;
      const value = (): unknown => {
        switch (prng.nextInt(6)) {
          case 0: return pick([0, -0, NaN, Infinity, 1.25, -7, 2 ** 53]);
          case 1: return pick(pool);
          case 2: return prng.next() < 0.5;
          case 3: return null;
          case 4: return prng.nextInt(1000);
          default: return `s${prng.nextInt(20)}`;
        }
      };
      const shipments: BufferShipment[] = [];
      const count = prng.nextInt(5);
      for (let s = 0; s < count; s++) {
        const elements: StreamElement[] = [];
        const size = 1 + prng.nextInt(40);
        for (let e = 0; e < size; e++) {
          if (prng.next() < 0.15) {
            elements.push(pick<StreamElement>([{ type: 'watermark', timestamp: prng.nextInt(100) }, { type: 'idle' }, { type: 'barrier', checkpointId: 3 }, { type: 'end-of-partition' }]));
            continue;
          }
          const record: Record<string, unknown> = {};
          const fields = prng.nextInt(5);
          for (let f = 0; f < fields; f++) {
            const name = pick(pool);
            if (name === '__proto__') Object.defineProperty(record, name, { value: value(), enumerable: true, writable: true, configurable: true });
            else record[name] = value();
          }
          elements.push(rec(record as StreamRecord, prng.next() < 0.3 ? null : prng.nextInt(1e6)));
        }
        shipments.push(shipment(prng.nextInt(50), elements, s, prng.nextInt(4)));
      }
      const batch = batchOf(shipments, { tick: seed });
      try {
        expectSame(roundTrip(batch), batch);
      } catch (error) {
        throw new Error(`seed ${seed} (replay: vitest run src/workers/transport -t random): ${String(error)}`, { cause: error });
      }
    }
  });
});
