/**
 * Jobs as files: export to `<slug>.sluice.json`, import from a file the user picked.
 *
 * Import is untrusted input: the size is checked before a byte is read (a 2 GB file picked by
 * mistake must not freeze the tab), then the text goes to `parseJobText`, which validates it and
 * executes nothing.
 */
import type { JobGraph, ValidationReport } from '../../engine/job/types';
import { parseJobText } from '../../engine/job/parseJob';
import { serializeJob } from '../../engine/job/serialize';
import { MAX_JOB_BYTES, formatBytes } from './jobLimits';

export const JOB_FILE_EXTENSION = '.sluice.json';
export const JOB_FILE_MIME = 'application/json';
const SLUG_MAX_CHARS = 60;

/** `Word count (v2)!` → `word-count-v2`; empty or symbol-only names become `job`. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_CHARS)
    .replace(/-+$/, '');
  return slug === '' ? 'job' : slug;
}

/** The file name a job is exported under. */
export function jobFileName(job: Pick<JobGraph, 'name'>): string {
  return `${slugify(typeof job.name === 'string' ? job.name : '')}${JOB_FILE_EXTENSION}`;
}

/** What `downloadJob` writes: name, canonical JSON text and MIME type. */
export function jobDownload(job: JobGraph): { fileName: string; text: string; mimeType: string } {
  return { fileName: jobFileName(job), text: serializeJob(job), mimeType: JOB_FILE_MIME };
}

/** How long the object URL stays valid after the click; browsers start the download before then. */
const REVOKE_AFTER_MS = 10_000;

/** Save `job` as a `.sluice.json` file through the browser's download. Returns the file name. */
export function downloadJob(job: JobGraph): string {
  const { fileName, text, mimeType } = jobDownload(job);
  return downloadText(fileName, text, mimeType);
}

/** Offers `text` as a file download named `fileName` (jobs, scenarios). Returns the file name. */
export function downloadText(fileName: string, text: string, mimeType = 'application/json'): string {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
  return fileName;
}

/** The report for a file over the limit, naming its size and the limit. */
export function fileTooLargeReport(fileName: string, sizeBytes: number): ValidationReport {
  return failure(
    'json.tooLarge',
    `"${fileName}" is ${formatBytes(sizeBytes)} (${sizeBytes.toLocaleString('en-US')} bytes); job files are limited to ${formatBytes(MAX_JOB_BYTES)} (${MAX_JOB_BYTES.toLocaleString('en-US')} bytes). Pick a Sluice job file (*${JOB_FILE_EXTENSION}).`,
  );
}

/**
 * Read and validate a job file. Never rejects: a file over `MAX_JOB_BYTES` (checked before
 * reading) or one that cannot be read comes back as a failed report at path `$` with code
 * `json.tooLarge` (the engine catalogue's code for an oversized job) or `file.unreadable`;
 * otherwise the report is `parseJobText`'s.
 */
export async function readJobFile(file: File): Promise<ValidationReport> {
  if (file.size > MAX_JOB_BYTES) return fileTooLargeReport(file.name, file.size);
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure('file.unreadable', `"${file.name}" could not be read (${reason}). Pick the file again; if it is on a removable or network drive, copy it locally first.`);
  }
  return parseJobText(text);
}

function failure(code: string, message: string): ValidationReport {
  return { ok: false, errors: [{ path: '$', code, message }] };
}
