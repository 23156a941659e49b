import { exitWithConfigError } from '@baton/service-kit';
import * as fs from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { GatewayEnv } from './gateway.env';

export interface TlsFiles {
  cert: string;
  key: string;
}

type TlsEnv = Pick<
  GatewayEnv,
  'GATEWAY_TLS_CERT_FILE' | 'GATEWAY_TLS_KEY_FILE' | 'GATEWAY_TLS_CA_FILE'
>;

/** A setting that cannot work, named as exitWithConfigError names it. */
export class TlsConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * The gateway's certificate and key, read and tried once at start, or
 * undefined for plain HTTP. A missing file, a file that is not PEM, or a key
 * that does not belong to the certificate is a TlsConfigError naming the
 * variable: found now, not at the first client's handshake.
 */
export function readTlsFiles(env: TlsEnv): TlsFiles | undefined {
  const certFile = env.GATEWAY_TLS_CERT_FILE;
  const keyFile = env.GATEWAY_TLS_KEY_FILE;
  if (!certFile && !keyFile) {
    if (env.GATEWAY_TLS_CA_FILE) {
      throw new TlsConfigError('GATEWAY_TLS_CA_FILE', 'is set without GATEWAY_TLS_CERT_FILE');
    }
    return undefined;
  }
  if (!certFile)
    throw new TlsConfigError('GATEWAY_TLS_CERT_FILE', 'is required with GATEWAY_TLS_KEY_FILE');
  if (!keyFile)
    throw new TlsConfigError('GATEWAY_TLS_KEY_FILE', 'is required with GATEWAY_TLS_CERT_FILE');
  const chain = env.GATEWAY_TLS_CA_FILE
    ? readPem('GATEWAY_TLS_CA_FILE', env.GATEWAY_TLS_CA_FILE)
    : '';
  const cert = readPem('GATEWAY_TLS_CERT_FILE', certFile) + chain;
  const key = readPem('GATEWAY_TLS_KEY_FILE', keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = (error as Error).message.replace(/^error:[0-9A-F]+:/i, '');
    throw new TlsConfigError('GATEWAY_TLS_KEY_FILE', `does not fit the certificate (${reason})`);
  }
  return { cert, key };
}

function readPem(variable: string, file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new TlsConfigError(
      variable,
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (!text.includes('-----BEGIN '))
    throw new TlsConfigError(variable, `${file} is not a PEM file`);
  // A chain appended after a certificate needs its own line.
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** readTlsFiles for main.ts: a bad setting stops the gateway with one line. */
export function tlsOptionsOrExit(env: TlsEnv): TlsFiles | undefined {
  try {
    return readTlsFiles(env);
  } catch (error) {
    if (error instanceof TlsConfigError)
      exitWithConfigError('gateway', error.variable, error.message);
    throw error;
  }
}
