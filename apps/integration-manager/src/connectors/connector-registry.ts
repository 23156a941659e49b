import { DomainError, ErrorCodes, type FieldError } from '@baton/contracts';
import { OutboundHttp } from '@baton/service-kit';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ConnectionRuntime } from './connection-runtime';
import { OperationError, type Connector, type JsonSchema, type Operation } from './connector';
import { HookConnector } from './hook/hook.connector';
import { HttpConnector } from './http/http.connector';
import { KafkaConnector } from './kafka/kafka.connector';
import { SlackConnector } from './slack/slack.connector';
import { SmtpConnector } from './smtp/smtp.connector';
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
  private readonly runtimes = new Map<string, ConnectionRuntime>();
  private readonly webhookHttp: OutboundHttp;

  constructor(config: ConfigService) {
    const allowed = parseAllowedNetworks(config.get<string>('CONNECTOR_ALLOWED_NETWORKS') ?? '');
    const webhookPrivate = config.get<boolean>('WEBHOOK_ALLOW_PRIVATE_NETWORKS') === true;
    const connectors = new TargetPolicy(allowed);
    // The webhook connector keeps its historic switch, and honours the allow-list too.
    this.webhookHttp = new TargetPolicy(allowed, webhookPrivate).http();
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false, useDefaults: false }));
    for (const connector of [
      new WebhookConnector({ http: this.webhookHttp }),
      new HttpConnector({ http: connectors.http() }),
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
    ]) {
      this.register(ajv, connector);
    }
  }

  /** Part 2 adds connectors here (openapi, kafka, smtp, slack, packs): nothing else changes. */
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

  checkInput(connector: Connector, operation: Operation, input: unknown): void {
    const validate = this.inputValidators.get(`${connector.kind}.${operation.name}`)!;
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
