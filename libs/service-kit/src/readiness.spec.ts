import { Readiness, type ConsumerProgress } from './readiness';

function consumer(state: Partial<{ joined: boolean; stalled: number; behind: number }>) {
  const progress: ConsumerProgress = {
    get isJoined() {
      return state.joined ?? true;
    },
    stalledForMs: () => state.stalled ?? 0,
    behindForMs: () => state.behind ?? 0,
  };
  return progress;
}

describe('Readiness of consumers', () => {
  const readiness = () => new Readiness({ stallMs: 30_000, behindMs: 15_000 });

  it('is ready while joined, unstuck and keeping up', () => {
    const r = readiness();
    r.registerConsumer('commands', consumer({}));
    expect(r.problems()).toEqual([]);
  });

  it('names each reason a consumer is not ready', () => {
    const r = readiness();
    r.registerConsumer('a', consumer({ joined: false }));
    r.registerConsumer('b', consumer({ stalled: 31_000 }));
    r.registerConsumer('c', consumer({ behind: 20_000 }));
    expect(r.problems()).toEqual([
      { check: 'a', reason: 'not in its consumer group' },
      { check: 'b', reason: 'a handler has run for 31 s' },
      { check: 'c', reason: "handling requests 20 s old, past their requesters' timeout" },
    ]);
    expect(r.notReady()).toEqual(['a', 'b', 'c']);
  });

  it('is ready again once the consumer recovers', () => {
    const r = readiness();
    const state = { stalled: 40_000 };
    r.registerConsumer('x', consumer(state));
    expect(r.notReady()).toEqual(['x']);
    state.stalled = 0;
    expect(r.notReady()).toEqual([]);
  });
});
