import { createEnvelope, MessageTypes, Topics, type LogRecordsMessage } from '@baton/contracts';
import { BatonKafka, type OutgoingMessage } from '@baton/kafka';
import { LOGGER, logShippingBuffer, type ShippedRecord } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';

const FLUSH_INTERVAL_MS = 1_000;
/** Records per message: a message stays far below the broker's 1 MiB. */
const RECORDS_PER_MESSAGE = 40;

/**
 * Sends the service's warnings and errors, buffered by its logger
 * (LogShippingBuffer), to baton.logs once a second: never from the log
 * call itself, so a slow or absent broker costs a log call nothing. What
 * cannot be sent is counted as dropped, not retried forever.
 */
@Injectable()
export class LogShipper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(Symbol.for('baton.service-name')) private readonly service: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!logShippingBuffer()) return;
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before Kafka disconnects (that happens at application shutdown): the last records leave. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Sends what is buffered; one send at a time. */
  flush(): Promise<void> {
    this.sending = this.sending.then(() => this.sendBuffered());
    return this.sending;
  }

  private async sendBuffered(): Promise<void> {
    const buffer = logShippingBuffer();
    const records = buffer?.drain() ?? [];
    if (!buffer || records.length === 0) return;
    try {
      await this.kafka.publish(toMessages(`baton-${this.service}`, records));
    } catch (error) {
      buffer.lost(records.length);
      // At info: a warning would be shipped, fail again, and so on.
      this.logger.info(
        { err: { message: (error as Error).message }, records: records.length },
        'shipping log records failed; they are dropped',
      );
    }
  }
}

/** One message per workspace and chunk, keyed by workspace. */
export function toMessages(source: string, records: ShippedRecord[]): OutgoingMessage[] {
  const byWorkspace = new Map<string, ShippedRecord['record'][]>();
  for (const { workspaceId, record } of records) {
    const list = byWorkspace.get(workspaceId) ?? [];
    list.push(record);
    byWorkspace.set(workspaceId, list);
  }
  const messages: OutgoingMessage[] = [];
  for (const [workspaceId, list] of byWorkspace) {
    for (let i = 0; i < list.length; i += RECORDS_PER_MESSAGE) {
      messages.push({
        topic: Topics.logs,
        key: workspaceId,
        envelope: createEnvelope<LogRecordsMessage>({
          type: MessageTypes.logRecords,
          source,
          workspaceId,
          data: { source, records: list.slice(i, i + RECORDS_PER_MESSAGE) },
        }),
      });
    }
  }
  return messages;
}
