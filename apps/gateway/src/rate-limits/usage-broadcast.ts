import { createEnvelope, MessageTypes, Topics, type Envelope } from '@baton/contracts';
import { BatonKafka, BroadcastConsumer } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { GatewayEnv } from '../gateway.env';
import type { Logger } from 'pino';
import { UsageLedger, type UsageReport } from './usage-ledger';
import { WorkspaceLimitsCache } from './workspace-limits.cache';

/** Every this often a replica sends all its counts, so one that joined late catches up. */
const FULL_REPORT_EVERY_MS = 5_000;
/** A replica with nothing new still reports this often, so others know its streams are live. */
const HEARTBEAT_MS = 1_000;

function isUsageReport(value: unknown): value is UsageReport {
  const report = value as UsageReport;
  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.replica === 'string' &&
    report.replica.length <= 100 &&
    Array.isArray(report.counts) &&
    Array.isArray(report.streams) &&
    Array.isArray(report.limits_changed)
  );
}

/**
 * The gateway replicas' shared view of usage: this replica's ledger, its
 * counts broadcast on baton.gateway.usage every RATE_LIMIT_BROADCAST_MS, and
 * every other replica's reports read back into the ledger.
 */
@Injectable()
export class UsageBroadcast implements OnModuleInit, OnModuleDestroy {
  readonly ledger: UsageLedger;
  /** This replica, as the others see it in the reports. */
  private readonly instanceId = randomUUID();
  private readonly channel: BroadcastConsumer;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private sending = false;
  private lastSent = 0;
  private lastFull = 0;
  private lastStreams = '';

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly limits: WorkspaceLimitsCache,
    env: GatewayEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.intervalMs = env.RATE_LIMIT_BROADCAST_MS;
    // Reports are absolute counts, re-sent: one missed while away is made up by the next.
    this.channel = new BroadcastConsumer(kafka, {
      topic: Topics.gatewayUsage,
      groupPrefix: 'baton-gateway-usage',
      handle: (envelope) => this.receive(envelope),
      onGap: () => undefined,
      log: (level, message, extra) => this.logger[level](extra, message),
    });
    this.ledger = new UsageLedger(this.instanceId, Math.max(10_000, 10 * this.intervalMs));
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('usage-broadcast', () => this.channel.isRunning);
    await this.channel.start();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.channel.stop();
  }

  private async tick(): Promise<void> {
    if (this.sending) return;
    const now = Date.now();
    const full = now - this.lastFull >= FULL_REPORT_EVERY_MS;
    const reports = this.ledger.reports(now, full);
    if (full) this.lastFull = now;
    const streams = JSON.stringify(reports[0].streams);
    const news =
      reports.some((r) => r.counts.length > 0 || r.limits_changed.length > 0) ||
      streams !== this.lastStreams;
    if (!news && now - this.lastSent < HEARTBEAT_MS) return;
    this.sending = true;
    try {
      for (const report of reports) {
        const envelope = createEnvelope({
          type: MessageTypes.gatewayUsage,
          source: 'gateway',
          workspaceId: 'system',
          data: report,
        });
        await this.kafka.publish([{ topic: Topics.gatewayUsage, key: this.instanceId, envelope }]);
      }
      this.lastSent = now;
      this.lastStreams = streams;
    } catch (error) {
      // Counts are absolute: the next full report makes up for a lost one.
      this.logger.warn({ err: { message: (error as Error).message } }, 'usage report not sent');
    } finally {
      this.sending = false;
    }
  }

  private receive(envelope: Envelope): void {
    if (envelope.type !== MessageTypes.gatewayUsage || !isUsageReport(envelope.data)) return;
    for (const workspaceId of this.ledger.apply(envelope.data, Date.now())) {
      this.limits.changed(workspaceId);
    }
  }
}
