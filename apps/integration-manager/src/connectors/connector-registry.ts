import { DomainError, ErrorCodes, type FieldError } from '@baton/contracts';
import { OutboundHttp } from '@baton/service-kit';
import { Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { IntegrationEnv } from '../integration-manager.env';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ConnectionFiguresRecorder } from './connection-figures.recorder';
import { ConnectionRuntime } from './connection-runtime';
import { HookConnector } from './hook/hook.connector';
import { KafkaConnector } from './kafka/kafka.connector';
import { McpConnector } from './mcp/mcp.connector';
import { SlackConnector } from './slack/slack.connector';
import { SmtpConnector } from './smtp/smtp.connector';
import {
  OperationError,
  type ConnectionTarget,
  type Connector,
  type JsonSchema,
  type Operation,
} from './connector';
import { HttpConnector } from './http/http.connector';
import { OpenApiConnector } from './openapi/openapi.connector';
import { PACKS } from './packs';
import { PackConnector } from './packs/pack.connector';
import { RESILIENCE_SCHEMA } from './resilience';
import { mysqlDriver } from './sql/mysql.driver';
import { postgresDriver } from './sql/postgres.driver';
import { SqlConnector } from './sql/sql-connector';
import { parseAllowedNetworks, TargetPolicy } from './target-policy';
import { WebhookConnector } from './webhook.connector';

/** One entry of `GET /v1/connectors`. */
export interface ConnectorDescription {
  kind: string;
  description: string;
  pack?: { based_on: string; vendor: string; api: string; docs: string };
  config_schema: JsonSchema;
  secrets: { name: string; required: boolean; description: string }[];
  operations: { name: string; description: string; idempotent: string; input_schema: JsonSchema }[];
}

/** A stored connection as the registry needs it (a subset of ConnectionEntity). */
export interface StoredConnection {
  workspaceId: string;
  name: string;
  connector: string;
  config: Record<string, unknown>;
  updatedAt: Date;
}

/** A stored connection as its connector calls it, with its secrets (opened, or none). */
export function connectionTarget(
  stored: StoredConnection,
  secrets: Record<string, string>,
): ConnectionTarget {
  return {
    key: `${stored.workspaceId}/${stored.name}`,
    name: stored.name,
    config: stored.config,
    secrets,
  };
}

/**
 * Every connector this service ships, by kind (`connector:` of a
 * connection), their schemas compiled once, and the per-connection runtimes
 * (breaker, rate limit, bulkhead) of this replica.
 */
@Injectable()
export class ConnectorRegistry implements OnModuleDestroy {
  private readonly byKind = new Map<string, Connector>();
  private readonly configValidators = new Map<string, ValidateFunction>();
  private readonly inputValidators = new Map<string, ValidateFunction>();
  /** Validators of operations that come from a connection (openapi documents), compiled on first use. */
  private readonly dynamicValidators = new WeakMap<Operation, ValidateFunction>();
  private readonly ajv: Ajv;
  private readonly runtimes = new Map<string, ConnectionRuntime>();
  private readonly webhookHttp: OutboundHttp;
  /** Fetches openapi documents by URL (same guard as the connectors' calls). */
  private readonly documentHttp: OutboundHttp;

