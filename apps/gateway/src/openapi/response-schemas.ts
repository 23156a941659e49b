import { DELIVERY_FORMATS, ErrorCategories, RUN_STATUSES } from '@baton/contracts';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The answers of the routes the SDK and the CLI use, as OpenAPI schemas, so
 * that clients generate their response types from /openapi.json (ADR 0025).
 * The services' views are TypeScript interfaces, which leave no runtime
 * trace to generate from; libs/sdk/src/api-types.spec.ts fails the type
 * check when a view and its schema here stop agreeing.
 */
type Schema = Record<string, unknown>;

const string: Schema = { type: 'string' };
const integer: Schema = { type: 'integer' };
const boolean: Schema = { type: 'boolean' };
const anything: Schema = {};
const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const array = (items: Schema): Schema => ({ type: 'array', items });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
});
const page = (item: string): Schema =>
  object({ items: array(ref(item)), next_cursor: nullable(string) });

const FIELD_PROBLEM = object({ field: string, message: string, line: integer, column: integer }, [
  'line',
  'column',
]);

const ERROR = object({ type: string, message: string });
/** A JSON Schema the workflow or agent declares for its input (main adds it to the views). */
const JSON_SCHEMA: Schema = { type: 'object', additionalProperties: true };

/** How a run or step ended on one side of a shadow run (inline where it may be null). */
const SHADOW_OUTCOME = object({ status: string, output: anything, error: nullable(ERROR) });

