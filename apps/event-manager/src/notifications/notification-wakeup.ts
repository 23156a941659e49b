import { Injectable } from '@nestjs/common';

/** Lets the evaluator and the error-handler reactions wake the sender after they queued notifications. */
@Injectable()
export class NotificationWakeup {
  private listener?: () => void;

  listen(listener: () => void): void {
    this.listener = listener;
  }

  wake(): void {
    this.listener?.();
  }
}
