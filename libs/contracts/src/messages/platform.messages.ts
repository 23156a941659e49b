import { OptionalText } from '../fields';

/**
 * A no-op request/reply answered by every service's command server: proof
 * that the whole path (topic, consumer group, handler, reply topic) works,
 * which /health/ready on each service cannot show on its own.
 */
export class PlatformPingCommand {
  /** Who asks (the gateway); in the service's log if it ever matters. */
  @OptionalText(64)
  from?: string;
}

export interface PlatformPingReply {
  service: string;
}
