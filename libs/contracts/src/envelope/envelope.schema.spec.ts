import { envelopeProblems } from './envelope.schema';

const valid = {
  specversion: '1.0',
  id: 'e-1',
  type: 'agent.task.result',
  source: 'agent/noop',
  time: '2026-11-24T10:00:00.000Z',
  datacontenttype: 'application/json',
  data: { ok: true },
  workspaceid: 'default',
  correlationid: 'c-1',
};

describe('envelopeProblems', () => {
  it('accepts a valid envelope, with unknown extension attributes and null optionals', () => {
    expect(envelopeProblems(valid)).toEqual([]);
    expect(envelopeProblems({ ...valid, subject: null, causationid: null, x_ext: 1 })).toEqual([]);
    expect(
      envelopeProblems({
        ...valid,
        traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
      }),
    ).toEqual([]);
  });

  it('names every field that breaks a rule', () => {
    const problems = envelopeProblems({
      ...valid,
      specversion: '0.3',
      type: 'has spaces',
      time: 'yesterday',
      workspaceid: 'Not A Slug',
      traceparent: 'nope',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "specversion: must be '1.0'",
        'type: must be a dotted event type',
        'time: must be an ISO 8601 timestamp',
        'workspaceid: must be a workspace slug',
        'traceparent: must be a W3C traceparent',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('reports missing attributes and a null data', () => {
    const { id: _id, correlationid: _c, ...rest } = valid;
    expect(envelopeProblems({ ...rest, data: null })).toEqual(
      expect.arrayContaining([
        'id: is required',
        'correlationid: is required',
        'data: must not be null',
      ]),
    );
  });

  it('rejects what is not an object, and over-long text', () => {
    expect(envelopeProblems([valid])).toEqual(['envelope: must be object']);
    expect(envelopeProblems({ ...valid, id: 'x'.repeat(201) })).toEqual([
      'id: must NOT have more than 200 characters',
    ]);
  });
});
