import { PermanentError } from '@baton/kafka';
import type { KafkaMessage } from 'kafkajs';
import {
  decodeIngressEvent,
  decodePlatformEvent,
  hasUnstorableEscape,
  isRfc3339,
  type RawEventMessage,
} from './event.decoder';

const KAFKA_TIME = String(Date.parse('2024-05-01T12:00:00.000Z'));

function structured(event: unknown, headers: RawEventMessage['headers'] = {}): RawEventMessage {
  const value = typeof event === 'string' ? event : JSON.stringify(event);
  return { value: Buffer.from(value), headers, timestamp: KAFKA_TIME };
}

function binary(data: string | null, headers: Record<string, string>): RawEventMessage {
  return { value: data === null ? null : Buffer.from(data), headers, timestamp: KAFKA_TIME };
}

function reason(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(PermanentError);
    return (error as Error).message;
  }
  throw new Error('expected a PermanentError');
}

const minimal = { specversion: '1.0', id: 'e-1', source: 'shop', type: 'order.created' };

describe('decodeIngressEvent, structured mode', () => {
  it('fills Baton defaults and keeps what the producer sent', () => {
    const envelope = decodeIngressEvent(
      structured({ ...minimal, workspaceid: 'default', data: { total: 3 }, priority: 'high' }),
    );
    expect(envelope).toEqual({
      ...minimal,
      workspaceid: 'default',
      time: '2024-05-01T12:00:00.000Z',
      correlationid: 'e-1',
      datacontenttype: 'application/json',
      data: { total: 3 },
      priority: 'high',
    });
  });

  it('keeps the given time, subject, correlation and causation', () => {
    const envelope = decodeIngressEvent(
      structured({
        ...minimal,
        workspaceid: 'acme',
        time: '2024-01-02T03:04:05.678+02:00',
        subject: 'order-9',
        correlationid: 'c-1',
        causationid: 'e-0',
        datacontenttype: 'application/vnd.shop+json',
      }),
    );
    expect(envelope).toMatchObject({
      time: '2024-01-02T03:04:05.678+02:00',
      subject: 'order-9',
      correlationid: 'c-1',
      causationid: 'e-0',
      datacontenttype: 'application/vnd.shop+json',
    });
  });

  it('takes the workspace from the baton-workspace header when the event has none', () => {
    expect(
      decodeIngressEvent(structured(minimal, { 'baton-workspace': Buffer.from('acme') }))
        .workspaceid,
    ).toBe('acme');
  });

  it('prefers the workspaceid attribute over the header', () => {
    const message = structured(
      { ...minimal, workspaceid: 'default' },
      { 'baton-workspace': 'acme' },
    );
    expect(decodeIngressEvent(message).workspaceid).toBe('default');
  });

  it('accepts an event without data', () => {
    const envelope = decodeIngressEvent(structured({ ...minimal, workspaceid: 'default' }));
    expect(envelope.data).toBeUndefined();
    expect(JSON.parse(JSON.stringify(envelope))).not.toHaveProperty('data');
  });

  it('treats null and empty optional attributes as absent', () => {
    const envelope = decodeIngressEvent(
      structured({ ...minimal, workspaceid: 'default', subject: null, correlationid: '' }),
    );
    expect(envelope.subject).toBeUndefined();
    expect(envelope.correlationid).toBe('e-1');
  });

  it('rejects a message without a workspace', () => {
    expect(reason(() => decodeIngressEvent(structured(minimal)))).toMatch(/^missing workspaceid/);
  });

  it('rejects a workspace that is not a slug', () => {
    expect(
      reason(() => decodeIngressEvent(structured({ ...minimal, workspaceid: 'Not A Slug' }))),
    ).toMatch(/invalid workspaceid/);
  });

  it('rejects a value that is not JSON', () => {
    expect(reason(() => decodeIngressEvent(structured('hello, world')))).toBe('value is not JSON');
  });

  it('rejects JSON that is not an object', () => {
    expect(reason(() => decodeIngressEvent(structured([minimal])))).toMatch(/not a CloudEvent/);
    expect(reason(() => decodeIngressEvent(structured('42')))).toMatch(/not a CloudEvent/);
  });

  it('rejects an empty value', () => {
    expect(reason(() => decodeIngressEvent({ value: null, timestamp: KAFKA_TIME }))).toBe(
      'message has no value',
    );
  });

  it('requires specversion 1.0', () => {
    const { specversion: _specversion, ...rest } = minimal;
    expect(
      reason(() => decodeIngressEvent(structured({ ...rest, workspaceid: 'default' }))),
    ).toMatch(/missing specversion/);
    expect(
      reason(() =>
        decodeIngressEvent(structured({ ...minimal, specversion: '0.3', workspaceid: 'default' })),
      ),
    ).toMatch(/unsupported specversion "0.3"/);
  });

  it.each(['id', 'source', 'type'])('requires %s', (name) => {
    const event: Record<string, unknown> = { ...minimal, workspaceid: 'default' };
    delete event[name];
    expect(reason(() => decodeIngressEvent(structured(event)))).toBe(`missing ${name}`);
  });

  it('rejects attributes that are not strings or are too long', () => {
    expect(
      reason(() => decodeIngressEvent(structured({ ...minimal, id: 7, workspaceid: 'default' }))),
    ).toBe('id must be a string');
    expect(
      reason(() =>
        decodeIngressEvent(structured({ ...minimal, id: 'x'.repeat(201), workspaceid: 'default' })),
      ),
    ).toMatch(/id is longer than 200/);
  });

  it('rejects a time Postgres would not take', () => {
    for (const time of ['yesterday', '2024-02-30T00:00:00Z', '2024-01-01']) {
      expect(
        reason(() => decodeIngressEvent(structured({ ...minimal, workspaceid: 'default', time }))),
      ).toMatch(/not an RFC 3339 timestamp/);
    }
  });

  it('falls back to the current time when Kafka has no timestamp', () => {
    const envelope = decodeIngressEvent({
      ...structured({ ...minimal, workspaceid: 'a' }),
      timestamp: '-1',
    });
    expect(Math.abs(Date.parse(envelope.time) - Date.now())).toBeLessThan(5_000);
  });

  it('rejects data that Postgres cannot store in jsonb', () => {
    const event = `{"specversion":"1.0","id":"e","source":"s","type":"t","workspaceid":"a","data":"x\\u0000y"}`;
    expect(reason(() => decodeIngressEvent(structured(event)))).toMatch(/cannot be stored/);
  });
});

