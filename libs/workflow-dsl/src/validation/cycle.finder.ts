interface Edge {
  readonly from: string;
  readonly to: string;
}

/**
 * One cycle per strongly connected component (Tarjan), as the list of edges
 * that walk it, starting from the component's earliest jump in document order.
 */
export function findCycles<E extends Edge>(edges: readonly E[]): E[][] {
  const out = new Map<string, E[]>();
  const order: string[] = [];
  for (const edge of edges) {
    for (const node of [edge.from, edge.to]) {
      if (!out.has(node)) {
        out.set(node, []);
        order.push(node);
      }
    }
    out.get(edge.from)?.push(edge);
  }

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;

  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const edge of out.get(node) ?? []) {
      if (!index.has(edge.to)) {
        connect(edge.to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(edge.to) ?? 0));
      } else if (onStack.has(edge.to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(edge.to) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of order) if (!index.has(node)) connect(node);

  const cycles: E[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = order.find((node) => members.has(node));
    if (start === undefined) continue;
    const selfLoop = (out.get(start) ?? []).find((e) => e.to === start);
    if (component.length === 1) {
      if (selfLoop) cycles.push([selfLoop]);
      continue;
    }
    const path = walkBack(start, members, out);
    if (path) cycles.push(path);
  }
  return cycles.sort((a, b) => edges.indexOf(a[0]) - edges.indexOf(b[0]));
}

/** A path of edges from `start` back to itself inside one component (breadth first: shortest). */
function walkBack<E extends Edge>(
  start: string,
  members: ReadonlySet<string>,
  out: ReadonlyMap<string, E[]>,
): E[] | undefined {
  const via = new Map<string, E>();
  const queue: string[] = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const edge of out.get(node) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const path: E[] = [edge];
        let current = node;
        while (current !== start) {
          const previous = via.get(current);
          if (!previous) break;
          path.unshift(previous);
          current = previous.from;
        }
        return path;
      }
      if (!via.has(edge.to) && edge.to !== start) {
        via.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  return undefined;
}
