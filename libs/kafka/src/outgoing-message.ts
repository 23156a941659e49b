import type { Envelope } from '@baton/contracts';

/** A message on its way to Kafka: the envelope is the value, the aggregate id the key. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  envelope: Envelope;
  headers?: Record<string, string>;
}