describe('decodeIngressEvent, binary mode', () => {
  const headers = {
    ce_specversion: '1.0',
    ce_id: 'b-1',
    ce_source: 'erp',
    ce_type: 'invoice.paid',
    ce_workspaceid: 'default',
  };

  it('reads attributes from ce_* headers and data from the value', () => {
    const envelope = decodeIngressEvent(
      binary('{"amount":10}', {
        ...headers,
        ce_subject: 'inv-1',
        ce_time: '2024-03-01T00:00:00Z',
        ce_tenant: 'x',
      }),
    );
    expect(envelope).toEqual({
      specversion: '1.0',
      id: 'b-1',
      source: 'erp',
      type: 'invoice.paid',
      subject: 'inv-1',
      time: '2024-03-01T00:00:00Z',
      workspaceid: 'default',
      correlationid: 'b-1',
      datacontenttype: 'application/json',
      data: { amount: 10 },
      tenant: 'x',
    });
  });

  it('takes datacontenttype from content-type and the workspace from baton-workspace', () => {
    const { ce_workspaceid: _ws, ...rest } = headers;
    const envelope = decodeIngressEvent(
      binary('1', {
        ...rest,
        'content-type': 'application/json; charset=utf-8',
        'baton-workspace': 'acme',
      }),
    );
    expect(envelope).toMatchObject({
      workspaceid: 'acme',
      datacontenttype: 'application/json; charset=utf-8',
      data: 1,
    });
  });

  it('accepts an empty value as an event without data', () => {
    expect(decodeIngressEvent(binary(null, headers)).data).toBeUndefined();
  });

  it('rejects a value that is not JSON', () => {
    expect(reason(() => decodeIngressEvent(binary('<xml/>', headers)))).toBe('value is not JSON');
  });

  it('rejects an event without a workspace', () => {
    const { ce_workspaceid: _ws, ...rest } = headers;
    expect(reason(() => decodeIngressEvent(binary('{}', rest)))).toMatch(/^missing workspaceid/);
  });
});

describe('decodePlatformEvent', () => {
  const envelope = {
    ...minimal,
    time: '2024-05-01T12:00:00.000Z',
    datacontenttype: 'application/json',
    data: {},
    workspaceid: 'default',
    correlationid: 'e-1',
  };
  const message = (value: unknown) =>
    ({
      value: Buffer.from(JSON.stringify(value)),
      timestamp: KAFKA_TIME,
    }) as unknown as KafkaMessage;

  it('accepts a Baton envelope', () => {
    expect(decodePlatformEvent(message(envelope))).toMatchObject(envelope);
  });

  it('is strict where ingress is lenient', () => {
    const { workspaceid: _ws, ...rest } = envelope;
    expect(reason(() => decodePlatformEvent(message(rest)))).toMatch(/invalid envelope/);
  });
});

describe('isRfc3339', () => {
  it.each([
    '2024-05-01T12:00:00Z',
    '2024-05-01T12:00:00.123456Z',
    '2024-02-29T00:00:00+01:00',
    '2000-02-29T23:59:59-05:30',
    '2024-05-01t12:00:00z',
  ])('accepts %s', (value) => expect(isRfc3339(value)).toBe(true));

  it.each([
    '2024-05-01',
    '2024-05-01 12:00:00Z',
    '2023-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T12:00:60Z',
    '2024-05-01T12:00:00',
  ])('rejects %s', (value) => expect(isRfc3339(value)).toBe(false));
});

describe('hasUnstorableEscape', () => {
  it.each(['{"a":"plain"}', '{"a":"\\ud83d\\ude00"}', '{"a":"\\\\u0000"}', '{"a":"\\n\\u00e9"}'])(
    'accepts %s',
    (json) => expect(hasUnstorableEscape(json)).toBe(false),
  );

  it.each([
    '{"a":"\\u0000"}',
    '{"a":"\\\\\\u0000"}',
    '{"a":"\\ud83d"}',
    '{"a":"\\ud83dx\\ude00"}',
    '{"a":"\\ude00"}',
    '{"a":"\\ud83d\\ud83d"}',
  ])('rejects %s', (json) => expect(hasUnstorableEscape(json)).toBe(true));
});
