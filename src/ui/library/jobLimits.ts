/**
 * Size limits for job text coming from outside (files, share links). The limit itself is the
 * engine's (`MAX_JOB_BYTES`, 1 MiB of UTF-8, the same one `parseJobText` enforces); this module
 * adds what the UI needs to check it before reading or decoding, and to say it to people.
 */
export { MAX_JOB_BYTES } from '../../engine/job/limits';
export { utf8ByteLength } from '../../engine/job/parseJob';

/** A byte count for people: `512 bytes`, `3.4 KiB`, `1.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  return `${trim(bytes / (1024 * 1024))} MiB`;
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}
