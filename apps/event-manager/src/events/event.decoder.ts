import type { Envelope } from '@baton/contracts';
import { assertStorableText, decodeJsonEnvelope, isRfc3339, PermanentError } from '@baton/kafka';
import type { KafkaMessage } from 'kafkajs';

// Ingress is read the same way by every consumer of it: the reading lives in @baton/kafka.
export {
  decodeIngressEvent,
  hasUnstorableEscape,
  isRfc3339,
  type RawEventMessage,
} from '@baton/kafka';

/** Platform topics carry Baton's own envelope; it is validated as strictly as everywhere else. */
export function decodePlatformEvent(message: KafkaMessage): Envelope {
  const envelope = decodeJsonEnvelope(message);
  assertStorableText(message.value!.toString('utf8'));
  if (!isRfc3339(envelope.time)) {
    throw new PermanentError(`time '${envelope.time}' is not an RFC 3339 timestamp`);
  }
  return envelope;
}
