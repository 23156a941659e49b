import { DatabaseModule, type DatabaseOptions } from '@baton/database';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CryptoModule } from './crypto/crypto.module';
import type { Keyring } from './crypto/keyring';
import type { DatabaseEnv } from './env';
import { CommandsModule, type CommandsOptions } from './service-command-server';
import { ServiceKitModule } from './service-kit.module';

/** What a service that owns a schema and answers a command topic is built on. */
export interface ServiceFoundation {
  service: string;
  env: DatabaseEnv;
  logger: Logger;
  /** The topic of the commands it answers (Topics.xxxCommands), and how many it runs at once. */
  commands: string;
  commandOptions?: CommandsOptions;
  /** Its schema: entities and migrations. */
  database: DatabaseOptions;
  /** The keys it seals and opens secrets with; none for a service that keeps no secret. */
  keyring?: Keyring;
}

/**
 * The modules every such service imports first, in the same order everywhere:
 * the kit (config, logger, Kafka, health), its command topic, its database
 * and, when it seals secrets, its keyring. The service module adds its features.
 */
export function foundationModules(foundation: ServiceFoundation): DynamicModule[] {
  const { service, env, logger, keyring } = foundation;
  return [
    ServiceKitModule.forService(service, env, logger),
    CommandsModule.forTopic(foundation.commands, foundation.commandOptions),
    DatabaseModule.forService(foundation.database, env),
    ...(keyring ? [CryptoModule.forKeyring(keyring)] : []),
  ];
}
