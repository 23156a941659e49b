import { DomainError } from '@baton/contracts';
import {
  CompressionTypes,
  Kafka,
  logLevel,
  type ISocketFactory,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import { lookup } from 'node:dns';
import { isIP, Socket, connect as netConnect, type LookupFunction } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  OperationError,
  type ConnectionTarget,
  type Connector,
  type JsonSchema,
  type Operation,
  type OperationContext,
  type OperationResult,
  withinDeadline,
} from '../connector';
import type { TargetPolicy } from '../target-policy';

const BROKER = { type: 'string', pattern: '^[A-Za-z0-9.\\-\\[\\]:]{1,260}:[0-9]{1,5}$' };

const CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['brokers'],
  additionalProperties: false,
  properties: {
    brokers: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: BROKER,
      description: 'bootstrap brokers, host:port',
    },
    client_id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$', default: 'baton' },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: true },
        ca: { type: 'string', maxLength: 65_536, description: 'PEM: a private CA to trust' },
        cert: {
          type: 'string',
          maxLength: 65_536,
          description: 'PEM client certificate (its key is secrets.tls_key)',
        },
        servername: { type: 'string', maxLength: 253 },
      },
      description: 'TLS (server certificate always verified)',
    },
    sasl: {
      type: 'object',
      required: ['mechanism', 'username'],
      additionalProperties: false,
      properties: {
        mechanism: { enum: ['plain', 'scram-sha-256', 'scram-sha-512'] },
        username: { type: 'string', minLength: 1, maxLength: 256 },
      },
      description: 'its password is secrets.sasl_password',
    },
    compression: { enum: ['none', 'gzip'], default: 'none' },
    max_message_bytes: { type: 'integer', minimum: 1, maximum: 10 * 1024 * 1024, default: 1048576 },
  },
};

const PRODUCE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['topic', 'value'],
  additionalProperties: false,
  properties: {
    topic: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,249}$' },
    key: { type: ['string', 'null'], maxLength: 16_384 },
    value: { description: 'a string as it is; anything else as JSON' },
    headers: {
      type: 'object',
      maxProperties: 100,
      additionalProperties: { type: 'string', maxLength: 16_384 },
    },
    partition: { type: 'integer', minimum: 0, maximum: 100_000 },
  },
};

/** Broker errors the caller caused: the topic, the message, or the credentials. */
const CALLER_ERRORS = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'CORRUPT_MESSAGE',
  'INVALID_REQUIRED_ACKS',
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);

/**
 * Produces to a topic of an outside Kafka cluster. One kafkajs producer per
 * connection, connected on first use and disconnected when the connection
 * changes. Every broker socket (the bootstrap list and the brokers the
 * cluster advertises) goes through the target policy at connect time, so
 * metadata cannot steer Baton to an internal address the operator did not
 * allow. This is deliberately kafkajs itself, not @baton/kafka: the
 * platform's own bus and a tenant's cluster share nothing.
 */
export class KafkaConnector implements Connector {
  readonly kind = 'kafka';
  readonly description = 'Produce to an external Kafka cluster';
  readonly configSchema = CONFIG_SCHEMA;
  readonly secretFields = [
    { name: 'sasl_password', description: 'with config.sasl' },
    { name: 'tls_key', description: 'PEM private key of config.tls.cert' },
  ];
  readonly operations: ReadonlyMap<string, Operation>;
  private readonly producers = new Map<string, { kafka: Kafka; producer: Promise<Producer> }>();

  constructor(private readonly targets: TargetPolicy) {
    const produce: Operation = {
      name: 'produce',
      description: 'One record; output { topic, partition, offset }',
      inputSchema: PRODUCE_SCHEMA,
      // A second call appends a second record (a step retry is not deduplicated by the broker).
      idempotent: () => false,
      check: (input, connection) => {
        const size = recordValue(input.value).length + String(input.key ?? '').length;
        const limit = Number(connection.config.max_message_bytes ?? 1048576);
        if (size > limit) {
          throw new OperationError(
            'validation_error',
            `input.value is ${size} bytes, over max_message_bytes (${limit})`,
            null,
            undefined,
            'input.value',
          );
        }
      },
      execute: (context, input) => this.produce(context, input),
    };
    this.operations = new Map([[produce.name, produce]]);
  }

