import {
  MessageTypes,
  PlatformPingCommand,
  Topics,
  type Envelope,
  type PlatformPingReply,
} from '@baton/contracts';
import { BatonKafka, CommandServer, type CommandItem, type CommandRegistry } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { Readiness } from './readiness';
import { SERVICE_NAME } from './service-kit.module';

const COMMANDS_TOPIC = Symbol.for('baton.commands-topic');
const COMMANDS_OPTIONS = Symbol.for('baton.commands-options');

export interface CommandsOptions {
  /** See CommandServerOptions.concurrency: 1 unless the service's handlers were checked. */
  concurrency?: number;
}

type Constructor<T> = new () => T;

/**
 * The one consumer of a service's command topic (request/reply from the
 * gateway). Features add their handlers while Nest builds them; the server
 * starts once all are in, since a command of a type nobody handles yet would
 * be answered with an error, and the service is not ready until it joined.
 */
@Injectable()
export class ServiceCommandServer
  implements CommandRegistry, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly server: CommandServer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) readiness: Readiness,
    @Inject(SERVICE_NAME) service: string,
    @Inject(COMMANDS_TOPIC) topic: string,
    @Inject(COMMANDS_OPTIONS) options: CommandsOptions,
  ) {
    this.server = new CommandServer(kafka, {
      service,
      groupId: `baton-${service}-commands`,
      topic,
      dlqTopic: Topics.dlq(service),
      concurrency: options.concurrency,
      log: (level, message, extra) => logger[level](extra, message),
    });
    readiness.registerConsumer('commands', this.server);
    // Every service answers the ping the same way, so no feature has to.
    this.server.handle(
      MessageTypes.platformPing,
      PlatformPingCommand,
      async (): Promise<PlatformPingReply> => ({ service }),
    );
  }

  handle<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): this {
    this.server.handle(type, dto, handler);
    return this;
  }

  handleMany<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (items: CommandItem<T>[]) => Promise<PromiseSettledResult<unknown>[]>,
  ): this {
    this.server.handleMany(type, dto, handler);
    return this;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.server.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }
}

/** Provides a service's ServiceCommandServer for the topic its commands arrive on. */
@Global()
@Module({})
export class CommandsModule {
  static forTopic(topic: string, options: CommandsOptions = {}): DynamicModule {
    return {
      module: CommandsModule,
      providers: [
        { provide: COMMANDS_TOPIC, useValue: topic },
        { provide: COMMANDS_OPTIONS, useValue: options },
        ServiceCommandServer,
      ],
      exports: [ServiceCommandServer],
    };
  }
}
