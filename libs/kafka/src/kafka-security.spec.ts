import {
  describeKafkaSecurity,
  kafkaSecurityFrom,
  kafkaSecurityFromEnv,
  KafkaSecurityConfigError,
} from './kafka-security';

const files: Record<string, string> = {
  '/run/secrets/kafka-password': 's3cret-from-file\n',
  '/etc/kafka/ca.pem': 'CA PEM',
  '/etc/kafka/client.pem': 'CERT PEM',
  '/etc/kafka/client.key': 'KEY PEM',
  '/run/token': 'eyJ.token.sig\n',
};
const read = (path: string): string => {
  if (path in files) return files[path];
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

function refusal(settings: Parameters<typeof kafkaSecurityFrom>[0]): KafkaSecurityConfigError {
  try {
    kafkaSecurityFrom(settings, read);
  } catch (error) {
    if (error instanceof KafkaSecurityConfigError) return error;
    throw error;
  }
  throw new Error('expected the settings to be refused');
}

describe('kafkaSecurityFrom', () => {
  it('is PLAINTEXT without authentication when nothing is set (the local default)', () => {
    expect(kafkaSecurityFrom({}, read)).toEqual({});
  });

  it('takes SCRAM credentials, the password from a file without its trailing newline', () => {
    const security = kafkaSecurityFrom(
      {
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'baton-workflow-engine',
        KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka-password',
      },
      read,
    );
    expect(security).toEqual({
      sasl: {
        mechanism: 'scram-sha-512',
        username: 'baton-workflow-engine',
        password: 's3cret-from-file',
      },
    });
  });

  it('takes a password from the environment and accepts the mechanism in any case', () => {
    const security = kafkaSecurityFromEnv(
      {
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_TLS: '',
      },
      read,
    );
    expect(security).toEqual({
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
    });
  });

  it('builds TLS options from the CA and client certificate files', () => {
    const security = kafkaSecurityFrom(
      {
        KAFKA_TLS: 'true',
        KAFKA_TLS_CA_FILE: '/etc/kafka/ca.pem',
        KAFKA_TLS_CERT_FILE: '/etc/kafka/client.pem',
        KAFKA_TLS_KEY_FILE: '/etc/kafka/client.key',
      },
      read,
    );
    expect(security).toEqual({
      ssl: { rejectUnauthorized: true, ca: ['CA PEM'], cert: 'CERT PEM', key: 'KEY PEM' },
    });
  });

  it('reads an OAUTHBEARER token from its file on every authentication', async () => {
    const security = kafkaSecurityFrom(
      { KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: '/run/token' },
      read,
    );
    expect(security.sasl?.mechanism).toBe('oauthbearer');
    const provider = (security.sasl as { oauthBearerProvider: () => Promise<{ value: string }> })
      .oauthBearerProvider;
    await expect(provider()).resolves.toEqual({ value: 'eyJ.token.sig' });
    files['/run/token'] = 'rotated';
    await expect(provider()).resolves.toEqual({ value: 'rotated' });
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'x' }, 'KAFKA_SASL_USERNAME'],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u' }, 'KAFKA_SASL_PASSWORD'],
    [
      {
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'x',
        KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka-password',
      },
      'KAFKA_SASL_PASSWORD_FILE',
    ],
    [{ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'x' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_MECHANISM: 'oauthbearer' }, 'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE'],
    [{ KAFKA_TLS_CA_FILE: '/etc/kafka/ca.pem' }, 'KAFKA_TLS'],
    [{ KAFKA_TLS: 'yes' }, 'KAFKA_TLS'],
    [{ KAFKA_TLS: 'true', KAFKA_TLS_CERT_FILE: '/etc/kafka/client.pem' }, 'KAFKA_TLS_KEY_FILE'],
    [{ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: '/missing/ca.pem' }, 'KAFKA_TLS_CA_FILE'],
  ])('refuses %j, naming %s', (settings, variable) => {
    expect(refusal(settings).variable).toBe(variable);
  });

  it('never puts a password into a refusal or a description', () => {
    const error = refusal({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_PASSWORD: 'do-not-print-me',
    });
    expect(error.message).not.toContain('do-not-print-me');
    const security = kafkaSecurityFrom(
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: 'hidden' },
      read,
    );
    expect(describeKafkaSecurity(security)).toBe('SASL_PLAINTEXT plain as svc');
  });
});
