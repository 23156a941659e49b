import { runWithContext } from '@baton/telemetry';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives each request a correlation id (the caller's X-Correlation-Id when it
 * is sane) that follows it through Kafka, the logs and the response.
 */
export function requestContextMiddleware(
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const given = request.header('x-correlation-id');
  const correlationId = given && CORRELATION_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Correlation-Id', correlationId);
  runWithContext({ correlationId }, next);
}
