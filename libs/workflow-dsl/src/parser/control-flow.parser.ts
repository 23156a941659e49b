import { DslCodes } from '../errors/dsl.errors';
import {
  DEFAULT_LOOP_VARIABLE,
  LOOP_INDEX_NAME,
  SCOPE_ROOTS,
  type ForeachStep,
  type ParallelBranch,
  type ParallelStep,
  type Step,
  type SwitchBranch,
  type SwitchCase,
  type SwitchDefault,
  type SwitchStep,
  type WaitForEventStep,
} from '../model/workflow.types';
import { childPath, indexPath } from '../util/doc-path';
import { describeValue } from './doc.reader';
import { optional, readCondition, readTemplate, type StepParseContext } from './step-context';

/** The fields every step kind shares, read before the kind-specific part. */
export type StepCommonFields = Omit<SwitchStep, 'kind' | 'cases' | 'default'>;

type ReadSteps = (value: unknown, path: string, ctx: StepParseContext) => Step[];

const LOOP_VARIABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_CONCURRENCY = 1_000;

/** `switch: [{ when, goto | steps }, ..., { default: true, goto | steps }]`. */
export function readSwitch(
  value: unknown,
  common: StepCommonFields,
  ctx: StepParseContext,
  readSteps: ReadSteps,
): SwitchStep {
  const path = childPath(common.path, 'switch');
  const { reader } = ctx;
  const cases: SwitchCase[] = [];
  let fallback: SwitchDefault | undefined;
  if (!Array.isArray(value) || value.length === 0) {
    reader.problems.error(
      DslCodes.invalidValue,
      `"switch" must be a non-empty list of cases, not ${describeValue(value)}`,
      path,
    );
    return { ...common, kind: 'switch', cases };
  }
  value.forEach((raw, i) => {
    const at = indexPath(path, i);
    const obj = reader.object(raw, at, 'a switch case');
    if (!obj) return;
    reader.knownKeys(obj, at, ['when', 'default', 'goto', 'steps']);
    const branch = readBranch(obj, at, ctx, readSteps);
    if (obj.default !== undefined) {
      if (obj.default !== true) {
        reader.problems.error(
          DslCodes.invalidValue,
          '"default" can only be true',
          childPath(at, 'default'),
        );
      } else if (obj.when !== undefined) {
        reader.problems.error(
          DslCodes.invalidValue,
          'a case has either "when" or "default: true", not both',
          childPath(at, 'when'),
        );
      } else if (fallback) {
        reader.problems.error(DslCodes.invalidValue, 'a switch has at most one default case', at);
      } else {
        if (i < value.length - 1) {
          reader.problems.warning(
            DslCodes.unreachableCase,
            'the default case is not the last one; the cases after it are still tried first',
            at,
          );
        }
        if (branch) fallback = { path: at, then: branch };
      }
      return;
    }
    const when = reader.required(obj, 'when', at, 'a switch case')
      ? readCondition(obj, 'when', at, ctx)
      : undefined;
    if (when !== undefined && branch) cases.push({ path: at, when, then: branch });
  });
  return { ...common, kind: 'switch', cases, ...optional('default', fallback) };
}

function readBranch(
  obj: Record<string, unknown>,
  path: string,
  ctx: StepParseContext,
  readSteps: ReadSteps,
): SwitchBranch | undefined {
  const hasGoto = obj.goto !== undefined;
  const hasSteps = obj.steps !== undefined;
  if (hasGoto === hasSteps) {
    ctx.reader.problems.error(
      DslCodes.invalidValue,
      'a switch case needs exactly one of "goto" (a step name) or "steps" (a list of steps)',
      path,
    );
    return undefined;
  }
  if (hasSteps)
    return { kind: 'steps', steps: readSteps(obj.steps, childPath(path, 'steps'), ctx) };
  const target = ctx.reader.name(obj, 'goto', path, 'goto target');
  return target === undefined ? undefined : { kind: 'goto', step: target };
}

