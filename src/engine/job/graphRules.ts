/**
 * The graph rules of a job: what makes a set of well-formed operators and edges a runnable
 * Flink-style dataflow.
 *
 * - ids and uids are unique; edges are unique, have known ends and are not self-loops;
 * - the graph is acyclic (cycles are named operator by operator);
 * - sources have no inputs, sinks no outputs, and every operator has as many inputs as its
 *   kind needs (a union needs two);
 * - every input of a keyed operator is a hash edge (Flink's keyBy), because only a hash edge
 *   routes each key to the subtask that owns its key group;
 * - forward edges join equal parallelisms, as Flink requires.
 *
 * Rules only look at facts that are themselves valid, so one mistake is reported once.
 */
import { CATALOGUE } from './catalogue';
import { findCycles, type GraphEdge } from './cycles';
import { show } from './errors';
import { childPath, type Issues } from './issues';
import type { OperatorFacts } from './validateOperator';
import type { EdgeFacts } from './validateEdge';

/** An edge whose two ends are operators of the job. */
interface ResolvedEdge { facts: EdgeFacts; from: OperatorFacts; to: OperatorFacts; label: string }

/** Applies every graph rule, reporting to `issues`. */
export function checkGraph(issues: Issues, operators: readonly OperatorFacts[], edges: readonly EdgeFacts[]): void {
  const byId = indexOperators(issues, operators);
  checkUids(issues, operators);
  const resolved = resolveEdges(issues, edges, byId);
  for (const edge of resolved) checkEdgeEnds(issues, edge);
  checkInputCounts(issues, operators, resolved);
  checkCycles(issues, operators, resolved);
}

/** Operators by id (first occurrence wins); later duplicates are reported. */
function indexOperators(issues: Issues, operators: readonly OperatorFacts[]): Map<string, OperatorFacts> {
  const byId = new Map<string, OperatorFacts>();
  for (const op of operators) {
    if (op.id === undefined) continue;
    const first = byId.get(op.id);
    if (first === undefined) {
      byId.set(op.id, op);
    } else {
      issues.add('graph.duplicateId', childPath(op.path, 'id'), { value: show(op.id), first: first.path }, op.validId ? op.id : undefined);
    }
  }
  return byId;
}

function checkUids(issues: Issues, operators: readonly OperatorFacts[]): void {
  const byUid = new Map<string, OperatorFacts>();
  for (const op of operators) {
    if (op.uid === undefined) continue;
    const first = byUid.get(op.uid);
    if (first === undefined) {
      byUid.set(op.uid, op);
    } else {
      issues.add('graph.duplicateUid', childPath(op.path, 'uid'), {
        value: show(op.uid), first: labelOf(first), id: labelOf(op),
      }, op.validId ? op.id : undefined);
    }
  }
}

function labelOf(op: OperatorFacts): string {
  return op.validId ? show(op.id) : `at ${op.path}`;
}

/** Edges with both ends known; reports dangling ends, self-loops and duplicates on the way. */
function resolveEdges(issues: Issues, edges: readonly EdgeFacts[], byId: ReadonlyMap<string, OperatorFacts>): ResolvedEdge[] {
  const resolved: ResolvedEdge[] = [];
  const seen = new Set<string>();
  for (const edge of edges) {
    const label = edge.id !== undefined ? show(edge.id) : `at ${edge.path}`;
    const from = edge.from === undefined ? undefined : byId.get(edge.from);
    const to = edge.to === undefined ? undefined : byId.get(edge.to);
    for (const [end, ref, op] of [['from', edge.from, from], ['to', edge.to, to]] as const) {
      if (ref !== undefined && op === undefined) {
        issues.add('edge.dangling', childPath(edge.path, end), { edge: label, ref: show(ref) }, edge.id);
      }
    }
    if (from === undefined || to === undefined) continue;
    if (from === to) {
      issues.add('edge.selfLoop', edge.path, { edge: label, op: labelOf(from) }, edge.id);
      continue;
    }
    // JSON of the pair is an unambiguous key even for ids that contain "->".
    const pair = JSON.stringify([edge.from, edge.to]);
    if (seen.has(pair)) {
      issues.add('edge.duplicate', edge.path, { edge: label }, edge.id);
      continue;
    }
    seen.add(pair);
    resolved.push({ facts: edge, from, to, label });
  }
  return resolved;
}

