import {
  DEFAULT_LOOP_VARIABLE,
  LOOP_INDEX_NAME,
  type Step,
  type WorkflowDefinition,
} from '../model/workflow.types';

/** One step with what the validator and the engine need to know about its surroundings. */
export interface StepVisit {
  readonly step: Step;
  /** Steps that contain this one, outermost first. */
  readonly ancestors: readonly Step[];
  /** Loop variables bound here by enclosing foreach steps. */
  readonly loopVariables: readonly string[];
  /** The step list this step is in (0 is the workflow's own list). */
  readonly listId: number;
}

export interface StepList {
  readonly id: number;
  readonly parent?: number;
  /**
   * Lists in one region run on one sequential thread of control. A parallel
   * branch or a foreach body starts a new region, and a jump may not leave it.
   */
  readonly region: number;
}

export interface StepTree {
  readonly visits: readonly StepVisit[];
  readonly lists: ReadonlyMap<number, StepList>;
}

export const ROOT_LIST_ID = 0;

/** Every step of the workflow, depth first in document order. */
export function collectSteps(definition: WorkflowDefinition): StepTree {
  const visits: StepVisit[] = [];
  const lists = new Map<number, StepList>();
  let nextId = ROOT_LIST_ID;

  const walk = (
    steps: readonly Step[],
    list: StepList,
    ancestors: readonly Step[],
    loopVariables: readonly string[],
  ): void => {
    lists.set(list.id, list);
    for (const step of steps) {
      visits.push({ step, ancestors, loopVariables, listId: list.id });
      const inside = [...ancestors, step];
      const child = (newRegion: boolean): StepList => {
        nextId += 1;
        return { id: nextId, parent: list.id, region: newRegion ? nextId : list.region };
      };
      switch (step.kind) {
        case 'switch':
          for (const branch of [...step.cases.map((c) => c.then), step.default?.then]) {
            if (branch?.kind === 'steps') walk(branch.steps, child(false), inside, loopVariables);
          }
          break;
        case 'parallel':
          for (const branch of step.branches)
            walk(branch.steps, child(true), inside, loopVariables);
          break;
        case 'foreach':
          walk(step.steps, child(true), inside, [
            ...loopVariables,
            step.as || DEFAULT_LOOP_VARIABLE,
            LOOP_INDEX_NAME,
          ]);
          break;
        default:
          break;
      }
    }
  };

  walk(definition.steps, { id: ROOT_LIST_ID, region: ROOT_LIST_ID }, [], []);
  return { visits, lists };
}

/**
 * Whether control may jump from a step in `fromList` to a step in `toList`:
 * the target must be in the same list or an enclosing one, without leaving a
 * parallel branch or foreach body (which would strand the other branches).
 */
export function canJump(tree: StepTree, fromList: number, toList: number): boolean {
  const region = tree.lists.get(fromList)?.region;
  let current: StepList | undefined = tree.lists.get(fromList);
  while (current && current.region === region) {
    if (current.id === toList) return true;
    current = current.parent === undefined ? undefined : tree.lists.get(current.parent);
  }
  return false;
}

/** Calls `visit` for every step, nested ones included, depth first in document order. */
export function walkSteps(
  definition: WorkflowDefinition,
  visit: (step: Step, ancestors: readonly Step[]) => void,
): void {
  for (const v of collectSteps(definition).visits) visit(v.step, v.ancestors);
}

/** A step anywhere in the workflow, by name. */
export function findStep(definition: WorkflowDefinition, name: string): Step | undefined {
  return collectSteps(definition).visits.find((v) => v.step.name === name)?.step;
}
