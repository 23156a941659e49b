import type { DatabaseOptions } from '@baton/database';
import { StoredEventEntity } from './event-store/stored-event.entity';
import { EventStore1732435200005 } from './migrations/1732435200005-event-store';
import { EventRouting1732435204000 } from './migrations/1732435204000-event-routing';
import { Alerts1732435206000 } from './migrations/1732435206000-alerts';
import { EventStreamPositions1732435224000 } from './migrations/1732435224000-event-stream-positions';
import { LogRecords1732435290000 } from './migrations/1732435290000-log-records';
import { SelfWatch1732435321000 } from './migrations/1732435321000-self-watch';
import { ReplayEntity } from './replays/replay.entity';
import { RetentionPolicyEntity } from './retention/retention-policy.entity';
import { RouteEntity } from './routing/route.entity';
import { SubscriptionEntity } from './routing/subscription.entity';
import { TransformEntity } from './routing/transform.entity';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'event_manager',
  entities: [
    StoredEventEntity,
    SubscriptionEntity,
    RouteEntity,
    TransformEntity,
    ReplayEntity,
    RetentionPolicyEntity,
  ],
  migrations: [
    EventStore1732435200005,
    EventRouting1732435204000,
    Alerts1732435206000,
    EventStreamPositions1732435224000,
    LogRecords1732435290000,
    SelfWatch1732435321000,
  ],
};
