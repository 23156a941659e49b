// @ts-check
'use strict';

const { describePing } = require('./ping-check');

describe('describePing', () => {
  it('says ok with the round trip when every service answered', () => {
    const line = describePing({
      ok: true,
      round_trip_ms: 12,
      services: [{ service: 'workflow-engine', ok: true, round_trip_ms: 12 }],
    });
    expect(line).toBe('request/reply through every service: ok (12 ms)');
  });

  it('names each service that did not answer, and why', () => {
    const line = describePing({
      ok: false,
      round_trip_ms: 3000,
      services: [
        { service: 'security-manager', ok: true, round_trip_ms: 5 },
        {
          service: 'workflow-engine',
          ok: false,
          round_trip_ms: 3000,
          error: 'no answer within 3000 ms',
        },
        { service: 'event-manager', ok: false, round_trip_ms: 4, error: 'failed to answer' },
      ],
    });
    expect(line).toBe(
      'request/reply: no answer from workflow-engine (no answer within 3000 ms), event-manager (failed to answer)',
    );
  });
});
