import { readIngressEvent } from './ingress-event.reader';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('readIngressEvent', () => {
  it('reads a structured CloudEvent', () => {
    expect(
      readIngressEvent({
        value: json({
          specversion: '1.0',
          id: 'e1',
          type: 'order.approved',
          source: 'shop',
          subject: 'order-7',
          workspaceid: 'default',
          correlationid: 'c-1',
          data: { by: 'ada' },
        }),
      }),
    ).toEqual({
      id: 'e1',
      type: 'order.approved',
      workspaceId: 'default',
      subject: 'order-7',
      correlationId: 'c-1',
      data: { by: 'ada' },
    });
  });

  it('reads a binary-mode CloudEvent with the workspace header', () => {
    expect(
      readIngressEvent({
        value: json({ ok: true }),
        headers: {
          ce_specversion: Buffer.from('1.0'),
          ce_id: Buffer.from('e2'),
          ce_type: Buffer.from('payment.settled'),
          ce_subject: Buffer.from('p-1'),
          'baton-workspace': Buffer.from('acme'),
        },
      }),
    ).toEqual({
      id: 'e2',
      type: 'payment.settled',
      workspaceId: 'acme',
      subject: 'p-1',
      correlationId: undefined,
      data: { ok: true },
    });
  });

  it('ignores what is not an event with an id, a type and a workspace', () => {
    expect(readIngressEvent({ value: Buffer.from('not json') })).toBeUndefined();
    expect(readIngressEvent({ value: json({ id: 'x', type: 't' }) })).toBeUndefined();
    expect(readIngressEvent({ value: json([1, 2]) })).toBeUndefined();
  });
});
