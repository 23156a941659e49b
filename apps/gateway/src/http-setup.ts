import { DomainError, ErrorCodes } from '@baton/contracts';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { setupOpenApi } from './openapi/openapi';

export const YAML_CONTENT_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
];
const BODY_LIMIT = '1mb';

/** Body parsers and API docs: the HTTP-only concerns of the gateway. */
export function configureHttp(app: NestExpressApplication): void {
  app.use(namingParseErrors(express.json({ limit: BODY_LIMIT })));
  // Workflows may be sent as YAML text, exactly as users write them.
  app.use(express.text({ type: YAML_CONTENT_TYPES, limit: BODY_LIMIT }));
  app.enableCors({ exposedHeaders: ['Location', 'X-Correlation-Id'] });
  setupOpenApi(app);
}

/**
 * Nest turns body-parser's SyntaxError into a bare BadRequestException whose
 * message does not say that the body was the problem; this says it.
 */
function namingParseErrors(parser: RequestHandler): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) =>
    parser(request, response, (error?: unknown) => {
      const parseError = error as { type?: string; message?: string } | undefined;
      if (parseError?.type === 'entity.parse.failed') {
        const detail = `malformed JSON body: ${parseError.message}`;
        next(new DomainError(ErrorCodes.badRequest, detail, [{ field: 'body', message: detail }]));
        return;
      }
      next(error);
    });
}
