import type { NestExpressApplication } from '@nestjs/platform-express';
import { setupOpenApi } from './openapi/openapi';

export const YAML_CONTENT_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
];

/** Body parsers and API docs: the HTTP-only concerns of the gateway. */
export function configureHttp(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: '1mb' });
  // Workflows may be sent as YAML text, exactly as users write them.
  app.useBodyParser('text', { type: YAML_CONTENT_TYPES, limit: '1mb' });
  app.enableCors({ exposedHeaders: ['Location', 'X-Correlation-Id'] });
  setupOpenApi(app);
}
