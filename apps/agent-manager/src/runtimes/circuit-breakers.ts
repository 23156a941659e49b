import { DomainError, ErrorCodes } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, type BreakerSnapshot } from './circuit-breaker';

const OPTIONS = { failureThreshold: 5, openMs: 30_000 };

/**
 * One breaker per agent, fed by the results this replica consumes: an agent
 * that keeps failing (system errors, timeouts) gets no new invoke or submit
 * tasks for a while (503), and its state shows in stats and metrics.
 */
@Injectable()
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();

  private breaker(workspaceId: string, agent: string): CircuitBreaker {
    const key = `${workspaceId}/${agent}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(OPTIONS);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  assertClosed(workspaceId: string, agent: string): void {
    const breaker = this.breakers.get(`${workspaceId}/${agent}`);
    if (!breaker || breaker.tryPass(Date.now())) return;
    const snapshot = breaker.snapshot(Date.now());
    throw new DomainError(
      ErrorCodes.unavailable,
      `agent '${agent}' failed ${snapshot.consecutive_failures} times in a row: its circuit is open until ${new Date(snapshot.retry_at ?? Date.now()).toISOString()}`,
    );
  }

  record(workspaceId: string, agent: string, outcome: 'success' | 'failure'): void {
    const breaker = this.breaker(workspaceId, agent);
    if (outcome === 'success') breaker.onSuccess();
    else breaker.onFailure(Date.now());
  }

  snapshot(workspaceId: string, agent: string): BreakerSnapshot {
    return (
      this.breakers.get(`${workspaceId}/${agent}`)?.snapshot(Date.now()) ?? {
        state: 'closed',
        consecutive_failures: 0,
        retry_at: null,
      }
    );
  }

  all(): { workspaceId: string; agent: string; snapshot: BreakerSnapshot }[] {
    const now = Date.now();
    return [...this.breakers].map(([key, breaker]) => {
      const [workspaceId, agent] = key.split('/');
      return { workspaceId, agent, snapshot: breaker.snapshot(now) };
    });
  }
}
