/**
 * The id ↔ name mapping of an edited job's restore (restoreEditedMapping.ts, restoreEdited.ts):
 * every outcome, the refusals and the consents.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { stableOperatorIds } from '../plan/operatorIds';
import { isEditedJob, previewEditedRestore } from './restoreEdited';
import { mapOperators, type EditedOperatorFacts, type SavedOperatorFacts } from './restoreEditedMapping';

function job(): JobGraph {
  return {
    sluice: 'job/1',
    name: 'Mapping',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Words', parallelism: 2, config: { keys: 50 } },
      { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 2, config: { fn: 'count' } },
      { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
    ],
    edges: [
      { from: 'src', to: 'count', partitioner: 'hash', key: 'key' },
      { from: 'count', to: 'out', partitioner: 'rebalance' },
    ],
  };
}

const outcomes = (saved: JobGraph, edited: JobGraph) =>
  previewEditedRestore({ job: saved }, edited).rows.map((r) => [r.operatorId ?? r.savedOperatorId, r.outcome]);

describe('restore mapping of an edited job', () => {
  it('matches every operator by id after a parallelism change and a new downstream operator; the rescaled ones say so', () => {
    const edited = job();
    (edited.operators[1] as { parallelism: number }).parallelism = 4;
    edited.operators.push({ id: 'log', kind: 'log', name: 'Log', parallelism: 1 });
    edited.edges.push({ from: 'count', to: 'log', partitioner: 'rebalance' });
    const mapping = previewEditedRestore({ job: job() }, edited);
    expect(mapping.rows.map((r) => [r.operatorId, r.outcome])).toEqual([['src', 'matched'], ['count', 'matched'], ['out', 'matched'], ['log', 'new']]);
    expect(mapping.rows[1]?.rescaled).toEqual({ from: 2, to: 4 });
    expect(mapping).toMatchObject({ refusals: [], needsNameConsent: false, needsDropConsent: false });
  });

  it('matches a renamed canvas id by id', () => {
    const edited = job();
    (edited.operators[1] as { id: string }).id = 'counter';
    edited.edges = [{ from: 'src', to: 'counter', partitioner: 'hash', key: 'key' }, { from: 'counter', to: 'out', partitioner: 'rebalance' }];
    const row = previewEditedRestore({ job: job() }, edited).rows.find((r) => r.operatorId === 'counter');
    expect(row).toMatchObject({ outcome: 'matched', savedOperatorId: 'count' });
  });

  it('proposes a changed operator by its unique name (consent needed); other kinds under the same name are new', () => {
    const edited = job();
    (edited.operators[1] as { config: object }).config = { fn: 'sum', field: 'value' };
    const mapping = previewEditedRestore({ job: job() }, edited);
    const row = mapping.rows.find((r) => r.operatorId === 'count');
    const savedId = stableOperatorIds(job()).get('count')?.stableId;
    expect(row).toMatchObject({ outcome: 'by-name', savedStableId: savedId, savedHasState: true });
    expect(row?.stableId).not.toBe(savedId);
    expect(mapping.needsNameConsent).toBe(true);

    const otherKind = job();
    Object.assign(otherKind.operators[1] as object, { kind: 'dedup', config: {} });
    const kinds = previewEditedRestore({ job: job() }, otherKind);
    expect(kinds.rows.find((r) => r.operatorId === 'count')).toMatchObject({ outcome: 'new', note: expect.stringContaining('aggregate') });
    expect(kinds.rows.find((r) => r.savedOperatorId === 'count' && r.outcome === 'dropped')).toBeDefined();
    expect(kinds.needsDropConsent).toBe(true);
  });

  it('refuses ambiguous names, saying which and what to do', () => {
    const saved = job();
    saved.operators.push({ id: 'count2', kind: 'aggregate', name: 'Count', parallelism: 2, config: { fn: 'max', field: 'value' } });
    saved.edges.push({ from: 'src', to: 'count2', partitioner: 'hash', key: 'key' });
    const edited = structuredClone(saved);
    (edited.operators[1] as { config: object }).config = { fn: 'sum', field: 'value' };
    (edited.operators[3] as { config: object }).config = { fn: 'min', field: 'value' };
    const mapping = previewEditedRestore({ job: saved }, edited);
    expect(outcomes(saved, edited)).toEqual([
      ['src', 'matched'], ['count', 'ambiguous'], ['out', 'matched'], ['count2', 'ambiguous'], ['count', 'dropped'], ['count2', 'dropped'],
    ]);
    expect(mapping.refusals.map((r) => r.code)).toEqual(['restore.ambiguousName', 'restore.ambiguousName']);
    expect(mapping.refusals[0]?.message).toMatch(/"Count" is used by more than one operator in the saved run.*distinct names.*uid of count/);
  });

  it('drops saved operators no one takes; stateless ones need no consent', () => {
    const saved = job();
    saved.operators.splice(1, 0, { id: 'up', kind: 'map', name: 'Upper', parallelism: 2, config: { field: 'key', expr: 'upper(key)' } });
    saved.edges = [
      { from: 'src', to: 'up', partitioner: 'forward' }, { from: 'up', to: 'count', partitioner: 'hash', key: 'key' },
      { from: 'count', to: 'out', partitioner: 'rebalance' },
    ];
    // The map goes: count's input changes, so count's id changes too; its unique name carries it.
    const mapping = previewEditedRestore({ job: saved }, job());
    expect(mapping.rows.map((r) => [r.operatorId ?? r.savedOperatorId, r.outcome])).toEqual([
      ['src', 'matched'], ['count', 'by-name'], ['out', 'by-name'], ['up', 'dropped'],
    ]);
    expect(mapping.needsDropConsent).toBe(false);
  });

  it('refuses a keyed operator whose max parallelism was set to another value, a collect sink at another parallelism, and a kind change behind a uid', () => {
    const s = (o: Partial<SavedOperatorFacts>): SavedOperatorFacts => ({ planId: 'a', stableId: 'x', name: 'A', kind: 'aggregate', parallelism: 2, maxParallelism: 1024, ...o });
    const e = (o: Partial<EditedOperatorFacts>): EditedOperatorFacts => ({ planId: 'a', stableId: 'x', name: 'A', kind: 'aggregate', parallelism: 2, maxParallelism: 1024, maxParallelismSet: false, ...o });
    expect(mapOperators([s({})], [e({ maxParallelism: 128, maxParallelismSet: true })]).refusals[0]?.code).toBe('restore.maxParallelismChanged');
    expect(mapOperators([s({})], [e({ maxParallelism: 128 })]).refusals).toEqual([]);
    expect(mapOperators([s({ maxParallelism: 4 })], [e({ parallelism: 8 })]).refusals[0]?.code).toBe('restore.aboveMaxParallelism');
    expect(mapOperators([s({ kind: 'collect', parallelism: 1 })], [e({ kind: 'collect', parallelism: 2 })]).refusals[0]?.code).toBe('restore.collectSinkParallelism');
    expect(mapOperators([s({ kind: 'dedup' })], [e({})]).refusals[0]?.code).toBe('restore.kindChanged');
  });
});

describe('isEditedJob', () => {
  it('sees edits a run depends on, not layout, description or defaults spelled out', () => {
    const same = { ...job(), description: 'words', layout: { src: { x: 1, y: 2 } } };
    (same.operators[1] as { config: object }).config = { fn: 'count', field: 'value' };
    (same.operators[1] as { maxParallelism?: number }).maxParallelism = 1024;
    expect(isEditedJob(job(), same)).toBe(false);
    const edited = job();
    (edited.operators[1] as { parallelism: number }).parallelism = 3;
    expect(isEditedJob(job(), edited)).toBe(true);
    const renamed = job();
    (renamed.operators[2] as { name: string }).name = 'Sink';
    expect(isEditedJob(job(), renamed)).toBe(true);
  });
});
