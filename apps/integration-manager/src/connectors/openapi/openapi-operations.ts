import type { JsonSchema } from '../connector';
import { DocumentError, DOCUMENT_LIMITS, toPointer, type ParsedDocument } from './openapi-document';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Keywords of OpenAPI schema objects that are documentation, not validation. */
const DROPPED_KEYWORDS = new Set([
  'example',
  'examples',
  'xml',
  'externalDocs',
  'discriminator',
  'deprecated',
]);

type Location = 'path' | 'query' | 'header';

/** One callable operation of a document: the HTTP request it becomes and the input it takes. */
export interface OperationSpec {
  operationId: string;
  method: string;
  /** Path template below the base URL: `/tickets/{ticket_id}`. */
  path: string;
  description: string;
  /** `x-baton-idempotent` overrides the method's (e.g. a search that is a POST). */
  idempotent: boolean;
  parameters: { name: string; in: Location; required: boolean }[];
  /** The media type the body is sent as, if the operation takes one. */
  bodyType?: string;
  inputSchema: JsonSchema;
}

/**
 * Operations of a dereferenced document: one per `operationId`, each with
 * an input schema `{ path_params, query, headers, body }` built from its
 * parameters and request body (cookie parameters are not supported).
 */
export function buildOperations(parsed: ParsedDocument): OperationSpec[] {
  const paths = (parsed.api.paths ?? {}) as Record<string, Record<string, unknown>>;
  const specs: OperationSpec[] = [];
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (item === null || typeof item !== 'object') continue;
    const shared = (item.parameters as Record<string, unknown>[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op || typeof op.operationId !== 'string') continue;
      const pointer = toPointer(['paths', path, method]);
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(op.operationId)) {
        throw new DocumentError(
          `operationId '${op.operationId.slice(0, 100)}' must be letters, digits, '_' or '-' (it is the step's action name)`,
          undefined,
          pointer,
        );
      }
      if (seen.has(op.operationId)) {
        throw new DocumentError(
          `operationId '${op.operationId}' is used twice`,
          undefined,
          pointer,
        );
      }
      seen.add(op.operationId);
      if (specs.length >= DOCUMENT_LIMITS.maxOperations) {
        throw new DocumentError(`has more than ${DOCUMENT_LIMITS.maxOperations} operations`);
      }
      const budget = { nodes: DOCUMENT_LIMITS.maxSchemaNodes, pointer, root: parsed.api };
      specs.push(
        operationSpec(parsed, path, method, op, mergeParameters(shared, op.parameters), budget),
      );
    }
  }
  return specs;
}

function mergeParameters(shared: unknown, own: unknown): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const p of [
    ...((shared as Record<string, unknown>[]) ?? []),
    ...((own as Record<string, unknown>[]) ?? []),
  ]) {
    if (p && typeof p === 'object') byKey.set(`${String(p.in)}:${String(p.name)}`, p);
  }
  return [...byKey.values()];
}

function operationSpec(
  parsed: ParsedDocument,
  path: string,
  method: string,
  op: Record<string, unknown>,
  parameters: Record<string, unknown>[],
  budget: { nodes: number; pointer: string; root: Record<string, unknown> },
): OperationSpec {
  const groups: Record<Location, { properties: Record<string, unknown>; required: string[] }> = {
    path: { properties: {}, required: [] },
    query: { properties: {}, required: [] },
    header: { properties: {}, required: [] },
  };
  const params: OperationSpec['parameters'] = [];
  let body: { schema: JsonSchema; required: boolean; type: string } | undefined;
  const form: { properties: Record<string, unknown>; required: string[] } = {
    properties: {},
    required: [],
  };
  for (const p of parameters) {
    const where = String(p.in);
    const name = String(p.name);
    if (where === 'body') {
      body = {
        schema: expand(p.schema, budget),
        required: p.required === true,
        type: 'application/json',
      };
      continue;
    }
    if (where === 'formData') {
      form.properties[name] = expand(parameterSchema(p), budget);
      if (p.required === true) form.required.push(name);
      continue;
    }
    if (where !== 'path' && where !== 'query' && where !== 'header') continue; // cookies: not supported
    const required = where === 'path' || p.required === true;
    groups[where].properties[name] = {
      ...expand(parsed.version === 'swagger2' ? parameterSchema(p) : (p.schema ?? {}), budget),
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
    };
    if (required) groups[where].required.push(name);
    params.push({ name, in: where, required });
  }
  if (Object.keys(form.properties).length > 0) {
    body = {
      schema: { type: 'object', properties: form.properties, required: form.required },
      required: form.required.length > 0,
      type: 'application/x-www-form-urlencoded',
    };
  }
  const requestBody = op.requestBody as
    { required?: boolean; content?: Record<string, { schema?: unknown }> } | undefined;
  if (requestBody?.content) {
    const type = pickMediaType(Object.keys(requestBody.content));
    if (type) {
      body = {
        schema: expand(requestBody.content[type].schema ?? {}, budget),
        required: requestBody.required === true,
        type,
      };
    }
  }
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const names: Record<Location, string> = {
    path: 'path_params',
    query: 'query',
    header: 'headers',
  };
  for (const where of ['path', 'query', 'header'] as const) {
    const group = groups[where];
    if (Object.keys(group.properties).length === 0) continue;
    properties[names[where]] = {
      type: 'object',
      additionalProperties: false,
      properties: group.properties,
      ...(group.required.length > 0 ? { required: group.required } : {}),
    };
    if (group.required.length > 0) required.push(names[where]);
  }
  if (body) {
    properties.body = body.schema;
    if (body.required) required.push('body');
  }
  const upper = method.toUpperCase();
  const override = op['x-baton-idempotent'];
  return {
    operationId: String(op.operationId),
    method: upper,
    path,
    description: [upper, path, op.summary ?? op.description ?? '']
      .filter(Boolean)
      .join(' ')
      .slice(0, 300),
    idempotent: typeof override === 'boolean' ? override : IDEMPOTENT.has(upper),
    parameters: params,
    bodyType: body?.type,
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties,
      ...(required.length > 0 ? { required } : {}),
    },
  };
}

