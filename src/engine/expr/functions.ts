/**
 * The fixed whitelist of functions an expression may call.
 *
 * Only these names parse; there is no way to reach anything else (no member access, no
 * globals), which is what makes expressions safe to accept from a job file. Every function is
 * deterministic. Arity is checked when parsing, argument types when running.
 */
import { javaStringHashCode } from '../keygroups/javaHash';
import type { Value } from './ast';
import { expressionError } from './ExpressionError';
import { finite, isList, toText, typeName, valuesEqual } from './values';

/** Longest list `range` and `split` produce; longer results are cut to this length. */
export const MAX_LIST_LENGTH = 10_000;

/** Where a call appears, for messages. */
export interface CallSite { name: string; offset: number }

export interface FunctionInfo {
  minArgs: number;
  maxArgs: number;
  /** One line for the expression reference. */
  doc: string;
  apply: (args: readonly Value[], site: CallSite) => Value;
}

/** A number argument, or null when the argument is null; anything else is a type error. */
function numberArg(args: readonly Value[], index: number, site: CallSite): number | null {
  const value = args[index] ?? null;
  if (value === null || typeof value === 'number') return value;
  throw expressionError('expr.argType', site.offset, { name: site.name, expected: 'a number', index: index + 1, actual: typeName(value) });
}

/** A text argument, or null when the argument is null; anything else is a type error. */
function textArg(args: readonly Value[], index: number, site: CallSite): string | null {
  const value = args[index] ?? null;
  if (value === null || typeof value === 'string') return value;
  throw expressionError('expr.argType', site.offset, { name: site.name, expected: 'text', index: index + 1, actual: typeName(value) });
}

/** A one-number function with null propagation. */
function numeric(doc: string, fn: (n: number) => number): FunctionInfo {
  return {
    minArgs: 1, maxArgs: 1, doc,
    apply: (args, site) => {
      const n = numberArg(args, 0, site);
      return n === null ? null : finite(fn(n));
    },
  };
}

/** A one-text function with null propagation. */
function textual(doc: string, fn: (s: string) => Value): FunctionInfo {
  return {
    minArgs: 1, maxArgs: 1, doc,
    apply: (args, site) => {
      const s = textArg(args, 0, site);
      return s === null ? null : fn(s);
    },
  };
}

/** `min`/`max` over one or more numbers; null if any argument is null. */
function extreme(doc: string, pick: (a: number, b: number) => number): FunctionInfo {
  return {
    minArgs: 1, maxArgs: 64, doc,
    apply: (args, site) => {
      let result: number | null = null;
      for (let i = 0; i < args.length; i++) {
        const n = numberArg(args, i, site);
        if (n === null) return null;
        result = result === null ? n : pick(result, n);
      }
      return result;
    },
  };
}

function substr(args: readonly Value[], site: CallSite): Value {
  const s = textArg(args, 0, site);
  const start = numberArg(args, 1, site);
  const length = args.length > 2 ? numberArg(args, 2, site) : s?.length ?? 0;
  if (s === null || start === null || length === null) return null;
  const from = Math.min(Math.max(Math.floor(start), 0), s.length);
  const count = Math.max(Math.floor(length), 0);
  return s.slice(from, Math.min(from + count, s.length));
}

function contains(args: readonly Value[], site: CallSite): Value {
  const haystack = args[0] ?? null;
  const needle = args[1] ?? null;
  if (isList(haystack)) return haystack.some((element) => valuesEqual(element, needle));
  const s = textArg(args, 0, site);
  const part = textArg(args, 1, site);
  return s === null || part === null ? null : s.includes(part);
}

function startsWith(args: readonly Value[], site: CallSite): Value {
  const s = textArg(args, 0, site);
  const prefix = textArg(args, 1, site);
  return s === null || prefix === null ? null : s.startsWith(prefix);
}

