/**
 * Reading a job from text (an imported file, a share link, a paste): size limit, then JSON,
 * then `validateJob`.
 *
 * The size is measured before `JSON.parse`, so a 100 MB paste is refused without building a
 * 100 MB object graph. Syntax errors are located by line and column. Nothing in the text is
 * ever executed.
 */
import { MAX_JOB_BYTES } from './limits';
import { readJsonDocument } from './readJsonDocument';
import { Issues } from './issues';
import type { ValidationReport } from './types';
import { validateJob } from './validate';

export { ID_PATTERN, MAX_EDGES, MAX_JOB_BYTES, MAX_OPERATORS, MAX_STRING } from './limits';
export { utf8ByteLength } from './utf8';

/** Parses and validates job text. Never throws. */
export function parseJobText(text: string): ValidationReport {
  const read = readJsonDocument(text, MAX_JOB_BYTES);
  if (read.ok) return validateJob(read.json);
  const issues = new Issues();
  switch (read.problem) {
    case 'notText': issues.add('json.notText', '$', read.params); break;
    case 'tooLarge': issues.add('json.tooLarge', '$', read.params); break;
    case 'syntax': issues.add('json.syntax', '$', read.params); break;
  }
  return { ok: false, errors: issues.errors };
}