  async validateConfig(
    config: Record<string, unknown>,
    secrets: Record<string, string>,
  ): Promise<void> {
    const sasl = config.sasl as { mechanism: string } | undefined;
    if (sasl && !secrets.sasl_password) {
      throw DomainError.invalid('secrets.sasl_password', `is required by sasl ${sasl.mechanism}`);
    }
    const tls = config.tls as { cert?: string } | undefined;
    if (tls?.cert && !secrets.tls_key) {
      throw DomainError.invalid('secrets.tls_key', 'is required with config.tls.cert');
    }
    for (const [index, broker] of (config.brokers as string[]).entries()) {
      const { host, port } = splitBroker(broker);
      if (port < 1 || port > 65535)
        throw DomainError.invalid(`config.brokers.${index}`, 'has no valid port');
      const refused = await this.targets.refusal(host);
      if (refused)
        throw DomainError.invalid(`config.brokers.${index}`, `must not be internal: ${refused}`);
    }
  }

  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    const admin = this.client(context.connection).admin();
    try {
      await this.guard(context, () => admin.connect());
      const cluster = await this.guard(context, () => admin.describeCluster());
      return { reachable: true, brokers: cluster.brokers.length, cluster_id: cluster.clusterId };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async release(key: string): Promise<void> {
    const held = this.producers.get(key);
    this.producers.delete(key);
    const producer = await held?.producer.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((key) => this.release(key)));
  }

  private async produce(
    context: OperationContext,
    input: Record<string, unknown>,
  ): Promise<OperationResult> {
    const { connection } = context;
    const producer = await this.guard(context, () => this.producer(connection));
    const headers = {
      ...((input.headers as Record<string, string> | undefined) ?? {}),
      ...(context.task ? { 'x-baton-task-id': context.task.task_id } : {}),
    };
    const [record] = await this.guard(context, () =>
      producer.send({
        topic: String(input.topic),
        acks: -1, // the idempotent producer needs every in-sync replica
        timeout: Math.max(1000, context.timeoutMs),
        compression:
          connection.config.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: [
          {
            key: (input.key as string | null | undefined) ?? null,
            value: recordValue(input.value),
            headers,
            partition: input.partition as number | undefined,
          },
        ],
      }),
    );
    return {
      output: {
        topic: record?.topicName ?? input.topic,
        partition: record?.partition ?? null,
        offset: record?.baseOffset ?? record?.offset ?? null,
      },
    };
  }

  private producer(connection: ConnectionTarget): Promise<Producer> {
    const held = this.producers.get(connection.key);
    if (held) return held.producer;
    const kafka = this.client(connection);
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    const connected = producer.connect().then(() => producer);
    this.producers.set(connection.key, { kafka, producer: connected });
    // A producer that could not connect is dropped: the next call tries again.
    connected.catch(() => {
      if (this.producers.get(connection.key)?.producer === connected)
        this.producers.delete(connection.key);
      void producer.disconnect().catch(() => undefined);
    });
    return connected;
  }