export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  FieldProblem: FIELD_PROBLEM,
  /** RFC 9457, with Baton's stable `code`, its `category` and the offending fields. */
  Problem: object(
    {
      type: string,
      title: string,
      status: integer,
      detail: string,
      instance: string,
      code: {
        type: 'string',
        description: 'A domain code (listed in the API description) or a category',
      },
      category: {
        type: 'string',
        enum: Object.values(ErrorCategories),
        description: 'The generic code the error belongs to; it decides the status',
      },
      errors: array(ref('FieldProblem')),
      warnings: array(ref('FieldProblem')),
    },
    ['errors', 'warnings'],
  ),
  StepView: object({
    name: string,
    status: string,
    agent: nullable(string),
    action: nullable(string),
    attempts: integer,
    input: anything,
    output: anything,
    error: nullable(ERROR),
    started_at: nullable(string),
    finished_at: nullable(string),
    duration_ms: nullable(integer),
  }),
  RunView: object({
    id: string,
    workflow: string,
    workflow_version: integer,
    status: { type: 'string', enum: [...RUN_STATUSES] },
    input: anything,
    output: anything,
    error: nullable(ERROR),
    steps: array(ref('StepView')),
    created_at: string,
    updated_at: string,
    finished_at: nullable(string),
  }),
  RunPage: page('RunView'),
  WorkflowView: object(
    {
      name: string,
      version: integer,
      description: nullable(string),
      trigger: anything,
      input_schema: nullable(JSON_SCHEMA),
      steps: array(string),
      created_at: string,
      warnings: array(object({ field: string, message: string })),
    },
    ['warnings', 'input_schema'],
  ),
  WorkflowVersionView: {
    allOf: [ref('WorkflowView'), object({ active: boolean, source: string })],
  },
  ValidationProblemView: object({
    path: string,
    code: string,
    message: string,
    line: nullable(integer),
    column: nullable(integer),
  }),
  ValidationReportView: object({
    valid: boolean,
    errors: array(ref('ValidationProblemView')),
    warnings: array(ref('ValidationProblemView')),
  }),
  AgentView: object(
    {
      name: string,
      type: string,
      runtime: string,
      description: nullable(string),
      capabilities: array(string),
      input_schema: nullable(JSON_SCHEMA),
      min_instances: integer,
      max_instances: integer,
      version: integer,
      status: string,
      created_at: string,
      updated_at: string,
      provisioning: nullable(
        object({
          type: { type: 'string', enum: ['kubernetes'] },
          namespace: string,
          deployment: string,
          replicas: nullable(integer),
          ready_replicas: nullable(integer),
          error: nullable(string),
          updated_at: string,
          deleted_at: nullable(string),
        }),
      ),
    },
    ['provisioning', 'input_schema'],
  ),
  AgentPage: page('AgentView'),
  ApiKeyView: object({
    id: string,
    name: string,
    prefix: string,
    role: string,
    scopes: nullable(array(string)),
    status: { type: 'string', enum: ['active', 'expired', 'revoked'] },
    created_at: string,
    created_by: nullable(string),
    last_used_at: nullable(string),
    expires_at: nullable(string),
    revoked_at: nullable(string),
    replaced_by: nullable(string),
  }),
  IssuedApiKeyView: { allOf: [ref('ApiKeyView'), object({ key: string })] },
  ApiKeyPage: page('ApiKeyView'),
  StoredEventView: object(
    {
      id: string,
      type: string,
      source: string,
      subject: nullable(string),
      time: string,
      correlation_id: string,
      causation_id: nullable(string),
      traceparent: nullable(string),
      data: anything,
      topic: string,
      partition: integer,
      offset: string,
      received_at: string,
      matched: array(anything),
    },
    ['matched'],
  ),
  EventPage: page('StoredEventView'),
  ReplayView: object({
    id: string,
    status: { type: 'string', enum: ['running', 'completed', 'cancelled', 'failed'] },
    filter: object(
      {
        types: array(string),
        from: string,
        to: string,
        subject: string,
        correlation_id: string,
      },
      ['types', 'from', 'to', 'subject', 'correlation_id'],
    ),
    target: object(
      {
        subscription_id: string,
        topic: string,
        format: { type: 'string', enum: [...DELIVERY_FORMATS] },
        original: boolean,
      },
      ['subscription_id', 'topic', 'format', 'original'],
    ),
    rate_limit: nullable(integer),
    dry_run: boolean,
    total: nullable(integer),
    processed: integer,
    deliveries: object({ created: integer, pending: integer, delivered: integer, dead: integer }),
    published: integer,
    error: nullable(string),
    created_at: string,
    finished_at: nullable(string),
  }),
  ConnectionView: object(
    {
      name: string,
      connector: string,
      config: { type: 'object', additionalProperties: true },
      has_secrets: boolean,
      created_at: string,
      updated_at: string,
    },
    ['updated_at'],
  ),
  ClaimedTaskView: object({
    task_id: string,
    agent: string,
    input: anything,
    claim_token: string,
    lease_expires_at: string,
    deadline: string,
  }),
  ClaimLeaseView: object({ task_id: string, lease_expires_at: string, deadline: string }),
  ShadowOutcomeView: SHADOW_OUTCOME,
  ShadowRunView: object(
    {
      run_id: nullable(string),
      event_id: string,
      live_version: nullable(integer),
      verdict: { type: 'string', enum: ['same', 'differs', 'failed', 'no_live_run'] },
      reason: string,
      live: ref('ShadowOutcomeView'),
      candidate: ref('ShadowOutcomeView'),
      path_differs_at: nullable(
        object({ index: integer, live: nullable(string), candidate: nullable(string) }),
      ),
      step_differences: array(
        object(
          {
            path: string,
            live: nullable(SHADOW_OUTCOME),
            candidate: nullable(SHADOW_OUTCOME),
            answer: { type: 'string', enum: ['recorded', 'not_recorded'] },
          },
          ['answer'],
        ),
      ),
      step_differences_omitted: integer,
      answers: object({ recorded: integer, not_recorded: integer }),
    },
    [
      'event_id',
      'reason',
      'live',
      'candidate',
      'path_differs_at',
      'step_differences',
      'step_differences_omitted',
      'answers',
    ],
  ),
  ShadowReportView: object({
    workflow: string,
    version: integer,
    source: { type: 'string', enum: ['runs', 'events'] },
    counts: object({
      runs: integer,
      same: integer,
      differs: integer,
      failed: integer,
      no_live_run: integer,
    }),
    runs: array(ref('ShadowRunView')),
  }),
  RunAdmissionView: object({
    workspace_id: string,
    active_runs: nullable(integer),
    default_active_runs: integer,
    effective_active_runs: integer,
  }),
};

