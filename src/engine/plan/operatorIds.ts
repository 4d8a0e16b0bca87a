/**
 * Stable operator ids (DESIGN.md §2): what an operator's state is addressed by — keyed state
 * rows, timers, a source's partitions and offsets — so that editing the job does not orphan it.
 *
 * Where the idea comes from: Flink's StreamGraphHasherV2 gives an operator without a `uid` a
 * 16-byte hash of its place in the graph — its traversal index, the hashes of its inputs and
 * its chained outputs — so adding a downstream operator or changing a parallelism (which
 * changes chaining) changes ids upstream and orphans their state. Bilibili's StreamGraphHasherV3
 * (the seed, `shared/seeds/003_…`) ignores downstream chaining. Sluice goes the same way and
 * drops the traversal index too (adding a source elsewhere would shift it):
 *
 * - with a `uid`, the id is the uid itself (the state of jobs that set uids stays where it was);
 * - otherwise it is 32 hex digits (128 bits, the size of Flink's OperatorID) of SHA-256 over
 *   the canonical JSON of the operator's **chain hash** and its **config** (catalogue defaults
 *   filled in, fields inactive under the rest of the config left out), where the chain hash is
 *   SHA-256 over its kind and its inputs (each the upstream's chain hash and, on a `hash` edge,
 *   the key), sorted.
 *
 * Consequences, each pinned by `operatorIds.test.ts`:
 * - parallelism, max parallelism, the name, the canvas id, the partitioner of an edge (other
 *   than a hash edge's key) and everything downstream are not part of any id;
 * - a config change changes that operator's id only (what its state means may have changed:
 *   a count is not a sum), not the ids downstream — the chain hash carries no config, as
 *   Flink's hash carries no user function;
 * - a changed key of a hash edge, an inserted or removed upstream operator, or another kind
 *   changes the operator's chain hash and so its id and every id downstream;
 * - a uid changes only its own operator's id (the chain hash ignores uids), so pinning an
 *   operator's id to a saved one (operator-name-assisted restore) leaves the others alone.
 *
 * Operators with the same chain hash (siblings of one kind on the same inputs, sources of one
 * kind) are told apart by an ordinal: their rank in the job's operator list among that group.
 * That is deterministic, and a canvas-id rename keeps it; deleting or reordering such a
 * sibling may shift it — set a `uid` where that must never happen, as Flink advises.
 *
 * Pure: no clock, no randomness; an invalid job (cycle, dangling edge) still gets ids.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { CATALOGUE, configWithDefaults, isFieldActive } from '../job/catalogue';
import type { JobGraph, OperatorSpec } from '../job/types';
import { canonicalJson } from '../runtime/traceHash';

/** Hex digits of a hash-derived id (128 bits). */
export const STABLE_ID_HEX_DIGITS = 32;

/** Version of the hashed document: bump only with a migration, every saved id depends on it. */
const HASH_VERSION = 1;

/** An operator's stable id and where it came from. */
export interface StableOperatorId {
  stableId: string;
  source: 'uid' | 'hash';
}

function hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, STABLE_ID_HEX_DIGITS);
}

/** The operator's config as it runs: catalogue defaults filled in, inactive fields left out. */
export function effectiveConfig(op: Pick<OperatorSpec, 'kind' | 'config'>): Record<string, unknown> {
  const info = CATALOGUE[op.kind];
  if (info === undefined) return { ...(op.config ?? {}) };
  const full = configWithDefaults(op.kind, op.config);
  const out: Record<string, unknown> = {};
  for (const field of info.fields) {
    if (isFieldActive(field, full)) out[field.name] = full[field.name];
  }
  return out;
}

/** Chain hashes (kind and inputs, with the ordinal), by canvas id. */
function chainHashes(job: Pick<JobGraph, 'operators' | 'edges'>): Map<string, string> {
  const byId = new Map(job.operators.map((op) => [op.id, op]));
  const inputsOf = new Map<string, JobGraph['edges']>();
  for (const edge of job.edges) inputsOf.set(edge.to, [...(inputsOf.get(edge.to) ?? []), edge]);
  const raw = new Map<string, string>();
  const visiting = new Set<string>();
  const rawOf = (id: string): string => {
    const known = raw.get(id);
    if (known !== undefined) return known;
    const op = byId.get(id);
    if (op === undefined) return 'missing';
    if (visiting.has(id)) return 'cycle';
    visiting.add(id);
    const inputs = (inputsOf.get(id) ?? [])
      .map((edge) => canonicalJson({ from: rawOf(edge.from), key: edge.partitioner === 'hash' ? (edge.key ?? null) : null }))
      .sort();
    visiting.delete(id);
    const value = hex(canonicalJson({ v: HASH_VERSION, kind: op.kind, inputs }));
    raw.set(id, value);
    return value;
  };
  // Ordinals among operators whose raw chain hash is equal, in job order.
  const seen = new Map<string, number>();
  const result = new Map<string, string>();
  for (const op of job.operators) {
    const base = rawOf(op.id);
    const ordinal = seen.get(base) ?? 0;
    seen.set(base, ordinal + 1);
    result.set(op.id, ordinal === 0 ? base : hex(canonicalJson({ base, ordinal })));
  }
  return result;
}

/**
 * Every operator's stable id, by canvas id (see the module comment).
 *
 * A chain hash with an ordinal feeds only that operator's own id: downstream operators hash
 * their inputs' raw chain hashes, so telling two siblings apart never changes their children.
 * (Their children are told apart by their own ordinals.)
 */
export function stableOperatorIds(job: Pick<JobGraph, 'operators' | 'edges'>): Map<string, StableOperatorId> {
  const chains = chainHashes(job);
  const uids = new Set(job.operators.flatMap((op) => (op.uid === undefined ? [] : [op.uid])));
  const ids = new Map<string, StableOperatorId>();
  for (const op of job.operators) {
    if (op.uid !== undefined) {
      ids.set(op.id, { stableId: op.uid, source: 'uid' });
      continue;
    }
    const chain = chains.get(op.id) as string;
    let stableId = hex(canonicalJson({ v: HASH_VERSION, chain, config: effectiveConfig(op) }));
    // A uid pinned to a saved hash (name-assisted restore) may equal this operator's hash: two
    // operators must never share an address, so the hash gives way (the uid was set on purpose).
    for (let salt = 1; uids.has(stableId); salt++) stableId = hex(canonicalJson({ v: HASH_VERSION, chain, config: effectiveConfig(op), salt }));
    ids.set(op.id, { stableId, source: 'hash' });
  }
  return ids;
}

const cache = new WeakMap<object, Map<string, StableOperatorId>>();

/**
 * The stable id of one operator of `job` (memoised per job object: call sites build a job's
 * subtasks one by one). Falls back to the canvas id for an operator the job does not have.
 */
export function stableIdOf(job: Pick<JobGraph, 'operators' | 'edges'>, operatorId: string): string {
  let ids = cache.get(job);
  if (ids === undefined) {
    ids = stableOperatorIds(job);
    cache.set(job, ids);
  }
  return ids.get(operatorId)?.stableId ?? operatorId;
}