  private client(connection: ConnectionTarget): Kafka {
    const { config, secrets } = connection;
    const tls = config.tls as
      { enabled?: boolean; ca?: string; cert?: string; servername?: string } | undefined;
    const sasl = config.sasl as { mechanism: string; username: string } | undefined;
    return new Kafka({
      clientId: String(config.client_id ?? 'baton'),
      brokers: config.brokers as string[],
      ssl:
        tls && tls.enabled !== false
          ? {
              rejectUnauthorized: true,
              ...(tls.ca ? { ca: [tls.ca] } : {}),
              ...(tls.cert ? { cert: tls.cert, key: secrets.tls_key } : {}),
              ...(tls.servername ? { servername: tls.servername } : {}),
            }
          : false,
      sasl: sasl
        ? ({
            mechanism: sasl.mechanism,
            username: sasl.username,
            password: secrets.sasl_password ?? '',
          } as SASLOptions)
        : undefined,
      connectionTimeout: 5000,
      requestTimeout: 10_000,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      socketFactory: guardedSocketFactory(this.targets),
      logLevel: logLevel.NOTHING,
    });
  }

  private guard<T>(context: OperationContext, work: () => Promise<T>): Promise<T> {
    const what = `kafka connection '${context.connection.name}'`;
    return withinDeadline(context.signal, what, work, (error) => kafkaFailure(error, what));
  }
}

/** A kafkajs error as an OperationError: the broker's error type when there is one, never addresses. */
export function kafkaFailure(error: unknown, what: string): OperationError {
  const chain: { name?: string; type?: string }[] = [];
  for (
    let e = error as
      { name?: string; type?: string; originalError?: unknown; cause?: unknown } | undefined;
    e && chain.length < 5;
    e = (e.originalError ?? e.cause) as typeof e
  ) {
    chain.push(e);
  }
  const type = chain.find((e) => typeof e.type === 'string')?.type;
  if (type && CALLER_ERRORS.has(type)) {
    return new OperationError('validation_error', `${what}: ${type}`);
  }
  if (chain.some((e) => e.name === 'KafkaJSSASLAuthenticationError')) {
    return new OperationError('validation_error', `${what}: SASL authentication failed`);
  }
  if (chain.some((e) => e.name === 'KafkaJSRequestTimeoutError' || e.name === 'KafkaJSTimeout')) {
    return new OperationError('timeout', `${what}: the broker did not answer in time`);
  }
  const refused = chain.find((e) => e.name === 'RefusedBrokerError') as Error | undefined;
  if (refused) return new OperationError('system_error', `${what}: ${refused.message}`);
  return new OperationError(
    'system_error',
    `${what} failed: ${type ?? chain[chain.length - 1]?.name ?? 'KafkaJSError'}`,
  );
}

class RefusedBrokerError extends Error {
  override name = 'RefusedBrokerError';
}

/**
 * kafkajs' socket factory, with every address checked by the target policy:
 * names through a lookup that refuses internal answers, literals before the
 * socket is made.
 */
export function guardedSocketFactory(targets: TargetPolicy): ISocketFactory {
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses;
      const refused = list.find((a) => targets.policy.refuses(a.address));
      if (refused || list.length === 0) {
        const reason = refused
          ? `broker ${hostname} resolves to ${refused.address}, ${targets.policy.what}`
          : `broker ${hostname} has no address`;
        return callback(new RefusedBrokerError(reason) as NodeJS.ErrnoException, '', 4);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
  return ({ host, port, ssl, onConnect }) => {
    const bare = host.replace(/^\[|\]$/g, '');
    if (isIP(bare) && targets.policy.refuses(bare)) {
      const socket = new Socket();
      process.nextTick(() =>
        socket.destroy(new RefusedBrokerError(`broker ${bare} is ${targets.policy.what}`)),
      );
      return socket;
    }
    const socket = ssl
      ? tlsConnect(
          {
            host: bare,
            port,
            lookup: guardedLookup,
            ...(!isIP(bare) ? { servername: bare } : {}),
            ...(ssl as object),
          },
          onConnect,
        )
      : netConnect({ host: bare, port, lookup: guardedLookup }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
}

function splitBroker(broker: string): { host: string; port: number } {
  const at = broker.lastIndexOf(':');
  return { host: broker.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(broker.slice(at + 1)) };
}

function recordValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}
