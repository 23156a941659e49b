import { DocumentError, DOCUMENT_LIMITS, loadDocument } from './openapi-document';
import { buildOperations, documentBaseUrl } from './openapi-operations';

const GOOD = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer}
      responses:
        "200": {description: ok}
`;

async function problem(source: string | Record<string, unknown>): Promise<DocumentError> {
  try {
    await loadDocument(source);
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

describe('loadDocument', () => {
  it('parses and validates a YAML OpenAPI 3 document', async () => {
    const { api, version } = await loadDocument(GOOD);
    expect(version).toBe('openapi3');
    expect((api.paths as Record<string, unknown>)['/items/{id}']).toBeDefined();
  });

  it('names the line of a syntax error', async () => {
    const error = await problem(GOOD.replace('operationId: getItem', 'operationId: [1'));
    expect(error.line).toBe(7);
    expect(error.describe()).toMatch(/^line 7: does not parse as JSON or YAML/);
    expect((await problem('{"openapi": ')).line).toBe(1);
  });

  it('names the line and pointer of a schema violation', async () => {
    const error = await problem(GOOD.replace('in: path', 'in: nowhere'));
    expect(error.pointer).toBe('/paths/~1items~1{id}/get/parameters/0/in');
    expect(error.line).toBe(9);
  });

  it('refuses external $refs without fetching them', async () => {
    const error = await problem(
      GOOD.replace('{type: integer}', "{$ref: 'http://169.254.169.254/latest/meta-data'}"),
    );
    expect(error.message).toMatch(/external \$ref/);
    expect(error.line).toBe(11);
    expect(
      (await problem(GOOD.replace('{type: integer}', "{$ref: '/etc/passwd'}"))).message,
    ).toMatch(/external/);
  });

  it('bounds hostile documents: size, depth, $ref count and YAML alias bombs', async () => {
    expect((await problem('x'.repeat(DOCUMENT_LIMITS.maxBytes + 1))).message).toMatch(/larger/);
    let deep: Record<string, unknown> = {};
    const root = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {},
      'x-deep': deep,
    };
    for (let i = 0; i < 100; i++) deep = (deep.a = {}) as Record<string, unknown>;
    expect((await problem(root)).message).toMatch(/nests deeper/);
    const refs = Object.fromEntries(
      Array.from({ length: DOCUMENT_LIMITS.maxRefs + 1 }, (_, i) => [`s${i}`, { $ref: '#/info' }]),
    );
    expect((await problem({ ...root, 'x-deep': undefined, 'x-refs': refs })).message).toMatch(
      /more than 2000 \$ref/,
    );
    const aliases = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) {
      const prev = i === 0 ? 'a' : `l${i - 1}`;
      aliases.push(`l${i}: &l${i} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    expect((await problem(aliases.join('\n'))).describe()).toMatch(/alias|parse/i);
  });

  it('bounds $ref fan-out once operations are built', async () => {
    const schemas: Record<string, unknown> = { s0: { type: 'string' } };
    for (let i = 1; i <= 30; i++) {
      schemas[`s${i}`] = {
        type: 'object',
        properties: {
          a: { $ref: `#/components/schemas/s${i - 1}` },
          b: { $ref: `#/components/schemas/s${i - 1}` },
        },
      };
    }
    const doc = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      components: { schemas },
      paths: {
        '/x': {
          post: {
            operationId: 'bomb',
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/s30' } } },
            },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    expect((await problem(doc)).message).toMatch(/expands beyond/);
    // Below the document bound, one operation's schema is bounded on its own.
    for (let i = 15; i <= 29; i++) delete schemas[`s${i}`];
    schemas.s30 = { $ref: '#/components/schemas/s14' };
    const parsed = await loadDocument(doc);
    expect(() => buildOperations(parsed)).toThrow(/expands beyond/);
  });

  it('builds one operation per operationId with its input schema (Swagger 2 too)', async () => {
    const swagger = {
      swagger: '2.0',
      info: { title: 't', version: '1' },
      host: 'api.example.com',
      basePath: '/v1',
      schemes: ['https'],
      paths: {
        '/pets/{petId}': {
          put: {
            operationId: 'updatePet',
            parameters: [
              { name: 'petId', in: 'path', required: true, type: 'integer' },
              { name: 'dryRun', in: 'query', type: 'boolean' },
              { name: 'pet', in: 'body', required: true, schema: { $ref: '#/definitions/Pet' } },
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
      definitions: {
        Pet: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, kin: { $ref: '#/definitions/Pet' } },
        },
      },
    };
    const parsed = await loadDocument(swagger);
    expect(documentBaseUrl(parsed)).toBe('https://api.example.com/v1');
    const [op] = buildOperations(parsed);
    expect(op).toMatchObject({
      operationId: 'updatePet',
      method: 'PUT',
      path: '/pets/{petId}',
      idempotent: true,
      bodyType: 'application/json',
    });
    expect(op.inputSchema).toMatchObject({
      required: ['path_params', 'body'],
      properties: {
        path_params: { required: ['petId'], properties: { petId: { type: 'integer' } } },
        query: { properties: { dryRun: { type: 'boolean' } } },
        body: { required: ['name'], properties: { name: { type: 'string' } } },
      },
    });
  });
});
