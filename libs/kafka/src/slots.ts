/** At most `size` tasks at once; the others wait their turn in arrival order. */
export class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so `busy` never drops in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}
