import {
  CreateSubscriptionCommand,
  DeadLettersQuery,
  decodeCursor,
  DomainError,
  EventRoutingMessageTypes as Types,
  PageQuery,
  RedeliverDeadLettersCommand,
  SubscriptionIdQuery,
  toPage,
  toPageOf,
  uuidCursor,
  type EventDeliveryView,
  type Page,
  type SubscriptionView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from '../routing/deliveries.repository';
import { CreateSubscriptionUseCase } from './create-subscription.usecase';
import type { SubscriptionEntity } from '../routing/subscription.entity';
import { toEventDeliveryView, toSubscriptionView } from './subscription.view';
import { SubscriptionsRepository } from '../routing/subscriptions.repository';
import { DeliveryWakeup } from '../routing/delivery-wakeup';

/** Subscription commands and queries, registered on event-manager's command server. */
@Injectable()
export class SubscriptionCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly create: CreateSubscriptionUseCase,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly wakeup: DeliveryWakeup,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.subscriptionCreate, CreateSubscriptionCommand, (command, envelope) =>
        this.create.execute(command, envelope.workspaceid),
      )
      .handle(Types.subscriptionList, PageQuery, async (query, envelope) =>
        this.list(query, envelope.workspaceid),
      )
      .handle(Types.subscriptionGet, SubscriptionIdQuery, async (query, envelope) =>
        this.view(await this.require(envelope.workspaceid, query.id)),
      )
      .handle(Types.subscriptionDelete, SubscriptionIdQuery, async (query, envelope) =>
        this.uow.run(async (tx) => {
          if (!(await this.subscriptions.delete(tx.manager, envelope.workspaceid, query.id))) {
            throw DomainError.notFound('subscription', query.id);
          }
          tx.audit({ action: 'subscription.delete', target: `subscription/${query.id}` });
          return { deleted: true };
        }),
      )
      .handle(Types.subscriptionPause, SubscriptionIdQuery, (query, envelope) =>
        this.setStatus(envelope.workspaceid, query.id, 'paused'),
      )
      .handle(Types.subscriptionResume, SubscriptionIdQuery, (query, envelope) =>
        this.setStatus(envelope.workspaceid, query.id, 'active'),
      )
      .handle(Types.subscriptionDeadLetters, DeadLettersQuery, async (query, envelope) =>
        this.deadLetters(query, envelope.workspaceid),
      )
      .handle(Types.subscriptionRedeliver, RedeliverDeadLettersCommand, (command, envelope) =>
        this.redeliver(command, envelope.workspaceid),
      );
  }

  private async list(query: PageQuery, workspaceId: string): Promise<Page<SubscriptionView>> {
    const limit = query.limit ?? 50;
    const rows = await this.subscriptions.list(workspaceId, uuidCursor(query.cursor), limit + 1);
    return toPageOf(
      rows,
      limit,
      (row) => this.view(row),
      (row) => row.id,
    );
  }

  private async setStatus(
    workspaceId: string,
    id: string,
    status: 'active' | 'paused',
  ): Promise<SubscriptionView> {
    await this.uow.run(async (tx) => {
      if (!(await this.subscriptions.setStatus(workspaceId, id, status, tx.manager))) {
        throw DomainError.notFound('subscription', id);
      }
      const action = status === 'active' ? 'subscription.resume' : 'subscription.pause';
      tx.audit({ action, target: `subscription/${id}` });
    });
    if (status === 'active') this.wakeup.wake();
    return this.view(await this.require(workspaceId, id));
  }

  private async deadLetters(
    query: DeadLettersQuery,
    workspaceId: string,
  ): Promise<Page<EventDeliveryView>> {
    await this.require(workspaceId, query.id);
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    if (after !== undefined && !/^\d+$/.test(after)) {
      throw DomainError.invalid('cursor', 'is not a cursor this API returned');
    }
    const rows = await this.deliveries.deadLetters(`sub:${query.id}`, after, limit + 1);
    return toPage(rows, limit, toEventDeliveryView, (row) => row.id);
  }

  /** Dead letters go back in line (after a fix at the receiver, say); the list shrinks. */
  private async redeliver(
    command: RedeliverDeadLettersCommand,
    workspaceId: string,
  ): Promise<{ requeued: number }> {
    await this.require(workspaceId, command.id);
    const requeued = await this.uow.run(async (tx) => {
      const count = await this.deliveries.requeueDead(
        tx.manager,
        `sub:${command.id}`,
        command.delivery_ids,
      );
      await this.subscriptions.forgetDeadLetters(tx.manager, command.id, count);
      tx.audit({
        action: 'subscription.redeliver',
        target: `subscription/${command.id}`,
        details: { requeued: count },
      });
      return count;
    });
    if (requeued > 0) this.wakeup.wake();
    return { requeued };
  }

  private async require(workspaceId: string, id: string): Promise<SubscriptionEntity> {
    const sub = await this.subscriptions.find(workspaceId, id);
    if (!sub) throw DomainError.notFound('subscription', id);
    return sub;
  }

  private async view(sub: SubscriptionEntity): Promise<SubscriptionView> {
    return toSubscriptionView(sub, await this.deliveries.lag(`sub:${sub.id}`));
  }
}
