/**
 * Share links: a whole job in the URL fragment, `#job=<lz-string URI-safe compression of the
 * canonical job JSON>`. The fragment never reaches a server, so sharing needs none.
 *
 * Reading a link is untrusted input: this module only recovers the text (bounded to
 * `MAX_JOB_BYTES`, see `boundedDecompress.ts` for why the bound is enforced while decoding);
 * parsing and validation belong to `parseJobText`, and nothing in a link is ever executed.
 */
import { compressToEncodedURIComponent } from 'lz-string';
import type { JobGraph } from '../../engine/job/types';
import { serializeJob } from '../../engine/job/serialize';
import { decompressFromEncodedURIComponentBounded } from './boundedDecompress';
import { MAX_JOB_BYTES, formatBytes, utf8ByteLength } from './jobLimits';

/** The fragment parameter that carries a job. */
export const SHARE_PARAM = 'job';

export type ShareFragmentText = { ok: true; text: string } | { ok: false; message: string };

/** `#job=…` for `job`; append it to the app's URL (`location.origin + location.pathname + fragment`). */
export function jobToShareFragment(job: JobGraph): string {
  return `#${SHARE_PARAM}=${compressToEncodedURIComponent(serializeJob(job))}`;
}

/**
 * Find the `job` parameter in a fragment (`#job=…`, with or without `#`, possibly among other
 * `&`-separated parameters). Not `URLSearchParams`: it would turn the alphabet's `+` into spaces.
 */
function jobParam(hash: string): string | undefined {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of fragment.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name === SHARE_PARAM) return eq < 0 ? '' : part.slice(eq + 1);
  }
  return undefined;
}

/** Undo percent-encoding that chat apps and mail clients sometimes add (e.g. `$` → `%24`). */
function undoPercentEncoding(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const DAMAGED = 'This share link is damaged or incomplete, so no job could be read from it. Ask for the link again, or for the job as a file (Export).';

/**
 * The job text carried by a location hash. `null` when the hash holds no job (the app then opens
 * as usual); `ok: false` with a message to show when it holds one that cannot be read.
 */
export function shareFragmentToText(hash: string): ShareFragmentText | null {
  const raw = jobParam(hash);
  if (raw === undefined) return null;
  const encoded = undoPercentEncoding(raw).trim();
  if (encoded === '') {
    return { ok: false, message: 'This share link has an empty job. Ask for the link again.' };
  }
  const decoded = decompressFromEncodedURIComponentBounded(encoded, MAX_JOB_BYTES);
  if (!decoded.ok && decoded.reason === 'too-large') {
    return { ok: false, message: tooLarge(`more than ${formatBytes(MAX_JOB_BYTES)}`) };
  }
  if (!decoded.ok || decoded.text === '') return { ok: false, message: DAMAGED };
  const bytes = utf8ByteLength(decoded.text);
  if (bytes > MAX_JOB_BYTES) return { ok: false, message: tooLarge(formatBytes(bytes)) };
  return { ok: true, text: decoded.text };
}

function tooLarge(size: string): string {
  return `This share link holds a job of ${size}; links are limited to ${formatBytes(MAX_JOB_BYTES)}. Ask for the job as a file (Export) instead.`;
}
