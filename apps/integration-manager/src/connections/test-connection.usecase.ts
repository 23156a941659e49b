import {
  DomainError,
  type ConnectionHealthView,
  type ConnectionOperationsView,
  type ConnectionRef,
  type ConnectionTestView,
  type Envelope,
  type TestConnectionCommand,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { connectionTarget, ConnectorRegistry } from '../connectors/connector-registry';
import { OperationError, type Operation } from '../connectors/connector';
import { ConnectionSecrets } from './connection-secrets';
import type { ConnectionEntity } from './connection.entity';
import { ConnectionsRepository } from './connections.repository';

/** A step's validation failure as a 422 naming the field. */
function invalid(error: OperationError): DomainError {
  const field = error.field ?? 'input';
  const message = error.message.startsWith(`${field} `)
    ? error.message.slice(field.length + 1)
    : error.message;
  return DomainError.invalid(field, message);
}

@Injectable()
export class TestConnectionUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly secrets: ConnectionSecrets,
  ) {}

  /**
   * A real round trip to the target: the probe, or one call of `operation`
   * checked as a step's would be (bad input is a 422, not a failed test).
   * Goes through the connection's breaker and timeout, so a test of a down
   * target counts towards opening the breaker like any call.
   */
  async execute(command: TestConnectionCommand, request: Envelope): Promise<ConnectionTestView> {
    const connection = await this.find(request.workspaceid, command.name);
    const connector = this.connectors.get(connection.connector);
    if (!connector)
      throw DomainError.invalid('connector', `'${connection.connector}' is not available`);
    const secrets = this.secrets.open(connection);
    if (!secrets) {
      throw DomainError.invalid(
        'secrets',
        'cannot be decrypted (was BATON_ENCRYPTION_KEY changed?)',
      );
    }
    const target = connectionTarget(connection, secrets);
    const runtime = this.connectors.runtime(connection);
    let call: () => Promise<unknown>;
    if (command.operation === undefined) {
      call = () => runtime.probe(target);
    } else {
      const input = (command.input ?? {}) as Record<string, unknown>;
      try {
        const operation = await this.connectors.checkedOperation(
          connector,
          command.operation,
          connection,
          target,
          input,
        );
        call = async () => (await runtime.call(operation, target, input)).output;
      } catch (error) {
        if (error instanceof OperationError && error.type === 'validation_error')
          throw invalid(error);
        throw error;
      }
    }
    const started = performance.now();
    const base = {
      name: connection.name,
      connector: connection.connector,
      operation: command.operation ?? null,
    };
    try {
      const output = await call();
      return { ...base, ok: true, duration_ms: Math.round(performance.now() - started), output };
    } catch (error) {
      const failure =
        error instanceof OperationError
          ? error
          : new OperationError('system_error', (error as Error).message);
      return {
        ...base,
        ok: false,
        duration_ms: Math.round(performance.now() - started),
        error: { type: failure.type, message: failure.message },
      };
    }
  }

  /**
   * What `action: <name>.<operation>` can call on the connection, with input
   * schemas (openapi: imported from its document; a document that no longer
   * imports is a 422 naming it).
   */
  async operations(command: ConnectionRef, request: Envelope): Promise<ConnectionOperationsView> {
    const connection = await this.find(request.workspaceid, command.name);
    const connector = this.connectors.get(connection.connector);
    if (!connector)
      throw DomainError.invalid('connector', `'${connection.connector}' is not available`);
    const target = connectionTarget(connection, {});
    let operations: Operation[];
    try {
      operations = await this.connectors.operationsOf(connector, connection, target);
    } catch (error) {
      if (error instanceof OperationError)
        throw DomainError.invalid(error.field ?? 'config', error.message);
      throw error;
    }
    return {
      name: connection.name,
      connector: connection.connector,
      items: operations.map((o) => ({
        name: o.name,
        description: o.description,
        idempotent:
          o.idempotentWhen ?? String(o.idempotent({}, { ...target, config: connection.config })),
        input_schema: o.inputSchema,
        ...(o.http ? { method: o.http.method, path: o.http.path } : {}),
      })),
    };
  }

  /** This replica's breaker state and counters of the connection (zeros before its first call here). */
  async health(command: ConnectionRef, request: Envelope): Promise<ConnectionHealthView> {
    const connection = await this.find(request.workspaceid, command.name);
    const runtime = this.connectors.peekRuntime(connection.workspaceId, connection.name);
    const health = runtime?.health() ?? {
      breaker: 'closed' as const,
      calls: 0,
      errors: { validation_error: 0, system_error: 0, timeout: 0 },
      in_flight: 0,
      queued: 0,
      last_error: null,
      last_success_at: null,
    };
    return { name: connection.name, connector: connection.connector, ...health, scope: 'replica' };
  }

  private async find(workspaceId: string, name: string): Promise<ConnectionEntity> {
    const connection = await this.connections.find(workspaceId, name);
    if (!connection) throw DomainError.notFound('connection', name);
    return connection;
  }
}
