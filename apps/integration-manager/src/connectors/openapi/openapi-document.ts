import SwaggerParser from '@apidevtools/swagger-parser';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/** Bounds of an imported document, so a hostile one cannot exhaust memory or stall the service. */
export const DOCUMENT_LIMITS = {
  /** Size of the document text (or of an inline object as JSON). */
  maxBytes: 1024 * 1024,
  /** Nesting depth of the document itself. */
  maxDepth: 64,
  /** `$ref` pointers in the document. */
  maxRefs: 2_000,
  /** YAML aliases (`*anchor`): each can expand a whole subtree. */
  maxAliases: 100,
  /** Operations (method + path) with an operationId. */
  maxOperations: 500,
  /** Nodes of the whole document with every `$ref` expanded (cycles counted once). */
  maxExpandedNodes: 1_000_000,
  /** Nodes of one operation's input schema after `$ref`s are expanded (fan-out bomb). */
  maxSchemaNodes: 20_000,
  /** Wall time of resolving and validating. */
  parseTimeoutMs: 5_000,
} as const;

/**
 * A document that cannot be used: `pointer` (JSON pointer) and `line` say
 * where, when the parser or the validator says it.
 */
export class DocumentError extends Error {
  override name = 'DocumentError';
  constructor(
    message: string,
    readonly line?: number,
    readonly pointer?: string,
  ) {
    super(message);
  }

  /** `line 12: ...`, `at /paths/~1x/get: ...` or the message alone. */
  describe(): string {
    const where =
      this.line !== undefined
        ? `line ${this.line}${this.pointer ? ` (${this.pointer})` : ''}: `
        : this.pointer
          ? `at ${this.pointer}: `
          : '';
    return `${where}${this.message}`;
  }
}

export interface ParsedDocument {
  /** Dereferenced (circular `$ref`s left in place), validated OpenAPI 3.x or Swagger 2.0 object. */
  api: Record<string, unknown>;
  version: 'swagger2' | 'openapi3';
}

/**
 * JSON or YAML text (JSON is YAML) to an object, with the line of a syntax
 * error; YAML aliases and duplicate keys are refused beyond the bounds.
 */
export function parseDocumentText(text: string): {
  value: unknown;
  lineOf: (pointer: string) => number | undefined;
} {
  if (Buffer.byteLength(text, 'utf8') > DOCUMENT_LIMITS.maxBytes) {
    throw new DocumentError(`is larger than ${DOCUMENT_LIMITS.maxBytes} bytes`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new DocumentError(`does not parse as JSON or YAML: ${firstLine(error.message)}`, line);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: DOCUMENT_LIMITS.maxAliases });
  } catch (e) {
    throw new DocumentError(`does not parse: ${firstLine((e as Error).message)}`);
  }
  return { value, lineOf: (pointer) => lineOfPointer(doc, lineCounter, pointer) };
}

/**
 * Checks the bounds, then resolves internal `$ref`s (external ones, files
 * and URLs, are never fetched) and validates against the OpenAPI/Swagger
 * schema and spec. Throws DocumentError naming the problem.
 */
export async function loadDocument(
  source: string | Record<string, unknown>,
): Promise<ParsedDocument> {
  let value: unknown;
  let lineOf: (pointer: string) => number | undefined = () => undefined;
  if (typeof source === 'string') {
    ({ value, lineOf } = parseDocumentText(source));
  } else {
    if (JSON.stringify(source).length > DOCUMENT_LIMITS.maxBytes) {
      throw new DocumentError(`is larger than ${DOCUMENT_LIMITS.maxBytes} bytes`);
    }
    value = structuredClone(source);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DocumentError('is not an OpenAPI 3.x or Swagger 2.0 document (not an object)', 1);
  }
  checkShape(value as Record<string, unknown>);
  checkFanOut(value as Record<string, unknown>);
  const external = findExternalRef(value);
  if (external) {
    throw new DocumentError(
      `has an external $ref '${external.ref.slice(0, 200)}': only references inside the document (#/...) are resolved`,
      lineOf(external.pointer),
      external.pointer,
    );
  }
  let api: Record<string, unknown>;
  try {
    api = (await new SwaggerParser().validate(
      value as never,
      {
        resolve: { external: false, file: false, http: false },
        dereference: { circular: 'ignore' },
        timeoutMs: DOCUMENT_LIMITS.parseTimeoutMs,
      } as never,
    )) as unknown as Record<string, unknown>;
  } catch (error) {
    throw toDocumentError(error as Error, lineOf);
  }
  return { api, version: typeof api.swagger === 'string' ? 'swagger2' : 'openapi3' };
}