/** JSON first (`application/json`, `*+json`), then form, then any text type. */
function pickMediaType(types: string[]): string | undefined {
  const lower = types.map((t) => t.toLowerCase());
  return (
    types[lower.findIndex((t) => t.startsWith('application/json'))] ??
    types[lower.findIndex((t) => /\+json\b/.test(t))] ??
    types[lower.findIndex((t) => t.startsWith('application/x-www-form-urlencoded'))] ??
    types[lower.findIndex((t) => t.startsWith('text/'))] ??
    types[0]
  );
}

/** Swagger 2 non-body parameters carry their schema inline. */
function parameterSchema(p: Record<string, unknown>): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  for (const key of [
    'type',
    'format',
    'items',
    'enum',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'pattern',
    'minItems',
    'maxItems',
    'uniqueItems',
    'multipleOf',
    'default',
  ]) {
    if (p[key] !== undefined) schema[key] = p[key];
  }
  if (schema.type === 'file') delete schema.type;
  return schema;
}

/**
 * A plain, acyclic copy of a dereferenced schema: references left in place
 * (circular ones) accept anything, documentation keywords are dropped, and
 * the copy is bounded so that `$ref` fan-out cannot blow up memory.
 */
function expand(
  schema: unknown,
  budget: { nodes: number; pointer: string; root: Record<string, unknown> },
): JsonSchema {
  const open = new Set<string>();
  const copy = (node: unknown): unknown => {
    if (--budget.nodes < 0) {
      throw new DocumentError(
        `an input schema expands beyond ${DOCUMENT_LIMITS.maxSchemaNodes} nodes once its $refs are resolved`,
        undefined,
        budget.pointer,
      );
    }
    if (Array.isArray(node)) return node.map(copy);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      // Circular references stay as $ref after dereferencing: expand them once per branch.
      const ref = record.$ref;
      if (open.has(ref)) return {};
      const target = resolvePointer(budget.root, ref);
      if (target === undefined) return {};
      open.add(ref);
      try {
        return copy(target);
      } finally {
        open.delete(ref);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      out[key] = copy(value);
    }
    return out;
  };
  const result = copy(schema ?? {});
  return result !== null && typeof result === 'object' && !Array.isArray(result)
    ? (result as JsonSchema)
    : {};
}

/**
 * The API's base URL as the document gives it: OpenAPI 3 `servers[0].url`
 * (its variables at their defaults; relative to the document's URL),
 * Swagger 2 `schemes[0]://host/basePath`. Undefined when it gives none.
 */
export function documentBaseUrl(parsed: ParsedDocument, documentUrl?: string): string | undefined {
  const api = parsed.api;
  if (parsed.version === 'swagger2') {
    const host = typeof api.host === 'string' ? api.host : undefined;
    const basePath = typeof api.basePath === 'string' ? api.basePath : '';
    const scheme = ((api.schemes as string[] | undefined) ?? ['https'])[0];
    if (host) return `${scheme}://${host}${basePath}`;
    return documentUrl ? new URL(basePath || '/', documentUrl).toString() : undefined;
  }
  const server = (
    api.servers as { url?: string; variables?: Record<string, { default?: string }> }[]
  )?.[0];
  if (!server?.url) return documentUrl ? new URL('/', documentUrl).toString() : undefined;
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) =>
    String(server.variables?.[name]?.default ?? ''),
  );
  try {
    return new URL(url, documentUrl).toString();
  } catch {
    return undefined;
  }
}

/** The node a local `#/a/b` pointer names, or undefined. */
function resolvePointer(root: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
