/** Helpers to write a trimmed OpenAPI 3.0 document of a pack. */
export function openapiDocument(
  title: string,
  server: string,
  paths: Record<string, unknown>,
): Record<string, unknown> {
  return { openapi: '3.0.3', info: { title, version: '1' }, servers: [{ url: server }], paths };
}

export const response = (description: string) => ({
  default: { description, content: { 'application/json': { schema: { type: 'object' } } } },
});

export const jsonBody = (schema: Record<string, unknown>, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

export const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', minLength: 1 },
});

export const queryParam = (
  name: string,
  description: string,
  schema: Record<string, unknown> = { type: 'string' },
  required = false,
) => ({ name, in: 'query', required, description, schema });
