/**
 * Stable operator ids (operatorIds.ts): a table of job edits, each with the operators whose
 * ids must stay and those whose ids must change.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { STABLE_ID_HEX_DIGITS, stableIdOf, stableOperatorIds } from './operatorIds';

/**
 *   src (datagen) ─rebalance─▶ map ─hash(key)─▶ count (aggregate) ─rebalance─▶ out (collect)
 */
function base(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Ids',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2, config: { keys: 100 } },
      { id: 'map', kind: 'map', name: 'Double', parallelism: 2, config: { field: 'value', expr: 'value * 2' } },
      { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 4, config: { fn: 'count' } },
      { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
    ],
    edges: [
      { from: 'src', to: 'map', partitioner: 'rebalance' },
      { from: 'map', to: 'count', partitioner: 'hash', key: 'key' },
      { from: 'count', to: 'out', partitioner: 'rebalance' },
    ],
  };
}

const ALL = ['src', 'map', 'count', 'out'] as const;
type Name = (typeof ALL)[number];

/** Renames canvas ids in the edited job back to the base's, for comparing. */
interface Edit {
  edit: string;
  apply(job: JobGraph): void;
  changed: Name[];
  /** Canvas id in the edited job of a base operator, when renamed. */
  renamed?: Partial<Record<Name, string>>;
}

const op = (job: JobGraph, id: string) => {
  const found = job.operators.find((o) => o.id === id);
  if (found === undefined) throw new Error(id);
  return found;
};

const EDITS: Edit[] = [
  { edit: 'parallelism of every operator', apply: (j) => j.operators.forEach((o) => void (o.parallelism = o.parallelism * 2 + 1)), changed: [] },
  { edit: 'max parallelism set explicitly', apply: (j) => void (op(j, 'count').maxParallelism = 256), changed: [] },
  { edit: 'a new downstream operator', changed: [], apply: (j) => {
    j.operators.push({ id: 'log', kind: 'log', name: 'Log', parallelism: 1 });
    j.edges.push({ from: 'count', to: 'log', partitioner: 'rebalance' });
  } },
  { edit: 'a downstream partitioner (rebalance → global)', apply: (j) => void ((j.edges[2] as { partitioner: string }).partitioner = 'global'), changed: [] },
  { edit: 'an upstream partitioner (rebalance → forward)', apply: (j) => void ((j.edges[0] as { partitioner: string }).partitioner = 'forward'), changed: [] },
  { edit: 'canvas id renamed', changed: [], renamed: { count: 'counter' }, apply: (j) => {
    op(j, 'count').id = 'counter';
    for (const e of j.edges) {
      if (e.from === 'count') e.from = 'counter';
      if (e.to === 'count') e.to = 'counter';
    }
  } },
  { edit: 'name changed', apply: (j) => void (op(j, 'count').name = 'Count per word'), changed: [] },
  { edit: 'operator order in the file', apply: (j) => j.operators.reverse(), changed: [] },
  { edit: 'config set to its default value', apply: (j) => void (op(j, 'count').config = { fn: 'count', field: 'value' }), changed: [] },
  { edit: 'an inactive config field (datagen count while unbounded)', apply: (j) => void ((op(j, 'src').config as Record<string, unknown>).count = 5), changed: [] },
  { edit: 'config of the map (only its own id)', apply: (j) => void ((op(j, 'map').config as Record<string, unknown>).expr = 'value * 3'), changed: ['map'] },
  { edit: 'config of the source (only its own id)', apply: (j) => void ((op(j, 'src').config as Record<string, unknown>).keys = 500), changed: ['src'] },
  { edit: 'aggregate function count → sum', apply: (j) => void (op(j, 'count').config = { fn: 'sum', field: 'value' }), changed: ['count'] },
  { edit: 'the key of the hash edge', apply: (j) => void ((j.edges[1] as { key?: string }).key = 'value % 10'), changed: ['count', 'out'] },
  { edit: 'an upstream operator inserted', changed: ['map', 'count', 'out'], apply: (j) => {
    j.operators.push({ id: 'flt', kind: 'filter', name: 'Some', parallelism: 2, config: { expr: 'value > 0' } });
    j.edges[0] = { from: 'src', to: 'flt', partitioner: 'forward' };
    j.edges.push({ from: 'flt', to: 'map', partitioner: 'rebalance' });
  } },
  { edit: 'uid set on the aggregate (only its own id)', apply: (j) => void (op(j, 'count').uid = 'count-v1'), changed: ['count'] },
  { edit: 'uid set on the source (only its own id)', apply: (j) => void (op(j, 'src').uid = 'words'), changed: ['src'] },
  { edit: 'kind changed (aggregate → dedup)', apply: (j) => void Object.assign(op(j, 'count'), { kind: 'dedup', config: {} }), changed: ['count', 'out'] },
];

