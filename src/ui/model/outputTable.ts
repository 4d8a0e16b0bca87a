/**
 * A sink's latest records as a table: columns are the fields the records have (the usual
 * `key`, `value`, `ts` first), rows are the newest records, committed and pending marked.
 * Values are shown as text, never as HTML.
 */
import type { SinkOutput } from '../../engine/runtime/telemetry';
import type { StreamRecord } from '../../engine/runtime/types';

export interface OutputRow {
  status: 'committed' | 'pending';
  record: StreamRecord;
}

const FIRST = ['key', 'value', 'ts'];

/** Field names of `records`, the usual ones first, then in order of appearance. */
export function outputColumns(records: readonly StreamRecord[], max = 12): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  const first = FIRST.filter((k) => seen.has(k));
  const rest = [...seen].filter((k) => !FIRST.includes(k));
  return [...first, ...rest].slice(0, max);
}

/** Newest first: pending records (not yet committed) above the committed ones, at most `limit`. */
export function outputRows(output: SinkOutput, limit = 50): OutputRow[] {
  const pending = [...output.pending].reverse().map((record): OutputRow => ({ status: 'pending', record }));
  const committed = [...output.committed].reverse().map((record): OutputRow => ({ status: 'committed', record }));
  return [...pending, ...committed].slice(0, limit);
}

/** A field value as a table cell. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
