import * as fs from 'node:fs';
import * as path from 'node:path';
import { selfSignedCertificate, type TestCertificate } from '../../../test/support/self-signed';
import { readTlsFiles, TlsConfigError } from './gateway-tls';

describe('readTlsFiles', () => {
  let one: TestCertificate;
  let other: TestCertificate;

  beforeAll(() => {
    one = selfSignedCertificate('gateway-one');
    other = selfSignedCertificate('gateway-other');
  });

  afterAll(() => {
    for (const c of [one, other]) fs.rmSync(c.dir, { recursive: true, force: true });
  });

  const failure = (env: Parameters<typeof readTlsFiles>[0]) => {
    try {
      readTlsFiles(env);
    } catch (error) {
      if (error instanceof TlsConfigError) return `${error.variable}: ${error.message}`;
      throw error;
    }
    throw new Error('no TlsConfigError');
  };

  it('is plain HTTP when nothing is set', () => {
    expect(readTlsFiles({})).toBeUndefined();
  });

  it('reads a certificate and the key that fits it', () => {
    const files = readTlsFiles({
      GATEWAY_TLS_CERT_FILE: one.certFile,
      GATEWAY_TLS_KEY_FILE: one.keyFile,
    });
    expect(files?.cert).toBe(one.cert);
    expect(files?.key).toContain('PRIVATE KEY');
  });

  it('appends the CA file to the certificate as its chain', () => {
    const files = readTlsFiles({
      GATEWAY_TLS_CERT_FILE: one.certFile,
      GATEWAY_TLS_KEY_FILE: one.keyFile,
      GATEWAY_TLS_CA_FILE: other.certFile,
    });
    expect(files?.cert).toBe(one.cert + other.cert);
  });

  it('names the file it cannot read', () => {
    const missing = path.join(one.dir, 'missing.pem');
    expect(failure({ GATEWAY_TLS_CERT_FILE: missing, GATEWAY_TLS_KEY_FILE: one.keyFile })).toBe(
      `GATEWAY_TLS_CERT_FILE: cannot read ${missing} (ENOENT)`,
    );
  });

  it('refuses a file that is not PEM', () => {
    const text = path.join(one.dir, 'not-pem.txt');
    fs.writeFileSync(text, 'hello');
    expect(failure({ GATEWAY_TLS_CERT_FILE: one.certFile, GATEWAY_TLS_KEY_FILE: text })).toBe(
      `GATEWAY_TLS_KEY_FILE: ${text} is not a PEM file`,
    );
  });

  it('refuses a key that belongs to another certificate', () => {
    expect(
      failure({ GATEWAY_TLS_CERT_FILE: one.certFile, GATEWAY_TLS_KEY_FILE: other.keyFile }),
    ).toMatch(/^GATEWAY_TLS_KEY_FILE: does not fit the certificate/);
  });

  it('wants the certificate and the key together', () => {
    expect(failure({ GATEWAY_TLS_KEY_FILE: one.keyFile })).toBe(
      'GATEWAY_TLS_CERT_FILE: is required with GATEWAY_TLS_KEY_FILE',
    );
    expect(failure({ GATEWAY_TLS_CERT_FILE: one.certFile })).toBe(
      'GATEWAY_TLS_KEY_FILE: is required with GATEWAY_TLS_CERT_FILE',
    );
    expect(failure({ GATEWAY_TLS_CA_FILE: one.certFile })).toBe(
      'GATEWAY_TLS_CA_FILE: is set without GATEWAY_TLS_CERT_FILE',
    );
  });
});
