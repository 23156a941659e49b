import { Headers } from '@baton/contracts';
import type { IHeaders } from 'kafkajs';
import { Counter, register } from 'prom-client';
import type { BatonKafka } from '../baton-kafka';
import { headerString } from '../trace-context';

/** Why a message was dead-lettered, as a label and a header a tool can match on. */
export type DeadLetterKind = 'crash' | 'timeout' | 'failed' | 'permanent' | 'unreadable';

const METRIC = 'baton_dead_letters_total';

// Registered once per process even if two consumers (or two copies of this module) ask.
function counter(): Counter<'consumer' | 'kind'> {
  const existing = register.getSingleMetric(METRIC) as Counter<'consumer' | 'kind'> | undefined;
  return (
    existing ??
    new Counter({
      name: METRIC,
      help: 'Messages sent to the dead-letter topic, by consumer group and why (crash, timeout, failed, permanent, unreadable)',
      labelNames: ['consumer', 'kind'],
    })
  );
}

export interface DeadLetter {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers: IHeaders;
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  kind: DeadLetterKind;
}

/** Publishes a consumer's dead letters with their reason and source in headers, and counts them. */
export class DeadLetters {
  private readonly counted = counter();

  constructor(
    private readonly kafka: BatonKafka,
    private readonly dlqTopic: string,
    private readonly groupId: string,
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    await this.kafka.publishRaw(this.dlqTopic, letter.key, letter.value, this.headers(letter));
    this.counted.inc({ consumer: this.groupId, kind: letter.kind });
  }

  private headers(letter: DeadLetter): Record<string, string | Buffer> {
    const headers: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(letter.headers)) {
      const text = headerString(letter.headers, name);
      if (text !== undefined && value !== undefined) headers[name] = text;
    }
    headers[Headers.dlqReason] = letter.reason.slice(0, 2000);
    headers[Headers.dlqKind] = letter.kind;
    headers[Headers.dlqSourceTopic] = letter.topic;
    headers[Headers.dlqSourcePartition] = String(letter.partition);
    headers[Headers.dlqSourceOffset] = letter.offset;
    return headers;
  }
}
