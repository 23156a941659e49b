import { DomainError, ErrorCodes } from '@baton/contracts';
import { checkJsonText, JsonLimitError, type JsonLimits } from '@baton/tenant-code';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { consoleDirectory, serveConsole } from './console/console-static';
import type { GatewayEnv } from './gateway.env';
import { setupOpenApi } from './openapi/openapi';

export const YAML_CONTENT_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
];

/** A signed SAML response with a few certificates and attributes fits well within this. */
export const SAML_FORM_MAX_BYTES = 512 * 1024;

/** An inbound hook's raw body (integration-manager's hook connections allow at most this). */
export const HOOK_MAX_BODY_BYTES = 512 * 1024;

export function bodyLimitsOf(env: GatewayEnv): JsonLimits {
  return {
    maxBytes: env.HTTP_BODY_MAX_BYTES,
    maxDepth: env.HTTP_JSON_MAX_DEPTH,
    maxKeys: env.HTTP_JSON_MAX_KEYS,
  };
}

/** Body parsers, API docs and the web console: the HTTP-only concerns of the gateway. */
export function configureHttp(app: NestExpressApplication, env: GatewayEnv): void {
  const limits = bodyLimitsOf(env);
  // Inbound hooks are verified over the exact bytes sent: keep them raw (whatever the
  // content type) and bounded, before any other parser reads them.
  app.use(
    '/v1/hooks',
    namingParseErrors(
      { ...limits, maxBytes: HOOK_MAX_BODY_BYTES },
      express.raw({ type: () => true, limit: HOOK_MAX_BODY_BYTES }),
    ),
  );
  app.use(
    namingParseErrors(
      limits,
      express.json({
        limit: limits.maxBytes,
        // Before JSON.parse and long before class-transformer/class-validator recurse into it.
        verify: (_request, _response, raw) =>
          checkJsonText(raw.toString('utf8'), limits, 'body', raw.length),
      }),
    ),
  );
  // Workflows may be sent as YAML text, exactly as users write them; the DSL bounds their shape.
  app.use(
    namingParseErrors(limits, express.text({ type: YAML_CONTENT_TYPES, limit: limits.maxBytes })),
  );
  // SAML's HTTP-POST binding: the IdP's response arrives as a browser form post.
  app.use(
    '/saml',
    namingParseErrors(
      limits,
      express.urlencoded({ extended: false, limit: SAML_FORM_MAX_BYTES, parameterLimit: 10 }),
    ),
  );
  // The OAuth token endpoint takes a form (RFC 6749 §4.4.2), and SAML's ACS above are the only forms.
  const formLimit = 8_192;
  app.use(
    '/oauth/token',
    namingParseErrors(
      { ...limits, maxBytes: formLimit },
      express.urlencoded({ extended: false, limit: formLimit, parameterLimit: 20 }),
    ),
  );
  app.enableCors({ exposedHeaders: ['Location', 'X-Correlation-Id'] });
  setupOpenApi(app);
  serveConsole(app, consoleDirectory(env.CONSOLE_DIR));
}

/**
 * Nest turns body-parser's SyntaxError into a bare BadRequestException whose
 * message does not say that the body was the problem; this says it, and
 * names the limit a body broke (413 for size, 422 for depth or keys).
 */
function namingParseErrors(limits: JsonLimits, parser: RequestHandler): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) =>
    parser(request, response, (error?: unknown) => {
      const parseError = error as { type?: string; message?: string } | undefined;
      if (parseError?.type === 'entity.too.large') {
        next(bodyLimitProblem(new JsonLimitError('body', 'size', limits.maxBytes)));
        return;
      }
      if (error instanceof JsonLimitError) {
        next(bodyLimitProblem(error));
        return;
      }
      if (parseError?.type === 'entity.parse.failed') {
        const detail = `malformed JSON body: ${parseError.message}`;
        next(new DomainError(ErrorCodes.badRequest, detail, [{ field: 'body', message: detail }]));
        return;
      }
      next(error);
    });
}

function bodyLimitProblem(error: JsonLimitError): DomainError {
  const code = error.limit === 'size' ? ErrorCodes.tooLarge : ErrorCodes.validation;
  return new DomainError(code, error.message, [{ field: error.field, message: error.reason }]);
}
