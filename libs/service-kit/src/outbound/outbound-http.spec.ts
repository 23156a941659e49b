import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundHttp, OutboundRefusedError } from './outbound-http';

describe('OutboundHttp against a real local server', () => {
  let server: Server;
  let port: number;
  const paths: string[] = [];
  const clients: OutboundHttp[] = [];
  const client = (options: ConstructorParameters<typeof OutboundHttp>[0]) => {
    const made = new OutboundHttp(options);
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      req.resume();
      const redirects: Record<string, string> = {
        '/moved': '/card',
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      };
      if (redirects[req.url ?? '']) {
        res.writeHead(req.url === '/moved' ? 301 : 302, { location: redirects[req.url!] });
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, method: req.method }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const refusedWith = (promise: Promise<unknown>) =>
    promise.then(
      () => 'not refused',
      (error: Error) =>
        error instanceof OutboundRefusedError ? error.message : `other: ${error.message}`,
    );

  it('with private networks allowed, reaches loopback but never link-local (cloud metadata)', async () => {
    const http = client({ allowPrivateNetworks: true });
    const ok = await http.fetch(`http://127.0.0.1:${port}/card`);
    expect(await ok.json()).toEqual({ path: '/card', method: 'GET' });
    expect(await refusedWith(http.fetch('http://169.254.169.254/latest/meta-data/'))).toBe(
      'refused: 169.254.169.254 is a link-local (cloud metadata) address',
    );
    expect(await refusedWith(http.fetch('http://[fd00:ec2::254]/latest/'))).toBe(
      'refused: fd00:ec2::254 is a link-local (cloud metadata) address',
    );
  });

  it('without them, refuses loopback before any request', async () => {
    const before = paths.length;
    expect(
      await refusedWith(
        client({ allowPrivateNetworks: false }).fetch(`http://127.0.0.1:${port}/x`),
      ),
    ).toBe('refused: 127.0.0.1 is an internal address');
    expect(paths.length).toBe(before);
  });

  it('follows a GET redirect when asked, checking every hop', async () => {
    const http = client({ allowPrivateNetworks: true });
    const moved = await http.fetch(`http://127.0.0.1:${port}/moved`, {}, { followRedirects: 3 });
    expect(await moved.json()).toEqual({ path: '/card', method: 'GET' });
    expect(
      await refusedWith(
        http.fetch(`http://127.0.0.1:${port}/to-metadata`, {}, { followRedirects: 3 }),
      ),
    ).toBe('refused: 169.254.169.254 is a link-local (cloud metadata) address');
  });

  it('answers a redirected POST as it is, and a GET too when not asked to follow', async () => {
    const http = client({ allowPrivateNetworks: true });
    const post = await http.fetch(
      `http://127.0.0.1:${port}/moved`,
      { method: 'POST', body: '{}' },
      { followRedirects: 3 },
    );
    expect(post.status).toBe(301);
    expect((await http.fetch(`http://127.0.0.1:${port}/moved`)).status).toBe(301);
  });

  it('refuses a name that resolves to metadata only when the socket connects (DNS rebinding)', async () => {
    const before = paths.length;
    const http = client({
      allowPrivateNetworks: true,
      // The first check sees a public address; the connection's own lookup sees metadata.
      resolve: async () => ['93.184.216.34'],
      resolveAtConnect: async (): Promise<LookupAddress[]> => [
        { address: '169.254.169.254', family: 4 },
      ],
    });
    expect(await refusedWith(http.fetch(`http://agent.rebinding.test:${port}/card`))).toBe(
      'refused: agent.rebinding.test resolves to 169.254.169.254, a link-local (cloud metadata) address',
    );
    expect(paths.length).toBe(before);
  });
});