/** `parallel: { join: all | any, branches: [{ name?, steps }] }`. */
export function readParallel(
  value: unknown,
  common: StepCommonFields,
  ctx: StepParseContext,
  readSteps: ReadSteps,
): ParallelStep {
  const path = childPath(common.path, 'parallel');
  const { reader } = ctx;
  const branches: ParallelBranch[] = [];
  const obj = reader.object(value, path, '"parallel"');
  if (!obj) return { ...common, kind: 'parallel', join: 'all', branches };
  reader.knownKeys(obj, path, ['join', 'branches']);
  const join = reader.oneOf(obj, 'join', path, ['all', 'any'] as const) ?? 'all';
  const list = obj.branches;
  const listPath = childPath(path, 'branches');
  if (!Array.isArray(list) || list.length === 0) {
    reader.problems.error(
      list === undefined ? DslCodes.missingField : DslCodes.invalidValue,
      `"branches" must be a non-empty list of { steps: [...] }, not ${describeValue(list)}`,
      listPath,
    );
    return { ...common, kind: 'parallel', join, branches };
  }
  list.forEach((raw, i) => {
    const at = indexPath(listPath, i);
    const branch = reader.object(raw, at, 'a parallel branch');
    if (!branch) return;
    reader.knownKeys(branch, at, ['name', 'steps']);
    const name = reader.string(branch, 'name', at);
    if (!reader.required(branch, 'steps', at, 'a parallel branch')) return;
    branches.push({
      path: at,
      ...optional('name', name),
      steps: readSteps(branch.steps, childPath(at, 'steps'), ctx),
    });
  });
  return { ...common, kind: 'parallel', join, branches };
}

/** `foreach: { items, as?, concurrency?, steps }`. */
export function readForeach(
  value: unknown,
  common: StepCommonFields,
  ctx: StepParseContext,
  readSteps: ReadSteps,
): ForeachStep {
  const path = childPath(common.path, 'foreach');
  const { reader } = ctx;
  const obj = reader.object(value, path, '"foreach"');
  if (!obj)
    return {
      ...common,
      kind: 'foreach',
      items: [],
      as: DEFAULT_LOOP_VARIABLE,
      concurrency: 1,
      steps: [],
    };
  reader.knownKeys(obj, path, ['items', 'as', 'concurrency', 'steps']);
  const items = reader.required(obj, 'items', path, 'foreach')
    ? readTemplate(obj, 'items', path, ctx)
    : undefined;
  const as = readLoopVariable(obj, path, ctx);
  const concurrency =
    reader.integer(obj, 'concurrency', path, { min: 1, max: MAX_CONCURRENCY }) ?? 1;
  const steps = reader.required(obj, 'steps', path, 'foreach')
    ? readSteps(obj.steps, childPath(path, 'steps'), ctx)
    : [];
  return { ...common, kind: 'foreach', items: items ?? [], as, concurrency, steps };
}

function readLoopVariable(
  obj: Record<string, unknown>,
  path: string,
  ctx: StepParseContext,
): string {
  const as = ctx.reader.string(obj, 'as', path);
  if (as === undefined) return DEFAULT_LOOP_VARIABLE;
  const reserved: readonly string[] = [LOOP_INDEX_NAME, ...SCOPE_ROOTS];
  if (!LOOP_VARIABLE_PATTERN.test(as) || reserved.includes(as)) {
    ctx.reader.problems.error(
      DslCodes.invalidName,
      `loop variable "${as}" must be an identifier (letters, digits, _) other than ${reserved.join(', ')}`,
      childPath(path, 'as'),
    );
  }
  return as;
}

/** `wait_for_event: { type, correlation?, timeout? }`; its timeout is the step's timeout. */
export function readWaitForEvent(
  value: unknown,
  common: StepCommonFields,
  ctx: StepParseContext,
): WaitForEventStep {
  const path = childPath(common.path, 'wait_for_event');
  const { reader } = ctx;
  const obj = reader.object(value, path, '"wait_for_event"');
  if (!obj) return { ...common, kind: 'wait_for_event', eventType: '' };
  reader.knownKeys(obj, path, ['type', 'correlation', 'timeout']);
  const eventType = reader.required(obj, 'type', path, 'wait_for_event')
    ? reader.string(obj, 'type', path)
    : undefined;
  const waitTimeout = reader.duration(obj, 'timeout', path);
  if (
    waitTimeout !== undefined &&
    common.timeoutMs !== undefined &&
    waitTimeout !== common.timeoutMs
  ) {
    reader.problems.warning(
      DslCodes.invalidValue,
      'both the step and wait_for_event set a timeout; the wait_for_event one is used',
      childPath(path, 'timeout'),
    );
  }
  const timeoutMs = waitTimeout ?? common.timeoutMs;
  return {
    ...common,
    kind: 'wait_for_event',
    eventType: eventType ?? '',
    ...optional('correlation', readTemplate(obj, 'correlation', path, ctx)),
    ...optional('timeoutMs', timeoutMs),
  };
}
