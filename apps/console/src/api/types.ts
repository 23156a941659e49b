/**
 * The shapes of the public API's answers the console reads. Wherever the
 * gateway's OpenAPI document describes a shape, it comes from the generated
 * types (libs/sdk/src/generated/openapi.ts, `npm run sdk:types`), so a change
 * of the API breaks `npm run typecheck` here instead of a page at run time
 * (as the workflows list once did). The few shapes below written by hand are
 * answers the document does not describe yet; each says so.
 */
import type { components } from '../../../../libs/sdk/src/generated/openapi';

type Schemas = components['schemas'];

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export type WorkflowSummary = Schemas['WorkflowView'] & { input_schema?: JsonSchema | null };
export type StepView = Schemas['StepView'];
export type RunView = Schemas['RunView'];
export type RunPage = Schemas['RunPage'];
export type ValidationProblem = Schemas['ValidationProblemView'];
export type ValidationReport = Schemas['ValidationReportView'];
export type StoredEvent = Schemas['StoredEventView'];
export type ReplayView = Schemas['ReplayView'];
export type AgentView = Schemas['AgentView'];
export type ApiKeyView = Schemas['ApiKeyView'];
export type ApiKeyPage = Schemas['ApiKeyPage'];
export type ConnectionView = Schemas['ConnectionView'];

/** What `POST /v1/api-keys` answers: the key's view and, this once, the key itself. */
export type CreatedApiKey = ApiKeyView & { key: string };

// ---- Written by hand: the OpenAPI document does not describe these answers yet. ----

/** One row of `GET /v1/workflows`: the workflow's name and versions, not its document. */
export interface WorkflowListItem {
  name: string;
  active_version: number;
  latest_version: number;
  updated_at: string;
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

// Answers the OpenAPI document does not describe but the shared contracts do: their types,
// imported as types only (nothing of libs/contracts is bundled).
export type {
  AlertHistoryEntryView as AlertHistoryEntry,
  AlertView,
  NotificationChannelView,
} from '../../../../libs/contracts/src/messages/alerts.messages';
export type { WorkflowTestView } from '../../../../libs/contracts/src/messages/workflow-flow.messages';
export type {
  AuditEntryView,
  AuditVerifyView,
} from '../../../../libs/contracts/src/messages/security-integration.extra';
export type { ConnectionOperationsView } from '../../../../libs/contracts/src/messages/connectors.messages';
