// @ts-check
'use strict';

// Configuration for a throwaway single-node KRaft broker on a developer machine: everything is
// sized for one node and tuned for fast startup and fast consumer-group joins, not durability.
const crypto = require('node:crypto');
const fs = require('node:fs');
const paths = require('./paths');
const { saslServerProperties } = require('./kafka-sasl');

const DEFAULT_PORT = 19092;

/** The client port; the KRaft controller listens on the next one. */
function kafkaPort() {
  const raw = process.env.BATON_KAFKA_PORT;
  if (!raw) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65534) {
    throw new Error(`BATON_KAFKA_PORT must be a port number below 65535, got "${raw}"`);
  }
  return port;
}

/** Properties files treat backslashes as escapes; forward slashes work on every OS. */
const propPath = (/** @type {string} */ p) => p.replace(/\\/g, '/');

/**
 * Whether the local broker runs with SASL/SCRAM and ACLs (opt-in): BATON_KAFKA_SECURITY=sasl.
 * @returns {'none' | 'sasl'}
 */
function kafkaSecurityMode() {
  const raw = process.env.BATON_KAFKA_SECURITY;
  if (!raw || raw === 'none') return 'none';
  if (raw === 'sasl') return 'sasl';
  throw new Error(`BATON_KAFKA_SECURITY must be none or sasl, got "${raw}"`);
}

/**
 * @param {number} port
 * @param {{ dataDir?: string, admin?: import('./kafka-sasl').Credential }} [opts] admin: SASL
 *   with ACLs, the admin being the one super user
 */
function serverProperties(port, { dataDir = paths.kafka.data, admin } = {}) {
  const host = '127.0.0.1';
  /** @type {Record<string, string | number | boolean>} */
  const props = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${host}:${port + 1}`,
    listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${port + 1}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': propPath(dataDir),

    // Topics are created explicitly by Baton; a typo must not silently create a new topic.
    'auto.create.topics.enable': false,
    'delete.topic.enable': true,
    'num.partitions': 3,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,

    // Internal topics: one replica, and fewer partitions than the defaults (50) so the first
    // consumer-group join and the first transactional producer do not wait for 50 leaders.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,

    // Consumers join immediately instead of waiting 3 s for more members, and tests may use
    // short session timeouts.
    'group.initial.rebalance.delay.ms': 0,
    'group.min.session.timeout.ms': 1000,

    // Small footprint: a dev broker does not need the production thread pools or a 128 MB
    // compaction buffer.
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'background.threads': 4,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,

    // Keep local disk usage bounded; dev data is disposable.
    'log.retention.hours': 24,
    'log.segment.bytes': 64 * 1024 * 1024,
    'log.retention.check.interval.ms': 300000,
    ...(admin ? saslServerProperties({ host, port, admin }) : {}),
  };
  const lines = Object.entries(props).map(([key, value]) => `${key}=${value}`);
  return `# Written by scripts/infra (regenerated on every start; edits are lost)\n${lines.join('\n')}\n`;
}

function log4jProperties(logDir = paths.kafka.logs) {
  const logFile = propPath(`${logDir}/server.log`);
  return [
    '# Written by scripts/infra: Kafka at INFO, everything else at WARN, into one rolling file.',
    'log4j.rootLogger=WARN, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.MaxFileSize=20MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    // Per-request and state-change traces are noise at INFO.
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.state.change.logger=WARN',
    '',
  ].join('\n');
}

/**
 * @param {number} port
 * @param {{ admin?: import('./kafka-sasl').Credential, dir?: { data: string, logs: string, serverProperties: string, log4jProperties: string } }} [opts]
 *   dir: where a second broker (a test's own) keeps its files; the Baton broker's by default
 */
function writeKafkaConfig(port, { admin, dir = paths.kafka } = {}) {
  fs.mkdirSync(dir.logs, { recursive: true });
  fs.mkdirSync(dir.data, { recursive: true });
  fs.writeFileSync(dir.serverProperties, serverProperties(port, { dataDir: dir.data, admin }), {
    mode: 0o600, // holds the admin's password in SASL mode
  });
  fs.writeFileSync(dir.log4jProperties, log4jProperties(dir.logs));
}

/**
 * A KRaft cluster id is a 16-byte UUID in unpadded base64url (22 chars). Kafka's own generator
 * skips ids starting with '-', which command-line parsers take for a flag; so do we. Generating
 * it here saves a JVM start.
 */
function newClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Client port in the server.properties of the last broker we started; it is only rewritten on
 * start, so it describes the broker that is running now.
 */
function writtenPort() {
  try {
    const text = fs.readFileSync(paths.kafka.serverProperties, 'utf8');
    const match = /^advertised\.listeners=(?:SASL_)?PLAINTEXT:\/\/[^:]+:(\d+)/m.exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The security mode of the last broker we started (its server.properties), like writtenPort().
 * @returns {'none' | 'sasl' | undefined}
 */
function writtenSecurityMode() {
  try {
    const text = fs.readFileSync(paths.kafka.serverProperties, 'utf8');
    const match = /^advertised\.listeners=(SASL_)?PLAINTEXT:/m.exec(text);
    if (!match) return undefined;
    return match[1] ? 'sasl' : 'none';
  } catch {
    return undefined;
  }
}

module.exports = {
  DEFAULT_PORT,
  kafkaPort,
  kafkaSecurityMode,
  writeKafkaConfig,
  writtenPort,
  writtenSecurityMode,
  newClusterId,
};
