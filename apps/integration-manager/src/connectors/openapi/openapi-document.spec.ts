import { DocumentError, loadDocument } from './openapi-document';

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

  it('probe', async () => {
    for (const d of [
      GOOD.replace('in: path', 'in: nowhere'),
      GOOD.replace('operationId: getItem', 'operationId: [1'),
      GOOD.replace('"1"', '1'),
      GOOD.replace('paths:', 'pathz:'),
      GOOD.replace('required: true', 'required: false'),
      '{"a": ',
      GOOD.replace('{type: integer}', "{$ref: '#/components/schemas/Nope'}"),
      GOOD.replace('{type: integer}', "{$ref: 'http://169.254.169.254/x'}"),
    ]) {
      const e = await problem(d).catch((x) => x);
      console.log(e.describe ? e.describe() : e);
    }
  });
});
