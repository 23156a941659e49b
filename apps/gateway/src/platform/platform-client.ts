import { Topics } from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { Readiness, ServiceRequests } from '@baton/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { GatewayEnv } from '../gateway.env';

/**
 * What a command carries of whoever sent it: the fields of auth/'s `Caller` it
 * uses, named here so that platform/ does not depend on auth/.
 */
export interface RequestingCaller {
  principal: string;
  workspaceId: string;
  correlationId: string;
  credential?: { kind: string; id: string };
}

/**
 * The gateway's only way to reach the services: commands and queries over
 * Kafka request/reply, always carrying the caller's workspace and correlation id.
 */
@Injectable()
export class PlatformClient extends ServiceRequests {
  private readonly timeoutMs: number;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) readiness: Readiness,
    env: GatewayEnv,
  ) {
    super(kafka, readiness, 'replies', Topics.gatewayReplies, 'baton-gateway-replies-');
    this.timeoutMs = env.REQUEST_TIMEOUT_MS;
  }

  /**
   * `caller` is the request's Caller; `timeoutMs` overrides REQUEST_TIMEOUT_MS
   * for requests that wait on purpose (a synchronous invoke).
   */
  send<T>(
    topic: string,
    type: string,
    data: unknown,
    caller: RequestingCaller,
    key?: string,
    timeoutMs?: number,
  ): Promise<T> {
    return this.client.request<T>(topic, type, data, {
      workspaceId: caller.workspaceId,
      correlationId: caller.correlationId,
      source: 'gateway',
      principal: caller.principal,
      credential: caller.credential && `${caller.credential.kind}:${caller.credential.id}`,
      timeoutMs: timeoutMs ?? this.timeoutMs,
      key,
    });
  }

  /** Verifying a key happens before there is a caller: it runs in the system workspace. */
  sendAsSystem<T>(topic: string, type: string, data: unknown, correlationId: string): Promise<T> {
    return this.client.request<T>(topic, type, data, {
      workspaceId: 'system',
      correlationId,
      source: 'gateway',
      timeoutMs: this.timeoutMs,
    });
  }
}
