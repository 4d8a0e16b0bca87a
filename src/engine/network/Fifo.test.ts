import { describe, expect, it } from 'vitest';
import { Fifo } from './Fifo';

describe('Fifo', () => {
  it('returns items in insertion order', () => {
    const queue = new Fifo<number>();
    for (let i = 0; i < 5; i++) queue.push(i);
    expect(queue.length).toBe(5);
    expect(queue.peek()).toBe(0);
    expect([queue.shift(), queue.shift()]).toEqual([0, 1]);
    expect(queue.toArray()).toEqual([2, 3, 4]);
  });

  it('throws on shift from an empty queue', () => {
    const queue = new Fifo<string>();
    expect(queue.peek()).toBeUndefined();
    expect(() => queue.shift()).toThrow(/empty/);
  });

  it('stays correct across compactions with interleaved pushes', () => {
    const queue = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    for (let round = 0; round < 2000; round++) {
      const pushes = round % 7 === 0 ? 5 : 1;
      for (let i = 0; i < pushes; i++) {
        queue.push(next);
        model.push(next);
        next++;
      }
      if (round % 3 !== 0) {
        expect(queue.shift()).toBe(model.shift());
      }
      expect(queue.length).toBe(model.length);
    }
    expect(queue.toArray()).toEqual(model);
  });
});
