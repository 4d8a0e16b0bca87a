/**
 * Limits on job documents.
 *
 * A job file is untrusted input (a file, a share link, a paste). These limits keep a hostile
 * or mistaken document from freezing the tab: every count and length is checked before any
 * work proportional to it. They sit far above any job a person draws; raising one is a
 * compatible change, lowering one is not (saved jobs could stop loading).
 */

/** Largest job text `parseJobText` accepts, in UTF-8 bytes (1 MiB), measured before JSON parsing. */
export const MAX_JOB_BYTES = 1024 * 1024;

/** Most operators in one job. */
export const MAX_OPERATORS = 500;

/** Most edges in one job. */
export const MAX_EDGES = 2000;

/** Longest name, description or other text field, in UTF-16 code units. */
export const MAX_STRING = 10_000;

/** Operator ids and uids: 1 to 64 letters, digits, `_` or `-` (safe in paths, test ids and URLs). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Longest id; checked before the pattern so a 10 MB "id" costs nothing. */
export const MAX_ID_LENGTH = 64;

/** Record field names in config (`field` settings): an expression identifier, at most 64 characters. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Keys rejected anywhere in a job file. They are harmless in JSON but dangerous once code
 * copies them into objects (`__proto__` rewires prototypes), so no job may carry them, and no
 * operator may use one as its id (ids become keys of `layout`).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Most values (objects, arrays and scalars) scanned in one job file. The largest valid job
 * holds roughly 25,000; a document past this limit is rejected without looking further.
 */
export const MAX_DOCUMENT_VALUES = 100_000;

/** Most problems reported at once; past this, one final entry says the list was cut. */
export const MAX_REPORTED_ERRORS = 1000;

/** Is `value` a well-formed, unreserved id (operator id or uid)? Length first, so huge strings cost nothing. */
export function isValidId(value: string): boolean {
  return value.length <= MAX_ID_LENGTH && ID_PATTERN.test(value) && !FORBIDDEN_KEYS.has(value);
}
