import { IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { NAME_PATTERN } from './agent.messages';
import { OptionalObject, OptionalText } from '../fields';

/** `GET|DELETE /v1/connections/{name}`, `GET /v1/connections/{name}/health`. */
export class ConnectionRef {
  @Matches(NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes' })
  name!: string;
}

/**
 * `PATCH /v1/connections/{name}`: a JSON merge patch (RFC 7386) of config
 * and secrets. A key set to null is removed; the connector stays.
 */
export class UpdateConnectionCommand extends ConnectionRef {
  @OptionalObject()
  config?: Record<string, unknown>;

  @OptionalObject()
  secrets?: Record<string, string | null>;
}

/**
 * `POST /v1/connections/{name}/test`: without a body, the connector's probe
 * (a real, harmless round trip); with `operation` (and `input`), one real call
 * of that operation, checked as a workflow step would be (bad input is a 422).
 */
export class TestConnectionCommand extends ConnectionRef {
  @OptionalText(100)
  operation?: string;

  @IsOptional()
  input?: unknown;
}

/** One connection's health on the replica that answered. */
export interface ConnectionHealthView {
  name: string;
  connector: string;
  breaker: 'closed' | 'half_open' | 'open';
  calls: number;
  errors: { validation_error: number; system_error: number; timeout: number };
  in_flight: number;
  queued: number;
  last_error: { type: string; message: string; at: string } | null;
  last_success_at: string | null;
  /** Breakers, counters and limits are per integration-manager replica. */
  scope: 'replica';
}

export interface ConnectionTestView {
  name: string;
  connector: string;
  ok: boolean;
  operation: string | null;
  duration_ms: number;
  output?: unknown;
  error?: { type: string; message: string };
}

export interface ConnectorView {
  kind: string;
  description: string;
  /** Enterprise packs: the connector they are built on and the vendor's API they call. */
  pack?: { based_on: string; vendor: string; api: string; docs: string };
  config_schema: Record<string, unknown>;
  secrets: { name: string; required: boolean; description: string }[];
  operations: {
    name: string;
    description: string;
    idempotent: string;
    input_schema: Record<string, unknown>;
  }[];
}

/**
 * `POST /v1/hooks/{workspace}/{connection}` as the gateway forwards it to
 * integration-manager: the path as given (unchecked: a workspace or
 * connection that does not exist is answered like a bad signature), the
 * request's headers lower-cased, and the raw body exactly as received.
 */
export class ReceiveHookCommand {
  @IsString()
  @MaxLength(200)
  workspace!: string;

  @IsString()
  @MaxLength(200)
  connection!: string;

  @IsObject()
  headers!: Record<string, string>;

  @IsString()
  @MaxLength(800_000)
  body_base64!: string;
}

/** The answer to a verified hook call: the id of the event it became. */
export interface HookReceivedView {
  id: string;
  type: string;
}

/** `GET /v1/connections/{name}/operations`: what `action: <name>.<operation>` can call. */
export interface ConnectionOperationView {
  name: string;
  description: string;
  idempotent: string;
  input_schema: Record<string, unknown>;
  /** openapi and packs: the HTTP method and path template the operation calls. */
  method?: string;
  path?: string;
}

export interface ConnectionOperationsView {
  name: string;
  connector: string;
  items: ConnectionOperationView[];
}

/**
 * One call of an MCP tool of a connection, for an `llm` agent that was given
 * `mcp:<connection>/<tool>` (agent-manager asks; integration-manager calls it
 * through the connection, with its credentials, breaker and outbound guard).
 */
export class CallConnectionToolCommand extends ConnectionRef {
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  tool!: string;

  @IsObject()
  arguments!: Record<string, unknown>;
}

/** The tool's answer, or why it failed (the model reads it back and may work around it). */
export type ConnectionToolResultView =
  { ok: true; output: unknown } | { ok: false; error: { type: string; message: string } };
