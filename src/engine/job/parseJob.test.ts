import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './jsonSyntax';
import { MAX_JOB_BYTES, parseJobText, utf8ByteLength } from './parseJob';
import { serializeJob } from './serialize';
import { baseJob } from './testing/baseJob';

describe('parseJobText', () => {
  it('accepts canonical text and returns the normalised job', () => {
    const report = parseJobText(serializeJob(baseJob()));
    expect(report.errors).toEqual([]);
    expect(report.job).toEqual(baseJob());
  });

  it('refuses text over the size limit before parsing, naming the size and the limit', () => {
    const text = `{"name": "${'x'.repeat(MAX_JOB_BYTES)}"}`;
    const report = parseJobText(text);
    expect(report.errors).toEqual([{
      path: '$', code: 'json.tooLarge',
      message: 'The job file is 1,048,588 bytes; the limit is 1,048,576 bytes. Remove unused operators or shorten long texts.',
    }]);
  });

  it('measures UTF-8 bytes, not characters', () => {
    expect(utf8ByteLength('aé€🚰')).toBe(1 + 2 + 3 + 4);
    expect(utf8ByteLength('\ud800x')).toBe(3 + 1);
    const multiByte = '€'.repeat(Math.ceil(MAX_JOB_BYTES / 3) + 1);
    expect(parseJobText(multiByte).errors[0]?.code).toBe('json.tooLarge');
  });

  it('refuses a 100 MB string without measuring all of it', () => {
    const report = parseJobText(' '.repeat(100 * 1024 * 1024));
    expect(report.errors[0]?.message).toContain('is at least 104,857,600 bytes');
  });

  it.each([
    ['{"sluice": "job/1",}', 1, 20, 'expected a property name in double quotes but found "}"'],
    ['{\n  "name": "x"\n  "operators": []\n}', 3, 3, 'expected \',\' or \'}\' but found "\\""'],
    ['[1, 2', 1, 6, 'the file ends too early'],
    ['', 1, 1, 'the file is empty'],
    ["{'name': 1}", 1, 2, 'expected a property name in double quotes'],
    ['{"a": tru}', 1, 7, 'expected a value but found "t"'],
    ['{"a": 01}', 1, 8, 'expected \',\' or \'}\' but found "1"'],
    ['{"a": "line\nbreak"}', 1, 12, 'control character inside a string'],
    ['{"a": "\\q"}', 1, 8, 'invalid escape "\\\\q"'],
    ['{"a": 1} x', 1, 10, 'unexpected "x" after the end of the JSON value'],
    ['{"a": -}', 1, 8, 'expected a digit'],
    ['{"a": 1.}', 1, 9, "expected a digit after '.'"],
    ['{"a": "open', 1, 7, 'a string that is never closed'],
  ])('reports a syntax error in %j at line %i, column %i', (text, line, column, detail) => {
    const report = parseJobText(text);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.code).toBe('json.syntax');
    expect(report.errors[0]?.path).toBe('$');
    expect(report.errors[0]?.message).toContain(detail);
    expect(report.errors[0]?.message).toContain(`at line ${line}, column ${column}.`);
  });

  it('accepts a leading byte-order mark', () => {
    expect(parseJobText(`\ufeff${serializeJob(baseJob())}`).ok).toBe(true);
  });

  it('survives deep nesting, valid or not', () => {
    expect(parseJobText('['.repeat(500_000)).errors[0]?.code).toBe('json.syntax');
    const deep = parseJobText(`${'['.repeat(300_000)}${']'.repeat(300_000)}`);
    expect(deep.ok).toBe(false);
    expect(['json.notObject', 'json.syntax']).toContain(deep.errors[0]?.code);
  });

  it('reports non-text input instead of throwing', () => {
    for (const value of [undefined, null, 42, {}, []]) {
      expect(parseJobText(value as unknown as string).errors.map((e) => e.code)).toEqual(['json.notText']);
    }
  });

  it('validates what parses', () => {
    expect(parseJobText('{"sluice": "job/2", "name": "x", "operators": [], "edges": []}').errors[0]?.code).toBe('job.version');
    expect(parseJobText('"just a string"').errors[0]?.code).toBe('json.notObject');
  });
});

describe('findJsonSyntaxError', () => {
  it('finds nothing in valid JSON of every shape', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', 'true', 'null', ' {"a": [1, {"b": false}], "c": ""} ']) {
      expect(findJsonSyntaxError(text), text).toBeUndefined();
      expect(() => { JSON.parse(text); }).not.toThrow();
    }
  });

  it('agrees with JSON.parse on random corruptions of a job', () => {
    const text = serializeJob(baseJob());
    let state = 99;
    for (let i = 0; i < 500; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const at = state % text.length;
      const corrupted = text.slice(0, at) + '{}[],:"x1 '.charAt(state % 10) + text.slice(at + (state % 3));
      let parses = true;
      try { JSON.parse(corrupted); } catch { parses = false; }
      expect(findJsonSyntaxError(corrupted) === undefined, corrupted).toBe(parses);
    }
  });
});