/** Route → the schema of each success status it answers. */
export const ROUTE_RESPONSES: Record<string, Record<number, string>> = {
  'POST /v1/workflows': { 200: 'WorkflowView', 201: 'WorkflowView' },
  'GET /v1/workflows/{name}': { 200: 'WorkflowView' },
  'GET /v1/workflows/{name}/versions/{version}': { 200: 'WorkflowVersionView' },
  'POST /v1/workflows/validate': { 200: 'ValidationReportView' },
  'POST /v1/workflows/{name}/versions/{version}/shadow': { 200: 'ShadowReportView' },
  'POST /v1/workflows/{name}/runs': { 200: 'RunView', 201: 'RunView' },
  'GET /v1/runs': { 200: 'RunPage' },
  'GET /v1/runs/{id}': { 200: 'RunView' },
  'POST /v1/runs/{id}/cancel': { 200: 'RunView' },
  'POST /v1/runs/{id}/pause': { 200: 'RunView' },
  'POST /v1/runs/{id}/resume': { 200: 'RunView' },
  'POST /v1/runs/{id}/retry': { 200: 'RunView' },
  'POST /v1/runs/{id}/replay': { 201: 'RunView' },
  'GET /v1/agents': { 200: 'AgentPage' },
  'POST /v1/agents': { 200: 'AgentView', 201: 'AgentView' },
  'GET /v1/agents/{name}': { 200: 'AgentView' },
  'PATCH /v1/agents/{name}': { 200: 'AgentView' },
  'DELETE /v1/agents/{name}': { 200: 'AgentView' },
  'POST /v1/api-keys': { 201: 'IssuedApiKeyView' },
  'GET /v1/api-keys': { 200: 'ApiKeyPage' },
  'GET /v1/events': { 200: 'EventPage' },
  'GET /v1/events/{id}': { 200: 'StoredEventView' },
  'POST /v1/replays': { 200: 'ReplayView', 202: 'ReplayView' },
  'GET /v1/replays/{id}': { 200: 'ReplayView' },
  'POST /v1/connections': { 201: 'ConnectionView' },
  'GET /v1/connections/{name}': { 200: 'ConnectionView' },
  'PATCH /v1/connections/{name}': { 200: 'ConnectionView' },
  'POST /v1/agents/{name}/tasks/claim': { 200: 'ClaimedTaskView' },
  'POST /v1/agents/{name}/tasks/{id}/lease': { 200: 'ClaimLeaseView' },
  'GET /v1/workspaces/{id}/run-admission': { 200: 'RunAdmissionView' },
  'PUT /v1/workspaces/{id}/run-admission': { 200: 'RunAdmissionView' },
  'DELETE /v1/workspaces/{id}/run-admission': { 200: 'RunAdmissionView' },
};

/**
 * Adds the schemas above to the document, the success answers of the routes
 * in ROUTE_RESPONSES, and to every operation its errors as problem+json.
 */
export function describeResponses(document: OpenAPIObject): void {
  document.components = {
    ...document.components,
    schemas: { ...(document.components?.schemas ?? {}), ...RESPONSE_SCHEMAS },
  };
  for (const [route, statuses] of Object.entries(ROUTE_RESPONSES)) {
    const [method, path] = route.split(' ') as [string, string];
    const operation = (document.paths[path] as Record<string, OperationLike> | undefined)?.[
      method.toLowerCase()
    ];
    // A route renamed or removed must leave this table too: the gateway fails its start.
    if (!operation)
      throw new Error(`response schema for ${route}, which the gateway has no longer`);
    for (const [status, schema] of Object.entries(statuses)) {
      operation.responses[status] = {
        description: operation.responses[status]?.description || 'OK',
        content: { 'application/json': { schema: ref(schema) } },
      };
    }
  }
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods as Record<string, OperationLike>)) {
      if (typeof operation !== 'object' || !operation?.responses) continue;
      operation.responses.default = {
        description: 'An error, as RFC 9457 problem+json',
        content: { 'application/problem+json': { schema: ref('Problem') } },
      };
    }
  }
}

interface OperationLike {
  responses: Record<string, { description?: string; content?: unknown }>;
}
