import { MessageTypes, SetWorkspaceLimitsCommand, WorkspaceLimitsQuery } from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { WorkspaceLimitsUseCase } from '../limits/workspace-limits.usecase';

/** Workspaces' rate limits and stream caps, which every gateway replica enforces. */
@Injectable()
export class LimitsCommands {
  constructor(commands: ServiceCommandServer, limits: WorkspaceLimitsUseCase) {
    commands
      .handle(MessageTypes.limitsGet, WorkspaceLimitsQuery, (query) => limits.get(query))
      .handle(MessageTypes.limitsSet, SetWorkspaceLimitsCommand, (command) => limits.set(command))
      .handle(MessageTypes.limitsReset, WorkspaceLimitsQuery, (query) => limits.reset(query));
  }
}
