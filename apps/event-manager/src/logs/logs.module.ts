import { ListLogsQuery, MessageTypes } from '@baton/contracts';
import { CommandHandlers } from '@baton/service-kit';
import type { CommandRegistry } from '@baton/kafka';
import { Injectable, Module } from '@nestjs/common';
import { ListLogsUseCase } from './list-logs.usecase';
import { LogRetentionPoller } from './log-retention.poller';
import { LogsConsumer } from './logs.consumer';
import { LogsRepository } from './logs.repository';

/** `GET /v1/logs` as a query on baton.event.commands, always within the caller's workspace. */
@Injectable()
export class LogQueries extends CommandHandlers {
  constructor(private readonly list: ListLogsUseCase) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands.handle(MessageTypes.logList, ListLogsQuery, (query, envelope) =>
      this.list.execute(query, envelope.workspaceid),
    );
  }
}

/** Logs in one place: the store of baton.logs, its queries and its retention. */
@Module({
  providers: [LogsRepository, ListLogsUseCase, LogsConsumer, LogRetentionPoller, LogQueries],
})
export class LogsModule {}
