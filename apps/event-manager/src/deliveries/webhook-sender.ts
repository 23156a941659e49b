import { OutboundHttp, OutboundRefusedError, type OutboundResponse } from '@baton/service-kit';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { webhookRequest, type DeliveryFacts } from '../routing/delivery-payload';

export const WEBHOOK_TIMEOUT_MS = 10_000;

/** A failure is `permanent` when retrying cannot help (the URL is refused): dead-letter it now. */
export type WebhookResult = { ok: true } | { ok: false; error: string; permanent?: boolean };

/**
 * POSTs one delivery, signed; any answer but 2xx (or no answer in time) is a
 * failed attempt. Redirects are not followed: a redirected POST could carry
 * the event somewhere nobody configured. Internal addresses are refused
 * unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is set (OutboundHttp).
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly http: OutboundHttp;

  constructor(env: EventManagerEnv) {
    this.http = new OutboundHttp({
      allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === true,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.http.close();
  }

  async send(url: string, facts: DeliveryFacts, secret: string | null): Promise<WebhookResult> {
    const request = webhookRequest(facts, secret, Math.floor(Date.now() / 1000));
    let response: OutboundResponse;
    try {
      response = await this.http.fetch(url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof OutboundRefusedError) {
        return { ok: false, error: `webhook ${error.message}`, permanent: true };
      }
      return { ok: false, error: describeRequestError(error) };
    }
    // The answer is not needed; drain it so the connection can be reused.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    const hint =
      response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return { ok: false, error: `webhook answered HTTP ${response.status}${hint}` };
  }
}

/** Names the cause, never the URL (which may carry a token in its path). */
function describeRequestError(error: unknown): string {
  const err = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `webhook did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  }
  return `webhook request failed: ${err.cause?.code ?? err.cause?.message ?? err.message ?? String(error)}`;
}
