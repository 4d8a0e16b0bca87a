/**
 * Reading a job from text (an imported file, a share link, a paste): size limit, then JSON,
 * then `validateJob`.
 *
 * The size is measured before `JSON.parse`, so a 100 MB paste is refused without building a
 * 100 MB object graph. Syntax errors are located by line and column. Nothing in the text is
 * ever executed.
 */
import { describeJsonType } from './errors';
import { formatCount } from './formatCount';
import { findJsonSyntaxError } from './jsonSyntax';
import { MAX_JOB_BYTES } from './limits';
import { Issues } from './issues';
import type { ValidationReport } from './types';
import { validateJob } from './validate';

export { ID_PATTERN, MAX_EDGES, MAX_JOB_BYTES, MAX_OPERATORS, MAX_STRING } from './limits';

/**
 * UTF-8 length of `text` in bytes, without encoding it. A lone surrogate counts 3 bytes, as
 * an encoder writes it as U+FFFD.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Parses and validates job text. Never throws. */
export function parseJobText(text: string): ValidationReport {
  const issues = new Issues();
  // Callers from plain JavaScript (the automation API, scripts) can pass anything.
  if (typeof text !== 'string') {
    issues.add('json.notText', '$', { actual: describeJsonType(text) });
    return { ok: false, errors: issues.errors };
  }
  // Each UTF-16 unit is at least one byte, so a string this long is over the limit whatever it holds.
  const size = text.length > MAX_JOB_BYTES * 3 ? text.length : utf8ByteLength(text);
  if (size > MAX_JOB_BYTES) {
    const atLeast = text.length > MAX_JOB_BYTES * 3 ? 'at least ' : '';
    issues.add('json.tooLarge', '$', { size: `${atLeast}${formatCount(size)}`, limit: formatCount(MAX_JOB_BYTES) });
    return { ok: false, errors: issues.errors };
  }
  // Editors on Windows may save a byte-order mark; it is not JSON but not worth refusing a file for.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const error = findJsonSyntaxError(body) ?? { line: 1, column: 1, detail: 'the document could not be parsed (it may be nested too deeply)' };
    issues.add('json.syntax', '$', { detail: error.detail, line: error.line, column: error.column });
    return { ok: false, errors: issues.errors };
  }
  return validateJob(json);
}
