import { AuditEntryMessage, createEnvelope, MessageTypes, Topics } from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { currentContext, LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { Logger } from 'pino';
import type { CallerRequest } from '../auth/caller';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every change and every refused request leaves an audit entry on baton.audit,
 * stored by security-manager. The gateway has no database, so it publishes
 * directly; a publish failure is logged, never turned into a failed request.
 */
@Injectable()
export class AuditTrailMiddleware implements NestMiddleware {
  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  use(request: CallerRequest, response: Response, next: NextFunction): void {
    const context = currentContext();
    response.on('finish', () => {
      const status = response.statusCode;
      const refused = status === 401 || status === 403;
      if (!CHANGES.has(request.method) && !refused) return;
      const caller = request.caller;
      const entry: AuditEntryMessage = {
        actor: caller?.principal ?? 'anonymous',
        action: `${request.method} ${request.route?.path ?? request.path}`,
        resource: request.originalUrl.split('?')[0].slice(0, 500),
        outcome: refused ? 'denied' : status < 400 ? 'success' : 'failure',
        details: { status, ip: request.ip },
      };
      const envelope = createEnvelope({
        type: MessageTypes.auditEntry,
        source: 'gateway',
        workspaceId: caller?.workspaceId ?? 'system',
        correlationId: context.correlationId,
        subject: entry.resource,
        data: entry,
      });
      this.kafka
        .publish([{ topic: Topics.audit, key: envelope.workspaceid, envelope }])
        .catch((error: Error) => this.logger.warn({ err: error }, 'audit entry not published'));
    });
    next();
  }
}
