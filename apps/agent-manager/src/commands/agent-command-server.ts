import { Topics, type Envelope } from '@baton/contracts';
import { BatonKafka, CommandServer } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';

type Constructor<T> = new () => T;

/**
 * The one consumer of baton.agent.commands. Feature modules add their
 * handlers while they are built; the server starts once all are in, since a
 * command of a type nobody handles yet would be answered with an error.
 */
@Injectable()
export class AgentCommandServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly server: CommandServer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    this.server = new CommandServer(kafka, {
      service: 'agent-manager',
      groupId: 'baton-agent-manager-commands',
      topic: Topics.agentCommands,
      dlqTopic: Topics.dlq('agent-manager'),
      log: (level, message, extra) => logger[level](extra, message),
    });
    this.readiness.register('agent-commands', () => this.server.isJoined);
  }

  handle<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): this {
    this.server.handle(type, dto, handler);
    return this;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.server.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }
}
