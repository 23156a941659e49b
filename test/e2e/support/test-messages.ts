import { createEnvelope } from '@baton/contracts';
import { BatonKafka, type OutgoingMessage } from '@baton/kafka';
import { adminSecurity, platformState } from './platform';

/** A BatonKafka of the test's own, connected to the platform's broker. */
export async function connectedBatonKafka(clientId: string): Promise<BatonKafka> {
  const batonKafka = new BatonKafka({
    brokers: platformState().kafkaBrokers.split(','),
    clientId,
    security: adminSecurity(),
  });
  await batonKafka.connect();
  return batonKafka;
}

/** A numbered `test.ping` envelope for `topic`, all under one key (so in one partition, in order). */
export function ping(topic: string, n: number): OutgoingMessage {
  return {
    topic,
    key: 'k',
    envelope: createEnvelope({
      type: 'test.ping',
      source: 'test',
      data: { n },
      workspaceId: 'default',
    }),
  };
}
