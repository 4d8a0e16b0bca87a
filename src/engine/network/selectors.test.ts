import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keyGroupForKey, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import type { StreamRecord } from '../runtime/types';
import { BroadcastSelector, ForwardSelector, GlobalSelector, type BacklogView } from './ChannelSelector';
import { createChannelSelector, type ChannelSelectorSpec } from './createChannelSelector';
import { HashSelector, keyExtractor, keyGroupChannelTable, PartitionKeyError } from './HashSelector';
import { RoundRobinSelector } from './RoundRobinSelector';

const noBacklog: BacklogView = { backlog: () => 0 };

function fixedBacklogs(values: number[]): BacklogView {
  return { backlog: (channel) => values[channel] as number };
}

function take(n: number, select: () => number): number[] {
  return Array.from({ length: n }, select);
}

describe('forward, global, broadcast', () => {
  it('forward always picks its single channel and refuses more', () => {
    expect(new ForwardSelector(1).selectChannel()).toBe(0);
    expect(() => new ForwardSelector(2)).toThrow(/exactly one channel/);
  });

  it('global always picks channel 0', () => {
    const selector = new GlobalSelector(4);
    expect(take(5, () => selector.selectChannel())).toEqual([0, 0, 0, 0, 0]);
  });

  it('broadcast is flagged and does not select', () => {
    const selector = new BroadcastSelector(3);
    expect(selector.isBroadcast).toBe(true);
    expect(() => selector.selectChannel()).toThrow(/all channels/);
  });

  it.each([0, -1, 1.5])('rejects %s channels', (n) => {
    expect(() => new GlobalSelector(n)).toThrow(RangeError);
    expect(() => new BroadcastSelector(n)).toThrow(RangeError);
  });
});

describe('RoundRobinSelector, round robin', () => {
  it('starts at the given channel and cycles per record (Flink RebalancePartitioner)', () => {
    const selector = new RoundRobinSelector(4, 2, noBacklog, 'round-robin');
    expect(take(9, () => selector.selectChannel())).toEqual([2, 3, 0, 1, 2, 3, 0, 1, 2]);
  });

  it('with one channel always picks it', () => {
    const selector = new RoundRobinSelector(1, 0, noBacklog, 'round-robin');
    expect(take(3, () => selector.selectChannel())).toEqual([0, 0, 0]);
  });

  it.each([-1, 4, 0.5])('rejects first channel %s', (first) => {
    expect(() => new RoundRobinSelector(4, first, noBacklog, 'round-robin')).toThrow(RangeError);
  });

  it('rejects an unknown selection', () => {
    expect(() => new RoundRobinSelector(2, 0, noBacklog, 'fastest' as never)).toThrow(/unknown/);
  });
});