/** `num(x)`: numbers as they are, numeric text parsed, booleans as 1/0; anything unparseable is null. */
function toNumber(args: readonly Value[]): Value {
  const value = args[0] ?? null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string' || value.trim() === '') return null;
  return finite(Number(value.trim()));
}

function length(args: readonly Value[], site: CallSite): Value {
  const value = args[0] ?? null;
  if (value === null) return null;
  if (typeof value === 'string' || isList(value)) return value.length;
  throw expressionError('expr.argType', site.offset, { name: site.name, expected: 'text or a list', index: 1, actual: typeName(value) });
}

function split(args: readonly Value[], site: CallSite): Value {
  const s = textArg(args, 0, site);
  const separator = textArg(args, 1, site);
  if (s === null || separator === null) return null;
  return s.split(separator, MAX_LIST_LENGTH);
}

function range(args: readonly Value[], site: CallSite): Value {
  const n = numberArg(args, 0, site);
  if (n === null) return null;
  const count = Math.min(Math.max(Math.floor(n), 0), MAX_LIST_LENGTH);
  return Array.from({ length: count }, (_, i) => i);
}

/** The whitelist, in the order the reference documents it. */
export const FUNCTIONS: Readonly<Record<string, FunctionInfo>> = {
  abs: numeric('abs(x): absolute value.', Math.abs),
  floor: numeric('floor(x): largest whole number <= x.', Math.floor),
  ceil: numeric('ceil(x): smallest whole number >= x.', Math.ceil),
  round: numeric('round(x): nearest whole number; halves round up, as Java Math.round.', Math.round),
  min: extreme('min(a, b, ...): smallest number.', Math.min),
  max: extreme('max(a, b, ...): largest number.', Math.max),
  sqrt: numeric('sqrt(x): square root; null for negative x.', Math.sqrt),
  len: { minArgs: 1, maxArgs: 1, doc: 'len(x): length of text or of a list.', apply: length },
  lower: textual('lower(s): lower case.', (s) => s.toLowerCase()),
  upper: textual('upper(s): upper case.', (s) => s.toUpperCase()),
  trim: textual('trim(s): without leading and trailing white space.', (s) => s.trim()),
  concat: {
    minArgs: 1, maxArgs: 64, doc: 'concat(a, b, ...): the text forms of the arguments joined.',
    apply: (args) => args.map(toText).join(''),
  },
  substr: { minArgs: 2, maxArgs: 3, doc: 'substr(s, start, length?): part of s from 0-based start.', apply: substr },
  contains: { minArgs: 2, maxArgs: 2, doc: 'contains(s, part): does text s contain part, or does list s contain the value?', apply: contains },
  startsWith: { minArgs: 2, maxArgs: 2, doc: 'startsWith(s, prefix): does s begin with prefix?', apply: startsWith },
  str: { minArgs: 1, maxArgs: 1, doc: 'str(x): x as text (null becomes "null").', apply: (args) => toText(args[0] ?? null) },
  num: { minArgs: 1, maxArgs: 1, doc: 'num(x): x as a number; null when text is not a number.', apply: toNumber },
  split: { minArgs: 2, maxArgs: 2, doc: `split(s, sep): list of the parts of s (at most ${MAX_LIST_LENGTH}).`, apply: split },
  range: { minArgs: 1, maxArgs: 1, doc: `range(n): list 0, 1, ..., n-1 (n capped at ${MAX_LIST_LENGTH}).`, apply: range },
  hash: {
    minArgs: 1, maxArgs: 1, doc: 'hash(x): Java String.hashCode of str(x) as a 32-bit int (null hashes to 0); for sampling.',
    apply: (args) => {
      const value = args[0] ?? null;
      return value === null ? 0 : javaStringHashCode(toText(value));
    },
  },
};

/** The function names, for "the functions are: ..." messages. */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS);

/** The whitelist entry for `name`, or undefined (never an inherited property such as `toString`). */
export function lookupFunction(name: string): FunctionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}
