import { DatabaseModule } from '@baton/database';
import { ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ActionsModule } from './actions/actions.module';
import { IntegrationCommandsModule } from './commands/integration-commands.module';
import { ConnectionEntity } from './connections/connection.entity';
import { CryptoModule } from './crypto/crypto.module';
import { DeliveryEntity } from './deliveries/delivery.entity';
import type { IntegrationEnv } from './integration-manager.env';
import { IntegrationManager1732435200004 } from './migrations/1732435200004-integration-manager';

@Module({})
export class IntegrationManagerModule {
  static forEnv(env: IntegrationEnv, logger: Logger, encryptionKey: Buffer): DynamicModule {
    return {
      module: IntegrationManagerModule,
      imports: [
        ServiceKitModule.forService('integration-manager', env, logger),
        DatabaseModule.forService({
          schema: 'integration_manager',
          entities: [ConnectionEntity, DeliveryEntity],
          migrations: [IntegrationManager1732435200004],
        }),
        CryptoModule.forKey(encryptionKey),
        IntegrationCommandsModule,
        ActionsModule,
      ],
    };
  }
}
