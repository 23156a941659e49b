import express from 'express';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONSOLE_CSP, serveConsole } from './console-static';

describe('the console served by the gateway', () => {
  let directory: string;
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let base: string;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-console-'));
    fs.mkdirSync(path.join(directory, 'assets'));
    fs.writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(directory, 'assets', 'index-abc.js'), 'console.log(1)');
    const app = express();
    serveConsole(app, directory);
    app.use((_request, response) => {
      response.status(418).send('not the console');
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('answers index.html, with the strict CSP and no cache, for any page of the app', async () => {
    for (const page of ['/console', '/console/', '/console/runs/123', '/console/designer/x']) {
      const response = await fetch(base + page);
      expect({ page, status: response.status }).toEqual({ page, status: 200 });
      expect(await response.text()).toContain('<title>console</title>');
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('serves hashed assets for a year, and a missing one as a 404 problem, never as the page', async () => {
    const asset = await fetch(`${base}/console/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${base}/console/assets/gone.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('leaves other paths and changes to the rest of the gateway', async () => {
    expect((await fetch(`${base}/v1/runs`)).status).toBe(418);
    expect((await fetch(`${base}/console/runs`, { method: 'POST' })).status).toBe(418);
  });

  it('says how to build the console when it is not built', async () => {
    const app = express();
    serveConsole(app, path.join(directory, 'nothing-here'));
    const other = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    const response = await fetch(
      `http://127.0.0.1:${(other.address() as AddressInfo).port}/console/`,
    );
    other.close();
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toContain('npm run build');
  });
});
