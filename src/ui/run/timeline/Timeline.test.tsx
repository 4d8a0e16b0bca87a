// The timeline drawn from stubbed buffers (static markup in Node): a line per operator, a
// checkpoint bar per region with its status, focusable marks, and the readout and zoom controls.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TelemetryFrame } from '../../../engine/runtime/telemetry';
import { AppStoreContext, createAppStore } from '../../store/appStore';
import { checkpointsReport, checkpointStats, recovery, stragglerMetrics, vizJob } from '../viz/vizFixture';
import { Timeline } from './Timeline';
import { TimelineData } from './timelineModel';
import { tickLabel } from './TimelineChart';

const frame = (t: number, patch: Partial<TelemetryFrame> = {}): TelemetryFrame => ({
  status: { state: 'running', virtualTimeMs: t }, metrics: stragglerMetrics(t), events: [], outputs: {}, ...patch,
});

describe('Timeline', () => {
  it('draws lines, per-region checkpoint bars and focusable marks', () => {
    const timeline = new TimelineData(new Set(['out']));
    timeline.recordFrame(frame(1000));
    timeline.recordFrame(frame(2000, { events: [{ virtualTimeMs: 1500, kind: 'task-failed', message: 'Work #1 was killed', operatorId: 'work', subtask: 1 }] }));
    timeline.recordFrame(frame(3000, {
      recoveries: [recovery({ virtualTimeMs: 1500, resumedMs: 2500 })],
      checkpoints: checkpointsReport([
        checkpointStats(1, { triggerMs: 500, endMs: 700, regions: [{ region: 1, status: 'acknowledged', snapshotId: 1 }, { region: 2, status: 'failed', snapshotId: 0 }] }),
      ]),
    }));
    const store = createAppStore();
    store.setState({ runActive: true, runJob: vizJob(), runTimeline: timeline, runTimelineVersion: 3 });
    Object.assign(store, { getInitialState: store.getState });
    const html = renderToStaticMarkup(createElement(AppStoreContext.Provider, { value: store }, createElement(Timeline)));
    for (const op of ['src', 'work', 'out']) expect(html).toContain(`data-testid="timeline-line-${op}"`);
    expect(html).toContain('data-testid="timeline-checkpoint-1-r1" data-region-status="acknowledged"');
    expect(html).toContain('data-testid="timeline-checkpoint-1-r2" data-region-status="failed"');
    expect(html).toMatch(/data-testid="timeline-mark-m\d+" data-kind="failure"/);
    expect(html).toMatch(/data-testid="timeline-mark-m\d+" data-kind="recovery"/);
    expect((html.match(/role="button" tabindex="0"/g) ?? []).length).toBe(3);
    expect(html).toContain('data-testid="timeline-readout"');
    expect(html).toContain('00:03.000 · Source');
    for (const id of ['timeline-zoom-in', 'timeline-zoom-out', 'timeline-zoom-reset', 'timeline-toggle']) expect(html).toContain(`data-testid="${id}"`);
  });

  it('labels ticks by the span shown', () => {
    expect(tickLabel(12_500, 60_000)).toBe('00:12');
    expect(tickLabel(12_500, 8_000)).toBe('00:12.5');
    expect(tickLabel(12_250, 1_000)).toBe('00:12.250');
  });
});
