import { DomainError } from '@baton/contracts';
import type { IntegrationEnv } from '../../integration-manager.env';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorRegistry } from '../connector-registry';

let server: Server;
let base: string;
let served = '';
let documentFetches = 0;
const seen: { method: string; path: string; type?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/doc.json') {
        documentFetches++;
        res.setHeader('content-type', 'application/json');
        return res.end(served);
      }
      seen.push({ method: req.method!, path: req.url!, type: req.headers['content-type'], body });
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await registry.onModuleDestroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const registry = new ConnectorRegistry({
  CONNECTOR_ALLOWED_NETWORKS: '127.0.0.1/32',
} as IntegrationEnv);

const swagger = (operationId: string) =>
  JSON.stringify({
    swagger: '2.0',
    info: { title: 'pets', version: '1' },
    paths: {
      '/pets': {
        post: {
          operationId,
          consumes: ['application/x-www-form-urlencoded'],
          parameters: [
            { name: 'name', in: 'formData', required: true, type: 'string' },
            { name: 'age', in: 'formData', type: 'integer' },
          ],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  });

async function fieldOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as DomainError).errors?.[0]?.field;
  }
  return 'accepted';
}

describe('openapi connector', () => {
  it('imports by URL (base URL relative to it), sends form bodies, and re-imports when the connection changes', async () => {
    served = swagger('addPet');
    const config = { document_url: `${base}/doc.json` };
    const connector = await registry.validate('openapi', config, {});
    const target = { key: 'ws/pets', name: 'pets', config, secrets: {} };
    const stored = {
      workspaceId: 'ws',
      name: 'pets',
      connector: 'openapi',
      config,
      updatedAt: new Date(1),
    };
    const operation = await registry.resolveOperation(connector, 'addPet', stored, target);
    registry.checkInput(connector, operation, { body: { name: 'Rex', age: 3 } });
    expect(() => registry.checkInput(connector, operation, { body: { age: 3 } })).toThrow(
      /input\.body\.name/,
    );
    await operation.execute(
      { connection: target, signal: AbortSignal.timeout(5000), timeoutMs: 5000 },
      { body: { name: 'Rex', age: 3 } },
    );
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      path: '/pets',
      type: 'application/x-www-form-urlencoded',
      body: 'name=Rex&age=3',
    });
    const fetches = documentFetches;
    await registry.resolveOperation(connector, 'addPet', stored, target);
    expect(documentFetches).toBe(fetches); // imported once per connection version

    served = swagger('createPet');
    const changed = { ...stored, updatedAt: new Date(2) };
    await expect(
      registry.resolveOperation(connector, 'addPet', changed, target),
    ).rejects.toMatchObject({
      type: 'validation_error',
      field: 'operation',
    });
    expect((await registry.operationsOf(connector, changed, target)).map((o) => o.name)).toEqual([
      'createPet',
    ]);
  });

  it('answers 422 naming the field for a broken document, a missing base URL and an internal target', async () => {
    expect(await fieldOf(registry.validate('openapi', { document: 'openapi: [' }, {}))).toBe(
      'config.document',
    );
    const noServer = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} };
    expect(await fieldOf(registry.validate('openapi', { document: noServer }, {}))).toBe(
      'config.base_url',
    );
    expect(
      await fieldOf(
        registry.validate(
          'openapi',
          { document_url: 'http://169.254.169.254/latest/doc.json' },
          {},
        ),
      ),
    ).toBe('config.document_url');
    expect(
      await fieldOf(
        registry.validate('openapi', { document: noServer, base_url: 'http://10.1.2.3' }, {}),
      ),
    ).toBe('config.base_url');
    served = 'x'.repeat(2 * 1024 * 1024);
    expect(
      await fieldOf(registry.validate('openapi', { document_url: `${base}/doc.json` }, {})),
    ).toBe('config.document_url');
    expect(await fieldOf(registry.validate('openapi', {}, {}))).toBe('config.document_url');
    expect(
      await fieldOf(registry.validate('openapi', { document_url: `http://u:p@127.0.0.1/d` }, {})),
    ).toBe('config.document_url');
    expect(
      await fieldOf(
        registry.validate(
          'openapi',
          { document: noServer, base_url: base, auth: { type: 'bearer' } },
          {},
        ),
      ),
    ).toBe('secrets.token');
  });
});
