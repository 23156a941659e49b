import { BlockList, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TargetPolicy } from '../target-policy';
import { guardedSocketFactory, kafkaFailure } from './kafka.connector';

describe('kafkaFailure', () => {
  it("types the broker's caller errors as validation_error, walking the retry wrapper", () => {
    const protocol = Object.assign(new Error('unknown'), {
      name: 'KafkaJSProtocolError',
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
    const wrapped = Object.assign(new Error('retries'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      originalError: protocol,
    });
    expect(kafkaFailure(wrapped, 'k')).toMatchObject({
      type: 'validation_error',
      message: 'k: UNKNOWN_TOPIC_OR_PARTITION',
    });
    expect(
      kafkaFailure(Object.assign(new Error('x'), { name: 'KafkaJSSASLAuthenticationError' }), 'k'),
    ).toMatchObject({ type: 'validation_error', message: 'k: SASL authentication failed' });
  });

  it('types timeouts and everything else as the target’s, naming no address', () => {
    expect(
      kafkaFailure(
        Object.assign(new Error('10.0.0.1:9092 slow'), { name: 'KafkaJSRequestTimeoutError' }),
        'k',
      ),
    ).toMatchObject({ type: 'timeout' });
    const down = kafkaFailure(
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9092'), {
        name: 'KafkaJSConnectionError',
      }),
      'k',
    );
    expect(down).toMatchObject({
      type: 'system_error',
      message: 'k failed: KafkaJSConnectionError',
    });
  });
});

describe('guardedSocketFactory', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const connect = (policy: TargetPolicy, host: string) =>
    new Promise<string>((resolve) => {
      const socket = guardedSocketFactory(policy)({
        host,
        port,
        ssl: false as never,
        onConnect: () => {
          socket.destroy();
          resolve('connected');
        },
      });
      socket.on('error', (error) => resolve(`${error.name}: ${error.message}`));
    });

  it('refuses a loopback broker (literal or by name) unless the operator allowed it', async () => {
    const closed = new TargetPolicy(new BlockList());
    expect(await connect(closed, '127.0.0.1')).toMatch(
      /^RefusedBrokerError: broker 127\.0\.0\.1 is an internal address/,
    );
    expect(await connect(closed, 'localhost')).toMatch(
      /RefusedBrokerError: broker localhost resolves to/,
    );
    const allowed = new BlockList();
    allowed.addSubnet('127.0.0.0', 8, 'ipv4');
    allowed.addAddress('::1', 'ipv6');
    expect(await connect(new TargetPolicy(allowed), '127.0.0.1')).toBe('connected');
    expect(await connect(new TargetPolicy(allowed), 'localhost')).toBe('connected');
  });
});
