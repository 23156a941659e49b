import { api, eventually, platformState } from './support/platform';

interface PingView {
  ok: boolean;
  round_trip_ms: number;
  services: { service: string; ok: boolean; round_trip_ms: number; error?: string }[];
}

const BACKEND = [
  'security-manager',
  'agent-manager',
  'workflow-engine',
  'integration-manager',
  'event-manager',
];

describe('GET /v1/platform/ping: a no-op request/reply through every service', () => {
  it('answers for all five services behind the gateway', async () => {
    // Right after start a command consumer may still be settling its group; ping until all answer.
    const response = await eventually(async () => {
      const result = await api<PingView>('GET', '/v1/platform/ping');
      return result.status === 200 ? result : undefined;
    });
    expect(response.body.ok).toBe(true);
    expect(response.body.services.map((s) => s.service).sort()).toEqual([...BACKEND].sort());
    for (const service of response.body.services) {
      expect(service).toEqual({
        service: service.service,
        ok: true,
        round_trip_ms: expect.any(Number),
      });
    }
    expect(response.body.round_trip_ms).toEqual(expect.any(Number));
  });

  it('names the service that does not answer, with 503, and the others still answer', async () => {
    // SIGSTOP freezes integration-manager like a hung event loop: its consumer stays in
    // the group (a few seconds is far below the session timeout) but answers nothing.
    const frozen = platformState().services.find((s) => s.name === 'integration-manager')!;
    process.kill(frozen.pid, 'SIGSTOP');
    let response;
    try {
      response = await api<PingView>('GET', '/v1/platform/ping');
    } finally {
      process.kill(frozen.pid, 'SIGCONT');
    }
    expect(response.status).toBe(503);
    expect(response.body.ok).toBe(false);
    const byName = Object.fromEntries(response.body.services.map((s) => [s.service, s]));
    expect(byName['integration-manager']).toEqual({
      service: 'integration-manager',
      ok: false,
      round_trip_ms: expect.any(Number),
      error: 'no answer within 3000 ms',
    });
    for (const name of BACKEND.filter((n) => n !== 'integration-manager')) {
      expect(byName[name].ok).toBe(true);
    }
    // Thawed, it answers again: the ping it missed was answered late and dropped.
    await eventually(async () => {
      const again = await api<PingView>('GET', '/v1/platform/ping');
      return again.status === 200 ? again : undefined;
    });
  });

  it('requires an API key, like every /v1 route', async () => {
    const anonymous = await api('GET', '/v1/platform/ping', { apiKey: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toContain('application/problem+json');
    const wrong = await api('GET', '/v1/platform/ping', {
      apiKey: 'bk_not_a_key_anyone_was_given_0000',
    });
    expect(wrong.status).toBe(401);
  });
});
