import type {
  ConnectionTarget,
  Connector,
  JsonSchema,
  Operation,
  OperationContext,
} from '../connector';
import type { HttpConnector } from '../http/http.connector';
import { documentOperation } from '../openapi/openapi-call';
import { buildOperations, type OperationSpec } from '../openapi/openapi-operations';
import type { PackDefinition } from './pack';

/**
 * A pack as a connector: the operations of its bundled document (built once,
 * so their input schemas are compiled with every other connector's), sent
 * through the http connector with the vendor's base URL and auth.
 */
export class PackConnector implements Connector {
  readonly kind: string;
  readonly description: string;
  readonly configSchema: JsonSchema;
  readonly secretFields: PackDefinition['secretFields'];
  readonly operations: ReadonlyMap<string, Operation>;
  readonly pack: Connector['pack'];
  readonly specs: readonly OperationSpec[];

  constructor(
    private readonly definition: PackDefinition,
    private readonly http: HttpConnector,
  ) {
    this.kind = definition.kind;
    this.description = definition.description;
    this.configSchema = definition.configSchema;
    this.secretFields = definition.secretFields;
    this.pack = {
      based_on: 'openapi',
      vendor: definition.vendor,
      api: definition.api,
      docs: definition.docs,
    };
    this.specs = buildOperations({ api: definition.document, version: 'openapi3' });
    this.operations = new Map(
      this.specs.map((spec) => [
        spec.operationId,
        documentOperation(
          spec,
          http,
          (c) => definition.http(c.config, c.secrets),
          definition.csrfPath ? { csrf: { path: definition.csrfPath } } : {},
        ),
      ]),
    );
  }

  async validateConfig(
    config: Record<string, unknown>,
    secrets: Record<string, string>,
  ): Promise<void> {
    this.definition.validate?.(config, secrets);
    const target = this.definition.http(config, secrets);
    await this.http.validateConfig(target.config, target.secrets);
  }

  /** The vendor's base URL answers at all (with the connection's auth): any HTTP status below 500. */
  probe(context: OperationContext): Promise<Record<string, unknown>> {
    return this.http.probe({ ...context, connection: this.inner(context.connection) });
  }

  release(key: string): Promise<void> {
    return this.http.release(key);
  }

  private inner(connection: ConnectionTarget): ConnectionTarget {
    return {
      ...this.definition.http(connection.config, connection.secrets),
      key: connection.key,
      name: connection.name,
    };
  }
}
