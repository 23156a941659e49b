import type { Step, WorkflowDefinition } from '@baton/workflow-dsl';
import type { ListRef } from './state';

export interface IndexedStep {
  step: Step;
  list: ListRef;
  index: number;
}

export interface StepIndex {
  byName: ReadonlyMap<string, IndexedStep>;
}

const cache = new WeakMap<WorkflowDefinition, StepIndex>();

/** Every step by name with the list it sits in; definitions are immutable, so it is built once. */
export function stepIndex(definition: WorkflowDefinition): StepIndex {
  const cached = cache.get(definition);
  if (cached) return cached;
  const byName = new Map<string, IndexedStep>();
  const walk = (steps: readonly Step[], list: ListRef): void => {
    steps.forEach((step, index) => {
      byName.set(step.name, { step, list, index });
      for (const [ref, nested] of nestedLists(step)) walk(nested, ref);
    });
  };
  walk(definition.steps, {});
  const index = { byName };
  cache.set(definition, index);
  return index;
}

function nestedLists(step: Step): [ListRef, readonly Step[]][] {
  switch (step.kind) {
    case 'switch': {
      const lists: [ListRef, readonly Step[]][] = [];
      step.cases.forEach((c, i) => {
        if (c.then.kind === 'steps') lists.push([{ step: step.name, branch: i }, c.then.steps]);
      });
      if (step.default?.then.kind === 'steps')
        lists.push([{ step: step.name, branch: -1 }, step.default.then.steps]);
      return lists;
    }
    case 'parallel':
      return step.branches.map((b, i) => [{ step: step.name, branch: i }, b.steps]);
    case 'foreach':
      return [[{ step: step.name }, step.steps]];
    default:
      return [];
  }
}

/** The steps of a list, or an empty list when the reference does not resolve. */
export function stepsOf(definition: WorkflowDefinition, ref: ListRef): readonly Step[] {
  if (ref.step === undefined) return definition.steps;
  const owner = stepIndex(definition).byName.get(ref.step)?.step;
  if (!owner) return [];
  switch (owner.kind) {
    case 'switch': {
      const branch = ref.branch === -1 ? owner.default?.then : owner.cases[ref.branch ?? 0]?.then;
      return branch?.kind === 'steps' ? branch.steps : [];
    }
    case 'parallel':
      return owner.branches[ref.branch ?? 0]?.steps ?? [];
    case 'foreach':
      return owner.steps;
    default:
      return [];
  }
}

export function sameList(a: ListRef, b: ListRef): boolean {
  return a.step === b.step && (a.branch ?? null) === (b.branch ?? null);
}
