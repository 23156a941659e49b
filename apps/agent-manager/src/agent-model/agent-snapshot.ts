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

export function specOf(agent: AgentEntity): AgentSpec {
  return {
    name: agent.name,
    type: agent.type,
    runtime: agent.runtime,
    description: agent.description,
    capabilities: agent.capabilities,
    min_instances: agent.minInstances,
    max_instances: agent.maxInstances,
    config: agent.config,
    input_schema: agent.inputSchema,
    output_schema: agent.outputSchema,
  };
}

/** The agent row's columns a spec sets: the inverse of specOf. */
export function specColumns(
  spec: AgentSpec,
): Pick<
  AgentEntity,
  | 'name'
  | 'type'
  | 'runtime'
  | 'description'
  | 'capabilities'
  | 'minInstances'
  | 'maxInstances'
  | 'config'
  | 'inputSchema'
  | 'outputSchema'
> {
  return {
    name: spec.name,
    type: spec.type,
    runtime: spec.runtime,
    description: spec.description,
    capabilities: spec.capabilities,
    minInstances: spec.min_instances,
    maxInstances: spec.max_instances,
    config: spec.config,
    inputSchema: spec.input_schema,
    outputSchema: spec.output_schema,
  };
}

/** Runtimes agent-manager executes itself; `worker` agents are served over Kafka by their own processes. */
export const BRIDGED_RUNTIMES = new Set(['rules', 'http', 'llm', 'pull']);

export function isBridged(runtime: string): boolean {
  return BRIDGED_RUNTIMES.has(runtime);
}