describe('RoundRobinSelector, backlog-based', () => {
  it('sticks to one channel until its buffer is finished', () => {
    const selector = new RoundRobinSelector(3, 0, noBacklog, 'backlog');
    expect(take(4, () => selector.selectChannel())).toEqual([0, 0, 0, 0]);
    selector.bufferFinished(2);
    expect(selector.selectChannel()).toBe(0);
    selector.bufferFinished(0);
    expect(selector.selectChannel()).toBe(1);
  });

  it('takes turns among equal backlogs, starting after the cursor', () => {
    const selector = new RoundRobinSelector(3, 1, noBacklog, 'backlog');
    const chosen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const channel = selector.selectChannel();
      chosen.push(channel);
      selector.bufferFinished(channel);
    }
    expect(chosen).toEqual([1, 2, 0, 1, 2, 0]);
  });

  it('picks the smallest backlog; ties to the first after the cursor', () => {
    const backlogs = [3, 1, 5, 1];
    const selector = new RoundRobinSelector(4, 0, fixedBacklogs(backlogs), 'backlog');
    expect(selector.selectChannel()).toBe(1);
    selector.bufferFinished(1);
    // Cursor is now 1: channel 3 (backlog 1) comes before channel 1 in the scan 2, 3, 0, 1.
    expect(selector.selectChannel()).toBe(3);
    selector.bufferFinished(3);
    expect(selector.selectChannel()).toBe(1);
  });

  it('avoids a backlogged channel entirely while others are free', () => {
    const backlogs = [0, 0, 4, 0];
    const selector = new RoundRobinSelector(4, 0, fixedBacklogs(backlogs), 'backlog');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40; i++) {
      const channel = selector.selectChannel();
      counts[channel] = (counts[channel] as number) + 1;
      selector.bufferFinished(channel);
    }
    expect(counts).toEqual([14, 13, 0, 13]);
  });

  it('switches strategy at any moment without losing its place', () => {
    const selector = new RoundRobinSelector(4, 0, noBacklog, 'round-robin');
    expect(take(2, () => selector.selectChannel())).toEqual([0, 1]);
    selector.setSelection('backlog');
    expect(selector.channelSelection).toBe('backlog');
    expect(take(3, () => selector.selectChannel())).toEqual([2, 2, 2]);
    selector.setSelection('round-robin');
    expect(take(3, () => selector.selectChannel())).toEqual([3, 0, 1]);
    expect(() => selector.setSelection('nope' as never)).toThrow(/unknown/);
  });
});

describe('HashSelector', () => {
  interface VectorKey {
    type: string;
    value: string | number | boolean;
    keyGroup: Record<string, number>;
    operatorIndex: Record<string, number>;
  }
  const fixture = JSON.parse(
    readFileSync(fileURLToPath(new URL('../keygroups/__fixtures__/keygroups.json', import.meta.url)), 'utf8'),
  ) as { keys: VectorKey[] };
  const hashable = fixture.keys.filter((key) => key.type !== 'long');

  it('routes every Flink vector key to Flink\'s subtask', () => {
    expect(hashable.length).toBeGreaterThan(20);
    for (const key of hashable) {
      for (const [pair, expected] of Object.entries(key.operatorIndex)) {
        const [maxP, p] = pair.split('/').map(Number) as [number, number];
        const targets = Array.from({ length: p }, (_, i) => i);
        const selector = new HashSelector('a->b', 'k', keyGroupChannelTable(maxP, p, targets), p);
        expect(selector.selectChannel({ k: key.value })).toBe(expected);
        expect(selector.keyGroupOf({ k: key.value })).toBe(key.keyGroup[String(maxP)]);
      }
    }
  });

  it('agrees with keyGroupForKey on many keys, for a field and an expression key', () => {
    const maxP = 1024;
    const p = 6;
    const table = keyGroupChannelTable(maxP, p, [0, 1, 2, 3, 4, 5]);
    const byField = new HashSelector('e', 'user', table, p);
    const byExpression = new HashSelector('e', "'u' + str(n)", table, p);
    for (let n = -50; n < 500; n++) {
      const record: StreamRecord = { user: `u${n}`, n };
      const expected = operatorIndexForKeyGroup(maxP, p, keyGroupForKey(`u${n}`, maxP));
      expect(byField.selectChannel(record)).toBe(expected);
      expect(byExpression.selectChannel(record)).toBe(expected);
      const intSelector = new HashSelector('e', 'n', table, p);
      expect(intSelector.selectChannel(record)).toBe(operatorIndexForKeyGroup(maxP, p, keyGroupForKey(n, maxP)));
    }
  });

  it('hashes booleans as Java Boolean', () => {
    const table = keyGroupChannelTable(128, 4, [0, 1, 2, 3]);
    const selector = new HashSelector('e', 'flag', table, 4);
    expect(selector.keyGroupOf({ flag: true })).toBe(keyGroupForKey(true, 128));
    expect(selector.keyGroupOf({ flag: false })).toBe(keyGroupForKey(false, 128));
  });

  it.each([
    [{ k: null }, /is null/],
    [{}, /is null/],
    [{ k: 1.5 }, /the number 1.5/],
    [{ k: 2 ** 31 }, /the number 2147483648/],
  ])('refuses the key of %j with a clear error', (record, message) => {
    const selector = new HashSelector('src->agg', 'k', keyGroupChannelTable(128, 2, [0, 1]), 2);
    expect(() => selector.selectChannel(record as StreamRecord)).toThrow(PartitionKeyError);
    expect(() => selector.selectChannel(record as StreamRecord)).toThrow(message);
    expect(() => selector.selectChannel(record as StreamRecord)).toThrow(/Edge 'src->agg'.*int32/);
  });

  it('refuses a list-valued expression key', () => {
    const selector = new HashSelector('e', "split(s, ',')", keyGroupChannelTable(128, 2, [0, 1]), 2);
    expect(() => selector.selectChannel({ s: 'a,b' })).toThrow(/a list/);
  });

  it('reads only own fields, never prototype members', () => {
    const extract = keyExtractor('constructorx');
    expect(extract({})).toBeNull();
    const toString = keyExtractor('toString');
    expect(toString({})).toBeNull();
  });

  it('maps key groups to local channels of a partial target list', () => {
    // A sender reaching only subtasks 2 and 3 (not how Sluice wires hash, but the table must say so).
    const table = keyGroupChannelTable(8, 4, [2, 3]);
    expect(Array.from(table)).toEqual([-1, -1, -1, -1, 0, 0, 1, 1]);
    const selector = new HashSelector('e', 'k', table, 2);
    const unreachable = Array.from({ length: 200 }, (_, i) => i).find((i) => keyGroupForKey(i, 8) < 4) as number;
    expect(() => selector.selectChannel({ k: unreachable })).toThrow(/no channel reaches/);
  });

  it('rejects a key that does not parse', () => {
    expect(() => keyExtractor('a +')).toThrow(/does not parse/);
  });
});

