import { PagedQuery } from './pagination';
import {
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { NAME_PATTERN, TaskErrorDto } from './agent.messages';
import { IntBetween, OptionalText } from '../fields';

const NAME_MESSAGE = 'must be lowercase letters, digits and dashes (at most 63)';

/** Message types of agent tasks, lifecycle and stats (request/reply unless noted). */
export const AgentTaskMessageTypes = {
  invoke: 'baton.agent.invoke',
  submit: 'baton.agent.submit',
  taskGet: 'baton.agent.task.get',
  patch: 'baton.agent.patch',
  /** Event on baton.agent.events: a new version of an agent (PATCH). */
  changed: 'baton.agent.changed',
  decommission: 'baton.agent.decommission',
  versions: 'baton.agent.versions',
  instances: 'baton.agent.instances',
  stats: 'baton.agent.stats',
  /** The model calls llm agents made for a run (GET /v1/runs/{id}/llm-calls). */
  llmCalls: 'baton.agent.llm-calls',
  /** The workspace's llm budget and what it has spent (GET/PUT /v1/llm-budget). */
  llmBudgetGet: 'baton.agent.llm-budget.get',
  llmBudgetSet: 'baton.agent.llm-budget.set',
  /** Event on baton.agent.events: an agent's status changed (decommissioning, decommissioned). */
  statusChanged: 'baton.agent.status-changed',
  /** An HTTP worker takes the next waiting task of a `pull` agent, under a lease. */
  claim: 'baton.agent.task.claim',
  /** An HTTP worker answers a task it claimed. */
  report: 'baton.agent.task.report',
  /** An HTTP worker still at work renews its claim's lease. */
  extend: 'baton.agent.task.extend',
} as const;

export const PULL_LEASE_DEFAULT_MS = 30_000;
export const PULL_LEASE_MAX_MS = 600_000;

/** `POST /v1/agents/{name}/tasks/claim`: who claims, and for how long. */
export class ClaimTaskCommand {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  /** The worker's own name for itself (shown in logs); any short text. */
  @OptionalText(200)
  worker_id?: string;

  /** The task is handed to another worker if no result comes within this many ms. */
  @IsOptional()
  @IntBetween(1_000, PULL_LEASE_MAX_MS)
  lease_ms?: number;
}

/** A claimed task, as the worker receives it. */
export interface ClaimedTaskView {
  task_id: string;
  agent: string;
  input: unknown;
  /** Proves the claim when reporting; a claim that expired was handed on and its token is void. */
  claim_token: string;
  lease_expires_at: string;
  deadline: string;
}

/** The task a claim holder names, and the token that proves the claim is still theirs. */
export class ClaimedTaskReference {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsUUID()
  task_id!: string;

  @IsString()
  @MaxLength(100)
  claim_token!: string;
}

/** `POST /v1/agents/{name}/tasks/{id}/lease`: renew a live claim for `lease_ms` from now (at most until the deadline). */
export class ExtendClaimCommand extends ClaimedTaskReference {
  @IsOptional()
  @IntBetween(1_000, PULL_LEASE_MAX_MS)
  lease_ms?: number;
}

/** A renewed claim: its new expiry, and the task's deadline, past which no renewal reaches. */
export interface ClaimLeaseView {
  task_id: string;
  lease_expires_at: string;
  deadline: string;
}

/** `POST /v1/agents/{name}/tasks/{id}/result`: the output, or the error, of a claimed task. */
export class ReportTaskCommand extends ClaimedTaskReference {
  @IsOptional()
  output?: unknown;

  @IsOptional()
  @ValidateNested()
  @Type(() => TaskErrorDto)
  error?: TaskErrorDto;
}

export const AgentTaskTopics = {
  /**
   * Synchronous invocations have a topic of their own: their handler answers
   * only when the agent does, so they must not hold up the command partitions.
   */
  invocations: 'baton.agent.invocations',
} as const;

export const INVOKE_TIMEOUT_DEFAULT_MS = 30_000;
export const INVOKE_TIMEOUT_MAX_MS = 300_000;

/** `POST /v1/agents/{name}/invoke`: request-response; the seed's timeout is in milliseconds. */
export class InvokeAgentCommand {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsOptional()
  input?: unknown;

  @IsOptional()
  @IntBetween(1, INVOKE_TIMEOUT_MAX_MS)
  timeout?: number;
}

/** `POST /v1/agents/{name}/tasks`: fire-and-forget, the result is POSTed to callback_url. */
export class SubmitTaskCommand {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsOptional()
  input?: unknown;

  @OptionalText(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'callback_url must be an http(s) URL' },
  )
  callback_url?: string;

  @OptionalText(200)
  idempotency_key?: string;
}

export class TaskIdQuery {
  @IsUUID()
  task_id!: string;
}

export class AgentVersionsQuery extends PagedQuery() {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;
}

export class AgentStatsQuery {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  /** The window the figures cover, in seconds (default one hour). */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  window?: number;
}

