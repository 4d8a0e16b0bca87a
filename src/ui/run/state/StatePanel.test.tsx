// The State panel rendered from a stubbed store (static markup in Node): empty states, the heat
// map's cells and bands, binning for a large max parallelism, backend figures of both kinds.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../../engine';
import type { MetricsSnapshot, StateMetrics } from '../../../engine/runtime/telemetry';
import { AppStoreContext, createAppStore } from '../../store/appStore';
import { operatorStateFixture, stateMetricsFixture } from './stateFixture';
import { StatePanel } from './StatePanel';

const job = (kinds: Record<string, string>): JobGraph => ({
  sluice: 'job/1',
  name: 'test',
  operators: Object.entries(kinds).map(([id, kind]) => ({ id, kind, name: id.toUpperCase(), parallelism: 2 })),
  edges: [],
}) as unknown as JobGraph;

function render(runJob: JobGraph | null, state?: StateMetrics): string {
  const store = createAppStore();
  const metrics: MetricsSnapshot = { virtualTimeMs: 1000, operators: [], subtasks: [], channels: [], taskManagers: [], ...(state ? { state } : {}) };
  store.setState({ runActive: true, runJob, runMetrics: runJob ? metrics : null });
  // Server rendering reads zustand's initial state; let it read the stubbed one.
  Object.assign(store, { getInitialState: store.getState });
  return renderToStaticMarkup(createElement(AppStoreContext.Provider, { value: store }, createElement(StatePanel, {
    lookup: () => Promise.reject(new Error('not in this test')),
  })));
}

const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;

describe('StatePanel', () => {
  it('says when there is no run yet, and always shows the storage answer', () => {
    const html = render(null);
    expect(html).toContain('data-testid="state-panel"');
    expect(html).toContain('No run yet');
    expect(html).toContain('data-testid="state-persistence"');
  });

  it('says when the job has no keyed operator', () => {
    const html = render(job({ src: 'datagen', out: 'collect' }));
    expect(html).toContain('data-reason="not-keyed"');
    expect(html).not.toContain('state-heatmap');
  });

  it('waits for the first state figures of a keyed job', () => {
    const html = render(job({ src: 'datagen', count: 'aggregate' }));
    expect(html).toContain('data-testid="state-heatmap-empty"');
    expect(html).toContain('data-testid="state-lookup-input"');
  });

  it('draws a cell per key group grouped by subtask, with totals and IndexedDB figures', () => {
    const op = operatorStateFixture('count', 128, 4);
    const html = render(job({ src: 'datagen', count: 'aggregate', dedup: 'dedup' }), stateMetricsFixture('idb', [op]));
    expect(count(html, /data-testid="state-kg-\d+"/g)).toBe(128);
    expect(count(html, /data-testid="state-subtask-\d+"/g)).toBe(4);
    expect(html).toContain('data-testid="state-kg-127"');
    const rows = op.subtasks[2]?.totalEntries;
    expect(html).toContain(`data-testid="state-subtask-row-2" data-entries="${rows}"`);
    for (const name of ['hit-ratio', 'bloom-negatives', 'idb-transactions-rate', 'idb-rows-rate', 'mean-batch', 'flush-causes', 'cache-fill', 'unflushed']) {
      expect(html).toContain(`data-testid="state-figure-${name}"`);
    }
    expect(html).toContain('data-testid="state-figure-hit-ratio" data-value="0.9"');
    expect(html).toContain('data-testid="state-figure-mean-batch" data-value="250"');
    expect(html).toContain('data-testid="state-figure-per-taskmanager"');
    expect(html).toContain('<option value="dedup">DEDUP</option>');
  });

  it('bins 32,768 key groups into about a thousand cells, never across subtasks', () => {
    const op = operatorStateFixture('count', 32_768, 3, 101);
    const html = render(job({ count: 'aggregate' }), stateMetricsFixture('idb', [op]));
    expect(html).toContain('data-binned="true"');
    expect(html).toContain('data-bin-size="32"');
    expect(count(html, /data-testid="state-kg-\d+"/g)).toBe(0);
    expect(count(html, /class="heatmap__cell/g)).toBeLessThanOrEqual(1027);
    expect(count(html, /data-testid="state-subtask-\d+"/g)).toBe(3);
  });

  it('says plainly that the memory backend has no cache, Bloom filter or IndexedDB', () => {
    const html = render(job({ count: 'aggregate' }), stateMetricsFixture('memory', [operatorStateFixture('count', 8, 2)]));
    expect(html).toContain('In-memory backend: no cache, Bloom filter or IndexedDB');
    expect(html).not.toContain('state-figure-hit-ratio');
  });
});
