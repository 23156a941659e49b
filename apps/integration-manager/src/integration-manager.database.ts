import type { DatabaseOptions } from '@baton/database';
import { ConnectionEntity } from './connections/connection.entity';
import { DeliveryEntity } from './deliveries/delivery.entity';
import { IntegrationManager1732435200004 } from './migrations/1732435200004-integration-manager';
import { HookReplays1732435200047 } from './migrations/1732435200047-hook-replays';
import { ConnectionFigures1732435321000 } from './migrations/1732435321000-connection-figures';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'integration_manager',
  entities: [ConnectionEntity, DeliveryEntity],
  migrations: [
    IntegrationManager1732435200004,
    HookReplays1732435200047,
    ConnectionFigures1732435321000,
  ],
};
