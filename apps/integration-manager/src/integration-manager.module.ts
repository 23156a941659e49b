import { Topics } from '@baton/contracts';
import { DatabaseModule } from '@baton/database';
import { DATABASE } from './integration-manager.database';
import { CommandsModule, ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ActionsModule } from './actions/actions.module';
import { IntegrationCommandsModule } from './commands/integration-commands.module';
import { CryptoModule } from '@baton/service-kit';
import type { IntegrationEnv } from './integration-manager.env';

@Module({})
export class IntegrationManagerModule {
  static forEnv(env: IntegrationEnv, logger: Logger, encryptionKey: Buffer): DynamicModule {
    return {
      module: IntegrationManagerModule,
      imports: [
        ServiceKitModule.forService('integration-manager', env, logger),
        CommandsModule.forTopic(Topics.integrationCommands),
        DatabaseModule.forService(DATABASE),
        CryptoModule.forKey(encryptionKey),
        IntegrationCommandsModule,
        ActionsModule,
      ],
    };
  }
}
