// The result and the timeline rendered as static markup: every check with its pass/fail, expected
// and actual, the seed and the replay line; marks in their states and the playhead.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Scenario, ScenarioResult } from '../../engine/scenario';
import { ScenarioResults } from './ScenarioResults';
import { ScenarioTimeline } from './ScenarioTimeline';

const failed: ScenarioResult = {
  scenario: 'S', passed: false, seed: 9, traceHash: 'abcdef0123456789', virtualTimeMs: 6000, state: 'paused', actions: [],
  checks: [
    { name: 'timeline', passed: true, expected: 'all 1 entries applied', actual: 'all 1 applied' },
    { name: 'source keeps its speed', passed: false, expected: 'ratio ≥ 0.9', actual: 'ratio 0.3 (<b>2400</b> records/s after, 8000 before)' },
  ],
  failedCheck: { name: 'source keeps its speed', expected: 'ratio ≥ 0.9', actual: 'ratio 0.3', seed: 9, scenario: 'S', replay: 'Replay: … seed 9 …' },
};

describe('ScenarioResults', () => {
  it('shows each check with expected and actual (as text), the seed and the replay line', () => {
    const html = renderToStaticMarkup(createElement(ScenarioResults, { result: failed }));
    expect(html).toContain('data-testid="scenario-result" data-passed="false"');
    expect(html).toContain('data-testid="scenario-check-timeline" data-passed="true"');
    expect(html).toContain('data-testid="scenario-check-source keeps its speed" data-passed="false"');
    expect(html).toContain('ratio ≥ 0.9');
    expect(html).toContain('&lt;b&gt;2400&lt;/b&gt;');
    expect(html).toContain('1 of 2 checks passed');
    expect(html).toMatch(/data-testid="scenario-result-seed">9</);
    expect(html).toContain('data-testid="scenario-replay"');
  });
});

describe('ScenarioTimeline', () => {
  it('draws a mark per entry in its state and the playhead at the virtual time reached', () => {
    const scenario = {
      sluice: 'scenario/1', name: 'S', job: 'jobs/x.json', run: { durationMs: 1000 }, expect: {},
      timeline: [{ atMs: 0, do: 'note', text: 'a' }, { atMs: 500, do: 'kill-task', operator: 'w', subtask: 0, text: 'b' }, { atMs: 900, do: 'trigger-checkpoint' }],
    } as Scenario;
    const html = renderToStaticMarkup(createElement(ScenarioTimeline, {
      scenario, virtualMs: 500, current: 1,
      outcomes: [{ index: 0, atMs: 0, do: 'note', applied: true }],
    }));
    expect(html).toContain('data-testid="scenario-mark-0" data-state="applied"');
    expect(html).toContain('data-testid="scenario-mark-1" data-state="current"');
    expect(html).toContain('data-testid="scenario-mark-2" data-state="pending"');
    expect(html).toContain('data-testid="scenario-playhead" data-virtual-ms="500"');
  });
});
