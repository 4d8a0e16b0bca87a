/**
 * Locating a JSON syntax error by line and column.
 *
 * `JSON.parse` errors differ by engine (V8 gives a position, Firefox a line and column,
 * Safari neither), so when parsing fails this small scanner walks the text to find the first
 * offending character and say what was expected there. It only recognises JSON (RFC 8259); it
 * builds no values. Iterative with an explicit stack, so deep nesting cannot overflow.
 */

/** Where and why a text is not JSON. Line and column are 1-based; columns count UTF-16 units. */
export interface JsonSyntaxError { offset: number; line: number; column: number; detail: string }

type State = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'after';

const LITERALS = ['true', 'false', 'null'];
const ESCAPES = '"\\/bfnrt';

class Failure {
  constructor(readonly offset: number, readonly detail: string) {}
}

/** The first syntax error in `text`, or undefined if it is well-formed JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return { ...lineAndColumn(text, error.offset), offset: error.offset, detail: error.detail };
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function found(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file';
  return JSON.stringify(text.charAt(at));
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function scan(text: string): void {
  const stack: string[] = [];
  let state: State = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text.charAt(i))) i++;
    if (state === 'after' && stack.length === 0) {
      if (i < text.length) throw new Failure(i, `unexpected ${found(text, i)} after the end of the JSON value`);
      return;
    }
    if (i >= text.length) throw new Failure(i, text.trim() === '' ? 'the file is empty' : 'the file ends too early; something is unfinished or a bracket is not closed');
    const c = text.charAt(i);
    switch (state) {
      case 'valueOrEnd':
      case 'value':
        if (state === 'valueOrEnd' && c === ']') {
          stack.pop();
          state = 'after';
          i++;
        } else if (c === '{' || c === '[') {
          stack.push(c);
          state = c === '{' ? 'keyOrEnd' : 'valueOrEnd';
          i++;
        } else {
          i = scanScalar(text, i);
          state = 'after';
        }
        break;
      case 'keyOrEnd':
      case 'key':
        if (state === 'keyOrEnd' && c === '}') {
          stack.pop();
          state = 'after';
          i++;
        } else if (c === '"') {
          i = scanString(text, i);
          state = 'colon';
        } else {
          throw new Failure(i, `expected a property name in double quotes but found ${found(text, i)}`);
        }
        break;
      case 'colon':
        if (c !== ':') throw new Failure(i, `expected ':' but found ${found(text, i)}`);
        state = 'value';
        i++;
        break;
      case 'after': {
        const close = stack[stack.length - 1] === '{' ? '}' : ']';
        if (c === ',') state = close === '}' ? 'key' : 'value';
        else if (c === close) {
          stack.pop();
          state = 'after';
        } else throw new Failure(i, `expected ',' or '${close}' but found ${found(text, i)}`);
        i++;
        break;
      }
    }
  }
}

/** Scans a string, number or literal starting at `i`; returns the offset after it. */
function scanScalar(text: string, i: number): number {
  const c = text.charAt(i);
  if (c === '"') return scanString(text, i);
  if (c === '-' || (c >= '0' && c <= '9')) return scanNumber(text, i);
  const literal = LITERALS.find((word) => text.startsWith(word, i));
  if (literal !== undefined) return i + literal.length;
  throw new Failure(i, `expected a value but found ${found(text, i)}`);
}

function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') return i + 1;
    if (c < ' ') throw new Failure(i, 'a line break or control character inside a string; write it as an escape such as \\n');
    if (c === '\\') {
      const e = text.charAt(i + 1);
      if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if (e !== '' && e !== 'u' && ESCAPES.includes(e)) i += 2;
      else throw new Failure(i, `invalid escape ${JSON.stringify(text.slice(i, i + 2))} in a string`);
    } else {
      i++;
    }
  }
  throw new Failure(start, 'a string that is never closed');
}

function scanNumber(text: string, start: number): number {
  let i = start;
  const digits = (): number => {
    const from = i;
    while (i < text.length && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
    return i - from;
  };
  if (text.charAt(i) === '-') i++;
  if (text.charAt(i) === '0') i++;
  else if (digits() === 0) throw new Failure(i, `expected a digit but found ${found(text, i)}`);
  if (text.charAt(i) === '.') {
    i++;
    if (digits() === 0) throw new Failure(i, `expected a digit after '.' but found ${found(text, i)}`);
  }
  if (text.charAt(i) === 'e' || text.charAt(i) === 'E') {
    i++;
    if (text.charAt(i) === '+' || text.charAt(i) === '-') i++;
    if (digits() === 0) throw new Failure(i, `expected a digit in the exponent but found ${found(text, i)}`);
  }
  return i;
}