describe('stable operator ids: a table of job edits', () => {
  const before = stableOperatorIds(base());
  it.each(EDITS)('$edit: ids change for [$changed] only', ({ apply, changed, renamed }) => {
    const job = base();
    apply(job);
    const after = stableOperatorIds(job);
    for (const name of ALL) {
      const was = before.get(name)?.stableId;
      const now = after.get(renamed?.[name] ?? name)?.stableId;
      if (changed.includes(name)) expect(now, `${name} should change`).not.toBe(was);
      else expect(now, `${name} should stay`).toBe(was);
    }
  });
});

describe('stable operator ids', () => {
  it('are 32 hex digits from the hash, or the uid itself', () => {
    const job = base();
    op(job, 'out').uid = 'sink-v2';
    const ids = stableOperatorIds(job);
    expect(ids.get('out')).toEqual({ stableId: 'sink-v2', source: 'uid' });
    const hashed = ids.get('count');
    expect(hashed?.source).toBe('hash');
    expect(hashed?.stableId).toMatch(new RegExp(`^[0-9a-f]{${STABLE_ID_HEX_DIGITS}}$`));
  });

  it('tell apart operators that would hash the same (siblings, twin sources), by their order', () => {
    const job = base();
    job.operators.push({ id: 'src2', kind: 'datagen', name: 'Source 2', parallelism: 2, config: { keys: 100 } });
    job.operators.push({ id: 'map2', kind: 'map', name: 'Double 2', parallelism: 2, config: { field: 'value', expr: 'value * 2' } });
    job.edges.push({ from: 'src', to: 'map2', partitioner: 'rebalance' });
    const ids = stableOperatorIds(job);
    const all = [...ids.values()].map((v) => v.stableId);
    expect(new Set(all).size).toBe(all.length);
    // The first of each group keeps the id it had alone.
    const alone = stableOperatorIds(base());
    expect(ids.get('src')?.stableId).toBe(alone.get('src')?.stableId);
    expect(ids.get('map')?.stableId).toBe(alone.get('map')?.stableId);
  });

  it('never give a hash that another operator holds as its uid', () => {
    const job = base();
    const taken = stableOperatorIds(job).get('map')?.stableId as string;
    job.operators.push({ id: 'pinned', kind: 'map', name: 'Pinned', uid: taken, parallelism: 1, config: { field: 'value', expr: 'value' } });
    job.edges.push({ from: 'src', to: 'pinned', partitioner: 'rebalance' });
    const ids = stableOperatorIds(job);
    expect(ids.get('pinned')?.stableId).toBe(taken);
    expect(ids.get('map')?.stableId).not.toBe(taken);
    expect(ids.get('map')?.stableId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('are the same for the same job, and computed for an invalid job (a cycle) without throwing', () => {
    expect(stableOperatorIds(base())).toEqual(stableOperatorIds(base()));
    const job = base();
    job.edges.push({ from: 'count', to: 'map', partitioner: 'rebalance' });
    expect(stableOperatorIds(job).size).toBe(4);
  });

  it('stableIdOf answers per operator, and the canvas id for an unknown one', () => {
    const job = base();
    expect(stableIdOf(job, 'count')).toBe(stableOperatorIds(job).get('count')?.stableId);
    expect(stableIdOf(job, 'nope')).toBe('nope');
  });
});
