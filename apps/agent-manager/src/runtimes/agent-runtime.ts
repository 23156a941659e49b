import { SECRET_NAME_PATTERN, type FieldError, type TaskErrorType } from '@baton/contracts';
import type { AgentSnapshot } from '../agent-model/agent-snapshot';

export type TaskFailureType = TaskErrorType;

/** How a runtime says that the task failed (as opposed to a bug in agent-manager). */
export class TaskFailure extends Error {
  constructor(
    readonly type: TaskFailureType,
    message: string,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

export interface RuntimeCall {
  agent: AgentSnapshot;
  taskId: string;
  /** The run step the task serves, when it serves one; the attempt of that step (or task). */
  runId: string | null;
  step: string | null;
  attempt: number;
  input: unknown;
  /** Epoch ms: the call is aborted then. */
  deadline: number;
  signal: AbortSignal;
  /** Runs another registered agent of the same workspace (the llm runtime's tool calls). */
  callAgent: (name: string, input: unknown, signal: AbortSignal) => Promise<unknown>;
  /** Another active agent of the workspace, to describe it as a tool; null when there is none. */
  describeAgent: (
    name: string,
  ) => Promise<{ description: string | null; inputSchema: Record<string, unknown> | null } | null>;
}

/** An agent kind agent-manager executes itself (no worker process). */
export interface AgentRuntime {
  readonly name: string;
  /**
   * True when outside workers run the tasks (pull): they wait in the tasks
   * table for a claim, and the runner only holds them there until their deadline.
   */
  readonly waitsForWorkers?: boolean;
  /** Problems of `config`, named by field, checked on registration. */
  configErrors(config: Record<string, unknown>): FieldError[];
  /**
   * Problems only the workspace can tell (what the config names elsewhere in
   * the platform, such as the llm runtime's MCP connections), checked after
   * `configErrors` found none.
   */
  workspaceConfigErrors?(
    workspaceId: string,
    config: Record<string, unknown>,
  ): Promise<FieldError[]>;
  run(call: RuntimeCall): Promise<unknown>;
}

/**
 * `api_key_secret` names a secret of the agent's workspace vault (PUT
 * /v1/secrets/{name}); agent-manager's own environment is never read.
 */
export function secretNameErrors(field: string, value: unknown): FieldError[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || !SECRET_NAME_PATTERN.test(value)) {
    return [{ field, message: "must name a secret of the workspace's vault (PUT /v1/secrets)" }];
  }
  return [];
}

export function httpUrlErrors(field: string, value: unknown): FieldError[] {
  if (typeof value !== 'string') return [{ field, message: 'must be an http(s) URL' }];
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return [{ field, message: 'must be an http(s) URL' }];
    }
    if (url.username || url.password) {
      return [{ field, message: 'must not contain credentials; use api_key_secret' }];
    }
    return [];
  } catch {
    return [{ field, message: 'must be an http(s) URL' }];
  }
}
