export type CircuitState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial task may pass. */
  openMs: number;
}

export interface BreakerSnapshot {
  state: CircuitState;
  consecutive_failures: number;
  /** Epoch ms when an open circuit lets a trial through. */
  retry_at: number | null;
}

/**
 * A small, pure circuit breaker (time is passed in, so it is tested without
 * clocks): closed → open after N consecutive failures → half-open after
 * `openMs`, letting one trial through → closed on its success, open again on
 * its failure. A trial that never reports back frees the way after `openMs`.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialAt: number | null = null;

  constructor(private readonly options: BreakerOptions) {}

  /** Whether a new task may be sent now; in half-open this takes the single trial slot. */
  tryPass(now: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (now - this.openedAt < this.options.openMs) return false;
      this.state = 'half_open';
      this.trialAt = null;
    }
    if (this.trialAt !== null && now - this.trialAt < this.options.openMs) return false;
    this.trialAt = now;
    return true;
  }

  onSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.trialAt = null;
  }

  onFailure(now: number): void {
    this.failures++;
    if (this.state === 'half_open' || this.failures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = now;
      this.trialAt = null;
    }
  }

  snapshot(now: number): BreakerSnapshot {
    const state =
      this.state === 'open' && now - this.openedAt >= this.options.openMs
        ? 'half_open'
        : this.state;
    return {
      state,
      consecutive_failures: this.failures,
      retry_at: this.state === 'open' ? this.openedAt + this.options.openMs : null,
    };
  }
}
