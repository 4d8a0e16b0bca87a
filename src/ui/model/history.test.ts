import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine';
import { HISTORY_LIMIT, record, redo, startHistory, undo } from './history';
import { emptyJob } from './jobs';

const named = (name: string): JobGraph => emptyJob(name);

describe('history', () => {
  it('undoes and redoes', () => {
    const a = named('a');
    const b = named('b');
    const c = named('c');
    let h = record(record(startHistory(a), b), c);
    h = undo(h);
    expect(h.present).toBe(b);
    h = undo(h);
    expect(h.present).toBe(a);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(b);
    h = record(h, named('d'));
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('coalesces commits with the same key into one step', () => {
    let h = startHistory(named(''));
    h = record(h, named('W'), 'name#1');
    h = record(h, named('Wo'), 'name#1');
    h = record(h, named('Wor'), 'name#1');
    expect(h.past).toHaveLength(1);
    h = record(h, named('Word'), 'name#2');
    expect(h.past).toHaveLength(2);
    expect(undo(h).present.name).toBe('Wor');
    expect(undo(undo(h)).present.name).toBe('');
  });

  it('does not coalesce across an undo', () => {
    let h = record(record(startHistory(named('a')), named('b'), 'k'), named('c'), 'k');
    h = undo(h);
    h = record(h, named('x'), 'k');
    expect(h.past.map((j) => j.name)).toEqual(['a']);
  });

  it(`keeps at most ${HISTORY_LIMIT} steps`, () => {
    let h = startHistory(named('0'));
    for (let i = 1; i <= HISTORY_LIMIT + 50; i += 1) h = record(h, named(String(i)));
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]?.name).toBe('50');
  });

  it('ignores recording the present itself', () => {
    const h = startHistory(named('a'));
    expect(record(h, h.present)).toBe(h);
  });
});
