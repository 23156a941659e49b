import { CredentialsRevokedMessage, MessageTypes, Topics, validateInto } from '@baton/contracts';
import { BatonKafka, BroadcastConsumer } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ApiKeyAuthenticator } from './api-key.authenticator';

/**
 * Makes a revoked key fail on this gateway as soon as security-manager has
 * committed the revocation. security-manager writes a message to
 * baton.security.revocations in the same transaction (outbox); every gateway
 * replica reads that topic in a consumer group of its own, so each one gets
 * every revocation and drops the cached principals it names. While this
 * consumer is away (broker down, rejoin) the cache is emptied on its return
 * and AUTH_CACHE_TTL_MS stays the upper bound of how long a revoked key works.
 */
@Injectable()
export class RevocationListener implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: BroadcastConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {
    this.consumer = new BroadcastConsumer(kafka, {
      topic: Topics.securityRevocations,
      groupPrefix: 'baton-gateway-revocations',
      handle: (envelope) => {
        if (envelope.type !== MessageTypes.credentialsRevoked) return;
        const revoked = validateInto(CredentialsRevokedMessage, envelope.data, 'revocation');
        if (revoked.whole_workspace) this.apiKeys.forgetWorkspace(envelope.workspaceid);
        else if (revoked.kind === 'api-key') this.apiKeys.forgetKeys(revoked.credential_ids);
      },
      onGap: () => this.apiKeys.forgetAll(),
      log: (level, message, extra) => logger[level](extra, message),
    });
  }

  onModuleInit(): void {
    // Ready once it fetches: a revocation published after that reaches this gateway.
    this.readiness.register('revocations', () => this.consumer.isRunning);
    this.consumer.launch();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
