import { describe, expect, it } from 'vitest';
import type { StreamElement } from '../runtime/types';
import {
  appendEvent, appendRecord, assertWellFormedBuffer, bufferElements, bufferOf, bufferSize, emptyBuffer,
} from './NetworkBuffer';

const rec = (value: number, timestamp: number | null = value): StreamElement => ({
  type: 'record', record: { key: `k${value}`, value }, timestamp,
});

describe('NetworkBuffer', () => {
  it('keeps events in order between the records around them', () => {
    const elements: StreamElement[] = [
      { type: 'watermark', timestamp: 0 },
      rec(1),
      rec(2, null),
      { type: 'watermark', timestamp: 2 },
      { type: 'barrier', checkpointId: 7 },
      rec(3),
      { type: 'end-of-partition' },
    ];
    const buffer = bufferOf(elements);
    expect(buffer.eventPositions).toEqual([0, 2, 2, 3]);
    expect(bufferSize(buffer)).toBe(7);
    expect(bufferElements(buffer)).toEqual(elements);
  });

  it('is plain, structured-cloneable data', () => {
    const buffer = bufferOf([rec(1), { type: 'watermark', timestamp: 1 }]);
    const copy = structuredClone(buffer);
    expect(copy).toEqual(buffer);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it('appends records and events through the builder functions', () => {
    const buffer = emptyBuffer();
    appendRecord(buffer, { a: 1 }, 5);
    appendEvent(buffer, { type: 'idle' });
    appendRecord(buffer, { a: 2 }, null);
    expect(bufferElements(buffer)).toEqual([
      { type: 'record', record: { a: 1 }, timestamp: 5 },
      { type: 'idle' },
      { type: 'record', record: { a: 2 }, timestamp: null },
    ]);
  });

  describe('assertWellFormedBuffer', () => {
    it('accepts a good buffer', () => {
      expect(() => assertWellFormedBuffer(bufferOf([rec(1), { type: 'idle' }]), 2)).not.toThrow();
    });

    it('rejects an empty buffer', () => {
      expect(() => assertWellFormedBuffer(emptyBuffer(), 4)).toThrow(/empty/);
    });

    it('rejects a buffer over capacity', () => {
      expect(() => assertWellFormedBuffer(bufferOf([rec(1), rec(2), rec(3)]), 2)).toThrow(/capacity/);
    });

    it('rejects mismatched parallel arrays', () => {
      const buffer = bufferOf([rec(1)]);
      buffer.timestamps.push(3);
      expect(() => assertWellFormedBuffer(buffer, 8)).toThrow(/timestamps/);
      const events = bufferOf([{ type: 'idle' }]);
      events.eventPositions.push(0);
      expect(() => assertWellFormedBuffer(events, 8)).toThrow(/event positions/);
    });

    it('rejects event positions out of order or range', () => {
      const buffer = bufferOf([rec(1), rec(2), { type: 'idle' }, { type: 'idle' }]);
      buffer.eventPositions = [2, 1];
      expect(() => assertWellFormedBuffer(buffer, 8)).toThrow(/out of order/);
      buffer.eventPositions = [0, 3];
      expect(() => assertWellFormedBuffer(buffer, 8)).toThrow(/out of order/);
    });
  });
});
