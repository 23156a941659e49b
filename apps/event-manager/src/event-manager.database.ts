import type { DatabaseOptions } from '@baton/database';
import { StoredEventEntity } from './events/stored-event.entity';
import { EventStore1732435200005 } from './migrations/1732435200005-event-store';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'event_manager',
  entities: [StoredEventEntity],
  migrations: [EventStore1732435200005],
};
