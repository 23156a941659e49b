/** The slice of an OpenAPI 3 schema object the fuzzer reads. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  oneOf?: Schema[];
  $ref?: string;
}

export interface Operation {
  method: string;
  /** The template, e.g. /v1/runs/{id}. */
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema: Schema }[];
  /** Undefined when the operation takes no body. */
  body?: { contentTypes: string[]; schema: Schema };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface RawOperation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** Every method+path of the gateway's /openapi.json, with its body schema's $refs resolved. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const schemas = document.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const parameters = raw.parameters ?? [];
      const content = raw.requestBody?.content;
      const contentTypes = content ? Object.keys(content) : [];
      const bodySchema = content ? Object.values(content)[0]?.schema : undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: resolve(p.schema ?? {}, schemas, 0) })),
        ...(contentTypes.length > 0
          ? { body: { contentTypes, schema: resolve(bodySchema ?? {}, schemas, 0) } }
          : {}),
      });
    }
  }
  return operations;
}

/**
 * Inlines $refs. A ref that names no schema (the generator writes
 * `#/components/schemas/Array` for nested DTO arrays) becomes "anything",
 * which is what the fuzzer sends there anyway.
 */
function resolve(schema: Schema, schemas: Record<string, Schema>, depth: number): Schema {
  if (depth > 8) return {};
  let current = schema;
  if (current.$ref) {
    const target = schemas[current.$ref.replace('#/components/schemas/', '')];
    const { $ref: _ref, ...rest } = current;
    current = { ...(target ?? {}), ...rest };
  }
  const resolved: Schema = { ...current };
  if (current.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(current.properties).map(([k, v]) => [k, resolve(v, schemas, depth + 1)]),
    );
  }
  if (current.items) resolved.items = resolve(current.items, schemas, depth + 1);
  return resolved;
}
