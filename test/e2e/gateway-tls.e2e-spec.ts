import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { request } from 'node:https';
import * as path from 'node:path';
import { selfSignedCertificate, type TestCertificate } from '../support/self-signed';
import { platformState } from './support/platform';
import { startExtraService } from './support/service-control';

const ROOT = path.resolve(__dirname, '../..');

/** A GET over HTTPS that trusts only `ca` (fetch cannot be given a CA without undici options). */
function httpsGet(
  url: string,
  ca: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; protocol: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          protocol: (response.socket as import('node:tls').TLSSocket).getProtocol?.() ?? '',
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the gateway over HTTPS', () => {
  let certificate: TestCertificate;
  let gateway: Awaited<ReturnType<typeof startExtraService>>;

  beforeAll(async () => {
    certificate = selfSignedCertificate('baton-gateway');
    gateway = await startExtraService('gateway', 60, {
      env: {
        GATEWAY_TLS_CERT_FILE: certificate.certFile,
        GATEWAY_TLS_KEY_FILE: certificate.keyFile,
      },
      tls: { ca: certificate.cert },
    });
  }, 150_000);

  afterAll(async () => {
    await gateway?.stop();
    fs.rmSync(certificate.dir, { recursive: true, force: true });
  });

  it('serves the API with its certificate, and a client that trusts it gets through', async () => {
    expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const response = await httpsGet(`${gateway.url}/v1/agents`, certificate.cert, {
      authorization: `Bearer ${platformState().apiKey}`,
    });
    expect(response.status).toBe(200);
    expect(response.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(JSON.parse(response.body)).toHaveProperty('items');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    const other = selfSignedCertificate('someone-else');
    try {
      await expect(httpsGet(`${gateway.url}/health/live`, other.cert)).rejects.toThrow(
        /self[- ]signed|unable to verify|certificate/i,
      );
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });

  it('stops with one line naming the variable when the certificate file is not there', () => {
    const result = spawnSync(process.execPath, ['dist/apps/gateway/src/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        GATEWAY_TLS_CERT_FILE: path.join(certificate.dir, 'missing.pem'),
        GATEWAY_TLS_KEY_FILE: certificate.keyFile,
      },
      encoding: 'utf8',
      // Loading the gateway's modules alone can take many seconds on a busy machine.
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `baton-gateway: invalid configuration: GATEWAY_TLS_CERT_FILE: cannot read ${path.join(certificate.dir, 'missing.pem')} (ENOENT)`,
    ]);
    expect(result.stdout).toBe('');
  }, 90_000);
});
