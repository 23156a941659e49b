import {
  MessageTypes,
  PlatformPingCommand,
  Topics,
  type PlatformPingReply,
} from '@baton/contracts';
import { BatonKafka, CommandServer } from '@baton/kafka';
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
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import type { Logger } from 'pino';
import { CommandHandlers } from './command-handlers';
import { Readiness } from './readiness';
import { SERVICE_NAME } from './service-kit.module';

const COMMANDS_TOPIC = Symbol.for('baton.commands-topic');
const COMMANDS_OPTIONS = Symbol.for('baton.commands-options');

export interface CommandsOptions {
  /** See CommandServerOptions.concurrency: 1 unless the service's handlers were checked. */
  concurrency?: number;
}

/**
 * The one consumer of a service's command topic (request/reply from the
 * gateway). Features' handler sets (`CommandHandlers` providers) are found
 * and registered when the application starts, and only then does the server
 * join: a command of a type nobody handles yet would be answered with an
 * error, and the service is not ready until it joined.
 */
@Injectable()
export class ServiceCommandServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly server: CommandServer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) readiness: Readiness,
    @Inject(SERVICE_NAME) service: string,
    @Inject(COMMANDS_TOPIC) topic: string,
    @Inject(COMMANDS_OPTIONS) options: CommandsOptions,
    private readonly discovery: DiscoveryService,
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

  async onApplicationBootstrap(): Promise<void> {
    this.registerHandlerSets();
    await this.server.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }

  /** Every CommandHandlers provider of the application, once (a class provided twice is one set). */
  private registerHandlerSets(): void {
    const registered = new Set<unknown>();
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof CommandHandlers) || registered.has(instance.constructor)) continue;
      registered.add(instance.constructor);
      instance.register(this.server);
    }
  }
}

/** Provides a service's ServiceCommandServer for the topic its commands arrive on. */
@Global()
@Module({})
export class CommandsModule {
  static forTopic(topic: string, options: CommandsOptions = {}): DynamicModule {
    return {
      module: CommandsModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: COMMANDS_TOPIC, useValue: topic },
        { provide: COMMANDS_OPTIONS, useValue: options },
        ServiceCommandServer,
      ],
      exports: [ServiceCommandServer],
    };
  }
}
