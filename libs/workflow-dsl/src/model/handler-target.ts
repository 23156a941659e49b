import { BUILTIN_HANDLERS, type BuiltinHandler, type HandlerTarget } from './workflow.types';
import { NAME_PATTERN } from './names';

const WORKFLOW_PREFIX = 'workflow:';

export const HANDLER_TARGET_RULE = `${BUILTIN_HANDLERS.join(', ')}, a step name, or ${WORKFLOW_PREFIX}<name>`;

/** `notify-admin` | `workflow:<name>` | a step name; undefined when it is none of these. */
export function parseHandlerTarget(text: string): HandlerTarget | undefined {
  const trimmed = text.trim();
  if ((BUILTIN_HANDLERS as readonly string[]).includes(trimmed)) {
    return { kind: 'builtin', handler: trimmed as BuiltinHandler };
  }
  if (trimmed.startsWith(WORKFLOW_PREFIX)) {
    const workflow = trimmed.slice(WORKFLOW_PREFIX.length).trim();
    return NAME_PATTERN.test(workflow) ? { kind: 'workflow', workflow } : undefined;
  }
  return NAME_PATTERN.test(trimmed) ? { kind: 'step', step: trimmed } : undefined;
}

export function describeTarget(target: HandlerTarget): string {
  switch (target.kind) {
    case 'builtin':
      return target.handler;
    case 'step':
      return target.step;
    case 'workflow':
      return `${WORKFLOW_PREFIX}${target.workflow}`;
  }
}
