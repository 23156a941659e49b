// @ts-check
'use strict';

// SASL/SCRAM-SHA-512 with ACLs for a local broker (BATON_KAFKA_SECURITY=sasl, or a test's own
// broker). Passwords are generated once into a 0600 file under .cache and never printed: what is
// shown or recorded elsewhere is the file's path.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { InfraError } = require('./errors');
const { SERVICES } = require('../platform/services');

const MECHANISM = 'SCRAM-SHA-512';
const ADMIN = 'admin';

/** The principal of each service: User:baton-<service>. */
const serviceUser = (/** @type {string} */ service) => `baton-${service}`;

/** @typedef {{ username: string, password: string }} Credential */
/** @typedef {{ mechanism: 'scram-sha-512', admin: Credential, services: Record<string, Credential> }} Credentials */

const newPassword = () => crypto.randomBytes(24).toString('base64url');

/**
 * The admin's and every service's credentials, created on first use. They are bootstrapped into
 * the broker's metadata when its storage is formatted, so they must outlive the broker process;
 * removing the file without removing the data leaves users nobody knows the password of.
 * @param {string} file
 * @returns {Credentials}
 */
function ensureCredentials(file) {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  /** @type {Credentials} */
  const credentials = {
    mechanism: 'scram-sha-512',
    admin: { username: ADMIN, password: newPassword() },
    services: Object.fromEntries(
      SERVICES.map(({ name }) => [name, { username: serviceUser(name), password: newPassword() }]),
    ),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/** Properties files treat backslashes as escapes; JAAS values are quoted. */
const jaasQuote = (/** @type {string} */ s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Broker properties for SASL_PLAINTEXT clients with ACLs. The KRaft controller listener uses
 * SASL/PLAIN with only the admin defined in its JAAS entry: SCRAM users live in the metadata the
 * controller itself serves, so they cannot authenticate the broker to the controller, and a
 * PLAINTEXT controller listener would make its anonymous callers super users.
 * @param {{ host: string, port: number, admin: Credential }} opts
 */
function saslServerProperties({ host, port, admin }) {
  const user = jaasQuote(admin.username);
  const pass = jaasQuote(admin.password);
  return {
    listeners: `SASL_PLAINTEXT://${host}:${port},CONTROLLER://${host}:${port + 1}`,
    'advertised.listeners': `SASL_PLAINTEXT://${host}:${port}`,
    'inter.broker.listener.name': 'SASL_PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms': MECHANISM,
    'sasl.mechanism.inter.broker.protocol': MECHANISM,
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.sasl_plaintext.sasl.enabled.mechanisms': MECHANISM,
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username=${user} password=${pass};`,
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username=${user} password=${pass} user_${admin.username}=${pass};`,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${admin.username}`,
    'allow.everyone.if.no.acl.found': false,
  };
}

/**
 * `kafka-storage format` arguments that create the SCRAM users with the cluster, so the broker
 * accepts the admin, the services (and `extra` users, e.g. workspaces' workers) from its first start.
 * @param {Credentials} credentials
 * @param {Credential[]} [extra]
 */
function scramFormatArgs(credentials, extra = []) {
  return [credentials.admin, ...Object.values(credentials.services), ...extra].flatMap((c) => [
    '--add-scram',
    `${MECHANISM}=[name=${c.username},password=${c.password}]`,
  ]);
}

/**
 * kafkajs options for one credential.
 * @param {Credential} credential
 * @returns {{ mechanism: 'scram-sha-512', username: string, password: string }}
 */
const kafkajsSasl = (credential) => ({ mechanism: 'scram-sha-512', ...credential });

/**
 * Adds (or replaces) a SCRAM user on a running broker. kafkajs has no AlterUserScramCredentials
 * request, so this runs Kafka's own ConfigCommand as the admin. The admin's password reaches the
 * JVM in a 0600 file; the new user's is on its command line for the second it runs (ConfigCommand
 * takes SCRAM credentials no other way), so this is for a developer machine or a test, and
 * production issues credentials through its own Kafka tooling (README, "Kafka security").
 * @param {{ java: string, libs: string, workDir: string, brokers: string, admin: Credential, user: Credential }} opts
 */
function addScramUser({ java, libs, workDir, brokers, admin, user }) {
  fs.mkdirSync(workDir, { recursive: true });
  const adminConfig = path.join(workDir, `admin-client.${process.pid}.properties`);
  fs.writeFileSync(
    adminConfig,
    [
      'security.protocol=SASL_PLAINTEXT',
      `sasl.mechanism=${MECHANISM}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=${jaasQuote(admin.username)} password=${jaasQuote(admin.password)};`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  try {
    const run = spawnSync(
      java,
      [
        '-Xmx128m',
        '-cp',
        path.join(libs, '*'),
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        brokers,
        '--command-config',
        adminConfig,
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        user.username,
        '--add-config',
        `${MECHANISM}=[password=${user.password}]`,
      ],
      { encoding: 'utf8' },
    );
    if (run.error || run.status !== 0) {
      throw new InfraError(
        `could not add the SCRAM user ${user.username} (exit ${run.status ?? run.error?.message})`,
        `${run.stdout ?? ''}${run.stderr ?? ''}`.trim(),
      );
    }
  } finally {
    fs.rmSync(adminConfig, { force: true });
  }
}

module.exports = {
  MECHANISM,
  serviceUser,
  newPassword,
  ensureCredentials,
  saslServerProperties,
  scramFormatArgs,
  kafkajsSasl,
  addScramUser,
};
