import { Refreshing } from './refreshing';

/** A clock the test moves; sleeping moves it. */
function clock() {
  let t = 1_000;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** A value that counts its fetches (1, 2...), kept a minute, fetched again at most once a second. */
function counting() {
  const c = clock();
  let loads = 0;
  const value = new Refreshing(async () => ++loads, { maxAgeMs: 60_000, cooldownMs: 1_000, ...c });
  return { c, value };
}

describe('Refreshing', () => {
  it('shares one fetch between concurrent askers and keeps the value', async () => {
    const { c, value } = counting();
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([1, 1, 1]);
    c.advance(59_000);
    expect(await value.get()).toBe(1);
    c.advance(1_000);
    expect(await value.get()).toBe(2);
  });

  it('fetches again for an asker that needs a value newer than its own arrival, at most once per cooldown', async () => {
    const { c, value } = counting();
    expect(await value.get()).toBe(1);
    // An unknown kid 10 ms after a fetch waits out the cooldown, then sees a new fetch.
    c.advance(10);
    expect(await value.fresh()).toBe(2);
    expect(c.now()).toBe(2_000);
    // Many askers at once: one fetch.
    c.advance(5_000);
    expect(await Promise.all([value.fresh(), value.fresh(), value.fresh()])).toEqual([3, 3, 3]);
  });

  it('keeps answering the last value while fetching fails, and fails when there is none', async () => {
    const c = clock();
    let fail = true;
    const value = new Refreshing(
      async () => {
        if (fail) throw new Error('security-manager did not answer');
        return 'keys';
      },
      { maxAgeMs: 10_000, cooldownMs: 1_000, ...c },
    );
    await expect(value.get()).rejects.toThrow('did not answer');
    fail = false;
    c.advance(1_000);
    expect(await value.get()).toBe('keys');
    fail = true;
    c.advance(20_000);
    expect(await value.get()).toBe('keys');
    await expect(value.fresh()).rejects.toThrow('did not answer');
  });
});
