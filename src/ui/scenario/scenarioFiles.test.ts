import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioIndex, readScenarioFile, scenarioStem } from './scenarioFiles';

describe('scenario gallery index', () => {
  it('keeps well-formed entries with safe file names only', () => {
    const entries = parseScenarioIndex([
      { file: 'ok.json', name: 'OK', description: 'fine' },
      { file: '../secret.json', name: 'Up', description: 'no' },
      { file: 'no-name.json', description: 'no' },
      'text',
    ]);
    expect(entries.map((e) => e.file)).toEqual(['ok.json']);
    expect(() => parseScenarioIndex({})).toThrow(/not a list/);
  });
  it('reads the shipped index', () => {
    const index = parseScenarioIndex(JSON.parse(readFileSync(new URL('../../../public/scenarios/index.json', import.meta.url), 'utf8')));
    expect(index.length).toBeGreaterThanOrEqual(8);
    expect(scenarioStem('region-failover.json')).toBe('region-failover');
  });
});

describe('importing a scenario file', () => {
  it('validates it and lists every problem with its JSON path', async () => {
    const text = JSON.stringify({ sluice: 'scenario/1', name: 'Bad', job: 'jobs/x.json', run: { durationMs: 0 }, timeline: [], expect: {} });
    const report = await readScenarioFile(new Blob([text]));
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => e.path)).toContain('$.run.durationMs');
  });
  it('refuses a file over the size limit without reading it', async () => {
    const big = { size: 3 * 1024 * 1024, text: () => Promise.reject(new Error('read')) } as unknown as Blob;
    expect((await readScenarioFile(big)).errors[0]).toMatchObject({ path: '$', code: 'scenario.tooLarge' });
  });
});
