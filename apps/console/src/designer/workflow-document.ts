import { isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';

/**
 * The designer's one source of truth: the workflow's YAML as a `yaml`
 * Document. The canvas and the side panel are views of it and edit it through
 * the functions below, so comments, key order and formatting the user wrote
 * survive every edit made on the canvas (a Document keeps them; plain objects
 * would not). Pure: no DOM, no network.
 */

export const STEP_KINDS = [
  'agent',
  'action',
  'switch',
  'parallel',
  'foreach',
  'workflow',
  'wait_for_event',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Where a step sits in the document: the path of its map, e.g. ['workflow','steps',2]. */
export type StepPath = (string | number)[];

export interface StepSummary {
  path: StepPath;
  /** A stable id for the canvas: the path joined. */
  id: string;
  name: string;
  kind: StepKind | 'unknown';
  /** What the step calls: its agent, action, sub-workflow or awaited event type. */
  target: string;
  /** The step's nested steps, grouped by the case or branch they belong to. */
  groups: { label: string; steps: StepSummary[] }[];
}

export interface YamlProblem {
  message: string;
  line: number | null;
  column: number | null;
}

export interface ParsedWorkflow {
  doc: Document;
  problems: YamlProblem[];
}

/** The empty designer's document: a name and no steps yet. */
export const EMPTY_WORKFLOW = 'workflow:\n  name: untitled-workflow\n  steps: []\n';

/** At most this many characters of YAML are parsed in the browser (the API's body limit is larger). */
export const MAX_YAML_CHARS = 512 * 1024;

export function parseWorkflow(text: string): ParsedWorkflow {
  if (text.length > MAX_YAML_CHARS) {
    return {
      doc: parseDocument(EMPTY_WORKFLOW),
      problems: [
        { message: `the YAML is over ${MAX_YAML_CHARS} characters`, line: null, column: null },
      ],
    };
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problems = doc.errors.map((error) => ({
    message: error.message.split('\n')[0],
    line: error.linePos?.[0]?.line ?? null,
    column: error.linePos?.[0]?.col ?? null,
  }));
  return { doc, problems };
}

export function workflowName(doc: Document): string {
  const name = doc.getIn(['workflow', 'name']);
  return typeof name === 'string' ? name : '';
}

function kindOf(step: YAMLMap): StepKind | 'unknown' {
  for (const kind of STEP_KINDS) if (step.has(kind)) return kind;
  return 'unknown';
}

function scalarText(value: unknown): string {
  if (isScalar(value)) return value.value === null ? '' : String(value.value);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return '';
}

function targetOf(step: YAMLMap, kind: StepKind | 'unknown'): string {
  switch (kind) {
    case 'agent':
    case 'action':
    case 'workflow':
      return scalarText(step.get(kind, true));
    case 'wait_for_event':
      return scalarText((step.get('wait_for_event') as YAMLMap | undefined)?.get?.('type', true));
    case 'foreach':
      return scalarText((step.get('foreach') as YAMLMap | undefined)?.get?.('items', true));
    default:
      return '';
  }
}

function nestedGroups(step: YAMLMap, kind: StepKind | 'unknown', path: StepPath) {
  const groups: StepSummary['groups'] = [];
  const body = step.get(kind === 'unknown' ? '' : kind);
  if (kind === 'switch' && isSeq(body)) {
    body.items.forEach((item, index) => {
      if (!isMap(item)) return;
      const label = item.get('default') ? 'default' : `when ${scalarText(item.get('when', true))}`;
      const steps = item.get('steps');
      if (isSeq(steps))
        groups.push({ label, steps: summarise(steps, [...path, 'switch', index, 'steps']) });
    });
  }
  if (kind === 'parallel' && isMap(body)) {
    const branches = body.get('branches');
    if (isSeq(branches)) {
      branches.items.forEach((branch, index) => {
        if (!isMap(branch)) return;
        const steps = branch.get('steps');
        const label = scalarText(branch.get('name', true)) || `branch ${index + 1}`;
        if (isSeq(steps))
          groups.push({
            label,
            steps: summarise(steps, [...path, 'parallel', 'branches', index, 'steps']),
          });
      });
    }
  }
  if (kind === 'foreach' && isMap(body)) {
    const steps = body.get('steps');
    if (isSeq(steps))
      groups.push({ label: 'each item', steps: summarise(steps, [...path, 'foreach', 'steps']) });
  }
  return groups;
}

function summarise(seq: YAMLSeq, basePath: StepPath): StepSummary[] {
  const steps: StepSummary[] = [];
  seq.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const path = [...basePath, index];
    const kind = kindOf(item);
    steps.push({
      path,
      id: path.join('.'),
      name: scalarText(item.get('name', true)),
      kind,
      target: targetOf(item, kind),
      groups: nestedGroups(item, kind, path),
    });
  });
  return steps;
}

/** The workflow's top-level steps, in document order, with their nested ones. */
export function stepsOf(doc: Document): StepSummary[] {
  const steps = doc.getIn(['workflow', 'steps']);
  return isSeq(steps) ? summarise(steps, ['workflow', 'steps']) : [];
}

/** Every step name in the document, nested ones included (names are unique per workflow). */
export function allStepNames(doc: Document): string[] {
  const names: string[] = [];
  const walk = (steps: StepSummary[]) => {
    for (const step of steps) {
      names.push(step.name);
      for (const group of step.groups) walk(group.steps);
    }
  };
  walk(stepsOf(doc));
  return names;
}

/** A name like `agent-step-2` that no step has yet. */
export function freshStepName(doc: Document, kind: StepKind): string {
  const taken = new Set(allStepNames(doc));
  const base = kind.replace(/_/g, '-');
  for (let n = 1; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** What a freshly dropped step of each kind holds: enough to be valid once its target is named. */
export function stepTemplate(kind: StepKind, name: string): Record<string, unknown> {
  switch (kind) {
    case 'agent':
      return { name, agent: 'my-agent' };
    case 'action':
      return { name, action: 'send-message' };
    case 'workflow':
      return { name, workflow: 'child-workflow' };
    case 'wait_for_event':
      return { name, wait_for_event: { type: 'order.approved', timeout: '1h' } };
    case 'switch':
      return {
        name,
        switch: [
          {
            when: '${input.priority = "high"}',
            steps: [{ name: `${name}-urgent`, agent: 'my-agent' }],
          },
          { default: true, steps: [{ name: `${name}-normal`, agent: 'my-agent' }] },
        ],
      };
    case 'parallel':
      return {
        name,
        parallel: {
          join: 'all',
          branches: [
            { steps: [{ name: `${name}-left`, agent: 'my-agent' }] },
            { steps: [{ name: `${name}-right`, agent: 'my-agent' }] },
          ],
        },
      };
    case 'foreach':
      return {
        name,
        foreach: {
          items: '${input.items}',
          as: 'item',
          steps: [{ name: `${name}-each`, agent: 'my-agent' }],
        },
      };
  }
}

/** The document's top-level step list, created (in block style) when missing or empty. */
function topLevelSteps(doc: Document): YAMLSeq {
  let steps = doc.getIn(['workflow', 'steps']);
  if (!isSeq(steps)) {
    steps = new YAMLSeq();
    doc.setIn(['workflow', 'steps'], steps);
  }
  const seq = steps as YAMLSeq;
  // `steps: []` is flow style; appending to it would give `steps: [ { ... } ]`.
  if (seq.flow && seq.items.length === 0) seq.flow = false;
  return seq;
}

/** Appends a step of `kind` at the end of the workflow (the DSL runs steps in list order). */
export function appendStep(doc: Document, kind: StepKind): string {
  const name = freshStepName(doc, kind);
  topLevelSteps(doc).add(doc.createNode(stepTemplate(kind, name)));
  return name;
}

/** A field of a step: `timeout`, or a nested one such as `['retry', 'max_attempts']`. */
export type FieldPath = string | string[];

function fieldPath(field: FieldPath): string[] {
  return Array.isArray(field) ? field : [field];
}

/** Fields a step cannot lack: emptied, they stay in place (as '') so the key order survives. */
const KEPT_WHEN_EMPTY = new Set(['name', 'agent', 'action', 'workflow']);

/**
 * Sets one field of a step; an empty value removes an optional field (and a
 * parent map it leaves empty, such as `retry`), so optional fields vanish.
 */
export function setStepField(
  doc: Document,
  path: StepPath,
  field: FieldPath,
  value: string | number,
): void {
  const at = [...path, ...fieldPath(field)];
  const optional = !KEPT_WHEN_EMPTY.has(fieldPath(field).join('.'));
  if (typeof value === 'string' && value.trim() === '' && optional) {
    if (doc.hasIn(at)) doc.deleteIn(at);
    for (let depth = at.length - 1; depth > path.length; depth--) {
      const parent = doc.getIn(at.slice(0, depth), true);
      if (isMap(parent) && parent.items.length === 0) doc.deleteIn(at.slice(0, depth));
    }
    return;
  }
  const current = doc.getIn(at, true);
  if (isScalar(current)) {
    current.value = value; // keeps the scalar's comment and quoting style
    return;
  }
  doc.setIn(at, value);
}

export function stepField(doc: Document, path: StepPath, field: FieldPath): string {
  const value = doc.getIn([...path, ...fieldPath(field)], true);
  if (isScalar(value)) return value.value === null ? '' : String(value.value);
  if (value === undefined) return '';
  return String(value);
}

/**
 * The step a validation problem is about: `workflow.steps[1].switch[0].steps[2].agent`
 * belongs to the step whose id is the longest matching prefix, `workflow.steps.1.switch.0.steps.2`.
 */
export function stepIdOfProblemPath(
  problemPath: string,
  stepIds: ReadonlySet<string>,
): string | undefined {
  const parts = problemPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  for (let length = parts.length; length > 0; length--) {
    const id = parts.slice(0, length).join('.');
    if (stepIds.has(id)) return id;
  }
  return undefined;
}

export function removeStep(doc: Document, path: StepPath): void {
  doc.deleteIn(path);
}

/** Moves a top-level step one place up (-1) or down (+1): the order is the execution order. */
export function moveStep(doc: Document, index: number, delta: -1 | 1): void {
  const seq = topLevelSteps(doc);
  const target = index + delta;
  if (target < 0 || target >= seq.items.length) return;
  const [item] = seq.items.splice(index, 1);
  seq.items.splice(target, 0, item);
}

export function findStep(steps: StepSummary[], id: string): StepSummary | undefined {
  for (const step of steps) {
    if (step.id === id) return step;
    for (const group of step.groups) {
      const found = findStep(group.steps, id);
      if (found) return found;
    }
  }
  return undefined;
}
