import { Slots } from './slots';

describe('Slots', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most `size` tasks at once, the rest in arrival order', async () => {
    const slots = new Slots(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const tasks = [0, 1, 2, 3].map((n) =>
      slots.run(async () => {
        started.push(n);
        await new Promise<void>((resolve) => (finish[n] = resolve));
        return n * 10;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    finish[1]();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    finish[0]();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    finish[2]();
    finish[3]();
    await expect(Promise.all(tasks)).resolves.toEqual([0, 10, 20, 30]);
  });

  it('frees the slot of a task that throws', async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
