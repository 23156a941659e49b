import { DomainError, ErrorCodes, Headers, type Envelope } from '@baton/contracts';
import type { EachMessagePayload } from 'kafkajs';
import type { BatonKafka, OutgoingMessage } from './index';
import { RequestClient } from './request-client';

/**
 * A Kafka stand-in just big enough for the reply path: the "service" answers
 * each request on the reply topic before the producer's send has resolved,
 * the order a fast error reply can take on a busy machine.
 */
function kafkaAnsweringBeforeTheSendReturns(answer: (request: Envelope) => unknown) {
  let deliver: ((payload: EachMessagePayload) => Promise<void>) | undefined;
  const consumer = {
    // The first fetch comes back at once; the consumer never crashes.
    on: (event: string, listener: () => void) => {
      if (event === 'fetch') listener();
    },
    events: { FETCH: 'fetch', CRASH: 'crash' },
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (config: { eachMessage: (payload: EachMessagePayload) => Promise<void> }) => {
      deliver = config.eachMessage;
    },
    disconnect: async () => undefined,
  };
  return {
    kafka: { consumer: () => consumer, admin: () => ({ connect: async () => undefined }) },
    publish: async (messages: OutgoingMessage[]) => {
      for (const message of messages) {
        const requestId = String(message.headers?.[Headers.requestId]);
        const reply = { data: answer(message.envelope) };
        await deliver!({
          message: {
            headers: { [Headers.requestId]: Buffer.from(requestId) },
            value: Buffer.from(JSON.stringify(reply)),
          },
        } as unknown as EachMessagePayload);
      }
      // The broker's acknowledgement comes after the reply was handled.
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
  } as unknown as BatonKafka;
}

describe('RequestClient', () => {
  it('hands a fast error reply to the caller without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const client = new RequestClient(
        kafkaAnsweringBeforeTheSendReturns(() => ({
          ok: false,
          error: new DomainError(ErrorCodes.validation, 'max_age: not a duration').toPayload(),
        })),
        'baton.replies.test',
      );
      await client.start();
      await expect(
        client.request(
          'baton.event.commands',
          'baton.retention.create',
          {},
          {
            source: 'test',
            workspaceId: 'default',
          },
        ),
      ).rejects.toMatchObject({ code: ErrorCodes.validation });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('resolves with the result of an ok reply', async () => {
    const client = new RequestClient(
      kafkaAnsweringBeforeTheSendReturns((request) => ({
        ok: true,
        result: { echo: request.type },
      })),
      'baton.replies.test',
    );
    await client.start();
    await expect(
      client.request('t', 'baton.thing.get', {}, { source: 'test', workspaceId: 'default' }),
    ).resolves.toEqual({ echo: 'baton.thing.get' });
  });
});
