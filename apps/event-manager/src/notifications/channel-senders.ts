import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  addressPolicy,
  OutboundHttp,
  OutboundRefusedError,
  type AddressPolicy,
} from '@baton/service-kit';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { createTransport } from 'nodemailer';
import { signWebhook, SIGNATURE_HEADER } from '../routing/delivery-payload';
import type {
  EmailSecrets,
  EmailTarget,
  PagerDutySecrets,
  PagerDutyTarget,
  SlackSecrets,
  WebhookSecrets,
  WebhookTarget,
} from './channel-config';
import {
  emailMessage,
  pagerDutyEvent,
  slackMessage,
  webhookMessage,
} from './notification-messages';
import type { ClaimedNotification } from './notifications.repository';

const SEND_TIMEOUT_MS = 10_000;

/** `permanent`: retrying cannot help (the target is refused); the notification is dead at once. */
export type SendResult = { ok: true } | { ok: false; error: string; permanent?: boolean };

export interface ResolvedChannel {
  kind: string;
  target: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

/**
 * Sends one notification through a channel: SMTP (nodemailer) for email,
 * HTTPS POSTs for Slack, signed webhooks and PagerDuty. Every target passes
 * the outbound address guard when it is sent to (not only when it was
 * configured): a name may resolve elsewhere later.
 */
@Injectable()
export class ChannelSenders implements OnModuleDestroy {
  private readonly http: OutboundHttp;
  private readonly policy: AddressPolicy;

  constructor(env: EventManagerEnv) {
    const allowPrivate = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === true;
    this.http = new OutboundHttp({ allowPrivateNetworks: allowPrivate });
    this.policy = addressPolicy(allowPrivate);
  }

  async onModuleDestroy(): Promise<void> {
    await this.http.close();
  }

  async send(channel: ResolvedChannel, notification: ClaimedNotification): Promise<SendResult> {
    const payload = notification.payload;
    switch (channel.kind) {
      case 'email':
        return this.email(
          channel.target as unknown as EmailTarget,
          channel.secrets as EmailSecrets,
          emailMessage(payload),
        );
      case 'slack':
        return this.post(
          (channel.secrets as unknown as SlackSecrets).webhook_url,
          slackMessage(payload),
        );
      case 'webhook':
        return this.post(
          (channel.target as unknown as WebhookTarget).url,
          webhookMessage(payload, notification.id),
          (channel.secrets as unknown as WebhookSecrets).signing_secret,
          notification.id,
        );
      case 'pagerduty':
        return this.post(
          (channel.target as unknown as PagerDutyTarget).url,
          pagerDutyEvent(payload, (channel.secrets as unknown as PagerDutySecrets).routing_key),
        );
      default:
        return { ok: false, error: `unknown channel kind '${channel.kind}'`, permanent: true };
    }
  }

  private async post(
    url: string,
    message: unknown,
    secret?: string,
    notificationId?: string,
  ): Promise<SendResult> {
    const body = JSON.stringify(message);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret)
      headers[SIGNATURE_HEADER] = signWebhook(secret, Math.floor(Date.now() / 1000), body);
    if (notificationId) headers['baton-notification-id'] = notificationId;
    try {
      const response = await this.http.fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return { ok: false, error: `the channel answered HTTP ${response.status}` };
    } catch (error) {
      if (error instanceof OutboundRefusedError)
        return { ok: false, error: `refused: ${error.message}`, permanent: true };
      return { ok: false, error: describe(error) };
    }
  }

  private async email(
    target: EmailTarget,
    secrets: EmailSecrets,
    message: { subject: string; text: string },
  ): Promise<SendResult> {
    // Resolved and checked once, then connected to by address (the name is kept for TLS):
    // a second resolution by the SMTP client could land elsewhere (DNS rebinding).
    let address: string;
    try {
      const found = isIP(target.host)
        ? [{ address: target.host }]
        : await lookup(target.host, { all: true, verbatim: true });
      const internal = found.find((a) => this.policy.refuses(a.address));
      if (internal)
        return {
          ok: false,
          error: `refused: ${target.host} is ${this.policy.what}`,
          permanent: true,
        };
      address = found[0].address;
    } catch (error) {
      return { ok: false, error: `the SMTP host does not resolve: ${describe(error)}` };
    }
    const transport = createTransport({
      host: address,
      port: target.port,
      secure: target.secure,
      requireTLS: target.require_tls,
      ignoreTLS: !target.require_tls && !target.secure,
      auth:
        target.username !== undefined
          ? { user: target.username, pass: secrets.password ?? '' }
          : undefined,
      connectionTimeout: SEND_TIMEOUT_MS,
      greetingTimeout: SEND_TIMEOUT_MS,
      socketTimeout: SEND_TIMEOUT_MS,
      tls: { rejectUnauthorized: true, servername: target.host },
    });
    try {
      await transport.sendMail({
        from: target.from,
        to: target.to,
        subject: message.subject,
        text: message.text,
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, error: `SMTP: ${describe(error)}` };
    } finally {
      transport.close();
    }
  }
}

/** The cause, never the URL (a Slack URL's path is its credential). */
function describe(error: unknown): string {
  const err = error as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string };
  };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  return String(err.cause?.code ?? err.code ?? err.message ?? error).slice(0, 300);
}
