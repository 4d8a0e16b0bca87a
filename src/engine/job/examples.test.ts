/**
 * The example gallery (public/jobs): every example validates, is stored in canonical form,
 * and index.json lists exactly the example files, word count first (the app opens it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../expr/parse';
import { divideRegions } from '../plan/regions';
import { CATALOGUE } from './catalogue';
import { parseJobText } from './parseJob';
import { serializeJob } from './serialize';
import type { JobGraph } from './types';

const JOBS_DIR = fileURLToPath(new URL('../../../public/jobs/', import.meta.url));

interface IndexEntry { file: string; name: string; description: string }

function read(file: string): string {
  return readFileSync(`${JOBS_DIR}${file}`, 'utf8');
}

function load(file: string): JobGraph {
  const report = parseJobText(read(file));
  expect(report.errors, file).toEqual([]);
  return report.job as JobGraph;
}

const index = JSON.parse(read('index.json')) as IndexEntry[];
const files = readdirSync(JOBS_DIR).filter((file) => file.endsWith('.json') && file !== 'index.json').sort();

describe('public/jobs/index.json', () => {
  it('lists every example file exactly once, word count first', () => {
    expect(index.map((entry) => entry.file).sort()).toEqual(files);
    expect(new Set(index.map((entry) => entry.file)).size).toBe(index.length);
    expect(index[0]?.file).toBe('word-count.json');
    for (const required of ['word-count.json', 'click-sessions.json', 'dedup-ttl.json', 'parallel-pipeline.json', 'straggler-rebalance.json']) {
      expect(files).toContain(required);
    }
  });

  it.each(index)('$file: name matches, description is the first sentence of the job\'s', (entry) => {
    expect(Object.keys(entry)).toEqual(['file', 'name', 'description']);
    const job = load(entry.file);
    expect(entry.name).toBe(job.name);
    expect(job.description?.startsWith(entry.description.slice(0, -1))).toBe(true);
  });
});

describe.each(files)('example %s', (file) => {
  it('validates and is stored in canonical form', () => {
    const text = read(file);
    expect(serializeJob(load(file))).toBe(text);
  });

  it('has a description and a left-to-right layout for every operator', () => {
    const job = load(file);
    expect(job.description?.length).toBeGreaterThan(40);
    const layout = job.layout ?? {};
    expect(Object.keys(layout)).toEqual(job.operators.map((op) => op.id));
    for (const edge of job.edges) {
      expect((layout[edge.to]?.x ?? 0) - (layout[edge.from]?.x ?? 0), `${edge.from}->${edge.to}`).toBe(320);
    }
  });

  it('uses only expressions that parse', () => {
    const job = load(file);
    for (const op of job.operators) {
      for (const field of CATALOGUE[op.kind].fields) {
        const value = op.config?.[field.name];
        if (field.type === 'expression' && typeof value === 'string') expect(parseExpression(value).ok).toBe(true);
      }
    }
  });
});

describe('what each example is for', () => {
  function kinds(job: JobGraph): string[] {
    return job.operators.map((op) => op.kind);
  }

  it('word count: zipf datagen → hash by key → count → collect', () => {
    const job = load('word-count.json');
    expect(job.operators[0]?.config?.distribution).toBe('zipf');
    expect(job.edges.find((e) => e.to === 'count')).toMatchObject({ partitioner: 'hash', key: 'key' });
    expect(job.operators.find((op) => op.id === 'count')?.config?.fn).toBe('count');
    expect(kinds(job)).toContain('collect');
  });

  it('click sessions: event-time datagen → hash → session window count → collect', () => {
    const job = load('click-sessions.json');
    expect(job.operators[0]?.config?.eventTime).toBe(true);
    expect(job.operators[1]?.config).toMatchObject({ type: 'session', fn: 'count' });
    expect(job.edges[0]?.partitioner).toBe('hash');
  });

  it('dedup: datagen → hash → dedup with a TTL → collect', () => {
    const job = load('dedup-ttl.json');
    expect(kinds(job)).toEqual(['datagen', 'dedup', 'collect']);
    expect(job.operators[1]?.config?.ttlMs).toBeGreaterThan(0);
  });

  it('parallel pipeline: forward edges at parallelism 4 give 4 regions', () => {
    const job = load('parallel-pipeline.json');
    expect(job.operators.every((op) => op.parallelism === 4)).toBe(true);
    expect(job.edges.every((edge) => edge.partitioner === 'forward')).toBe(true);
    expect(divideRegions(job)).toHaveLength(4);
  });

  it('straggler: datagen → rebalance → map at parallelism 4 → collect', () => {
    const job = load('straggler-rebalance.json');
    expect(kinds(job)).toEqual(['datagen', 'map', 'collect']);
    expect(job.edges[0]?.partitioner).toBe('rebalance');
    expect(job.operators[1]?.parallelism).toBe(4);
    expect(divideRegions(job)).toHaveLength(1);
  });

  it('shared committer: two pipelines into one region-sharable sink keep four regions, the sink in each', () => {
    const job = load('shared-committer.json');
    const regions = divideRegions(job);
    expect(regions).toHaveLength(4);
    expect(regions.every((r) => r.subtasks.some((s) => s.operatorId === 'commit' && s.sharedBy?.length === 4))).toBe(true);
  });
});
