import { describe, expect, it, vi } from 'vitest';
import type { JobGraph } from '../../engine/job/types';
import { serializeJob } from '../../engine/job/serialize';
import { MAX_JOB_BYTES } from './jobLimits';
import { jobDownload, jobFileName, readJobFile, slugify } from './jobFile';

const job: JobGraph = {
  sluice: 'job/1',
  name: 'Word count',
  operators: [
    { id: 'words', kind: 'datagen', name: 'Words', parallelism: 2 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [{ from: 'words', to: 'out', partitioner: 'rebalance' }],
};

describe('job file names', () => {
  it.each([
    ['Word count', 'word-count'],
    ['  Word   count (v2)!  ', 'word-count-v2'],
    ['Crème brûlée über Straße', 'creme-brulee-uber-strasse'],
    ['../../etc/passwd', 'etc-passwd'],
    ['CON', 'con'],
    ['日本語', 'job'],
    ['', 'job'],
    ['---', 'job'],
  ])('slugs %j as %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('keeps slugs short and without a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(59)} tail`);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toBe('a'.repeat(59));
  });

  it('names the file <slug>.sluice.json', () => {
    expect(jobFileName(job)).toBe('word-count.sluice.json');
  });

  it('downloads the canonical JSON as application/json', () => {
    expect(jobDownload(job)).toEqual({ fileName: 'word-count.sluice.json', text: serializeJob(job), mimeType: 'application/json' });
  });
});

describe('reading job files', () => {
  it('reads and validates a job file', async () => {
    const file = new File([serializeJob(job)], 'word-count.sluice.json', { type: 'application/json' });
    const report = await readJobFile(file);
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.job?.name).toBe('Word count');
  });

  it('reports a file that is not JSON through the validator', async () => {
    const report = await readJobFile(new File(['{ not json'], 'broken.json'));
    expect(report.ok).toBe(false);
    expect(report.errors.length).toBeGreaterThan(0);
  });

  it('refuses a file over 1 MiB without reading it, naming its size and the limit', async () => {
    const text = vi.fn(async () => '');
    const file = { name: 'huge.json', size: MAX_JOB_BYTES + 1, text } as unknown as File;
    const report = await readJobFile(file);
    expect(text).not.toHaveBeenCalled();
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([{
      path: '$',
      code: 'json.tooLarge',
      message: expect.stringMatching(/"huge\.json" is 1 MiB \(1,048,577 bytes\); job files are limited to 1 MiB \(1,048,576 bytes\)/),
    }]);
  });

  it('accepts a file of exactly 1 MiB (it goes to the validator)', async () => {
    const file = new File([' '.repeat(MAX_JOB_BYTES)], 'spaces.json');
    const report = await readJobFile(file);
    expect(report.errors.some((e) => e.code === 'json.tooLarge' && e.message.includes('spaces.json'))).toBe(false);
  });

  it('reports a file that cannot be read', async () => {
    const file = { name: 'gone.json', size: 10, text: () => Promise.reject(new Error('NotReadableError')) } as unknown as File;
    expect(await readJobFile(file)).toEqual({
      ok: false,
      errors: [{ path: '$', code: 'file.unreadable', message: expect.stringMatching(/"gone\.json" could not be read/) }],
    });
  });
});
