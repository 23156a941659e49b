import { DomainError, ErrorCodes } from '@baton/contracts';
import { PING_TARGETS, pingAll, type SendPing } from './platform-ping';

const topicOf = (service: string) => PING_TARGETS.find((t) => t.service === service)!.topic;

describe('pingAll', () => {
  it('asks every service and reports each by name', async () => {
    const asked: string[] = [];
    const send: SendPing = async (topic) => {
      asked.push(topic);
      return { service: PING_TARGETS.find((t) => t.topic === topic)!.service };
    };
    const view = await pingAll(send);
    expect(asked.sort()).toEqual(PING_TARGETS.map((t) => t.topic).sort());
    expect(view.ok).toBe(true);
    expect(view.services.map((s) => s.service)).toEqual(PING_TARGETS.map((t) => t.service));
    expect(view.services.every((s) => s.ok && s.error === undefined)).toBe(true);
  });

  it('names the service that timed out, failed or was answered for by another', async () => {
    const send: SendPing = async (topic, _type, timeoutMs) => {
      if (topic === topicOf('workflow-engine')) {
        throw new DomainError(ErrorCodes.timeout, `no answer within ${timeoutMs} ms`);
      }
      if (topic === topicOf('event-manager')) throw new Error('connection reset by 10.1.2.3');
      if (topic === topicOf('agent-manager')) return { service: 'security-manager' };
      return { service: PING_TARGETS.find((t) => t.topic === topic)!.service };
    };
    const view = await pingAll(send, 500);
    expect(view.ok).toBe(false);
    const byName = Object.fromEntries(view.services.map((s) => [s.service, s]));
    expect(byName['workflow-engine']).toMatchObject({
      ok: false,
      error: 'no answer within 500 ms',
    });
    // The cause stays in the gateway: no address or internal message reaches the caller.
    expect(byName['event-manager']).toMatchObject({ ok: false, error: 'failed to answer' });
    expect(byName['agent-manager']).toMatchObject({
      ok: false,
      error: 'answered by another service',
    });
    expect(byName['security-manager'].ok).toBe(true);
  });

  it('measures each round trip on the clock it is given', async () => {
    let t = 0;
    const send: SendPing = async (topic) => {
      t += 7;
      return { service: PING_TARGETS.find((x) => x.topic === topic)!.service };
    };
    const view = await pingAll(send, 1000, () => t);
    expect(view.round_trip_ms).toBe(35);
  });
});