/** `GET /v1/runs/{id}/llm-calls`: the recorded model calls of a run, oldest first. */
export class ListLlmCallsQuery {
  @IsUUID()
  run_id!: string;

  @OptionalText(200)
  cursor?: string;

  @IsOptional()
  @IntBetween(1, 200)
  limit?: number;
}

/**
 * `PUT /v1/llm-budget`: the workspace's limits on what its llm agents spend,
 * in tokens and in cost (LLM_PRICES), per run, UTC day and UTC month. The
 * body replaces the limits; an absent field is no limit.
 */
export class SetLlmBudgetCommand {
  @IsOptional() @IsNumber() @Min(0) tokens_per_run?: number;
  @IsOptional() @IsNumber() @Min(0) tokens_per_day?: number;
  @IsOptional() @IsNumber() @Min(0) tokens_per_month?: number;
  @IsOptional() @IsNumber() @Min(0) cost_per_run?: number;
  @IsOptional() @IsNumber() @Min(0) cost_per_day?: number;
  @IsOptional() @IsNumber() @Min(0) cost_per_month?: number;
}

/** `GET /v1/llm-budget?agent=`: the workspace's limits, and the spend of all its llm agents or of one. */
export class LlmBudgetQuery {
  @IsOptional()
  @Matches(NAME_PATTERN, { message: `agent ${NAME_MESSAGE}` })
  agent?: string;
}

export interface LlmBudgetView {
  limits: Partial<Record<keyof SetLlmBudgetCommand, number>>;
  spent: { day: { tokens: number; cost: number }; month: { tokens: number; cost: number } };
}

/** One recorded model call: what was asked and answered, never a key. */
export interface LlmCallView {
  id: string;
  task_id: string;
  step: string | null;
  attempt: number;
  agent: string;
  agent_version: number;
  /** 0 for the first request of a task; one more per round of tool calls. */
  round: number;
  model: string;
  request: unknown;
  response: unknown;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  /** From LLM_PRICES; null when the model has no price there. */
  cost: number | null;
  latency_ms: number;
  /** True when its attempt failed, so a retry asked the model again. */
  discarded: boolean;
  created_at: string;
  /**
   * The MCP tools (`mcp:<connection>/<tool>`) this answer asked for that were
   * called and answered, in the order asked (ADR 0040). A call that failed
   * is not recorded (the next attempt asks again) and a call answered from
   * the record is listed where it was first made. Agents given as tools run
   * as tasks of their own and are not listed here.
   */
  tool_calls: LlmToolCallView[];
}

/** One recorded MCP tool call of an llm agent: the arguments the model gave and the tool's answer. */
export interface LlmToolCallView {
  id: string;
  /** `<connection>/<tool>`. */
  tool: string;
  /** The call's place among the tool calls of its model answer, from 0. */
  index: number;
  arguments: unknown;
  output: unknown;
  latency_ms: number;
  discarded: boolean;
  created_at: string;
}

export interface TaskErrorView {
  type: string;
  message: string;
}

export interface TaskCallbackView {
  url: string;
  status: 'pending' | 'retrying' | 'delivered' | 'failed';
  attempts: number;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}

export interface TaskView {
  id: string;
  agent: string;
  agent_version: number;
  origin: 'invoke' | 'submit' | 'workflow';
  status: 'running' | 'completed' | 'failed';
  attempt: number;
  input: unknown;
  output: unknown;
  error: TaskErrorView | null;
  callback: TaskCallbackView | null;
  created_at: string;
  finished_at: string | null;
  duration_ms: number | null;
}

/** What `POST /v1/agents/{name}/invoke` answers when the agent completed the task. */
export interface InvokeResultView {
  task_id: string;
  status: 'completed';
  output: unknown;
  duration_ms: number | null;
}

export interface AgentVersionView {
  version: number;
  spec: Record<string, unknown>;
  created_at: string;
}

export interface AgentInstanceView {
  instance_id: string;
  health: 'healthy' | 'unhealthy';
  last_heartbeat: string;
  in_flight: number;
  version: string | null;
  /** The process id when agent-manager started the instance itself (process provisioner). */
  pid: number | null;
  /**
   * The tasks the instance holds, with when its lease on them ends at the
   * latest (the task's start plus the instance's lease): if the instance has
   * not finished them by then, Kafka hands them to another instance (ADR 0008).
   */
  tasks: { task_id: string; attempt: number; since: string; lease_expires_at: string | null }[];
}

export interface AgentStatsView {
  agent: string;
  window_seconds: number;
  tasks: number;
  completed: number;
  failed: number;
  error_rate: number;
  /** Tasks per second over the window. */
  rate: number;
  response_ms: { p50: number | null; p95: number | null; p99: number | null; avg: number | null };
  in_flight: number;
  instances: { healthy: number; unhealthy: number };
  circuit: { state: string; consecutive_failures: number };
}

/** Data of baton.agent.status-changed. */
export interface AgentStatusChangedEvent {
  name: string;
  status: string;
  version: number;
}