describe('createChannelSelector', () => {
  const base: Omit<ChannelSelectorSpec, 'partitioner'> = {
    edgeId: 'a->b', targets: [0, 1, 2], downstreamParallelism: 3, downstreamMaxParallelism: 128,
    channelSelection: 'round-robin', backlogs: noBacklog,
  };

  it('builds each partitioner', () => {
    expect(createChannelSelector({ ...base, partitioner: 'global' })).toBeInstanceOf(GlobalSelector);
    expect(createChannelSelector({ ...base, partitioner: 'broadcast' })).toBeInstanceOf(BroadcastSelector);
    expect(createChannelSelector({ ...base, partitioner: 'forward', targets: [1] })).toBeInstanceOf(ForwardSelector);
    expect(createChannelSelector({ ...base, partitioner: 'hash', key: 'k' })).toBeInstanceOf(HashSelector);
  });

  it('starts rebalance at the seeded channel and rescale at channel 0', () => {
    const rebalance = createChannelSelector({ ...base, partitioner: 'rebalance', firstChannel: 2 });
    expect(take(4, () => rebalance.selectChannel({}))).toEqual([2, 0, 1, 2]);
    const rescale = createChannelSelector({ ...base, partitioner: 'rescale', firstChannel: 2 });
    expect(take(4, () => rescale.selectChannel({}))).toEqual([0, 1, 2, 0]);
  });

  it('refuses a hash edge without a key and an unknown partitioner', () => {
    expect(() => createChannelSelector({ ...base, partitioner: 'hash' })).toThrow(/no key/);
    expect(() => createChannelSelector({ ...base, partitioner: 'shuffle' as never })).toThrow(/unknown/);
  });

  it('reuses a shared key-group table', () => {
    const table = keyGroupChannelTable(128, 3, [0, 1, 2]);
    const selector = createChannelSelector({ ...base, partitioner: 'hash', key: 'k', keyGroupTable: table });
    expect(selector.selectChannel({ k: 'x' })).toBe(operatorIndexForKeyGroup(128, 3, keyGroupForKey('x', 128)));
  });
});
