import { DomainError, ErrorCodes } from '@baton/contracts';
import { OutboundRefusedError, type OutboundHttp } from '@baton/service-kit';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  OperationError,
  type ConnectionTarget,
  type Connector,
  type JsonSchema,
  type Operation,
  type OperationContext,
} from '../connector';
import { HttpConnector } from '../http/http.connector';
import { readLimited } from '../webhook.connector';
import { documentOperation, type HttpTarget } from './openapi-call';
import { DocumentError, DOCUMENT_LIMITS, loadDocument } from './openapi-document';
import { buildOperations, documentBaseUrl, type OperationSpec } from './openapi-operations';

const FETCH_TIMEOUT_MS = 10_000;

interface Imported {
  version: number;
  specs: OperationSpec[];
  operations: ReadonlyMap<string, Operation>;
  baseUrl: string;
}

/**
 * Any API described by an OpenAPI 3.x or Swagger 2.0 document, given
 * inline (`document`, JSON or YAML text or an object) or by `document_url`
 * (fetched through the outbound guard): one operation per `operationId`,
 * its input `{ path_params, query, headers, body }` validated against the
 * document's schemas. Requests, auth and failures are the http connector's.
 *
 * The document is checked when the connection is saved (a 422 naming its
 * line) and imported again once per replica and connection version; a
 * document behind a URL that changes is picked up by saving the connection.
 */
export class OpenApiConnector implements Connector {
  readonly kind = 'openapi';
  readonly description =
    'Any API described by an OpenAPI 3.x or Swagger 2.0 document: one operation per operationId';
  readonly configSchema: JsonSchema;
  readonly secretFields: HttpConnector['secretFields'];
  /** None of its own: they come from each connection's document (operationsOf). */
  readonly operations: ReadonlyMap<string, Operation> = new Map();
  private readonly imported = new Map<string, Promise<Imported>>();
  private readonly schemaCheck = addFormats(new Ajv({ strict: false, allErrors: false }));

