import { describe, expect, it } from 'vitest';
import type { ScannedRow } from '../../../engine/cluster/stateScan';
import { addPage, emptyTally, tallyFigures, valueJson } from './stateScanModel';

function row(key: string | number, keyGroup: number, target: number, state = 's'): ScannedRow {
  return {
    key, javaType: typeof key === 'number' ? 'Integer' : 'String', state, namespace: '', value: 1, keyGroup, subtask: 0, taskManager: 0,
    target: { keyGroup: target, subtask: target % 2 },
  };
}

describe('state processor tallies', () => {
  it('counts each key once even when its rows span states and pages', () => {
    const tally = emptyTally();
    addPage(tally, [row('a', 1, 10), row('a', 1, 10, 't'), row('b', 1, 11)]);
    addPage(tally, [row('b', 1, 11, 't'), row(7, 2, 10)]);
    expect(tally.rows).toBe(5);
    expect(tally.keys).toBe(3);
    expect([...tally.keysByKeyGroup]).toEqual([[10, 2], [11, 1]]);
    expect([...tally.keysBySubtask]).toEqual([[0, 2], [1, 1]]);
    expect(tallyFigures(tally)).toEqual({ keyGroups: 2, maxKeys: 2, maxKeyGroup: 10 });
    // The same text key in another key group is another key (String '7' vs Integer 7 too).
    addPage(tally, [row('7', 2, 12)]);
    expect(tally.keys).toBe(4);
  });

  it('shows values as JSON, bigints as text', () => {
    expect(valueJson({ a: [1, 2] })).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(valueJson(10n)).toBe('"10n"');
    expect(valueJson(undefined)).toBe('undefined');
  });
});
