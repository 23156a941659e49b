import type { EventManagerEnv } from '../event-manager.env';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryFacts } from '../routing/delivery-payload';
import { WebhookSender } from './webhook-sender';

const facts: DeliveryFacts = {
  deliveryId: 'd-1',
  cloudEvent: { specversion: '1.0', id: 'e-1', type: 'order.created', source: 'test' },
  payload: { order: 1 },
  transformed: false,
  replayId: null,
  lane: 'e-1',
};

const sender = (allowPrivateNetworks: boolean) =>
  new WebhookSender({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: allowPrivateNetworks } as EventManagerEnv);

describe('WebhookSender against a real local server', () => {
  let server: Server;
  let base: string;
  const received: IncomingMessage[] = [];
  const senders: WebhookSender[] = [];
  const make = (allowPrivateNetworks: boolean) => {
    const made = sender(allowPrivateNetworks);
    senders.push(made);
    return made;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req);
      req.resume();
      req.on('end', () => {
        res.statusCode = req.url === '/moved' ? 302 : 204;
        if (req.url === '/moved') res.setHeader('location', 'http://169.254.169.254/');
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.onModuleDestroy()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers to a private address when WEBHOOK_ALLOW_PRIVATE_NETWORKS is set', async () => {
    const before = received.length;
    await expect(make(true).send(`${base}/hook`, facts, 'secret')).resolves.toEqual({ ok: true });
    expect(received.length).toBe(before + 1);
    expect(received[received.length - 1].headers['content-type']).toMatch(/json/);
  });

  it('refuses an internal address for good by default, and the receiver is never called (SSRF)', async () => {
    const before = received.length;
    await expect(make(false).send(`${base}/hook`, facts, null)).resolves.toEqual({
      ok: false,
      error: 'webhook refused: 127.0.0.1 is an internal address',
      permanent: true,
    });
    expect(received.length).toBe(before);
  });

  it('does not follow a redirect (to cloud metadata, say)', async () => {
    await expect(make(true).send(`${base}/moved`, facts, null)).resolves.toEqual({
      ok: false,
      error: 'webhook answered HTTP 302 (redirects are not followed)',
    });
  });
});
