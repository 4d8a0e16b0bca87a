import { describe, expect, it } from 'vitest';
import { parseJobText } from './parseJob';
import { canonicalJob, serializeJob } from './serialize';
import { baseJob } from './testing/baseJob';
import type { JobGraph } from './types';

describe('serializeJob', () => {
  it('writes keys in canonical order, whatever order they came in', () => {
    const job = baseJob();
    const scrambled = JSON.parse(JSON.stringify({
      layout: { out: job.layout?.out, src: { y: 0, x: 0 } },
      edges: [{ key: 'key', partitioner: 'hash', to: 'b', from: 'a' }],
      operators: [{ config: { expr: 'v', field: 'f' }, parallelism: 2, name: 'N', kind: 'map', id: 'src', maxParallelism: 8, uid: 'u' }],
      maxParallelismFormula: 'flink', description: 'd', name: 'n', sluice: 'job/1',
    })) as JobGraph;
    const text = serializeJob(scrambled);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['sluice', 'name', 'description', 'maxParallelismFormula', 'operators', 'edges', 'layout']);
    const parsed = JSON.parse(text) as JobGraph;
    expect(Object.keys(parsed.operators[0] as object)).toEqual(['id', 'kind', 'name', 'uid', 'parallelism', 'maxParallelism', 'config']);
    expect(Object.keys(parsed.operators[0]?.config as object)).toEqual(['field', 'expr']);
    expect(Object.keys(parsed.edges[0] as object)).toEqual(['from', 'to', 'partitioner', 'key']);
    expect(Object.keys(parsed.layout as object)).toEqual(['src', 'out']);
    expect(Object.keys(parsed.layout?.src as object)).toEqual(['x', 'y']);
  });

  it('uses two-space indentation and ends with a newline', () => {
    const text = serializeJob(baseJob());
    expect(text.startsWith('{\n  "sluice": "job/1",\n  "name": "Base job",\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('}\n\n')).toBe(false);
  });

  it('omits undefined fields', () => {
    const job: JobGraph = {
      sluice: 'job/1', name: 'n', description: undefined, maxParallelismFormula: undefined,
      operators: [{ id: 'a', kind: 'sequence', name: 'A', parallelism: 1, uid: undefined, maxParallelism: undefined, config: undefined }],
      edges: [], layout: undefined,
    };
    expect(serializeJob(job)).toBe([
      '{', '  "sluice": "job/1",', '  "name": "n",', '  "operators": [', '    {', '      "id": "a",', '      "kind": "sequence",',
      '      "name": "A",', '      "parallelism": 1', '    }', '  ],', '  "edges": []', '}', '',
    ].join('\n'));
  });

  it('keeps settings a draft has outside the catalogue, after the known ones, so import reports them', () => {
    const job = baseJob();
    (job.operators[2] as { config: Record<string, unknown> }).config = { zeta: 1, expr: 'x', alpha: 2 };
    const text = serializeJob(job);
    expect(Object.keys((JSON.parse(text) as JobGraph).operators[2]?.config as object)).toEqual(['expr', 'alpha', 'zeta']);
    expect(parseJobText(text).errors.map((e) => e.path)).toEqual(['$.operators[2].config.alpha', '$.operators[2].config.zeta']);
  });

  it('never copies a forbidden key', () => {
    const job = baseJob();
    Object.defineProperty(job.operators[0]?.config, '__proto__', { value: { polluted: true }, enumerable: true });
    Object.defineProperty(job.layout, 'constructor', { value: { x: 1, y: 1 }, enumerable: true });
    const text = serializeJob(job);
    expect(text).not.toContain('__proto__');
    expect(text).not.toContain('constructor');
  });

  it('is idempotent: canonical text re-serialises to itself', () => {
    const once = serializeJob(baseJob());
    expect(serializeJob(JSON.parse(once) as JobGraph)).toBe(once);
    expect(canonicalJob(JSON.parse(once) as JobGraph)).toEqual(baseJob());
  });

  it('round-trips awkward text and numbers exactly', () => {
    const job = baseJob();
    job.name = 'quotes " \\ / tab\t nl\n emoji 🚰 lone \ud800 nul \u0000 <script>';
    (job.layout as Record<string, { x: number; y: number }>).src = { x: 0.1 + 0.2, y: -1e-7 };
    const text = serializeJob(job);
    const report = parseJobText(text);
    expect(report.errors).toEqual([]);
    expect(report.job?.name).toBe(job.name);
    expect(report.job?.layout?.src).toEqual({ x: 0.30000000000000004, y: -1e-7 });
    expect(serializeJob(report.job as JobGraph)).toBe(text);
  });
});
