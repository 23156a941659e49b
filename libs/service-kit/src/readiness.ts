/** Readiness conditions a service adds beyond Kafka and Postgres (e.g. its consumers joined). */
export class Readiness {
  private readonly checks = new Map<string, () => boolean>();

  register(name: string, isReady: () => boolean): void {
    this.checks.set(name, isReady);
  }

  notReady(): string[] {
    return [...this.checks].filter(([, isReady]) => !isReady()).map(([name]) => name);
  }
}
