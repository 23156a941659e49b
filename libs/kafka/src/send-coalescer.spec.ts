import { SendCoalescer } from './send-coalescer';

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('SendCoalescer', () => {
  it('sends alone when nothing is in flight', async () => {
    const sent: number[][] = [];
    const coalescer = new SendCoalescer<number>(async (items) => void sent.push(items));
    await coalescer.submit([1, 2]);
    expect(sent).toEqual([[1, 2]]);
  });

  it('sends what arrived during a request together, in order', async () => {
    const sent: number[][] = [];
    const first = deferred();
    const coalescer = new SendCoalescer<number>(async (items) => {
      sent.push(items);
      if (sent.length === 1) await first.promise;
    });
    const a = coalescer.submit([1]);
    const b = coalescer.submit([2]);
    const c = coalescer.submit([3, 4]);
    first.release();
    await Promise.all([a, b, c]);
    expect(sent).toEqual([[1], [2, 3, 4]]);
  });

  it('fails exactly the submissions of a failed request', async () => {
    const first = deferred();
    let calls = 0;
    const coalescer = new SendCoalescer<number>(async () => {
      calls++;
      if (calls === 1) return first.promise;
      if (calls === 2) throw new Error('broker down');
    });
    const a = coalescer.submit([1]);
    const b = coalescer.submit([2]);
    const c = coalescer.submit([3]);
    first.release();
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toThrow('broker down');
    await expect(c).rejects.toThrow('broker down');
    await expect(coalescer.submit([4])).resolves.toBeUndefined();
  });

  it('never splits one submission and caps a request at maxItemsPerSend', async () => {
    const sent: number[][] = [];
    const first = deferred();
    const coalescer = new SendCoalescer<number>(async (items) => {
      sent.push(items);
      if (sent.length === 1) await first.promise;
    }, 3);
    const pending = [
      coalescer.submit([0]),
      coalescer.submit([1, 2]),
      coalescer.submit([3, 4]),
      coalescer.submit([5]),
    ];
    first.release();
    await Promise.all(pending);
    expect(sent).toEqual([[0], [1, 2], [3, 4, 5]]);
  });

  it('fails only the submissions a partial failure names', async () => {
    const first = deferred();
    let sends = 0;
    const coalescer = new SendCoalescer<string>(
      async () => {
        if (++sends === 1) return first.promise;
        throw new Error('gone:b');
      },
      1000,
      (error, item) => (error as Error).message === `gone:${item}`,
    );
    const blocker = coalescer.submit(['x']);
    const a = coalescer.submit(['a']);
    const b = coalescer.submit(['b', 'c']);
    first.release();
    await blocker;
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toThrow('gone:b');
  });
});
