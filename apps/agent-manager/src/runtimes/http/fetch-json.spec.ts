import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TaskFailure } from '../agent-runtime';
import { fetchJson } from './fetch-json';

describe('fetchJson: the HTTP call of http and llm agents', () => {
  let server: Server;
  let base: string;
  const signal = () => AbortSignal.timeout(5_000);

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.url === '/to-metadata') {
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/iam/' });
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ answered: req.method }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reaches an agent on a private address (agents usually live there)', async () => {
    await expect(
      fetchJson(`${base}/agent`, { body: {}, signal: signal() }, "agent 'a'"),
    ).resolves.toEqual({
      status: 200,
      json: { answered: 'POST' },
    });
  });

  it('refuses cloud metadata, as the URL or behind a redirect, without reading it', async () => {
    const refused = "agent 'a' refused: 169.254.169.254 is a link-local (cloud metadata) address";
    await expect(
      fetchJson('http://169.254.169.254/latest/meta-data/', { signal: signal() }, "agent 'a'"),
    ).rejects.toEqual(new TaskFailure('system_error', refused));
    await expect(
      fetchJson(`${base}/to-metadata`, { signal: signal() }, "agent 'a'"),
    ).rejects.toEqual(new TaskFailure('system_error', refused));
  });
});
