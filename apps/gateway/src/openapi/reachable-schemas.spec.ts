import type { OpenAPIObject } from '@nestjs/swagger';
import { keepReachableSchemas } from './reachable-schemas';

describe('keepReachableSchemas', () => {
  it('keeps the schemas routes use, directly or nested, and drops the rest', () => {
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: { responses: { 200: { content: { 'application/json': { schema: ref('Page') } } } } },
        },
      },
      components: {
        schemas: {
          Page: { type: 'object', properties: { items: { type: 'array', items: ref('Item') } } },
          Item: { type: 'object' },
          HeartbeatMessage: { type: 'object' },
        },
      },
    } as unknown as OpenAPIObject;
    keepReachableSchemas(document);
    expect(Object.keys(document.components!.schemas!)).toEqual(['Item', 'Page']);
  });
});