/** Depth and `$ref` count, checked before anything resolves references. */
function checkShape(root: Record<string, unknown>): void {
  let refs = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > DOCUMENT_LIMITS.maxDepth) {
      throw new DocumentError(`nests deeper than ${DOCUMENT_LIMITS.maxDepth} levels`);
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && ++refs > DOCUMENT_LIMITS.maxRefs) {
        throw new DocumentError(`has more than ${DOCUMENT_LIMITS.maxRefs} $ref pointers`);
      }
      stack.push({ node: child, depth: depth + 1 });
    }
  }
}

/**
 * The size of the document once every `$ref` is replaced by its target
 * (each reference counted by the memoised size of what it names; a cycle
 * counts once): a few kilobytes of references to references can otherwise
 * expand exponentially in the resolver.
 */
function checkFanOut(root: Record<string, unknown>): void {
  const memo = new Map<string, number>();
  const open = new Set<string>();
  const limit = DOCUMENT_LIMITS.maxExpandedNodes;
  const size = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) {
      const known = memo.get(ref);
      if (known !== undefined) return known;
      if (open.has(ref)) return 1;
      open.add(ref);
      let target: unknown = root;
      for (const raw of ref.slice(1).split('/').slice(1)) {
        const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        target =
          target !== null && typeof target === 'object'
            ? (target as Record<string, unknown>)[key]
            : undefined;
      }
      const result = Math.min(limit + 1, 1 + size(target));
      open.delete(ref);
      memo.set(ref, result);
      return result;
    }
    let total = 1;
    for (const child of Object.values(node)) {
      total += size(child);
      if (total > limit) return limit + 1;
    }
    return total;
  };
  if (size(root) > limit) {
    throw new DocumentError(
      `expands beyond ${limit} nodes once its $refs are resolved (references fanning out)`,
    );
  }
}

function findExternalRef(root: unknown): { ref: string; pointer: string } | undefined {
  const stack: { node: unknown; path: string[] }[] = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && typeof child === 'string' && !child.startsWith('#')) {
        return { ref: child, pointer: toPointer([...path, key]) };
      }
      stack.push({ node: child, path: [...path, key] });
    }
  }
  return undefined;
}

export function toPointer(path: readonly (string | number)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The parser's and the validators' messages, with the line of the JSON pointer they name. */
function toDocumentError(error: Error, lineOf: (pointer: string) => number | undefined) {
  const message = error.message ?? String(error);
  if (/timeout|timed out/i.test(message)) {
    return new DocumentError(
      `took longer than ${DOCUMENT_LIMITS.parseTimeoutMs / 1000} s to resolve (too many or too deep $refs)`,
    );
  }
  // Validators name the place as `#/paths/...` or `/paths/...`, ajv as instancePath.
  const details = (error as { details?: { instancePath?: string; message?: string }[] }).details;
  const detail = Array.isArray(details) ? details[0] : undefined;
  const pointer =
    detail?.instancePath ||
    /(?:^|\s)#?(\/(?:paths|components|definitions|info|servers|parameters)[^\s"',]*)/.exec(
      message,
    )?.[1];
  const clean = (detail?.message ? `${firstLine(message)}: ${detail.message}` : firstLine(message))
    .replace('[object Object] is not a valid Openapi API definition', 'it has no paths')
    .replace(/\s+/g, ' ')
    .slice(0, 500);
  return new DocumentError(
    `is not a valid OpenAPI 3.x or Swagger 2.0 document: ${clean}`,
    pointer ? lineOf(decodeURI(pointer)) : undefined,
    pointer || undefined,
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** The line of the deepest node of `pointer` that exists in the YAML/JSON source. */
function lineOfPointer(doc: Document, counter: LineCounter, pointer: string): number | undefined {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value) === part);
      if (!pair) break;
      offset = (pair.key as { range?: number[] })?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item === undefined) break;
      offset = (item as { range?: number[] }).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}
