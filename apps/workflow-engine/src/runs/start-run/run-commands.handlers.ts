import {
  DomainError,
  type Envelope,
  ListRunsQuery,
  MessageTypes,
  ReplayRunCommand,
  RunIdQuery,
  WorkflowOpsMessageTypes,
  StartRunCommand,
  decodeCursor,
  toPage,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { toRunView } from '../store/run.view';
import { RunsRepository } from '../store/runs.repository';
import { ReplayRunUseCase } from './replay-run.usecase';
import { StartRunUseCase } from './start-run.usecase';

/** Run commands and queries, registered on the engine's command server. */
@Injectable()
export class RunCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly startRun: StartRunUseCase,
    private readonly runs: RunsRepository,
    private readonly replayRun: ReplayRunUseCase,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      // Starts that arrive together are started in one transaction.
      .handleMany(MessageTypes.runStart, StartRunCommand, (items) =>
        this.startRun.executeMany(
          items.map(({ command, envelope, traceparent }) => ({
            // A start without an Idempotency-Key is still one request: the same message
            // again (redelivered after a crash before its offset was committed) must answer
            // the run it started, not start a second one.
            command: {
              ...command,
              idempotency_key: command.idempotency_key ?? requestKey(envelope),
            },
            request: envelope,
            traceparent,
          })),
        ),
      )
      .handle(WorkflowOpsMessageTypes.runReplay, ReplayRunCommand, (command, envelope) =>
        this.replayRun.execute(command, envelope),
      )
      .handle(MessageTypes.runGet, RunIdQuery, async (query, envelope) => {
        const found = await this.runs.findRunWithExecutions(envelope.workspaceid, query.run_id);
        if (!found) throw DomainError.notFound('run', query.run_id);
        return toRunView(found.run, found.executions);
      })
      .handle(MessageTypes.runList, ListRunsQuery, async (query, envelope) => {
        const limit = query.limit ?? 50;
        const position = decodeCursor(query.cursor);
        const [createdAt, id] = position ? position.split('|') : [];
        const rows = await this.runs.list(envelope.workspaceid, {
          workflow: query.workflow,
          status: query.status,
          after: createdAt && id ? { createdAt, id } : undefined,
          limit: limit + 1,
        });
        return toPage(
          rows,
          limit,
          (run) => toRunView(run, []),
          (run) => `${run.createdAt.toISOString()}|${run.id}`,
        );
      });
  }
}

/** The idempotency key of a start request that named none: its message id. */
export function requestKey(envelope: Envelope): string {
  return `request:${envelope.id}`;
}
