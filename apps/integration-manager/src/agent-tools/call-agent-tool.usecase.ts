import {
  DomainError,
  type CallConnectionToolCommand,
  type ConnectionToolResultView,
  type Envelope,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { ConnectionSecrets } from '../connections/connection-secrets';
import { ConnectionsRepository } from '../connections/connections.repository';
import { OperationError } from '../connectors/connector';
import { connectionTarget, ConnectorRegistry } from '../connectors/connector-registry';

/** The connector kind whose operations an `llm` agent may be given as tools. */
export const AGENT_TOOL_CONNECTOR = 'mcp';

/**
 * An `llm` agent's call of `mcp:<connection>/<tool>` (ADR 0040): the
 * connection of the caller's workspace (the envelope's, never one named in the
 * message), its input checked against the tool's schema, then the call through
 * the connection's runtime: the same secrets, breaker, rate limit, timeout and
 * outbound address guard as an `action:` step. A failure is an answer, not an
 * error, so the model can read it and work around it; only a connection that
 * does not exist or is not an MCP server is a DomainError (a bad agent config).
 */
@Injectable()
export class CallAgentToolUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly secrets: ConnectionSecrets,
  ) {}

  async execute(
    command: CallConnectionToolCommand,
    request: Envelope,
  ): Promise<ConnectionToolResultView> {
    const connection = await this.connections.find(request.workspaceid, command.name);
    if (!connection) throw DomainError.notFound('connection', command.name);
    if (connection.connector !== AGENT_TOOL_CONNECTOR) {
      throw DomainError.invalid(
        'name',
        `connection '${command.name}' is of kind ${connection.connector}, not an MCP server`,
      );
    }
    const connector = this.connectors.get(connection.connector);
    if (!connector)
      return failed('system_error', `connector '${connection.connector}' is not available`);
    const secrets = this.secrets.open(connection);
    if (!secrets) {
      return failed(
        'system_error',
        `the secrets of connection '${connection.name}' cannot be decrypted: store them again`,
      );
    }
    const target = connectionTarget(connection, secrets);
    try {
      const operation = await this.connectors.checkedOperation(
        connector,
        command.tool,
        connection,
        target,
        command.arguments,
      );
      const result = await this.connectors
        .runtime(connection)
        .call(operation, target, command.arguments);
      return { ok: true, output: result.output };
    } catch (error) {
      if (error instanceof OperationError) return failed(error.type, error.message);
      if (error instanceof DomainError) return failed('validation_error', error.detail);
      throw error;
    }
  }
}

function failed(type: string, message: string): ConnectionToolResultView {
  return { ok: false, error: { type, message } };
}
