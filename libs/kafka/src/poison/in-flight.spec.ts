import { HandlerTimeoutError, InFlight } from './in-flight';

describe('InFlight', () => {
  it('reports how long the oldest running invocation has run, and 0 when idle', async () => {
    let now = 1_000;
    const inFlight = new InFlight(() => now);
    expect(inFlight.stalledForMs()).toBe(0);

    let releaseFirst!: () => void;
    const first = inFlight.run(() => new Promise<void>((resolve) => (releaseFirst = resolve)), 0);
    now = 1_500;
    let releaseSecond!: () => void;
    const second = inFlight.run(() => new Promise<void>((resolve) => (releaseSecond = resolve)), 0);
    now = 2_000;
    expect(inFlight.stalledForMs()).toBe(1_000);
    expect(inFlight.stalledForMs(2_600)).toBe(1_600);

    releaseFirst();
    await first;
    // The older one is done: the younger, still running, is what counts now.
    expect(inFlight.stalledForMs()).toBe(500);
    releaseSecond();
    await second;
    expect(inFlight.stalledForMs()).toBe(0);
  });

  it('abandons an invocation that does not settle in time, and stops counting it', async () => {
    const inFlight = new InFlight();
    const hung = inFlight.run(() => new Promise<never>(() => undefined), 20);
    await expect(hung).rejects.toBeInstanceOf(HandlerTimeoutError);
    expect(inFlight.stalledForMs()).toBe(0);
  });

  it('passes results and errors through untouched', async () => {
    const inFlight = new InFlight();
    await expect(inFlight.run(async () => 42, 1_000)).resolves.toBe(42);
    await expect(
      inFlight.run(async () => {
        throw new Error('boom');
      }, 1_000),
    ).rejects.toThrow('boom');
    expect(inFlight.stalledForMs()).toBe(0);
  });
});
