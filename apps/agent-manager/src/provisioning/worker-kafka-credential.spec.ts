import {
  podWorkerKafkaEnv,
  processWorkerKafkaEnv,
  WORKER_KAFKA_ENV,
  workerSecretName,
} from './worker-kafka-credential';

describe('a provisioned worker’s Kafka credential', () => {
  const dir = '/var/lib/baton/kafka-workers';
  const present = new Set([`${dir}/acme.password`]);
  const exists = (path: string) => present.has(path);

  it('is nothing on a PLAINTEXT broker', () => {
    expect(processWorkerKafkaEnv({}, 'acme', exists)).toEqual({ ok: true, env: {} });
    expect(podWorkerKafkaEnv({}, 'acme')).toEqual([]);
  });

  it("is the workspace's own principal and password file on a SASL broker", () => {
    expect(
      processWorkerKafkaEnv(
        { saslMechanism: 'scram-sha-512', credentialsDir: dir },
        'acme',
        exists,
      ),
    ).toEqual({
      ok: true,
      env: {
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'baton-worker-acme',
        KAFKA_SASL_PASSWORD_FILE: `${dir}/acme.password`,
      },
    });
  });

  it('refuses to start a worker whose workspace has no credential, saying how to issue one', () => {
    const missing = processWorkerKafkaEnv(
      { saslMechanism: 'scram-sha-512', credentialsDir: dir },
      'other',
      exists,
    );
    expect(missing).toMatchObject({ ok: false });
    expect(!missing.ok && missing.reason).toContain('npm run kafka:acls -- --worker other');
    expect(processWorkerKafkaEnv({ saslMechanism: 'scram-sha-512' }, 'acme', exists)).toMatchObject(
      { ok: false, reason: expect.stringContaining('AGENT_WORKER_KAFKA_CREDENTIALS_DIR') },
    );
  });

  it('never builds a path from something that is not a workspace slug', () => {
    const crafted = processWorkerKafkaEnv(
      { saslMechanism: 'scram-sha-512', credentialsDir: dir },
      '../acme',
      () => true,
    );
    expect(crafted).toMatchObject({ ok: false });
  });

  it("passes the broker's TLS trust on, not agent-manager's client certificate", () => {
    const result = processWorkerKafkaEnv(
      { tls: 'true', tlsCaFile: '/etc/kafka/ca.pem', tlsRejectUnauthorized: 'true' },
      'acme',
      exists,
    );
    expect(result).toEqual({
      ok: true,
      env: {
        KAFKA_TLS: 'true',
        KAFKA_TLS_CA_FILE: '/etc/kafka/ca.pem',
        KAFKA_TLS_REJECT_UNAUTHORIZED: 'true',
      },
    });
  });

  it('gives a pod the password from its workspace Secret, never a value', () => {
    expect(podWorkerKafkaEnv({ saslMechanism: 'scram-sha-512' }, 'acme')).toEqual([
      { name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' },
      { name: 'KAFKA_SASL_USERNAME', value: 'baton-worker-acme' },
      {
        name: 'KAFKA_SASL_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'baton-worker-acme-kafka', key: 'password' } },
      },
    ]);
    // A DNS subdomain even for a slug that ends in a dash.
    expect(workerSecretName('acme-')).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it("names the variables an agent's own env may not set", () => {
    for (const name of [
      'KAFKA_SASL_PASSWORD_FILE',
      'KAFKA_SASL_USERNAME',
      'KAFKA_TLS',
      'KAFKA_TLS_CA_FILE',
    ]) {
      expect(WORKER_KAFKA_ENV.test(name)).toBe(true);
    }
    expect(WORKER_KAFKA_ENV.test('KAFKA_BROKERS')).toBe(false);
    expect(WORKER_KAFKA_ENV.test('KAFKA_TLSX')).toBe(false);
  });
});
