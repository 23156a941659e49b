import {
  AlertMessageTypes,
  ConnectionMetricsSampleQuery,
  type ConnectionFigures,
  type ConnectionMetricsSample,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { ConnectionsRepository } from '../connections/connections.repository';
import { ConnectionFiguresRepository } from '../connectors/connection-figures.repository';

/**
 * Connection figures over a window for event-manager's alert rules
 * (`baton.integration.metrics.sample`): calls by outcome and their p95 from
 * connection_calls, and open breakers from connection_breakers (a breaker
 * open on any replica, until its reset time). The workspace is the request's.
 */
@Injectable()
export class ConnectionMetricsSampleHandler extends CommandHandlers {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly figuresOf: ConnectionFiguresRepository,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands.handle(
      AlertMessageTypes.connectionMetricsSample,
      ConnectionMetricsSampleQuery,
      (query, envelope) => this.sample(envelope.workspaceid, query),
    );
  }

  private async sample(
    workspaceId: string,
    query: ConnectionMetricsSampleQuery,
  ): Promise<ConnectionMetricsSample> {
    const names = await this.connections.existingNames(workspaceId, query.connections);
    const calls = await this.figuresOf.calls(workspaceId, names, query.window_seconds);
    const open = await this.figuresOf.openBreakers(workspaceId);
    const byName = new Map(calls.map((row) => [row.connection, row]));
    const figures = (name: string): ConnectionFigures => {
      const row = byName.get(name);
      return {
        calls: row?.calls ?? 0,
        ok: row?.ok ?? 0,
        failed: row?.failed ?? 0,
        rejected: row?.rejected ?? 0,
        p95_ms: row?.p95 === null || row?.p95 === undefined ? null : Math.round(row.p95 * 10) / 10,
        breaker_open: open.has(name) ? 1 : 0,
      };
    };
    return {
      window_seconds: query.window_seconds,
      breakers_open: open.size,
      connections: Object.fromEntries(names.map((name) => [name, figures(name)])),
    };
  }
}
