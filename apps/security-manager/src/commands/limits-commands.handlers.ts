import { MessageTypes, SetWorkspaceLimitsCommand, WorkspaceLimitsQuery } from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { WorkspaceLimitsUseCase } from '../limits/workspace-limits.usecase';

/** Workspaces' rate limits and stream caps, which every gateway replica enforces. */
@Injectable()
export class LimitsCommands extends CommandHandlers {
  constructor(private readonly limits: WorkspaceLimitsUseCase) {
    super();
  }

  register(commands: CommandRegistry): void {
    const { limits } = this;
    commands
      .handle(MessageTypes.limitsGet, WorkspaceLimitsQuery, (query) => limits.get(query))
      .handle(MessageTypes.limitsSet, SetWorkspaceLimitsCommand, (command) => limits.set(command))
      .handle(MessageTypes.limitsReset, WorkspaceLimitsQuery, (query) => limits.reset(query));
  }
}
