import { Wakeup } from '@baton/database';
import { Injectable } from '@nestjs/common';

/** Lets the evaluator and the error-handler reactions wake the sender after they queued notifications. */
@Injectable()
export class NotificationWakeup extends Wakeup {}
