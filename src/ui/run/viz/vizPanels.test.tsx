// The viz panels rendered from a stubbed store (static markup in Node): the Checkpoints panel's
// empty state, history, regions and expanded subtasks; the Faults panel's controls and log;
// the straggler view's per-receiver rows.
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { indexMetrics } from '../../model/runMetrics';
import { AppStoreContext, createAppStore } from '../../store/appStore';
import type { AppState } from '../../store/types';
import { CheckpointsPanel } from '../checkpoints/CheckpointsPanel';
import { FaultsPanel } from '../faults/FaultsPanel';
import { ChannelsPanel } from './ChannelsPanel';
import { checkpointsReport, checkpointStats, stragglerMetrics, vizJob } from './vizFixture';
import { cellFlags } from './vizSelectors';

function render(panel: ComponentType, patch: Partial<AppState>): string {
  const store = createAppStore();
  const metrics = stragglerMetrics();
  store.setState({ runActive: true, runJob: vizJob(), runMetrics: metrics, runIndex: indexMetrics(metrics, null), runStatus: { state: 'running', virtualTimeMs: 5000 }, ...patch });
  Object.assign(store, { getInitialState: store.getState });
  return renderToStaticMarkup(createElement(AppStoreContext.Provider, { value: store }, createElement(panel)));
}

describe('CheckpointsPanel', () => {
  it('has an empty state and a trigger button', () => {
    const html = render(CheckpointsPanel, {});
    expect(html).toContain('data-testid="checkpoints-empty"');
    expect(html).toContain('data-testid="checkpoint-trigger"');
  });

  it('lists the history newest first with acked/total, regions and sizes; a focused one expands', () => {
    const failed = checkpointStats(2, { status: 'failed', regions: [{ region: 1, status: 'failed', snapshotId: 1 }], failure: { reason: 'declined', message: 'fail-checkpoint fault' } });
    const report = checkpointsReport([checkpointStats(1), failed, checkpointStats(3, { status: 'in-progress', acknowledged: 3, endMs: undefined, durationMs: undefined })]);
    const html = render(CheckpointsPanel, { runCheckpoints: report, runFocus: { kind: 'checkpoint', id: 1 } });
    expect(html.indexOf('checkpoint-row-3')).toBeLessThan(html.indexOf('checkpoint-row-1'));
    expect(html).toContain('data-testid="checkpoint-acked-3">3/7');
    expect(html).toContain('data-testid="checkpoint-region-2-1" data-status="failed"');
    expect(html).toContain('↺ fell back to 1');
    expect(html).toContain('data-testid="checkpoint-summary"');
    expect(html).toContain('is-focused');
  });
});

describe('FaultsPanel', () => {
  it('offers every fault from the keyboard and logs refusals with their message', () => {
    const html = render(FaultsPanel, {
      runFaults: [
        { id: 1, virtualTimeMs: 1000, fault: { kind: 'kill-task', operator: 'work', subtask: 1 }, label: 'Kill Work #1', outcome: 'applied' },
        { id: 2, virtualTimeMs: 2000, fault: { kind: 'kill-taskmanager', taskManager: 5 }, label: 'Kill TaskManager 5', outcome: 'refused', message: 'No TaskManager 5.' },
      ],
    });
    for (const id of ['fault-operator', 'fault-subtask', 'fault-kill-task', 'fault-slow-task', 'fault-restore-speed', 'fault-kill-tm-0', 'fault-kill-tm-1', 'fault-region', 'fault-fail-checkpoint']) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('data-outcome="refused"');
    expect(html).toContain('refused: No TaskManager 5.');
  });
});

describe('ChannelsPanel', () => {
  it('shows throughput and backlog per receiver of each rebalance edge, and the selection switch', () => {
    const html = render(ChannelsPanel, {});
    expect(html).toContain('data-testid="channels-src-work"');
    expect(html).toContain('data-testid="channel-row-src-work-1" data-rate="60" data-backlog="20"');
    expect(html).toContain('data-testid="channel-selection-backlog"');
    expect(html).toContain('×10 slow');
  });
});

describe('cellFlags', () => {
  it('marks the origin, the acked subtasks and those still waiting for their barriers', () => {
    const store = createAppStore();
    const metrics = stragglerMetrics();
    const ack = (operatorId: string, index: number) => ({ operatorId, index, ackMs: 1, syncMs: 0, asyncMs: 0, alignmentMs: 0, stateSize: 0, changedSize: 0 });
    const flying = checkpointStats(3, { status: 'in-progress', subtasks: [ack('src', 0), ack('src', 1), ack('work', 0)] });
    store.setState({ runActive: true, runJob: vizJob(), runMetrics: metrics, runIndex: indexMetrics(metrics, null), runCheckpoints: checkpointsReport([flying]) });
    expect(cellFlags(store.getState(), 'work', 4)).toBe('a|ow|w|w');
    expect(cellFlags(store.getState(), 'src', 2)).toBe('a|a');
    expect(cellFlags(store.getState(), 'out', 1)).toBe('');
  });
});
