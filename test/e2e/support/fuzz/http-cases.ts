import fc from 'fast-check';
import type { Operation } from './openapi-operations';
import { brokenJsonText, hostileJson, hostileString } from './hostile-values';
import { boundaryValue, KNOWN_NAMES, nearValidValue, validValue } from './schema-bodies';

/** One request, fully spelled out so that a failure prints something to replay with curl. */
export interface HttpCase {
  operation: string;
  method: string;
  /** Path and query, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * How long the API may rightly take: an invoke waits for its agent up to the
   * `timeout` it names (at most 5 min), so no answer within the client's
   * patience is then no hang.
   */
  mayWaitMs?: number;
}

/** Query names the list routes read, declared in /openapi.json or not. */
const COMMON_QUERY = [
  'limit',
  'cursor',
  'status',
  'type',
  'workflow',
  'from',
  'to',
  'window',
  'action',
  'source',
  'subject',
  'run_id',
  'correlation_id',
  'capability',
];

const pathParam: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.uuid().map(encodeURIComponent), weight: 3 },
  { arbitrary: fc.constantFrom(...KNOWN_NAMES, '1', '0', '-1', '2'), weight: 3 },
  {
    arbitrary: hostileString.filter((s) => s.length > 0 && s.length <= 3000).map(encodePart),
    weight: 4,
  },
  // Sent as is: encodings that decode to path tricks, and broken percent-escapes.
  {
    arbitrary: fc.constantFrom(
      '..%2f..%2fv1%2fagents',
      '%2e%2e',
      '%',
      '%zz',
      '%00',
      '%ff%fe',
      'a%2Fb',
      '..;',
      '%E2%80%AE',
    ),
    weight: 1,
  },
);

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes as a raw %-escape. */
function encodePart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((c) => `%${(c.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')}`)
      .join('');
  }
}

function query(operation: Operation): fc.Arbitrary<string> {
  const declared = operation.queryParams.map((p) => p.name);
  const names = [...new Set([...declared, ...COMMON_QUERY])];
  const value = fc.oneof(
    hostileString.filter((s) => s.length <= 2000).map(encodePart),
    fc.constantFrom(
      '0',
      '-1',
      '1',
      '200',
      '201',
      '501',
      '1e3',
      '1.5',
      'NaN',
      '',
      '9'.repeat(40),
      'eyJ4IjoxfQ',
      'bm90LWpzb24',
      'AAAA',
    ),
    ...operation.queryParams.map((p) => boundaryValue(p.schema).map((v) => encodePart(String(v)))),
  );
  const pair = fc.tuple(
    fc.oneof(
      fc.constantFrom(...names),
      fc.constantFrom(...names).map((n) => `${n}[x]`),
    ),
    value,
  );
  // Repeated names are in: express then hands the controller an array.
  return fc
    .array(pair, { maxLength: 4 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));
}

function authorization(apiKey: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${apiKey}`), weight: 17 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        'Bearer ',
        'Bearer',
        `bearer ${apiKey}`,
        `Bearer ${apiKey}x`,
        `Bearer  ${apiKey}`,
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        'Bearer a.b.c',
        `Bearer ${'k'.repeat(4000)}`,
        'Bearer bk_%00',
      ),
      weight: 3,
    },
  );
}

/** Header values fetch accepts (latin-1, no control characters), but odd ones. */
const headerText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:;,/=+ "\'*'.split('')), maxLength: 60 }),
  fc.constantFrom('', ' ', 'ÿ', '\u00e9t\u00e9', 'x'.repeat(5000)),
  fc.uuid(),
);

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=nope',
      'text/plain',
      'application/yaml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/merge-patch+json',
      'a/b/c',
      '',
    ),
    weight: 3,
  },
);

function body(operation: Operation): fc.Arbitrary<string | undefined> {
  const schema = operation.body?.schema ?? {};
  return fc.oneof(
    {
      arbitrary: nearValidValue(schema).map((v) => JSON.stringify(v)),
      weight: operation.body ? 8 : 1,
    },
    { arbitrary: validValue(schema).map((v) => JSON.stringify(v)), weight: operation.body ? 2 : 0 },
    { arbitrary: hostileJson.map((v) => JSON.stringify(v)), weight: 2 },
    { arbitrary: brokenJsonText, weight: 2 },
    { arbitrary: fc.constant(undefined), weight: operation.body ? 1 : 4 },
  );
}

/** A request to `operation`: mostly authenticated and near-valid, sometimes anything. */
export function httpCase(operation: Operation, apiKey: string): fc.Arbitrary<HttpCase> {
  const params = fc.tuple(...operation.pathParams.map(() => pathParam));
  return fc
    .record({
      params,
      query: query(operation),
      authorization: authorization(apiKey),
      contentType,
      idempotencyKey: fc.option(headerText, { freq: 3 }),
      lastEventId: fc.option(headerText, { freq: 4 }),
      workspace: fc.option(fc.constantFrom('default', 'other', '', 'x'.repeat(300), '../default'), {
        freq: 6,
      }),
      // fetch refuses a body on GET.
      body:
        operation.method === 'GET'
          ? fc.constant(undefined)
          : operation.method === 'DELETE'
            ? fc.option(body(operation), { freq: 5 })
            : body(operation),
    })
    .map((r) => {
      let path = operation.path;
      operation.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, r.params[i])));
      const headers: Record<string, string> = {};
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.idempotencyKey !== null) headers['idempotency-key'] = r.idempotencyKey;
      if (r.lastEventId !== null) headers['last-event-id'] = r.lastEventId;
      if (r.workspace !== null) headers['x-workspace-id'] = r.workspace;
      const sent = r.body ?? undefined;
      if (sent !== undefined) headers['content-type'] = r.contentType;
      return {
        operation: `${operation.method} ${operation.path}`,
        method: operation.method,
        url: path + r.query,
        headers,
        ...(sent !== undefined ? { body: sent } : {}),
        ...(operation.path.endsWith('/invoke') ? { mayWaitMs: invokeWait(sent) } : {}),
      };
    });
}

/** The wait an invoke body asks for: its `timeout`, else the 30 s default (the gateway adds a margin). */
function invokeWait(body: string | undefined): number {
  try {
    const timeout = (JSON.parse(body ?? '{}') as { timeout?: unknown }).timeout;
    return (typeof timeout === 'number' ? timeout : 30_000) + 5_000;
  } catch {
    return 35_000;
  }
}
