/**
 * Checks one entry of `edges`: its fields, partitioner and key.
 *
 * Only hash edges carry a key (Flink's keyBy), and the key is an expression over the record,
 * so it is parsed here (never run). Whether the ends exist and fit together is the graph
 * rules' business (`graphRules.ts`).
 */
import { parseExpression } from '../expr/parse';
import { show } from './errors';
import { childPath, type Issues } from './issues';
import { isValidId } from './limits';
import { checkFields, isObject, missing, own, wrongType, type Site } from './shape';
import { edgeId, PARTITIONERS, type EdgeSpec, type Partitioner } from './types';

/** The fields an edge may have, in canonical order. */
export const EDGE_FIELDS = ['from', 'to', 'partitioner', 'key'] as const;

/** What validation learned about one edge; fields are set only when they are valid. */
export interface EdgeFacts {
  index: number;
  path: string;
  from?: string;
  to?: string;
  /** `from->to` when both ends are text. */
  id?: string;
  partitioner?: Partitioner;
  /** The normalised edge (complete only when the whole job is valid). */
  spec: EdgeSpec;
}

function isPartitioner(value: unknown): value is Partitioner {
  return typeof value === 'string' && (PARTITIONERS as readonly string[]).includes(value);
}

/** Checks `raw`, the edge at `index`. */
export function validateEdge(issues: Issues, raw: unknown, index: number): EdgeFacts {
  const path = childPath('$.edges', index);
  const facts: EdgeFacts = { index, path, spec: {} as EdgeSpec };
  if (!isObject(raw)) {
    issues.add('json.wrongType', path, { field: `edges[${index}]`, where: 'the job', expected: 'an object', actual: show(raw) });
    return facts;
  }
  const from = own(raw, 'from');
  const to = own(raw, 'to');
  if (typeof from === 'string') facts.from = from;
  if (typeof to === 'string') facts.to = to;
  // Only well-formed ends make an edge id; a 10 MB `from` must not become an error's id.
  if (facts.from !== undefined && facts.to !== undefined && isValidId(facts.from) && isValidId(facts.to)) {
    facts.id = edgeId({ from: facts.from, to: facts.to });
  }
  const label = facts.id !== undefined ? show(facts.id) : `at ${path}`;
  const site: Site = { issues, path, where: `edge ${label}`, id: facts.id };
  checkFields(site, raw, EDGE_FIELDS);

  for (const [end, value] of [['from', from], ['to', to]] as const) {
    if (value === undefined) missing(site, end, 'the id of an operator of this job');
    else if (typeof value !== 'string') wrongType(site, end, 'an operator id (text)', value);
  }

  const partitioner = own(raw, 'partitioner');
  if (isPartitioner(partitioner)) facts.partitioner = partitioner;
  else if (partitioner === undefined) missing(site, 'partitioner', `one of ${PARTITIONERS.join(', ')}`);
  else {
    issues.add('edge.partitionerUnknown', childPath(path, 'partitioner'), {
      value: show(partitioner), edge: label, partitioners: PARTITIONERS.join(', '),
    }, facts.id);
  }

  const key = checkKey(site, own(raw, 'key'), facts.partitioner, label);
  const spec: Partial<EdgeSpec> = { from: facts.from, to: facts.to, partitioner: facts.partitioner };
  if (key !== undefined) spec.key = key;
  facts.spec = spec as EdgeSpec;
  return facts;
}

/** A hash edge needs a key that parses; any other edge must not have one. */
function checkKey(site: Site, key: unknown, partitioner: Partitioner | undefined, label: string): string | undefined {
  const path = childPath(site.path, 'key');
  if (key === undefined) {
    if (partitioner === 'hash') site.issues.add('edge.keyMissing', path, { edge: label }, site.id);
    return undefined;
  }
  if (partitioner !== undefined && partitioner !== 'hash') {
    site.issues.add('edge.keyNotAllowed', path, { edge: label, partitioner: show(partitioner) }, site.id);
    return undefined;
  }
  if (typeof key !== 'string') {
    wrongType(site, 'key', 'text (a field name or expression)', key);
    return undefined;
  }
  const parsed = parseExpression(key);
  if (!parsed.ok) {
    site.issues.add('edge.keyInvalid', path, { edge: label, detail: parsed.message }, site.id);
    return undefined;
  }
  return key;
}
