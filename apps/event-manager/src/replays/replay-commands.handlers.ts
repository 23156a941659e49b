import {
  CreateReplayCommand,
  DomainError,
  EventRoutingMessageTypes as Types,
  PageQuery,
  ReplayIdQuery,
  toPageOf,
  uuidCursor,
  type ReplayView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from '../routing/deliveries.repository';
import { CreateReplayUseCase } from './create-replay.usecase';
import type { ReplayEntity } from './replay.entity';
import { ReplayViews } from './replay.view';
import { ReplaysRepository } from './replays.repository';

@Injectable()
export class ReplayCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly create: CreateReplayUseCase,
    private readonly replays: ReplaysRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly views: ReplayViews,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.replayCreate, CreateReplayCommand, (command, envelope) =>
        this.create.execute(command, envelope.workspaceid),
      )
      .handle(Types.replayGet, ReplayIdQuery, async (query, envelope) =>
        this.views.of(await this.require(envelope.workspaceid, query.id)),
      )
      .handle(Types.replayList, PageQuery, async (query, envelope) => {
        const limit = query.limit ?? 50;
        const rows = await this.replays.list(
          envelope.workspaceid,
          uuidCursor(query.cursor),
          limit + 1,
        );
        return toPageOf(
          rows,
          limit,
          (row) => this.views.of(row),
          (row) => row.id,
        );
      })
      .handle(Types.replayCancel, ReplayIdQuery, (query, envelope) =>
        this.cancel(envelope.workspaceid, query.id),
      );
  }

  /** Stops reading and withdraws the replay's deliveries that have not gone out yet. */
  private async cancel(workspaceId: string, id: string): Promise<ReplayView> {
    const replay = await this.require(workspaceId, id);
    const cancelled = await this.uow.run(async (tx) => {
      if (!(await this.replays.markCancelled(tx.manager, id))) return false;
      await this.deliveries.cancelReplay(tx.manager, id);
      tx.audit({ action: 'replay.cancel', target: `replay/${id}` });
      return true;
    });
    if (!cancelled) {
      throw new DomainError('REPLAY.NOT_RUNNING', `replay '${id}' is already ${replay.status}`);
    }
    return this.views.of(await this.require(workspaceId, id));
  }

  private async require(workspaceId: string, id: string): Promise<ReplayEntity> {
    const replay = await this.replays.find(workspaceId, id);
    if (!replay) throw DomainError.notFound('replay', id);
    return replay;
  }
}
