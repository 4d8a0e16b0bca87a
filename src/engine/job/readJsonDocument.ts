/**
 * Reading a JSON document from text for the file formats (jobs, scenarios): the type check,
 * the size limit measured before `JSON.parse` (a 100 MB paste is refused without building a
 * 100 MB object graph), a tolerated byte-order mark, and syntax errors located by line and
 * column. Each format turns the problem into its own coded message. Never throws.
 */
import { describeJsonType } from './errors';
import { formatCount } from './formatCount';
import { findJsonSyntaxError } from './jsonSyntax';
import { utf8ByteLength } from './utf8';

export type JsonDocumentProblem =
  | { problem: 'notText'; params: { actual: string } }
  | { problem: 'tooLarge'; params: { size: string; limit: string } }
  | { problem: 'syntax'; params: { detail: string; line: number; column: number } };

export type JsonDocument = { ok: true; json: unknown } | ({ ok: false } & JsonDocumentProblem);

/** Parses `text` as one JSON document of at most `maxBytes` UTF-8 bytes. */
export function readJsonDocument(text: unknown, maxBytes: number): JsonDocument {
  // Callers from plain JavaScript (the automation API, scripts) can pass anything.
  if (typeof text !== 'string') return { ok: false, problem: 'notText', params: { actual: describeJsonType(text) } };
  // Each UTF-16 unit is at least one byte, so a string this long is over the limit whatever it holds.
  const surelyOver = text.length > maxBytes * 3;
  const size = surelyOver ? text.length : utf8ByteLength(text);
  if (size > maxBytes) {
    return { ok: false, problem: 'tooLarge', params: { size: `${surelyOver ? 'at least ' : ''}${formatCount(size)}`, limit: formatCount(maxBytes) } };
  }
  // Editors on Windows may save a byte-order mark; it is not JSON but not worth refusing a file for.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, json: JSON.parse(body) as unknown };
  } catch {
    const error = findJsonSyntaxError(body) ?? { line: 1, column: 1, detail: 'the document could not be parsed (it may be nested too deeply)' };
    return { ok: false, problem: 'syntax', params: { detail: error.detail, line: error.line, column: error.column } };
  }
}
