import { DatabaseModule, type DatabaseOptions } from '@baton/database';
import type { DynamicModule } from '@nestjs/common';
import type { ServiceContext } from './bootstrap';
import { CryptoModule } from './crypto/crypto.module';
import type { DatabaseEnv } from './env';
import { CommandsModule } from './service-command-server';
import { ServiceKitModule } from './service-kit.module';

/** How a service's foundation differs from the default. */
export interface FoundationOptions {
  /** How many commands it runs at once (CommandsModule's default otherwise). */
  commandConcurrency?: number;
  /** It seals and opens secrets: its keyring is loaded (CryptoModule). */
  sealsSecrets?: boolean;
}

/**
 * The modules every service that owns a schema and answers a command topic
 * imports first, in the same order everywhere: the kit (config, logger,
 * Kafka, health), its command topic (Topics.xxxCommands), its database
 * (entities and migrations) and, when it seals secrets, its keyring. The
 * service module adds its features after them.
 */
export function foundationModules(
  context: ServiceContext<DatabaseEnv>,
  commandTopic: string,
  database: DatabaseOptions,
  options: FoundationOptions = {},
): DynamicModule[] {
  const { service, env, logger } = context;
  return [
    ServiceKitModule.forService(service, env, logger),
    CommandsModule.forTopic(commandTopic, { concurrency: options.commandConcurrency }),
    DatabaseModule.forService(database, env),
    ...(options.sealsSecrets ? [CryptoModule.forKeyring(context.keyring())] : []),
  ];
}
