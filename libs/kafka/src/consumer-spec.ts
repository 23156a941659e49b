import { DomainError, envelopeProblems, validateInto, type Envelope } from '@baton/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { envelopeLimitBreach } from './envelope-limits';

// What a consumer is given (ConsumerSpec) and what its handler gets (ConsumedMessage),
// with the default decoder and the error that sends a message straight to the dead
// letters: the terms MessageConsumer and HandlerAttempts share, in a file below both.

export interface ConsumedMessage<T = unknown> {
  envelope: Envelope<T>;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  /** Kafka's timestamp of the message (epoch ms as text): when it was produced. */
  timestamp?: string;
  /** The W3C trace it was sent in: the envelope's, else the Kafka header's. */
  traceparent?: string;
}

/** An error that retrying cannot fix: the message goes straight to the dead-letter topic. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export type EnvelopeDecoder = (message: KafkaMessage, topic: string) => Envelope;

export interface ConsumerSpec {
  groupId: string;
  topics: (string | RegExp)[];
  /** Where messages that cannot be handled go, with the reason in a header. */
  dlqTopic: string;
  /** One message at a time, in partition order. */
  handle?: (message: ConsumedMessage) => Promise<void>;
  /** The whole fetched batch at once (after envelope validation), for bulk writes. */
  handleBatch?: (messages: ConsumedMessage[]) => Promise<void>;
  partitionsConsumedConcurrently?: number;
  /**
   * With `handle`: how many messages of one fetched batch may run at once.
   * Messages with the same key still run one after the other, in order; it
   * suits independent work (agent tasks), not one aggregate's event stream.
   */
  keyConcurrency?: number;
  /** Attempts of a failing handler before the message is dead-lettered. */
  maxAttempts?: number;
  /**
   * A handler invocation still running after this long is abandoned and
   * counts as a failed attempt (0: never). Default: the process's setting
   * (BATON_CONSUMER_HANDLER_TIMEOUT_MS in services, 60 s).
   */
  handlerTimeoutMs?: number;
  /** A new group starts at the beginning: nothing produced before the first deploy is skipped. */
  fromBeginning?: boolean;
  decode?: EnvelopeDecoder;
  maxWaitTimeInMs?: number;
  /**
   * Bytes the broker waits for (up to maxWaitTimeInMs) before it answers a
   * fetch: for consumers nobody waits on closely, bigger batches for less CPU.
   */
  minBytes?: number;
  /**
   * How often finished offsets are committed (default 1 s). A crash or a
   * rebalance redelivers what was finished since the last commit, which
   * handlers must take (they are idempotent); a longer interval costs more
   * redelivery and fewer broker round trips.
   */
  commitIntervalMs?: number;
  /** Platform handlers are short database work: 10 s. Agents with slow tasks need more. */
  sessionTimeoutMs?: number;
  onError?: (error: unknown, message: ConsumedMessage | undefined, attempt: number) => void;
}

export function decodeJsonEnvelope(message: KafkaMessage): Envelope {
  if (!message.value) throw new PermanentError('message has no value');
  const text = message.value.toString('utf8');
  // Size and depth before JSON.parse and class-validator recurse into it.
  const breach = envelopeLimitBreach(text, message.value.length);
  if (breach) throw new PermanentError(breach);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PermanentError('message value is not JSON');
  }
  const problems = envelopeProblems(parsed);
  if (problems.length > 0) throw new PermanentError(`invalid envelope: ${problems.join('; ')}`);
  return parsed as Envelope;
}

/**
 * A decoder for a topic that carries one message class: decodeJsonEnvelope,
 * then `refuse` (why the envelope is not one, or null), then its data checked
 * against `messageClass`. What fails is permanent: dead-lettered with the reason.
 */
export function checkedDecoder<T extends object>(
  messageClass: new () => T,
  what: string,
  refuse: (envelope: Envelope) => string | null = () => null,
): EnvelopeDecoder {
  return (message) => {
    const envelope = decodeJsonEnvelope(message);
    const refusal = refuse(envelope);
    if (refusal) throw new PermanentError(refusal);
    try {
      validateInto(messageClass, envelope.data, 'data');
    } catch (error) {
      throw new PermanentError(`invalid ${what}: ${(error as Error).message}`);
    }
    return envelope;
  };
}

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof DomainError;
}
