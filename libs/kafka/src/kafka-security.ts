import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

export const SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain', 'oauthbearer'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/**
 * The environment variables that say how to reach a secured cluster. Unset
 * means PLAINTEXT without authentication: the local default.
 */
export interface KafkaSecuritySettings {
  KAFKA_TLS?: boolean | string;
  KAFKA_TLS_CA_FILE?: string;
  KAFKA_TLS_CERT_FILE?: string;
  KAFKA_TLS_KEY_FILE?: string;
  /** 'false' only for a test broker with a self-signed certificate not in the CA file. */
  KAFKA_TLS_REJECT_UNAUTHORIZED?: boolean | string;
  KAFKA_SASL_MECHANISM?: string;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  /** Preferred over KAFKA_SASL_PASSWORD: a mounted secret, not a value in the process environment. */
  KAFKA_SASL_PASSWORD_FILE?: string;
  /** oauthbearer: a file holding the current token, re-read on every authentication so it may rotate. */
  KAFKA_SASL_OAUTHBEARER_TOKEN_FILE?: string;
}

/** What kafkajs' `new Kafka({ ssl, sasl })` takes. */
export interface KafkaSecurity {
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
}

/** A setting that cannot work; names the variable, never a secret's value. */
export class KafkaSecurityConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'KafkaSecurityConfigError';
  }
}

type ReadFile = (path: string) => string;
const readText: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * Turns the KAFKA_TLS* and KAFKA_SASL_* settings into kafkajs client options.
 * Files are read here, once, so that a missing certificate or password file
 * stops the process at start rather than at the first reconnect.
 */
export function kafkaSecurityFrom(
  settings: KafkaSecuritySettings,
  read: ReadFile = readText,
): KafkaSecurity {
  return { ...tlsFrom(settings, read), ...saslFrom(settings, read) };
}

/** The same, from process.env-like strings (the SDK's AgentWorker reads them this way). */
export function kafkaSecurityFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  read: ReadFile = readText,
): KafkaSecurity {
  const settings: KafkaSecuritySettings = {};
  for (const key of SETTING_NAMES) {
    const value = env[key];
    if (value !== undefined && value !== '') settings[key] = value;
  }
  return kafkaSecurityFrom(settings, read);
}

const SETTING_NAMES = [
  'KAFKA_TLS',
  'KAFKA_TLS_CA_FILE',
  'KAFKA_TLS_CERT_FILE',
  'KAFKA_TLS_KEY_FILE',
  'KAFKA_TLS_REJECT_UNAUTHORIZED',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
  'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE',
] as const satisfies readonly (keyof KafkaSecuritySettings)[];

function flag(variable: string, value: boolean | string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new KafkaSecurityConfigError(variable, 'must be true or false');
}

function fileContent(variable: string, path: string, read: ReadFile): string {
  try {
    return read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new KafkaSecurityConfigError(variable, `cannot read ${path} (${code})`);
  }
}

function tlsFrom(s: KafkaSecuritySettings, read: ReadFile): Pick<KafkaSecurity, 'ssl'> {
  const files = s.KAFKA_TLS_CA_FILE || s.KAFKA_TLS_CERT_FILE || s.KAFKA_TLS_KEY_FILE;
  const enabled = flag('KAFKA_TLS', s.KAFKA_TLS, false);
  if (!enabled) {
    // A CA or client certificate without TLS would be silently ignored: say so instead.
    if (files)
      throw new KafkaSecurityConfigError(
        'KAFKA_TLS',
        'must be true when a KAFKA_TLS_*_FILE is set',
      );
    return {};
  }
  if (Boolean(s.KAFKA_TLS_CERT_FILE) !== Boolean(s.KAFKA_TLS_KEY_FILE)) {
    const missing = s.KAFKA_TLS_CERT_FILE ? 'KAFKA_TLS_KEY_FILE' : 'KAFKA_TLS_CERT_FILE';
    throw new KafkaSecurityConfigError(
      missing,
      'a client certificate needs both its cert and key file',
    );
  }
  const options: ConnectionOptions = {
    rejectUnauthorized: flag(
      'KAFKA_TLS_REJECT_UNAUTHORIZED',
      s.KAFKA_TLS_REJECT_UNAUTHORIZED,
      true,
    ),
  };
  if (s.KAFKA_TLS_CA_FILE)
    options.ca = [fileContent('KAFKA_TLS_CA_FILE', s.KAFKA_TLS_CA_FILE, read)];
  if (s.KAFKA_TLS_CERT_FILE && s.KAFKA_TLS_KEY_FILE) {
    options.cert = fileContent('KAFKA_TLS_CERT_FILE', s.KAFKA_TLS_CERT_FILE, read);
    options.key = fileContent('KAFKA_TLS_KEY_FILE', s.KAFKA_TLS_KEY_FILE, read);
  }
  return { ssl: options };
}

