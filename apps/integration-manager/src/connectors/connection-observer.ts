import type { ErrorType } from './connector';

export type CallOutcome = 'ok' | ErrorType;
export type ObservedBreakerState = 'closed' | 'half_open' | 'open';

/**
 * Told of every call and breaker change of a connection on this replica, so
 * the figures alert rules read (`scope: { connection }`, `breaker_open`) are
 * kept across replicas (ConnectionFiguresRecorder), not guessed from one.
 */
export interface ConnectionObserver {
  call(workspace: string, connection: string, outcome: CallOutcome, durationMs: number): void;
  /** `openUntil`: when an open breaker lets a trial call through (resetTimeout). */
  breaker(
    workspace: string,
    connection: string,
    state: ObservedBreakerState,
    openUntil: Date | null,
  ): void;
}
