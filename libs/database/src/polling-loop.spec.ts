import { PollingLoop } from './polling-loop';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PollingLoop', () => {
  it('runs rounds back to back while they find work, then pauses', async () => {
    let rounds = 0;
    const loop = new PollingLoop({
      round: async () => ++rounds <= 3,
      intervalMs: 10_000,
      onError: () => undefined,
    });
    loop.start();
    await sleep(50);
    await loop.stop();
    // three rounds with work, one that found none, then the long pause
    expect(rounds).toBe(4);
  });

  it('starts a round at once when woken during the pause', async () => {
    let rounds = 0;
    const loop = new PollingLoop({
      round: async () => {
        rounds++;
        return false;
      },
      intervalMs: 10_000,
      onError: () => undefined,
    });
    loop.start();
    await sleep(20);
    loop.wake();
    await sleep(20);
    await loop.stop();
    expect(rounds).toBe(2);
  });

  it('reports failures with their count and keeps going', async () => {
    const failures: number[] = [];
    let rounds = 0;
    const loop = new PollingLoop({
      round: async () => {
        rounds++;
        if (rounds <= 2) throw new Error(`round ${rounds} failed`);
        return false;
      },
      intervalMs: 1,
      onError: (_error, count) => failures.push(count),
    });
    loop.start();
    // backoff after two failures: 200 ms then 400 ms
    await sleep(1_500);
    await loop.stop();
    expect(failures).toEqual([1, 2]);
    expect(rounds).toBeGreaterThanOrEqual(3);
  });

  it('waits for the round in progress when stopped, and waits an interval first when asked', async () => {
    const events: string[] = [];
    const loop = new PollingLoop({
      round: async () => {
        events.push('round started');
        await sleep(30);
        events.push('round ended');
        return true;
      },
      intervalMs: 20,
      onError: () => undefined,
      delayFirstRound: true,
    });
    loop.start();
    await sleep(5);
    expect(events).toEqual([]);
    while (events.length === 0) await sleep(5);
    expect(loop.isRunning).toBe(true);
    await loop.stop();
    expect(loop.isRunning).toBe(false);
    expect(events).toEqual(['round started', 'round ended']);
  });
});
