/** True when ready; false, or the reason, when not. */
export type ReadinessCheck = () => boolean | string;

/** Something a service waits on (a consumer that has not joined, a stuck handler) and why. */
export interface NotReady {
  check: string;
  reason: string;
}

/** Readiness conditions a service adds beyond Kafka and Postgres (e.g. its consumers joined). */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** What is not ready, with the reason each gave (for the service's own log, not the answer). */
  problems(): NotReady[] {
    const problems: NotReady[] = [];
    for (const [check, isReady] of this.checks) {
      const answer = isReady();
      if (answer === true) continue;
      problems.push({ check, reason: answer === false ? 'not ready' : answer });
    }
    return problems;
  }

  notReady(): string[] {
    return this.problems().map((problem) => problem.check);
  }
}
