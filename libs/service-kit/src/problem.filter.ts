import {
  categoryOf,
  DomainError,
  ErrorCodes,
  RateLimitedError,
  titleOf,
  type ErrorPayload,
} from '@baton/contracts';
import {
  Catch,
  HttpException,
  Inject,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { LOGGER } from '@baton/telemetry';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
}

/**
 * Every error leaves as RFC 9457 problem+json. Domain errors keep their stable
 * code and field list; a 500 carries an error id that is also in the log, and
 * never the internal message.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, payload } = this.toProblem(exception);
    const category = payload.category ?? categoryOf(payload.code);
    // A failing readiness probe is an answer, not an error: HealthController logs
    // its reasons when they change, where every probe would log a stack here.
    const notReady = status === 503 && request.path.startsWith('/health');
    if (status >= 500 && !notReady) {
      const errorId = randomUUID();
      payload.detail = `${payload.detail} (error id ${errorId})`;
      // Another party's state (an agent that failed, a service that is down or slow)
      // is a warning here: where it went wrong logs the error, and a fuzz run or an
      // alert on error lines should only see Baton's own failures.
      const level = category.startsWith('UPSTREAM.') ? 'warn' : 'error';
      this.logger[level](
        { error_id: errorId, err: exception, method: request.method, path: request.path },
        'request failed',
      );
    }
    if (exception instanceof RateLimitedError) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response
      .status(status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: `https://baton.dev/problems/${payload.code.toLowerCase().replace(/[._]/g, '-')}`,
          title: payload.title,
          status,
          detail: payload.detail,
          instance: request.originalUrl,
          code: payload.code,
          category,
          ...(payload.errors ? { errors: payload.errors } : {}),
          ...(payload.warnings ? { warnings: payload.warnings } : {}),
        }),
      );
  }

  private toProblem(exception: unknown): { status: number; payload: ErrorPayload } {
    if (exception instanceof DomainError) {
      return { status: exception.status, payload: exception.toPayload() };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 404
          ? ErrorCodes.notFound
          : status === 401
            ? ErrorCodes.unauthorized
            : status === 403
              ? ErrorCodes.forbidden
              : status >= 500
                ? ErrorCodes.internal
                : ErrorCodes.badRequest;
      return { status, payload: { code, title: titleOf(code), detail: exception.message } };
    }
    const httpError = exception as HttpError;
    const status = httpError?.status ?? httpError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser: too large, wrong charset…
      const detail = httpError.message ?? 'bad request';
      return {
        status,
        payload: {
          code: ErrorCodes.badRequest,
          title: titleOf(ErrorCodes.badRequest),
          detail,
          errors: [{ field: 'body', message: detail }],
        },
      };
    }
    return {
      status: 500,
      payload: {
        code: ErrorCodes.internal,
        title: titleOf(ErrorCodes.internal),
        detail: 'internal error',
      },
    };
  }
}
