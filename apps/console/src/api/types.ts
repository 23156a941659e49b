/** The shapes of the public API's answers the console reads (see /openapi.json). */

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/** One row of `GET /v1/workflows`: the workflow's name and versions, not its document. */
export interface WorkflowListItem {
  name: string;
  active_version: number;
  latest_version: number;
  updated_at: string;
}

export interface WorkflowSummary {
  name: string;
  version: number;
  description: string | null;
  trigger: unknown;
  steps: string[];
  created_at: string;
  input_schema?: JsonSchema | null;
}

/** One version with its document exactly as it was sent (GET .../versions/{version}). */
export interface WorkflowVersion extends WorkflowSummary {
  active: boolean;
  source: string;
}

export interface WorkflowVersionSummary {
  version: number;
  active: boolean;
  description: string | null;
  created_at: string;
}

export interface WorkflowVersionPage {
  name: string;
  active_version: number;
  latest_version: number;
  items: WorkflowVersionSummary[];
  next_cursor: string | null;
}

export interface StepView {
  name: string;
  status: string;
  agent: string | null;
  action: string | null;
  attempts: number;
  input: unknown;
  output: unknown;
  error: { type: string; message: string } | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface RunView {
  id: string;
  workflow: string;
  workflow_version: number;
  status: string;
  input: unknown;
  output: unknown;
  error: { type: string; message: string } | null;
  steps: StepView[];
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface ValidationProblem {
  path: string;
  code: string;
  message: string;
  line: number | null;
  column: number | null;
}

export interface ValidationReport {
  valid: boolean;
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
}

export interface StoredEvent {
  id: string;
  type: string;
  source: string;
  subject: string | null;
  time: string;
  correlation_id: string;
  data: unknown;
}

export interface ReplayView {
  id: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  filter: { types?: string[]; subject?: string; from?: string; to?: string };
  target: { subscription_id?: string; topic?: string; original?: boolean };
  dry_run: boolean;
  total: number | null;
  processed: number;
  deliveries: { created: number; pending: number; delivered: number; dead: number };
  published: number;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface AgentView {
  name: string;
  type: string;
  runtime: string;
  description: string | null;
  capabilities: string[];
  min_instances: number;
  max_instances: number;
  version: number;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface AgentInstance {
  instance_id: string;
  health: 'healthy' | 'unhealthy';
  last_heartbeat: string;
  in_flight: number;
  version: string | null;
  tasks: { task_id: string; attempt: number; since: string; lease_expires_at: string | null }[];
}

export interface AgentStats {
  agent: string;
  window_seconds: number;
  tasks: number;
  completed: number;
  failed: number;
  error_rate: number;
  rate: number;
  response_ms: { p50: number | null; p95: number | null; p99: number | null; avg: number | null };
  in_flight: number;
  instances: { healthy: number; unhealthy: number };
  circuit: { state: string; consecutive_failures: number };
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
}
