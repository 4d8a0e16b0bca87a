import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../../engine/job/types';
import { serializeJob } from '../../engine/job/serialize';
import { lzwBomb } from './testkit/lzwBomb';
import { MAX_JOB_BYTES } from './jobLimits';
import { jobToShareFragment, shareFragmentToText } from './shareLink';

const job: JobGraph = {
  sluice: 'job/1',
  name: 'Word count — ünïcode 😀',
  operators: [
    { id: 'words', kind: 'datagen', name: 'Words', parallelism: 2, config: { keys: 1000 } },
    { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 4, config: { fn: 'count' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [
    { from: 'words', to: 'count', partitioner: 'hash', key: 'key' },
    { from: 'count', to: 'out', partitioner: 'rebalance' },
  ],
};

describe('share links', () => {
  it('puts the canonical job JSON, compressed, in #job=', () => {
    const fragment = jobToShareFragment(job);
    expect(fragment).toBe(`#job=${compressToEncodedURIComponent(serializeJob(job))}`);
    expect(fragment).toMatch(/^#job=[A-Za-z0-9+\-$]+$/);
  });

  it('reads back exactly the canonical text', () => {
    expect(shareFragmentToText(jobToShareFragment(job))).toEqual({ ok: true, text: serializeJob(job) });
  });

  it('accepts the fragment without "#", among other parameters, and percent-encoded', () => {
    const value = jobToShareFragment(job).slice('#job='.length);
    const expected = { ok: true, text: serializeJob(job) };
    expect(shareFragmentToText(`job=${value}`)).toEqual(expected);
    expect(shareFragmentToText(`#view=run&job=${value}&speed=2`)).toEqual(expected);
    expect(shareFragmentToText(`#job=${encodeURIComponent(value).replace(/-/g, '%2D')}`)).toEqual(expected);
  });

  it('returns null when the hash carries no job', () => {
    expect(shareFragmentToText('')).toBeNull();
    expect(shareFragmentToText('#')).toBeNull();
    expect(shareFragmentToText('#view=run')).toBeNull();
    expect(shareFragmentToText('#jobs=abc')).toBeNull();
  });

  it('explains an empty or damaged link', () => {
    expect(shareFragmentToText('#job=')).toEqual({ ok: false, message: expect.stringMatching(/empty job/) });
    const value = jobToShareFragment(job).slice('#job='.length);
    const truncated = shareFragmentToText(`#job=${value.slice(0, value.length / 2)}`);
    expect(truncated).toEqual({ ok: false, message: expect.stringMatching(/damaged or incomplete/) });
    expect(shareFragmentToText('#job=%%%')).toMatchObject({ ok: false });
  });

  it('refuses a link whose job is over 1 MiB, naming the limit', () => {
    const huge = JSON.stringify({ sluice: 'job/1', name: 'x'.repeat(MAX_JOB_BYTES), operators: [], edges: [] });
    const result = shareFragmentToText(`#job=${compressToEncodedURIComponent(huge)}`);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/limited to 1 MiB.*Export/) });
  });

  it('refuses text under 1 MiB of characters but over 1 MiB of UTF-8', () => {
    const text = '€'.repeat(400_000); // 400,000 characters, 1,200,000 bytes
    const result = shareFragmentToText(`#job=${compressToEncodedURIComponent(text)}`);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/job of 1\.1 MiB/) });
  });

  it('refuses a decompression bomb quickly', () => {
    const started = Date.now();
    const result = shareFragmentToText(`#job=${lzwBomb(5_000)}`);
    expect(result).toMatchObject({ ok: false });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
