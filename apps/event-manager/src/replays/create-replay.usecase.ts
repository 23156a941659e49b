import {
  DomainError,
  ErrorCodes,
  type CreateReplayCommand,
  type ReplayView,
} from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { UnitOfWork } from '@baton/database';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SubscriptionsRepository } from '../routing/subscriptions.repository';
import { ReplayEntity } from './replay.entity';
import { ReplayViews } from './replay.view';
import { ReplaysRepository } from './replays.repository';
import { ReplayWakeup } from './replay-wakeup';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class CreateReplayUseCase {
  constructor(
    private readonly replays: ReplaysRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly views: ReplayViews,
    private readonly wakeup: ReplayWakeup,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    private readonly uow: UnitOfWork,
  ) {}

  /** Records the replay; the replay worker does the work in the background. */
  async execute(
    command: CreateReplayCommand,
    workspaceId: string,
  ): Promise<{ created: boolean; replay: ReplayView }> {
    if (command.idempotency_key) {
      const existing = await this.replays.findByIdempotencyKey(
        workspaceId,
        command.idempotency_key,
      );
      if (existing) return { created: false, replay: await this.views.of(existing) };
    }
    await this.checkTarget(command, workspaceId);
    const { from, to } = command.filter;
    if (from && to && Date.parse(from) > Date.parse(to)) {
      throw DomainError.invalid('filter.to', 'must not be before filter.from');
    }
    const now = new Date();
    const replay = Object.assign(new ReplayEntity(), {
      id: randomUUID(),
      workspaceId,
      filter: { ...command.filter },
      target: { ...command.target },
      rateLimit: command.rate_limit ?? null,
      dryRun: command.dry_run ?? false,
      status: 'running',
      error: null,
      cursor: '0',
      upperSeq: await this.replays.lastSeq(workspaceId),
      total: null,
      processed: '0',
      deliveriesCreated: '0',
      published: '0',
      idempotencyKey: command.idempotency_key ?? null,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    } satisfies ReplayEntity);
    try {
      await this.uow.run(async (tx) => {
        await this.replays.insert(replay, tx.manager);
        tx.audit({ action: 'replay.start', target: `replay/${replay.id}` });
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && command.idempotency_key) {
        return this.execute(command, workspaceId);
      }
      throw error;
    }
    this.wakeup.wake();
    return { created: true, replay: await this.views.of(replay) };
  }

  private async checkTarget(command: CreateReplayCommand, workspaceId: string): Promise<void> {
    const target = command.target;
    const named = [
      target.subscription_id !== undefined,
      target.topic !== undefined,
      target.original === true,
    ];
    if (named.filter(Boolean).length !== 1) {
      throw new DomainError(
        ErrorCodes.validation,
        'target: name exactly one of subscription_id, topic or original: true',
        [
          {
            field: 'target',
            message: 'name exactly one of subscription_id, topic or original: true',
          },
        ],
      );
    }
    if (target.format !== undefined && target.topic === undefined) {
      throw DomainError.invalid('target.format', 'applies to a topic target only');
    }
    if (
      target.subscription_id &&
      !(await this.subscriptions.find(workspaceId, target.subscription_id))
    ) {
      throw DomainError.invalid(
        'target.subscription_id',
        `no subscription '${target.subscription_id}'`,
      );
    }
    if (target.topic !== undefined) {
      // Replaying into the platform's topics could feed events back into the store or fake commands.
      if (target.topic.startsWith('baton.')) {
        throw DomainError.invalid('target.topic', 'must not be a platform topic (baton.*)');
      }
      if (!command.dry_run) await this.kafka.ensureTopics([{ topic: target.topic, partitions: 3 }]);
    }
  }
}
