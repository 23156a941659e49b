import dagre from '@dagrejs/dagre';
import type { StepKind, StepSummary } from './workflow-document';

/** A node on the canvas: one step (or the start), placed by the auto-layout. */
export interface GraphNode {
  id: string;
  name: string;
  kind: StepKind | 'unknown' | 'start';
  target: string;
  x: number;
  y: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
}

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 58;
export const START_ID = 'start';

/**
 * The workflow as a graph: steps run in list order, so each step points to
 * the next; a switch, parallel or foreach points to the first step of each of
 * its cases or branches, whose last step points to what follows the container.
 * Pure; positions come from dagre (top to bottom).
 */
export function workflowGraph(steps: StepSummary[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [
    { id: START_ID, name: 'start', kind: 'start', target: 'input', x: 0, y: 0 },
  ];
  const edges: GraphEdge[] = [];
  const link = (source: string, target: string, label?: string) =>
    edges.push({ id: `${source}->${target}`, source, target, ...(label ? { label } : {}) });

  /** Adds a sequence; answers the ids its control leaves from (its last steps). */
  const addSequence = (sequence: StepSummary[], entries: string[], label?: string): string[] => {
    let exits = entries;
    sequence.forEach((step, index) => {
      nodes.push({
        id: step.id,
        name: step.name,
        kind: step.kind,
        target: step.target,
        x: 0,
        y: 0,
      });
      for (const exit of exits) link(exit, step.id, index === 0 ? label : undefined);
      if (step.groups.length === 0) {
        exits = [step.id];
        return;
      }
      exits = step.groups.flatMap((group) =>
        group.steps.length ? addSequence(group.steps, [step.id], group.label) : [step.id],
      );
    });
    return exits;
  };
  addSequence(steps, [START_ID]);
  return { nodes: layout(nodes, edges), edges };
}

function layout(nodes: GraphNode[], edges: GraphEdge[]): GraphNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 50 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    return { ...node, x: placed.x - NODE_WIDTH / 2, y: placed.y - NODE_HEIGHT / 2 };
  });
}
