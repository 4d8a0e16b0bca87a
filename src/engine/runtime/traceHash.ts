/**
 * The run's event-trace hash (DESIGN.md §3): determinism is a product feature, and this is
 * how it is checked. Every trace event (a tick's digest, a checkpoint, a failure, a restore,
 * committed output) is fed in order as one canonical JSON line into SHA-256; two runs of the
 * same job, config, seed and fault timeline must end with the same hex digest, whatever the
 * number of TaskManager workers or the speed of the machine.
 *
 * SHA-256 comes from @noble/hashes (audited, dependency-free, pure JS, incremental), not a
 * hand-rolled hash: trace hashes are compared across browsers and Node, and are part of
 * scenario results users store.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** JSON with object keys sorted, so field order in the code never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** An incremental hash over the run's trace events. */
export class TraceHasher {
  private hash = sha256.create();
  private count = 0;

  /** Adds one event; events must be added in the run's deterministic order. */
  add(event: unknown): void {
    this.hash.update(utf8ToBytes(`${canonicalJson(event)}\n`));
    this.count += 1;
  }

  /** Number of events added so far. */
  get events(): number {
    return this.count;
  }

  /** Hex digest of everything added so far; adding more afterwards continues the same trace. */
  digest(): string {
    return bytesToHex(this.hash.clone().digest());
  }
}