  constructor(
    env: IntegrationEnv,
    /** Absent in unit tests that build a registry by hand. */
    @Optional() private readonly figures?: ConnectionFiguresRecorder,
  ) {
    const allowed = parseAllowedNetworks(env.CONNECTOR_ALLOWED_NETWORKS ?? '');
    const webhookPrivate = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === true;
    const connectors = new TargetPolicy(allowed);
    // The webhook connector keeps its historic switch, and honours the allow-list too.
    this.webhookHttp = new TargetPolicy(allowed, webhookPrivate).http();
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false, useDefaults: false }));
    this.ajv = ajv;
    // One http connector: openapi and the packs send their requests through it (its auth, token cache, guard).
    const httpConnector = new HttpConnector({ http: connectors.http() });
    this.documentHttp = connectors.http();
    for (const connector of [
      new WebhookConnector({ http: this.webhookHttp }),
      httpConnector,
      new SqlConnector(
        'postgres',
        'PostgreSQL: parameterised query and execute',
        postgresDriver,
        connectors,
      ),
      new SqlConnector(
        'mysql',
        'MySQL and MariaDB: parameterised query and execute',
        mysqlDriver,
        connectors,
      ),
      new KafkaConnector(connectors),
      new SmtpConnector(connectors, connectors.http()),
      new SlackConnector(connectors.http()),
      new HookConnector(),
      new McpConnector(connectors.http()),
      new OpenApiConnector(this.documentHttp, httpConnector),
      ...PACKS.map((pack) => new PackConnector(pack, httpConnector)),
    ]) {
      this.register(ajv, connector);
    }
  }

  /** Compiles a connector's schemas once; a new connector is one more entry in the list above. */
  private register(ajv: Ajv, connector: Connector): void {
    this.byKind.set(connector.kind, connector);
    const schema = connector.configSchema;
    this.configValidators.set(
      connector.kind,
      ajv.compile({
        ...schema,
        properties: { ...(schema.properties as object), resilience: RESILIENCE_SCHEMA },
      }),
    );
    for (const operation of connector.operations.values()) {
      this.inputValidators.set(
        `${connector.kind}.${operation.name}`,
        ajv.compile(operation.inputSchema),
      );
    }
  }

  get(kind: string): Connector | undefined {
    return this.byKind.get(kind);
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  describe(): ConnectorDescription[] {
    return [...this.byKind.values()].map((c) => ({
      kind: c.kind,
      description: c.description,
      ...(c.pack ? { pack: c.pack } : {}),
      config_schema: {
        ...c.configSchema,
        properties: { ...(c.configSchema.properties as object), resilience: RESILIENCE_SCHEMA },
      },
      secrets: c.secretFields.map((s) => ({
        name: s.name,
        required: s.required === true,
        description: s.description,
      })),
      operations: [...c.operations.values()].map((o) => ({
        name: o.name,
        description: o.description,
        idempotent:
          o.idempotentWhen ??
          String(o.idempotent({}, { key: '', name: '', config: {}, secrets: {} })),
        input_schema: o.inputSchema,
      })),
    }));
  }

  /**
   * A connection's config and secrets as the connector wants them: a 422
   * naming `connector`, `config.*` or `secrets.*` otherwise.
   */
  async validate(
    kind: string,
    config: Record<string, unknown>,
    secrets: Record<string, unknown>,
  ): Promise<Connector> {
    const connector = this.byKind.get(kind);
    if (!connector) {
      throw DomainError.invalid(
        'connector',
        `unknown connector '${kind}' (one of: ${this.kinds().join(', ')})`,
      );
    }
    const validate = this.configValidators.get(kind)!;
    if (!validate(config))
      throw schemaError('config', validate.errors ?? [], 'config does not match the connector');
    const known = new Set(connector.secretFields.map((s) => s.name));
    for (const [name, value] of Object.entries(secrets)) {
      if (!known.has(name)) {
        throw DomainError.invalid(
          `secrets.${name}`,
          `is not a secret of connector '${kind}' (one of: ${[...known].join(', ')})`,
        );
      }
      if (typeof value !== 'string')
        throw DomainError.invalid(`secrets.${name}`, 'must be a string');
    }
    await connector.validateConfig?.(config, secrets as Record<string, string>);
    return connector;
  }

  /** The operation and its checked input; a validation_error OperationError naming the field otherwise. */
  operation(connector: Connector, name: string, connection: string): Operation {
    const operation = connector.operations.get(name);
    if (!operation) {
      throw new OperationError(
        'validation_error',
        `connection '${connection}' (${connector.kind}) has no operation '${name}' (one of: ${[...connector.operations.keys()].join(', ')})`,
        null,
        undefined,
        'operation',
      );
    }
    return operation;
  }

  /**
   * The operation a step names, from the connector's own operations or, for
   * connectors whose operations come from the connection (openapi), from the
   * connection's document: a validation_error naming `operation` otherwise.
   */
  async resolveOperation(
    connector: Connector,
    name: string,
    stored: StoredConnection,
    target: ConnectionTarget,
  ): Promise<Operation> {
    if (!connector.operationsOf) return this.operation(connector, name, stored.name);
    const operations = await connector.operationsOf(target, stored.updatedAt.getTime());
    const operation = operations.get(name);
    if (!operation) {
      const known = [...operations.keys()];
      throw new OperationError(
        'validation_error',
        `connection '${stored.name}' (${connector.kind}) has no operation '${name}' (one of: ${known.slice(0, 50).join(', ')}${known.length > 50 ? ', …' : ''})`,
        null,
        undefined,
        'operation',
      );
    }
    return operation;
  }

  /**
   * The operation a call names, with the call's input checked against its
   * schema and by the operation's own check: what a step, an agent's tool call
   * and a connection test each do before they call it.
   */
  async checkedOperation(
    connector: Connector,
    name: string,
    stored: StoredConnection,
    target: ConnectionTarget,
    input: Record<string, unknown>,
  ): Promise<Operation> {
    const operation = await this.resolveOperation(connector, name, stored, target);
    this.checkInput(connector, operation, input);
    operation.check?.(input, target);
    return operation;
  }

  /** Every operation a connection offers (`GET /v1/connections/{name}/operations`). */
  async operationsOf(
    connector: Connector,
    stored: StoredConnection,
    target: ConnectionTarget,
  ): Promise<Operation[]> {
    const operations = connector.operationsOf
      ? await connector.operationsOf(target, stored.updatedAt.getTime())
      : connector.operations;
    return [...operations.values()];
  }

  checkInput(connector: Connector, operation: Operation, input: unknown): void {
    const validate =
      this.inputValidators.get(`${connector.kind}.${operation.name}`) ??
      this.dynamicValidator(operation);
    if (!validate(input === undefined ? null : input)) {
      const errors = (validate.errors ?? []).map((e) => fieldError(e, 'input'));
      throw new OperationError(
        'validation_error',
        `input does not match ${connector.kind}.${operation.name}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        null,
        undefined,
        errors[0]?.field,
      );
    }
  }

  private dynamicValidator(operation: Operation): ValidateFunction {
    let validate = this.dynamicValidators.get(operation);
    if (!validate) {
      try {
        validate = this.ajv.compile(operation.inputSchema);
      } catch (error) {
        throw new OperationError(
          'validation_error',
          `the input schema of operation '${operation.name}' cannot be used: ${(error as Error).message}`,
          null,
          undefined,
          'operation',
        );
      }
      this.dynamicValidators.set(operation, validate);
    }
    return validate;
  }

  /** This replica's runtime of a connection, rebuilt (and its pools released) when the connection changed. */
  runtime(stored: StoredConnection): ConnectionRuntime {
    const key = `${stored.workspaceId}/${stored.name}`;
    const version = stored.updatedAt.getTime();
    const current = this.runtimes.get(key);
    if (current && current.version === version && current.connector.kind === stored.connector)
      return current;
    if (current) void this.release(key);
    const connector = this.byKind.get(stored.connector)!;
    const runtime = new ConnectionRuntime(
      connector,
      stored.workspaceId,
      stored.name,
      version,
      stored.config,
      this.figures,
    );
    this.runtimes.set(key, runtime);
    return runtime;
  }

  peekRuntime(workspaceId: string, name: string): ConnectionRuntime | undefined {
    return this.runtimes.get(`${workspaceId}/${name}`);
  }

  /** Drops a connection's runtime and what its connector holds for it (pools, tokens). */
  async release(key: string): Promise<void> {
    const runtime = this.runtimes.get(key);
    this.runtimes.delete(key);
    runtime?.shutdown();
    await Promise.all([...this.byKind.values()].map((c) => c.release?.(key)));
  }

  async onModuleDestroy(): Promise<void> {
    for (const runtime of this.runtimes.values()) runtime.shutdown();
    await Promise.all([...this.byKind.values()].map((c) => c.close?.()));
    await this.webhookHttp.close();
    await this.documentHttp.close();
  }
}

function fieldError(error: ErrorObject, root: string): FieldError {
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  const segments = error.instancePath.split('/').filter(Boolean);
  if (missing) segments.push(missing);
  if (extra) segments.push(extra);
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  return {
    field: [root, ...segments].join('.'),
    message: allowed
      ? `must be one of ${allowed.map(String).join(', ')}`
      : (error.message ?? 'is invalid'),
  };
}

function schemaError(root: string, errors: ErrorObject[], what: string): DomainError {
  const fields = errors.map((e) => fieldError(e, root));
  return new DomainError(
    ErrorCodes.validation,
    `${what}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
    fields,
  );
}
