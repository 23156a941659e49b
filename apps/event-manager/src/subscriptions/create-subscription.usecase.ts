import {
  DomainError,
  type CreateSubscriptionCommand,
  type SubscriptionView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { parseDuration } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DeliveriesRepository } from '../routing/deliveries.repository';
import { toDestination } from '../routing/destination';
import { DestinationChecks, newSigningSecret } from '../routing/destination-checks';
import { compileOrReject } from '../routing/jsonata-expression';
import { SigningSecrets, subscriptionOwner } from '../routing/signing-secrets';
import { SubscriptionEntity } from '../routing/subscription.entity';
import { SubscriptionsRepository } from '../routing/subscriptions.repository';
import { toSubscriptionView } from './subscription.view';

const UNIQUE_VIOLATION = '23505';
const DEFAULT_RETRY = { maxAttempts: 8, initialDelay: '1s', maxDelay: '5m' };

@Injectable()
export class CreateSubscriptionUseCase {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly checks: DestinationChecks,
    private readonly uow: UnitOfWork,
    private readonly secrets: SigningSecrets,
  ) {}

  /** The same Idempotency-Key answers the subscription it created (without its secret). */
  async execute(
    command: CreateSubscriptionCommand,
    workspaceId: string,
  ): Promise<{ created: boolean; subscription: SubscriptionView }> {
    if (command.idempotency_key) {
      const existing = await this.subscriptions.findByIdempotencyKey(
        workspaceId,
        command.idempotency_key,
      );
      if (existing) return { created: false, subscription: await this.view(existing) };
    }
    const destination = toDestination(command, '');
    if (command.filter !== undefined) compileOrReject(command.filter, 'filter');
    if (command.secret !== undefined && destination.kind !== 'webhook') {
      throw DomainError.invalid('secret', 'applies to webhook subscriptions only');
    }
    const retry = retrySettings(command);
    await this.checks.check(workspaceId, destination, '');
    const secret = destination.kind === 'webhook' ? (command.secret ?? newSigningSecret()) : null;
    const now = new Date();
    const subscription = Object.assign(new SubscriptionEntity(), {
      id: randomUUID(),
      workspaceId,
      name: command.name ?? null,
      events: [...new Set(command.events)],
      filter: command.filter ?? null,
      destination,
      secret: null as string | null,
      status: 'active',
      maxAttempts: retry.maxAttempts,
      initialDelayMs: retry.initialDelayMs,
      maxDelayMs: retry.maxDelayMs,
      idempotencyKey: command.idempotency_key ?? null,
      deliveredCount: '0',
      failureCount: '0',
      deadCount: '0',
      lastDeliveryAt: null,
      lastError: null,
      lastErrorAt: null,
      createdAt: now,
      updatedAt: now,
    } satisfies SubscriptionEntity);
    // Stored sealed; answered in clear once, in this response.
    if (secret) subscription.secret = this.secrets.seal(secret, subscriptionOwner(subscription.id));
    try {
      await this.uow.run(async (tx) => {
        await this.subscriptions.insert(tx.manager, subscription);
        tx.audit({
          action: 'subscription.create',
          target: `subscription/${subscription.id}`,
          details: { name: command.name },
        });
      });
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      if (command.idempotency_key) return this.execute(command, workspaceId);
      throw new DomainError(
        'SUBSCRIPTION.EXISTS',
        `a subscription named '${command.name}' already exists`,
        [{ field: 'name', message: 'is taken' }],
      );
    }
    const view = await this.view(subscription);
    return { created: true, subscription: secret ? { ...view, secret } : view };
  }

  private async view(subscription: SubscriptionEntity): Promise<SubscriptionView> {
    return toSubscriptionView(subscription, await this.deliveries.lag(`sub:${subscription.id}`));
  }
}

function retrySettings(command: CreateSubscriptionCommand) {
  const maxAttempts = command.retry?.max_attempts ?? DEFAULT_RETRY.maxAttempts;
  const initialDelayMs = duration(
    command.retry?.initial_delay ?? DEFAULT_RETRY.initialDelay,
    'retry.initial_delay',
  );
  const maxDelayMs = duration(
    command.retry?.max_delay ?? DEFAULT_RETRY.maxDelay,
    'retry.max_delay',
  );
  if (initialDelayMs < 10 || initialDelayMs > 3_600_000) {
    throw DomainError.invalid('retry.initial_delay', 'must be between 10ms and 1h');
  }
  if (maxDelayMs < initialDelayMs || maxDelayMs > 86_400_000) {
    throw DomainError.invalid('retry.max_delay', 'must be at least initial_delay and at most 24h');
  }
  return { maxAttempts, initialDelayMs, maxDelayMs };
}

function duration(value: string, field: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw DomainError.invalid(field, `'${value}' is not a duration like 500ms, 5s or 1m`);
  }
}
