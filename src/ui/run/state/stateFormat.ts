/**
 * How the State panel writes sizes, ratios and values, and how it reads a typed key. Written
 * out rather than `toLocaleString`, so screenshots and tests read the same everywhere.
 */

/** `n` with at most `digits` decimals, trailing decimal zeros dropped (`12.50` → `12.5`, `100` stays). */
import { formatCompact, formatExact } from '../../model/runFormat';

const trimmed = (n: number, digits: number) => {
  const text = n.toFixed(digits);
  return digits > 0 ? text.replace(/\.?0+$/, '') : text;
};

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Decimal byte sizes, as browsers' storage estimates are: `0 B`, `950 B`, `12.3 kB`, `1.5 GB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  // 999,999 B is 1 MB, not 1000 kB: step up while the rounded figure would reach 1000.
  while (value >= 999.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${trimmed(value, digits)} ${BYTE_UNITS[unit]}`;
}

/** A ratio as a percentage with one decimal below 100: `97.3%`; `—` for null. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const pct = Math.max(0, ratio) * 100;
  if (pct >= 99.95 && pct < 100) return '99.9%';
  if (pct > 0 && pct < 0.05) return '<0.1%';
  return `${trimmed(pct, pct >= 100 ? 0 : 1)}%`;
}

/**
 * A value on the heat map's scale (rows or bytes per key group, a bin's mean may be a
 * fraction): two significant digits below 10 (`0.031`, `2.5`), compact counts above.
 */
export function formatScaleValue(value: number, measure: 'entries' | 'bytes'): string {
  if (measure === 'bytes') return formatBytes(value);
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  if (value < 10) return String(Number(value.toPrecision(2)));
  return formatCompact(value);
}

/** `1 row`, `2 rows`, `1,234 rows`. */
export function formatRows(n: number): string {
  return `${formatExact(n)} ${n === 1 ? 'row' : 'rows'}`;
}

/** A mean such as a batch size: `12`, `3.5`, `—`. */
export function formatMean(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value >= 100 ? String(Math.round(value)) : trimmed(value, 1);
}

/** An inclusive key-group range: `17`, or `0–31`. */
export function formatRange(start: number, end: number): string {
  return start === end ? String(start) : `${start}–${end}`;
}

/** How a typed key is read: as the job's keyBy would see text, a number, or guessed. */
export type KeyMode = 'auto' | 'text' | 'number';

export type ParsedKey = { ok: true; key: string | number } | { ok: false; message: string };

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INTEGER = /^-?\d+$/;

/**
 * A typed key as the lookup sends it. Number keys are Java Integers (DESIGN.md §8), so only
 * whole numbers in 32-bit range qualify; `auto` takes such text as a number and anything else
 * as text. Text is sent exactly as typed.
 */
export function parseLookupKey(text: string, mode: KeyMode): ParsedKey {
  if (text === '') return { ok: false, message: 'Type a key to look up.' };
  if (mode === 'text') return { ok: true, key: text };
  const trimmedText = text.trim();
  const isInteger = INTEGER.test(trimmedText);
  const value = isInteger ? Number(trimmedText) : NaN;
  const inRange = isInteger && value >= INT32_MIN && value <= INT32_MAX;
  if (mode === 'number') {
    if (!isInteger) return { ok: false, message: `“${text}” is not a whole number. Number keys are integers, such as 42 or -7.` };
    if (!inRange) return { ok: false, message: `${trimmedText} is outside the 32-bit integer range number keys use (−2,147,483,648 to 2,147,483,647).` };
    return { ok: true, key: value };
  }
  return inRange ? { ok: true, key: value } : { ok: true, key: text };
}

/** A key as the panel names it: `text “apple”`, `number 42`. */
export function describeKey(key: string | number): string {
  return typeof key === 'number' ? `number ${key}` : `text “${key}”`;
}

/** A stored value as indented JSON; values JSON cannot hold are written as text. */
export function prettyValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v.toString()}n` : v), 2);
    return text ?? String(value);
  } catch {
    return String(value);
  }
}
