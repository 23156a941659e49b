import { ErrorCodes, MessageTypes, Topics, type PlatformPingReply } from '@baton/contracts';

/** The five services behind the gateway and the command topic each answers on. */
export const PING_TARGETS: readonly { service: string; topic: string }[] = [
  { service: 'security-manager', topic: Topics.securityCommands },
  { service: 'agent-manager', topic: Topics.agentCommands },
  { service: 'workflow-engine', topic: Topics.workflowCommands },
  { service: 'integration-manager', topic: Topics.integrationCommands },
  { service: 'event-manager', topic: Topics.eventCommands },
];

/** Short on purpose: a service that takes longer than this to answer a no-op is not well. */
export const PING_TIMEOUT_MS = 3000;

export interface ServicePing {
  service: string;
  ok: boolean;
  round_trip_ms: number;
  /** Why it failed, in words that name no internals (no topic, no host). */
  error?: string;
}

export interface PlatformPingView {
  ok: boolean;
  round_trip_ms: number;
  services: ServicePing[];
}

export type SendPing = (topic: string, type: string, timeoutMs: number) => Promise<unknown>;

/**
 * Pings every service at once and waits for all (each bounded by the
 * timeout), so one silent service shows up by name instead of hiding the rest.
 */
export async function pingAll(
  send: SendPing,
  timeoutMs = PING_TIMEOUT_MS,
  now: () => number = () => performance.now(),
): Promise<PlatformPingView> {
  const started = now();
  const services = await Promise.all(
    PING_TARGETS.map(async ({ service, topic }): Promise<ServicePing> => {
      const sent = now();
      try {
        const reply = (await send(
          topic,
          MessageTypes.platformPing,
          timeoutMs,
        )) as PlatformPingReply;
        const elapsed = Math.round(now() - sent);
        // An answer from another service on that topic would mean a wiring mistake, not health.
        if (reply?.service !== service) {
          return {
            service,
            ok: false,
            round_trip_ms: elapsed,
            error: 'answered by another service',
          };
        }
        return { service, ok: true, round_trip_ms: elapsed };
      } catch (error) {
        const code = (error as { code?: string }).code;
        const reason =
          code === ErrorCodes.timeout ? `no answer within ${timeoutMs} ms` : 'failed to answer';
        return { service, ok: false, round_trip_ms: Math.round(now() - sent), error: reason };
      }
    }),
  );
  return {
    ok: services.every((s) => s.ok),
    round_trip_ms: Math.round(now() - started),
    services,
  };
}
