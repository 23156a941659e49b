import { OmitType, PartialType } from '@nestjs/mapped-types';
import { PagedQuery } from './pagination';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IntBetween, OptionalObject, OptionalText, OptionalUuid } from '../fields';

export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME_MESSAGE = 'must be lowercase letters, digits and dashes (at most 63)';

export const AGENT_TYPES = [
  'conversational',
  'classifier',
  'router',
  'worker',
  'tool',
  'llm',
  'rules',
];
/** `pull`: tasks wait in agent-manager until an HTTP worker claims them (sdks/python AgentWorker). */
export const AGENT_RUNTIMES = ['worker', 'http', 'llm', 'rules', 'pull'];

/** `POST /v1/agents` and the `agent.register` command: the seed's fields plus lifecycle bounds. `null` clears a description or a schema. */
export class RegisterAgentCommand {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsString()
  @MaxLength(64)
  type!: string;

  @OptionalText(2000)
  description?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  capabilities?: string[];

  @IsOptional()
  @IsIn(AGENT_RUNTIMES)
  runtime?: string;

  @IsOptional()
  @IntBetween(0, 1000)
  min_instances?: number;

  @IsOptional()
  @IntBetween(1, 1000)
  max_instances?: number;

  @OptionalObject()
  config?: Record<string, unknown>;

  @OptionalObject()
  input_schema?: Record<string, unknown> | null;

  @OptionalObject()
  output_schema?: Record<string, unknown> | null;
}

export class AgentNameQuery {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;
}

/**
 * `PATCH /v1/agents/{name}`: the fields to change (absent ones stay); the
 * result is a new version. Derived from RegisterAgentCommand (every field
 * optional, the name from the path) so a patch keeps the register checks.
 */
export class PatchAgentCommand extends PartialType(
  OmitType(RegisterAgentCommand, ['name'] as const),
) {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;
}

export class ListAgentsQuery extends PagedQuery() {
  @IsOptional()
  @IsString()
  capability?: string;

  @IsOptional()
  @IsString()
  type?: string;
}

export interface AgentView {
  name: string;
  type: string;
  runtime: string;
  description: string | null;
  capabilities: string[];
  /** The JSON Schema an invocation's input must match, when the agent declares one. */
  input_schema?: Record<string, unknown> | null;
  min_instances: number;
  max_instances: number;
  version: number;
  status: string;
  created_at: string;
  updated_at: string;
  /** `GET /v1/agents/{name}` of an agent with a kubernetes provisioner: its Deployment. */
  provisioning?: AgentDeploymentView | null;
}

/** What the cluster last said about an agent's Deployment, and the last failed call. */
export interface AgentDeploymentView {
  type: 'kubernetes';
  namespace: string;
  deployment: string;
  /** spec.replicas as agent-manager last set or read it. */
  replicas: number | null;
  ready_replicas: number | null;
  /** The last Kubernetes call that failed, e.g. `scale deployment x: HTTP 403: ...`; null once one succeeds. */
  error: string | null;
  updated_at: string;
  /** Set once the Deployment is deleted (decommissioned agent). */
  deleted_at: string | null;
}

/** Published on baton.agent.events whenever an agent is registered or changed. */
export interface AgentChangedEvent {
  agent: AgentView;
}

/** A unit of work for an agent, on baton.agent.tasks.<agent>. */
export class AgentTaskMessage {
  @IsUUID()
  task_id!: string;

  @Matches(NAME_PATTERN)
  agent!: string;

  @IsInt()
  @Min(1)
  attempt!: number;

  @IsOptional()
  input?: unknown;

  @OptionalUuid()
  run_id?: string;

  @IsOptional()
  @IsString()
  step?: string;

  /** Epoch ms after which the caller no longer waits; workers may skip expired work. */
  @IsOptional()
  @IsInt()
  deadline?: number;

  /**
   * The run is a replay of this run (POST /v1/runs/{id}/replay, or an event
   * replay): its recorded model answers are reused for this step unless the
   * step is in `refresh`.
   */
  @OptionalUuid()
  replay_of?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  refresh?: string[];
}

/**
 * The error types a task can fail with: `budget_exceeded` is an llm agent
 * refused a model call by a token or cost budget; `guardrail` is an llm
 * agent's answer refused by its guardrails (not JSON, not matching the output
 * schema, a call to a tool it was not given). Neither is retried by default;
 * both are routable by error_handlers like the others.
 */
export const TASK_ERROR_TYPES = [
  'timeout',
  'validation_error',
  'system_error',
  'budget_exceeded',
  'guardrail',
] as const;
export type TaskErrorType = (typeof TASK_ERROR_TYPES)[number];

export class TaskErrorDto {
  @IsIn(TASK_ERROR_TYPES)
  type!: TaskErrorType;

  @IsString()
  @MaxLength(4000)
  message!: string;
}

/** The outcome of a task, on baton.agent.results (agents) or baton.integration.events (actions). */
export class TaskResultMessage {
  @IsUUID()
  task_id!: string;

  @IsInt()
  @Min(1)
  attempt!: number;

  /**
   * The workflow run the task belongs to, echoed from the task's run_id: a
   * result that names a run answers a workflow step, never an invoke or a
   * submit (agent-manager skips looking those up).
   */
  @OptionalUuid()
  run_id?: string;

  @IsIn(['completed', 'failed'])
  status!: 'completed' | 'failed';

  @IsOptional()
  output?: unknown;

  @IsOptional()
  @ValidateNested()
  @Type(() => TaskErrorDto)
  error?: TaskErrorDto;

  @IsOptional()
  @IsString()
  instance_id?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  duration_ms?: number;
}

/** A task an instance holds: reported with every heartbeat while its handler runs. */
export class HeldTaskDto {
  @IsUUID()
  task_id!: string;

  @IsInt()
  @Min(1)
  attempt!: number;

  @IsString()
  @MaxLength(40)
  since!: string;
}

export class HeartbeatMessage {
  @Matches(NAME_PATTERN)
  agent!: string;

  @IsString()
  @MaxLength(200)
  instance_id!: string;

  @IsInt()
  @Min(0)
  in_flight!: number;

  /** The tasks in flight; workers of older SDKs send only the count. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => HeldTaskDto)
  tasks?: HeldTaskDto[];

  /** How long the instance keeps a task it stops beating for before Kafka hands it on. */
  @IsOptional()
  @IsInt()
  @Min(0)
  lease_ms?: number;

  @IsOptional()
  @IsString()
  version?: string;
}
