import { createHash, timingSafeEqual } from 'node:crypto';

/** How far above PORT the metrics port is when METRICS_PORT is not set. */
export const METRICS_PORT_OFFSET = 6000;

/** The port /metrics is served on, or undefined when it has none (METRICS_PORT=0, or PORT too high). */
export function metricsPortOf(env: { PORT: number; METRICS_PORT?: number }): number | undefined {
  const port = env.METRICS_PORT ?? env.PORT + METRICS_PORT_OFFSET;
  return port > 0 && port <= 65535 && port !== env.PORT ? port : undefined;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether a request for /metrics may have them: always when no token is set
 * (the metrics port is then the boundary), else only with the bearer token.
 * Compared in constant time, on digests so the lengths leak nothing either.
 */
export function metricsAllowed(
  authorization: string | undefined,
  token: string | undefined,
): boolean {
  if (!token) return true;
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!presented) return false;
  return timingSafeEqual(digest(presented), digest(token));
}
