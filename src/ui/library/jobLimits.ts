/**
 * Size limits for job text coming from outside (files, share links). A job of a few hundred
 * operators is tens of kilobytes; 1 MiB leaves room for layouts and descriptions while keeping a
 * hostile or mistaken input from freezing the tab.
 */

/** Largest job text accepted from a file or a share link, in UTF-8 bytes. */
export const MAX_JOB_BYTES = 1024 * 1024;

/** A byte count for people: `512 bytes`, `3.4 KiB`, `1.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  return `${trim(bytes / (1024 * 1024))} MiB`;
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}

/** UTF-8 length of a string, without allocating the encoded bytes. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3; // BMP, or a lone surrogate (encoded as U+FFFD, 3 bytes)
  }
  return bytes;
}
