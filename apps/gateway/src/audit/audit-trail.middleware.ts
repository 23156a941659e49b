import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { REFUSAL_RECORDED } from '../auth/failed-auth-limiter';
import type { CallerRequest } from '../auth/caller';
import { FailedAuthLimiter } from '../auth/failed-auth-limiter';

/**
 * The gateway audits only what no service sees: requests refused with 401 or
 * 403. The auth guard records its own refusals; this catches the rest (a
 * service answering 401/403). They are aggregated per client address and
 * window, not one record per request (FailedAuthLimiter). Every change is
 * audited by the service that makes it, in the transaction that makes it.
 */
@Injectable()
export class AuditTrailMiddleware implements NestMiddleware {
  constructor(private readonly failedAuth: FailedAuthLimiter) {}

  use(request: CallerRequest, response: Response, next: NextFunction): void {
    response.on('finish', () => {
      const status = response.statusCode;
      if (status !== 401 && status !== 403) return;
      if ((request as unknown as Record<symbol, boolean>)[REFUSAL_RECORDED]) return;
      this.failedAuth.record({
        ip: request.ip ?? 'unknown',
        reason: 'refused_by_service',
        status,
        workspaceId: request.caller?.workspaceId,
        principal: request.caller?.principal,
        path: request.path,
      });
    });
    next();
  }
}