  constructor(
    private readonly http: OutboundHttp,
    private readonly httpConnector: HttpConnector,
  ) {
    this.secretFields = httpConnector.secretFields;
    const httpProperties = httpConnector.configSchema.properties;
    this.configSchema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        document_url: {
          type: 'string',
          format: 'uri',
          pattern: '^https?://',
          description: 'where the OpenAPI/Swagger document is fetched from (JSON or YAML)',
        },
        document: {
          type: ['string', 'object'],
          description: 'the document itself: JSON or YAML text, or an object',
        },
        base_url: {
          ...httpProperties.base_url,
          description:
            "the API's base URL (default: the document's first server, or Swagger host + basePath)",
        },
        headers: httpProperties.headers,
        auth: httpProperties.auth,
        probe_path: httpProperties.probe_path,
        max_response_bytes: httpProperties.max_response_bytes,
      },
      oneOf: [{ required: ['document_url'] }, { required: ['document'] }],
    };
  }

  async validateConfig(
    config: Record<string, unknown>,
    secrets: Record<string, string>,
  ): Promise<void> {
    if (typeof config.document_url === 'string') {
      const url = new URL(config.document_url);
      if (url.username || url.password) {
        throw DomainError.invalid(
          'config.document_url',
          'must not contain credentials (config is shown to every reader)',
        );
      }
    }
    const imported = await this.importDocument(config).catch((error: unknown) => {
      throw this.asDomainError(error, config);
    });
    for (const spec of imported.specs) {
      try {
        this.schemaCheck.compile(spec.inputSchema);
      } catch (error) {
        throw DomainError.invalid(
          documentField(config),
          `operation '${spec.operationId}' has a schema that cannot be used: ${(error as Error).message.slice(0, 300)}`,
        );
      }
    }
    await this.httpConnector.validateConfig(httpConfig(config, imported.baseUrl), secrets);
  }

  /** The operations of a connection's document, imported once per connection version. */
  async operationsOf(
    connection: ConnectionTarget,
    version: number,
  ): Promise<ReadonlyMap<string, Operation>> {
    return (await this.imports(connection, version)).operations;
  }

  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    const imported = await this.imports(context.connection, -1);
    const result = await this.httpConnector.probe({
      ...context,
      connection: { ...context.connection, ...this.target(context.connection, imported) },
    });
    return { ...result, operations: imported.specs.length };
  }

  release(key: string): Promise<void> {
    this.imported.delete(key);
    return this.httpConnector.release(key);
  }

  private imports(connection: ConnectionTarget, version: number): Promise<Imported> {
    const cached = this.imported.get(connection.key);
    if (cached) {
      // A version of -1 (a probe) takes whatever is there; a newer version re-imports.
      const fresh = cached.then((i) => version === -1 || i.version === version);
      return fresh.then((ok) => (ok ? cached : this.reimport(connection, version)));
    }
    return this.reimport(connection, version);
  }

  private reimport(connection: ConnectionTarget, version: number): Promise<Imported> {
    const loading = this.importDocument(connection.config).then(
      (imported) => {
        const operations = new Map<string, Operation>();
        const full = { ...imported, version, operations };
        for (const spec of imported.specs) {
          operations.set(
            spec.operationId,
            documentOperation(spec, this.httpConnector, (c) => this.target(c, full)),
          );
        }
        return full;
      },
      (error: unknown) => {
        this.imported.delete(connection.key);
        throw new OperationError(
          'system_error',
          `the OpenAPI document of connection '${connection.name}' cannot be imported: ${
            error instanceof DocumentError ? error.describe() : (error as Error).message
          }`,
        );
      },
    );
    this.imported.set(connection.key, loading);
    return loading;
  }

  private target(connection: ConnectionTarget, imported: { baseUrl: string }): HttpTarget {
    return { config: httpConfig(connection.config, imported.baseUrl), secrets: connection.secrets };
  }

  private async importDocument(
    config: Record<string, unknown>,
  ): Promise<Omit<Imported, 'version' | 'operations'>> {
    const url = typeof config.document_url === 'string' ? config.document_url : undefined;
    const source = url
      ? await this.fetchDocument(url)
      : (config.document as string | Record<string, unknown>);
    const parsed = await loadDocument(source);
    const specs = buildOperations(parsed);
    const baseUrl =
      typeof config.base_url === 'string' ? config.base_url : documentBaseUrl(parsed, url);
    if (!baseUrl || !/^https?:\/\//.test(baseUrl)) {
      throw DomainError.invalid(
        'config.base_url',
        'is required: the document names no absolute server URL',
      );
    }
    return { specs, baseUrl };
  }

  /** The document behind a URL, through the outbound guard, bounded in size and time. */
  private async fetchDocument(url: string): Promise<string> {
    let response;
    try {
      response = await this.http.fetch(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        },
        { followRedirects: 3 },
      );
    } catch (error) {
      const reason =
        error instanceof OutboundRefusedError
          ? error.message
          : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
      throw DomainError.invalid('config.document_url', `cannot be fetched: ${reason}`);
    }
    const { text, truncated } = await readLimited(response, DOCUMENT_LIMITS.maxBytes + 1);
    if (response.status < 200 || response.status >= 300) {
      throw DomainError.invalid('config.document_url', `answered HTTP ${response.status}`);
    }
    if (truncated || Buffer.byteLength(text) > DOCUMENT_LIMITS.maxBytes) {
      throw DomainError.invalid(
        'config.document_url',
        `the document is larger than ${DOCUMENT_LIMITS.maxBytes} bytes`,
      );
    }
    return text;
  }

  private asDomainError(error: unknown, config: Record<string, unknown>): unknown {
    if (error instanceof DocumentError) {
      const field = documentField(config);
      return new DomainError(ErrorCodes.validation, `${field}: ${error.describe()}`, [
        {
          field,
          message: error.describe(),
          ...(error.line !== undefined ? { line: error.line } : {}),
        },
      ]);
    }
    return error;
  }
}

function documentField(config: Record<string, unknown>): string {
  return typeof config.document_url === 'string' ? 'config.document_url' : 'config.document';
}

/** The http connector's config of an openapi connection. */
function httpConfig(config: Record<string, unknown>, baseUrl: string): Record<string, unknown> {
  const out: Record<string, unknown> = { base_url: baseUrl };
  for (const key of ['headers', 'auth', 'probe_path', 'max_response_bytes']) {
    if (config[key] !== undefined) out[key] = config[key];
  }
  return out;
}
