import { ListAuditPageQuery, MessageTypes, Topics, VerifyApiKeyQuery } from '@baton/contracts';
import { BatonKafka, CommandServer } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';

/** The Kafka transport of security-manager: key verification and audit queries from the gateway. */
@Injectable()
export class SecurityCommandsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly server: CommandServer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    verifyApiKey: VerifyApiKeyUseCase,
    listAudit: ListAuditUseCase,
  ) {
    this.server = new CommandServer(kafka, {
      service: 'security-manager',
      groupId: 'baton-security-manager-commands',
      topic: Topics.securityCommands,
      dlqTopic: Topics.dlq('security-manager'),
      log: (level, message, extra) => logger[level](extra, message),
    })
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
      );
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('security-commands', () => this.server.isJoined);
    await this.server.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }
}
