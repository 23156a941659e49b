import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

const SCHEMA_PREFIX = '#/components/schemas/';

/** The request DTOs' class-validator rules, as JSON Schemas, so the spec and the checks agree. */
export function dtoSchemaRef(dto: { name: string }): { $ref: string } {
  return { $ref: `${SCHEMA_PREFIX}${dto.name}` };
}

export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Baton API')
    .setDescription(
      'Orchestrate AI agents and enterprise integrations. Every error is application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: SCHEMA_PREFIX });
  document.components = {
    ...document.components,
    schemas: { ...(document.components?.schemas ?? {}), ...(schemas as Record<string, object>) },
  };
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}
