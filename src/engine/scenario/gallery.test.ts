/**
 * The scenario gallery (public/scenarios/) in Node: every file listed in index.json is a valid
 * scenario whose references exist, is narrated, has expectations, and passes on the
 * in-process cluster, with the same result and trace hash when run twice.
 *
 * A scenario that needs an engine feature this build lacks is listed in `NEEDS` with the
 * feature; its test then asserts that it does NOT pass yet, naming the failing check. So it
 * can never pass silently, and the day the feature lands the test goes red and asks for the
 * entry to be removed (the scenario then runs like the others).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
// The gallery must pass on the cluster the workers host, so the test builds that ClusterApi in-process.
// eslint-disable-next-line no-restricted-imports
import { createLocalClusterApi } from '../../workers/localClusterApi';
import { nodeClock } from '../cluster/testing/nodeClock';
import type { ScenarioCluster, ScenarioResult } from './ports';
import { runScenario } from './runScenario';
import { validateScenario } from './validateScenario';

const root = new URL('../../../public/', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const loadJob = async (path: string): Promise<unknown> => read(path);

interface GalleryEntry { file: string; name: string; description: string }
const index = read('scenarios/index.json') as GalleryEntry[];

/** Scenarios that need an engine feature this build does not have yet: file → the feature. */
const NEEDS: Readonly<Record<string, string>> = {
};

const clusters: ScenarioCluster[] = [];
function cluster(): ScenarioCluster {
  const api: ScenarioCluster = createLocalClusterApi({ clock: nodeClock });
  clusters.push(api);
  return api;
}
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.stop();
});

function report(result: ScenarioResult): string {
  return result.checks.map((c) => `${c.passed ? '✓' : '✗'} ${c.name}: expected ${c.expected}, actual ${c.actual}`).join('\n') +
    `\nseed ${result.seed}, trace ${result.traceHash}`;
}

describe('scenario gallery', () => {
  it('index.json lists every scenario file once, each with a one-line description', () => {
    const files = readdirSync(new URL('scenarios/', root)).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
    expect(index.map((e) => e.file).sort()).toEqual(files);
    for (const entry of index) {
      expect(entry.name.length, entry.file).toBeGreaterThan(0);
      expect(entry.description, entry.file).toMatch(/^[^\n]{20,160}$/);
    }
  });

  for (const entry of index) {
    describe(entry.file, () => {
      const doc = read(`scenarios/${entry.file}`);

      it('is a valid, narrated scenario with expectations, named as in the index', () => {
        const checked = validateScenario(doc);
        expect(checked.errors).toEqual([]);
        const scenario = checked.scenario;
        expect(scenario?.name).toBe(entry.name);
        expect(scenario?.description).toBeTruthy();
        expect(scenario?.timeline.filter((e) => e.text !== undefined).length).toBeGreaterThanOrEqual(3);
        expect(Object.keys(scenario?.expect ?? {}).length).toBeGreaterThan(0);
      });

      const needs = NEEDS[entry.file];
      if (needs === undefined) {
        it('passes every check, deterministically', async () => {
          const options = { loadJob, baselineCluster: cluster };
          const result = await runScenario(doc, cluster(), options);
          expect(result.passed, report(result)).toBe(true);
          const again = await runScenario(doc, cluster(), options);
          expect(again.traceHash).toBe(result.traceHash);
          expect(again.checks).toEqual(result.checks);
        }, 60_000);
      } else {
        it(`does not pass yet: needs ${needs} (remove it from NEEDS once the engine has it)`, async () => {
          const result = await runScenario(doc, cluster(), { loadJob, baselineCluster: cluster });
          expect(result.passed, `${entry.file} passes now: remove it from NEEDS.\n${report(result)}`).toBe(false);
        }, 60_000);
      }
    });
  }
});
