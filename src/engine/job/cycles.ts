/**
 * Finding cycles in a job graph, so the validator can name the operators on each one.
 *
 * Tarjan's strongly connected components, iterative (an explicit work stack instead of
 * recursion, so a 500-operator chain cannot overflow the call stack). Every component with more
 * than one operator holds at least one cycle; one shortest cycle through its first operator is
 * reported per component, which names the problem without listing every overlapping loop.
 * Self-loops are the caller's to report (they are their own rule).
 */

/** A directed edge between node indices; `ref` is handed back in the result (e.g. an edge index). */
export interface GraphEdge { from: number; to: number; ref: number }

/** A cycle: the nodes in order (the last links back to the first) and the edge that closes it. */
export interface Cycle { nodes: number[]; closingRef: number }

/** The strongly connected components with at least two nodes. */
export function nonTrivialComponents(nodeCount: number, edges: readonly GraphEdge[]): number[][] {
  const out: GraphEdge[][] = Array.from({ length: nodeCount }, () => []);
  for (const edge of edges) out[edge.from]?.push(edge);
  const index = new Array<number>(nodeCount).fill(-1);
  const low = new Array<number>(nodeCount).fill(0);
  const onStack = new Array<boolean>(nodeCount).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (v: number): void => {
    index[v] = counter;
    low[v] = counter;
    counter++;
    stack.push(v);
    onStack[v] = true;
  };
  for (let root = 0; root < nodeCount; root++) {
    if (index[root] !== -1) continue;
    visit(root);
    const work: [node: number, next: number][] = [[root, 0]];
    while (work.length > 0) {
      const top = work[work.length - 1] as [number, number];
      const [v, next] = top;
      const adjacent = out[v] as GraphEdge[];
      if (next < adjacent.length) {
        top[1] = next + 1;
        const w = (adjacent[next] as GraphEdge).to;
        if (index[w] === -1) {
          visit(w);
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === index[v]) {
        const component: number[] = [];
        for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
          onStack[w] = false;
          component.push(w);
          if (w === v) break;
        }
        if (component.length > 1) components.push(component.sort((a, b) => a - b));
      }
    }
  }
  return components;
}

/** One shortest cycle through the first node of each non-trivial component (breadth-first). */
export function findCycles(nodeCount: number, edges: readonly GraphEdge[]): Cycle[] {
  const cycles: Cycle[] = [];
  for (const component of nonTrivialComponents(nodeCount, edges)) {
    const members = new Set(component);
    const start = component[0] as number;
    const inside = edges.filter((edge) => members.has(edge.from) && members.has(edge.to) && edge.from !== edge.to);
    const cycle = shortestCycleThrough(start, inside);
    if (cycle !== undefined) cycles.push(cycle);
  }
  return cycles;
}

function shortestCycleThrough(start: number, edges: readonly GraphEdge[]): Cycle | undefined {
  const reachedBy = new Map<number, GraphEdge>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    for (const edge of edges) {
      if (edge.from !== v) continue;
      if (edge.to === start) return { nodes: pathTo(v, start, reachedBy), closingRef: edge.ref };
      if (edge.to !== start && !reachedBy.has(edge.to)) {
        reachedBy.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  return undefined;
}

function pathTo(end: number, start: number, reachedBy: ReadonlyMap<number, GraphEdge>): number[] {
  const nodes = [end];
  for (let v = end; v !== start;) {
    const edge = reachedBy.get(v) as GraphEdge;
    v = edge.from;
    nodes.push(v);
  }
  return nodes.reverse();
}