/** Sources take no input, sinks give no output, keyed operators read hash edges, forward keeps parallelism. */
function checkEdgeEnds(issues: Issues, edge: ResolvedEdge): void {
  const { facts, from, to, label } = edge;
  const fromKind = from.kind === undefined ? undefined : CATALOGUE[from.kind];
  const toKind = to.kind === undefined ? undefined : CATALOGUE[to.kind];
  if (fromKind !== undefined && !fromKind.hasOutputs) {
    issues.add('graph.sinkOutput', childPath(facts.path, 'from'), { from: labelOf(from), kind: fromKind.kind, edge: label }, facts.id);
  }
  if (toKind !== undefined && toKind.category === 'source') {
    issues.add('graph.sourceInput', childPath(facts.path, 'to'), { to: labelOf(to), kind: toKind.kind, edge: label }, facts.id);
  }
  const partitioner = facts.partitioner;
  if (partitioner === undefined) return;
  if (toKind !== undefined && toKind.category === 'keyed' && partitioner !== 'hash') {
    issues.add('graph.keyedInput', childPath(facts.path, 'partitioner'), {
      id: labelOf(to), kind: toKind.kind, edge: label, partitioner: show(partitioner),
    }, facts.id);
  }
  if (partitioner === 'forward' && from.parallelism !== undefined && to.parallelism !== undefined
    && from.parallelism !== to.parallelism) {
    issues.add('edge.forwardParallelism', childPath(facts.path, 'partitioner'), {
      edge: label, fromParallelism: from.parallelism, toParallelism: to.parallelism,
    }, facts.id);
  }
}

/** Every non-source operator needs between minInputs and maxInputs inputs (sources are covered per edge). */
function checkInputCounts(issues: Issues, operators: readonly OperatorFacts[], edges: readonly ResolvedEdge[]): void {
  const inputs = new Map<OperatorFacts, number>();
  for (const edge of edges) inputs.set(edge.to, (inputs.get(edge.to) ?? 0) + 1);
  for (const op of operators) {
    if (op.kind === undefined || CATALOGUE[op.kind].category === 'source') continue;
    const { minInputs, maxInputs, kind } = CATALOGUE[op.kind];
    const count = inputs.get(op) ?? 0;
    const id = op.validId ? op.id : undefined;
    if (count < minInputs) {
      issues.add('graph.tooFewInputs', op.path, { id: labelOf(op), kind, need: minInputs === 1 ? 'an input' : `at least ${minInputs} inputs`, count: count === 0 ? 'none' : count, missing: minInputs - count }, id);
    } else if (count > maxInputs) {
      issues.add('graph.tooManyInputs', op.path, { id: labelOf(op), kind, max: maxInputs, count, extra: count - maxInputs }, id);
    }
  }
}

function checkCycles(issues: Issues, operators: readonly OperatorFacts[], edges: readonly ResolvedEdge[]): void {
  const node = new Map<OperatorFacts, number>();
  operators.forEach((op, i) => node.set(op, i));
  const graphEdges: GraphEdge[] = edges.map((edge, i) => ({
    from: node.get(edge.from) as number, to: node.get(edge.to) as number, ref: i,
  }));
  for (const cycle of findCycles(operators.length, graphEdges)) {
    const names = cycle.nodes.map((i) => labelOf(operators[i] as OperatorFacts));
    const closing = edges[cycle.closingRef] as ResolvedEdge;
    issues.add('graph.cycle', closing.facts.path, {
      cycle: [...names, names[0]].join(' → '),
    }, closing.facts.id);
  }
}
