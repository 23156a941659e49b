import type { AgentEntity } from './agent.entity';

/** One version of an agent, as a task runs against it: versions never change, so it can be cached. */
export interface AgentSnapshot {
  workspaceId: string;
  name: string;
  version: number;
  type: string;
  runtime: string;
  config: Record<string, unknown>;
  inputSchema: Record<string, unknown> | null;
  outputSchema: Record<string, unknown> | null;
}

/** The registered spec of a version, as stored in agent_versions.spec. */
export interface AgentSpec {
  name: string;
  type: string;
  runtime: string;
  description: string | null;
  capabilities: string[];
  min_instances: number;
  max_instances: number;
  config: Record<string, unknown>;
  input_schema: Record<string, unknown> | null;
  output_schema: Record<string, unknown> | null;
}

export function snapshotOf(agent: AgentEntity): AgentSnapshot {
  return {
    workspaceId: agent.workspaceId,
    name: agent.name,
    version: agent.version,
    type: agent.type,
    runtime: agent.runtime,
    config: agent.config,
    inputSchema: agent.inputSchema,
    outputSchema: agent.outputSchema,
  };
}

export function snapshotFromSpec(
  workspaceId: string,
  version: number,
  spec: AgentSpec,
): AgentSnapshot {
  return {
    workspaceId,
    name: spec.name,
    version,
    type: spec.type,
    runtime: spec.runtime,
    config: spec.config ?? {},
    inputSchema: spec.input_schema ?? null,
    outputSchema: spec.output_schema ?? null,
  };
}

/**
 * The agent column each field of a spec is stored in: specOf and specColumns
 * read this one list, so the two directions cannot drift apart.
 */
const SPEC_COLUMNS = {
  name: 'name',
  type: 'type',
  runtime: 'runtime',
  description: 'description',
  capabilities: 'capabilities',
  min_instances: 'minInstances',
  max_instances: 'maxInstances',
  config: 'config',
  input_schema: 'inputSchema',
  output_schema: 'outputSchema',
} as const satisfies { [Field in keyof AgentSpec]: keyof AgentEntity };

type SpecColumn = (typeof SPEC_COLUMNS)[keyof AgentSpec];
const SPEC_FIELDS = Object.keys(SPEC_COLUMNS) as (keyof AgentSpec)[];

export function specOf(agent: AgentEntity): AgentSpec {
  return Object.fromEntries(
    SPEC_FIELDS.map((field) => [field, agent[SPEC_COLUMNS[field]]]),
  ) as unknown as AgentSpec;
}

/** The agent row's columns a spec sets: the inverse of specOf. */
export function specColumns(spec: AgentSpec): Pick<AgentEntity, SpecColumn> {
  return Object.fromEntries(
    SPEC_FIELDS.map((field) => [SPEC_COLUMNS[field], spec[field]]),
  ) as unknown as Pick<AgentEntity, SpecColumn>;
}

/** Runtimes agent-manager executes itself; `worker` agents are served over Kafka by their own processes. */
export const BRIDGED_RUNTIMES = new Set(['rules', 'http', 'llm', 'pull']);

export function isBridged(runtime: string): boolean {
  return BRIDGED_RUNTIMES.has(runtime);
}
