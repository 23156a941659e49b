import { RateLimitedError } from '@baton/contracts';
import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { Counter, register } from 'prom-client';
import type { Caller, CallerRequest } from '../auth/caller';
import { NO_RATE_LIMIT } from './no-rate-limit.decorator';
import { UsageBroadcast } from './usage-broadcast';
import { WorkspaceLimitsCache } from './workspace-limits.cache';

// Labels name the limit only: never a workspace, key or principal.
const refused =
  (register.getSingleMetric('baton_gateway_rate_limited_total') as Counter<'limit'> | undefined) ??
  new Counter({
    name: 'baton_gateway_rate_limited_total',
    help: 'Requests refused with 429, by the limit reached (requests_per_key, requests_per_workspace, sse_streams)',
    labelNames: ['limit'],
  });

/** The id requests are counted under: the credential, else the principal. */
export function rateKeyOf(caller: Caller): string {
  return caller.credential
    ? `${caller.credential.kind}:${caller.credential.id}`
    : `principal:${caller.principal}`;
}

export function countRefusal(limit: string): void {
  refused.inc({ limit });
}

/**
 * Counts every authenticated request against its credential's and its
 * workspace's limits (after the auth guard, before the handler) and answers
 * 429 with Retry-After when one is reached. Every answer carries
 * RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset. No call leaves
 * the process unless the workspace's limits are not known yet.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly usage: UsageBroadcast,
    private readonly limits: WorkspaceLimitsCache,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const caller = request.caller;
    if (!caller || this.reflector.get<boolean>(NO_RATE_LIMIT, context.getHandler())) {
      return next.handle();
    }
    const limits = await this.limits.get(caller.workspaceId, caller.correlationId);
    const decision = this.usage.ledger.tryRequest(
      caller.workspaceId,
      rateKeyOf(caller),
      limits,
      Date.now(),
    );
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('RateLimit-Limit', String(decision.ceiling));
    response.setHeader('RateLimit-Remaining', String(decision.remaining));
    response.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) {
      const limit = decision.limit!;
      countRefusal(limit);
      const whose = limit === 'requests_per_key' ? 'this credential' : 'this workspace';
      throw new RateLimitedError(
        `${whose} has made its ${decision.ceiling} requests of this ${limits.window_seconds} s window; retry after ${decision.resetSeconds} s`,
        decision.resetSeconds,
        limit,
      );
    }
    return next.handle();
  }
}
