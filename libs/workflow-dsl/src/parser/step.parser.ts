import { DslCodes } from '../errors/dsl.errors';
import { STEP_KINDS, type NameRef, type Step, type StepKind } from '../model/workflow.types';
import { hasExpressions } from '../expressions/template.scanner';
import { childPath, indexPath } from '../util/doc-path';
import {
  readForeach,
  readParallel,
  readSwitch,
  readWaitForEvent,
  type StepCommonFields,
} from './control-flow.parser';
import { NAME_PATTERN, NAME_RULE } from '../model/names';
import { describeValue } from './doc.reader';
import { readRetryPolicy } from './retry-policy.parser';
import { optional, readCondition, readTemplate, type StepParseContext } from './step-context';
import { readHandlerTarget, readJsonSchema } from './workflow-fields.parser';

const COMMON_KEYS = ['name', 'description', 'timeout', 'retry', 'when', 'on_error', 'output'];

const KIND_KEYS: Readonly<Record<StepKind, readonly string[]>> = {
  agent: ['agent', 'input', 'output_schema'],
  action: ['action', 'connection', 'input', 'output_schema'],
  workflow: ['workflow', 'input'],
  switch: ['switch'],
  parallel: ['parallel'],
  foreach: ['foreach'],
  wait_for_event: ['wait_for_event'],
};

const ACTION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

export function readSteps(value: unknown, path: string, ctx: StepParseContext): Step[] {
  if (value === undefined || value === null) {
    ctx.reader.problems.error(DslCodes.missingField, '"steps" is required: a list of steps', path);
    return [];
  }
  if (!Array.isArray(value)) {
    ctx.reader.problems.error(
      DslCodes.invalidType,
      `"steps" must be a list of steps, not ${describeValue(value)}`,
      path,
    );
    return [];
  }
  if (value.length === 0) {
    ctx.reader.problems.error(DslCodes.invalidValue, '"steps" must list at least one step', path);
  }
  const steps: Step[] = [];
  value.forEach((raw, i) => {
    const step = readStep(raw, indexPath(path, i), ctx);
    if (step) steps.push(step);
  });
  return steps;
}

function readStep(raw: unknown, path: string, ctx: StepParseContext): Step | undefined {
  const { reader } = ctx;
  const obj = reader.object(raw, path, 'a step');
  if (!obj) return undefined;
  const hasName = reader.required(obj, 'name', path, 'a step');
  const name = hasName ? reader.name(obj, 'name', path, 'step name') : undefined;
  if (name) ctx.declaredNames.add(name);

  const kinds = STEP_KINDS.filter((kind) => kind in obj);
  if (kinds.length !== 1) {
    const label = name ? `step "${name}"` : 'a step';
    const message =
      kinds.length === 0
        ? `${label} must have one of: ${STEP_KINDS.join(', ')}`
        : `${label} has ${kinds.join(' and ')}; a step does exactly one of: ${STEP_KINDS.join(', ')}`;
    ctx.reader.problems.error(
      DslCodes.stepKind,
      message,
      kinds.length > 1 ? childPath(path, kinds[1]) : path,
      { key: kinds.length > 1 },
    );
    return undefined;
  }
  const kind = kinds[0];
  reader.knownKeys(obj, path, [...COMMON_KEYS, ...KIND_KEYS[kind]], (key) => {
    const owner = STEP_KINDS.find((k) => KIND_KEYS[k].includes(key));
    return owner ? `it applies to ${owner} steps, and this is a ${kind} step` : undefined;
  });
  if (!name) return undefined;

  const common = readCommon(obj, path, name, ctx);
  switch (kind) {
    case 'agent':
      return {
        ...common,
        kind,
        agent: readNameRef(obj, 'agent', path, ctx, 'agent name') ?? { kind: 'static', name: '' },
        ...optional('input', readTemplate(obj, 'input', path, ctx)),
        ...optional('outputSchema', readJsonSchema(obj, 'output_schema', path, reader)),
      };
    case 'action':
      return {
        ...common,
        kind,
        action: readAction(obj, path, ctx) ?? '',
        ...optional('connection', reader.string(obj, 'connection', path)),
        ...optional('input', readTemplate(obj, 'input', path, ctx)),
        ...optional('outputSchema', readJsonSchema(obj, 'output_schema', path, reader)),
      };
    case 'workflow':
      return {
        ...common,
        kind,
        workflow: readNameRef(obj, 'workflow', path, ctx, 'workflow name') ?? {
          kind: 'static',
          name: '',
        },
        ...optional('input', readTemplate(obj, 'input', path, ctx)),
      };
    case 'switch':
      return readSwitch(obj.switch, common, ctx, readSteps);
    case 'parallel':
      return readParallel(obj.parallel, common, ctx, readSteps);
    case 'foreach':
      return readForeach(obj.foreach, common, ctx, readSteps);
    case 'wait_for_event':
      return readWaitForEvent(obj.wait_for_event, common, ctx);
  }
}

function readCommon(
  obj: Record<string, unknown>,
  path: string,
  name: string,
  ctx: StepParseContext,
): StepCommonFields {
  const { reader } = ctx;
  const onError =
    obj.on_error === undefined
      ? undefined
      : readHandlerTarget(obj.on_error, childPath(path, 'on_error'), reader);
  return {
    name,
    path,
    ...optional('description', reader.string(obj, 'description', path)),
    ...optional('when', readCondition(obj, 'when', path, ctx)),
    ...optional('timeoutMs', reader.duration(obj, 'timeout', path)),
    retry: readRetryPolicy(obj.retry, childPath(path, 'retry'), ctx.workflowRetry, reader),
    ...optional('onError', onError),
    ...optional('output', readTemplate(obj, 'output', path, ctx)),
  };
}

function readNameRef(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  ctx: StepParseContext,
  what: string,
): NameRef | undefined {
  if (obj[key] === undefined || obj[key] === null) {
    ctx.reader.problems.error(
      DslCodes.missingField,
      `"${key}" needs a ${what}`,
      childPath(path, key),
    );
    return undefined;
  }
  const value = ctx.reader.string(obj, key, path);
  if (value === undefined) return undefined;
  if (hasExpressions(value)) return { kind: 'template', template: value };
  if (!NAME_PATTERN.test(value)) {
    ctx.reader.problems.error(
      DslCodes.invalidName,
      `${what} "${value}" is not valid: use ${NAME_RULE}, or a \${...} expression`,
      childPath(path, key),
    );
  }
  return { kind: 'static', name: value };
}

function readAction(
  obj: Record<string, unknown>,
  path: string,
  ctx: StepParseContext,
): string | undefined {
  if (obj.action === undefined || obj.action === null) {
    ctx.reader.problems.error(
      DslCodes.missingField,
      '"action" needs an action name',
      childPath(path, 'action'),
    );
    return undefined;
  }
  const value = ctx.reader.string(obj, 'action', path);
  if (value === undefined) return undefined;
  if (!ACTION_PATTERN.test(value)) {
    ctx.reader.problems.error(
      DslCodes.invalidName,
      `"${value}" is not an action name (a built-in such as send-message, or connector.operation)`,
      childPath(path, 'action'),
    );
  }
  return value;
}
