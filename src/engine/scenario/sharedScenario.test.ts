/**
 * The shared-committer scenario (public/scenarios/shared-committer.json) bites: with a committer
 * that commits every region on any completion (failed regions included), its exactly-once check
 * fails, while the honest committer passes every check (gallery.test.ts).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalCluster } from '../cluster/LocalCluster';
import { nodeClock } from '../cluster/testing/nodeClock';
import { CollectSink } from '../operators/collectSink';
import type { ScenarioCluster } from './ports';
import { runScenario } from './runScenario';

const doc: unknown = JSON.parse(readFileSync(new URL('../../../public/scenarios/shared-committer.json', import.meta.url), 'utf8'));
const clusters: LocalCluster[] = [];
const cluster = (): ScenarioCluster => {
  const c = new LocalCluster({ clock: nodeClock });
  clusters.push(c);
  return c as unknown as ScenarioCluster;
};
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.stop();
});

describe('shared-committer scenario', () => {
  it('passes with the honest committer and catches one that commits failed regions too', async () => {
    const honest = await runScenario(doc, cluster(), { baselineCluster: cluster });
    expect(honest.passed, honest.checks.filter((c) => !c.passed).map((c) => c.name).join(', ')).toBe(true);
    const commitRegions = CollectSink.prototype.commitRegions;
    CollectSink.prototype.commitRegions = function commitEverything(this: CollectSink, regions) {
      const newest = Math.max(...regions.map((r) => r.snapshotId));
      commitRegions.call(this, regions.map((r) => ({ region: r.region, snapshotId: newest })));
    };
    try {
      const broken = await runScenario(doc, cluster(), { baselineCluster: cluster });
      expect(broken.passed).toBe(false);
      expect(broken.checks.filter((c) => !c.passed).map((c) => c.name)).toContain('exactlyOnce');
    } finally {
      CollectSink.prototype.commitRegions = commitRegions;
    }
  }, 60_000);
});
