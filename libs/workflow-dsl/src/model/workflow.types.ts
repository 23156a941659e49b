/**
 * The typed form of a workflow document. Field names are camelCase and every
 * duration is in milliseconds; `path` fields give the location in the source
 * document (e.g. `workflow.steps[2]`) so that runtime errors can point back at it.
 * The whole tree is plain JSON, so it can be stored and sent as is.
 */
import { TASK_ERROR_TYPES } from '@baton/contracts';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A JSON value whose strings may contain `${...}` expressions. */
export type Template = JsonValue;

export type BackoffStrategy = 'fixed' | 'exponential' | 'linear';

export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  readonly maxAttempts: number;
  readonly backoff: BackoffStrategy;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: boolean;
  /** Error types worth retrying; absent means every type except `validation_error`. */
  readonly retryOn?: readonly string[];
}

export type Trigger =
  | { readonly kind: 'http' }
  | { readonly kind: 'event'; readonly eventType: string }
  | { readonly kind: 'schedule'; readonly cron: string; readonly timezone?: string };

export const BUILTIN_HANDLERS = ['notify-admin', 'return-to-user', 'escalate'] as const;
export type BuiltinHandler = (typeof BUILTIN_HANDLERS)[number];

/** Where a failure goes: a built-in handler, a step of this workflow, or another workflow. */
export type HandlerTarget =
  | { readonly kind: 'builtin'; readonly handler: BuiltinHandler }
  | { readonly kind: 'step'; readonly step: string }
  | { readonly kind: 'workflow'; readonly workflow: string };

/**
 * The error types the engine reports: a task's (contracts' list, so the two
 * cannot drift); agents may report others, matched by exact name.
 */
export const KNOWN_ERROR_TYPES = TASK_ERROR_TYPES;
export type KnownErrorType = (typeof KNOWN_ERROR_TYPES)[number];

/** A name fixed in the document, or a template resolved at run time. */
export type NameRef =
  | { readonly kind: 'static'; readonly name: string }
  | { readonly kind: 'template'; readonly template: string };

export interface WorkflowDefinition {
  readonly name: string;
  readonly description?: string;
  readonly version?: string;
  readonly trigger: Trigger;
  readonly inputSchema?: JsonObject;
  readonly timeoutMs?: number;
  readonly retryPolicy: RetryPolicy;
  /** Keyed by error type, plus `default`. */
  readonly errorHandlers: Readonly<Record<string, HandlerTarget>>;
  readonly output?: Template;
  readonly steps: readonly Step[];
}

export type StepKind = Step['kind'];

export const STEP_KINDS = [
  'agent',
  'action',
  'workflow',
  'switch',
  'parallel',
  'foreach',
  'wait_for_event',
] as const;

interface StepCommon {
  readonly name: string;
  readonly path: string;
  readonly description?: string;
  /** Condition text as written (with or without `${ }`); the step is skipped when false. */
  readonly when?: string;
  readonly timeoutMs?: number;
  /** The effective policy: the workflow's `retry_policy` overridden field by field by the step's `retry`. */
  readonly retry: RetryPolicy;
  readonly onError?: HandlerTarget;
  /** Maps the raw result to the step's output; evaluated with the step itself in scope. */
  readonly output?: Template;
}

export interface AgentStep extends StepCommon {
  readonly kind: 'agent';
  readonly agent: NameRef;
  readonly input?: Template;
  readonly outputSchema?: JsonObject;
}

export interface ActionStep extends StepCommon {
  readonly kind: 'action';
  readonly action: string;
  readonly connection?: string;
  readonly input?: Template;
  readonly outputSchema?: JsonObject;
}

export interface SubWorkflowStep extends StepCommon {
  readonly kind: 'workflow';
  readonly workflow: NameRef;
  readonly input?: Template;
}

export type SwitchBranch =
  | { readonly kind: 'goto'; readonly step: string }
  | { readonly kind: 'steps'; readonly steps: readonly Step[] };

export interface SwitchCase {
  readonly path: string;
  readonly when: string;
  readonly then: SwitchBranch;
}

export interface SwitchDefault {
  readonly path: string;
  readonly then: SwitchBranch;
}

export interface SwitchStep extends StepCommon {
  readonly kind: 'switch';
  /** Tried in order; the first whose condition holds wins. */
  readonly cases: readonly SwitchCase[];
  /** Taken when no case holds; without it the switch does nothing. */
  readonly default?: SwitchDefault;
}

export interface ParallelBranch {
  readonly path: string;
  readonly name?: string;
  readonly steps: readonly Step[];
}

export interface ParallelStep extends StepCommon {
  readonly kind: 'parallel';
  /** `all` waits for every branch; `any` completes with the first branch to succeed. */
  readonly join: 'all' | 'any';
  readonly branches: readonly ParallelBranch[];
}

export interface ForeachStep extends StepCommon {
  readonly kind: 'foreach';
  readonly items: Template;
  /** Loop variable name (default `item`); the position is bound as `index`. */
  readonly as: string;
  readonly concurrency: number;
  readonly steps: readonly Step[];
}

export interface WaitForEventStep extends StepCommon {
  readonly kind: 'wait_for_event';
  readonly eventType: string;
  /** Matched against the event's subject or correlation id. */
  readonly correlation?: Template;
}

export type Step =
  | AgentStep
  | ActionStep
  | SubWorkflowStep
  | SwitchStep
  | ParallelStep
  | ForeachStep
  | WaitForEventStep;

export const LOOP_INDEX_NAME = 'index';
export const DEFAULT_LOOP_VARIABLE = 'item';
/** Root names every expression may read besides step names and loop variables. */
export const SCOPE_ROOTS = ['input', 'trigger', 'workflow'] as const;
