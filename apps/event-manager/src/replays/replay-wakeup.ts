import { Wakeup } from '@baton/database';
import { Injectable } from '@nestjs/common';

/** Starts a new replay in this process at once instead of at the next poll. */
@Injectable()
export class ReplayWakeup extends Wakeup {}
