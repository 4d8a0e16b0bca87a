/**
 * How run figures read on screen: virtual time as `mm:ss.mmm`, counts and rates compact
 * (`12.3k`, `1.25M/s`) with the exact value kept for titles and `data-value` attributes.
 * Written out rather than `toLocaleString`, so screenshots and tests read the same everywhere.
 */
import { formatCount } from '../../engine/job/formatCount';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `83_456` → `01:23.456`; an hour or more → `1:02:03.004`. Negative or non-finite → `00:00.000`. */
export function formatVirtualTime(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
  const millis = total % 1000;
  const seconds = Math.floor(total / 1000) % 60;
  const minutes = Math.floor(total / 60_000) % 60;
  const hours = Math.floor(total / 3_600_000);
  const tail = `${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}`;
  return hours > 0 ? `${hours}:${tail}` : tail;
}

function trimmed(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/** A count in at most five characters or so: `999`, `9,999`, `12.3k`, `1.25M`, `3.1B`. */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs < 10_000) return abs < 100 && abs % 1 !== 0 ? `${sign}${trimmed(abs, 1)}` : formatCount(Math.round(n));
  if (abs < 1_000_000) return `${sign}${trimmed(abs / 1000, abs < 100_000 ? 1 : 0)}k`;
  if (abs < 1_000_000_000) return `${sign}${trimmed(abs / 1_000_000, abs < 10_000_000 ? 2 : 1)}M`;
  return `${sign}${trimmed(abs / 1_000_000_000, 1)}B`;
}

/** Records per (virtual) second, short enough for a node or an edge label: `950/s`, `8k/s`, `12.5k/s`. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  const abs = Math.abs(perSecond);
  if (abs < 1000) return `${abs < 10 && abs % 1 !== 0 ? trimmed(perSecond, 1) : Math.round(perSecond)}/s`;
  if (abs < 1_000_000) return `${trimmed(perSecond / 1000, abs < 100_000 ? 1 : 0)}k/s`;
  return `${formatCompact(perSecond)}/s`;
}

/** An exact count with separators, for titles and tables. */
export function formatExact(n: number): string {
  return Number.isFinite(n) ? formatCount(Math.round(n)) : '—';
}

/** A speed factor as people say it: `0.25×`, `16×`, `max`. */
export function formatSpeed(speed: number | 'max'): string {
  return speed === 'max' ? 'max' : `${trimmed(speed, 2)}×`;
}

/** ms per second as a percentage of the second: `620 ms/s` → `62%`. */
export function formatRatio(msPerSecond: number): string {
  return `${Math.round(Math.max(0, Math.min(1000, msPerSecond)) / 10)}%`;
}
