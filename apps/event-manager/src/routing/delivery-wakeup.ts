import { Wakeup } from '@baton/database';
import { Injectable } from '@nestjs/common';

/**
 * Lets the store (and replays) tell the dispatcher, in this process, that new
 * deliveries were committed, so they go out without waiting for the next poll.
 */
@Injectable()
export class DeliveryWakeup extends Wakeup {}
