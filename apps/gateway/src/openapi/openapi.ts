import { errorCodesMarkdown } from '@baton/contracts';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { keepReachableSchemas } from './reachable-schemas';
import { describeResponses } from './response-schemas';

const SCHEMA_PREFIX = '#/components/schemas/';

/** The request DTOs' class-validator rules, as JSON Schemas, so the spec and the checks agree. */
export function dtoSchemaRef(dto: { name: string }): { $ref: string } {
  return { $ref: `${SCHEMA_PREFIX}${dto.name}` };
}

/** The gateway's OpenAPI document: routes, request DTOs, and the answers clients type against. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Baton API')
    .setDescription(
      'Orchestrate AI agents and enterprise integrations. Every error is application/problem+json ' +
        '(RFC 9457) with a stable `code` and its `category`: a category alone (`REQUEST.INVALID`, ' +
        '`AUTH.FORBIDDEN`...) or one of these domain codes, whose category decides the status ' +
        '(ADR 0038):\n\n' +
        errorCodesMarkdown(),
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: SCHEMA_PREFIX,
    // Nested DTOs (`@ValidateNested() @Type(() => X)`) become refs to X, not to "Array".
    classTransformerMetadataStorage: defaultMetadataStorage,
  });
  dropObjectRefs(schemas);
  document.components = {
    ...document.components,
    schemas: { ...(document.components?.schemas ?? {}), ...(schemas as Record<string, object>) },
  };
  describeResponses(document);
  keepReachableSchemas(document);
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}

/**
 * A free-form object property (`@IsObject() fields?: Record<string, unknown>`)
 * comes out of class-validator-jsonschema as a ref to a schema named "Object",
 * which does not exist; it is just `{ type: 'object' }`.
 */
function dropObjectRefs(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (record.$ref === `${SCHEMA_PREFIX}Object`) {
    delete record.$ref;
    record.type ??= 'object';
  }
  for (const value of Object.values(record)) dropObjectRefs(value);
}
