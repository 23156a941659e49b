import type { KafkaMessage } from 'kafkajs';
import { ENVELOPE_JSON_LIMITS } from './envelope-limits';
import { decodeIngressEvent } from './ingress-event.decoder';
import { decodeJsonEnvelope, PermanentError } from './consumer-spec';

const deep = (levels: number) => `{"data":${'['.repeat(levels)}${']'.repeat(levels)}}`;
const kafkaMessage = (value: string) => ({ value: Buffer.from(value) }) as unknown as KafkaMessage;

describe('JSON limits on Kafka messages', () => {
  it('dead-letters an envelope nested past the limit, naming it, before JSON.parse', () => {
    expect(() => decodeJsonEnvelope(kafkaMessage(deep(10_000)))).toThrow(
      new PermanentError(
        `message value nests objects and arrays deeper than ${ENVELOPE_JSON_LIMITS.maxDepth} levels`,
      ),
    );
  });

  it('still decodes an envelope within the limits', () => {
    const envelope = {
      specversion: '1.0',
      id: 'm-1',
      type: 'baton.test',
      source: 'test',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      workspaceid: 'default',
      correlationid: 'c-1',
      data: JSON.parse(deep(100)) as unknown,
    };
    expect(decodeJsonEnvelope(kafkaMessage(JSON.stringify(envelope))).id).toBe('m-1');
  });

  it('refuses an ingress event nested past the limit as permanent', () => {
    expect(() =>
      decodeIngressEvent({ value: Buffer.from(deep(10_000)), headers: {}, timestamp: '0' }),
    ).toThrow(/message value nests objects and arrays deeper than 128 levels/);
  });
});