function saslFrom(s: KafkaSecuritySettings, read: ReadFile): Pick<KafkaSecurity, 'sasl'> {
  const mechanism = s.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism === undefined) {
    const stray = s.KAFKA_SASL_USERNAME || s.KAFKA_SASL_PASSWORD || s.KAFKA_SASL_PASSWORD_FILE;
    if (stray)
      throw new KafkaSecurityConfigError(
        'KAFKA_SASL_MECHANISM',
        'must be set when SASL credentials are',
      );
    return {};
  }
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new KafkaSecurityConfigError(
      'KAFKA_SASL_MECHANISM',
      `must be one of ${SASL_MECHANISMS.join(', ')}`,
    );
  }
  if (mechanism === 'oauthbearer') {
    const file = s.KAFKA_SASL_OAUTHBEARER_TOKEN_FILE;
    if (!file)
      throw new KafkaSecurityConfigError(
        'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE',
        'is required for oauthbearer',
      );
    fileContent('KAFKA_SASL_OAUTHBEARER_TOKEN_FILE', file, read);
    // Re-read on each authentication: whoever mints tokens replaces the file before they expire.
    return {
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: () =>
          Promise.resolve({
            value: fileContent('KAFKA_SASL_OAUTHBEARER_TOKEN_FILE', file, read).trim(),
          }),
      },
    };
  }
  const username = s.KAFKA_SASL_USERNAME;
  if (!username)
    throw new KafkaSecurityConfigError('KAFKA_SASL_USERNAME', `is required for ${mechanism}`);
  if (s.KAFKA_SASL_PASSWORD && s.KAFKA_SASL_PASSWORD_FILE) {
    throw new KafkaSecurityConfigError(
      'KAFKA_SASL_PASSWORD_FILE',
      'set either it or KAFKA_SASL_PASSWORD, not both',
    );
  }
  const password = s.KAFKA_SASL_PASSWORD_FILE
    ? fileContent('KAFKA_SASL_PASSWORD_FILE', s.KAFKA_SASL_PASSWORD_FILE, read).replace(
        /\r?\n$/,
        '',
      )
    : s.KAFKA_SASL_PASSWORD;
  if (!password)
    throw new KafkaSecurityConfigError(
      'KAFKA_SASL_PASSWORD',
      `or KAFKA_SASL_PASSWORD_FILE is required for ${mechanism}`,
    );
  return {
    sasl: {
      mechanism: mechanism as 'plain' | 'scram-sha-256' | 'scram-sha-512',
      username,
      password,
    },
  };
}

/** For logs: how the client connects, without any secret. */
export function describeKafkaSecurity(security: KafkaSecurity): string {
  const tls = security.ssl ? 'TLS' : 'PLAINTEXT';
  if (!security.sasl) return tls;
  const who = 'username' in security.sasl ? ` as ${security.sasl.username}` : '';
  return `SASL_${tls === 'TLS' ? 'SSL' : 'PLAINTEXT'} ${security.sasl.mechanism}${who}`;
}
