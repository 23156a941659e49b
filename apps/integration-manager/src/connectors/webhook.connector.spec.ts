import { DomainError } from '@baton/contracts';
import { OutboundHttp } from '@baton/service-kit';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SendMessageRequest } from './connector';
import {
  describeRequestError,
  parseResponseBody,
  parseWebhookUrl,
  readLimited,
  signBody,
  toWebhookOutcome,
  webhookBody,
  webhookHeaders,
  WebhookConnector,
} from './webhook.connector';

const TASK_ID = '6f1c1a9e-5d7b-4c55-9a53-0d3e3e9f3a11';
const RUN_ID = '0a7d2a0e-1d4e-4f6f-8f8e-1b5d8c1e2f33';

function request(
  secrets: Record<string, string> = {},
  url = 'https://hooks.example.com/in',
): SendMessageRequest {
  return {
    connection: { key: 'acme/default', name: 'default', config: { url }, secrets },
    message: { text: 'hello' },
    task: { task_id: TASK_ID, attempt: 2, run_id: RUN_ID, step: 'notify' },
  };
}

describe('webhook signature', () => {
  it('is HMAC-SHA256 in hex (RFC 4231 test case 2)', () => {
    expect(signBody('Jefe', Buffer.from('what do ya want for nothing?'))).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs the exact body that is sent', () => {
    const req = request({ signing_secret: 's3cret' });
    const body = webhookBody(req);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      message: { text: 'hello' },
      run_id: RUN_ID,
      step: 'notify',
      task_id: TASK_ID,
      attempt: 2,
    });
    expect(webhookHeaders(req, body)).toEqual({
      'content-type': 'application/json',
      'x-baton-task-id': TASK_ID,
      'x-baton-signature': signBody('s3cret', body),
    });
  });

  it('sends no signature without a signing secret', () => {
    const req = request();
    expect(webhookHeaders(req, webhookBody(req))).not.toHaveProperty('x-baton-signature');
  });
});

describe('webhook config', () => {
  it.each(['http://localhost:8080/hook', 'https://hooks.example.com/in?x=1'])(
    'accepts %s',
    (url) => {
      expect(parseWebhookUrl({ url }).href).toBe(new URL(url).href);
    },
  );

  it.each([undefined, '', 'not a url', 'ftp://example.com/x', 'file:///etc/passwd', 42])(
    'rejects %p',
    (url) => {
      expect(() => parseWebhookUrl({ url })).toThrow(DomainError);
    },
  );

  it('refuses credentials in the URL, naming the field', () => {
    try {
      parseWebhookUrl({ url: 'https://user:pass@example.com/' });
      throw new Error('accepted');
    } catch (error) {
      expect((error as DomainError).errors).toEqual([
        { field: 'config.url', message: expect.stringContaining('credentials') },
      ]);
    }
  });
});

describe('webhook response mapping', () => {
  it('maps 2xx to a completed delivery', () => {
    expect(toWebhookOutcome(202, { ok: true })).toEqual({
      status: 'completed',
      httpStatus: 202,
      output: { delivered: true, status: 202, response: { ok: true } },
    });
  });

  it('maps other statuses to a system error naming the status', () => {
    expect(toWebhookOutcome(503, 'down')).toEqual({
      status: 'failed',
      httpStatus: 503,
      errorType: 'system_error',
      message: 'webhook answered HTTP 503',
    });
    expect(toWebhookOutcome(302, null)).toMatchObject({
      message: 'webhook answered HTTP 302 (redirects are not followed)',
    });
  });

  it('parses JSON and keeps text', () => {
    expect(parseResponseBody('{"a":1}', false, 'application/json')).toEqual({ a: 1 });
    expect(parseResponseBody('[1]', false, null)).toEqual([1]);
    expect(parseResponseBody('ok', false, 'text/plain')).toBe('ok');
    expect(parseResponseBody('{broken', false, 'application/json')).toBe('{broken');
    expect(parseResponseBody('{"a":', true, 'application/json')).toBe('{"a":');
    expect(parseResponseBody('', false, 'application/json')).toBeNull();
  });

  it('reads at most the limit', async () => {
    const big = 'x'.repeat(50_000);
    await expect(readLimited(new Response(big), 10_240)).resolves.toEqual({
      text: big.slice(0, 10_240),
      truncated: true,
    });
    await expect(readLimited(new Response('small'), 10_240)).resolves.toEqual({
      text: 'small',
      truncated: false,
    });
  });

  it('describes failures without the URL', () => {
    const timeout = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    expect(describeRequestError(timeout, 10_000)).toBe('webhook did not answer within 10 s');
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: { code: 'ECONNREFUSED' },
    });
    expect(describeRequestError(refused, 10_000)).toBe('webhook request failed: ECONNREFUSED');
  });
});

describe('WebhookConnector against a real local server', () => {
  let server: Server;
  let base: string;
  const received: { headers: IncomingMessage['headers']; body: Buffer }[] = [];
  /** The receiver is on loopback: allowed here, as WEBHOOK_ALLOW_PRIVATE_NETWORKS=true allows it. */
  const local = new OutboundHttp({ allowPrivateNetworks: true });
  const guarded = new OutboundHttp({ allowPrivateNetworks: false });
  const connector = (options: { timeoutMs?: number; http?: OutboundHttp } = {}) =>
    new WebhookConnector({ http: local, ...options });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 500);
        res.statusCode = req.url === '/fail' ? 500 : 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ received: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all([local.close(), guarded.close()]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts a signed message and returns the answer', async () => {
    const outcome = await connector().sendMessage(request({ signing_secret: 'k' }, `${base}/ok`));
    expect(outcome).toEqual({
      status: 'completed',
      httpStatus: 200,
      output: { delivered: true, status: 200, response: { received: true } },
    });
    const last = received[received.length - 1];
    expect(last.headers['x-baton-signature']).toBe(signBody('k', last.body));
    expect(last.headers['x-baton-task-id']).toBe(TASK_ID);
  });

  it('fails on a non-2xx answer', async () => {
    await expect(connector().sendMessage(request({}, `${base}/fail`))).resolves.toMatchObject({
      status: 'failed',
      httpStatus: 500,
      errorType: 'system_error',
    });
  });

  it('gives up after the timeout', async () => {
    const outcome = await connector({ timeoutMs: 100 }).sendMessage(request({}, `${base}/slow`));
    expect(outcome).toMatchObject({
      status: 'failed',
      httpStatus: null,
      message: 'webhook did not answer within 0.1 s',
    });
  });

  it('refuses a URL on an internal address, and the receiver is never called (SSRF)', async () => {
    const before = received.length;
    const outcome = await connector({ http: guarded }).sendMessage(request({}, `${base}/ok`));
    expect(outcome).toEqual({
      status: 'failed',
      httpStatus: null,
      errorType: 'system_error',
      message: 'webhook refused: 127.0.0.1 is an internal address',
    });
    expect(received.length).toBe(before);
  });

  it('refuses an internal URL when the connection is created, naming config.url', async () => {
    await expect(
      connector({ http: guarded }).validateConfig({ url: 'http://169.254.169.254/latest' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('config.url'),
      errors: [
        {
          field: 'config.url',
          message: 'must not be internal: 169.254.169.254 is an internal address',
        },
      ],
    });
    await expect(
      connector({ http: guarded }).validateConfig({ url: 'https://8.8.8.8/hook' }),
    ).resolves.toBeUndefined();
    await expect(connector().validateConfig({ url: `${base}/ok` })).resolves.toBeUndefined();
  });
});
