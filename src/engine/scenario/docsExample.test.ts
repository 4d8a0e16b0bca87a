/**
 * docs/scenarios.md stays true: its worked example is a valid scenario that passes with the
 * figures the page quotes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LocalCluster } from '../cluster/LocalCluster';
import { nodeClock } from '../cluster/testing/nodeClock';
import { runScenario } from './runScenario';

const root = new URL('../../../', import.meta.url);
const page = readFileSync(new URL('docs/scenarios.md', root), 'utf8');
const loadJob = async (path: string): Promise<unknown> => JSON.parse(readFileSync(new URL(`public/${path}`, root), 'utf8'));

describe('docs/scenarios.md', () => {
  it('the worked example passes with the quoted ratio', async () => {
    const example = /```json\n([\s\S]*?)```/.exec(page)?.[1];
    const cluster = new LocalCluster({ clock: nodeClock });
    const result = await runScenario(JSON.parse(example ?? 'null'), cluster, { loadJob });
    await cluster.stop();
    expect(result.passed).toBe(true);
    const ratio = result.checks.find((c) => c.name.startsWith('throughputRatio'));
    expect(page).toContain(ratio?.actual);
  });
});
