import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { afterFailure, type RetrySettings } from '../routing/delivery-lanes';
import { channelOwner, SigningSecrets } from '../routing/signing-secrets';
import { ChannelSenders, type SendResult } from './channel-senders';
import { ChannelsRepository, type ChannelRow } from './channels.repository';
import { NotificationsRepository, type ClaimedNotification } from './notifications.repository';

/**
 * A failing channel keeps its notifications pending for hours (visible in the
 * channel's `pending` and `last_error`) before they are dead; dead ones stay listed.
 */
export const NOTIFICATION_RETRY: RetrySettings = {
  maxAttempts: 20,
  initialDelayMs: 1_000,
  maxDelayMs: 900_000,
};
const CLAIM = { max: 100, leaseMs: 60_000 };
const IN_FLIGHT = 8;

const outcomes = new Counter({
  name: 'baton_notifications_total',
  help: 'Notification send attempts by channel kind and outcome (sent, retry, dead)',
  labelNames: ['kind', 'outcome'],
});

/** One round: lease due notifications, send each through its channel, record the outcome. */
@Injectable()
export class SendNotificationsUseCase {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly channels: ChannelsRepository,
    private readonly senders: ChannelSenders,
    private readonly secrets: SigningSecrets,
  ) {}

  /** Returns how many were claimed. */
  async execute(): Promise<number> {
    const claimed = await this.notifications.claim(CLAIM.max, CLAIM.leaseMs);
    if (claimed.length === 0) return 0;
    const queue = [...claimed];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await this.deliver(next);
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, claimed.length) }, worker));
    return claimed.length;
  }

  private async deliver(notification: ClaimedNotification): Promise<void> {
    const [channel] = await this.channels.byNames(notification.workspace_id, [
      notification.channel,
    ]);
    const result: SendResult = channel
      ? await this.senders.send(this.resolve(channel), notification)
      : { ok: false, error: `channel '${notification.channel}' no longer exists`, permanent: true };
    const kind = channel?.kind ?? 'unknown';
    if (result.ok) {
      outcomes.inc({ kind, outcome: 'sent' });
      await this.notifications.sent(notification.id);
      return;
    }
    const next = afterFailure(
      NOTIFICATION_RETRY,
      notification.attempts + 1,
      result.permanent === true,
    );
    outcomes.inc({ kind, outcome: next.dead ? 'dead' : 'retry' });
    await this.notifications.failed(
      notification.id,
      result.error,
      next.dead ? 0 : next.delayMs,
      next.dead,
    );
  }

  private resolve(channel: ChannelRow) {
    const secrets = channel.secrets
      ? (JSON.parse(
          this.secrets.open(channel.secrets, channelOwner(channel.workspace_id, channel.name)),
        ) as Record<string, unknown>)
      : {};
    return { kind: channel.kind, target: channel.target, secrets };
  }
}
