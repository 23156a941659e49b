import { DomainError, Topics } from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { addressPolicy, urlRefusal, type AddressPolicy } from '@baton/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { randomBytes } from 'node:crypto';
import { TransformsRepository } from './transforms.repository';
import type { Destination } from './destination';

/** Partitions of a topic Baton creates for a topic destination. */
export const USER_TOPIC_PARTITIONS = 3;

/**
 * What can be checked when a subscription or route is created, so that a
 * typo is a 422 now instead of dead letters later: the transform exists, the
 * agent is registered (its task topic exists), a destination topic exists
 * (it is created when missing), a webhook's host is not an internal address
 * (only not link-local with WEBHOOK_ALLOW_PRIVATE_NETWORKS; WebhookSender
 * checks again at send time).
 */
@Injectable()
export class DestinationChecks {
  /** Which webhook addresses are refused (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  private readonly webhookPolicy: AddressPolicy;

  constructor(
    private readonly transforms: TransformsRepository,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    env: EventManagerEnv,
  ) {
    this.webhookPolicy = addressPolicy(env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === true);
  }

  async check(workspaceId: string, destination: Destination, field: string): Promise<void> {
    const prefix = field ? `${field}.` : '';
    if (
      destination.transform &&
      !(await this.transforms.find(workspaceId, destination.transform))
    ) {
      throw DomainError.invalid(
        `${prefix}transform`,
        `no transform named '${destination.transform}'`,
      );
    }
    if (destination.kind === 'agent') {
      if (!(await this.kafka.topicExists(Topics.agentTasks(workspaceId, destination.agent)))) {
        throw DomainError.invalid(
          `${prefix}agent`,
          `agent '${destination.agent}' is not registered`,
        );
      }
    }
    if (destination.kind === 'webhook') {
      const refused = await urlRefusal(destination.url, this.webhookPolicy);
      if (refused) {
        throw DomainError.invalid(`${prefix}webhook_url`, `must not be internal: ${refused}`);
      }
    }
    if (destination.kind === 'topic') {
      await this.kafka.ensureTopics([
        { topic: destination.topic, partitions: USER_TOPIC_PARTITIONS },
      ]);
    }
  }
}

/** A webhook signing secret: 32 random bytes, recognisable by its prefix. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
